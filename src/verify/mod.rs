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

#[derive(Debug, Clone)]
pub struct Flow {
    pub workload: usize,
    pub service: String,
    pub kind: TargetKind,
    pub target: Option<String>,
    pub engine: Option<String>,
    pub stack: String,
    pub port: u16,
    pub needed: bool,
    pub reason: String,
    /// Index of the database for database flows.
    pub database: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hop {
    pub component: String,
    pub id: String,
    pub detail: String,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Blocker {
    pub code: String,
    pub component: String,
    pub id: String,
    pub reason: String,
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
    pub missing: Vec<String>,
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
    Unknown(Vec<String>, Vec<Blocker>),
}

fn hop(component: &str, id: &str, detail: String, origin: &Origin) -> Hop {
    Hop {
        component: component.into(),
        id: id.into(),
        detail,
        origin: origin.clone(),
    }
}

fn blocker(code: &str, component: &str, id: &str, reason: String, origin: &Origin) -> Blocker {
    Blocker {
        code: code.into(),
        component: component.into(),
        id: id.into(),
        reason,
        origin: origin.clone(),
    }
}

/// Derives the flows each workload needs, with the reason for each.
pub fn derive_flows(net: &Network) -> Vec<Flow> {
    use crate::model::graph::{Element, Relation, ResourceGraph};
    let graph = ResourceGraph::build(net);
    let mut out = Vec::new();
    for (wi, w) in net.workloads.iter().enumerate() {
        let wsgs: &[SgId] = match &w.egress {
            Egress::Vpc { sgs, .. } => sgs,
            _ => &[],
        };
        for (di, d) in net.databases.iter().enumerate() {
            let own = d.stack == format!("addons:{}", w.name);
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
                kind: TargetKind::Database,
                target: Some(d.name.clone()),
                engine: Some(d.engine.clone()),
                stack: d.stack.clone(),
                port: d.port,
                needed: true,
                reason,
                database: Some(di),
            });
        }
        for api in &w.api_uses {
            out.push(Flow {
                workload: wi,
                service: w.name.clone(),
                kind: TargetKind::AwsService,
                target: Some(api.service.clone()),
                engine: None,
                stack: format!("workload:{}", w.name),
                port: 443,
                needed: true,
                reason: api.reason.clone(),
                database: None,
            });
        }
        out.push(Flow {
            workload: wi,
            service: w.name.clone(),
            kind: TargetKind::Internet,
            target: None,
            engine: None,
            stack: format!("workload:{}", w.name),
            port: 443,
            needed: false,
            reason: "every workload with egress is checked for the internet (tcp/443 to a public address); informational".into(),
            database: None,
        });
    }
    out
}

/// Subnets a set may stand for, or why it cannot be enumerated.
fn enumerate(net: &Network, s: &SubnetSet) -> Result<(Vec<SubnetId>, Option<String>), String> {
    match s {
        SubnetSet::Known(l) => Ok((l.clone(), None)),
        SubnetSet::Unknown {
            what,
            within: Some(v),
        } if net.vpcs[v.0].fully_known => Ok((net.subnets_of(*v), Some(what.clone()))),
        SubnetSet::Unknown { what, .. } => Err(what.clone()),
    }
}

