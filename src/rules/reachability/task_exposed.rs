#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL408.md"))]

use crate::base::diag::{Diagnostic, Location};
use crate::base::rule::RuleId;
use crate::model::proof::FlowResult;

pub const RULE: RuleId = RuleId::TaskExposed;

/// The internet reaches a load-balanced service's tasks directly, on a
/// port the load balancer forwards to: the finding sits at the rule that
/// admits it.
pub fn diagnostic(
    env: super::Env,
    f: &FlowResult,
    location: Location,
    workspace: &str,
) -> Diagnostic {
    super::exposed(RULE, env, f, location, workspace)
}
