//! Flows the user declares (`[[flow]]` in `.reachlint.toml`): "service X
//! must reach Y" makes the flow needed (derived or not); "must not reach"
//! is proved like any flow, and a `reachable` verdict is an RL404 error at
//! the declaration. A declaration that matches nothing is RL405. Every door
//! applies them the same way.

use crate::base::diag::Diagnostic;
use crate::base::source::Span;
use crate::model::flow::{Flow, Source, SourceName, Target, TargetKind, TargetName, UnknownTarget};
use crate::model::proof::{FlowResult, Verdict};
use crate::model::{DbId, Network, Purpose};
use crate::rules::reachability::{declared_flow_unmatched, forbidden_flow_reachable};

/// What a declared flow must prove.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    Reachable,
    Unreachable,
    /// Asked on the command line (`reachlint explain`): proved when no
    /// flow answers it yet, informational, never changing a flow that
    /// does, and never a finding.
    Asked,
}

/// One declaration, with where it is written.
#[derive(Debug, Clone)]
pub struct Declared {
    /// Where the flow starts: `service` (a workload's ENIs), or `from`
    /// (`internet`, a block, a workload).
    pub from: SourceName,
    /// As written: `database`, `database:<LogicalId>`, `internet`,
    /// `file-system`, or an AWS API's endpoint name.
    pub to: String,
    /// `to`, parsed once: an unknown name is RL405, never a flow.
    pub target: Result<TargetName, UnknownTarget>,
    pub expect: Expect,
    pub env: Option<String>,
    pub reason: Option<String>,
    /// Its byte range in the configuration file.
    pub range: (u32, u32),
}

impl Declared {
    fn applies(&self, env: &str) -> bool {
        self.env.as_deref().is_none_or(|e| e == env)
    }

    fn why(&self) -> String {
        let verb = match self.expect {
            Expect::Reachable => "must reach",
            Expect::Unreachable => "must not reach",
            Expect::Asked => return "asked with `reachlint explain`".to_string(),
        };
        // a workload's own flow says nothing of where it starts
        let from = match &self.from {
            SourceName::Workload(_) => String::new(),
            other => format!("{other} "),
        };
        match &self.reason {
            Some(r) => format!(
                "declared in .reachlint.toml: {from}{verb} {} ({r})",
                self.to
            ),
            None => format!("declared in .reachlint.toml: {from}{verb} {}", self.to),
        }
    }

    /// The targets `to` names in this network (none for an unknown name).
    fn targets(&self, net: &Network) -> Vec<(Target, u16)> {
        let db = |i: usize| {
            let d = &net.databases[i];
            (
                Target::Database {
                    db: DbId(i),
                    name: d.name.clone(),
                    engine: d.engine.clone(),
                },
                d.port,
            )
        };
        let fs = |i: usize| {
            (
                Target::FileSystem {
                    fs: Ok(i),
                    name: net.file_systems[i].name.clone(),
                },
                2049,
            )
        };
        match &self.target {
            Err(_) => vec![],
            Ok(TargetName::Internet) => vec![(Target::Internet, 443)],
            Ok(TargetName::Database(id)) => (0..net.databases.len())
                .filter(|i| id.as_ref().is_none_or(|id| &net.databases[*i].name == id))
                .map(db)
                .collect(),
            Ok(TargetName::FileSystem(id)) => (0..net.file_systems.len())
                .filter(|i| {
                    id.as_ref()
                        .is_none_or(|id| &net.file_systems[*i].name == id)
                })
                .map(fs)
                .collect(),
            Ok(TargetName::AwsService(s)) => vec![(Target::AwsService(s.clone()), 443)],
            Ok(TargetName::Workload(name, port)) => net
                .workloads
                .iter()
                .position(|w| &w.name == name)
                .map(|workload| {
                    (
                        Target::Workload {
                            workload,
                            name: name.clone(),
                        },
                        *port,
                    )
                })
                .into_iter()
                .collect(),
            Ok(TargetName::LoadBalancer(name, port)) => net
                .load_balancers
                .iter()
                .position(|l| &l.name == name)
                .map(|lb| {
                    (
                        Target::LoadBalancer {
                            lb,
                            name: name.clone(),
                        },
                        *port,
                    )
                })
                .into_iter()
                .collect(),
        }
    }
}

