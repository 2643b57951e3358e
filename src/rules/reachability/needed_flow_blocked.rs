#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL401.md"))]

use crate::base::diag::{Diagnostic, Location};
use crate::base::rule::RuleId;
use crate::model::proof::FlowResult;

pub const RULE: RuleId = RuleId::NeededFlowBlocked;

pub fn diagnostic(
    env: super::Env,
    f: &FlowResult,
    location: Location,
    workspace: &str,
) -> Diagnostic {
    super::blocked(RULE, env, f, location, workspace)
}
