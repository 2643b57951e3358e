#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL502.md"))]

use super::{at, engine_help, engine_versions, Context};
use crate::base::{Diagnostic, RuleId};
use crate::rules::data::VersionStatus;

pub const RULE: RuleId = RuleId::EngineVersionNotOffered;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for v in engine_versions(cx).filter(|v| v.status == VersionStatus::NotOffered) {
        let msg = format!(
            "RDS no longer offers {} version `{}` for new resources: creating `{}` (a new environment, or a first deploy of the stack) fails; existing ones keep running",
            v.engine, v.version, v.resource.logical
        );
        if let Some(d) = at(RULE, v.span, v.resource, msg) {
            out.push(d.help(engine_help(cx, &v)));
        }
    }
}