/// The workload a flow from outside is about: the one it reaches, the one
/// owning the data store it reaches, else the target's own name.
fn about(net: &Network, target: &Target) -> String {
    match target {
        Target::Database { db, name, .. } => match net.databases.get(db.0).map(|d| &d.owner) {
            Some(crate::model::Owner::Workload(w)) => w.clone(),
            _ => name.clone(),
        },
        Target::Workload { name, .. }
        | Target::LoadBalancer { name, .. }
        | Target::FileSystem { name, .. } => name.clone(),
        Target::AwsService(s) => s.name().to_string(),
        Target::Internet => "internet".to_string(),
    }
}

/// The same target of a flow; a workload's tasks and a load balancer on
/// the same port.
fn same_target(a: &Target, b: &Target) -> bool {
    match (a, b) {
        (Target::Database { db: x, .. }, Target::Database { db: y, .. }) => x == y,
        (Target::FileSystem { fs: Ok(x), .. }, Target::FileSystem { fs: Ok(y), .. }) => x == y,
        _ => a == b,
    }
}

/// Adds or strengthens the declared flows of one environment before they
/// are proved; returns the findings for declarations that match nothing.
pub fn add(
    env: &str,
    net: &Network,
    declared: &[Declared],
    config: Option<crate::base::source::FileId>,
    flows: &mut Vec<Flow>,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    // the declarations' reasons per flow, each once, joined at the end (no
    // copy of a growing reason per declaration)
    let mut added: Vec<(usize, String)> = Vec::new();
    let mut seen: std::collections::HashSet<(usize, String)> = std::collections::HashSet::new();
    for d in declared.iter().filter(|d| d.applies(env)) {
        // what explain asks is answered there, never a finding here
        let config = config.filter(|_| d.expect != Expect::Asked);
        if let (Err(unknown), Some(file)) = (&d.target, config) {
            // about the declaration, whatever the environment
            diags.push(declared_flow_unmatched::unknown_target(
                Span::new(file, d.range.0 as usize, d.range.1 as usize),
                unknown,
            ));
            continue;
        }
        let source = match &d.from {
            SourceName::Workload(name) => {
                let Some(wi) = net.workloads.iter().position(|w| &w.name == name) else {
                    if let Some(file) = config {
                        diags.push(declared_flow_unmatched::no_service(
                            Span::new(file, d.range.0 as usize, d.range.1 as usize),
                            env,
                            name,
                        ));
                    }
                    continue;
                };
                Source::Workload(wi)
            }
            SourceName::Internet => Source::Internet,
            SourceName::Cidr(c) => Source::Cidr(*c),
        };
        // a question some flow already answers adds nothing
        if d.expect == Expect::Asked
            && flows
                .iter()
                .any(|f| d.from.matches(f) && d.target.as_ref().is_ok_and(|t| t.matches(f)))
        {
            continue;
        }
        let targets = d.targets(net);
        if targets.is_empty() {
            if let Some(file) = config {
                let kind = d
                    .target
                    .as_ref()
                    .map_or(TargetKind::Database, TargetName::kind);
                diags.push(declared_flow_unmatched::no_target(
                    Span::new(file, d.range.0 as usize, d.range.1 as usize),
                    env,
                    &d.to,
                    kind,
                ));
            }
            continue;
        }
        for (target, port) in targets {
            let ported = matches!(
                target,
                Target::Workload { .. } | Target::LoadBalancer { .. }
            );
            match flows.iter().position(|f| {
                f.source == source && same_target(&f.target, &target) && (!ported || f.port == port)
            }) {
                Some(_) if d.expect == Expect::Asked => {}
                Some(i) => {
                    let f = &mut flows[i];
                    match d.expect {
                        Expect::Reachable => {
                            f.needed = true;
                            f.isolation = false;
                        }
                        // the configuration is the newer word: a flow that
                        // must not exist is not needed
                        // a derived exposure stays one (RL404 replaces its
                        // finding where the declaration is)
                        Expect::Unreachable | Expect::Asked => {
                            f.needed = false;
                            f.needed_for.clear();
                        }
                    }
                    let why = d.why();
                    if seen.insert((i, why.clone())) {
                        added.push((i, why));
                    }
                }
                None => {
                    seen.insert((flows.len(), d.why()));
                    flows.push(Flow {
                        service: match &source {
                            Source::Workload(wi) => net.workloads[*wi].name.clone(),
                            _ => about(net, &target),
                        },
                        source: source.clone(),
                        target,
                        port,
                        needed: d.expect == Expect::Reachable,
                        isolation: false,
                        reason: d.why(),
                        needed_for: if d.expect == Expect::Reachable {
                            vec![Purpose::Application]
                        } else {
                            vec![]
                        },
                    })
                }
            }
        }
    }
    for (i, why) in added {
        let reason = &mut flows[i].reason;
        reason.push_str("; ");
        reason.push_str(&why);
    }
    diags
}

