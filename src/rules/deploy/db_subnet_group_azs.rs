#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL506.md"))]

use super::{db_of, db_zones, target, Context};
use crate::base::{Diagnostic, RuleId};

pub const RULE: RuleId = RuleId::DbSubnetGroupSingleAz;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for r in cx.resources.iter().filter(|r| {
        r.undecided.is_none()
            && (r.rtype == "AWS::RDS::DBCluster"
                || (r.rtype == "AWS::RDS::DBInstance" && r.prop("DBClusterIdentifier").is_none()))
    }) {
        let Some(db) = db_of(cx, r) else { continue };
        let Some(zones) = db_zones(cx, db) else {
            continue;
        };
        if zones.len() >= 2 {
            continue;
        }
        let group = r.prop("DBSubnetGroupName").and_then(|v| target(cx, v));
        let span = group
            .and_then(|g| g.prop("SubnetIds"))
            .and_then(|v| v.span)
            .or_else(|| group.and_then(|g| g.origin.span()))
            .or_else(|| r.origin.span());
        let Some(span) = span else { continue };
        let zone = zones
            .first()
            .map_or_else(|| "one zone".to_string(), |z| z.to_string());
        out.push(
            Diagnostic::at(
                RULE,
                span,
                format!(
                    "the DB subnet group of `{}` has subnets in one Availability Zone only ({zone}): RDS requires at least two",
                    r.logical
                ),
            )
            .help("list subnets of two or more zones, e.g. `!Split [',', {'Fn::ImportValue': !Sub '${App}-${Env}-PrivateSubnets'}]` for both of Copilot's private subnets"),
        );
    }
}
