#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL201.md"))]

use crate::base::{Diagnostic, Location, RuleId, Span};
use std::path::Path;

pub const RULE: RuleId = RuleId::MissingWorkspace;

/// `copilot/` has no `.workspace` file.
pub fn no_file(copilot_dir: &Path) -> Diagnostic {
    Diagnostic::new(
        RULE,
        Location::Path(copilot_dir.to_path_buf()),
        "this `copilot/` folder has no `.workspace` file, so Copilot does not treat it as a workspace",
    )
    .help("run `copilot app init` or write `application: <app name>` into copilot/.workspace")
}

/// `.workspace` without a non-empty `application`.
pub fn no_application(span: Span) -> Diagnostic {
    Diagnostic::at(RULE, span, "`.workspace` does not name the application")
        .help("write `application: <app name>` in copilot/.workspace")
}
