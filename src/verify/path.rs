//! The hops of one placement: source security groups, ACLs of both
//! subnets for the request and the reply, the route (local, internet
//! gateway, NAT gateway and its subnet), the destination's groups; each run
//! as a step on packet sets, collecting every blocker.

use super::hops::*;
use super::packets::{self, PacketSet, SRC};
use super::*;
use super::{blocker, hop};

/// The answer for one placement.
#[derive(Debug, Clone)]
pub(super) enum Pair {
    Yes(Vec<Hop>),
    No(Vec<Blocker>),
    Unknown(Vec<Missing>, Vec<Blocker>),
}

pub(super) struct Ctx<'a> {
    pub(super) net: &'a Network,
    pub(super) flow: &'a Flow,
    pub(super) sgs: &'a [SgId],
    pub(super) unknown_sgs: &'a [Missing],
    pub(super) public_ip: bool,
    pub(super) client: ClientKind,
    pub(super) component: Component,
    pub(super) conn: &'a str,
    pub(super) conn_origin: &'a Origin,
    pub(super) all_src: &'a [SubnetId],
    pub(super) cache: &'a InternetCache,
    /// For a flow from outside the VPC: its source addresses (a set over
    /// the source address field).
    pub(super) outside: Option<&'a PacketSet>,
}

/// What decides a path to public addresses, beyond the network: the source
/// subnet, the groups, the public IP, the client's ports, the port, what
/// the destination is called and the kind of the source element.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct InternetKey {
    subnet: SubnetId,
    sgs: Vec<SgId>,
    unknown_sgs: Vec<String>,
    public_ip: bool,
    client: ClientKind,
    port: u16,
    /// The service, when a gateway endpoint may serve it.
    gateway_target: Option<String>,
    component: Component,
}

/// Stands for what the destination is called in a shared internet path.
const LABEL: &str = "\u{1}destination\u{1}";

/// Names the destination in a shared path.
fn relabel(p: Pair, label: &str) -> Pair {
    let fix = |t: &mut String| {
        if t.contains(LABEL) {
            *t = t.replace(LABEL, label);
        }
    };
    match p {
        Pair::Yes(mut hops) => {
            hops.iter_mut().for_each(|h| fix(&mut h.detail));
            Pair::Yes(hops)
        }
        Pair::No(mut b) => {
            b.iter_mut().for_each(|x| fix(&mut x.reason));
            Pair::No(b)
        }
        Pair::Unknown(mut m, mut b) => {
            m.iter_mut().for_each(|x| fix(&mut x.text));
            b.iter_mut().for_each(|x| fix(&mut x.reason));
            Pair::Unknown(m, b)
        }
    }
}

/// Paths to public addresses already proved in one network: workloads with
/// the same egress (the environment group in the same subnets) share them.
/// The source hop, which names the workload, is added per flow.
pub(super) type InternetCache = std::cell::RefCell<std::collections::HashMap<InternetKey, Pair>>;

/// One step of a path: a filter with its identity.
struct Step<'a> {
    component: Component,
    id: String,
    code: BlockerCode,
    what: String,
    origin: Origin,
    /// What to change when the step blocks, if a remedy is known.
    remedy: Option<Remedy>,
    filter: Box<dyn Fn(&PacketSet) -> Filter + 'a>,
}

