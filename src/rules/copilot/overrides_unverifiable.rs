#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL204.md"))]

use crate::base::{Diagnostic, Location, RuleId};
use std::path::Path;

pub const RULE: RuleId = RuleId::OverridesUnverifiable;

/// An `overrides/` folder, at the file Copilot reads (`p`).
pub fn diagnostic(p: &Path) -> Diagnostic {
    let patches = p.file_name().is_some_and(|n| n == "cfn.patches.yml");
    let (message, help) = if patches {
        (
            "YAML patch overrides: reachlint applies them where they touch what it synthesizes (outputs and their exports, the properties and resources it models); resources and properties they add beyond that are not modelled",
            "verdicts that depend on a patched value are `unknown` and name the patch's line; check the rest with `copilot svc package`",
        )
    } else {
        (
            "CloudFormation overrides are present; reachlint cannot model what they change",
            "verdicts assume the rendered stacks are not patched; check what the overrides change by hand",
        )
    };
    Diagnostic::new(RULE, Location::Path(p.to_path_buf()), message).help(help)
}
