#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL906.md"))]

use crate::base::{Diagnostic, Location, RuleId};
use std::path::Path;

pub const RULE: RuleId = RuleId::SnapshotUnread;

/// `what` (a key, a record's JSON pointer, the whole file) of a snapshot
/// file is not read, and why.
pub fn diagnostic(file: &Path, what: &str, why: &str) -> Diagnostic {
    Diagnostic::new(
        RULE,
        Location::Path(file.to_path_buf()),
        if what == "the file" {
            format!("this snapshot file is not read: {why}")
        } else {
            format!("`{what}` of this snapshot file is not read: {why}")
        },
    )
    .help("save Describe output as the AWS CLI prints it (`aws ec2 describe-subnets --output json > subnets.json`); facts reachlint does not read leave their verdicts unknown")
}
