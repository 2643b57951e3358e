#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL502.md"))]

use super::{at, engine_help, engine_versions, Context};
use crate::base::{Diagnostic, RuleId};
use crate::rules::data::VersionStatus;

pub const RULE: RuleId = RuleId::EngineVersionNotOffered;

/// What `EngineLifecycleSupport` says to opt out of RDS Extended Support:
/// creating a resource on a major past its standard support then fails.
const EXTENDED_SUPPORT_DISABLED: &str = "open-source-rds-extended-support-disabled";

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for v in engine_versions(cx).filter(|v| v.status == VersionStatus::ExtendedSupportOnly) {
        let Some(opt_out) = v
            .resource
            .prop("EngineLifecycleSupport")
            .filter(|l| l.as_str() == Some(EXTENDED_SUPPORT_DISABLED))
        else {
            continue;
        };
        let msg = format!(
            "RDS offers {} `{}` only as Extended Support releases, and `EngineLifecycleSupport: {EXTENDED_SUPPORT_DISABLED}` opts `{}` out of Extended Support: creating it fails",
            v.engine, v.version, v.resource.logical
        );
        let span = opt_out.span.or(v.span);
        if let Some(d) = at(RULE, span, v.resource, msg) {
            out.push(d.help(format!(
                "remove `EngineLifecycleSupport` (RDS then enrolls the resource in Extended Support, which is charged), or choose a major version in standard support (`aws rds describe-db-major-engine-versions --engine {}`); RDS version data checked {}",
                v.engine, cx.data.rds_provenance.checked
            )));
        }
    }
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
