//! Flows and their proofs. For every (source subnet, destination subnet)
//! placement the packets of a flow are pushed as sets through each hop;
//! a placement is yes (witness), no (blockers) or unknown (missing facts),
//! and the verdict aggregates the placements (DESIGN.md section 4).

pub mod hops;
pub mod packets;

use crate::model::*;
use hops::*;
use packets::{PacketSet, SRC};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TargetKind {
    AwsService,
    Database,
    Internet,
}

impl TargetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Database => "database",
            TargetKind::Internet => "internet",
            TargetKind::AwsService => "aws-service",
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
}

/// Why a flow was derived, and which workload needs it.
#[derive(Debug, Clone)]
pub struct Flow {
    pub workload: usize,
    pub service: String,
    pub target: Target,
    pub port: u16,
    pub needed: bool,
    pub reason: String,
}

impl Flow {
    pub fn kind(&self) -> TargetKind {
        match self.target {
            Target::Database { .. } => TargetKind::Database,
            Target::Internet => TargetKind::Internet,
            Target::AwsService(_) => TargetKind::AwsService,
        }
    }

    /// The database's logical id or the API's name; None for the internet.
    pub fn target_name(&self) -> Option<&str> {
        match &self.target {
            Target::Database { name, .. } => Some(name),
            Target::Internet => None,
            Target::AwsService(s) => Some(s.name()),
        }
    }

    pub fn engine(&self) -> Option<&str> {
        match &self.target {
            Target::Database { engine, .. } => Some(engine),
            _ => None,
        }
    }

    fn database(&self) -> Option<DbId> {
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
        }
    }
}

macro_rules! blocker_codes {
    ($( $id:ident = $code:literal, )*) => {
        /// Why a hop blocks, by Reachability Analyzer's explanation codes
        /// where one fits (`rules/codes.md` lists each).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum BlockerCode { $( $id, )* }

        impl BlockerCode {
            pub const ALL: &'static [BlockerCode] = &[ $( BlockerCode::$id, )* ];

            pub fn as_str(self) -> &'static str {
                match self { $( BlockerCode::$id => $code, )* }
            }
        }
    };
}

blocker_codes! {
    EniSgRulesMismatch = "ENI_SG_RULES_MISMATCH",
    SubnetAclRestriction = "SUBNET_ACL_RESTRICTION",
    NoRouteToDestination = "NO_ROUTE_TO_DESTINATION",
    IgwPublicIpAssociationForEgress = "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
    DisconnectedVpcs = "DISCONNECTED_VPCS",
    NoVpcConnector = "NO_VPC_CONNECTOR",
    UnknownFact = "UNKNOWN_FACT",
    PartialMatch = "PARTIAL_MATCH",
    NoPath = "NO_PATH",
    NoDestinationEni = "NO_DESTINATION_ENI",
    NoSourceEni = "NO_SOURCE_ENI",
}

