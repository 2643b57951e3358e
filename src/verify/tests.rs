//! The verifier against a brute-force packet simulator that shares no
//! decision code with it: random models, concrete packets pushed through
//! the same model hop by hop.
//!
//! Every hop is piecewise constant between rule boundaries, so trying every
//! boundary value (and its neighbours) of every field is exhaustive.
//!
//! Unknown facts (a rule's peer, an undecided ACL entry, an undecided route
//! table) are decided by enumerating their worlds: every hop is monotone in
//! what the unknown admits, so the most permissive and the most restrictive
//! world bound every other; a packet is decided when both agree. A verifier
//! that took an unknown peer for "everything" would be caught:
//! `an_unknown_peer_taken_for_everything_is_caught` applies that mutation
//! to the model and expects the property to fail.
//!
//! The generators cover one or two source placements (so `partial` and its
//! failing placements), a NAT gateway in its own subnet or in the source
//! subnet, and a Secrets Manager endpoint with or without private DNS, in
//! the source subnet or another; `the_generator_reaches_every_verdict`
//! keeps them honest. A rule whose protocol or port is unknown offline
//! reaches the model as an unknown peer on every port (the representation
//! layer's choice, `repr::cfn`), a shape the rule generator produces.
//!
//! Inbound flows (from the internet or a public block to a workload's
//! ENIs) run through their own simulator: the ENI's public IP and the
//! VPC's internet gateway, the subnet's ACL both ways (the stateless
//! return), the group's ingress, and the reply's route back to the
//! gateway; `the_inbound_generator_reaches_every_verdict` keeps that
//! generator honest.

use super::*;
use proptest::prelude::*;

const PORTS: [u16; 10] = [0, 1023, 1024, 5431, 5432, 5433, 32768, 49152, 60999, 65535];
const CIDRS: [&str; 7] = [
    "10.0.1.0/24",
    "10.0.2.0/24",
    "10.0.0.0/16",
    "0.0.0.0/0",
    "10.0.1.0/25",
    "10.0.2.128/25",
    "10.0.3.0/24",
];

#[derive(Debug, Clone)]
struct RuleSpec {
    all: bool,
    lo: u16,
    hi: u16,
    peer: usize, // < CIDRS.len(): a CIDR; else a group of the other end
    /// The peer is unknown offline.
    unknown: bool,
}

#[derive(Debug, Clone)]
struct AclSpec {
    number: u32,
    egress: bool,
    all: bool,
    lo: u16,
    hi: u16,
    cidr: usize,
    allow: bool,
    /// A field of the entry is unknown offline.
    unknown: bool,
}

#[derive(Debug, Clone)]
struct Case {
    same_subnet: bool,
    src_rules: Vec<Vec<RuleSpec>>,
    dst_rules: Vec<Vec<RuleSpec>>,
    acl_s: Option<Vec<AclSpec>>,
    acl_d: Option<Vec<AclSpec>>,
    blackhole: bool,
    /// The route table has a route unknown offline.
    undecided_routes: bool,
    /// A second source subnet (10.0.3.0/24) for the workload, with its own
    /// ACL (None: the default): placements that may differ, so `partial`.
    second_source: Option<Option<Vec<AclSpec>>>,
}

fn rule() -> impl Strategy<Value = RuleSpec> {
    (
        any::<bool>(),
        0..PORTS.len(),
        0..PORTS.len(),
        0..CIDRS.len() + 2,
        prop::bool::weighted(0.1),
    )
        .prop_map(|(all, a, b, peer, unknown)| RuleSpec {
            all: all && peer % 3 == 0,
            lo: PORTS[a.min(b)],
            hi: PORTS[a.max(b)],
            peer,
            unknown,
        })
}

fn acl_entry() -> impl Strategy<Value = AclSpec> {
    (
        1u32..6,
        any::<bool>(),
        any::<bool>(),
        0..PORTS.len(),
        0..PORTS.len(),
        0..CIDRS.len(),
        any::<bool>(),
        prop::bool::weighted(0.08),
    )
        .prop_map(|(n, egress, all, a, b, cidr, allow, unknown)| AclSpec {
            number: n * 100,
            egress,
            all,
            lo: PORTS[a.min(b)],
            hi: PORTS[a.max(b)],
            cidr,
            allow: allow || n % 2 == 0,
            unknown,
        })
}

fn case() -> impl Strategy<Value = Case> {
    (
        any::<bool>(),
        prop::collection::vec(prop::collection::vec(rule(), 0..3), 1..3),
        prop::collection::vec(prop::collection::vec(rule(), 0..3), 1..3),
        prop::option::of(prop::collection::vec(acl_entry(), 0..5)),
        prop::option::of(prop::collection::vec(acl_entry(), 0..5)),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.05),
        prop::option::weighted(
            0.3,
            prop::option::of(prop::collection::vec(acl_entry(), 0..5)),
        ),
    )
        .prop_map(
            |(
                same_subnet,
                src_rules,
                dst_rules,
                acl_s,
                acl_d,
                blackhole,
                undecided_routes,
                second_source,
            )| Case {
                same_subnet,
                src_rules,
                dst_rules,
                acl_s,
                acl_d,
                blackhole,
                undecided_routes,
                second_source,
            },
        )
}

fn cidr(i: usize) -> Cidr {
    CIDRS[i].parse().expect("test CIDR")
}