/// Whether a declaration names a proved flow.
fn names(d: &Declared, r: &FlowResult) -> bool {
    d.from.matches(&r.flow) && d.target.as_ref().is_ok_and(|t| t.matches(&r.flow))
}

/// The flows declared unreachable (their index among `results`): when they
/// are unreachable, that is what the configuration asks for, so no RL401
/// or RL402 is reported for them.
pub fn expected_unreachable(
    env: &str,
    declared: &[Declared],
    results: &[FlowResult],
) -> Vec<usize> {
    results
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            declared
                .iter()
                .any(|d| d.applies(env) && d.expect == Expect::Unreachable && names(d, r))
        })
        .map(|(i, _)| i)
        .collect()
}

/// RL404 for each flow declared unreachable that proved reachable, from
/// every placement or from some (`partial`).
pub fn forbidden(
    env: &str,
    declared: &[Declared],
    config: Option<crate::base::source::FileId>,
    results: &[FlowResult],
) -> Vec<Diagnostic> {
    let Some(file) = config else {
        return vec![];
    };
    let mut out = Vec::new();
    for d in declared
        .iter()
        .filter(|d| d.applies(env) && d.expect == Expect::Unreachable)
    {
        for (i, r) in results.iter().enumerate() {
            if !names(d, r) || !matches!(r.verdict, Verdict::Reachable | Verdict::Partial) {
                continue;
            }
            let to = r.flow.to_word();
            let mut diag = forbidden_flow_reachable::diagnostic(
                Span::new(file, d.range.0 as usize, d.range.1 as usize),
                env,
                r,
                r.verdict == Verdict::Partial,
                &to,
            );
            diag.flow = Some(i);
            out.push(diag);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Component, Database, Egress, ManagedEgress, Origin, Owner, SubnetSet, Workload,
        WorkloadKind,
    };

    fn db(name: &str) -> Database {
        Database {
            name: name.into(),
            owner: Owner::Environment,
            engine: "aurora-postgresql".into(),
            port: 5432,
            port_origin: Origin::default(),
            port_unknown: None,
            subnets: SubnetSet::Known(vec![]),
            sgs: vec![],
            unknown_sgs: vec![],
            serverless_v1: false,
            publicly_accessible: false,
            publicly_accessible_surely: false,
            writer_az: None,
            origin: Origin::default(),
        }
    }

    /// What `explain` asks adds a flow only where none answers it: asking
    /// `api` for `database` when it has its flow to one of two databases
    /// adds nothing; asking for the other one adds that flow,
    /// informational; neither raises a finding.
    #[test]
    fn an_asked_flow_adds_nothing_a_flow_answers() {
        let mut net = Network {
            databases: vec![db("Kept"), db("Other")],
            ..Network::default()
        };
        net.workloads.push(Workload {
            name: "api".into(),
            kind: WorkloadKind::AppRunner,
            egress: Egress::Managed(ManagedEgress {
                provider: "App Runner".into(),
                hop: Component::AppRunnerDefaultEgress,
                owner: Component::AppRunnerService,
                detail: String::new(),
                lacks: String::new(),
                origin: Origin::default(),
            }),
            fallback: None,
            api_uses: vec![],
            needs_internet: None,
            db_refs: vec![],
            fs_uses: vec![],
            lb_targets: Vec::new(),
            peer_uses: Vec::new(),
            origin: Origin::default(),
        });
        let own = Flow {
            source: Source::Workload(0),
            service: "api".into(),
            target: Target::Database {
                db: DbId(0),
                name: "Kept".into(),
                engine: "aurora-postgresql".into(),
            },
            port: 5432,
            needed: true,
            isolation: false,
            reason: "its addon".into(),
            needed_for: vec![Purpose::Application],
        };
        let asked = |to: &str| Declared {
            from: SourceName::Workload("api".into()),
            to: to.into(),
            target: TargetName::parse(to),
            expect: Expect::Asked,
            env: None,
            reason: None,
            range: (0, 0),
        };
        let mut flows = vec![own.clone()];
        let diags = add("test", &net, &[asked("database")], None, &mut flows);
        assert!(diags.is_empty());
        assert_eq!(flows.len(), 1);
        assert!(flows[0].needed, "the flow that answers keeps its own word");
        let mut flows = vec![own];
        add("test", &net, &[asked("database:Other")], None, &mut flows);
        assert_eq!(flows.len(), 2);
        assert!(!flows[1].needed);
        assert_eq!(flows[1].reason, "asked with `reachlint explain`");
    }
}
