#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL207.md"))]

use crate::base::{Diagnostic, Location, RuleId};
use std::path::Path;

pub const RULE: RuleId = RuleId::IgnoredFile;

/// `rel`: the file relative to `copilot/`; `why`: where Copilot looks instead.
pub fn diagnostic(path: &Path, rel: &Path, why: &str) -> Diagnostic {
    Diagnostic::new(
        RULE,
        Location::Path(path.to_path_buf()),
        format!("Copilot never reads `{}`: {why}", rel.display()),
    )
    .help("manifests live at copilot/<workload>/manifest.yml and copilot/environments/<env>/manifest.yml; addon templates directly in an addons/ folder")
}
