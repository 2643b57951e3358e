#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL507.md"))]

use super::{db_of, db_zones, target, zone_of, Context};
use crate::base::{Diagnostic, RuleId};
use crate::cfn::Value;
use crate::model::Az;

pub const RULE: RuleId = RuleId::DbZoneOutsideSubnetGroup;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for r in cx.resources.iter().filter(|r| r.undecided.is_none()) {
        // (the resource whose zones are pinned, the database it places, the pinned values)
        let (db_res, pinned): (&crate::cfn::Resource, Vec<&Value>) = match r.rtype.as_str() {
            "AWS::RDS::DBInstance" => {
                let Some(az) = r.prop("AvailabilityZone") else {
                    continue;
                };
                match r.prop("DBClusterIdentifier") {
                    Some(c) => match target(cx, c) {
                        Some(cluster) => (cluster, vec![az]),
                        None => continue,
                    },
                    None => (r, vec![az]),
                }
            }
            "AWS::RDS::DBCluster" => match r.prop("AvailabilityZones").and_then(Value::as_list) {
                Some(l) => (r, l.iter().collect()),
                None => continue,
            },
            _ => continue,
        };
        let Some(db) = db_of(cx, db_res) else {
            continue;
        };
        let Some(zones) = db_zones(cx, db) else {
            continue;
        };
        for v in pinned {
            let Some(z) = zone_of(v) else { continue };
            let same_kind = matches!(z, Az::Index(_)) == matches!(zones[0], Az::Index(_));
            if !same_kind || zones.contains(&z) {
                continue;
            }
            let Some(span) = v.span.or_else(|| r.origin.span()) else {
                continue;
            };
            let covered = zones
                .iter()
                .map(|z| z.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            out.push(
                Diagnostic::at(
                    RULE,
                    span,
                    format!(
                        "`{}` is pinned to {z}, but the DB subnet group of `{}` covers only {covered}: RDS cannot place it",
                        r.logical, db_res.logical
                    ),
                )
                .help(format!(
                    "remove the pinned zone (RDS picks one of the group's), or name one of {covered}"
                )),
            );
        }
    }
}
