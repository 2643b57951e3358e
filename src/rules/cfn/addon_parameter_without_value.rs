#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL301.md"))]

use crate::base::diag::{Location, Words};
use crate::base::{Diagnostic, RuleId, Span};

pub const RULE: RuleId = RuleId::AddonParameterWithoutValue;

/// `parameter` has neither a Default nor a value; `owner` is the stack,
/// `addons_dir` where the parameters file would go.
/// `parameter` of the addons of `workload` (None: the environment's) in
/// `env`; `addons_dir` is where their parameters file goes.
pub fn diagnostic(
    span: Span,
    parameter: &str,
    workload: Option<&str>,
    env: &str,
    addons_dir: &str,
) -> Diagnostic {
    let message = crate::rules::addon_owner(
        Words::new().text(format!("addon parameter `{parameter}` has no Default and no value in addons.parameters.yml; Copilot refuses to deploy ")),
        workload,
    );
    let help = if parameter == "ServiceSecurityGroupId" {
        format!("create {addons_dir}/addons.parameters.yml holding `Parameters: {{ServiceSecurityGroupId: !GetAtt ServiceSecurityGroup.GroupId}}`")
    } else {
        format!("give `{parameter}` a Default, or set it under Parameters in addons.parameters.yml")
    };
    Diagnostic::worded(
        RULE,
        Location::Span(span),
        env,
        message,
        Some(Words::new().text(help)),
    )
}
