//! What a verdict rests on that the files do not say (DECISIONS.md,
//! "Stated assumptions"): each one has a code (`rules/codes.md`), words and
//! the real line it is about. An assumption never makes an error: a rule
//! that reads a verdict resting on one words it as a warning.

use crate::base::source::Span;

/// Which assumption, by its code on `rules/codes.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AssumptionCode {
    /// An environment with no manifest is checked against the one
    /// `copilot env init --default-config` creates.
    DefaultEnvironment,
}

impl AssumptionCode {
    pub fn as_str(self) -> &'static str {
        match self {
            AssumptionCode::DefaultEnvironment => "DEFAULT_ENVIRONMENT",
        }
    }
}

/// One stated assumption.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Assumption {
    pub code: AssumptionCode,
    /// What is assumed, in one sentence without a final period.
    pub text: String,
    /// The line it is about (where the environment is named).
    pub span: Span,
}

impl std::fmt::Display for Assumption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} [{}]", self.text, self.code.as_str())
    }
}
