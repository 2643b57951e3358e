#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL202.md"))]

use crate::base::{Diagnostic, Location, RuleId};

pub const RULE: RuleId = RuleId::AddonParameterMissingResource;

/// `parameter` refers to `missing`, which the parent stack (`owner`) does
/// not have in `env`; `parent_name` is what to `!Ref` instead when the
/// name is one the addon template has but the parent stack calls otherwise.
pub fn diagnostic(
    location: Location,
    parameter: &str,
    missing: &str,
    owner: &str,
    env: &str,
    parent_name: Option<&str>,
) -> Diagnostic {
    let d = Diagnostic::new(
        RULE,
        location,
        format!("addon parameter `{parameter}` refers to `{missing}`, which {owner} does not have in environment `{env}`"),
    );
    if missing == "ServiceSecurityGroup" {
        d.help("Copilot creates ServiceSecurityGroup only with a VPC connector: add `network: vpc: placement: private` to the manifest (for this environment), or remove the parameter and the addon's use of it")
    } else if let Some(parent) = parent_name {
        d.help(format!("the parameters file is evaluated in the parent stack, where `{missing}` does not exist: use `!Ref {parent}`"))
    } else {
        d.help("refer to a resource the workload stack creates, or remove the parameter")
    }
}
