//! Flows and their proofs. For every (source subnet, destination subnet)
//! placement the packets of a flow are pushed as sets through each hop;
//! a placement is yes (witness), no (blockers) or unknown (missing facts),
//! and the verdict aggregates the placements (DESIGN.md section 4).

pub mod hops;
pub mod packets;
mod path;

pub use crate::model::flow::{
    derive_flows, EndpointKind, EndpointName, Flow, FlowKey, Source, Target, TargetKind,
    TargetName, UnknownTarget, AWS_SERVICE_NAMES,
};
pub use crate::model::proof::{
    Blocker, BlockerCode, FlowResult, Hop, PlacementName, Remedy, Verdict,
};
use crate::model::*;
use hops::*;
use packets::PacketSet;
use path::{counterexample, db_note, outside_counterexample, Ctx, InternetCache, Pair};

/// The one entry every front door calls: proves each flow over the
/// network, sorted by (service, target kind, target name).
///
/// ```
/// use reachlint::model::*;
/// use reachlint::verify::{analyze, derive_flows, Verdict};
///
/// // A VPC with one subnet whose route table has only the local route, an
/// // ECS task in it, and nothing else: no public address is reachable.
/// let mut net = Network::default();
/// net.route_tables.push(RouteTable {
///     name: "Main".into(),
///     vpc: Some(VpcId(0)),
///     routes: vec![Route {
///         dest: Cidr::new(10 << 24, 16),
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
///     needs_internet: None,
///     db_refs: vec![],
///     fs_uses: vec![],
///     lb_targets: vec![],
///     peer_uses: vec![],
///     origin: Origin::default(),
/// });
/// let results = analyze(&net, &derive_flows(&net));
/// // the internet and Secrets Manager, both informational
/// assert_eq!(results.len(), 2);
/// for r in &results {
///     assert_eq!(r.verdict, Verdict::Unreachable);
///     assert_eq!(r.blockers[0].code.as_str(), "NO_ROUTE_TO_DESTINATION");
/// }
/// ```
pub fn analyze(net: &Network, flows: &[Flow]) -> Vec<FlowResult> {
    let cache = InternetCache::default();
    let mut out: Vec<FlowResult> = flows.iter().map(|f| verify_with(net, f, &cache)).collect();
    out.sort_by_cached_key(|r| r.flow.key());
    out
}

/// [`analyze`], with every stand-in's placements merged into its
/// workload's verdicts ([`merge_placements`]).
pub fn analyze_with_stand_ins(
    net: &Network,
    flows: &[Flow],
    stand_ins: &[StandIn],
) -> Vec<FlowResult> {
    let mut results = analyze(net, flows);
    for s in stand_ins {
        for f in flows.iter().filter(|f| f.workload() == Some(s.workload)) {
            let moved = Flow {
                source: Source::Workload(s.stand_in),
                ..f.clone()
            };
            let proved = verify_with(net, &moved, &InternetCache::default());
            let into = results.iter_mut().find(|r| {
                r.flow.source == f.source && r.flow.target == f.target && r.flow.port == f.port
            });
            if let Some(into) = into {
                merge_placements(into, proved, &s.task);
            }
        }
    }
    results
}

/// Counts a task's result in its workload's: every placement must pass
/// for `reachable`; the task's failing placements name it.
pub fn merge_placements(r: &mut FlowResult, t: FlowResult, task: &str) {
    use Verdict::*;
    r.verdict = match (r.verdict, t.verdict) {
        (Unknown, _) | (_, Unknown) => Unknown,
        (Reachable, Reachable) => Reachable,
        (Unreachable, Unreachable) => Unreachable,
        _ => Partial,
    };
    r.placements_checked += t.placements_checked;
    if r.path.is_empty() {
        r.path = t.path;
    }
    for b in t.blockers {
        if !r.blockers.contains(&b) {
            r.blockers.push(b);
        }
    }
    for m in t.missing {
        if !r.missing.iter().any(|x| x.text == m.text) {
            r.missing.push(m);
        }
    }
    r.failing.extend(t.failing.into_iter().map(|mut p| {
        p.source_subnet = format!("{} (task {task})", p.source_subnet);
        p
    }));
    if r.counterexample.is_none() {
        r.counterexample = t.counterexample;
    }
    if r.verdict == Reachable {
        r.blockers.clear();
        r.failing.clear();
        r.counterexample = None;
    }
}

