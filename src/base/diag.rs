//! Findings about the user's files, each with a rule id and a location.

use super::rule::RuleId;
pub use super::rule::Severity;
use super::source::Span;

/// Where a finding points: a span in a file read, or a path with no text
/// (a folder, a missing file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Span(Span),
    Path(std::path::PathBuf),
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: RuleId,
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    pub env: Option<String>,
    pub help: Option<String>,
    /// Extra labelled spans for code frames.
    pub related: Vec<(Span, String)>,
    /// For a flow finding, the path it is about, hop by hop (SARIF
    /// `codeFlows`): each hop's span when it has one, and what it does.
    pub steps: Vec<(Option<Span>, String)>,
    /// Suppressed (inline, by the baseline): why. A suppressed finding is
    /// still reported, but counts toward neither the exit code nor the
    /// summary.
    pub suppressed: Option<String>,
    /// For a flow finding, the index of its flow among its environment's
    /// flows (a suppressed flow finding suppresses its flow too).
    pub flow: Option<usize>,
    /// For a finding about a deployed resource no file creates (drift):
    /// its id or ARN.
    pub arn: Option<String>,
}

impl Diagnostic {
    pub fn new(rule: RuleId, location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule,
            severity: rule.severity(),
            message: message.into(),
            location,
            env: None,
            help: None,
            related: Vec::new(),
            steps: Vec::new(),
            suppressed: None,
            flow: None,
            arn: None,
        }
    }

    pub fn at(rule: RuleId, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(rule, Location::Span(span), message)
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn env(mut self, env: Option<&str>) -> Diagnostic {
        self.env = env.map(str::to_string);
        self
    }

    pub fn severity(mut self, s: Severity) -> Diagnostic {
        self.severity = s;
        self
    }

    pub fn related(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        self.related.push((span, label.into()));
        self
    }
}
