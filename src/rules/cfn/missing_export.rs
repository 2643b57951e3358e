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

/// `name` is an export Copilot's stacks make only when `what`, and no
/// workload of the workspace makes it exist: the import fails.
pub fn not_created(span: Span, name: &str, what: &str) -> Diagnostic {
    Diagnostic::at(
        RULE,
        span,
        format!("`{name}` is exported only when {what}; no workload of this workspace makes that so, so the stack that imports it fails to create"),
    )
    .help("deploy such a workload to the environment first, or remove the import")
}

/// `name` is exported only under a condition that rests on `fact`, which
/// the files do not hold: unseen, so a note.
pub fn unseen_fact(span: Span, name: &str, fact: &str) -> Diagnostic {
    Diagnostic::at(
        RULE,
        span,
        format!("`{name}` is exported only if {fact}, which the files do not say"),
    )
    .severity(crate::base::Severity::Note)
    .help("if it holds, nothing is wrong; otherwise the stack fails to create")
}

/// `name` exists only once one of `creators` is deployed to the
/// environment (because of `what`); `importer` (None: the environment's
/// addons) deployed before them fails.
pub fn deploy_order(
    span: Span,
    name: &str,
    what: &str,
    creators: &[String],
    importer: Option<&str>,
) -> Diagnostic {
    let list = creators
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let first = match importer {
        Some(w) => format!("deploying `{w}`"),
        None => "deploying the environment".to_string(),
    };
    Diagnostic::at(
        RULE,
        span,
        format!("`{name}` exists only once {list} is deployed to the environment; {first} before that fails"),
    )
    .severity(crate::base::Severity::Note)
    .help(format!("deploy {list} to the environment first (the export exists only when {what})"))
}
