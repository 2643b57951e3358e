//! Hops as functions on packet sets: what a security group, a network ACL or
//! a route table lets through, split into what surely passes and what passes
//! only depending on a fact unknown offline.

use super::packets::{Cube, PacketSet, DPORT, DST, PROTO, SPORT, SRC};
use crate::model::*;

/// What a hop lets through: `pass` surely, `maybe` depending on `why` (each
/// missing fact with the origin of the hop element it decides).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub pass: PacketSet,
    pub maybe: PacketSet,
    pub why: Vec<Missing>,
    /// Rules that admitted packets (for the witness).
    pub matched: Vec<(String, Origin)>,
    /// Rules that denied packets (an ACL's deny entries), so a blocker
    /// points at the entry to change rather than the whole list.
    pub denied: Vec<(String, Origin)>,
}

pub fn proto_cube(p: Proto, ports: (u16, u16)) -> Cube {
    match p {
        Proto::All => Cube::full(),
        Proto::Num(n) if n == 6 || n == 17 => Cube::full()
            .with(PROTO, u32::from(n), u32::from(n))
            .with(DPORT, u32::from(ports.0), u32::from(ports.1)),
        Proto::Num(n) => Cube::full().with(PROTO, u32::from(n), u32::from(n)),
    }
}

pub fn cidr_range(c: &Cidr) -> (u32, u32) {
    (c.first(), c.last())
}

/// Security-group rules of a set of groups in one direction. `peer_sgs` are
/// the groups of the other end (for rules that name a group).
pub fn sg_filter(
    net: &Network,
    sgs: &[SgId],
    unknown_sgs: &[Missing],
    egress: bool,
    peer_sgs: &[SgId],
    input: &PacketSet,
) -> Filter {
    let mut f = Filter::default();
    let addr_field = if egress { DST } else { SRC };
    for g in sgs {
        let sg = net.sg(*g);
        if let Some(w) = &sg.opaque {
            f.maybe = f.maybe.union(input);
            f.why.push(w.clone().with_origin(sg.origin.clone()));
            continue;
        }
        let rules = if egress { &sg.egress } else { &sg.ingress };
        for r in rules {
            let base = proto_cube(r.proto, r.ports);
            let (cube, maybe_why) = match &r.peer {
                Peer::Cidr(c) => {
                    let (a, b) = cidr_range(c);
                    (Some(base.with(addr_field, a, b)), None)
                }
                Peer::Sg(p) => (peer_sgs.contains(p).then_some(base), None),
                Peer::Unknown(w) => (Some(base), Some(w.clone())),
            };
            let Some(cube) = cube else { continue };
            let hit = input.intersect(&PacketSet::of(cube));
            if hit.is_empty() {
                continue;
            }
            match maybe_why {
                None => {
                    f.pass = f.pass.union(&hit);
                    f.matched
                        .push((format!("{}: {}", sg.name, r.text), r.origin.clone()));
                }
                Some(w) => {
                    f.maybe = f.maybe.union(&hit);
                    let o = r.unknown_origin.clone().unwrap_or_else(|| r.origin.clone());
                    f.why.push(
                        w.reworded(|w| {
                            format!(
                                "{w} (in a {} rule of {})",
                                if egress { "egress" } else { "ingress" },
                                sg.name
                            )
                        })
                        .with_origin(o),
                    );
                }
            }
        }
    }
    for w in unknown_sgs {
        f.maybe = f.maybe.union(input);
        // where the group was named (a literal id, a patch) is the line
        // that holds the fact
        f.why.push(w.reworded(|w| format!("the rules of {w}")));
    }
    f.maybe = f.maybe.subtract(&f.pass);
    f
}

/// A network ACL in one direction: rules in number order, first match wins,
/// the final `*` rule denies.
pub fn acl_filter(net: &Network, acl: AclId, egress: bool, input: &PacketSet) -> Filter {
    let a = net.acl(acl);
    let mut f = Filter::default();
    let mut remaining = input.clone();
    let addr_field = if egress { DST } else { SRC };
    for e in a.entries.iter().filter(|e| e.egress == egress) {
        if let Some(w) = &e.unknown {
            // what reaches an undecided entry is undecided
            f.maybe = f.maybe.union(&remaining);
            f.why.push(w.clone().with_origin(e.origin.clone()));
            break;
        }
        let (lo, hi) = cidr_range(&e.cidr);
        let cube = proto_cube(e.proto, e.ports).with(addr_field, lo, hi);
        let hit = remaining.intersect(&PacketSet::of(cube));
        if hit.is_empty() {
            continue;
        }
        remaining = remaining.subtract(&hit);
        let dir = if egress { "outbound" } else { "inbound" };
        if e.action == Action::Allow {
            f.pass = f.pass.union(&hit);
            f.matched.push((
                format!("{} rule {} allows {dir}", a.name, e.number),
                e.origin.clone(),
            ));
        } else {
            let ports = match e.proto {
                Proto::All => String::new(),
                _ if e.ports == (0, 65535) => String::new(),
                _ if e.ports.0 == e.ports.1 => format!("/{}", e.ports.0),
                _ => format!("/{}-{}", e.ports.0, e.ports.1),
            };
            f.denied.push((
                format!(
                    "rule {} denies {dir} {}{ports} {} {}",
                    e.number,
                    e.proto,
                    if egress { "to" } else { "from" },
                    e.cidr
                ),
                e.origin.clone(),
            ));
        }
    }
    f
}

