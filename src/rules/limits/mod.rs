//! Input limits and tool notes (RL9xx). Each rule is one module whose doc
//! comment is its page; the loader and `policy` find the facts.

pub mod bad_suppression;
pub mod expired_suppression;
pub mod input_limit;
pub mod skipped_path;
pub mod snapshot_unread;
pub mod unreadable_file;
