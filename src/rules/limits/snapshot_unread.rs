#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL906.md"))]

use crate::base::{Diagnostic, Location, RuleId};
use std::path::Path;

pub const RULE: RuleId = RuleId::SnapshotUnread;

/// `what` (a key, a record's JSON pointer, the whole file) of a snapshot
/// file is not read, and why.
/// `what` is `the call` for a call live mode could not make (`file` is then
/// `live/<call>`).
pub fn diagnostic(file: &Path, what: &str, why: &str) -> Diagnostic {
    if what == "the call" {
        let call = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("a call");
        return Diagnostic::new(
            RULE,
            Location::Path(file.to_path_buf()),
            format!("`{call}` was not read from the account: {why}"),
        )
        .help("allow the call (README, live mode: the read-only policy), or save its output with the AWS CLI and add it with --snapshot; the verdicts that need its facts stay unknown");
    }
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

/// A record a workload's evidence needs is not in the snapshot: what the
/// workload needs is not derived from it.
pub fn missing(dir: &Path, workload: &str, what: &str) -> Diagnostic {
    Diagnostic::new(
        RULE,
        Location::Path(dir.to_path_buf()),
        format!("workload `{workload}`: {what} is not in this snapshot, so the flows its task needs to start are not derived"),
    )
    .help("save the missing Describe output into the snapshot directory; until then only the flows the network itself implies are proved for this workload")
}
