//! Flows: what a workload needs to reach, and why it was derived.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TargetKind {
    AwsService,
    Database,
    Internet,
    FileSystem,
    Workload,
    LoadBalancer,
}

impl TargetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Database => "database",
            TargetKind::Internet => "internet",
            TargetKind::AwsService => "aws-service",
            TargetKind::FileSystem => "file-system",
            TargetKind::Workload => "workload",
            TargetKind::LoadBalancer => "load-balancer",
        }
    }
}

/// The AWS APIs whose flows reachlint derives, by their endpoint names:
/// the names `explain --to` and `[[flow]] to` take for them.
pub const AWS_SERVICE_NAMES: [&str; 8] = [
    "secretsmanager",
    "ecr.api",
    "ecr.dkr",
    "s3",
    "logs",
    "ssm",
    "sqs",
    "sns",
];

/// A flow's destination as a user names it (`explain --to`, `[[flow]] to`
/// in `.reachlint.toml`), parsed once: `database`, `database:<LogicalId>`,
/// `internet`, `file-system`, `file-system:<name>`, an AWS API's name,
/// `workload:<name>:<port>` or `load-balancer:<LogicalId>:<port>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetName {
    /// Every database, or the one with this logical id.
    Database(Option<String>),
    Internet,
    /// Every file system, or the one with this name.
    FileSystem(Option<String>),
    AwsService(AwsService),
    /// A workload's tasks (its ENIs), by name, on a port.
    Workload(String, u16),
    /// A load balancer's nodes, by name (logical id), on a port.
    LoadBalancer(String, u16),
}

/// A flow's source as a user names it (`explain --from`, `[[flow]] from`,
/// or `service` for a workload): `internet`, `cidr:<block>` (or the block
/// alone), or a workload's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceName {
    Workload(String),
    Internet,
    Cidr(Cidr),
}

impl SourceName {
    /// `internet`, `cidr:<block>`, a block such as `203.0.113.0/24`, or
    /// else a workload's name. A `cidr:` that is no block is an error.
    pub fn parse(s: &str) -> Result<SourceName, String> {
        if s == "internet" {
            return Ok(SourceName::Internet);
        }
        if let Some(block) = s.strip_prefix("cidr:") {
            return block
                .parse()
                .map(SourceName::Cidr)
                .map_err(|_| format!("`{block}` is no IPv4 block (write it as `203.0.113.0/24`)"));
        }
        if let Ok(c) = s.parse::<Cidr>() {
            return Ok(SourceName::Cidr(c));
        }
        Ok(SourceName::Workload(s.to_string()))
    }

    /// Whether a flow starts where this names: a workload's own ENIs, the
    /// internet, the block.
    pub fn matches(&self, f: &Flow) -> bool {
        match (self, &f.source) {
            (SourceName::Workload(n), Source::Workload(_)) => *n == f.service,
            (SourceName::Internet, Source::Internet) => true,
            (SourceName::Cidr(a), Source::Cidr(b)) => a == b,
            _ => false,
        }
    }
}

impl std::fmt::Display for SourceName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SourceName::Workload(n) => write!(f, "`{n}`"),
            SourceName::Internet => write!(f, "the internet"),
            SourceName::Cidr(c) => write!(f, "{c}"),
        }
    }
}

/// A name that is no flow target, with the nearest one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownTarget {
    pub given: String,
    pub suggestion: Option<String>,
}

impl TargetName {
    pub fn parse(s: &str) -> Result<TargetName, UnknownTarget> {
        let named = |rest: &str| (!rest.is_empty()).then(|| rest.to_string());
        match s {
            "database" | "db" => return Ok(TargetName::Database(None)),
            "internet" => return Ok(TargetName::Internet),
            "file-system" | "efs" => return Ok(TargetName::FileSystem(None)),
            _ => {}
        }
        if let Some(id) = s.strip_prefix("database:").and_then(named) {
            return Ok(TargetName::Database(Some(id)));
        }
        if let Some(id) = s.strip_prefix("file-system:").and_then(named) {
            return Ok(TargetName::FileSystem(Some(id)));
        }
        // `workload:<name>:<port>`, `load-balancer:<name>:<port>`
        let with_port = |rest: &str| {
            let (name, port) = rest.rsplit_once(':')?;
            let port: u16 = port.parse().ok().filter(|p| *p > 0)?;
            (!name.is_empty()).then(|| (name.to_string(), port))
        };
        if let Some((name, port)) = s.strip_prefix("workload:").and_then(with_port) {
            return Ok(TargetName::Workload(name, port));
        }
        if let Some((name, port)) = s.strip_prefix("load-balancer:").and_then(with_port) {
            return Ok(TargetName::LoadBalancer(name, port));
        }
        if AWS_SERVICE_NAMES.contains(&s) {
            return Ok(TargetName::AwsService(AwsService::from_name(s)));
        }
        let mut words = vec!["database", "internet", "file-system"];
        words.extend(AWS_SERVICE_NAMES);
        let suggestion = match s.split_once(':') {
            Some((kind, rest)) => crate::base::suggest::closest(
                kind,
                &["database", "file-system", "workload", "load-balancer"],
            )
            .map(|k| format!("{k}:{rest}")),
            None => crate::base::suggest::closest(s, &words).map(str::to_string),
        };
        Err(UnknownTarget {
            given: s.to_string(),
            suggestion,
        })
    }

