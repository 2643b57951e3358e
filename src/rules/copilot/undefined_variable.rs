#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL203.md"))]

use crate::base::{Diagnostic, RuleId, Span};

pub const RULE: RuleId = RuleId::UndefinedVariable;

/// `names`: the undefined variables of one value, in the order written.
pub fn diagnostic(span: Span, names: &[&str]) -> Option<Diagnostic> {
    let (first, rest) = names.split_first()?;
    let also = if rest.is_empty() {
        String::new()
    } else {
        format!(
            " (and {})",
            rest.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    Some(
        Diagnostic::at(
            RULE,
            span,
            format!(
                "environment variable `{first}`{also} is not set here: it must be set when deploying, or Copilot fails the deployment of this manifest"
            ),
        )
        .help(format!(
            "export {first} wherever `copilot deploy` runs (and declare it under `variables` in .reachlint.toml so reachlint knows), or escape it as \\${{{first}}}"
        )),
    )
}
