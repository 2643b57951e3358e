#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL204.md"))]

use crate::base::{Diagnostic, Location, RuleId};
use std::path::Path;

pub const RULE: RuleId = RuleId::OverridesUnverifiable;

/// An `overrides/` folder at `p`.
pub fn diagnostic(p: &Path) -> Diagnostic {
    Diagnostic::new(
        RULE,
        Location::Path(p.to_path_buf()),
        "CloudFormation overrides are present; reachlint cannot model what they change",
    )
    .help("verdicts assume the rendered stacks are not patched; check what the overrides change by hand")
}