impl std::fmt::Display for BlockerCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What would remove a blocker, in model terms. The verifier never words
/// it for an input format: the front door that knows the input (a manifest
/// key, a template property) adds the advice to the blocker's reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remedy {
    /// Give the workload ENIs in the VPC (its egress is managed outside).
    AttachToVpc,
    /// The ENIs have no public IP: send from subnets routed through a NAT
    /// gateway.
    RouteThroughNat,
    /// A rule of the destination's group names the workload's group on
    /// other ports: set its port range to the port.
    SetRulePort { port: u16 },
    /// No rule admits the workload: add one for the port from its group.
    AddIngressFromWorkload { port: u16 },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hop {
    pub component: Component,
    pub id: String,
    pub detail: String,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Blocker {
    pub code: BlockerCode,
    pub component: Component,
    pub id: String,
    /// What blocks (advice, once a front door adds it, follows).
    pub reason: String,
    pub remedy: Option<Remedy>,
    pub origin: Origin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Reachable,
    Unreachable,
    Partial,
    Unknown,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Reachable => "reachable",
            Verdict::Unreachable => "unreachable",
            Verdict::Partial => "partial",
            Verdict::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlacementName {
    pub source_subnet: String,
    pub destination_subnet: Option<String>,
}

#[derive(Debug, Clone)]
pub struct FlowResult {
    pub flow: Flow,
    pub verdict: Verdict,
    pub path: Vec<Hop>,
    pub blockers: Vec<Blocker>,
    pub missing: Vec<Missing>,
    pub placements_checked: usize,
    pub failing: Vec<PlacementName>,
    /// A concrete packet that does not get through (unreachable, partial).
    pub counterexample: Option<String>,
}

/// The answer for one placement.
#[derive(Debug, Clone)]
enum Pair {
    Yes(Vec<Hop>),
    No(Vec<Blocker>),
    Unknown(Vec<Missing>, Vec<Blocker>),
}

fn hop(component: Component, id: &str, detail: String, origin: &Origin) -> Hop {
    Hop {
        component,
        id: id.into(),
        detail,
        origin: origin.clone(),
    }
}

fn blocker(
    code: BlockerCode,
    component: Component,
    id: &str,
    reason: String,
    origin: &Origin,
) -> Blocker {
    Blocker {
        code,
        component,
        id: id.into(),
        reason,
        remedy: None,
        origin: origin.clone(),
    }
}

/// The one entry every front door calls: proves each flow over the
/// network, sorted by (service, target kind, target name).
///
/// ```
/// use reachlint::model::*;
/// use reachlint::verify::{analyze, derive_flows, Verdict};
///
/// // A VPC with one subnet whose route table has only the local route, an
/// // ECS task in it, and nothing else: the internet is unreachable.
/// let mut net = Network::default();
/// net.route_tables.push(RouteTable {
///     name: "Main".into(),
///     vpc: Some(VpcId(0)),
///     routes: vec![Route {
///         dest: "10.0.0.0/16".parse().unwrap(),
///         target: RouteTarget::Local,
///         origin: Origin::default(),
///     }],
///     incomplete: None,
///     origin: Origin::default(),
/// });
/// net.acls.push(NetworkAcl {
///     name: "Default".into(),
///     vpc: Some(VpcId(0)),
///     entries: vec![
///         AclEntry::everything(false, Action::Allow, Origin::default(), None),
///         AclEntry::everything(true, Action::Allow, Origin::default(), None),
///     ],
///     origin: Origin::default(),
/// });
/// net.vpcs.push(Vpc {
///     name: "Vpc".into(),
///     cidr: "10.0.0.0/16".parse().ok(),
///     main_route_table: RouteTableId(0),
///     default_acl: AclId(0),
///     fully_known: true,
///     origin: Origin::default(),
/// });
/// net.subnets.push(Subnet {
///     name: "Private".into(),
///     vpc: Some(VpcId(0)),
///     cidr: "10.0.1.0/24".parse().ok(),
///     az: Az::Index(0),
///     route_table: None,
///     acl: None,
///     map_public_ip: false,
///     origin: Origin::default(),
///     rt_origin: None,
/// });
/// net.sgs.push(SecurityGroup {
///     name: "TaskSg".into(),
///     vpc: Some(VpcId(0)),
///     ingress: vec![],
///     egress: vec![SgRule {
///         proto: Proto::All,
///         ports: (0, 65535),
///         peer: Peer::Cidr(Cidr::ANY),
///         origin: Origin::default(),
///         unknown_origin: None,
///         text: "egress all".into(),
///     }],
///     opaque: None,
///     origin: Origin::default(),
/// });
/// net.workloads.push(Workload {
///     name: "api".into(),
///     kind: WorkloadKind::EcsService,
///     egress: Egress::Enis(Enis {
///         component: Component::EcsTask,
///         name: "api tasks".into(),
///         subnets: SubnetSet::Known(vec![SubnetId(0)]),
///         sgs: vec![SgId(0)],
///         unknown_sgs: vec![],
///         public_ip: false,
///         client: ClientKind::FargateLinux,
///         origin: Origin::default(),
///     }),
///     fallback: None,
///     api_uses: vec![],
///     origin: Origin::default(),
/// });
/// let results = analyze(&net, &derive_flows(&net));
/// assert_eq!(results.len(), 1);
/// assert_eq!(results[0].verdict, Verdict::Unreachable);
/// assert_eq!(results[0].blockers[0].code.as_str(), "NO_ROUTE_TO_DESTINATION");
/// ```
pub fn analyze(net: &Network, flows: &[Flow]) -> Vec<FlowResult> {
    let mut out: Vec<FlowResult> = flows.iter().map(|f| verify(net, f)).collect();
    out.sort_by(|a, b| {
        (a.flow.service.as_str(), a.flow.kind(), a.flow.target_name()).cmp(&(
            b.flow.service.as_str(),
            b.flow.kind(),
            b.flow.target_name(),
        ))
    });
    out
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
            if !own && !admits {
                continue;
            }
            let reason = if own {
                format!(
                    "the workload's addons create the {} cluster {}",
                    d.engine, d.name
                )
            } else {
                format!("the security group of database {} admits one of the workload's security groups", d.name)
            };
            out.push(Flow {
                workload: wi,
                service: w.name.clone(),
                target: Target::Database {
                    db: DbId(di),
                    name: d.name.clone(),
                    engine: d.engine.clone(),
                },
                port: d.port,
                needed: true,
                reason,
            });
        }
        for api in &w.api_uses {
            out.push(Flow {
                workload: wi,
                service: w.name.clone(),
                target: Target::AwsService(api.service.clone()),
                port: 443,
                needed: true,
                reason: api.reason.clone(),
            });
        }
        out.push(Flow {
            workload: wi,
            service: w.name.clone(),
            target: Target::Internet,
            port: 443,
            needed: false,
            reason: "every workload with egress is checked for the internet (tcp/443 to a public address); informational".into(),
        });
    }
    out
}

/// Subnets a set may stand for, or why it cannot be enumerated.
fn enumerate(net: &Network, s: &SubnetSet) -> Result<(Vec<SubnetId>, Option<Missing>), Missing> {
    match s {
        SubnetSet::Known(l) => Ok((l.clone(), None)),
        SubnetSet::Unknown {
            what,
            within: Some(v),
        } if net.vpcs[v.0].fully_known => Ok((net.subnets_of(*v), Some(what.clone()))),
        SubnetSet::Unknown { what, .. } => Err(what.clone()),
    }
}

/// A workload whose egress the provider manages outside every VPC: public
/// destinations are reachable; a database only when it is publicly
/// accessible and admits public addresses, which are not known offline.
fn managed_egress(
    net: &Network,
    flow: &Flow,
    workload: &str,
    m: &ManagedEgress,
    res: &mut FlowResult,
) {
    let provider = &m.provider;
    res.placements_checked = 1;
    res.path
        .push(hop(m.hop, workload, m.detail.clone(), &m.origin));
    let Some(db) = flow.database() else {
        res.verdict = Verdict::Reachable;
        res.path.push(hop(
            Component::Internet,
            "internet",
            format!("tcp/{} to a public address", flow.port),
            &Origin::default(),
        ));
        return;
    };
    let db = net.databases.get(db.0);
    if let Some(d) = db.filter(|d| d.publicly_accessible && !d.serverless_v1) {
        let from_public = public_ipv4().reversed().intersect(&PacketSet::of(
            packets::Cube::full().with(packets::PROTO, 6, 6).with(
                packets::DPORT,
                u32::from(flow.port),
                u32::from(flow.port),
            ),
        ));
        let f = sg_filter(net, &d.sgs, &d.unknown_sgs, false, &[], &from_public);
        if !f.pass.is_empty() || !f.maybe.is_empty() || d.port_unknown.is_some() {
            res.verdict = Verdict::Unknown;
            res.missing.push(Missing::new(Fact::ManagedEgressAddresses, format!("{provider}'s managed egress addresses (the database is or may be publicly accessible and its security groups admit, or may admit, public addresses on its port)")).with_origin(m.origin.clone()));
            let (text, origin) = f
                .matched
                .first()
                .cloned()
                .or_else(|| f.why.first().map(|m| (m.text.clone(), m.origin.clone())))
                .unwrap_or_else(|| (d.name.clone(), d.origin.clone()));
            res.blockers.push(blocker(
                BlockerCode::UnknownFact,
                Component::SecurityGroup,
                &d.name,
                format!("depends on whether {text} covers {provider}'s egress addresses"),
                &origin,
            ));
            return;
        }
    }
    res.verdict = Verdict::Unreachable;
    let why = match db {
        Some(d) if d.serverless_v1 => "Aurora Serverless v1 is reachable only inside its VPC",
        Some(d) if d.publicly_accessible => "the database is publicly accessible but no ingress rule admits public addresses on its port",
        _ => "the database is reachable only inside the VPC",
    };
    let mut b = blocker(
        BlockerCode::NoVpcConnector,
        m.owner,
        workload,
        format!("{why}, and {}", m.lacks),
        &m.origin,
    );
    b.remedy = Some(Remedy::AttachToVpc);
    res.blockers.push(b);
    res.failing.push(PlacementName {
        source_subnet: m.hop.as_str().into(),
        destination_subnet: None,
    });
    res.counterexample = Some(format!(
        "tcp from {provider}'s managed network to {} on {}",
        flow.target_name().unwrap_or_default(),
        if flow.port == 0 {
            "any port".to_string()
        } else {
            format!("port {}", flow.port)
        }
    ));
}

