#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL405.md"))]

use crate::base::diag::{Diagnostic, Location, Words};
use crate::base::rule::RuleId;
use crate::base::source::Span;
use crate::model::flow::TargetKind;

pub const RULE: RuleId = RuleId::DeclaredFlowUnmatched;

/// A `[[flow]]` whose `service` has no network in `env`.
pub fn no_service(span: Span, env: &str, service: &str) -> Diagnostic {
    Diagnostic::worded(
        RULE,
        Location::Span(span),
        env,
        Words::new()
            .text(format!("no workload `{service}` with a network in "))
            .environments(),
        Some(Words::new().text("fix the service name, or limit the entry with `env = \"...\"`")),
    )
}

/// A `[[flow]]` whose `to` names nothing in `env`: no element of `kind`
/// by that name.
pub fn no_target(span: Span, env: &str, to: &str, kind: TargetKind) -> Diagnostic {
    let what = match kind {
        TargetKind::FileSystem => "file system",
        TargetKind::Workload => "workload",
        TargetKind::LoadBalancer => "load balancer",
        _ => "database",
    };
    Diagnostic::worded(
        RULE,
        Location::Span(span),
        env,
        Words::new().text(format!("`{to}` names no {what} of ")).environments(),
        Some(Words::new().text("use `database`, `database:<LogicalId>`, `internet`, `file-system`, an endpoint name such as `secretsmanager`, `workload:<name>:<port>` or `load-balancer:<LogicalId>:<port>`")),
    )
}

/// A `[[flow]]` whose `to` is no name of a flow target: it checks nothing
/// (it never becomes an AWS API flow on tcp/443).
pub fn unknown_target(span: Span, unknown: &crate::model::flow::UnknownTarget) -> Diagnostic {
    let names = format!(
        "`database`, `database:<LogicalId>`, `internet`, `file-system`, `file-system:<name>`, `workload:<name>:<port>`, `load-balancer:<LogicalId>:<port>`, {}",
        crate::model::flow::AWS_SERVICE_NAMES
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let help = match &unknown.suggestion {
        Some(s) => format!("did you mean `{s}`? The names are {names}"),
        None => format!("the names are {names}"),
    };
    Diagnostic::at(
        RULE,
        span,
        format!(
            "`to = \"{}\"` names no flow target reachlint knows, so this declaration checks nothing",
            unknown.given
        ),
    )
    .help(help)
}
