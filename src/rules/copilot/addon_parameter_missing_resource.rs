#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL202.md"))]

use crate::base::diag::Words;
use crate::base::{Diagnostic, Location, RuleId};

pub const RULE: RuleId = RuleId::AddonParameterMissingResource;

/// `parameter` refers to `missing`, which the parent stack (of `workload`,
/// None: the environment's) does not have in `env`; `parent_name` is what to `!Ref` instead when the
/// name is one the addon template has but the parent stack calls otherwise.
pub fn diagnostic(
    location: Location,
    parameter: &str,
    missing: &str,
    workload: Option<&str>,
    env: &str,
    parent_name: Option<&str>,
) -> Diagnostic {
    let message = crate::rules::addon_owner(
        Words::new().text(format!(
            "addon parameter `{parameter}` refers to `{missing}`, which "
        )),
        workload,
    )
    .text(" does not have in ")
    .environments();
    let help = if missing == "ServiceSecurityGroup" {
        "Copilot creates ServiceSecurityGroup only with a VPC connector: add `network: vpc: placement: private` to the manifest (for this environment), or remove the parameter and the addon's use of it".to_string()
    } else if let Some(parent) = parent_name {
        format!("the parameters file is evaluated in the parent stack, where `{missing}` does not exist: use `!Ref {parent}`")
    } else {
        "refer to a resource the workload stack creates, or remove the parameter".to_string()
    };
    Diagnostic::worded(RULE, location, env, message, Some(Words::new().text(help)))
}