    pub fn kind(&self) -> TargetKind {
        match self {
            TargetName::Database(_) => TargetKind::Database,
            TargetName::Internet => TargetKind::Internet,
            TargetName::FileSystem(_) => TargetKind::FileSystem,
            TargetName::AwsService(_) => TargetKind::AwsService,
            TargetName::Workload(..) => TargetKind::Workload,
            TargetName::LoadBalancer(..) => TargetKind::LoadBalancer,
        }
    }

    /// Whether a flow goes to the target this names.
    pub fn matches(&self, f: &Flow) -> bool {
        match (self, &f.target) {
            (TargetName::Database(None), Target::Database { .. })
            | (TargetName::FileSystem(None), Target::FileSystem { .. })
            | (TargetName::Internet, Target::Internet) => true,
            (TargetName::Database(Some(id)), Target::Database { name, .. })
            | (TargetName::FileSystem(Some(id)), Target::FileSystem { name, .. }) => id == name,
            (TargetName::AwsService(a), Target::AwsService(b)) => a == b,
            (TargetName::Workload(a, port), Target::Workload { name, .. })
            | (TargetName::LoadBalancer(a, port), Target::LoadBalancer { name, .. }) => {
                a == name && *port == f.port
            }
            _ => false,
        }
    }
}

/// What a flow goes to.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A database of the network (with its name and engine for reports).
    Database {
        db: DbId,
        name: String,
        engine: String,
    },
    /// A public address (tcp/443).
    Internet,
    /// An AWS API: through an interface endpoint with private DNS when the
    /// VPC has one, else its public endpoint.
    AwsService(AwsService),
    /// An EFS file system's mount targets (tcp/2049), or why it is unknown.
    FileSystem {
        fs: Result<usize, Missing>,
        name: String,
    },
    /// A workload's tasks: its ENIs (inbound: from a load balancer, another
    /// workload, the internet).
    Workload { workload: usize, name: String },
    /// A load balancer's nodes: its ENIs in its subnets (a listener).
    LoadBalancer { lb: usize, name: String },
}

/// Where a flow starts.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A workload's ENIs (or its managed egress).
    Workload(usize),
    /// A load balancer's nodes, by index and name.
    LoadBalancer { lb: usize, name: String },
    /// Any public IPv4 address, entering through the VPC's internet gateway.
    Internet,
    /// The addresses of a block (a client network, a partner's range).
    Cidr(Cidr),
}

/// What kind of endpoint a flow starts at: a workload's ENIs (or its
/// managed egress); the internet, a CIDR and a load balancer start inbound
/// flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EndpointKind {
    Workload,
    Internet,
    Cidr,
    LoadBalancer,
}

impl EndpointKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EndpointKind::Workload => "workload",
            EndpointKind::Internet => "internet",
            EndpointKind::Cidr => "cidr",
            EndpointKind::LoadBalancer => "load-balancer",
        }
    }
}

/// An endpoint by the name that stays the same across two networks (the
/// files' and the deployed one, a pull request's base and head): never an
/// index into one network.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EndpointName {
    pub kind: EndpointKind,
    pub name: String,
}

/// A flow's identity across networks (DECISIONS.md: flows are keyed and
/// sorted by (env, from, service, target kind, target name, port); the
/// environment is the network's): two networks' flows are paired by it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FlowKey {
    pub from: EndpointName,
    pub service: String,
    pub kind: TargetKind,
    pub target: Option<String>,
    pub port: u16,
}

