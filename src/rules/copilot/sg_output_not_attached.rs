#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL212.md"))]

use crate::base::{Diagnostic, RuleId, Span};

pub const RULE: RuleId = RuleId::SecurityGroupOutputNotAttached;

/// Output `output` of `workload`'s addons hands over group `group` with
/// `!GetAtt group.GroupId` (at `span`).
pub fn diagnostic(span: Span, workload: &str, output: &str, group: &str) -> Diagnostic {
    Diagnostic::at(
        RULE,
        span,
        format!(
            "output `{output}` hands over `{group}` with `!GetAtt {group}.GroupId`: Copilot attaches an addon's security group to the tasks only when the output is `!Ref {group}`, so `{workload}`'s tasks do not carry it"
        ),
    )
    .help(format!("write `Value: !Ref {group}` (for a security group, Ref is its id)"))
}