fn build(c: &Case) -> Network {
    let mut n = Network::default();
    let o = Origin::default();
    n.vpcs.push(Vpc {
        name: "vpc".into(),
        cidr: Some(cidr(2)),
        main_route_table: RouteTableId(0),
        default_acl: AclId(0),
        fully_known: true,
        origin: o.clone(),
    });
    let mut routes = vec![Route {
        dest: cidr(2),
        target: RouteTarget::Local,
        origin: o.clone(),
    }];
    if c.blackhole {
        routes.push(Route {
            dest: cidr(5),
            target: RouteTarget::Blackhole,
            origin: o.clone(),
        });
    }
    n.route_tables.push(RouteTable {
        name: "rt".into(),
        vpc: Some(VpcId(0)),
        routes,
        incomplete: c
            .undecided_routes
            .then(|| Missing::other("the destination of a route")),
        origin: o.clone(),
    });
    add_default_acl(&mut n);
    let mut acl_for = |spec: &Option<Vec<AclSpec>>, name: &str| add_acl(&mut n, spec, name, cidr);
    let acl_s = acl_for(&c.acl_s, "acl-s");
    let acl_d = acl_for(&c.acl_d, "acl-d");
    let acl_s2 = c.second_source.as_ref().map(|spec| acl_for(spec, "acl-s2"));
    n.subnets.push(Subnet {
        name: "s".into(),
        vpc: Some(VpcId(0)),
        cidr: Some(cidr(0)),
        az: Az::Index(0),
        route_table: None,
        acl: acl_s,
        map_public_ip: false,
        origin: o.clone(),
        rt_origin: None,
    });
    n.subnets.push(Subnet {
        name: "d".into(),
        vpc: Some(VpcId(0)),
        cidr: Some(cidr(1)),
        az: Az::Index(1),
        route_table: None,
        acl: acl_d,
        map_public_ip: false,
        origin: o.clone(),
        rt_origin: None,
    });
    let mut sources = vec![SubnetId(0)];
    if let Some(acl) = acl_s2 {
        n.subnets.push(Subnet {
            name: "s2".into(),
            vpc: Some(VpcId(0)),
            cidr: Some(cidr(6)),
            az: Az::Index(0),
            route_table: None,
            acl,
            map_public_ip: false,
            origin: o.clone(),
            rt_origin: None,
        });
        sources.push(SubnetId(2));
    }
    let ns = c.src_rules.len();
    let nd = c.dst_rules.len();
    let mk = |r: &RuleSpec, own_side_src: bool| -> SgRule {
        let peer = if r.peer < CIDRS.len() {
            Peer::Cidr(cidr(r.peer))
        } else {
            let k = r.peer - CIDRS.len();
            // a group of the other end (or, for k == 1, of the same end)
            let other_first = if own_side_src { ns } else { 0 };
            let other_len = if own_side_src { nd } else { ns };
            if k == 0 {
                Peer::Sg(SgId(other_first + other_len - 1))
            } else {
                Peer::Sg(SgId(if own_side_src { 0 } else { ns }))
            }
        };
        SgRule {
            proto: if r.all { Proto::All } else { Proto::TCP },
            ports: (r.lo, r.hi),
            peer: if r.unknown {
                Peer::Unknown(Missing::other("a peer unknown offline"))
            } else {
                peer
            },
            origin: o.clone(),
            unknown_origin: None,
            text: String::new(),
        }
    };
    for (i, rules) in c.src_rules.iter().enumerate() {
        n.sgs.push(SecurityGroup {
            name: format!("src{i}"),
            vpc: Some(VpcId(0)),
            ingress: vec![],
            egress: rules.iter().map(|r| mk(r, true)).collect(),
            opaque: None,
            origin: o.clone(),
        });
    }
    for (i, rules) in c.dst_rules.iter().enumerate() {
        n.sgs.push(SecurityGroup {
            name: format!("dst{i}"),
            vpc: Some(VpcId(0)),
            ingress: rules.iter().map(|r| mk(r, false)).collect(),
            egress: vec![],
            opaque: None,
            origin: o.clone(),
        });
    }
    let d_subnet = if c.same_subnet {
        SubnetId(0)
    } else {
        SubnetId(1)
    };
    n.databases.push(Database {
        name: "db".into(),
        owner: Owner::Workload("w".into()),
        engine: "aurora-postgresql".into(),
        port: 5432,
        port_origin: o.clone(),
        port_unknown: None,
        subnets: SubnetSet::Known(vec![d_subnet]),
        sgs: (ns..ns + nd).map(SgId).collect(),
        unknown_sgs: vec![],
        serverless_v1: false,
        publicly_accessible: false,
        publicly_accessible_surely: false,
        writer_az: None,
        origin: o.clone(),
    });
    n.workloads.push(Workload {
        name: "w".into(),
        kind: WorkloadKind::AppRunner,
        egress: Egress::Enis(Enis {
            component: Component::VpcConnector,
            name: "c".into(),
            subnets: SubnetSet::Known(sources),
            sgs: (0..ns).map(SgId).collect(),
            unknown_sgs: vec![],
            public_ip: false,
            client: ClientKind::AppRunnerConnector,
            origin: o.clone(),
        }),
        fallback: None,
        api_uses: vec![],
        needs_internet: None,
        db_refs: vec![],
        fs_uses: vec![],
        lb_targets: Vec::new(),
        peer_uses: Vec::new(),
        origin: o,
    });
    n
}

// ---- the simulator: plain loops over concrete packets ----

#[derive(Clone, Copy)]
struct Pkt {
    tcp: bool,
    src: u32,
    dst: u32,
    sport: u16,
    dport: u16,
}

fn in_cidr(c: &Cidr, ip: u32) -> bool {
    let mask = if c.len == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(c.len))
    };
    ip & mask == c.addr & mask
}

/// Which world of the unknown facts a packet is pushed through.
#[derive(Clone, Copy, PartialEq, Eq)]
enum World {
    /// Every unknown admits: peers match, undecided entries allow, the
    /// undecided table routes locally.
    Permissive,
    /// Every unknown refuses.
    Restrictive,
}

fn sg_allows(
    net: &Network,
    groups: &[SgId],
    other: &[SgId],
    egress: bool,
    p: Pkt,
    w: World,
) -> bool {
    groups.iter().any(|g| {
        let sg = &net.sgs[g.0];
        let rules = if egress { &sg.egress } else { &sg.ingress };
        rules.iter().any(|r| {
            let proto_ok = match r.proto {
                Proto::All => true,
                Proto::Num(6) => p.tcp && r.ports.0 <= p.dport && p.dport <= r.ports.1,
                _ => false,
            };
            let peer_ok = match &r.peer {
                Peer::Cidr(c) => in_cidr(c, if egress { p.dst } else { p.src }),
                Peer::Sg(x) => other.contains(x),
                Peer::Unknown(_) => w == World::Permissive,
            };
            proto_ok && peer_ok
        })
    })
}

fn acl_allows(net: &Network, s: SubnetId, egress: bool, p: Pkt, w: World) -> bool {
    let acl = net.subnets[s.0].acl.unwrap_or(AclId(0));
    let mut entries: Vec<&AclEntry> = net.acls[acl.0]
        .entries
        .iter()
        .filter(|e| e.egress == egress)
        .collect();
    entries.sort_by_key(|e| e.number);
    for e in entries {
        if e.unknown.is_some() {
            // what reaches an undecided entry: allowed or denied by it
            return w == World::Permissive;
        }
        let proto_ok = match e.proto {
            Proto::All => true,
            Proto::Num(6) => p.tcp && e.ports.0 <= p.dport && p.dport <= e.ports.1,
            _ => false,
        };
        if proto_ok && in_cidr(&e.cidr, if egress { p.dst } else { p.src }) {
            return e.action == Action::Allow;
        }
    }
    false
}