/// Proves one flow (every door goes through [`analyze`]).
fn verify(net: &Network, flow: &Flow) -> FlowResult {
    let w = &net.workloads[flow.workload];
    // The ENIs may not exist: both worlds must agree.
    if let (Some((why, managed)), Egress::Enis(_)) = (&w.fallback, &w.egress) {
        let mut alt = net.clone();
        alt.workloads[flow.workload].fallback = None;
        let with_enis = verify(&alt, flow);
        alt.workloads[flow.workload].egress = Egress::Managed(managed.clone());
        let without = verify(&alt, flow);
        if with_enis.verdict == without.verdict {
            return with_enis;
        }
        let mut res = with_enis;
        res.verdict = Verdict::Unknown;
        res.missing.push(why.clone());
        for b in without.blockers {
            if !res.blockers.contains(&b) {
                res.blockers.push(b);
            }
        }
        res.failing.clear();
        res.counterexample = None;
        if res.path.is_empty() {
            res.path = without.path;
        }
        return res;
    }
    let mut res = FlowResult {
        flow: flow.clone(),
        verdict: Verdict::Unknown,
        path: vec![],
        blockers: vec![],
        missing: vec![],
        placements_checked: 0,
        failing: vec![],
        counterexample: None,
    };
    let enis = match &w.egress {
        Egress::Managed(m) => {
            managed_egress(net, flow, &w.name, m, &mut res);
            return res;
        }
        Egress::Enis(e) => e,
    };
    let Enis {
        component,
        name,
        subnets,
        sgs,
        unknown_sgs,
        public_ip,
        client,
        origin: src_origin,
    } = enis;
    let (component, public_ip, client) = (*component, *public_ip, *client);
    if let Some(why) = flow
        .database()
        .and_then(|d| net.databases.get(d.0))
        .and_then(|d| d.port_unknown.clone())
    {
        res.missing.push(why);
        return res;
    }
    let src = match enumerate(net, subnets) {
        Ok(x) => x,
        Err(what) => {
            res.missing.push(what);
            return res;
        }
    };
    if src.0.is_empty() {
        res.verdict = Verdict::Unreachable;
        res.blockers.push(blocker(
            BlockerCode::NoSourceEni,
            component,
            name,
            "the workload has no network interface in any subnet".into(),
            src_origin,
        ));
        return res;
    }
    // Destinations.
    let dests: Vec<Option<SubnetId>>;
    let mut dst_missing = None;
    let mut endpoint = None;
    let database = flow.database().and_then(|i| net.databases.get(i.0));
    match &flow.target {
        Target::Database { .. } => {
            let Some(d) = database else {
                res.missing.push(Missing::other("the database of the flow"));
                return res;
            };
            match enumerate(net, &d.subnets) {
                Ok((l, m)) => {
                    dests = l.into_iter().map(Some).collect();
                    dst_missing = m;
                }
                Err(what) => {
                    res.missing.push(what);
                    return res;
                }
            }
        }
        Target::AwsService(svc) => {
            let vpc = src.0.first().and_then(|s| net.subnet(*s).vpc);
            // endpoints of the source's VPC, or whose VPC is unknown offline
            let in_vpc = || {
                net.endpoints
                    .iter()
                    .filter(|e| e.vpc == vpc || e.vpc.is_none())
            };
            endpoint = in_vpc().find(|e| {
                e.vpc == vpc && e.service.as_ref() == Some(svc) && e.private_dns == Some(true)
            });
            // An endpoint that may serve the service with private DNS would
            // capture the traffic: the answer then depends on it.
            if endpoint.is_none() {
                if let Some(e) = in_vpc().find(|e| {
                    e.service.as_ref().is_none_or(|x| x == svc) && e.private_dns != Some(false)
                }) {
                    res.missing.push(Missing::other(format!(
                        "whether interface endpoint {} serves {svc} with private DNS (its {} is unknown offline)",
                        e.name,
                        if e.service.is_none() {
                            "service name"
                        } else if e.vpc.is_none() {
                            "VPC"
                        } else {
                            "PrivateDnsEnabled, or its existence"
                        }
                    )).with_origin(e.origin.clone()));
                    res.blockers.push(blocker(
                        BlockerCode::UnknownFact,
                        Component::VpcEndpoint,
                        &e.name,
                        format!("depends on whether {} captures {svc} traffic", e.name),
                        &e.origin,
                    ));
                    return res;
                }
            }
            match endpoint {
                Some(e) => match enumerate(net, &e.subnets) {
                    Ok((l, m)) => {
                        dests = l.into_iter().map(Some).collect();
                        dst_missing = m;
                    }
                    Err(what) => {
                        res.missing.push(what);
                        return res;
                    }
                },
                None => dests = vec![None],
            }
        }
        Target::Internet => dests = vec![None],
    }
    if dests.is_empty() {
        res.verdict = Verdict::Unreachable;
        let (id, origin) = match (database, endpoint) {
            (Some(d), _) => (d.name.clone(), d.origin.clone()),
            (None, Some(e)) => (e.name.clone(), e.origin.clone()),
            (None, None) => (
                flow.target_name().unwrap_or_default().to_string(),
                Origin::default(),
            ),
        };
        res.blockers.push(blocker(
            BlockerCode::NoDestinationEni,
            match (endpoint, flow.kind()) {
                (Some(_), _) => Component::VpcEndpoint,
                (None, TargetKind::Database) => Component::Database,
                (None, TargetKind::Internet) => Component::Internet,
                (None, TargetKind::AwsService) => Component::AwsService,
            },
            &id,
            format!("{id} has no network interface in any subnet (its subnet list is empty)"),
            &origin,
        ));
        return res;
    }
    let mut pairs = Vec::new();
    for s in &src.0 {
        for d in &dests {
            let ctx = Ctx {
                net,
                flow,
                sgs,
                unknown_sgs,
                public_ip,
                client,
                component,
                conn: name,
                conn_origin: src_origin,
                all_src: &src.0,
            };
            let p = match (d, database, endpoint) {
                (Some(d), Some(db), _) => ctx.to_eni(
                    *s,
                    *d,
                    &db.sgs,
                    &db.unknown_sgs,
                    Component::Database,
                    &db.name,
                    &db.origin,
                    &db_note(net, db, *d),
                ),
                (Some(d), None, Some(e)) => ctx.to_eni(
                    *s,
                    *d,
                    &e.sgs,
                    &e.unknown_sgs,
                    Component::VpcEndpoint,
                    &e.name,
                    &e.origin,
                    "",
                ),
                _ => ctx.to_internet(*s),
            };
            pairs.push((*s, *d, p));
        }
    }
    res.placements_checked = pairs.len();
    aggregate(net, &mut res, pairs, src.1, dst_missing, client);
    res
}

