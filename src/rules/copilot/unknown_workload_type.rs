#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL205.md"))]

use crate::base::{Diagnostic, RuleId, Span};

pub const RULE: RuleId = RuleId::UnknownWorkloadType;

pub fn diagnostic(span: Span, wtype: &str, known: &[&str]) -> Diagnostic {
    let d = Diagnostic::at(RULE, span, format!("unknown workload type `{wtype}`"));
    match crate::base::suggest::closest(wtype, known) {
        Some(k) => d.help(format!(
            "did you mean `{k}`? Copilot's types: {}",
            known.join(", ")
        )),
        None => d.help(format!("use one of: {}", known.join(", "))),
    }
}
