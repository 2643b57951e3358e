#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL105.md"))]

use crate::base::diag::Words;
use crate::base::{Diagnostic, RuleId, Span};

pub const RULE: RuleId = RuleId::MissingField;

/// Which required field is missing.
pub enum Missing<'a> {
    /// A workload manifest's `name` (the directory it should be).
    WorkloadName(&'a str),
    WorkloadType,
    /// `image.port` of a workload type that needs it.
    ImagePort(&'a str),
    /// Neither or both of `image.build` and `image.location`.
    ImageSource {
        both: bool,
    },
    /// An environment manifest's `name` (its directory).
    EnvironmentName(&'a str),
    EnvironmentType,
    /// `addons.parameters.yml` without its `Parameters` map.
    AddonParameters,
}

/// `env`: the environment the manifest was merged for, when the field is
/// required there only.
pub fn diagnostic(span: Span, what: Missing, env: Option<&str>) -> Diagnostic {
    let (msg, help) = match what {
        Missing::WorkloadName(dir) => (
            "the manifest has no `name`".to_string(),
            format!("add `name: {dir}`"),
        ),
        Missing::WorkloadType => (
            "the manifest has no `type`".to_string(),
            "add the workload type, e.g. `type: Request-Driven Web Service`".to_string(),
        ),
        Missing::ImagePort(wtype) => (
            format!("a {wtype} needs `image.port`"),
            "add `port: <container port>` under `image`".to_string(),
        ),
        Missing::ImageSource { both } => (
            if both {
                "`image.build` and `image.location` are mutually exclusive".to_string()
            } else {
                "`image` needs one of `build` or `location`".to_string()
            },
            "keep exactly one of `image.build` and `image.location`".to_string(),
        ),
        Missing::EnvironmentName(dir) => (
            "the environment manifest has no `name`".to_string(),
            format!("add `name: {dir}`"),
        ),
        Missing::EnvironmentType => (
            "the environment manifest has no `type`".to_string(),
            "add `type: Environment`".to_string(),
        ),
        Missing::AddonParameters => (
            "addons.parameters.yml must hold a top-level `Parameters` map".to_string(),
            "write `Parameters:` followed by `Name: value` pairs".to_string(),
        ),
    };
    match env {
        Some(e) => Diagnostic::worded(
            RULE,
            crate::base::diag::Location::Span(span),
            e,
            Words::new()
                .text(format!("{msg} (in "))
                .environments()
                .text(")"),
            Some(Words::new().text(help)),
        ),
        None => Diagnostic::at(RULE, span, msg).help(help),
    }
}
