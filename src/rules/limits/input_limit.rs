#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL901.md"))]

use crate::base::{Diagnostic, Location, RuleId, Span};
use std::path::Path;

pub const RULE: RuleId = RuleId::InputLimit;

/// A file over the size budget.
pub fn too_big(path: &Path, size: u64, limit: u64) -> Diagnostic {
    Diagnostic::new(
        RULE,
        Location::Path(path.to_path_buf()),
        format!("file is {size} bytes, over the {limit}-byte limit; it is not analysed"),
    )
}

/// The parser stopped at a budget (depth, nodes, aliases).
pub fn parser(span: Span, message: String) -> Diagnostic {
    Diagnostic::at(RULE, span, message)
        .help("fix the YAML so Copilot can read it; nothing else in this file is checked")
}