impl Step<'_> {
    /// The blocker this step is when it lets nothing through; `f` is what
    /// its filter said: an entry that denied the packets (an ACL's deny
    /// rule) is named, and the blocker points at it.
    fn blocker(&self, f: &Filter) -> Blocker {
        let (what, origin) = match f.denied.first() {
            Some((_, o)) => {
                let mut texts: Vec<&str> = Vec::new();
                for (t, _) in &f.denied {
                    if !texts.contains(&t.as_str()) {
                        texts.push(t);
                    }
                }
                (format!("{} ({})", self.what, texts.join("; ")), o)
            }
            None => (self.what.clone(), &self.origin),
        };
        let mut b = blocker(self.code, self.component, &self.id, what, origin);
        b.remedy = self.remedy.clone();
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
            blockers.push(st.blocker(&alone));
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
            blockers.push(st.blocker(&f));
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

/// Applies a filter to the NAT-translated image of each box (source: the
/// NAT gateway's address, source port: any of its ephemeral ports). The box
/// is split along the fields translation keeps (destination, ports of the
/// destination, protocol): where every translation passes, it passes;
/// where some may, it depends on the NAT gateway's address and port; the
/// rest is dropped. (Splitting, rather than judging the box whole, keeps
/// a destination one hop admits and another refuses from looking undecided.)
fn translated(p: &PacketSet, nat: (u32, u32), inner: &dyn Fn(&PacketSet) -> Filter) -> Filter {
    let mut out = Filter::default();
    let (lo, hi) = ClientKind::NatGateway.ephemeral();
    let (lo, hi) = (u32::from(lo), u32::from(hi));
    for c in p.cubes() {
        let image = PacketSet::of(c.with(SRC, nat.0, nat.1).with(packets::SPORT, lo, hi));
        let f = inner(&image);
        out.denied.extend(f.denied);
        let box_ = PacketSet::of(*c);
        if image.subset_of(&f.pass) {
            out.pass = out.pass.union(&box_);
            out.matched.extend(f.matched);
            continue;
        }
        // back from the image to the box: the translated fields take the
        // box's own ranges again
        let lift = |set: &PacketSet, whole_only: bool| -> PacketSet {
            let mut acc = PacketSet::empty();
            for k in set.intersect(&image).cubes() {
                let covers = k.0[SRC] == nat && k.0[packets::SPORT] == (lo, hi);
                if whole_only && !covers {
                    continue;
                }
                let back = k.with(SRC, c.0[SRC].0, c.0[SRC].1).with(
                    packets::SPORT,
                    c.0[packets::SPORT].0,
                    c.0[packets::SPORT].1,
                );
                acc = acc.union(&PacketSet::of(back));
            }
            acc
        };
        let sure = lift(&f.pass, true);
        let possible = lift(&f.pass.union(&f.maybe), false);
        if !sure.is_empty() {
            out.pass = out.pass.union(&sure);
            out.matched.extend(f.matched);
        }
        let maybe = possible.subtract(&sure);
        if !maybe.is_empty() {
            out.maybe = out.maybe.union(&maybe);
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
pub(super) fn db_note(net: &Network, db: &Database, d: SubnetId) -> String {
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
pub(super) fn counterexample(
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

/// A concrete packet of a failing placement from outside the VPC.
pub(super) fn outside_counterexample(net: &Network, flow: &Flow, d: Option<SubnetId>) -> String {
    let src = match &flow.source {
        Source::Cidr(c) => crate::model::net::fmt_ip(c.first()),
        _ => "1.1.1.1".to_string(),
    };
    let dst = d
        .and_then(|d| {
            net.subnet(d).cidr.map(|c| {
                format!(
                    "{}:{} ({})",
                    crate::model::net::fmt_ip(c.first().saturating_add(4).min(c.last())),
                    flow.port,
                    net.subnet(d).name
                )
            })
        })
        .unwrap_or_else(|| format!("?:{}", flow.port));
    format!("tcp {src}:1024 ({}) -> {dst}", flow.from().name)
}

/// Says which leg an ACL decision was about.
fn label(mut f: Filter, leg: &str) -> Filter {
    for m in &mut f.matched {
        m.0 = format!("{} for {leg}", m.0);
    }
    f
}

/// The names of a set of groups: the known ones, then those whose rules
/// are not in the inputs, by the id they have.
fn group_names(net: &Network, sgs: &[SgId], unknown: &[Missing]) -> Vec<String> {
    let mut names: Vec<String> = sgs.iter().map(|g| net.sg(*g).name.clone()).collect();
    names.extend(unknown.iter().filter_map(|m| match &m.fact {
        crate::base::Fact::OpaqueSecurityGroup(id) => Some(id.clone()),
        _ => None,
    }));
    names
}

/// The answer when subnet `s`'s CIDR is unknown offline.
fn cidr_unknown(net: &Network, s: SubnetId) -> Pair {
    Pair::Unknown(
        vec![Missing::other(format!(
            "the CIDR of subnet {}",
            net.subnet(s).name
        ))],
        vec![],
    )
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
        let names = group_names(net, sgs, unk);
        let written = sgs.iter().copied().find(|g| !net.sg(*g).egress.is_empty());
        Step {
            component: Component::SecurityGroup,
            id: names.join(","),
            code: BlockerCode::EniSgRulesMismatch,
            what: format!(
                "no egress rule of {} allows tcp/{} to the destination",
                names.join(" or "),
                self.flow.port
            ),
            // the line to change: the first group whose egress rules are
            // written out (a group without rules allows all outbound)
            origin: written
                .and_then(|g| net.sg(g).egress.first())
                .map(|r| r.origin.clone())
                .or_else(|| sgs.first().map(|g| net.sg(*g).origin.clone()))
                .unwrap_or_default(),
            remedy: written.map(|g| Remedy::AllowEgress {
                group: net.sg(g).name.clone(),
                port: self.flow.port,
            }),
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
            remedy: None,
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

    pub(super) fn to_eni(
        &self,
        s: SubnetId,
        d: SubnetId,
        dest: &Dest<'a>,
        dest_note: &str,
    ) -> Pair {
        let net = self.net;
        let (dsgs, comp, dname) = (dest.sgs, dest.component, dest.name);
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
            remedy: None,
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
        let dnames = group_names(net, dsgs, dest.unknown_sgs);
        let port = self.flow.port;
        steps.extend(self.dest_ingress_step(dest, sgs, "the source"));
        if !same {
            steps.extend(self.acl_step(d, true, true, "the reply"));
            steps.extend(self.acl_step(s, false, true, "the reply"));
        }
        let mut path = self.src_hops(s);
        let mut pair = run_steps(&steps, &input, vec![], self.client);
        let dest_hop = self.dest_hop(d, dest, dest_note);
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
                        let listener = if comp == Component::Database {
                            "the database".to_string()
                        } else {
                            dname.to_string()
                        };
                        let whose = match self.flow.source {
                            Source::LoadBalancer { .. } => "the load balancer's group",
                            _ => "the workload's group",
                        };
                        x.reason = format!(
                            "{} admits {whose} on ports {}-{}, but {listener} listens on {port}",
                            r.text, r.ports.0, r.ports.1
                        );
                        x.remedy = Some(Remedy::SetRulePort { port });
                        x.origin = r.origin.clone();
                    } else if let Some(g) = dsgs
                        .iter()
                        .flat_map(|g| net.sg(*g).ingress.iter())
                        .find_map(|r| match r.peer {
                            Peer::Sg(p)
                                if !sgs.contains(&p) && r.ports.0 <= port && port <= r.ports.1 =>
                            {
                                Some(p)
                            }
                            _ => None,
                        })
                    {
                        x.remedy = Some(Remedy::CarryAdmittedGroup {
                            group: net.sg(g).name.clone(),
                            port,
                        });
                    } else if let Some(g) = net
                        .sgs
                        .iter()
                        .enumerate()
                        .filter(|_| matches!(self.flow.target, Target::Workload { .. }))
                        .filter(|(i, _)| !dsgs.contains(&SgId(*i)))
                        .find(|(_, g)| {
                            g.ingress.iter().any(|r| {
                                matches!(r.peer, Peer::Sg(p) if sgs.contains(&p))
                                    && r.ports.0 <= port
                                    && port <= r.ports.1
                            })
                        })
                    {
                        // another group admits the source: the
                        // destination lacks it (tasks whose manifest
                        // took a group off)
                        x.remedy = Some(Remedy::AttachAdmittingGroup {
                            group: g.1.name.clone(),
                            port,
                        });
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

    /// From addresses outside the VPC to the ENI in `d`: public addresses
    /// enter through the VPC's internet gateway to the ENI's public IP,
    /// then the subnet's ACL, the ENI's groups, the ACL again for the
    /// reply, and the subnet's route table, which must send the reply back
    /// to that gateway (a reply sent to a NAT gateway or nowhere is lost).
    /// Addresses that are not public reach the VPC only through what
    /// reachlint does not model (VPN, peering, transit gateways): unknown.
    pub(super) fn enter_from_outside(&self, d: SubnetId, dest: &Dest<'a>) -> Pair {
        let net = self.net;
        let port = self.flow.port;
        let Some(dr) = subnet_range(net, d) else {
            return cidr_unknown(net, d);
        };
        let everything = PacketSet::of(packets::Cube::full());
        let sources = self.outside.unwrap_or(&everything);
        let all = flow_set((0, u32::MAX), dr, port, ClientKind::Outside).intersect(sources);
        let public = public_ipv4().reversed();
        let input = all.intersect(&public);
        let mut results = Vec::new();
        if !all.subtract(&public).is_empty() {
            results.push(Pair::Unknown(
                vec![Missing::other(format!(
                    "how {} reaches the VPC from addresses that are not public (VPN, peering and transit gateways are not modelled)",
                    self.flow.from().name
                ))],
                vec![],
            ));
        }
        if input.is_empty() {
            return combine(results);
        }
        let vpc = net.subnet(d).vpc;
        let igw = net.gateways.iter().enumerate().find(
            |(_, g)| matches!(g.kind, GatewayKind::Internet { vpc: Some(v) } if Some(v) == vpc),
        );
        let (comp, dname) = (dest.component, dest.name);
        let mut steps = vec![self.public_address_step(dest, vpc, igw.map(|(_, g)| g))];
        steps.extend(self.acl_step(d, false, false, "the inbound request"));
        steps.extend(self.dest_ingress_step(dest, &[], "the source addresses"));
        steps.extend(self.acl_step(d, true, true, "the reply"));
        steps.push(self.reply_to_gateway_step(d, igw.map(|(i, _)| GatewayId(i))));
        let mut path = vec![hop(
            Component::Internet,
            &self.flow.from().name,
            format!("tcp/{port} from {}", self.flow.from().name),
            &Origin::default(),
        )];
        if let Some((_, g)) = igw {
            path.push(hop(
                Component::InternetGateway,
                &g.name,
                "to the ENI's public IP".to_string(),
                &g.origin,
            ));
        }
        let r = match run_steps(&steps, &input, vec![], ClientKind::Outside) {
            Pair::Yes(mut p) => {
                // the public-address step says nothing of its own
                p.retain(|h| !(h.component == comp && h.id == dname));
                path.append(&mut p);
                path.push(self.dest_hop(d, dest, ""));
                Pair::Yes(path)
            }
            other => other,
        };
        results.push(r);
        combine(results)
    }

    /// Whether anything outside addresses the destination: its ENIs have
    /// public addresses and an internet gateway `igw` is attached to `vpc`.
    fn public_address_step(
        &self,
        dest: &Dest<'a>,
        vpc: Option<VpcId>,
        igw: Option<&Gateway>,
    ) -> Step<'a> {
        let net = self.net;
        let (comp, dname) = (dest.component, dest.name);
        let ok = dest.public_ip && igw.is_some();
        // no gateway found is certain only where the whole VPC is known
        let vpc_known = vpc
            .and_then(|v| net.vpcs.get(v.0))
            .is_some_and(|v| v.fully_known);
        let maybe = match igw {
            Some(_) => dest.public_unknown.clone(),
            None if !vpc_known && (dest.public_ip || dest.public_unknown.is_some()) => Some(
                Missing::other(format!(
                    "whether an internet gateway is attached to the VPC of {dname} (the VPC is not all in the inputs)"
                ))
                .with_origin(dest.origin.clone()),
            ),
            None => None,
        };
        Step {
            component: comp,
            id: dname.to_string(),
            code: BlockerCode::IgwPublicIpAssociationForIngress,
            what: match igw {
                None => "no internet gateway is attached to the VPC".to_string(),
                Some(g) => format!(
                    "the {comp} {dname} ENI has no public IP, so {} delivers nothing to it",
                    g.name
                ),
            },
            origin: match igw {
                Some(_) => dest.origin.clone(),
                None => vpc
                    .and_then(|v| net.vpcs.get(v.0))
                    .map(|v| v.origin.clone())
                    .unwrap_or_default(),
            },
            remedy: None,
            filter: Box::new(move |p| {
                let mut f = Filter::default();
                if ok {
                    f.pass = p.clone();
                } else if let Some(why) = &maybe {
                    f.maybe = p.clone();
                    f.why.push(why.clone());
                }
                f
            }),
        }
    }

    /// The reply of a flow from outside leaves subnet `d` by its route
    /// table, which must send it to the VPC's internet gateway `igw`.
    fn reply_to_gateway_step(&self, d: SubnetId, igw: Option<GatewayId>) -> Step<'a> {
        let net = self.net;
        let dsub = net.subnet(d);
        let rt = net.route_table_of(d);
        let rt_name = rt.map_or_else(
            || "no route table".to_string(),
            |(t, _)| net.rt(t).name.clone(),
        );
        Step {
            component: Component::RouteTable,
            id: rt_name.clone(),
            code: BlockerCode::NoRouteToDestination,
            what: format!(
                "{rt_name} does not send the reply to the internet gateway (the subnet {} needs its route to the source addresses to lead there)",
                dsub.name
            ),
            origin: rt
                .map(|(t, _)| dsub.rt_origin.clone().unwrap_or_else(|| net.rt(t).origin.clone()))
                .unwrap_or_default(),
            remedy: None,
            filter: Box::new(move |p| {
                let Some((t, _)) = rt else {
                    return Filter::default();
                };
                on_reply(
                    |q| {
                        // the gateway the flow entered by (any, when the
                        // entry step left it open)
                        route_filter(net, t, q, &|r| match r.target {
                            RouteTarget::Igw(g) if igw.is_none_or(|i| i == g) => {
                                Some(format!("reply: route {} -> {}", r.dest, net.gw(g).name))
                            }
                            _ => None,
                        })
                    },
                    p,
                )
            }),
        }
    }

    /// What the destination's groups admit, from `peers` (the source's
    /// groups; none from outside the VPC), described as coming from
    /// `from`. None for ENIs without groups.
    fn dest_ingress_step(
        &self,
        dest: &Dest<'a>,
        peers: &'a [SgId],
        from: &str,
    ) -> Option<Step<'a>> {
        if dest.ungrouped {
            return None;
        }
        let net = self.net;
        let (dsgs, dunk, port) = (dest.sgs, dest.unknown_sgs, self.flow.port);
        let dnames = group_names(net, dsgs, dunk);
        Some(Step {
            component: Component::SecurityGroup,
            id: dnames.join(","),
            code: BlockerCode::EniSgRulesMismatch,
            what: format!(
                "no ingress rule of {} admits tcp/{port} from {from}",
                if dnames.is_empty() {
                    "the destination's groups".to_string()
                } else {
                    dnames.join(" or ")
                }
            ),
            origin: dsgs
                .first()
                .map(|g| net.sg(*g).origin.clone())
                .unwrap_or_else(|| dest.origin.clone()),
            remedy: None,
            filter: Box::new(move |p| sg_filter(net, dsgs, dunk, false, peers, p)),
        })
    }

    /// The destination ENI in `d` as a hop of the witness.
    fn dest_hop(&self, d: SubnetId, dest: &Dest, note: &str) -> Hop {
        let dsub = self.net.subnet(d);
        let (comp, dname, port) = (dest.component, dest.name, self.flow.port);
        hop(
            comp,
            dname,
            format!(
                "{comp} {dname} ENI in {} ({}, {}), tcp/{port}{note}",
                dsub.name,
                dsub.cidr.map(|c| c.to_string()).unwrap_or_default(),
                dsub.az
            ),
            dest.origin,
        )
    }

    /// Request and reply through the source subnet, then each route the
    /// destination addresses take: every (route, part of the destinations)
    /// runs as one sequence of hops, so the verdict is exact per part.
    pub(super) fn to_internet(&self, s: SubnetId) -> Pair {
        // A gateway endpoint serves one service: then the path is that
        // service's; else every public destination takes the same path.
        let gateway_target = match &self.flow.target {
            Target::AwsService(svc)
                if self
                    .net
                    .gateway_endpoints
                    .iter()
                    .any(|g| g.service.as_ref().is_none_or(|x| x == svc)) =>
            {
                Some(svc.name().to_string())
            }
            _ => None,
        };
        let key = InternetKey {
            subnet: s,
            sgs: self.sgs.to_vec(),
            unknown_sgs: self.unknown_sgs.iter().map(|m| m.text.clone()).collect(),
            public_ip: self.public_ip,
            client: self.client,
            port: self.flow.port,
            gateway_target,
            component: self.component,
        };
        let cached = self.cache.borrow().get(&key).cloned();
        let core = match cached {
            Some(p) => p,
            None => {
                let p = self.to_internet_core(s);
                self.cache.borrow_mut().insert(key, p.clone());
                p
            }
        };
        let label = match &self.flow.target {
            Target::AwsService(svc) => format!("{svc} public endpoint"),
            _ => "the internet".to_string(),
        };
        match relabel(core, &label) {
            Pair::Yes(mut p) => {
                let mut path = self.src_hops(s);
                path.append(&mut p);
                Pair::Yes(path)
            }
            other => other,
        }
    }

    /// [`Ctx::to_internet`] without the source hop.
    fn to_internet_core(&self, s: SubnetId) -> Pair {
        let net = self.net;
        let Some(sr) = subnet_range(net, s) else {
            return cidr_unknown(net, s);
        };
        let port = self.flow.port;
        let input = flow_set(sr, (0, u32::MAX), port, self.client).intersect(&public_ipv4());
        // What the destination is called is filled in per flow (the path is
        // shared by every public destination).
        let label = LABEL.to_string();
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
        if let Some(p) = self.via_gateway_endpoint(s, rt, &input) {
            return p;
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
                remedy: None,
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
                        remedy: None,
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
                        remedy: None,
                        filter: Box::new(move |p| Filter { maybe: p.clone(), why: vec![why.clone()], ..Filter::default() }),
                    });
                }
                Some((r, RouteTarget::Local)) => steps.push(dead(BlockerCode::NoRouteToDestination, format!("{label} is not inside the VPC"), r.origin.clone())),
                Some((r, RouteTarget::Blackhole)) => steps.push(dead(BlockerCode::NoRouteToDestination, format!("the route {} is a blackhole", r.dest), r.origin.clone())),
            }
            steps.extend(self.acl_step(s, false, true, "the reply"));
            let r = match run_steps(&steps, &part, vec![], self.client) {
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

    /// An AWS API with a gateway endpoint (S3, DynamoDB) on the source
    /// subnet's route table: its prefix-list route beats every CIDR route,
    /// so the path is the security group, the subnet's ACL both ways and
    /// the endpoint. None when no gateway endpoint serves the flow.
    fn via_gateway_endpoint(
        &self,
        s: SubnetId,
        rt: RouteTableId,
        input: &PacketSet,
    ) -> Option<Pair> {
        let net = self.net;
        let Target::AwsService(svc) = &self.flow.target else {
            return None;
        };
        let vpc = net.subnet(s).vpc;
        let candidates = net.gateway_endpoints.iter().filter(|g| {
            g.service.as_ref().is_none_or(|x| x == svc) && (g.vpc.is_none() || g.vpc == vpc)
        });
        let mut undecided = None;
        for g in candidates {
            let serves = g.service.as_ref() == Some(svc) && g.route_tables.contains(&rt);
            if serves && g.unknown_tables.is_none() {
                let mut steps = vec![self.sg_egress_step(&[])];
                steps.extend(self.acl_step(s, true, false, "the outbound request"));
                let text = format!(
                    "gateway endpoint {} for {svc} on {}",
                    g.name,
                    net.rt(rt).name
                );
                let o = g.origin.clone();
                steps.push(Step {
                    component: Component::VpcEndpoint,
                    id: g.name.clone(),
                    code: BlockerCode::NoRouteToDestination,
                    what: text.clone(),
                    origin: g.origin.clone(),
                    remedy: None,
                    filter: Box::new(move |p| Filter {
                        pass: p.clone(),
                        matched: vec![(text.clone(), o.clone())],
                        ..Filter::default()
                    }),
                });
                steps.extend(self.acl_step(s, false, true, "the reply"));
                return Some(run_steps(&steps, input, vec![], self.client));
            }
            if g.service.is_none() || g.unknown_tables.is_some() {
                undecided.get_or_insert(g);
            }
        }
        let g = undecided?;
        let why = g.unknown_tables.clone().unwrap_or_else(|| {
            Missing::other(format!("the service of gateway endpoint {}", g.name))
        });
        Some(Pair::Unknown(
            vec![why.reworded(|w| {
                format!("whether gateway endpoint {} serves {svc} here: {w}", g.name)
            })],
            vec![blocker(
                BlockerCode::UnknownFact,
                Component::VpcEndpoint,
                &g.name,
                format!("depends on whether {} captures {svc} traffic", g.name),
                &g.origin,
            )],
        ))
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
            remedy: None,
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
            remedy: None,
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
            remedy: None,
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