impl FlowKey {
    /// The same endpoints, whatever the port (a deployed database may
    /// listen on another port than the files say).
    pub fn same_endpoints(&self, other: &FlowKey) -> bool {
        (&self.from, &self.service, self.kind, &self.target)
            == (&other.from, &other.service, other.kind, &other.target)
    }
}

/// Why a flow was derived, and which workload it is about (the one that
/// needs it, or for an inbound flow, the one it reaches).
#[derive(Debug, Clone)]
pub struct Flow {
    pub source: Source,
    pub service: String,
    pub target: Target,
    pub port: u16,
    pub needed: bool,
    /// The flow must never get through (an exposure, checked by default):
    /// reaching is the failure, being refused the proof. `needed` is false.
    pub isolation: bool,
    pub reason: String,
    /// What needs it: the task's start, the application, both, or nothing
    /// (informational).
    pub needed_for: Vec<Purpose>,
}

impl Flow {
    /// Where the flow starts, by name.
    pub fn from(&self) -> EndpointName {
        let (kind, name) = match &self.source {
            Source::Workload(_) => (EndpointKind::Workload, self.service.clone()),
            Source::LoadBalancer { name, .. } => (EndpointKind::LoadBalancer, name.clone()),
            Source::Internet => (EndpointKind::Internet, "internet".to_string()),
            Source::Cidr(c) => (EndpointKind::Cidr, c.to_string()),
        };
        EndpointName { kind, name }
    }

    /// Where the flow starts, as a finding words it: "`api`", "load
    /// balancer PublicLoadBalancer", "the internet", "203.0.113.0/24".
    pub fn source_text(&self) -> String {
        match &self.source {
            Source::Workload(_) => format!("`{}`", self.service),
            Source::LoadBalancer { name, .. } => format!("load balancer {name}"),
            Source::Internet => "the internet".to_string(),
            Source::Cidr(c) => c.to_string(),
        }
    }

    /// Where the flow starts, as a report line shows it: the workload's
    /// bare name, else as [`Flow::source_text`].
    pub fn source_label(&self) -> String {
        match &self.source {
            Source::Workload(_) => self.service.clone(),
            _ => self.source_text(),
        }
    }

    /// The `--from` explain takes for the flow, when it starts elsewhere
    /// than at its workload's ENIs.
    pub fn from_word(&self) -> Option<String> {
        match &self.source {
            Source::Workload(_) | Source::LoadBalancer { .. } => None,
            Source::Internet => Some("internet".to_string()),
            Source::Cidr(c) => Some(format!("cidr:{c}")),
        }
    }

    /// The workload whose ENIs the flow starts at, if it starts at one.
    pub fn workload(&self) -> Option<usize> {
        match self.source {
            Source::Workload(w) => Some(w),
            _ => None,
        }
    }

    /// Its identity across networks.
    pub fn key(&self) -> FlowKey {
        FlowKey {
            from: self.from(),
            service: self.service.clone(),
            kind: self.kind(),
            target: self.target_name().map(str::to_string),
            port: self.port,
        }
    }

    pub fn kind(&self) -> TargetKind {
        match self.target {
            Target::Database { .. } => TargetKind::Database,
            Target::Internet => TargetKind::Internet,
            Target::AwsService(_) => TargetKind::AwsService,
            Target::FileSystem { .. } => TargetKind::FileSystem,
            Target::Workload { .. } => TargetKind::Workload,
            Target::LoadBalancer { .. } => TargetKind::LoadBalancer,
        }
    }

    /// The database's logical id or the API's name; None for the internet.
    pub fn target_name(&self) -> Option<&str> {
        match &self.target {
            Target::Database { name, .. } => Some(name),
            Target::Internet => None,
            Target::AwsService(s) => Some(s.name()),
            Target::FileSystem { name, .. }
            | Target::Workload { name, .. }
            | Target::LoadBalancer { name, .. } => Some(name),
        }
    }

    /// The name `explain --to` takes for the flow's target, without a
    /// database's or file system's own name: `database`, `internet`,
    /// `file-system`, an API's name, `workload:<name>:<port>`.
    pub fn to_word(&self) -> String {
        match self.kind() {
            TargetKind::Database => "database".to_string(),
            TargetKind::Internet => "internet".to_string(),
            TargetKind::FileSystem => "file-system".to_string(),
            TargetKind::AwsService => self.target_name().unwrap_or_default().to_string(),
            TargetKind::Workload | TargetKind::LoadBalancer => format!(
                "{}:{}:{}",
                self.kind().as_str(),
                self.target_name().unwrap_or_default(),
                self.port
            ),
        }
    }

