//! Renderers: human (miette code frames), JSON (version 1), SARIF 2.1.0,
//! GitHub workflow commands, Markdown and concise (one line per finding). `finding` holds what they share:
//! places, logical paths and fingerprints.

pub mod concise;
pub mod finding;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;

use crate::base::diag::Severity;
use crate::outcome::Report;

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

/// "1 error, 0 warnings, 2 notes; 1 needed flow failing, 0 unknown", plus
/// the (environment, workload) pairs unchecked or checked under an
/// assumption, and the suppressed findings, when there are any.
pub fn summary_text(reports: &[Report]) -> String {
    let (e, w, n, f, u) = totals(reports);
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let suppressed: usize = reports
        .iter()
        .map(|r| {
            r.diagnostics
                .iter()
                .filter(|d| d.suppressed.is_some())
                .count()
        })
        .sum();
    let mut s = format!(
        "{e} error{}, {w} warning{}, {n} note{}; {f} needed flow{} failing, {u} unknown",
        plural(e),
        plural(w),
        plural(n),
        plural(f)
    );
    let unchecked: usize = reports.iter().map(|r| r.unchecked.len()).sum();
    if unchecked > 0 {
        s.push_str(&format!(
            "; {unchecked} pair{} unchecked",
            plural(unchecked)
        ));
    }
    let assumed: usize = reports.iter().map(Report::assumed_pairs).sum();
    if assumed > 0 {
        s.push_str(&format!(
            "; {assumed} pair{} checked under an assumption",
            plural(assumed)
        ));
    }
    if suppressed > 0 {
        s.push_str(&format!("; {suppressed} suppressed"));
    }
    s
}
