#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL101.md"))]

use crate::base::{Diagnostic, RuleId, Span};

pub const RULE: RuleId = RuleId::YamlSyntax;

/// The parser's message at its span.
pub fn diagnostic(span: Span, message: String) -> Diagnostic {
    Diagnostic::at(RULE, span, message)
        .help("fix the YAML so Copilot can read it; nothing else in this file is checked")
}