fn route_local(net: &Network, p: Pkt, w: World) -> bool {
    let rt = &net.route_tables[0];
    if rt.incomplete.is_some() {
        return w == World::Permissive;
    }
    let best = rt
        .routes
        .iter()
        .filter(|r| in_cidr(&r.dest, p.dst))
        .max_by_key(|r| r.dest.len);
    matches!(best, Some(r) if r.target == RouteTarget::Local)
}

/// A packet's fate: decided when the extreme worlds agree.
fn simulate(net: &Network, s: SubnetId, d: SubnetId, p: Pkt) -> Option<bool> {
    let a = simulate_in(net, s, d, p, World::Permissive);
    let b = simulate_in(net, s, d, p, World::Restrictive);
    (a == b).then_some(a)
}

fn simulate_in(net: &Network, s: SubnetId, d: SubnetId, p: Pkt, w: World) -> bool {
    let src_sgs: Vec<SgId> = match &net.workloads[0].egress {
        Egress::Enis(e) => e.sgs.clone(),
        _ => vec![],
    };
    let dst_sgs = net.databases[0].sgs.clone();
    let reply = Pkt {
        tcp: p.tcp,
        src: p.dst,
        dst: p.src,
        sport: p.dport,
        dport: p.sport,
    };
    let cross = s != d;
    sg_allows(net, &src_sgs, &dst_sgs, true, p, w)
        && (!cross || acl_allows(net, s, true, p, w))
        && route_local(net, p, w)
        && (!cross || acl_allows(net, d, false, p, w))
        && sg_allows(net, &dst_sgs, &src_sgs, false, p, w)
        && (!cross || acl_allows(net, d, true, reply, w))
        && (!cross || acl_allows(net, s, false, reply, w))
}

/// The VPC's default ACL (allow all both ways) as ACL 0.
fn add_default_acl(n: &mut Network) {
    let o = Origin::default();
    n.acls.push(NetworkAcl {
        name: "default".into(),
        vpc: Some(VpcId(0)),
        entries: vec![
            AclEntry::everything(false, Action::Allow, o.clone(), None),
            AclEntry::everything(true, Action::Allow, o.clone(), None),
        ],
        origin: o,
    });
}

/// A custom ACL from generated entries (None: the subnet keeps the default).
fn add_acl(
    n: &mut Network,
    spec: &Option<Vec<AclSpec>>,
    name: &str,
    cidr_of: fn(usize) -> Cidr,
) -> Option<AclId> {
    let spec = spec.as_ref()?;
    let mut entries: Vec<AclEntry> = spec
        .iter()
        .map(|a| AclEntry {
            number: a.number,
            egress: a.egress,
            proto: if a.all { Proto::All } else { Proto::TCP },
            ports: (a.lo, a.hi),
            cidr: cidr_of(a.cidr),
            action: if a.allow { Action::Allow } else { Action::Deny },
            origin: Origin::default(),
            unknown: a.unknown.then(|| Missing::other("a field of the entry")),
        })
        .collect();
    entries.sort_by_key(|e| (e.egress, e.number));
    entries.dedup_by_key(|e| (e.egress, e.number));
    n.acls.push(NetworkAcl {
        name: name.into(),
        vpc: Some(VpcId(0)),
        entries,
        origin: Origin::default(),
    });
    Some(AclId(n.acls.len() - 1))
}

/// The expected verdict from per-packet fates (Some(pass), or None when it
/// depends on something unknown): every packet passes, none does, or it
/// depends (DECISIONS.md: a hop admitting part of a client's ephemeral
/// range makes the answer unknown).
fn classify(results: &[((u32, u32), u32, Option<bool>)]) -> Verdict {
    if results.iter().all(|r| r.2 == Some(true)) {
        Verdict::Reachable
    } else if results.iter().all(|r| r.2 == Some(false)) {
        Verdict::Unreachable
    } else {
        Verdict::Unknown
    }
}

fn critical(lo: u32, hi: u32, points: &[u32]) -> Vec<u32> {
    let mut v = vec![lo, hi];
    for &x in points {
        for y in [x.wrapping_sub(1), x, x.wrapping_add(1)] {
            if lo <= y && y <= hi {
                v.push(y);
            }
        }
    }
    v.sort_unstable();
    v.dedup();
    v
}

