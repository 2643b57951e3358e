#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL104.md"))]

use crate::base::{Diagnostic, RuleId, Span};

pub const RULE: RuleId = RuleId::NameMismatch;

/// A workload manifest's `name` is not its directory's.
pub fn workload(span: Span, name: &str, dir: &str) -> Diagnostic {
    Diagnostic::at(
        RULE,
        span,
        format!("manifest name `{name}` differs from its directory `{dir}`"),
    )
    .help(format!("set `name: {dir}` or rename the directory"))
}

/// An environment manifest's `name` is not its directory's.
pub fn environment(span: Span, name: &str, dir: &str) -> Diagnostic {
    Diagnostic::at(
        RULE,
        span,
        format!("environment manifest name `{name}` differs from its directory `{dir}`"),
    )
    .help(format!("set `name: {dir}`"))
}
