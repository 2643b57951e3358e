#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL302.md"))]

use crate::base::{Diagnostic, RuleId, Span};

pub const RULE: RuleId = RuleId::UndeclaredAddonParameter;

/// A parameters-file key Copilot passes itself (`App`, `Env`, `Name`).
pub fn reserved(span: Span, key: &str) -> Diagnostic {
    Diagnostic::at(
        RULE,
        span,
        format!("`{key}` is passed by Copilot itself and may not be set in addons.parameters.yml"),
    )
    .help(format!("remove `{key}` from addons.parameters.yml"))
}

/// A parameters-file key no addon template declares.
pub fn undeclared(span: Span, key: &str, addons_dir: &str) -> Diagnostic {
    Diagnostic::at(
        RULE,
        span,
        format!("`{key}` is not a parameter of any addon template in {addons_dir}"),
    )
    .help(format!(
        "declare `{key}` under Parameters in the addon template, or remove it here"
    ))
}
