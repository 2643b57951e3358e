//! Renderers: human (miette code frames), JSON (version 1), SARIF 2.1.0,
//! GitHub workflow commands and Markdown. `finding` holds what they share:
//! places, logical paths and fingerprints.

pub mod finding;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;

use crate::base::diag::Severity;
use crate::door::Report;

/// (errors, warnings, notes, needed flows failing, unknown) over reports.
pub fn totals(reports: &[Report]) -> (usize, usize, usize, usize, usize) {
    reports.iter().fold((0, 0, 0, 0, 0), |t, r| {
        (
            t.0 + r.count(Severity::Error),
            t.1 + r.count(Severity::Warning),
            t.2 + r.count(Severity::Note),
            t.3 + r.failed_needed(),
            t.4 + r.unknown(),
        )
    })
}
