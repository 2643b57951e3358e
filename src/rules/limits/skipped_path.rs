#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL905.md"))]

use crate::base::{Diagnostic, Location, RuleId};
use std::path::Path;

pub const RULE: RuleId = RuleId::SkippedPath;

/// A path given to `check` that is no Copilot file.
pub fn diagnostic(path: &Path) -> Diagnostic {
    Diagnostic::new(
        RULE,
        Location::Path(path.to_path_buf()),
        "not a Copilot manifest, addon template or `.workspace` file; skipped",
    )
    .help("narrow the hook's `files:` pattern to `copilot/` YAML files")
}
