//! What a workload references, stated by a door as door-neutral facts: a
//! database's endpoint or secret handed to it, a security group it
//! carries or imports, a secret its task reads when it starts. This room
//! derives the database flows they make needed (and the API a secret's
//! store answers on), each with the sentence that says why.
//!
//! The door resolves its input to model elements first (the Copilot door:
//! a `from_cfn` name to the export, the export to the resource, the
//! resource to the database of the network); what a reference implies is
//! decided here, for every door alike.

use super::task::SecretStore;
use crate::model::graph::{Element, Relation, ResourceGraph};
use crate::model::{ApiUse, DbId, DbRef, Network, Origin, PeerUse, Purpose, SgId};

/// How the value reached the workload, in the door's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// An export of another stack, by its name.
    Export(String),
    /// An output of the workload's own addons, by its name.
    AddonOutput(String),
    /// A variable of the task, by its name.
    Variable(String),
}

/// How a client names a server so that the name leads to its tasks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeerName {
    /// The server's Service Connect alias (its name unless it sets one),
    /// which the client's own Service Connect proxy answers.
    ServiceConnect(String),
    /// The server's service discovery name (`<svc>.<env>.<app>.local`).
    Discovery(String),
}

/// What the workload was handed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// A database's endpoint (its address).
    DbEndpoint(DbId),
    /// A database's secret (its credentials).
    DbSecret(DbId),
    /// A security group: every database whose group admits it is needed.
    SecurityGroup(SgId),
    /// A secret the task reads from its store when it starts.
    SecretAtStart(SecretStore),
    /// Another workload's tasks (by index among the network's workloads),
    /// on the port they are reached on, by the name the client uses.
    Peer {
        workload: usize,
        port: u16,
        name: PeerName,
    },
}

impl Via {
    /// The export's, output's or variable's name.
    pub fn name(&self) -> &str {
        match self {
            Via::Export(n) | Via::AddonOutput(n) | Via::Variable(n) => n,
        }
    }

    /// What kind of value came: "export", "addon output", "variable".
    pub fn what(&self) -> &'static str {
        match self {
            Via::Export(_) => "export",
            Via::AddonOutput(_) => "addon output",
            Via::Variable(_) => "variable",
        }
    }
}

/// One reference, how it came, and the line that makes it.
#[derive(Debug, Clone)]
pub struct Referenced {
    pub reference: Reference,
    pub via: Via,
    pub origin: Origin,
}

/// Adds what the references imply to workload `wi`: a database is
/// referenced once (its first evidence is kept), an API once per purpose.
pub fn add(net: &mut Network, wi: usize, refs: &[Referenced]) {
    let mut db_refs: Vec<DbRef> = Vec::new();
    let mut uses: Vec<ApiUse> = Vec::new();
    let mut graph: Option<ResourceGraph> = None;
    for r in refs {
        let origin = r.origin.clone();
        match (&r.reference, &r.via) {
            (Reference::DbEndpoint(db) | Reference::DbSecret(db), via) => {
                let Some(d) = net.databases.get(db.0) else {
                    continue;
                };
                let endpoint = matches!(r.reference, Reference::DbEndpoint(_));
                let reason = match (via, endpoint) {
                    (Via::AddonOutput(name), _) => format!(
                        "the workload receives the {} of the {} database {} from its addon output {name}",
                        if endpoint { "endpoint" } else { "secret" },
                        d.engine,
                        d.name
                    ),
                    (Via::Export(name), true) => format!(
                        "the workload receives the endpoint of the {} database {} (export {name})",
                        d.engine, d.name
                    ),
                    (Via::Export(name), false) => format!(
                        "the workload imports the secret of the {} cluster {} (export {name})",
                        d.engine, d.name
                    ),
                    (Via::Variable(name), _) => format!(
                        "the workload receives the {} of the {} database {} in its variable {name}",
                        if endpoint { "endpoint" } else { "secret" },
                        d.engine,
                        d.name
                    ),
                };
                db_refs.push(DbRef {
                    db: *db,
                    reason,
                    origin,
                });
            }
            (Reference::SecurityGroup(sg), via) => {
                let name = via.name();
                let graph = graph.get_or_insert_with(|| ResourceGraph::build(net));
                for (di, d) in net.databases.iter().enumerate() {
                    let admits = d.sgs.iter().any(|g| {
                        graph
                            .targets(Element::Sg(*g), Relation::AdmitsFrom)
                            .contains(&Element::Sg(*sg))
                    });
                    if admits {
                        db_refs.push(DbRef {
                            db: DbId(di),
                            reason: format!(
                                "the workload imports security group export {name}, which the security group of database {} admits",
                                d.name
                            ),
                            origin: origin.clone(),
                        });
                    }
                }
            }
            (Reference::SecretAtStart(store), via) => {
                let name = via.name();
                let service = store.service();
                uses.push(ApiUse {
                    reason: format!(
                        "the task reads the secret of export {name} from {service} when it starts"
                    ),
                    service,
                    purpose: Purpose::TaskStart,
                    origin,
                });
            }
            // the server's flows, below
            (Reference::Peer { .. }, _) => {}
        }
    }
    let peers: Vec<PeerUse> = refs
        .iter()
        .filter_map(|r| match &r.reference {
            Reference::Peer {
                workload,
                port,
                name,
            } => {
                let server = net.workloads.get(*workload)?;
                let how = match name {
                    PeerName::ServiceConnect(alias) => {
                        format!("its Service Connect name `{alias}`")
                    }
                    PeerName::Discovery(fqdn) => {
                        format!("its service discovery name `{fqdn}`")
                    }
                };
                Some(PeerUse {
                    workload: *workload,
                    port: *port,
                    reason: format!(
                        "the workload calls {} by {how} ({} {}), on port {port}",
                        server.name,
                        r.via.what(),
                        r.via.name()
                    ),
                    origin: r.origin.clone(),
                })
            }
            _ => None,
        })
        .collect();
    let Some(w) = net.workloads.get_mut(wi) else {
        return;
    };
    for p in peers {
        if !w
            .peer_uses
            .iter()
            .any(|x| x.workload == p.workload && x.port == p.port)
        {
            w.peer_uses.push(p);
        }
    }
    for r in db_refs {
        if !w.db_refs.iter().any(|x| x.db == r.db) {
            w.db_refs.push(r);
        }
    }
    for u in uses {
        if !w
            .api_uses
            .iter()
            .any(|x| x.service == u.service && x.purpose == u.purpose)
        {
            w.api_uses.push(u);
        }
    }
}