pub fn verify(net: &Network, flow: &Flow) -> FlowResult {
    let w = &net.workloads[flow.workload];
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
    let (component, name, subnets, sgs, unknown_sgs, public_ip, src_origin) = match &w.egress {
        Egress::AppRunnerDefault { origin } => {
            let pseudo = hop("apprunner-default-egress", "apprunner-default-egress", "App Runner's managed egress (EgressType DEFAULT): traffic leaves from App Runner's own network, not from the environment's VPC".into(), origin);
            res.placements_checked = 1;
            match flow.kind {
                TargetKind::Database => {
                    res.verdict = Verdict::Unreachable;
                    let db = flow.database.map(|d| &net.databases[d]);
                    let why = match db {
                        Some(d) if d.serverless_v1 => "Aurora Serverless v1 is reachable only inside its VPC, and the service has no VPC connector",
                        _ => "the database sits in the VPC's private subnets, and the service has no VPC connector",
                    };
                    res.blockers.push(blocker(
                        "NO_VPC_CONNECTOR",
                        "apprunner-service",
                        &w.name,
                        format!("{why}: add `network: vpc: placement: private` to the manifest"),
                        origin,
                    ));
                    res.failing.push(PlacementName {
                        source_subnet: "apprunner-default-egress".into(),
                        destination_subnet: None,
                    });
                    res.counterexample = Some(format!(
                        "tcp from App Runner's managed network to {} on port {}",
                        flow.target.clone().unwrap_or_default(),
                        flow.port
                    ));
                }
                _ => {
                    res.verdict = Verdict::Reachable;
                    res.path.push(pseudo);
                    res.path.push(hop(
                        "internet",
                        "internet",
                        format!("tcp/{} to a public address", flow.port),
                        &Origin::default(),
                    ));
                }
            }
            return res;
        }
        Egress::Vpc {
            component,
            name,
            subnets,
            sgs,
            unknown_sgs,
            public_ip,
            origin,
        } => (
            component,
            name,
            subnets,
            sgs,
            unknown_sgs,
            *public_ip,
            origin,
        ),
    };
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
            "NO_SOURCE_ENI",
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
    match flow.kind {
        TargetKind::Database => {
            let d = &net.databases[flow.database.unwrap_or(0)];
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
        TargetKind::AwsService => {
            let svc = flow.target.clone().unwrap_or_default();
            let vpc = src.0.first().and_then(|s| net.subnet(*s).vpc);
            endpoint = net
                .endpoints
                .iter()
                .find(|e| e.service == svc && e.private_dns && e.vpc == vpc);
            match endpoint {
                Some(e) => match enumerate(net, &e.subnets) {
                    Ok((l, _)) => dests = l.into_iter().map(Some).collect(),
                    Err(what) => {
                        res.missing.push(what);
                        return res;
                    }
                },
                None => dests = vec![None],
            }
        }
        TargetKind::Internet => dests = vec![None],
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
                component,
                conn: name,
                conn_origin: src_origin,
                all_src: &src.0,
            };
            let p = match (flow.kind, d) {
                (TargetKind::Database, Some(d)) => {
                    let db = &net.databases[flow.database.unwrap_or(0)];
                    ctx.to_eni(
                        *s,
                        *d,
                        &db.sgs,
                        &db.unknown_sgs,
                        "database",
                        &db.name,
                        &db.origin,
                        &db_note(net, db, *d),
                    )
                }
                (TargetKind::AwsService, Some(d)) => {
                    let e = endpoint.expect("endpoint chosen above");
                    ctx.to_eni(*s, *d, &e.sgs, &[], "vpc-endpoint", &e.name, &e.origin, "")
                }
                _ => ctx.to_internet(*s),
            };
            pairs.push((*s, *d, p));
        }
    }
    res.placements_checked = pairs.len();
    aggregate(net, &mut res, pairs, src.1, dst_missing);
    res
}

fn aggregate(
    net: &Network,
    res: &mut FlowResult,
    pairs: Vec<(SubnetId, Option<SubnetId>, Pair)>,
    src_fact: Option<String>,
    dst_fact: Option<String>,
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
                        res.counterexample = Some(counterexample(net, res.flow.port, *s, *d));
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
    unknown_sgs: &'a [String],
    public_ip: bool,
    component: &'a str,
    conn: &'a str,
    conn_origin: &'a Origin,
    all_src: &'a [SubnetId],
}

/// One step of a path: a filter with its identity.
struct Step<'a> {
    component: &'static str,
    id: String,
    code: &'static str,
    what: String,
    origin: Origin,
    filter: Box<dyn Fn(&PacketSet) -> Filter + 'a>,
}

