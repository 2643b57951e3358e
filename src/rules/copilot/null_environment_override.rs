#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL206.md"))]

use crate::base::{Diagnostic, RuleId, Span};

pub const RULE: RuleId = RuleId::NullEnvironmentOverride;

pub fn diagnostic(span: Span, env: &str, wtype: &str) -> Diagnostic {
    Diagnostic::at(
        RULE,
        span,
        format!("`environments.{env}` is empty; Copilot crashes on an empty override block of a {wtype}"),
    )
    .help("remove the empty block or give it at least one field")
}
