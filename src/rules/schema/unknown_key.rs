#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL102.md"))]

use crate::base::{Diagnostic, RuleId, Span};

pub const RULE: RuleId = RuleId::UnknownKey;

/// Where the key should go instead, if anywhere.
pub enum Suggestion<'a> {
    /// A known key at the same place, nearly spelt the same.
    Here(&'a str),
    /// The same key elsewhere in the schema (an indentation slip).
    Elsewhere {
        at: String,
        parent: String,
    },
    None,
}

/// `path` ends with a dot (or is empty); `known` are the keys allowed here.
pub fn diagnostic(span: Span, path: &str, key: &str, known: &[&str], s: Suggestion) -> Diagnostic {
    let d = Diagnostic::at(
        RULE,
        span,
        format!("unknown key `{path}{key}`: Copilot ignores it silently"),
    );
    match s {
        Suggestion::Here(s) => d.help(format!(
            "did you mean `{path}{s}`? Known keys here: {}",
            known.join(", ")
        )),
        Suggestion::Elsewhere { at, parent } => d.help(format!(
            "did you mean `{at}`? `{key}` belongs there, not under `{parent}`"
        )),
        Suggestion::None => d.help(format!(
            "remove it or move it where it belongs; known keys here: {}",
            known.join(", ")
        )),
    }
}
