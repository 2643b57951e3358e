#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL501.md"))]

use super::{at, engine_help, engine_versions, Context};
use crate::base::{Diagnostic, RuleId};
use crate::rules::data::VersionStatus;

pub const RULE: RuleId = RuleId::EngineVersionNotListed;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for v in engine_versions(cx).filter(|v| v.status == VersionStatus::NotListed) {
        let msg = format!(
            "RDS no longer lists {} version `{}`: the {} `{}` cannot be created",
            v.engine,
            v.version,
            v.resource.rtype.trim_start_matches("AWS::RDS::"),
            v.resource.logical
        );
        if let Some(d) = at(RULE, v.span, v.resource, msg) {
            out.push(d.help(engine_help(cx, &v)));
        }
    }
}
