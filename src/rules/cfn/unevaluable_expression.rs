#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL305.md"))]

use crate::base::{Diagnostic, RuleId, Span};

pub const RULE: RuleId = RuleId::UnevaluableExpression;

/// `function` could not be evaluated because of `what`.
pub fn diagnostic(span: Span, function: &str, what: &str) -> Diagnostic {
    Diagnostic::at(RULE, span, format!("cannot evaluate `{function}`: {what}"))
        .help("check the function's arguments against the CloudFormation reference")
}
