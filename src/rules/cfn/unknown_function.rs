#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL306.md"))]

use crate::base::{Diagnostic, RuleId, Span};

pub const RULE: RuleId = RuleId::UnknownFunction;

/// `!short` is no intrinsic function; `nearest`: the function meant.
pub fn diagnostic(span: Span, short: &str, nearest: Option<&str>) -> Diagnostic {
    Diagnostic::at(
        RULE,
        span,
        format!("`!{short}` is not a CloudFormation intrinsic function: CloudFormation rejects the template"),
    )
    .help(match nearest {
        Some(n) => format!("did you mean `!{n}`?"),
        None => "use one of CloudFormation's intrinsic functions (`!Ref`, `!GetAtt`, `!Sub`, `!Join`, ...)".to_string(),
    })
}
