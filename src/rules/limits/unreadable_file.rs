#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL902.md"))]

use crate::base::{Diagnostic, Location, RuleId, Span};
use std::path::Path;

pub const RULE: RuleId = RuleId::UnreadableFile;

/// The file could not be read at all.
pub fn io(path: &Path, error: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        RULE,
        Location::Path(path.to_path_buf()),
        format!("cannot read file: {error}"),
    )
}

/// Not UTF-8 text (`what` says which), at the first offending byte.
pub fn not_text(span: Span, what: &str, at: usize) -> Diagnostic {
    Diagnostic::at(
        RULE,
        span,
        format!("{what} (at byte {at}); it is not analysed"),
    )
    .help("save the file as UTF-8 text, or move it out of the copilot/ folder")
}