/// How many random models a property tries: `REACHLINT_PROPTEST_CASES`
/// raises it for a long run (e.g. 10000) without a code change.
fn cases(default: u32) -> u32 {
    std::env::var("REACHLINT_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The verifier's verdict on `verified` against the simulator's on `truth`
/// (the same model unless a test mutates what the verifier sees).
fn check_db(verified: &Network, truth: &Network, c: &Case) -> Result<(), TestCaseError> {
    let flows = derive_flows(verified);
    let f = flows
        .iter()
        .find(|f| f.kind() == TargetKind::Database)
        .ok_or_else(|| TestCaseError::fail("no database flow"))?;
    let res = verify(verified, f);
    let d = if c.same_subnet {
        SubnetId(0)
    } else {
        SubnetId(1)
    };
    let mut addr_points = Vec::new();
    let mut port_points = Vec::new();
    for x in CIDRS {
        let c: Cidr = x.parse().expect("test CIDR");
        addr_points.push(c.first());
        addr_points.push(c.last());
    }
    for p in PORTS {
        port_points.push(u32::from(p));
    }
    let sources: Vec<SubnetId> = match &truth.workloads[0].egress {
        Egress::Enis(Enis {
            subnets: SubnetSet::Known(l),
            ..
        }) => l.clone(),
        _ => return Err(TestCaseError::fail("test workload has known subnets")),
    };
    // per placement: its own verdict from its packets
    let mut per = Vec::new();
    let mut all_results = Vec::new();
    for &s in &sources {
        let (Some(sc), Some(dc)) = (truth.subnets[s.0].cidr, truth.subnets[d.0].cidr) else {
            return Err(TestCaseError::fail("test subnets have CIDRs"));
        };
        let mut results = Vec::new();
        for src in critical(sc.first(), sc.last(), &addr_points) {
            for dst in critical(dc.first(), dc.last(), &addr_points) {
                for sport in critical(1024, 65535, &port_points) {
                    let p = Pkt {
                        tcp: true,
                        src,
                        dst,
                        sport: sport as u16,
                        dport: 5432,
                    };
                    results.push(((src, dst), sport, simulate(truth, s, d, p)));
                }
            }
        }
        per.push((truth.subnets[s.0].name.clone(), classify(&results)));
        all_results.extend(results);
    }
    let results = all_results;
    // the flow: unknown if a placement is; else reachable, unreachable or
    // partial (naming exactly the failing placements)
    let expected = if per.iter().any(|p| p.1 == Verdict::Unknown) {
        Verdict::Unknown
    } else if per.iter().all(|p| p.1 == Verdict::Reachable) {
        Verdict::Reachable
    } else if per.iter().all(|p| p.1 == Verdict::Unreachable) {
        Verdict::Unreachable
    } else {
        Verdict::Partial
    };
    prop_assert_eq!(
        res.verdict,
        expected,
        "per placement {:?}; blockers={:?} missing={:?}",
        per,
        res.blockers,
        res.missing
    );
    if expected == Verdict::Partial {
        let mut failing: Vec<String> = res
            .failing
            .iter()
            .map(|p| p.source_subnet.clone())
            .collect();
        failing.sort();
        let mut want: Vec<String> = per
            .iter()
            .filter(|p| p.1 == Verdict::Unreachable)
            .map(|p| p.0.clone())
            .collect();
        want.sort();
        prop_assert_eq!(failing, want);
        prop_assert!(res.counterexample.is_some());
    }
    if res.verdict == Verdict::Unreachable {
        prop_assert!(!res.blockers.is_empty());
    }
    if res.verdict == Verdict::Reachable {
        prop_assert!(!res.path.is_empty());
    }
    if res.verdict == Verdict::Unknown && expected == Verdict::Unknown {
        // an unknown verdict that is not the ephemeral-range kind names
        // what is missing
        let worlds_differ = results.iter().any(|r| r.2.is_none());
        prop_assert!(
            !worlds_differ || !res.missing.is_empty(),
            "unknown without what is missing"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(10_000), ..ProptestConfig::default() })]

    #[test]
    fn verifier_agrees_with_brute_force(c in case()) {
        let net = build(&c);
        check_db(&net, &net, &c)?;
    }
}

/// The generator is worth its cases only if it reaches every verdict:
/// random models give reachable, unreachable, partial and unknown flows.
#[test]
fn the_generator_reaches_every_verdict() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, TestRunner};
    let mut runner = TestRunner::new(Config::default());
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..3000 {
        let Ok(tree) = case().new_tree(&mut runner) else {
            continue;
        };
        let net = build(&tree.current());
        let flows = derive_flows(&net);
        if let Some(f) = flows.iter().find(|f| f.kind() == TargetKind::Database) {
            seen.insert(verify(&net, f).verdict.as_str());
        }
    }
    for v in ["reachable", "unreachable", "partial", "unknown"] {
        assert!(seen.contains(v), "never {v}: {seen:?}");
    }
}

/// The mutation the oracle must catch: every unknown peer taken for
/// "everything". If the property still held, the oracle would not test
/// unknowns at all.
#[test]
fn an_unknown_peer_taken_for_everything_is_caught() {
    use proptest::test_runner::{Config, TestRunner};
    let mut runner = TestRunner::new(Config {
        cases: 2000,
        failure_persistence: None,
        ..Config::default()
    });
    let outcome = runner.run(&case(), |c| {
        let truth = build(&c);
        let mut lie = truth.clone();
        for sg in &mut lie.sgs {
            for r in sg.ingress.iter_mut().chain(sg.egress.iter_mut()) {
                if matches!(r.peer, Peer::Unknown(_)) {
                    r.peer = Peer::Cidr(Cidr::ANY);
                }
            }
        }
        check_db(&lie, &truth, &c)
    });
    assert!(
        outcome.is_err(),
        "the oracle accepted a verifier that takes an unknown peer for everything"
    );
}

// ---- internet flows: routes, NAT gateway, the NAT subnet's ACLs ----

const NET_CIDRS: [&str; 6] = [
    "0.0.0.0/0",
    "1.0.0.0/8",
    "10.0.1.0/24",
    "10.0.0.0/24",
    "10.0.0.0/25",
    "8.0.0.0/6",
];

#[derive(Debug, Clone)]
struct NetCase {
    egress: Vec<RuleSpec>,
    default_route: u8, // 0 none, 1 IGW, 2 NAT
    nat_routes_to_igw: bool,
    public_ip: bool,
    acl_s: Option<Vec<AclSpec>>,
    acl_n: Option<Vec<AclSpec>>,
    blackhole_1_8: bool,
    /// The NAT gateway sits in the source subnet itself, whose table sends
    /// the internet back to it: a loop, never the internet.
    nat_in_source: bool,
    /// A Secrets Manager interface endpoint: private DNS on or off, its
    /// group's ingress rules (and whether one admits the workload's group),
    /// in the source subnet or the other one.
    endpoint: Option<EndpointCase>,
}

#[derive(Debug, Clone)]
struct EndpointCase {
    private_dns: bool,
    ingress: Vec<RuleSpec>,
    admits_group: bool,
    in_source_subnet: bool,
}

fn endpoint_case() -> impl Strategy<Value = EndpointCase> {
    (
        prop::bool::weighted(0.7),
        prop::collection::vec(net_rule(), 0..3),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(private_dns, ingress, admits_group, in_source_subnet)| EndpointCase {
                private_dns,
                ingress,
                admits_group,
                in_source_subnet,
            },
        )
}

fn net_rule() -> impl Strategy<Value = RuleSpec> {
    (
        any::<bool>(),
        0..PORTS.len(),
        0..PORTS.len(),
        prop_oneof![3 => Just(0usize), 1 => 0..NET_CIDRS.len()],
    )
        .prop_map(|(all, a, b, peer)| RuleSpec {
            all,
            lo: PORTS[a.min(b)].min(443),
            hi: PORTS[a.max(b)].max(443),
            peer,
            unknown: false,
        })
}

fn net_acl() -> impl Strategy<Value = AclSpec> {
    (
        1u32..6,
        any::<bool>(),
        prop::bool::weighted(0.7),
        0..PORTS.len(),
        0..PORTS.len(),
        prop_oneof![2 => Just(0usize), 1 => 0..NET_CIDRS.len()],
        prop::bool::weighted(0.75),
    )
        .prop_map(|(n, egress, all, a, b, cidr, allow)| AclSpec {
            number: n * 100,
            egress,
            all,
            lo: PORTS[a.min(b)],
            hi: PORTS[a.max(b)],
            cidr,
            allow,
            unknown: false,
        })
}

