#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL303.md"))]

use crate::base::{Diagnostic, RuleId, Span};

pub const RULE: RuleId = RuleId::UnresolvedReference;

/// `!Ref`/`!GetAtt` of a name that is neither a parameter nor a resource;
/// `nearest`: the known name closest to it.
pub fn reference(span: Span, name: &str, nearest: Option<&str>) -> Diagnostic {
    Diagnostic::at(
        RULE,
        span,
        format!("`{name}` is neither a parameter nor a resource of this template"),
    )
    .help(match nearest {
        Some(n) => format!("did you mean `{n}`?"),
        None => "declare it, or fix the name".to_string(),
    })
}

/// A condition name not in `Conditions`.
pub fn condition(span: Span, name: &str) -> Diagnostic {
    Diagnostic::at(
        RULE,
        span,
        format!("condition `{name}` is not defined in Conditions"),
    )
    .help("define the condition or fix its name")
}

/// The name a reference finding is about (RL202 rewords it for the
/// parameters file).
pub fn name_of(d: &Diagnostic) -> Option<&str> {
    (d.rule == RULE)
        .then(|| d.message.split('`').nth(1))
        .flatten()
}

/// `!FindInMap [m, k1, k2]` of an entry the mapping lacks.
pub fn mapping_entry(span: Span, map: &str, k1: &str, k2: &str) -> Diagnostic {
    Diagnostic::at(
        RULE,
        span,
        format!("mapping `{map}` has no entry `{k1}`/`{k2}`"),
    )
    .help("add the entry to Mappings or change the keys")
}
