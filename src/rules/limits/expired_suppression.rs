#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL904.md"))]

use crate::base::{Date, Diagnostic, RuleId, Span};

pub const RULE: RuleId = RuleId::ExpiredSuppression;

/// The suppression of `rule` at `span` expired on `until`.
pub fn diagnostic(span: Span, rule: RuleId, until: Date) -> Diagnostic {
    Diagnostic::at(
        RULE,
        span,
        format!("the suppression of {rule} expired on {until}; the finding is reported again"),
    )
    .help("fix the finding and remove the comment, or move the date and say why")
}
