#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL903.md"))]

use crate::base::{Diagnostic, RuleId, Span};

pub const RULE: RuleId = RuleId::BadSuppression;

/// A `# reachlint:` comment that is not a valid suppression, and why.
pub fn diagnostic(span: Span, why: String) -> Diagnostic {
    Diagnostic::at(RULE, span, why).help(
        "write `# reachlint: ignore[RLnnn] reason`, optionally `until=YYYY-MM-DD` before the reason",
    )
}
