#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL901.md"))]

use crate::base::{Diagnostic, Location, RuleId, Span};
use std::path::Path;

pub const RULE: RuleId = RuleId::InputLimit;

/// The parser stopped at a budget (depth, nodes, aliases).
pub fn parser(span: Span, message: String) -> Diagnostic {
    Diagnostic::at(RULE, span, message)
        .help("fix the YAML so Copilot can read it; nothing else in this file is checked")
}

/// A file with more bytes than `limit`, counted while reading.
pub fn over(path: &Path, limit: u64) -> Diagnostic {
    Diagnostic::new(
        RULE,
        Location::Path(path.to_path_buf()),
        format!("file holds more than {limit} bytes, the limit; it is not analysed"),
    )
}

/// The workspace's budget of files or bytes is spent at `path`: it and
/// every file after it are not read.
pub fn workspace_budget(path: &Path, files: usize, bytes: u64) -> Diagnostic {
    Diagnostic::new(
        RULE,
        Location::Path(path.to_path_buf()),
        format!("the workspace holds more than {files} files or {bytes} bytes, the limits; this file and every one after it are not read"),
    )
    .help("check a smaller part of the repository (the folder holding one `copilot/`)")
}

/// The conditions on or behind a cycle took more than `limit` evaluations
/// to settle: those still unsettled at `span` are unknown.
pub fn conditions(span: Span, limit: usize) -> Diagnostic {
    Diagnostic::at(
        RULE,
        span,
        format!("the template's conditions that depend on a cycle took more than {limit} evaluations, the limit; those not yet settled are unknown"),
    )
    .help("break the cycle of `Condition` references (CloudFormation rejects one)")
}
