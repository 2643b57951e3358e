#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL406.md"))]

use crate::base::diag::Diagnostic;
use crate::base::rule::RuleId;
use crate::base::source::Span;

pub const RULE: RuleId = RuleId::DatastoreNotModelled;

/// `what` (a DocumentDB cluster, ...) `logical` is not modelled.
pub fn diagnostic(span: Span, env: &str, what: &str, logical: &str) -> Diagnostic {
    Diagnostic::at(
        RULE,
        span,
        format!("{what} {logical} is not modelled: no flow to it is checked"),
    )
    .help(
        "check the flow to it by hand; reachlint proves flows to Aurora clusters, RDS instances and ElastiCache caches",
    )
    .env(Some(env))
}
