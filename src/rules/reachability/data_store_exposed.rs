#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL407.md"))]

use crate::base::diag::{Diagnostic, Location};
use crate::base::rule::RuleId;
use crate::model::proof::FlowResult;

pub const RULE: RuleId = RuleId::DataStoreExposed;

/// The internet reaches data store `f`'s target (from some placements
/// when partial): the finding sits at the rule that admits it.
pub fn diagnostic(
    env: super::Env,
    f: &FlowResult,
    location: Location,
    workspace: &str,
) -> Diagnostic {
    super::exposed(RULE, env, f, location, workspace)
}