fn aggregate(
    net: &Network,
    res: &mut FlowResult,
    pairs: Vec<(SubnetId, Option<SubnetId>, Pair)>,
    src_fact: Option<Missing>,
    dst_fact: Option<Missing>,
    client: ClientKind,
) {
    let yes = pairs.iter().filter(|p| matches!(p.2, Pair::Yes(_))).count();
    let no = pairs.iter().filter(|p| matches!(p.2, Pair::No(_))).count();
    let unknown = pairs.len() - yes - no;
    let name = |s: SubnetId| net.subnet(s).name.clone();
    let representative = pairs
        .iter()
        .position(|(s, d, p)| matches!(p, Pair::Yes(_)) && d.is_some_and(|d| d != *s))
        .or_else(|| pairs.iter().position(|(_, _, p)| matches!(p, Pair::Yes(_))));
    for (i, (s, d, p)) in pairs.iter().enumerate() {
        match p {
            Pair::Yes(path) => {
                if Some(i) == representative {
                    res.path = path.clone();
                }
            }
            Pair::No(b) | Pair::Unknown(_, b) => {
                for x in b {
                    if !res.blockers.contains(x) {
                        res.blockers.push(x.clone());
                    }
                }
                if let Pair::Unknown(m, _) = p {
                    for x in m {
                        if !res.missing.contains(x) {
                            res.missing.push(x.clone());
                        }
                    }
                }
                if matches!(p, Pair::No(_)) {
                    res.failing.push(PlacementName {
                        source_subnet: name(*s),
                        destination_subnet: d.map(name),
                    });
                    if res.counterexample.is_none() {
                        res.counterexample =
                            Some(counterexample(net, res.flow.port, client, *s, *d));
                    }
                }
            }
        }
    }
    res.verdict = if unknown > 0 {
        Verdict::Unknown
    } else if no == 0 {
        Verdict::Reachable
    } else if yes == 0 {
        Verdict::Unreachable
    } else {
        Verdict::Partial
    };
    // A closed-world enumeration over an unknown subnet set only decides the
    // flow when every possibility agrees.
    for fact in [src_fact, dst_fact].into_iter().flatten() {
        if res.verdict == Verdict::Partial {
            res.verdict = Verdict::Unknown;
            res.missing.push(fact);
        }
    }
    if res.verdict != Verdict::Partial && res.verdict != Verdict::Unreachable {
        res.failing.clear();
        res.counterexample = None;
    }
    if res.verdict == Verdict::Reachable {
        res.blockers.clear();
    }
}

struct Ctx<'a> {
    net: &'a Network,
    flow: &'a Flow,
    sgs: &'a [SgId],
    unknown_sgs: &'a [Missing],
    public_ip: bool,
    client: ClientKind,
    component: Component,
    conn: &'a str,
    conn_origin: &'a Origin,
    all_src: &'a [SubnetId],
}

/// One step of a path: a filter with its identity.
struct Step<'a> {
    component: Component,
    id: String,
    code: BlockerCode,
    what: String,
    origin: Origin,
    filter: Box<dyn Fn(&PacketSet) -> Filter + 'a>,
}

impl Step<'_> {
    /// The blocker this step is when it lets nothing through.
    fn blocker(&self) -> Blocker {
        let mut b = blocker(
            self.code,
            self.component,
            &self.id,
            self.what.clone(),
            &self.origin,
        );
        if self.code == BlockerCode::IgwPublicIpAssociationForEgress {
            b.remedy = Some(Remedy::RouteThroughNat);
        }
        b
    }
}

