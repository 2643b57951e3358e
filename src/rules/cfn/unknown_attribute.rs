#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL307.md"))]

use crate::base::{Diagnostic, RuleId, Span};

pub const RULE: RuleId = RuleId::UnknownAttribute;

/// `logical` (of `rtype`, whose attributes are `attrs`) has no `attr`.
pub fn diagnostic(
    span: Span,
    logical: &str,
    rtype: &str,
    attr: &str,
    attrs: &[&str],
) -> Diagnostic {
    let help = match crate::base::suggest::closest(attr, attrs) {
        Some(a) => format!(
            "did you mean `{logical}.{a}`? {rtype} has {}",
            attrs.join(", ")
        ),
        None => format!("{rtype} has {}", attrs.join(", ")),
    };
    Diagnostic::at(
        RULE,
        span,
        format!(
            "{rtype} `{logical}` has no attribute `{attr}`: CloudFormation rejects the template"
        ),
    )
    .help(help)
}
