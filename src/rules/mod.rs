//! Rules that read the facts the stages computed and emit findings. The
//! registry of every rule id lives on the ground floor ([`crate::base::rule`]);
//! the reachability rules (4xx) live in [`reachability`], which turns failed
//! flows into diagnostics located at their main blocker.

pub mod data;
pub mod deploy;
pub mod reachability;