/// Runs steps sequentially on `input`; collects every blocking step.
fn run_steps(steps: &[Step], input: &PacketSet, mut path: Vec<Hop>, client: ClientKind) -> Pair {
    let (lo, hi) = client.ephemeral();
    let mut def = input.clone();
    let mut maybe = PacketSet::empty();
    let mut missing: Vec<Missing> = Vec::new();
    let mut blockers: Vec<Blocker> = Vec::new();
    let mut partial = Vec::new();
    let mut unknown_at: Vec<Blocker> = Vec::new();
    for st in steps {
        // Independent check on the whole flow: every blocker, not the first.
        let alone = (st.filter)(input);
        let alone_ok = alone.pass.union(&alone.maybe);
        if input.intersect(&alone_ok).is_empty() {
            blockers.push(st.blocker());
        }
        let cur = def.union(&maybe);
        let f = (st.filter)(&cur);
        let may = f.maybe.subtract(&f.pass);
        let new_def = def.intersect(&f.pass);
        let new_maybe = maybe
            .intersect(&f.pass.union(&may))
            .union(&def.intersect(&may));
        if !cur.is_empty()
            && !cur.subset_of(&f.pass.union(&may))
            && !cur.intersect(&f.pass.union(&may)).is_empty()
        {
            partial.push(blocker(
                BlockerCode::PartialMatch,
                st.component,
                &st.id,
                format!("{} (only part of the packets pass: which depends on the client's source port or the address in use; allow the whole ephemeral range {lo}-{hi})", st.what),
                &st.origin,
            ));
        }
        if !cur.intersect(&may).is_empty() {
            for w in &f.why {
                if !missing.contains(w) {
                    missing.push(w.clone());
                }
                let b = blocker(
                    BlockerCode::UnknownFact,
                    st.component,
                    &st.id,
                    format!("depends on {w}"),
                    &w.origin,
                );
                if !unknown_at.contains(&b) {
                    unknown_at.push(b);
                }
            }
        }
        if !cur.is_empty()
            && new_def.union(&new_maybe).is_empty()
            && !blockers
                .iter()
                .any(|b| b.id == st.id && b.component == st.component)
        {
            blockers.push(st.blocker());
        }
        let (detail, origin) = match f.matched.first() {
            Some((_, o)) => (
                {
                    let mut texts: Vec<String> = Vec::new();
                    for m in &f.matched {
                        if !texts.contains(&m.0) {
                            texts.push(m.0.clone());
                        }
                    }
                    texts.join("; ")
                },
                o.clone(),
            ),
            None => (st.what.clone(), st.origin.clone()),
        };
        path.push(Hop {
            component: st.component,
            id: st.id.clone(),
            detail,
            origin,
        });
        def = new_def;
        maybe = new_maybe;
    }
    if !blockers.is_empty() {
        return Pair::No(blockers);
    }
    if def.subset_of(input) && input.subset_of(&def) {
        return Pair::Yes(path);
    }
    if def.union(&maybe).is_empty() {
        // Each hop let part through, together nothing: name the hops by
        // their own codes.
        let codes: std::collections::HashMap<&str, BlockerCode> =
            steps.iter().map(|s| (s.id.as_str(), s.code)).collect();
        return Pair::No(
            partial
                .into_iter()
                .map(|mut b| {
                    b.code = codes
                        .get(b.id.as_str())
                        .copied()
                        .unwrap_or(BlockerCode::NoPath);
                    b
                })
                .collect(),
        );
    }
    blockers.extend(partial);
    blockers.extend(unknown_at);
    if missing.is_empty() {
        missing.push(Missing::other(
            "which source port or address the connection uses (a hop admits only part of them)",
        ));
    }
    Pair::Unknown(missing, blockers)
}

/// Applies a filter to the NAT-translated image of each box: a box passes
/// when its whole image does, is dropped when none of it does, and depends
/// on the NAT gateway's address and port otherwise.
fn translated(p: &PacketSet, nat: (u32, u32), inner: &dyn Fn(&PacketSet) -> Filter) -> Filter {
    let mut out = Filter::default();
    let (lo, hi) = ClientKind::NatGateway.ephemeral();
    for c in p.cubes() {
        let image = PacketSet::of(c.with(SRC, nat.0, nat.1).with(
            packets::SPORT,
            u32::from(lo),
            u32::from(hi),
        ));
        let f = inner(&image);
        let box_ = PacketSet::of(*c);
        if image.subset_of(&f.pass) {
            out.pass = out.pass.union(&box_);
            out.matched.extend(f.matched);
        } else if !image.intersect(&f.pass.union(&f.maybe)).is_empty() {
            out.maybe = out.maybe.union(&box_);
            out.why.extend(f.why);
            if out.why.is_empty() {
                out.why.push(Missing::other("the NAT gateway's address and source port (only part of the translated packets pass)"));
            }
        }
    }
    out
}

/// Aggregates the answers for the parts of a destination set.
fn combine(results: Vec<Pair>) -> Pair {
    let all_yes = results.iter().all(|r| matches!(r, Pair::Yes(_)));
    let all_no = results.iter().all(|r| matches!(r, Pair::No(_)));
    let mut blockers: Vec<Blocker> = Vec::new();
    let mut missing: Vec<Missing> = Vec::new();
    let mut witness = None;
    for r in results {
        match r {
            Pair::Yes(p) => {
                witness.get_or_insert(p);
            }
            Pair::No(b) => blockers.extend(b),
            Pair::Unknown(m, b) => {
                missing.extend(m);
                blockers.extend(b);
            }
        }
    }
    let mut uniq: Vec<Blocker> = Vec::new();
    for b in blockers {
        if !uniq.contains(&b) {
            uniq.push(b);
        }
    }
    if all_yes {
        return Pair::Yes(witness.unwrap_or_default());
    }
    if all_no {
        return Pair::No(uniq);
    }
    if missing.is_empty() {
        missing.push(Missing::other(
            "which destination address is used (only some routes lead out)",
        ));
    }
    missing.dedup();
    Pair::Unknown(missing, uniq)
}

/// What the destination hop of a database says about its port and writer.
fn db_note(net: &Network, db: &Database, d: SubnetId) -> String {
    let mut note = String::new();
    if let Some(b) = &db.port_origin.because {
        note.push_str(&format!(" ({b})"));
    }
    if db.serverless_v1 {
        note.push_str(
            "; Aurora Serverless v1: its endpoints sit in the subnets of the DB subnet group",
        );
    }
    if let Some(az) = &db.writer_az {
        let here = &net.subnet(d).az == az;
        note.push_str(&format!(
            "; the writer instance is pinned to {az}{}; failover may move it to any subnet of the group",
            if here { " (this placement)" } else { " (another placement)" }
        ));
    }
    note
}