fn net_case() -> impl Strategy<Value = NetCase> {
    (
        prop::collection::vec(net_rule(), 0..3),
        prop_oneof![1 => Just(0u8), 1 => Just(1u8), 4 => Just(2u8)],
        prop::bool::weighted(0.8),
        prop::bool::weighted(0.3),
        prop::option::weighted(0.4, prop::collection::vec(net_acl(), 0..4)),
        prop::option::weighted(0.4, prop::collection::vec(net_acl(), 0..4)),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.15),
        prop::option::weighted(0.5, endpoint_case()),
    )
        .prop_map(
            |(
                egress,
                default_route,
                nat_routes_to_igw,
                public_ip,
                acl_s,
                acl_n,
                blackhole_1_8,
                nat_in_source,
                endpoint,
            )| NetCase {
                egress,
                default_route,
                nat_routes_to_igw,
                public_ip,
                acl_s,
                acl_n,
                blackhole_1_8,
                nat_in_source,
                endpoint,
            },
        )
}

fn ncidr(i: usize) -> Cidr {
    NET_CIDRS[i].parse().expect("test CIDR")
}

fn build_net(c: &NetCase) -> Network {
    let o = Origin::default();
    let mut n = Network::default();
    n.vpcs.push(Vpc {
        name: "vpc".into(),
        cidr: Some("10.0.0.0/16".parse().unwrap()),
        main_route_table: RouteTableId(0),
        default_acl: AclId(0),
        fully_known: true,
        origin: o.clone(),
    });
    n.gateways.push(Gateway {
        name: "igw".into(),
        kind: GatewayKind::Internet {
            vpc: Some(VpcId(0)),
        },
        origin: o.clone(),
    });
    n.gateways.push(Gateway {
        name: "nat".into(),
        kind: GatewayKind::Nat {
            subnet: Some(SubnetId(if c.nat_in_source { 0 } else { 1 })),
            public: true,
        },
        origin: o.clone(),
    });
    let local = Route {
        dest: "10.0.0.0/16".parse().unwrap(),
        target: RouteTarget::Local,
        origin: o.clone(),
    };
    // table 0: main (unused), 1: the source subnet's, 2: the NAT subnet's
    n.route_tables.push(RouteTable {
        name: "main".into(),
        vpc: Some(VpcId(0)),
        routes: vec![local.clone()],
        incomplete: None,
        origin: o.clone(),
    });
    let mut rs = vec![local.clone()];
    match c.default_route {
        1 => rs.push(Route {
            dest: Cidr::ANY,
            target: RouteTarget::Igw(GatewayId(0)),
            origin: o.clone(),
        }),
        2 => rs.push(Route {
            dest: Cidr::ANY,
            target: RouteTarget::Nat(GatewayId(1)),
            origin: o.clone(),
        }),
        _ => {}
    }
    if c.blackhole_1_8 {
        rs.push(Route {
            dest: ncidr(1),
            target: RouteTarget::Blackhole,
            origin: o.clone(),
        });
    }
    n.route_tables.push(RouteTable {
        name: "rt-s".into(),
        vpc: Some(VpcId(0)),
        routes: rs,
        incomplete: None,
        origin: o.clone(),
    });
    let mut rn = vec![local];
    if c.nat_routes_to_igw {
        rn.push(Route {
            dest: Cidr::ANY,
            target: RouteTarget::Igw(GatewayId(0)),
            origin: o.clone(),
        });
    }
    n.route_tables.push(RouteTable {
        name: "rt-n".into(),
        vpc: Some(VpcId(0)),
        routes: rn,
        incomplete: None,
        origin: o.clone(),
    });
    add_default_acl(&mut n);
    let mut acl_for = |spec: &Option<Vec<AclSpec>>, name: &str| add_acl(&mut n, spec, name, ncidr);
    let acl_s = acl_for(&c.acl_s, "acl-s");
    let acl_n = acl_for(&c.acl_n, "acl-n");
    n.subnets.push(Subnet {
        name: "s".into(),
        vpc: Some(VpcId(0)),
        cidr: Some(ncidr(2)),
        az: Az::Index(0),
        route_table: Some(RouteTableId(1)),
        acl: acl_s,
        map_public_ip: false,
        origin: o.clone(),
        rt_origin: None,
    });
    n.subnets.push(Subnet {
        name: "n".into(),
        vpc: Some(VpcId(0)),
        cidr: Some(ncidr(3)),
        az: Az::Index(0),
        route_table: Some(RouteTableId(2)),
        acl: acl_n,
        map_public_ip: true,
        origin: o.clone(),
        rt_origin: None,
    });
    let net_sg_rule = |r: &RuleSpec| SgRule {
        proto: if r.all { Proto::All } else { Proto::TCP },
        ports: (r.lo, r.hi),
        peer: Peer::Cidr(ncidr(r.peer)),
        origin: Origin::default(),
        unknown_origin: None,
        text: String::new(),
    };
    let egress = c.egress.iter().map(net_sg_rule).collect();
    n.sgs.push(SecurityGroup {
        name: "g".into(),
        vpc: Some(VpcId(0)),
        ingress: vec![],
        egress,
        opaque: None,
        origin: o.clone(),
    });
    if let Some(e) = &c.endpoint {
        let mut ingress: Vec<SgRule> = e.ingress.iter().map(net_sg_rule).collect();
        if e.admits_group {
            ingress.push(SgRule {
                proto: Proto::TCP,
                ports: (443, 443),
                peer: Peer::Sg(SgId(0)),
                origin: o.clone(),
                unknown_origin: None,
                text: String::new(),
            });
        }
        n.sgs.push(SecurityGroup {
            name: "endpoint-sg".into(),
            vpc: Some(VpcId(0)),
            ingress,
            egress: vec![],
            opaque: None,
            origin: o.clone(),
        });
        n.endpoints.push(Endpoint {
            name: "sm".into(),
            service: Some(AwsService::SecretsManager),
            vpc: Some(VpcId(0)),
            subnets: SubnetSet::Known(vec![SubnetId(if e.in_source_subnet { 0 } else { 1 })]),
            sgs: vec![SgId(1)],
            unknown_sgs: vec![],
            private_dns: Some(e.private_dns),
            private_dns_origin: o.clone(),
            origin: o.clone(),
        });
    }
    n.workloads.push(Workload {
        name: "w".into(),
        kind: WorkloadKind::AppRunner,
        egress: Egress::Enis(Enis {
            component: Component::VpcConnector,
            name: "e".into(),
            subnets: SubnetSet::Known(vec![SubnetId(0)]),
            sgs: vec![SgId(0)],
            unknown_sgs: vec![],
            public_ip: c.public_ip,
            client: ClientKind::AppRunnerConnector,
            origin: o.clone(),
        }),
        fallback: None,
        api_uses: vec![],
        needs_internet: None,
        db_refs: vec![],
        fs_uses: vec![],
        lb_targets: Vec::new(),
        peer_uses: Vec::new(),
        origin: o,
    });
    n
}