/// Applies a filter to the reply direction of a forward set.
pub fn on_reply(f: impl Fn(&PacketSet) -> Filter, input: &PacketSet) -> Filter {
    let r = f(&input.reversed());
    Filter {
        pass: r.pass.reversed(),
        maybe: r.maybe.reversed(),
        why: r.why,
        matched: r.matched,
        denied: r.denied,
    }
}

/// Which target the route table sends each part of `input` to (longest
/// prefix first).
pub fn route_parts(
    net: &Network,
    rt: RouteTableId,
    input: &PacketSet,
) -> Vec<(Option<Route>, PacketSet)> {
    let table = net.rt(rt);
    let mut routes: Vec<&Route> = table.routes.iter().collect();
    routes.sort_by_key(|r| std::cmp::Reverse(r.dest.len));
    let mut remaining = input.clone();
    let mut out = Vec::new();
    for r in routes {
        let (lo, hi) = cidr_range(&r.dest);
        let hit = remaining.intersect(&PacketSet::of(Cube::full().with(DST, lo, hi)));
        if hit.is_empty() {
            continue;
        }
        remaining = remaining.subtract(&hit);
        out.push((Some(r.clone()), hit));
    }
    if !remaining.is_empty() {
        out.push((None, remaining));
    }
    out
}

/// What a route table lets through: the parts whose route `accept` takes
/// (giving the text for the witness) pass; a route to a target reachlint
/// does not model, or a table whose routes are not all known, makes its
/// part undecided; the rest is dropped.
pub fn route_filter(
    net: &Network,
    rt: RouteTableId,
    input: &PacketSet,
    accept: &dyn Fn(&Route) -> Option<String>,
) -> Filter {
    let mut f = Filter::default();
    let table = net.rt(rt);
    if let Some(w) = &table.incomplete {
        f.maybe = input.clone();
        f.why.push(w.clone().with_origin(table.origin.clone()));
        return f;
    }
    for (r, part) in route_parts(net, rt, input) {
        let Some(r) = r else { continue };
        if let RouteTarget::Other(w) = &r.target {
            f.maybe = f.maybe.union(&part);
            f.why.push(
                Missing::new(Fact::RouteTarget(w.clone()), format!("where {w} leads"))
                    .with_origin(r.origin.clone()),
            );
        } else if let Some(text) = accept(&r) {
            f.matched.push((text, r.origin.clone()));
            f.pass = f.pass.union(&part);
        }
    }
    f
}

/// The packets of a TCP flow between two address ranges, from the client's
/// ephemeral source ports.
pub fn flow_set(src: (u32, u32), dst: (u32, u32), port: u16, client: ClientKind) -> PacketSet {
    let (lo, hi) = client.ephemeral();
    PacketSet::of(
        Cube::full()
            .with(PROTO, 6, 6)
            .with(SRC, src.0, src.1)
            .with(DST, dst.0, dst.1)
            .with(SPORT, u32::from(lo), u32::from(hi))
            .with(DPORT, u32::from(port), u32::from(port)),
    )
}

/// Public IPv4 space: everything but private, shared, loopback, link-local,
/// multicast and reserved ranges.
pub fn public_ipv4() -> PacketSet {
    static SET: std::sync::OnceLock<PacketSet> = std::sync::OnceLock::new();
    SET.get_or_init(public_ipv4_set).clone()
}

fn public_ipv4_set() -> PacketSet {
    let mut s = PacketSet::of(Cube::full());
    for c in [
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "224.0.0.0/3",
    ] {
        if let Ok(c) = c.parse::<Cidr>() {
            let (a, b) = cidr_range(&c);
            s = s.subtract(&PacketSet::of(Cube::full().with(DST, a, b)));
        }
    }
    s
}