/// A concrete packet of a failing placement (the first usable host address
/// of each subnet: AWS reserves the first four).
fn counterexample(
    net: &Network,
    port: u16,
    client: ClientKind,
    s: SubnetId,
    d: Option<SubnetId>,
) -> String {
    let host = |x: SubnetId, k: u32| {
        net.subnet(x)
            .cidr
            .map(|c| crate::model::net::fmt_ip(c.first().saturating_add(k).min(c.last())))
            .unwrap_or_else(|| "?".into())
    };
    let dst = match d {
        Some(d) => format!(
            "{}:{port} ({})",
            host(d, if d == s { 5 } else { 4 }),
            net.subnet(d).name
        ),
        None => format!("1.1.1.1:{port} (a public address)"),
    };
    format!(
        "tcp {}:{} ({}) -> {dst}",
        host(s, 4),
        client.ephemeral().0,
        net.subnet(s).name
    )
}

/// Says which leg an ACL decision was about.
fn label(mut f: Filter, leg: &str) -> Filter {
    for m in &mut f.matched {
        m.0 = format!("{} for {leg}", m.0);
    }
    f
}

fn subnet_range(net: &Network, s: SubnetId) -> Option<(u32, u32)> {
    net.subnet(s).cidr.map(|c| cidr_range(&c))
}

