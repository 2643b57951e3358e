//! What running a question produced, for every renderer and the policy:
//! the findings, each environment's network and proved flows, and the
//! workloads left unchecked. No front door is needed to read it.

use std::path::PathBuf;

use crate::base::diag::{Diagnostic, Severity};
use crate::base::source::SourceMap;
use crate::model::proof::{FlowResult, Verdict};
use crate::model::Network;

/// Where an environment's network came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NetworkSource {
    /// Synthesized from the workspace's files.
    Files,
    /// Read from a saved Describe snapshot (`--snapshot`).
    Snapshot,
    /// Read from the account with Describe calls (`--live`).
    Live,
}

impl NetworkSource {
    pub fn as_str(self) -> &'static str {
        match self {
            NetworkSource::Files => "files",
            NetworkSource::Snapshot => "snapshot",
            NetworkSource::Live => "live",
        }
    }
}

/// The model and flows of one environment, from one source.
#[derive(Debug)]
pub struct EnvResult {
    pub env: String,
    pub network: Network,
    pub flows: Vec<FlowResult>,
    pub source: NetworkSource,
}

impl EnvResult {
    /// The assumptions its verdicts rest on, each once, in order.
    pub fn assumptions(&self) -> Vec<&crate::base::Assumption> {
        let mut out: Vec<&crate::base::Assumption> = Vec::new();
        for a in self.flows.iter().flat_map(|f| &f.assumptions) {
            if !out.contains(&a) {
                out.push(a);
            }
        }
        out
    }
}

#[derive(Debug)]
pub struct Report {
    pub sources: SourceMap,
    /// Where findings without a file point (the workspace's `copilot/`).
    pub copilot_dir: PathBuf,
    pub diagnostics: Vec<Diagnostic>,
    pub envs: Vec<EnvResult>,
    /// (environment, workload) pairs with no network to check, and why.
    pub unchecked: Vec<Unchecked>,
}

/// Why a (workload, environment) pair has no flows (`rules/codes.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum UncheckedCode {
    NotNetworkAttached,
    NoEnvironment,
    UnknownWorkloadType,
    UnreadableManifest,
}

impl UncheckedCode {
    pub fn as_str(self) -> &'static str {
        match self {
            UncheckedCode::NotNetworkAttached => "NOT_NETWORK_ATTACHED",
            UncheckedCode::NoEnvironment => "NO_ENVIRONMENT",
            UncheckedCode::UnknownWorkloadType => "UNKNOWN_WORKLOAD_TYPE",
            UncheckedCode::UnreadableManifest => "UNREADABLE_MANIFEST",
        }
    }
}

/// A pair with no flows: never silence.
#[derive(Debug, Clone)]
pub struct Unchecked {
    pub env: Option<String>,
    pub service: String,
    pub code: UncheckedCode,
    pub reason: String,
}

impl Report {
    /// Findings of a severity that count (not suppressed).
    pub fn count(&self, s: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == s && d.suppressed.is_none())
            .count()
    }

    /// Needed flows that are unreachable or partial on what the files say
    /// (a failure under an assumption is a warning, never counted here).
    pub fn failed_needed(&self) -> usize {
        self.envs
            .iter()
            .flat_map(|e| &e.flows)
            .filter(|f| {
                f.flow.needed
                    && f.suppressed.is_none()
                    && f.assumptions.is_empty()
                    && matches!(f.verdict, Verdict::Unreachable | Verdict::Partial)
            })
            .count()
    }

    /// Flows whose verdict rests on an assumption.
    pub fn assumed(&self) -> usize {
        self.envs
            .iter()
            .flat_map(|e| &e.flows)
            .filter(|f| !f.assumptions.is_empty() && f.suppressed.is_none())
            .count()
    }

    /// (environment, workload) pairs checked under an assumption.
    pub fn assumed_pairs(&self) -> usize {
        let pairs: std::collections::BTreeSet<(&str, &str)> = self
            .envs
            .iter()
            .flat_map(|e| e.flows.iter().map(move |f| (e, f)))
            .filter(|(_, f)| !f.assumptions.is_empty())
            .map(|(e, f)| (e.env.as_str(), f.flow.service.as_str()))
            .collect();
        pairs.len()
    }

    pub fn unknown(&self) -> usize {
        self.envs
            .iter()
            .flat_map(|e| &e.flows)
            .filter(|f| f.verdict == Verdict::Unknown && f.suppressed.is_none())
            .count()
    }

    /// Exit code per DECISIONS.md: `--strict` counts an assumed verdict
    /// like an unknown one.
    pub fn exit_code(&self, strict: bool) -> i32 {
        let failing = self.count(Severity::Error) > 0 || self.failed_needed() > 0;
        let strict_fail = strict
            && (self.count(Severity::Warning) > 0
                || self.count(Severity::Note) > 0
                || self.unknown() > 0
                || self.assumed() > 0);
        if failing || strict_fail {
            1
        } else {
            0
        }
    }
}
