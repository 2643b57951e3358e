#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL403.md"))]

use crate::base::diag::{Diagnostic, Location};
use crate::base::rule::RuleId;
use crate::verify::FlowResult;

pub const RULE: RuleId = RuleId::FlowUnknown;

pub fn diagnostic(env: &str, f: &FlowResult, location: Location) -> Diagnostic {
    Diagnostic::new(RULE, location, super::blocked_message(env, f))
        .help(format!(
            "supply the missing facts ({}); `reachlint explain` shows the proof so far",
            super::missing_text(f)
        ))
        .env(Some(env))
}
