#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL201.md"))]

use crate::base::{Diagnostic, Location, RuleId, Span};
use std::path::Path;

pub const RULE: RuleId = RuleId::MissingWorkspace;

/// `copilot/` has no `.workspace` file; `first`: the workspace's first
/// manifest, where the finding sits (an annotation needs a file), else the
/// folder.
pub fn no_file(copilot_dir: &Path, first: Option<Span>) -> Diagnostic {
    Diagnostic::new(
        RULE,
        first.map_or_else(|| Location::Path(copilot_dir.to_path_buf()), Location::Span),
        "this `copilot/` folder has no `.workspace` file, so Copilot does not treat it as a workspace",
    )
    .help("run `copilot app init` or write `application: <app name>` into copilot/.workspace")
}

/// `.workspace` without a non-empty `application`.
pub fn no_application(span: Span) -> Diagnostic {
    Diagnostic::at(RULE, span, "`.workspace` does not name the application")
        .help("write `application: <app name>` in copilot/.workspace")
}