    pub fn engine(&self) -> Option<&str> {
        match &self.target {
            Target::Database { engine, .. } => Some(engine),
            _ => None,
        }
    }

    pub fn database(&self) -> Option<DbId> {
        match self.target {
            Target::Database { db, .. } => Some(db),
            _ => None,
        }
    }

    /// "database X (engine, tcp/P)", "the internet (tcp/443)", ...
    pub fn target_text(&self) -> String {
        let port = if self.port == 0 {
            "?".to_string()
        } else {
            self.port.to_string()
        };
        match &self.target {
            Target::Database { name, engine, .. } => {
                format!("database {name} ({engine}, tcp/{port})")
            }
            Target::Internet => format!("the internet (tcp/{port})"),
            Target::AwsService(s) => format!("{s} (tcp/{port})"),
            Target::FileSystem { name, .. } => format!("file system {name} (tcp/{port})"),
            Target::Workload { name, .. } => format!("the tasks of `{name}` (tcp/{port})"),
            Target::LoadBalancer { name, .. } => format!("load balancer {name} (tcp/{port})"),
        }
    }
}

/// Derives the flows each workload needs from the model's own evidence,
/// with the reason for each: the databases its stacks create or whose
/// groups admit it, the APIs it calls, and the internet.
pub fn derive_flows(net: &Network) -> Vec<Flow> {
    use crate::model::graph::{Element, Relation, ResourceGraph};
    let graph = ResourceGraph::build(net);
    let mut out = Vec::new();
    for (wi, w) in net.workloads.iter().enumerate() {
        let wsgs: &[SgId] = match &w.egress {
            Egress::Enis(e) => &e.sgs,
            Egress::Managed(_) => &[],
        };
        for (di, d) in net.databases.iter().enumerate() {
            let own = d.owner == Owner::Workload(w.name.clone());
            let admits = d.sgs.iter().any(|g| {
                graph
                    .targets(Element::Sg(*g), Relation::AdmitsFrom)
                    .iter()
                    .any(|e| matches!(e, Element::Sg(p) if wsgs.contains(p)))
            });
            let referenced = w.db_refs.iter().find(|r| r.db == DbId(di));
            if !own && !admits && referenced.is_none() {
                continue;
            }
            let reason = if own {
                format!(
                    "the workload's addons create the {} cluster {}",
                    d.engine, d.name
                )
            } else if admits {
                format!("the security group of database {} admits one of the workload's security groups", d.name)
            } else {
                referenced.map(|r| r.reason.clone()).unwrap_or_default()
            };
            out.push(Flow {
                source: Source::Workload(wi),
                service: w.name.clone(),
                target: Target::Database {
                    db: DbId(di),
                    name: d.name.clone(),
                    engine: d.engine.clone(),
                },
                port: d.port,
                needed: true,
                isolation: false,
                reason,
                needed_for: vec![Purpose::Application],
            });
        }
        // One flow per API, whatever needs it (the task's start, the
        // application), its reason naming each.
        let mut apis: Vec<(&AwsService, Vec<&ApiUse>)> = Vec::new();
        for api in &w.api_uses {
            match apis.iter_mut().find(|(s, _)| *s == &api.service) {
                Some((_, uses)) => uses.push(api),
                None => apis.push((&api.service, vec![api])),
            }
        }
        for (service, uses) in apis {
            let mut needed_for: Vec<Purpose> = uses.iter().map(|u| u.purpose).collect();
            needed_for.sort();
            needed_for.dedup();
            out.push(Flow {
                source: Source::Workload(wi),
                service: w.name.clone(),
                target: Target::AwsService(service.clone()),
                port: 443,
                needed: true,
                isolation: false,
                reason: uses
                    .iter()
                    .map(|u| u.reason.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                needed_for,
            });
        }
        // the other workloads it calls, each on the port it is reached on
        for p in &w.peer_uses {
            let Some(server) = net.workloads.get(p.workload) else {
                continue;
            };
            out.push(Flow {
                source: Source::Workload(wi),
                service: w.name.clone(),
                target: Target::Workload {
                    workload: p.workload,
                    name: server.name.clone(),
                },
                port: p.port,
                needed: true,
                isolation: false,
                reason: p.reason.clone(),
                needed_for: vec![Purpose::Application],
            });
        }
        for u in &w.fs_uses {
            let name = match &u.fs {
                Ok(i) => net.file_systems[*i].name.clone(),
                Err(m) => m.text.clone(),
            };
            out.push(Flow {
                source: Source::Workload(wi),
                service: w.name.clone(),
                target: Target::FileSystem {
                    fs: u.fs.clone(),
                    name,
                },
                port: 2049,
                needed: true,
                isolation: false,
                reason: u.reason.clone(),
                needed_for: vec![Purpose::TaskStart],
            });
        }
        // Secrets Manager for every workload with egress, so an operator can
        // always ask; informational unless evidence made it needed.
        let has_secrets_manager = w
            .api_uses
            .iter()
            .any(|u| u.service == AwsService::SecretsManager);
        if !has_secrets_manager {
            out.push(Flow {
                source: Source::Workload(wi),
                service: w.name.clone(),
                target: Target::AwsService(AwsService::SecretsManager),
                port: 443,
                needed: false,
                isolation: false,
                reason: "every workload with egress is checked for Secrets Manager (tcp/443); informational: nothing shows the workload calls it".into(),
                needed_for: vec![],
            });
        }
        let (needed, reason, needed_for) = match &w.needs_internet {
            Some(u) => (true, u.reason.clone(), vec![u.purpose]),
            None => (
                false,
                "every workload with egress is checked for the internet (tcp/443 to a public address); informational".into(),
                vec![],
            ),
        };
        out.push(Flow {
            source: Source::Workload(wi),
            service: w.name.clone(),
            target: Target::Internet,
            port: 443,
            needed,
            isolation: false,
            reason,
            needed_for,
        });
        inbound_to(net, wi, &mut out);
    }
    from_the_internet(net, &mut out);
    exposures(net, &mut out);
    out
}

/// What must never be reachable, checked by default: every data store
/// from the internet, and the tasks a load balancer forwards to, when they
/// have public addresses, from the internet on the ports it forwards to
/// (reached directly, bypassing the load balancer and what it filters).
fn exposures(net: &Network, out: &mut Vec<Flow>) {
    for (di, d) in net.databases.iter().enumerate() {
        let service = match &d.owner {
            Owner::Workload(w) => w.clone(),
            _ => d.name.clone(),
        };
        out.push(Flow {
            source: Source::Internet,
            service,
            target: Target::Database {
                db: DbId(di),
                name: d.name.clone(),
                engine: d.engine.clone(),
            },
            port: d.port,
            needed: false,
            isolation: true,
            reason: "a data store must never be reachable from the internet; checked for every data store".into(),
            needed_for: vec![],
        });
    }
    for (wi, w) in net.workloads.iter().enumerate() {
        let Egress::Enis(e) = &w.egress else {
            continue;
        };
        if !e.public_ip {
            continue;
        }
        let mut ports: Vec<u16> = w.lb_targets.iter().map(|t| t.port).collect();
        ports.sort_unstable();
        ports.dedup();
        for port in ports {
            out.push(Flow {
                source: Source::Internet,
                service: w.name.clone(),
                target: Target::Workload {
                    workload: wi,
                    name: w.name.clone(),
                },
                port,
                needed: false,
                isolation: true,
                reason: format!(
                    "the tasks have public addresses and a load balancer forwards to them on port {port}: no address should reach them there but through the load balancer"
                ),
                needed_for: vec![],
            });
        }
    }
}

/// Whom an internet-facing load balancer's groups admit on `port`: the
/// blocks its rules name (`source_ips`), else any address (a rule open
/// to 0.0.0.0/0, a peer unknown offline, a load balancer without groups
/// or with groups not in the inputs).
fn clients(net: &Network, lb: &LoadBalancer, port: u16) -> Vec<Source> {
    let mut blocks: Vec<Cidr> = Vec::new();
    let mut anyone = lb.sgs.is_empty() || !lb.unknown_sgs.is_empty();
    for r in lb.sgs.iter().flat_map(|g| &net.sg(*g).ingress) {
        let tcp = matches!(r.proto, Proto::All) || r.proto == Proto::TCP;
        if !(tcp && r.ports.0 <= port && port <= r.ports.1) {
            continue;
        }
        match &r.peer {
            Peer::Cidr(c) if c.len == 0 => anyone = true,
            Peer::Cidr(c) => blocks.push(*c),
            Peer::Unknown(_) => anyone = true,
            Peer::Sg(_) => {}
        }
    }
    // no rule admits anyone on the port: the internet, refused
    if anyone || blocks.is_empty() {
        return vec![Source::Internet];
    }
    blocks.sort();
    blocks.dedup();
    blocks.into_iter().map(Source::Cidr).collect()
}

/// What reaches a workload's tasks: each load balancer that forwards to
/// them, on the target port and on a health-check port of its own. Both
/// are needed: without them the service gets no requests, and its tasks
/// fail their health checks and are replaced.
fn inbound_to(net: &Network, wi: usize, out: &mut Vec<Flow>) {
    let w = &net.workloads[wi];
    // one flow per (load balancer, port): a health-check port that is
    // another rule's target port is that flow
    let mut seen: Vec<(usize, u16)> = Vec::new();
    for t in &w.lb_targets {
        let Some(lb) = net.load_balancers.get(t.lb) else {
            continue;
        };
        let source = Source::LoadBalancer {
            lb: t.lb,
            name: lb.name.clone(),
        };
        let target = Target::Workload {
            workload: wi,
            name: w.name.clone(),
        };
        let checks_here = if t.health_check.is_none() {
            " and checks their health there"
        } else {
            ""
        };
        if seen.contains(&(t.lb, t.port)) {
            continue;
        }
        seen.push((t.lb, t.port));
        out.push(Flow {
            source: source.clone(),
            service: w.name.clone(),
            target: target.clone(),
            port: t.port,
            needed: true,
            isolation: false,
            reason: format!(
                "load balancer {} forwards requests to the workload's tasks on port {}{checks_here}",
                lb.name, t.port
            ),
            needed_for: vec![Purpose::Application],
        });
        if let Some((port, _)) = &t.health_check {
            if seen.contains(&(t.lb, *port)) {
                continue;
            }
            seen.push((t.lb, *port));
            out.push(Flow {
                source,
                service: w.name.clone(),
                target,
                port: *port,
                needed: true,
                isolation: false,
                reason: format!(
                    "load balancer {} checks the health of the workload's tasks on port {port}, and replaces tasks that fail",
                    lb.name
                ),
                needed_for: vec![Purpose::Application],
            });
        }
    }
}

/// The internet to each listener of an internet-facing load balancer:
/// informational (who may reach a public service is the owner's choice),
/// so an operator sees whether clients get in.
fn from_the_internet(net: &Network, out: &mut Vec<Flow>) {
    for (i, lb) in net.load_balancers.iter().enumerate() {
        if !lb.internet_facing || lb.scheme_unknown.is_some() {
            continue;
        }
        // flows are TCP: a UDP listener gets none
        for l in lb
            .listeners
            .iter()
            .filter(|l| !l.protocol.eq_ignore_ascii_case("udp"))
        {
            for source in clients(net, lb, l.port) {
                let whom = match &source {
                    Source::Cidr(c) => format!(", and its security group admits {c} there"),
                    _ => String::new(),
                };
                out.push(Flow {
                    source,
                    service: lb.name.clone(),
                    target: Target::LoadBalancer {
                        lb: i,
                        name: lb.name.clone(),
                    },
                    port: l.port,
                    needed: false,
                    isolation: false,
                    reason: format!(
                        "internet-facing load balancer {} listens on port {}{whom}; informational: who may reach it is the owner's choice",
                        lb.name, l.port
                    ),
                    needed_for: vec![],
                });
            }
        }
    }
}

#[cfg(test)]
mod target_name_tests {
    use super::*;

    #[test]
    fn every_name_parses_once_and_unknown_ones_get_the_nearest() {
        assert_eq!(TargetName::parse("db"), Ok(TargetName::Database(None)));
        assert_eq!(
            TargetName::parse("database:AppDb"),
            Ok(TargetName::Database(Some("AppDb".into())))
        );
        assert_eq!(TargetName::parse("efs"), Ok(TargetName::FileSystem(None)));
        assert_eq!(
            TargetName::parse("ecr.dkr"),
            Ok(TargetName::AwsService(AwsService::EcrDkr))
        );
        let e = TargetName::parse("file-sytem").unwrap_err();
        assert_eq!(e.suggestion.as_deref(), Some("file-system"));
        let e = TargetName::parse("datbase:AppDb").unwrap_err();
        assert_eq!(e.suggestion.as_deref(), Some("database:AppDb"));
        assert!(TargetName::parse("kms").is_err());
        assert!(TargetName::parse("database:").is_err());
    }
}
