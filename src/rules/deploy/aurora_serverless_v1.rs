#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL503.md"))]

use super::{at, Context};
use crate::base::{Diagnostic, RuleId, Severity};

pub const RULE: RuleId = RuleId::AuroraServerlessV1;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let end = cx.data.serverless_v1_end;
    let ended = cx.data.as_of >= end;
    for r in cx
        .resources
        .iter()
        .filter(|r| r.rtype == "AWS::RDS::DBCluster" && r.undecided.is_none())
    {
        let Some(mode) = r.prop("EngineMode") else {
            continue;
        };
        if !mode
            .as_str()
            .is_some_and(|m| m.eq_ignore_ascii_case("serverless"))
        {
            continue;
        }
        let msg = if ended {
            format!(
                "`{}` is an Aurora Serverless v1 cluster (`EngineMode: serverless`), which reached end of life on {end}: RDS no longer creates it (as of {})",
                r.logical, cx.data.as_of
            )
        } else {
            format!(
                "`{}` is an Aurora Serverless v1 cluster (`EngineMode: serverless`), which reaches end of life on {end}: after that day RDS no longer creates it (as of {})",
                r.logical, cx.data.as_of
            )
        };
        let scaling = if r.prop("ScalingConfiguration").is_some() {
            "remove `EngineMode: serverless` and `ScalingConfiguration`"
        } else {
            "remove `EngineMode: serverless`"
        };
        let help = format!(
            "{scaling}; add `ServerlessV2ScalingConfiguration: {{MinCapacity: 0.5, MaxCapacity: 8}}` to the cluster and an `AWS::RDS::DBInstance` with `DBInstanceClass: db.serverless`, the cluster's `Engine` and `DBClusterIdentifier: !Ref {}` (the shape of Copilot's current `storage init` Serverless v2 template); use an engine version RDS offers",
            r.logical
        );
        if let Some(mut d) = at(RULE, mode.span, r, msg) {
            if !ended {
                d = d.severity(Severity::Warning);
            }
            out.push(d.help(help));
        }
    }
}