/// Runs steps sequentially on `input`; collects every blocking step.
fn run_steps(steps: &[Step], input: &PacketSet, mut path: Vec<Hop>) -> Pair {
    let mut def = input.clone();
    let mut maybe = PacketSet::empty();
    let mut missing: Vec<String> = Vec::new();
    let mut blockers: Vec<Blocker> = Vec::new();
    let mut partial = Vec::new();
    let mut unknown_at: Vec<Blocker> = Vec::new();
    for st in steps {
        // Independent check on the whole flow: every blocker, not the first.
        let alone = (st.filter)(input);
        let alone_ok = alone.pass.union(&alone.maybe);
        if input.intersect(&alone_ok).is_empty() {
            blockers.push(blocker(
                st.code,
                st.component,
                &st.id,
                st.what.clone(),
                &st.origin,
            ));
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
                "PARTIAL_MATCH",
                st.component,
                &st.id,
                format!("{} (only part of the packets pass)", st.what),
                &st.origin,
            ));
        }
        if !cur.intersect(&may).is_empty() {
            for (w, o) in &f.why {
                if !missing.contains(w) {
                    missing.push(w.clone());
                }
                let b = blocker(
                    "UNKNOWN_FACT",
                    st.component,
                    &st.id,
                    format!("depends on {w}"),
                    o,
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
            blockers.push(blocker(
                st.code,
                st.component,
                &st.id,
                st.what.clone(),
                &st.origin,
            ));
        }
        let (detail, origin) = match f.matched.first() {
            Some((_, o)) => (
                f.matched
                    .iter()
                    .map(|m| m.0.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
                o.clone(),
            ),
            None => (st.what.clone(), st.origin.clone()),
        };
        path.push(Hop {
            component: st.component.into(),
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
        let codes: std::collections::HashMap<&str, &str> =
            steps.iter().map(|s| (s.id.as_str(), s.code)).collect();
        return Pair::No(
            partial
                .into_iter()
                .map(|mut b| {
                    b.code = codes
                        .get(b.id.as_str())
                        .copied()
                        .unwrap_or("NO_PATH")
                        .to_string();
                    b
                })
                .collect(),
        );
    }
    blockers.extend(partial);
    blockers.extend(unknown_at);
    if missing.is_empty() {
        missing.push(
            "which source port or address the connection uses (a hop admits only part of them)"
                .into(),
        );
    }
    Pair::Unknown(missing, blockers)
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
fn counterexample(net: &Network, port: u16, s: SubnetId, d: Option<SubnetId>) -> String {
    let host = |x: SubnetId| {
        net.subnet(x)
            .cidr
            .map(|c| crate::model::net::fmt_ip(c.first().saturating_add(4).min(c.last())))
            .unwrap_or_else(|| "?".into())
    };
    let dst = match d {
        Some(d) => format!("{} ({})", host(d), net.subnet(d).name),
        None => "1.1.1.1 (a public address)".into(),
    };
    format!(
        "tcp {}:{} ({}) -> {dst}:{port}",
        host(s),
        EPHEMERAL.0,
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
            component: "security-group",
            id: names.join(","),
            code: "ENI_SG_RULES_MISMATCH",
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
            component: "network-acl",
            id: a.name.clone(),
            code: "SUBNET_ACL_RESTRICTION",
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
        dunk: &'a [String],
        comp: &str,
        dname: &str,
        dorigin: &Origin,
        dest_note: &str,
    ) -> Pair {
        let net = self.net;
        let (Some(sr), Some(dr)) = (subnet_range(net, s), subnet_range(net, d)) else {
            return Pair::Unknown(
                vec![format!(
                    "the CIDR of subnet {} or {}",
                    net.subnet(s).name,
                    net.subnet(d).name
                )],
                vec![],
            );
        };
        let input = flow_set(sr, dr, self.flow.port);
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
            component: "route-table",
            id: rt_name.clone(),
            code: if svpc != dvpc {
                "DISCONNECTED_VPCS"
            } else {
                "NO_ROUTE_TO_DESTINATION"
            },
            what: format!("{rt_name} has no local route to {}", net.subnet(d).name),
            origin: rt_origin.clone(),
            filter: Box::new(move |p| {
                let mut f = Filter::default();
                let Some((t, _)) = rt else { return f };
                if let Some(w) = &net.rt(t).incomplete {
                    f.maybe = p.clone();
                    f.why.push((w.clone(), net.rt(t).origin.clone()));
                    return f;
                }
                for (r, part) in route_parts(net, t, p) {
                    match r {
                        Some(r) if r.target == RouteTarget::Local && svpc == dvpc => {
                            f.matched.push((
                                format!("local route {} -> local", r.dest),
                                r.origin.clone(),
                            ));
                            f.pass = f.pass.union(&part);
                        }
                        Some(Route {
                            target: RouteTarget::Other(w),
                            origin,
                            ..
                        }) => {
                            f.maybe = f.maybe.union(&part);
                            f.why.push((format!("where {w} leads"), origin.clone()));
                        }
                        _ => {}
                    }
                }
                f
            }),
        });
        if !same {
            steps.extend(self.acl_step(d, false, false, "the inbound request"));
        }
        let sgs = self.sgs;
        let dnames: Vec<String> = dsgs.iter().map(|g| net.sg(*g).name.clone()).collect();
        let port = self.flow.port;
        steps.push(Step {
            component: "security-group",
            id: dnames.join(","),
            code: "ENI_SG_RULES_MISMATCH",
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
        let mut pair = run_steps(&steps, &input, vec![]);
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
                if x.code == "ENI_SG_RULES_MISMATCH" && x.id == dnames.join(",") {
                    if let Some(r) = dsgs
                        .iter()
                        .flat_map(|g| net.sg(*g).ingress.iter())
                        .find(|r| {
                            matches!(r.peer, Peer::Sg(p) if sgs.contains(&p))
                                && !(r.ports.0 <= port && port <= r.ports.1)
                        })
                    {
                        x.reason = format!("{} admits the workload's group on ports {}-{}, but the database listens on {port}: set FromPort and ToPort to {port}", r.text, r.ports.0, r.ports.1);
                        x.origin = r.origin.clone();
                    } else {
                        x.reason = format!("{}: add an ingress rule for tcp/{port} with SourceSecurityGroupId set to the workload's security group", x.reason);
                    }
                }
            }
        }
        if let Pair::Yes(p) = &mut pair {
            path.append(p);
            // The destination ENI right after the hop that admits into it.
            let at = path
                .iter()
                .rposition(|h| h.component == "security-group" && h.id == dnames.join(","))
                .map_or(path.len(), |i| i + 1);
            path.insert(at, dest_hop);
            return Pair::Yes(path);
        }
        pair
    }

    fn to_internet(&self, s: SubnetId) -> Pair {
        let net = self.net;
        let Some(sr) = subnet_range(net, s) else {
            return Pair::Unknown(
                vec![format!("the CIDR of subnet {}", net.subnet(s).name)],
                vec![],
            );
        };
        let port = self.flow.port;
        let input = flow_set(sr, (0, u32::MAX), port).intersect(&public_ipv4());
        let label = match self.flow.kind {
            TargetKind::AwsService => format!(
                "{} public endpoint",
                self.flow.target.clone().unwrap_or_default()
            ),
            _ => "the internet".to_string(),
        };
        let mut steps = vec![self.sg_egress_step(&[])];
        steps.extend(self.acl_step(s, true, false, "the outbound request"));
        steps.extend(self.acl_step(s, false, true, "the reply"));
        let Some((rt, _)) = net.route_table_of(s) else {
            return Pair::Unknown(
                vec![format!("the route table of {}", net.subnet(s).name)],
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
        // Common prefix (SG, ACLs of the source subnet).
        let pre = run_steps(&steps, &input, vec![]);
        let mut results: Vec<Pair> = Vec::new();
        for (route, part) in route_parts(net, rt, &input) {
            let r = match route {
                None => Pair::No(vec![blocker(
                    "NO_ROUTE_TO_DESTINATION",
                    "route-table",
                    &table.name,
                    format!(
                        "{} has no route to {label} (no 0.0.0.0/0 route{})",
                        table.name,
                        if net.route_table_of(s).is_some_and(|x| x.1) {
                            "; the subnet uses the VPC's main route table, which has only the local route"
                        } else {
                            ""
                        }
                    ),
                    &rt_origin,
                )]),
                Some(r) => match r.target.clone() {
                    RouteTarget::Igw(g) => {
                        if self.public_ip {
                            Pair::Yes(vec![
                                hop(
                                    "route-table",
                                    &table.name,
                                    format!("route {} -> {}", r.dest, net.gw(g).name),
                                    &r.origin,
                                ),
                                hop(
                                    "internet-gateway",
                                    &net.gw(g).name,
                                    "to the internet with the ENI's public IP".into(),
                                    &net.gw(g).origin,
                                ),
                            ])
                        } else {
                            Pair::No(vec![blocker("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", "route-table", &table.name, format!("{} sends {label} to {} but the {} ENI has no public IP (App Runner connector ENIs never do): place it in subnets that route through a NAT gateway", table.name, net.gw(g).name, self.component), &r.origin)])
                        }
                    }
                    RouteTarget::Nat(g) => self.through_nat(g, &r, &part, &table.name, &label),
                    RouteTarget::Other(w) => {
                        Pair::Unknown(vec![format!("where {w} leads")], vec![])
                    }
                    RouteTarget::Local => Pair::No(vec![blocker(
                        "NO_ROUTE_TO_DESTINATION",
                        "route-table",
                        &table.name,
                        format!("{label} is not inside the VPC"),
                        &r.origin,
                    )]),
                    RouteTarget::Blackhole => Pair::No(vec![blocker(
                        "NO_ROUTE_TO_DESTINATION",
                        "route-table",
                        &table.name,
                        format!("the route {} is a blackhole", r.dest),
                        &r.origin,
                    )]),
                },
            };
            results.push(r);
        }
        let mut path = self.src_hops(s);
        let combine_blockers = |mut b: Vec<Blocker>, extra: &[Blocker]| {
            for x in extra {
                if !b.contains(x) {
                    b.push(x.clone());
                }
            }
            b
        };
        let route_blockers: Vec<Blocker> = results
            .iter()
            .flat_map(|r| match r {
                Pair::No(b) | Pair::Unknown(_, b) => b.clone(),
                _ => vec![],
            })
            .collect();
        let route_missing: Vec<String> = results
            .iter()
            .flat_map(|r| match r {
                Pair::Unknown(m, _) => m.clone(),
                _ => vec![],
            })
            .collect();
        let all_yes = results.iter().all(|r| matches!(r, Pair::Yes(_)));
        let all_no = results.iter().all(|r| matches!(r, Pair::No(_)));
        match pre {
            Pair::No(b) => Pair::No(combine_blockers(b, &route_blockers)),
            Pair::Unknown(m, b) => {
                if all_no {
                    Pair::No(combine_blockers(b, &route_blockers))
                } else {
                    let mut m = m;
                    m.extend(route_missing);
                    Pair::Unknown(m, combine_blockers(b, &route_blockers))
                }
            }
            Pair::Yes(p) => {
                if all_yes {
                    // request hops, the route onwards, then the reply into
                    // the source subnet
                    let mut p = p;
                    let reply: Vec<Hop> = if p.len() > 2 { p.split_off(2) } else { vec![] };
                    path.extend(p);
                    for r in results {
                        if let Pair::Yes(h) = r {
                            path.extend(h);
                        }
                    }
                    path.extend(reply);
                    path.push(hop(
                        "internet",
                        "internet",
                        format!("tcp/{port} to {label}"),
                        &Origin::default(),
                    ));
                    Pair::Yes(path)
                } else if all_no {
                    Pair::No(route_blockers)
                } else {
                    let mut m = route_missing;
                    if m.is_empty() {
                        m.push(
                            "which destination address is used (only some routes lead out)".into(),
                        );
                    }
                    Pair::Unknown(m, route_blockers)
                }
            }
        }
    }

    fn through_nat(
        &self,
        g: GatewayId,
        r: &Route,
        part: &PacketSet,
        rt_name: &str,
        label: &str,
    ) -> Pair {
        let net = self.net;
        let gw = net.gw(g);
        let GatewayKind::Nat { subnet, public } = gw.kind.clone() else {
            return Pair::Unknown(vec![format!("gateway {}", gw.name)], vec![]);
        };
        if !public {
            return Pair::No(vec![blocker(
                "NO_ROUTE_TO_DESTINATION",
                "nat-gateway",
                &gw.name,
                format!(
                    "{} is a private NAT gateway and cannot reach {label}",
                    gw.name
                ),
                &gw.origin,
            )]);
        }
        let Some(n) = subnet else {
            return Pair::Unknown(vec![format!("the subnet of {}", gw.name)], vec![]);
        };
        let Some(nr) = subnet_range(net, n) else {
            return Pair::Unknown(
                vec![format!("the CIDR of subnet {}", net.subnet(n).name)],
                vec![],
            );
        };
        let mut hops_out = vec![hop(
            "route-table",
            rt_name,
            format!("route {} -> {}", r.dest, gw.name),
            &r.origin,
        )];
        // Into the NAT's subnet (source still the ENI).
        let mut steps = Vec::new();
        steps.extend(self.acl_step(n, false, false, "traffic into the NAT gateway"));
        steps.extend(self.acl_step(n, true, true, "the reply from the NAT gateway"));
        let pre = run_steps(&steps, part, vec![]);
        // After translation: source = the NAT's address, ephemeral ports.
        let translated = {
            let mut s = PacketSet::empty();
            for c in part.cubes() {
                s = s.union(&PacketSet::of(c.with(SRC, nr.0, nr.1).with(
                    packets::SPORT,
                    EPHEMERAL.0,
                    EPHEMERAL.1,
                )));
            }
            s
        };
        let mut post = Vec::new();
        post.extend(self.acl_step(
            n,
            true,
            false,
            "traffic from the NAT gateway to the internet",
        ));
        post.extend(self.acl_step(
            n,
            false,
            true,
            "the reply from the internet to the NAT gateway",
        ));
        let Some((nrt, _)) = net.route_table_of(n) else {
            return Pair::Unknown(
                vec![format!("the route table of {}", net.subnet(n).name)],
                vec![],
            );
        };
        let ntable = net.rt(nrt);
        let ntable_origin = net
            .subnet(n)
            .rt_origin
            .clone()
            .unwrap_or_else(|| ntable.origin.clone());
        post.push(Step {
            component: "route-table",
            id: ntable.name.clone(),
            code: "NO_ROUTE_TO_DESTINATION",
            what: format!(
                "{} (the NAT gateway's subnet {}) has no route to an internet gateway",
                ntable.name,
                net.subnet(n).name
            ),
            origin: ntable_origin,
            filter: Box::new(move |p| {
                let mut f = Filter::default();
                for (r, part) in route_parts(net, nrt, p) {
                    if let Some(Route {
                        target: RouteTarget::Igw(ig),
                        dest,
                        origin,
                    }) = r
                    {
                        f.matched.push((
                            format!("route {dest} -> {}", net.gw(ig).name),
                            origin.clone(),
                        ));
                        f.pass = f.pass.union(&part);
                    }
                }
                f
            }),
        });
        let postr = run_steps(&post, &translated, vec![]);
        match (pre, postr) {
            (Pair::Yes(a), Pair::Yes(b)) => {
                hops_out.push(hop(
                    "nat-gateway",
                    &gw.name,
                    format!(
                        "{} in {} translates the source address",
                        gw.name,
                        net.subnet(n).name
                    ),
                    &gw.origin,
                ));
                hops_out.extend(a);
                hops_out.extend(b);
                if let Some(ig) = ntable.routes.iter().find_map(|r| match r.target {
                    RouteTarget::Igw(i) => Some(i),
                    _ => None,
                }) {
                    hops_out.push(hop(
                        "internet-gateway",
                        &net.gw(ig).name,
                        "to the internet with the NAT gateway's Elastic IP".into(),
                        &net.gw(ig).origin,
                    ));
                }
                Pair::Yes(hops_out)
            }
            (Pair::No(a), other) | (other, Pair::No(a)) => {
                let mut b = a;
                if let Pair::No(x) | Pair::Unknown(_, x) = other {
                    b.extend(x);
                }
                Pair::No(b)
            }
            (Pair::Unknown(m, b), _) | (_, Pair::Unknown(m, b)) => Pair::Unknown(m, b),
        }
    }
}

#[cfg(test)]
mod tests;
