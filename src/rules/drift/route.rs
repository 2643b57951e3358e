#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL603.md"))]

use super::Context;
use crate::base::{Diagnostic, RuleId};
use crate::model::net::Cidr;
use crate::model::{Network, RouteTarget, SubnetId};

pub const RULE: RuleId = RuleId::DriftRoute;

/// Where a subnet's default route (0.0.0.0/0) goes, by kind.
fn default_route(net: &Network, s: SubnetId) -> Option<(&'static str, crate::base::Origin)> {
    let sub = net.subnet(s);
    let rt = sub
        .route_table
        .or_else(|| sub.vpc.map(|v| net.vpcs[v.0].main_route_table))?;
    let table = net.rt(rt);
    if table.incomplete.is_some() {
        return None;
    }
    let r = table.routes.iter().find(|r| r.dest == Cidr::ANY);
    Some(match r {
        None => ("no default route", table.origin.clone()),
        Some(r) => (
            match r.target {
                RouteTarget::Igw(_) => "an internet gateway",
                RouteTarget::Nat(_) => "a NAT gateway",
                RouteTarget::Local => "local",
                RouteTarget::Blackhole => "a blackhole",
                RouteTarget::Other(_) => "another target",
            },
            r.origin.clone(),
        ),
    })
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (f, l) in cx.subnet_map() {
        let (Some((want, origin)), Some((have, _))) =
            (default_route(cx.files, f), default_route(cx.live, l))
        else {
            continue;
        };
        if want == have {
            continue;
        }
        let Some(span) = cx.span_of(&origin) else {
            continue;
        };
        out.push(
            Diagnostic::at(
                RULE,
                span,
                format!(
                    "subnet `{}` ({}) should route 0.0.0.0/0 to {want}, but in the account it routes to {have}",
                    cx.files.subnet(f).name,
                    cx.live.subnet(l).name
                ),
            )
            .help("deploy the environment again to restore its routes, or find who changed the route table"),
        );
    }
}
