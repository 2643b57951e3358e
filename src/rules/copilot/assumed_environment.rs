#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL213.md"))]

use crate::base::{Assumption, Diagnostic, Location, RuleId};

pub const RULE: RuleId = RuleId::AssumedEnvironment;

/// The note for environment `env`, checked under `a`, at the line `a` is
/// about.
pub fn diagnostic(env: &str, a: &Assumption) -> Diagnostic {
    Diagnostic::new(
        RULE,
        Location::Span(a.span),
        format!("environment `{env}`: {} [{}]", a.text, a.code.as_str()),
    )
    .help(format!(
        "add copilot/environments/{env}/manifest.yml (`copilot env show --name {env} --manifest` prints the deployed one), or check with `--assume none`; a needed flow that fails here is a warning, not an error"
    ))
    .env(Some(env))
}