pub(crate) fn hop(component: Component, id: &str, detail: String, origin: &Origin) -> Hop {
    Hop {
        component,
        id: id.into(),
        detail,
        origin: origin.clone(),
    }
}

pub(crate) fn blocker(
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
        advice: None,
        origin: origin.clone(),
    }
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
    // a workload's tasks or a load balancer: reached, if at all, from
    // the provider's public addresses, which are not known offline
    if matches!(
        flow.target,
        Target::Workload { .. } | Target::LoadBalancer { .. }
    ) {
        res.verdict = Verdict::Unknown;
        res.missing.push(
            Missing::new(
                Fact::ManagedEgressAddresses,
                format!(
                    "{provider}'s managed egress addresses, which a flow from it to {} comes from",
                    flow.target_text()
                ),
            )
            .with_origin(m.origin.clone()),
        );
        return;
    }
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
        let admits = !f.pass.is_empty() || !f.maybe.is_empty() || d.port_unknown.is_some();
        // Knowable means decided: with no route to an internet gateway
        // nothing outside reaches it; with every placement public and open
        // to every public address, App Runner's reaches it.
        let route = public_route(net, d);
        let open = d.publicly_accessible_surely
            && d.port_unknown.is_none()
            && from_public.subset_of(&f.pass)
            && route == PublicRoute::Every
            && acls_admit(net, d, &from_public);
        if admits && open {
            res.verdict = Verdict::Reachable;
            for (text, origin) in f.matched.iter().take(1) {
                res.path
                    .push(hop(Component::SecurityGroup, &d.name, text.clone(), origin));
            }
            res.path.push(hop(
                Component::Database,
                &d.name,
                format!(
                    "{} is publicly accessible in subnets that route to an internet gateway, and admits every public address on tcp/{}",
                    d.name, flow.port
                ),
                &d.origin,
            ));
            return;
        }
        if admits && route != PublicRoute::None {
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
        Some(d) if d.publicly_accessible && public_route(net, d) == PublicRoute::None => {
            "the database's subnets have no route to an internet gateway, so it is reachable only inside the VPC"
        }
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

/// Whether a database's subnets route to an internet gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PublicRoute {
    /// Every subnet sends 0.0.0.0/0 to an internet gateway.
    Every,
    /// No subnet has any route to an internet gateway.
    None,
    /// Some do, or it is not known.
    Undecided,
}

fn public_route(net: &Network, d: &Database) -> PublicRoute {
    let SubnetSet::Known(subnets) = &d.subnets else {
        return PublicRoute::Undecided;
    };
    let mut every = true;
    let mut none = true;
    for s in subnets {
        let Some((rt, _)) = net.route_table_of(*s) else {
            return PublicRoute::Undecided;
        };
        let t = net.rt(rt);
        if t.incomplete.is_some() {
            return PublicRoute::Undecided;
        }
        let igw: Vec<&Route> = t
            .routes
            .iter()
            .filter(|r| matches!(r.target, RouteTarget::Igw(_)))
            .collect();
        if !igw.is_empty() {
            none = false;
        }
        if !igw.iter().any(|r| r.dest == Cidr::ANY) {
            every = false;
        }
        if t.routes
            .iter()
            .any(|r| matches!(r.target, RouteTarget::Other(_)))
        {
            return PublicRoute::Undecided;
        }
    }
    match (every && !subnets.is_empty(), none) {
        (true, _) => PublicRoute::Every,
        (_, true) => PublicRoute::None,
        _ => PublicRoute::Undecided,
    }
}

/// Every subnet's ACL admits the packets from public addresses and their
/// replies.
fn acls_admit(net: &Network, d: &Database, from_public: &PacketSet) -> bool {
    let SubnetSet::Known(subnets) = &d.subnets else {
        return false;
    };
    subnets.iter().all(|s| match net.acl_of(*s) {
        Some(a) => {
            let inbound = hops::acl_filter(net, a, false, from_public);
            let reply = hops::acl_filter(net, a, true, &from_public.reversed());
            from_public.subset_of(&inbound.pass) && from_public.reversed().subset_of(&reply.pass)
        }
        None => false,
    })
}

/// Proves one flow (every door goes through [`analyze`]).
#[cfg(test)]
fn verify(net: &Network, flow: &Flow) -> FlowResult {
    verify_with(net, flow, &InternetCache::default())
}