impl<'a> Ctx<'a> {
    fn src_hops(&self, s: SubnetId) -> Vec<Hop> {
        let sub = self.net.subnet(s);
        let all: Vec<String> = self
            .all_src
            .iter()
            .map(|x| self.net.subnet(*x).name.clone())
            .collect();
        vec![hop(
            self.component,
            self.conn,
            format!(
                "{} ENIs in {}; this placement: {} ({}, {})",
                self.component,
                all.join(", "),
                sub.name,
                sub.cidr
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| "CIDR unknown".into()),
                sub.az
            ),
            self.conn_origin,
        )]
    }

    fn sg_egress_step(&self, peer_sgs: &'a [SgId]) -> Step<'a> {
        let (net, sgs, unk) = (self.net, self.sgs, self.unknown_sgs);
        let names: Vec<String> = sgs.iter().map(|g| net.sg(*g).name.clone()).collect();
        Step {
            component: Component::SecurityGroup,
            id: names.join(","),
            code: BlockerCode::EniSgRulesMismatch,
            what: format!(
                "no egress rule of {} allows tcp/{} to the destination",
                names.join(" or "),
                self.flow.port
            ),
            origin: sgs
                .first()
                .map(|g| net.sg(*g).origin.clone())
                .unwrap_or_default(),
            filter: Box::new(move |p| sg_filter(net, sgs, unk, true, peer_sgs, p)),
        }
    }

    fn acl_step(&self, s: SubnetId, egress: bool, reply: bool, what: &str) -> Option<Step<'a>> {
        let net = self.net;
        let acl = net.acl_of(s)?;
        let a = net.acl(acl);
        Some(Step {
            component: Component::NetworkAcl,
            id: a.name.clone(),
            code: BlockerCode::SubnetAclRestriction,
            what: format!("{} of {} denies {}", a.name, net.subnet(s).name, what),
            origin: a.origin.clone(),
            filter: {
                let leg = format!("{} ({})", what, net.subnet(s).name);
                if reply {
                    Box::new(move |p| label(on_reply(|q| acl_filter(net, acl, egress, q), p), &leg))
                } else {
                    Box::new(move |p| label(acl_filter(net, acl, egress, p), &leg))
                }
            },
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn to_eni(
        &self,
        s: SubnetId,
        d: SubnetId,
        dsgs: &'a [SgId],
        dunk: &'a [Missing],
        comp: Component,
        dname: &str,
        dorigin: &Origin,
        dest_note: &str,
    ) -> Pair {
        let net = self.net;
        let (Some(sr), Some(dr)) = (subnet_range(net, s), subnet_range(net, d)) else {
            return Pair::Unknown(
                vec![Missing::other(format!(
                    "the CIDR of subnet {} or {}",
                    net.subnet(s).name,
                    net.subnet(d).name
                ))],
                vec![],
            );
        };
        let input = flow_set(sr, dr, self.flow.port, self.client);
        let same = s == d;
        let mut steps = vec![self.sg_egress_step(dsgs)];
        if !same {
            steps.extend(self.acl_step(s, true, false, "the outbound request"));
        }
        // Route from the source subnet.
        let rt = net.route_table_of(s);
        let dvpc = net.subnet(d).vpc;
        let svpc = net.subnet(s).vpc;
        let (rt_name, rt_origin) = match rt {
            Some((t, _)) => (
                net.rt(t).name.clone(),
                net.subnet(s)
                    .rt_origin
                    .clone()
                    .unwrap_or_else(|| net.rt(t).origin.clone()),
            ),
            None => ("no route table".into(), Origin::default()),
        };
        steps.push(Step {
            component: Component::RouteTable,
            id: rt_name.clone(),
            code: if svpc != dvpc {
                BlockerCode::DisconnectedVpcs
            } else {
                BlockerCode::NoRouteToDestination
            },
            what: format!("{rt_name} has no local route to {}", net.subnet(d).name),
            origin: rt_origin.clone(),
            filter: Box::new(move |p| {
                let Some((t, _)) = rt else {
                    return Filter::default();
                };
                route_filter(net, t, p, &|r| {
                    (r.target == RouteTarget::Local && svpc == dvpc)
                        .then(|| format!("local route {} -> local", r.dest))
                })
            }),
        });
        if !same {
            steps.extend(self.acl_step(d, false, false, "the inbound request"));
        }
        let sgs = self.sgs;
        let dnames: Vec<String> = dsgs.iter().map(|g| net.sg(*g).name.clone()).collect();
        let port = self.flow.port;
        steps.push(Step {
            component: Component::SecurityGroup,
            id: dnames.join(","),
            code: BlockerCode::EniSgRulesMismatch,
            what: format!(
                "no ingress rule of {} admits tcp/{port} from the source",
                if dnames.is_empty() {
                    "the destination's groups".to_string()
                } else {
                    dnames.join(" or ")
                }
            ),
            origin: dsgs
                .first()
                .map(|g| net.sg(*g).origin.clone())
                .unwrap_or_else(|| dorigin.clone()),
            filter: Box::new(move |p| sg_filter(net, dsgs, dunk, false, sgs, p)),
        });
        if !same {
            steps.extend(self.acl_step(d, true, true, "the reply"));
            steps.extend(self.acl_step(s, false, true, "the reply"));
        }
        let mut path = self.src_hops(s);
        let mut pair = run_steps(&steps, &input, vec![], self.client);
        let dsub = net.subnet(d);
        let dest_hop = hop(
            comp,
            dname,
            format!(
                "{comp} {dname} ENI in {} ({}, {}), tcp/{port}{dest_note}",
                dsub.name,
                dsub.cidr.map(|c| c.to_string()).unwrap_or_default(),
                dsub.az
            ),
            dorigin,
        );
        // Blocker wording for the destination SG: point at the port when a
        // rule names the right peer but another port.
        if let Pair::No(b) = &mut pair {
            for x in b.iter_mut() {
                if x.code == BlockerCode::EniSgRulesMismatch && x.id == dnames.join(",") {
                    if let Some(r) = dsgs
                        .iter()
                        .flat_map(|g| net.sg(*g).ingress.iter())
                        .find(|r| {
                            matches!(r.peer, Peer::Sg(p) if sgs.contains(&p))
                                && !(r.ports.0 <= port && port <= r.ports.1)
                        })
                    {
                        x.reason = format!("{} admits the workload's group on ports {}-{}, but the database listens on {port}", r.text, r.ports.0, r.ports.1);
                        x.remedy = Some(Remedy::SetRulePort { port });
                        x.origin = r.origin.clone();
                    } else {
                        x.remedy = Some(Remedy::AddIngressFromWorkload { port });
                    }
                }
            }
        }
        if let Pair::Yes(p) = &mut pair {
            path.append(p);
            // The destination ENI right after the hop that admits into it.
            let at = path
                .iter()
                .rposition(|h| h.component == Component::SecurityGroup && h.id == dnames.join(","))
                .map_or(path.len(), |i| i + 1);
            path.insert(at, dest_hop);
            return Pair::Yes(path);
        }
        pair
    }

    /// Request and reply through the source subnet, then each route the
    /// destination addresses take: every (route, part of the destinations)
    /// runs as one sequence of hops, so the verdict is exact per part.
    fn to_internet(&self, s: SubnetId) -> Pair {
        let net = self.net;
        let Some(sr) = subnet_range(net, s) else {
            return Pair::Unknown(
                vec![Missing::other(format!(
                    "the CIDR of subnet {}",
                    net.subnet(s).name
                ))],
                vec![],
            );
        };
        let port = self.flow.port;
        let input = flow_set(sr, (0, u32::MAX), port, self.client).intersect(&public_ipv4());
        let label = match self.flow.kind() {
            TargetKind::AwsService => format!(
                "{} public endpoint",
                self.flow.target_name().unwrap_or_default()
            ),
            _ => "the internet".to_string(),
        };
        let Some((rt, main)) = net.route_table_of(s) else {
            return Pair::Unknown(
                vec![Missing::other(format!(
                    "the route table of {}",
                    net.subnet(s).name
                ))],
                vec![],
            );
        };
        let table = net.rt(rt);
        let rt_origin = net
            .subnet(s)
            .rt_origin
            .clone()
            .unwrap_or_else(|| table.origin.clone());
        if let Some(w) = &table.incomplete {
            return Pair::Unknown(vec![w.clone()], vec![]);
        }
        let mut results = Vec::new();
        for (route, part) in route_parts(net, rt, &input) {
            let mut steps = vec![self.sg_egress_step(&[])];
            steps.extend(self.acl_step(s, true, false, "the outbound request"));
            let mut tail: Vec<Hop> = Vec::new();
            let dead = |code: BlockerCode, reason: String, origin: Origin| Step {
                component: Component::RouteTable,
                id: table.name.clone(),
                code,
                what: reason,
                origin,
                filter: Box::new(|_| Filter::default()),
            };
            match route.as_ref().map(|r| (r, r.target.clone())) {
                None => steps.push(dead(
                    BlockerCode::NoRouteToDestination,
                    format!(
                        "{} has no route to {label} (no 0.0.0.0/0 route{})",
                        table.name,
                        if main { "; the subnet uses the VPC's main route table, which has only the local route" } else { "" }
                    ),
                    rt_origin.clone(),
                )),
                Some((r, RouteTarget::Igw(g))) => {
                    let public_ip = self.public_ip;
                    let gw = net.gw(g);
                    steps.push(Step {
                        component: Component::RouteTable,
                        id: table.name.clone(),
                        code: BlockerCode::IgwPublicIpAssociationForEgress,
                        what: format!(
                            "{} sends {label} to {} but the {} ENI has no public IP",
                            table.name, gw.name, self.component
                        ),
                        origin: r.origin.clone(),
                        filter: {
                            let text = format!("route {} -> {}", r.dest, gw.name);
                            let o = r.origin.clone();
                            Box::new(move |p| {
                                let mut f = Filter::default();
                                if public_ip {
                                    f.pass = p.clone();
                                    f.matched.push((text.clone(), o.clone()));
                                }
                                f
                            })
                        },
                    });
                    tail.push(hop(Component::InternetGateway, &gw.name, "to the internet with the ENI's public IP".into(), &gw.origin));
                }
                Some((r, RouteTarget::Nat(g))) => {
                    if let Err(p) = self.nat_steps(s, g, r, &table.name, &label, &mut steps, &mut tail) {
                        results.push(p);
                        continue;
                    }
                }
                Some((r, RouteTarget::Other(w))) => {
                    let why = Missing::new(Fact::RouteTarget(w.clone()), format!("where {w} leads"))
                        .with_origin(r.origin.clone());
                    steps.push(Step {
                        component: Component::RouteTable,
                        id: table.name.clone(),
                        code: BlockerCode::NoRouteToDestination,
                        what: format!("{} sends {label} to {w}", table.name),
                        origin: r.origin.clone(),
                        filter: Box::new(move |p| Filter { maybe: p.clone(), why: vec![why.clone()], ..Filter::default() }),
                    });
                }
                Some((r, RouteTarget::Local)) => steps.push(dead(BlockerCode::NoRouteToDestination, format!("{label} is not inside the VPC"), r.origin.clone())),
                Some((r, RouteTarget::Blackhole)) => steps.push(dead(BlockerCode::NoRouteToDestination, format!("the route {} is a blackhole", r.dest), r.origin.clone())),
            }
            steps.extend(self.acl_step(s, false, true, "the reply"));
            let r = match run_steps(&steps, &part, self.src_hops(s), self.client) {
                Pair::Yes(mut p) => {
                    // descriptive hops go before the reply into the source
                    let reply = if p
                        .last()
                        .is_some_and(|h| h.component == Component::NetworkAcl)
                    {
                        p.pop()
                    } else {
                        None
                    };
                    p.extend(tail);
                    p.extend(reply);
                    p.push(hop(
                        Component::Internet,
                        "internet",
                        format!("tcp/{port} to {label}"),
                        &Origin::default(),
                    ));
                    Pair::Yes(p)
                }
                other => other,
            };
            results.push(r);
        }
        combine(results)
    }

    /// The hops through a NAT gateway: its subnet's ACLs for the request
    /// and the reply (before and after translation) and its route table,
    /// which must lead to an internet gateway. `Err` when the NAT gateway
    /// itself decides the answer.
    #[allow(clippy::too_many_arguments)]
    fn nat_steps(
        &self,
        s: SubnetId,
        g: GatewayId,
        r: &Route,
        rt_name: &str,
        label: &str,
        steps: &mut Vec<Step<'a>>,
        tail: &mut Vec<Hop>,
    ) -> Result<(), Pair> {
        let net = self.net;
        let gw = net.gw(g);
        let GatewayKind::Nat { subnet, public } = gw.kind.clone() else {
            return Err(Pair::Unknown(
                vec![Missing::other(format!("gateway {}", gw.name))],
                vec![],
            ));
        };
        if !public {
            return Err(Pair::No(vec![blocker(
                BlockerCode::NoRouteToDestination,
                Component::NatGateway,
                &gw.name,
                format!(
                    "{} is a private NAT gateway and cannot reach {label}",
                    gw.name
                ),
                &gw.origin,
            )]));
        }
        let Some(n) = subnet else {
            return Err(Pair::Unknown(
                vec![Missing::other(format!("the subnet of {}", gw.name))],
                vec![],
            ));
        };
        let Some(nr) = subnet_range(net, n) else {
            return Err(Pair::Unknown(
                vec![Missing::other(format!(
                    "the CIDR of subnet {}",
                    net.subnet(n).name
                ))],
                vec![],
            ));
        };
        let Some((nrt, _)) = net.route_table_of(n) else {
            return Err(Pair::Unknown(
                vec![Missing::other(format!(
                    "the route table of {}",
                    net.subnet(n).name
                ))],
                vec![],
            ));
        };
        let text = format!("route {} -> {}", r.dest, gw.name);
        let o = r.origin.clone();
        steps.push(Step {
            component: Component::RouteTable,
            id: rt_name.to_string(),
            code: BlockerCode::NoRouteToDestination,
            what: text.clone(),
            origin: r.origin.clone(),
            filter: Box::new(move |p| Filter {
                pass: p.clone(),
                matched: vec![(text.clone(), o.clone())],
                ..Filter::default()
            }),
        });
        let nat_text = format!(
            "{} in {} translates the source address",
            gw.name,
            net.subnet(n).name
        );
        let nat_origin = gw.origin.clone();
        steps.push(Step {
            component: Component::NatGateway,
            id: gw.name.clone(),
            code: BlockerCode::NoRouteToDestination,
            what: nat_text.clone(),
            origin: gw.origin.clone(),
            filter: Box::new(move |p| Filter {
                pass: p.clone(),
                matched: vec![(nat_text.clone(), nat_origin.clone())],
                ..Filter::default()
            }),
        });
        if n != s {
            // a NAT gateway in the source's own subnet is reached without
            // crossing the subnet's ACL
            steps.extend(self.acl_step(n, false, false, "traffic into the NAT gateway"));
            steps.extend(self.acl_step(n, true, true, "the reply from the NAT gateway"));
        }
        // After translation: source = the NAT gateway's address (somewhere
        // in its subnet), source port any ephemeral port.
        for (egress, reply, what) in [
            (true, false, "traffic from the NAT gateway to the internet"),
            (
                false,
                true,
                "the reply from the internet to the NAT gateway",
            ),
        ] {
            if let Some(mut st) = self.acl_step(n, egress, reply, what) {
                let inner = st.filter;
                st.filter = Box::new(move |p| translated(p, nr, &inner));
                steps.push(st);
            }
        }
        let ntable = net.rt(nrt);
        let ntable_origin = net
            .subnet(n)
            .rt_origin
            .clone()
            .unwrap_or_else(|| ntable.origin.clone());
        steps.push(Step {
            component: Component::RouteTable,
            id: ntable.name.clone(),
            code: BlockerCode::NoRouteToDestination,
            what: format!(
                "{} (the NAT gateway's subnet {}) has no route to an internet gateway",
                ntable.name,
                net.subnet(n).name
            ),
            origin: ntable_origin,
            filter: Box::new(move |p| {
                route_filter(net, nrt, p, &|r| match r.target {
                    RouteTarget::Igw(ig) => {
                        Some(format!("route {} -> {}", r.dest, net.gw(ig).name))
                    }
                    _ => None,
                })
            }),
        });
        if let Some(ig) = ntable.routes.iter().find_map(|r| match r.target {
            RouteTarget::Igw(i) => Some(i),
            _ => None,
        }) {
            tail.push(hop(
                Component::InternetGateway,
                &net.gw(ig).name,
                "to the internet with the NAT gateway's Elastic IP".into(),
                &net.gw(ig).origin,
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
