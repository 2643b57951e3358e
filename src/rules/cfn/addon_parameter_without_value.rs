#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL301.md"))]

use crate::base::{Diagnostic, RuleId, Span};

pub const RULE: RuleId = RuleId::AddonParameterWithoutValue;

/// `parameter` has neither a Default nor a value; `owner` is the stack,
/// `addons_dir` where the parameters file would go.
pub fn diagnostic(span: Span, parameter: &str, owner: &str, addons_dir: &str) -> Diagnostic {
    Diagnostic::at(
        RULE,
        span,
        format!("addon parameter `{parameter}` has no Default and no value in addons.parameters.yml; Copilot refuses to deploy {owner}"),
    )
    .help(if parameter == "ServiceSecurityGroupId" {
        format!("create {addons_dir}/addons.parameters.yml holding `Parameters: {{ServiceSecurityGroupId: !GetAtt ServiceSecurityGroup.GroupId}}`")
    } else {
        format!("give `{parameter}` a Default, or set it under Parameters in addons.parameters.yml")
    })
}