/// A workload whose ENIs may not exist (`why`): the flow is proved with
/// them and with the managed egress instead; when the two disagree it is
/// unknown, with the blockers of both.
fn both_worlds(
    net: &Network,
    flow: &Flow,
    workload: usize,
    cache: &InternetCache,
    why: &Missing,
    managed: &ManagedEgress,
) -> FlowResult {
    let mut alt = net.clone();
    alt.workloads[workload].fallback = None;
    let with_enis = verify_with(&alt, flow, cache);
    alt.workloads[workload].egress = Egress::Managed(managed.clone());
    let without = verify_with(&alt, flow, cache);
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
    res
}

/// The interface endpoint that captures the service's traffic from `vpc`
/// (one with private DNS on), or none: the public endpoint. None when an
/// endpoint may capture it and whether it does is unknown offline: then
/// `res` says so.
fn service_endpoint<'a>(
    net: &'a Network,
    svc: &AwsService,
    vpc: Option<VpcId>,
    res: &mut FlowResult,
) -> Option<Option<&'a Endpoint>> {
    // endpoints of the source's VPC, or whose VPC is unknown offline
    let in_vpc = || {
        net.endpoints
            .iter()
            .filter(|e| e.vpc == vpc || e.vpc.is_none())
    };
    let endpoint = in_vpc()
        .find(|e| e.vpc == vpc && e.service.as_ref() == Some(svc) && e.private_dns == Some(true));
    // An endpoint that may serve the service with private DNS would
    // capture the traffic: the answer then depends on it.
    if endpoint.is_none() {
        if let Some(e) = in_vpc()
            .find(|e| e.service.as_ref().is_none_or(|x| x == svc) && e.private_dns != Some(false))
        {
            res.missing.push(
                Missing::other(format!(
                    "whether interface endpoint {} serves {svc} with private DNS (its {} is unknown offline)",
                    e.name,
                    if e.service.is_none() {
                        "service name"
                    } else if e.vpc.is_none() {
                        "VPC"
                    } else {
                        "PrivateDnsEnabled, or its existence"
                    }
                ))
                .with_origin(e.origin.clone()),
            );
            res.blockers.push(blocker(
                BlockerCode::UnknownFact,
                Component::VpcEndpoint,
                &e.name,
                format!("depends on whether {} captures {svc} traffic", e.name),
                &e.origin,
            ));
            return None;
        }
    }
    Some(endpoint)
}

/// The blocker of a target with no network interface in any subnet.
fn no_destination(flow: &Flow, dest: Option<&Dest>) -> Blocker {
    let (id, origin) = match dest {
        Some(d) => (d.name.to_string(), d.origin.clone()),
        None => (
            flow.target_name().unwrap_or_default().to_string(),
            Origin::default(),
        ),
    };
    let component = match (dest, flow.kind()) {
        (Some(d), _) => d.component,
        (None, TargetKind::Database) => Component::Database,
        (None, TargetKind::Internet) => Component::Internet,
        (None, TargetKind::AwsService) => Component::AwsService,
        (None, TargetKind::FileSystem) => Component::FileSystem,
        (None, TargetKind::Workload) => Component::EcsTask,
        (None, TargetKind::LoadBalancer) => Component::LoadBalancer,
    };
    blocker(
        BlockerCode::NoDestinationEni,
        component,
        &id,
        format!("{id} has no network interface in any subnet (its subnet list is empty)"),
        &origin,
    )
}

/// What a flow's destination ENIs are: their groups, what they are, and
/// whether the internet gateway delivers to them.
pub(super) struct Dest<'a> {
    pub(super) sgs: &'a [SgId],
    pub(super) unknown_sgs: &'a [Missing],
    pub(super) component: Component,
    pub(super) name: &'a str,
    pub(super) origin: &'a Origin,
    /// ENIs with no security group at all (a network load balancer
    /// created without groups): no group filters what reaches them.
    pub(super) ungrouped: bool,
    /// The ENIs have public addresses (an internet-facing load balancer,
    /// a task with a public IP).
    pub(super) public_ip: bool,
    /// Whether they have is unknown offline (a database whose public
    /// accessibility the files leave open), and why.
    pub(super) public_unknown: Option<Missing>,
}

/// Where a flow starts, resolved in the network.
enum From<'a> {
    /// Network interfaces in subnets of the VPC.
    Enis {
        component: Component,
        name: &'a str,
        subnets: &'a SubnetSet,
        sgs: &'a [SgId],
        unknown_sgs: &'a [Missing],
        public_ip: bool,
        client: ClientKind,
        origin: &'a Origin,
    },
    /// Addresses outside the VPC (a set over the source address).
    Outside(PacketSet),
}

