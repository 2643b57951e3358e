#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL308.md"))]

use crate::base::{Diagnostic, RuleId, Span};

pub const RULE: RuleId = RuleId::ReferenceCycle;

/// `circle`: the resources in order, the first repeated at the end.
pub fn diagnostic(span: Span, circle: &[&str]) -> Diagnostic {
    Diagnostic::at(
        RULE,
        span,
        format!(
            "circular dependency between resources: {}; CloudFormation rejects the template",
            circle.join(" -> ")
        ),
    )
    .help("break the circle: move one reference into a separate resource (an `AWS::EC2::SecurityGroupIngress` instead of an inline rule), or drop a `DependsOn`")
}