/// The IPv4 ranges that are no public address (written again here, not
/// taken from `verify::hops`: the simulator shares no decision code).
const SPECIAL_USE: [&str; 8] = [
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "224.0.0.0/3",
];

fn is_public(ip: u32) -> bool {
    !SPECIAL_USE
        .iter()
        .any(|c| in_cidr(&c.parse().expect("test CIDR"), ip))
}

fn lpm(net: &Network, rt: usize, ip: u32) -> Option<&RouteTarget> {
    net.route_tables[rt]
        .routes
        .iter()
        .filter(|r| in_cidr(&r.dest, ip))
        .max_by_key(|r| r.dest.len)
        .map(|r| &r.target)
}

/// Through a private-DNS endpoint in subnet `e`: the workload's group out,
/// the subnets' ACLs both ways when the leg crosses them, the local route,
/// the endpoint's group in.
fn simulate_endpoint(net: &Network, e: SubnetId, p: Pkt) -> bool {
    const W: World = World::Restrictive;
    let s = SubnetId(0);
    let reply = Pkt {
        tcp: p.tcp,
        src: p.dst,
        dst: p.src,
        sport: p.dport,
        dport: p.sport,
    };
    let cross = s != e;
    sg_allows(net, &[SgId(0)], &[SgId(1)], true, p, W)
        && (!cross || acl_allows(net, s, true, p, W))
        && matches!(lpm(net, 1, p.dst), Some(RouteTarget::Local))
        && (!cross || acl_allows(net, e, false, p, W))
        && sg_allows(net, &[SgId(1)], &[SgId(0)], false, p, W)
        && (!cross || acl_allows(net, e, true, reply, W))
        && (!cross || acl_allows(net, s, false, reply, W))
}

/// The boundary values of the internet cases: every CIDR they use and
/// every special-use range the public space excludes; every port.
fn net_points() -> (Vec<u32>, Vec<u32>) {
    let mut addr_points: Vec<u32> = Vec::new();
    for x in NET_CIDRS.iter().chain(SPECIAL_USE.iter()) {
        let c: Cidr = x.parse().expect("test CIDR");
        addr_points.push(c.first());
        addr_points.push(c.last());
    }
    let port_points: Vec<u32> = PORTS.iter().map(|p| u32::from(*p)).chain([443]).collect();
    (addr_points, port_points)
}

/// Every boundary packet from the source subnet to a public address on
/// tcp/443, with its fate through the internet path.
fn internet_results(net: &Network) -> Vec<((u32, u32), u32, Option<bool>)> {
    let (addr_points, port_points) = net_points();
    let (Some(sc), Some(nc)) = (net.subnets[0].cidr, net.subnets[nat_subnet(net).0].cidr) else {
        return vec![];
    };
    let nat_ips = critical(nc.first(), nc.last(), &addr_points);
    let nat_ports = critical(1024, 65535, &port_points);
    let mut results = Vec::new();
    for src in critical(sc.first(), sc.last(), &addr_points) {
        for dst in critical(0, u32::MAX, &addr_points)
            .into_iter()
            .filter(|d| is_public(*d))
        {
            for sport in critical(1024, 65535, &port_points) {
                let p = Pkt {
                    tcp: true,
                    src,
                    dst,
                    sport: sport as u16,
                    dport: 443,
                };
                results.push((
                    (src, dst),
                    sport,
                    simulate_net(net, p, &nat_ips, &nat_ports),
                ));
            }
        }
    }
    results
}

fn nat_subnet(net: &Network) -> SubnetId {
    net.gateways
        .iter()
        .find_map(|g| match g.kind {
            GatewayKind::Nat { subnet, .. } => subnet,
            _ => None,
        })
        .unwrap_or(SubnetId(1))
}

/// Some(true) passes, Some(false) fails, None: depends on the NAT gateway's
/// address and port.
fn simulate_net(net: &Network, p: Pkt, nat_ips: &[u32], nat_ports: &[u32]) -> Option<bool> {
    // the internet cases carry no unknown facts: both worlds are one
    const W: World = World::Restrictive;
    let s = SubnetId(0);
    let n = nat_subnet(net);
    // the NAT's own traffic leaves by its subnet's table
    let nat_rt = net.subnets[n.0].route_table.map_or(0, |r| r.0);
    let public_ip = matches!(
        net.workloads[0].egress,
        Egress::Enis(Enis {
            public_ip: true,
            ..
        })
    );
    let reply = |q: Pkt| Pkt {
        tcp: q.tcp,
        src: q.dst,
        dst: q.src,
        sport: q.dport,
        dport: q.sport,
    };
    let base = sg_allows(net, &[SgId(0)], &[], true, p, W)
        && acl_allows(net, s, true, p, W)
        && acl_allows(net, s, false, reply(p), W);
    if !base {
        return Some(false);
    }
    match lpm(net, 1, p.dst) {
        Some(RouteTarget::Igw(_)) => Some(public_ip),
        Some(RouteTarget::Nat(_)) => {
            // into the NAT's subnet (no ACL between an ENI and a NAT
            // gateway of the same subnet)
            if n != s && !(acl_allows(net, n, false, p, W) && acl_allows(net, n, true, reply(p), W))
            {
                return Some(false);
            }
            if !matches!(lpm(net, nat_rt, p.dst), Some(RouteTarget::Igw(_))) {
                return Some(false);
            }
            let (mut ok, mut bad) = (0, 0);
            for &ip in nat_ips {
                for &port in nat_ports {
                    let q = Pkt {
                        tcp: p.tcp,
                        src: ip,
                        dst: p.dst,
                        sport: port as u16,
                        dport: p.dport,
                    };
                    if acl_allows(net, n, true, q, W) && acl_allows(net, n, false, reply(q), W) {
                        ok += 1
                    } else {
                        bad += 1
                    }
                }
            }
            if bad == 0 {
                Some(true)
            } else if ok == 0 {
                Some(false)
            } else {
                None
            }
        }
        _ => Some(false),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(10_000), ..ProptestConfig::default() })]

    #[test]
    fn internet_verdicts_agree_with_brute_force(c in net_case()) {
        let net = build_net(&c);
        let flows = derive_flows(&net);
        let f = flows.iter().find(|f| f.kind() == TargetKind::Internet).expect("internet flow");
        let res = verify(&net, f);
        let expected = classify(&internet_results(&net));
        prop_assert_eq!(res.verdict, expected, "blockers={:?} missing={:?}", res.blockers, res.missing);
        if res.verdict == Verdict::Unreachable {
            prop_assert!(!res.blockers.is_empty());
        }
    }
}

