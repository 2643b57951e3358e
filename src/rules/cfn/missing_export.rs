#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL304.md"))]

use crate::base::{Diagnostic, RuleId, Span};

pub const RULE: RuleId = RuleId::MissingExport;

/// No stack of the environment exports `name`; `nearest`: a known export
/// close to it.
pub fn missing(span: Span, name: &str, nearest: Option<&str>) -> Diagnostic {
    Diagnostic::at(RULE, span, format!("no stack of this environment exports `{name}`")).help(
        match nearest {
            Some(k) => format!("did you mean `{k}`?"),
            None => "check the export name (Copilot exports `<app>-<env>-<Name>` from the environment stack), or deploy the stack that exports it first".to_string(),
        },
    )
}

/// No file exports `name`, but it is in the namespace of a stack that an
/// override (`by`) may change: unseen, so a note, never an error.
pub fn unseen(span: Span, name: &str, by: &std::path::Path) -> Diagnostic {
    Diagnostic::at(
        RULE,
        span,
        format!(
            "no file exports `{name}`; the override {} may add it, and reachlint does not run it",
            by.display()
        ),
    )
    .severity(crate::base::Severity::Note)
    .help("if the override adds this export, nothing is wrong; otherwise the stack fails to create (`copilot svc package` shows the overridden template)")
}

/// The stack imports `name`, which it exports itself; `value`: how to
/// write the value instead (`` `!Ref X` ``).
pub fn own(span: Span, name: &str, value: &str) -> Diagnostic {
    Diagnostic::at(
        RULE,
        span,
        format!("this stack imports `{name}`, which it exports itself: CloudFormation cannot import a stack's own export, so the stack fails to create"),
    )
    .help(format!("use the exported value directly: {value}"))
}

/// A manifest's `from_cfn` of a name in the environment's namespace that
/// no stack of the environment exports.
pub fn from_cfn(span: Span, name: &str, nearest: Option<&str>) -> Diagnostic {
    Diagnostic::at(
        RULE,
        span,
        format!("`from_cfn: {name}`: no stack of this environment exports `{name}`, so the deployment fails"),
    )
    .help(match nearest {
        Some(k) => format!("did you mean `{k}`?"),
        None => "check the name against the environment's and the addons' exports (`aws cloudformation list-exports`)".to_string(),
    })
}
