#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL404.md"))]

use crate::base::diag::{Diagnostic, Location, Words};
use crate::base::rule::RuleId;
use crate::base::source::Span;
use crate::model::proof::FlowResult;

pub const RULE: RuleId = RuleId::ForbiddenFlowReachable;

/// `f` is declared unreachable at `span` but reaches (from some
/// placements when `partial`); `to` is its `explain --to`.
pub fn diagnostic(span: Span, env: &str, f: &FlowResult, partial: bool, to: &str) -> Diagnostic {
    let how = if partial {
        "reaches (from some placements)"
    } else {
        "reaches"
    };
    let mut d = Diagnostic::worded(
        RULE,
        Location::Span(span),
        env,
        Words::new()
            .text(format!(
                "{} {how} {} in ",
                f.flow.source_text(),
                f.flow.target_text()
            ))
            .environments()
            .text(", but the configuration declares it must not")
            .then(super::assumed(RULE, f)),
        Some(
            Words::new()
                .text("remove a hop of the path (`reachlint explain <path> --env ")
                .env_name()
                .text(format!(
                    " {} --to {to}`), or change the declaration",
                    super::from_option(f)
                )),
        ),
    );
    d.steps = super::path_steps(f);
    super::under_assumptions(d, f)
}
