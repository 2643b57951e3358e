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

/// The file was refused before reading (a link out of the repository, a
/// FIFO, a device, an I/O error): `why` says which, `fix` what to do; none
/// of its content is read.
pub fn refused(path: &Path, why: String, fix: &str) -> Diagnostic {
    Diagnostic::new(RULE, Location::Path(path.to_path_buf()), why).help(fix)
}

/// A folder that cannot be listed: nothing in it is checked.
pub fn folder(path: &Path, error: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        RULE,
        Location::Path(path.to_path_buf()),
        format!("cannot read folder: {error}; nothing in it is checked"),
    )
    .help("fix the folder's permissions")
}

/// A file or folder whose name is not UTF-8 (shown with U+FFFD where a
/// byte is invalid): it is not read, and a workload folder so named is
/// listed as unchecked.
pub fn odd_name(path: &Path) -> Diagnostic {
    Diagnostic::new(
        RULE,
        Location::Path(path.to_path_buf()),
        "its name is not UTF-8 text, which Copilot's names never are; it is not read".to_string(),
    )
    .help("rename it with UTF-8 (Copilot names are lowercase letters, digits and hyphens)")
}