/// Every blocker code the verifier can emit is documented.
#[test]
fn every_blocker_code_is_on_the_codes_page() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = std::fs::read_to_string(root.join("rules/codes.md")).expect("rules/codes.md");
    for c in BlockerCode::ALL {
        assert!(
            page.contains(&format!("### {c}")),
            "{c} missing from rules/codes.md"
        );
    }
}

/// Remedies are data: the verifier's reasons name no input format, and a
/// door's advisor words them.
#[test]
fn reasons_name_no_input_format() {
    let src = [
        include_str!("mod.rs"),
        include_str!("path.rs"),
        include_str!("../model/flow.rs"),
        include_str!("../model/proof.rs"),
        include_str!("hops.rs"),
    ]
    .concat();
    for word in [
        "FromPort",
        "SourceSecurityGroupId",
        "placement: private",
        "manifest",
        "App Runner connector",
    ] {
        let code: Vec<&str> = src
            .lines()
            .filter(|l| !l.trim_start().starts_with("//") && l.contains(word))
            .collect();
        assert!(code.is_empty(), "{word} in the verifier: {code:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(10_000), ..ProptestConfig::default() })]

    /// Secrets Manager: through the endpoint when it has private DNS, else
    /// the same way as the internet (its public addresses).
    #[test]
    fn aws_service_verdicts_agree_with_brute_force(c in net_case()) {
        let net = build_net(&c);
        let flows = derive_flows(&net);
        let f = flows
            .iter()
            .find(|f| matches!(&f.target, Target::AwsService(AwsService::SecretsManager)))
            .expect("secrets manager flow");
        let res = verify(&net, f);
        let (addr_points, port_points) = net_points();
        let sc = net.subnets[0].cidr.unwrap();
        let mut results = Vec::new();
        match &c.endpoint {
            Some(e) if e.private_dns => {
                let es = SubnetId(if e.in_source_subnet { 0 } else { 1 });
                let ec = net.subnets[es.0].cidr.unwrap();
                for src in critical(sc.first(), sc.last(), &addr_points) {
                    for dst in critical(ec.first(), ec.last(), &addr_points) {
                        for sport in critical(1024, 65535, &port_points) {
                            let p = Pkt { tcp: true, src, dst, sport: sport as u16, dport: 443 };
                            results.push(((src, dst), sport, Some(simulate_endpoint(&net, es, p))));
                        }
                    }
                }
            }
            _ => results = internet_results(&net),
        }
        let expected = classify(&results);
        prop_assert_eq!(res.verdict, expected, "endpoint={:?} blockers={:?} missing={:?}", c.endpoint, res.blockers, res.missing);
    }
}

// ---- inbound flows: from outside the VPC through the internet gateway ----

/// A packet from outside to the workload's ENI in subnet 0: the ENI's
/// public IP and the VPC's internet gateway, the subnet's ACL in, the
/// group's ingress, the ACL out for the reply, and the reply's route,
/// which must lead to the internet gateway.
fn simulate_inbound(net: &Network, p: Pkt) -> bool {
    const W: World = World::Restrictive;
    let s = SubnetId(0);
    let public_ip = matches!(
        net.workloads[0].egress,
        Egress::Enis(Enis {
            public_ip: true,
            ..
        })
    );
    let igw = net.gateways.iter().any(|g| {
        matches!(
            g.kind,
            GatewayKind::Internet {
                vpc: Some(VpcId(0))
            }
        )
    });
    let reply = Pkt {
        tcp: p.tcp,
        src: p.dst,
        dst: p.src,
        sport: p.dport,
        dport: p.sport,
    };
    is_public(p.src)
        && igw
        && public_ip
        && acl_allows(net, s, false, p, W)
        && sg_allows(net, &[SgId(0)], &[], false, p, W)
        && acl_allows(net, s, true, reply, W)
        && matches!(lpm(net, 1, reply.dst), Some(RouteTarget::Igw(_)))
}

/// The internet cases' workload as ECS tasks (an App Runner connector
/// carries no inbound traffic).
fn as_tasks(net: &mut Network) {
    if let Egress::Enis(e) = &mut net.workloads[0].egress {
        e.component = Component::EcsTask;
        e.client = ClientKind::FargateLinux;
    }
}

/// The inbound flow on tcp/443 from `source` to workload `w`'s tasks.
fn inbound_flow(source: Source) -> Flow {
    Flow {
        source,
        service: "w".into(),
        target: Target::Workload {
            workload: 0,
            name: "w".into(),
        },
        port: 443,
        needed: true,
        isolation: false,
        reason: "test".into(),
        needed_for: vec![],
    }
}

proptest! {
    // each case pushes every boundary packet of the public address space
    // through the simulator: fewer cases than the others by default
    #![proptest_config(ProptestConfig { cases: cases(2_000), ..ProptestConfig::default() })]

    /// From the internet, and from a public block, to a workload's ENIs:
    /// the verifier against the simulator, the stateless return through
    /// the subnet's ACL and the reply's route included. The workload's
    /// group admits what the case's generated rules name (its egress rules
    /// taken as ingress).
    #[test]
    fn inbound_verdicts_agree_with_brute_force(c in net_case(), from_block in any::<bool>()) {
        let mut net = build_net(&c);
        as_tasks(&mut net);
        net.sgs[0].ingress = net.sgs[0].egress.clone();
        let block = ncidr(1);
        let source = if from_block { Source::Cidr(block) } else { Source::Internet };
        let res = verify(&net, &inbound_flow(source));
        let (addr_points, port_points) = net_points();
        let sc = net.subnets[0].cidr.unwrap();
        let (lo, hi) = if from_block { (block.first(), block.last()) } else { (0, u32::MAX) };
        let mut results = Vec::new();
        for src in critical(lo, hi, &addr_points).into_iter().filter(|a| is_public(*a)) {
            for dst in critical(sc.first(), sc.last(), &addr_points) {
                for sport in critical(1024, 65535, &port_points) {
                    let p = Pkt { tcp: true, src, dst, sport: sport as u16, dport: 443 };
                    results.push(((src, dst), sport, Some(simulate_inbound(&net, p))));
                }
            }
        }
        let expected = classify(&results);
        prop_assert_eq!(res.verdict, expected, "blockers={:?} missing={:?}", res.blockers, res.missing);
        if res.verdict == Verdict::Unreachable {
            prop_assert!(!res.blockers.is_empty());
            prop_assert!(res.counterexample.is_some());
        }
        if res.verdict == Verdict::Reachable {
            prop_assert!(res.path.iter().any(|h| h.component == Component::InternetGateway));
        }
    }
}

/// Addresses that are not public reach the VPC only through what is not
/// modelled: the verdict is unknown and says so, never unreachable.
#[test]
fn a_private_block_outside_is_unknown() {
    let c = NetCase {
        egress: vec![],
        default_route: 1,
        nat_routes_to_igw: true,
        public_ip: true,
        acl_s: None,
        acl_n: None,
        blackhole_1_8: false,
        nat_in_source: false,
        endpoint: None,
    };
    let mut net = build_net(&c);
    // an App Runner connector carries outbound traffic only: whatever
    // reaches the service does not come through it
    let res = verify(&net, &inbound_flow(Source::Internet));
    assert_eq!(res.verdict, Verdict::Unknown);
    assert!(
        res.missing.iter().any(|m| m.text.contains("service URL")),
        "{:?}",
        res.missing
    );
    as_tasks(&mut net);
    let res = verify(
        &net,
        &inbound_flow(Source::Cidr("192.168.0.0/16".parse().unwrap())),
    );
    assert_eq!(res.verdict, Verdict::Unknown);
    assert!(
        res.missing.iter().any(|m| m.text.contains("not modelled")),
        "{:?}",
        res.missing
    );
}

/// A load balancer's nodes to a workload's tasks: the same proof as any
/// ENI to ENI flow (groups both ways, ACLs and the reply), from the load
/// balancer's groups; a network load balancer without groups is filtered
/// by nothing of its own.
#[test]
fn a_load_balancer_reaches_tasks_through_their_groups() {
    let c = NetCase {
        egress: vec![],
        default_route: 1,
        nat_routes_to_igw: true,
        public_ip: false,
        acl_s: None,
        acl_n: None,
        blackhole_1_8: false,
        nat_in_source: false,
        endpoint: None,
    };
    let mut net = build_net(&c);
    as_tasks(&mut net);
    let o = Origin::default();
    net.sgs.push(SecurityGroup {
        name: "lb-sg".into(),
        vpc: Some(VpcId(0)),
        ingress: vec![],
        // the default egress of a group: everything out
        egress: vec![SgRule {
            proto: Proto::All,
            ports: (0, 65535),
            peer: Peer::Cidr(Cidr::ANY),
            origin: o.clone(),
            unknown_origin: None,
            text: String::new(),
        }],
        opaque: None,
        origin: o.clone(),
    });
    let lb_sg = SgId(net.sgs.len() - 1);
    net.load_balancers.push(LoadBalancer {
        name: "PublicLoadBalancer".into(),
        internet_facing: true,
        scheme_unknown: None,
        subnets: SubnetSet::Known(vec![SubnetId(1)]),
        sgs: vec![lb_sg],
        unknown_sgs: vec![],
        network: true,
        listeners: vec![],
        owner: crate::model::Owner::Environment,
        origin: o.clone(),
    });
    let flow = Flow {
        source: Source::LoadBalancer {
            lb: 0,
            name: "PublicLoadBalancer".into(),
        },
        port: 8080,
        ..inbound_flow(Source::Internet)
    };
    // the tasks' group admits nothing: refused at their group
    let res = verify(&net, &flow);
    assert_eq!(res.verdict, Verdict::Unreachable);
    assert!(res
        .blockers
        .iter()
        .any(|b| b.code == BlockerCode::EniSgRulesMismatch && b.id == "g"));
    assert_eq!(res.flow.from().kind, EndpointKind::LoadBalancer);
    // admitting the load balancer's group on the port: reachable
    net.sgs[0].ingress.push(SgRule {
        proto: Proto::TCP,
        ports: (8080, 8080),
        peer: Peer::Sg(lb_sg),
        origin: o.clone(),
        unknown_origin: None,
        text: String::new(),
    });
    let res = verify(&net, &flow);
    assert_eq!(res.verdict, Verdict::Reachable, "{:?}", res.blockers);
    assert!(res
        .path
        .iter()
        .any(|h| h.component == Component::LoadBalancer));
    // a network load balancer without groups, from the internet: its own
    // subnet routes to the internet gateway, nothing of its own filters
    net.load_balancers[0].sgs.clear();
    let to_nlb = Flow {
        target: Target::LoadBalancer {
            lb: 0,
            name: "PublicLoadBalancer".into(),
        },
        ..inbound_flow(Source::Internet)
    };
    let res = verify(&net, &to_nlb);
    // subnet n routes only locally (rt-n has the IGW route: nat_routes_to_igw)
    assert_eq!(res.verdict, Verdict::Reachable, "{:?}", res.blockers);
    // an internal one: nothing outside addresses it
    net.load_balancers[0].internet_facing = false;
    let res = verify(&net, &to_nlb);
    assert_eq!(res.verdict, Verdict::Unreachable);
    assert_eq!(
        res.blockers[0].code,
        BlockerCode::IgwPublicIpAssociationForIngress
    );
}

/// The inbound generator reaches every verdict the property compares:
/// reachable, unreachable, and unknown (a hop admitting part of the
/// clients' ports).
#[test]
fn the_inbound_generator_reaches_every_verdict() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, TestRunner};
    let mut runner = TestRunner::new(Config::default());
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..3000 {
        let Ok(tree) = net_case().new_tree(&mut runner) else {
            continue;
        };
        let mut net = build_net(&tree.current());
        as_tasks(&mut net);
        net.sgs[0].ingress = net.sgs[0].egress.clone();
        seen.insert(
            verify(&net, &inbound_flow(Source::Internet))
                .verdict
                .as_str(),
        );
    }
    for v in ["reachable", "unreachable", "unknown"] {
        assert!(seen.contains(v), "never {v}: {seen:?}");
    }
}