/// One placement: from source subnet `s` (None: outside the VPC) to the
/// target's ENI in `d`, or to a public address.
fn placement(ctx: &Ctx, s: Option<SubnetId>, d: Option<SubnetId>, dest: Option<&Dest>) -> Pair {
    let net = ctx.net;
    let note = match (d, ctx.flow.database().and_then(|i| net.databases.get(i.0))) {
        (Some(d), Some(db)) => db_note(net, db, d),
        _ => String::new(),
    };
    match (s, d, dest) {
        (None, Some(d), Some(dest)) => ctx.enter_from_outside(d, dest),
        (Some(s), Some(d), Some(dest)) => ctx.to_eni(s, d, dest, &note),
        (Some(s), _, _) => ctx.to_internet(s),
        (None, _, _) => Pair::Unknown(
            vec![Missing::other(
                "a path between two places outside the VPC".to_string(),
            )],
            vec![],
        ),
    }
}

fn new_result(flow: &Flow) -> FlowResult {
    FlowResult {
        flow: flow.clone(),
        verdict: Verdict::Unknown,
        path: vec![],
        blockers: vec![],
        missing: vec![],
        placements_checked: 0,
        failing: vec![],
        counterexample: None,
        suppressed: None,
        assumptions: vec![],
    }
}

/// An element a flow names that the network does not have (a load
/// balancer the deployed network lacks).
fn not_in_network(what: &str, name: &str) -> Missing {
    Missing::other(format!("{what} {name}, which the network does not have"))
}

/// The flow's source in the network; None when the answer is already in
/// `res` (a managed egress, ENIs that may not exist).
fn source<'a>(
    net: &'a Network,
    flow: &Flow,
    cache: &InternetCache,
    res: &mut FlowResult,
) -> Option<From<'a>> {
    match &flow.source {
        Source::Workload(wi) => {
            let w = &net.workloads[*wi];
            // The ENIs may not exist: both worlds must agree.
            if let (Some((why, managed)), Egress::Enis(_)) = (&w.fallback, &w.egress) {
                *res = both_worlds(net, flow, *wi, cache, why, managed);
                return None;
            }
            match &w.egress {
                Egress::Managed(m) => {
                    managed_egress(net, flow, &w.name, m, res);
                    None
                }
                Egress::Enis(e) => Some(From::Enis {
                    component: e.component,
                    name: &e.name,
                    subnets: &e.subnets,
                    sgs: &e.sgs,
                    unknown_sgs: &e.unknown_sgs,
                    public_ip: e.public_ip,
                    client: e.client,
                    origin: &e.origin,
                }),
            }
        }
        Source::LoadBalancer { lb, name } => {
            let Some(l) = net.load_balancers.get(*lb) else {
                res.missing.push(not_in_network("load balancer", name));
                return None;
            };
            Some(From::Enis {
                component: Component::LoadBalancer,
                name: &l.name,
                subnets: &l.subnets,
                sgs: &l.sgs,
                unknown_sgs: &l.unknown_sgs,
                public_ip: l.internet_facing,
                client: ClientKind::LoadBalancer,
                origin: &l.origin,
            })
        }
        Source::Internet => Some(From::Outside(public_ipv4().reversed())),
        Source::Cidr(c) => {
            let (lo, hi) = cidr_range(c);
            Some(From::Outside(PacketSet::of(packets::Cube::full().with(
                packets::SRC,
                lo,
                hi,
            ))))
        }
    }
}

