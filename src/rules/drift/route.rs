#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL603.md"))]

use super::Context;
use crate::base::{Diagnostic, RuleId};
use crate::model::net::Cidr;
use crate::model::{Network, RouteTable, RouteTarget, SubnetId};

pub const RULE: RuleId = RuleId::DriftRoute;

/// The table that routes a subnet, when all its routes are known.
fn table(net: &Network, s: SubnetId) -> Option<&RouteTable> {
    let sub = net.subnet(s);
    let rt = sub
        .route_table
        .or_else(|| sub.vpc.map(|v| net.vpcs[v.0].main_route_table))?;
    let table = net.rt(rt);
    table.incomplete.is_none().then_some(table)
}

/// A route's target, by kind (ids differ between the files and the account).
fn kind(t: &RouteTarget) -> &'static str {
    match t {
        RouteTarget::Igw(_) => "an internet gateway",
        RouteTarget::Nat(_) => "a NAT gateway",
        RouteTarget::Local => "local",
        RouteTarget::Blackhole => "a blackhole",
        RouteTarget::Other(_) => "another target",
    }
}

/// Where `t` sends `dest`, by kind.
fn target_of(t: &RouteTable, dest: Cidr) -> Option<&'static str> {
    t.routes
        .iter()
        .find(|r| r.dest == dest)
        .map(|r| kind(&r.target))
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let mut pairs: Vec<(SubnetId, SubnetId)> =
        cx.matching.subnets.iter().map(|(a, b)| (*a, *b)).collect();
    pairs.sort_by_key(|(f, _)| f.0);
    for (f, l) in pairs {
        let (Some(want), Some(have)) = (table(cx.files, f), table(cx.live, l)) else {
            continue;
        };
        let names = format!(
            "subnet `{}` ({})",
            cx.files.subnet(f).name,
            cx.live.subnet(l).name
        );
        // every route the files create, by destination
        for r in &want.routes {
            let w = kind(&r.target);
            let h = target_of(have, r.dest);
            if h == Some(w) {
                continue;
            }
            let Some(span) = cx.span_of(&r.origin) else {
                continue;
            };
            let message = match (r.dest == Cidr::ANY, h) {
                (true, h) => format!(
                    "{names} should route 0.0.0.0/0 to {w}, but in the account it routes to {}",
                    h.unwrap_or("no default route")
                ),
                (false, None) => format!(
                    "{names} should route {} to {w}, but the account's route table has no route for it (removed)",
                    r.dest
                ),
                (false, Some(h)) => format!(
                    "{names} should route {} to {w}, but in the account it routes to {h}",
                    r.dest
                ),
            };
            out.push(Diagnostic::at(RULE, span, message).help(
                "deploy the environment again to restore its routes, or find who changed the route table",
            ));
        }
        // a default route the files do not create
        if target_of(want, Cidr::ANY).is_none() {
            if let Some(h) = target_of(have, Cidr::ANY) {
                let Some(span) = cx.span_of(&want.origin) else {
                    continue;
                };
                out.push(
                    Diagnostic::at(
                        RULE,
                        span,
                        format!("{names} should have no default route (the files create none), but in the account it routes 0.0.0.0/0 to {h}"),
                    )
                    .help("deploy the environment again to restore its routes, or find who changed the route table"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::source::{FileId, Span};
    use crate::model::{Az, Route, RouteTableId, Subnet};

    fn net(routes: Vec<(&str, RouteTarget)>) -> Network {
        let mut n = Network::default();
        n.route_tables.push(RouteTable {
            name: "rt".into(),
            vpc: None,
            routes: routes
                .into_iter()
                .map(|(d, target)| Route {
                    dest: d.parse().unwrap(),
                    target,
                    origin: Default::default(),
                })
                .collect(),
            incomplete: None,
            origin: Default::default(),
        });
        n.subnets.push(Subnet {
            name: "PrivateSubnet1".into(),
            vpc: None,
            cidr: Some("10.0.2.0/24".parse().unwrap()),
            az: Az::Unknown,
            route_table: Some(RouteTableId(0)),
            acl: None,
            map_public_ip: false,
            origin: Default::default(),
            rt_origin: None,
        });
        n
    }

    fn drift(files: &Network, live: &Network) -> Vec<String> {
        struct NoIds;
        impl crate::compare::Ids for NoIds {
            fn physical(&self, _: &str, _: &str) -> Option<String> {
                None
            }
            fn group_named(&self, _: &str) -> Option<String> {
                None
            }
        }
        let matching = crate::compare::matching(files, live, &NoIds);
        let cx = Context {
            env: "e",
            files,
            live,
            matching: &matching,
            env_span: Some(Span::new(FileId(0), 0, 0)),
        };
        let mut out = Vec::new();
        check(&cx, &mut out);
        out.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn a_route_removed_or_retargeted_by_hand_is_drift() {
        let files = net(vec![
            ("10.0.0.0/16", RouteTarget::Local),
            ("10.1.0.0/16", RouteTarget::Other("pcx-1".into())),
        ]);
        assert!(drift(&files, &files).is_empty());
        let removed = net(vec![("10.0.0.0/16", RouteTarget::Local)]);
        let m = drift(&files, &removed);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].contains("should route 10.1.0.0/16 to another target, but the account's route table has no route for it (removed)"), "{m:?}");
        let blackholed = net(vec![
            ("10.0.0.0/16", RouteTarget::Local),
            ("10.1.0.0/16", RouteTarget::Blackhole),
        ]);
        assert!(drift(&files, &blackholed)[0].contains("routes to a blackhole"));
        // a default route the files do not create
        let opened = net(vec![
            ("10.0.0.0/16", RouteTarget::Local),
            ("10.1.0.0/16", RouteTarget::Other("pcx-1".into())),
            ("0.0.0.0/0", RouteTarget::Other("tgw-1".into())),
        ]);
        assert!(drift(&files, &opened)[0].contains("should have no default route"));
    }
}