/// The subnets the target's ENIs may sit in and what they are (None: a
/// public address); Err when the answer is already in `res`.
fn destination<'a>(
    net: &'a Network,
    flow: &Flow,
    vpc: Option<VpcId>,
    res: &mut FlowResult,
) -> Result<Option<(&'a SubnetSet, Dest<'a>)>, ()> {
    let plain =
        |sgs: &'a [SgId], unknown_sgs: &'a [Missing], component, name: &'a str, origin| Dest {
            sgs,
            unknown_sgs,
            component,
            name,
            origin,
            ungrouped: false,
            public_ip: false,
            public_unknown: None,
        };
    Ok(Some(match &flow.target {
        Target::Database { db, .. } => {
            let Some(d) = net.databases.get(db.0) else {
                res.missing.push(Missing::other("the database of the flow"));
                return Err(());
            };
            let mut dest = plain(
                &d.sgs,
                &d.unknown_sgs,
                Component::Database,
                &d.name,
                &d.origin,
            );
            // Aurora Serverless v1 has no address outside its VPC
            let public = d.publicly_accessible && !d.serverless_v1;
            dest.public_ip = public && d.publicly_accessible_surely;
            dest.public_unknown = (public && !d.publicly_accessible_surely).then(|| {
                Missing::other(format!(
                    "whether database {} is publicly accessible",
                    d.name
                ))
                .with_origin(d.origin.clone())
            });
            (&d.subnets, dest)
        }
        Target::AwsService(svc) => match service_endpoint(net, svc, vpc, res) {
            Some(Some(e)) => (
                &e.subnets,
                plain(
                    &e.sgs,
                    &e.unknown_sgs,
                    Component::VpcEndpoint,
                    &e.name,
                    &e.origin,
                ),
            ),
            Some(None) => return Ok(None),
            None => return Err(()),
        },
        Target::Internet => return Ok(None),
        Target::FileSystem { fs, .. } => match fs {
            Ok(i) => {
                let f = &net.file_systems[*i];
                (
                    &f.subnets,
                    plain(
                        &f.sgs,
                        &f.unknown_sgs,
                        Component::FileSystem,
                        &f.name,
                        &f.origin,
                    ),
                )
            }
            Err(m) => {
                res.missing.push(m.clone());
                return Err(());
            }
        },
        Target::Workload { workload, name } => {
            let Some(w) = net.workloads.get(*workload) else {
                res.missing.push(not_in_network("workload", name));
                return Err(());
            };
            match (&w.egress, &w.fallback) {
                (Egress::Enis(e), _) if e.component == Component::VpcConnector => {
                    res.missing.push(
                        Missing::other(format!(
                            "how {name} takes inbound traffic: App Runner serves it at its service URL (or a VPC ingress connection), never through its VPC connector, which carries outbound traffic only"
                        ))
                        .with_origin(e.origin.clone()),
                    );
                    return Err(());
                }
                (Egress::Enis(e), None) => {
                    let mut dest = plain(&e.sgs, &e.unknown_sgs, e.component, &e.name, &e.origin);
                    dest.public_ip = e.public_ip;
                    (&e.subnets, dest)
                }
                (Egress::Enis(_), Some((why, _))) => {
                    res.missing.push(why.clone());
                    return Err(());
                }
                (Egress::Managed(m), _) => {
                    res.missing.push(
                        Missing::other(format!(
                            "how {}'s managed network admits traffic ({} has no network interface in the VPC)",
                            m.provider, w.name
                        ))
                        .with_origin(m.origin.clone()),
                    );
                    return Err(());
                }
            }
        }
        Target::LoadBalancer { lb, name } => {
            let Some(l) = net.load_balancers.get(*lb) else {
                res.missing.push(not_in_network("load balancer", name));
                return Err(());
            };
            let mut dest = plain(
                &l.sgs,
                &l.unknown_sgs,
                Component::LoadBalancer,
                &l.name,
                &l.origin,
            );
            dest.ungrouped = l.network && l.sgs.is_empty() && l.unknown_sgs.is_empty();
            dest.public_ip = l.internet_facing;
            dest.public_unknown = l.scheme_unknown.clone();
            (&l.subnets, dest)
        }
    }))
}

fn verify_with(net: &Network, flow: &Flow, cache: &InternetCache) -> FlowResult {
    let mut res = new_result(flow);
    let Some(from) = source(net, flow, cache, &mut res) else {
        return res;
    };
    if let Some(why) = flow
        .database()
        .and_then(|d| net.databases.get(d.0))
        .and_then(|d| d.port_unknown.clone())
    {
        res.missing.push(why);
        return res;
    }
    let (src, client, conn) = match &from {
        From::Enis {
            component,
            name,
            subnets,
            origin,
            client,
            ..
        } => {
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
                    *component,
                    name,
                    if matches!(flow.source, Source::Workload(_)) {
                        "the workload has no network interface in any subnet".to_string()
                    } else {
                        format!("{name} has no network interface in any subnet")
                    },
                    origin,
                ));
                return res;
            }
            (
                (src.0.into_iter().map(Some).collect::<Vec<_>>(), src.1),
                *client,
                Some(*name),
            )
        }
        From::Outside(_) => ((vec![None], None), ClientKind::Outside, None),
    };
    let vpc = src
        .0
        .iter()
        .flatten()
        .next()
        .and_then(|s| net.subnet(*s).vpc);
    let Ok(dest) = destination(net, flow, vpc, &mut res) else {
        return res;
    };
    let (dests, dst_missing): (Vec<Option<SubnetId>>, Option<Missing>) = match &dest {
        None => (vec![None], None),
        Some((set, _)) => match enumerate(net, set) {
            Ok((l, m)) => (l.into_iter().map(Some).collect(), m),
            Err(what) => {
                res.missing.push(what);
                return res;
            }
        },
    };
    let endpoint = match (&flow.target, &dest) {
        (Target::AwsService(_), Some((_, d))) => Some(d.name),
        _ => None,
    };
    if dests.is_empty() {
        res.verdict = Verdict::Unreachable;
        res.blockers
            .push(no_destination(flow, dest.as_ref().map(|d| &d.1)));
        return res;
    }
    let all_src: Vec<SubnetId> = src.0.iter().flatten().copied().collect();
    let no_origin = Origin::default();
    let ctx = match &from {
        From::Enis {
            component,
            name,
            sgs,
            unknown_sgs,
            public_ip,
            client,
            origin,
            ..
        } => Ctx {
            net,
            flow,
            sgs,
            unknown_sgs,
            public_ip: *public_ip,
            client: *client,
            component: *component,
            conn: name,
            conn_origin: origin,
            all_src: &all_src,
            cache,
            outside: None,
        },
        From::Outside(addrs) => Ctx {
            net,
            flow,
            sgs: &[],
            unknown_sgs: &[],
            public_ip: false,
            client: ClientKind::Outside,
            component: Component::Internet,
            conn: "",
            conn_origin: &no_origin,
            all_src: &all_src,
            cache,
            outside: Some(addrs),
        },
    };
    let mut pairs = Vec::new();
    for s in &src.0 {
        for d in &dests {
            let p = placement(&ctx, *s, *d, dest.as_ref().map(|x| &x.1));
            pairs.push((*s, *d, p));
        }
    }
    res.placements_checked = pairs.len();
    let outside = conn.is_none().then(|| flow.from().name);
    aggregate(
        net,
        &mut res,
        pairs,
        src.1,
        dst_missing,
        client,
        outside.as_deref(),
    );
    if let (Target::AwsService(svc), None) = (&flow.target, endpoint) {
        private_dns_off(net, &mut res, svc, vpc);
    }
    res
}

/// A flow to an AWS service that fails on the way to the public endpoint,
/// while an interface endpoint of the service sits in the source's VPC
/// with private DNS off: that setting is the line to change, so it is the
/// first blocker.
fn private_dns_off(net: &Network, res: &mut FlowResult, svc: &AwsService, vpc: Option<VpcId>) {
    if !matches!(res.verdict, Verdict::Unreachable | Verdict::Partial) {
        return;
    }
    let Some(e) = net.endpoints.iter().find(|e| {
        e.vpc.is_some()
            && e.vpc == vpc
            && e.service.as_ref() == Some(svc)
            && e.private_dns == Some(false)
    }) else {
        return;
    };
    let mut b = blocker(
        BlockerCode::EndpointPrivateDnsDisabled,
        Component::VpcEndpoint,
        &e.name,
        format!("interface endpoint {} serves {svc}, but its private DNS is off, so {svc}'s name resolves to the public endpoint and the request never uses it", e.name),
        &e.private_dns_origin,
    );
    b.remedy = Some(Remedy::EnablePrivateDns);
    res.blockers.insert(0, b);
}

fn aggregate(
    net: &Network,
    res: &mut FlowResult,
    pairs: Vec<(Option<SubnetId>, Option<SubnetId>, Pair)>,
    src_fact: Option<Missing>,
    dst_fact: Option<Missing>,
    client: ClientKind,
    outside: Option<&str>,
) {
    let yes = pairs.iter().filter(|p| matches!(p.2, Pair::Yes(_))).count();
    let no = pairs.iter().filter(|p| matches!(p.2, Pair::No(_))).count();
    let unknown = pairs.len() - yes - no;
    let name = |s: SubnetId| net.subnet(s).name.clone();
    let representative = pairs
        .iter()
        .position(|(s, d, p)| matches!(p, Pair::Yes(_)) && d.is_some_and(|d| Some(d) != *s))
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
                        source_subnet: s
                            .map_or_else(|| outside.unwrap_or_default().to_string(), name),
                        destination_subnet: d.map(name),
                    });
                    if res.counterexample.is_none() {
                        res.counterexample = Some(match s {
                            Some(s) => counterexample(net, res.flow.port, client, *s, *d),
                            None => outside_counterexample(net, &res.flow, *d),
                        });
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

#[cfg(test)]
mod tests;
