//! What the user tells reachlint about its findings: the configuration
//! (`.reachlint.toml`: which rules, how loud, which paths, declared flows),
//! inline suppressions and the baseline. Applied to a door's [`Report`]
//! after the checks, before rendering; a suppressed finding stays in the
//! report (JSON `suppressed`, SARIF `suppressions`) but counts toward
//! neither the exit code nor the summary.

pub mod baseline;
pub mod config;
pub mod inline;

use std::collections::BTreeSet;

use crate::base::diag::sort_diagnostics;
use crate::base::diag::{Diagnostic, Location};
use crate::outcome::Report;
use crate::report::finding;
use config::Config;

/// How findings are filtered in this run.
#[derive(Debug, Default)]
pub struct Gate {
    pub config: Config,
    /// `--no-inline-ignores` turns this off (audits).
    pub inline: bool,
    /// Fingerprints of the baseline given with `--baseline`.
    pub baseline: Option<BTreeSet<String>>,
    /// The day `until=` expiry is judged on: `--as-of` when given, else
    /// today (`None`).
    pub as_of: Option<crate::base::Date>,
}

/// Applies the configuration, the inline suppressions and the baseline.
pub fn apply(r: &mut Report, gate: &Gate) {
    configure(r, &gate.config);
    if gate.inline {
        inline_suppressions(r, gate.as_of.unwrap_or_else(crate::base::Date::today));
    }
    if let Some(b) = &gate.baseline {
        let fps = finding::fingerprints(&r.sources, &r.diagnostics);
        let legacy = finding::legacy_fingerprints(&r.sources, &r.diagnostics);
        for ((d, fp), old) in r.diagnostics.iter_mut().zip(fps).zip(legacy) {
            if d.suppressed.is_none() && (b.contains(&fp) || b.contains(&old)) {
                d.suppressed = Some("in the baseline".into());
            }
        }
    }
    // a suppressed flow finding takes its flow out of the counts
    let links: Vec<(String, usize, String)> = r
        .diagnostics
        .iter()
        .filter_map(|d| Some((d.flow_links(), d.suppressed.clone()?)))
        .flat_map(|(links, why)| links.into_iter().map(move |(e, i)| (e, i, why.clone())))
        .collect();
    for (env, i, why) in links {
        mark_flow(r, &env, i, why);
    }
    sort_diagnostics(&r.sources, &mut r.diagnostics);
}

/// The `i`th flow of environment `env`, counting through its networks in
/// order (the files', then the snapshot's).
fn mark_flow(r: &mut Report, env: &str, mut i: usize, why: String) {
    for e in r.envs.iter_mut().filter(|e| e.env == env) {
        if let Some(f) = e.flows.get_mut(i) {
            f.suppressed.get_or_insert(why);
            return;
        }
        i -= e.flows.len();
    }
}

fn file_of(r: &Report, d: &Diagnostic) -> std::path::PathBuf {
    match &d.location {
        Location::Span(s) => r.sources.file(s.file).path.clone(),
        Location::Path(p) => p.clone(),
    }
}

/// `select`/`ignore` and per-path ignores drop findings (a dropped flow
/// finding takes its flow out of the counts); severities are overridden.
fn configure(r: &mut Report, c: &Config) {
    let mut dropped = Vec::new();
    let mut kept = Vec::new();
    for mut d in std::mem::take(&mut r.diagnostics) {
        let file = file_of(r, &d);
        if c.selects(d.rule) && !c.path_ignores(d.rule, &file) {
            if let Some((_, s)) = c.severity.iter().find(|(rule, _)| *rule == d.rule) {
                d.severity = *s;
            }
            kept.push(d);
        } else {
            for (env, i) in d.flow_links() {
                dropped.push((
                    env,
                    i,
                    format!("{} is ignored by the configuration", d.rule),
                ));
            }
        }
    }
    r.diagnostics = kept;
    for (env, i, why) in dropped {
        mark_flow(r, &env, i, why);
    }
}

/// `# reachlint: ignore[...]` on a finding's line or alone on the line
/// above; malformed and expired ones are findings themselves.
fn inline_suppressions(r: &mut Report, today: crate::base::Date) {
    let mut extra = Vec::new();
    let mut per_file = std::collections::HashMap::new();
    for (id, f) in r.sources.files() {
        let (ok, bad) = inline::directives(id, f);
        for m in bad {
            extra.push(crate::rules::limits::bad_suppression::diagnostic(
                m.span, m.why,
            ));
        }
        if !ok.is_empty() {
            per_file.insert(id, ok);
        }
    }
    let mut expired_reported = BTreeSet::new();
    for d in &mut r.diagnostics {
        let Location::Span(s) = d.location else {
            continue;
        };
        let Some(dirs) = per_file.get(&s.file) else {
            continue;
        };
        let line = r.sources.start(s).line;
        let hit = dirs.iter().find(|x| {
            (x.line == line || (x.own_line && x.line + 1 == line))
                && x.rules.iter().any(|sel| sel.matches(d.rule))
        });
        let Some(x) = hit else { continue };
        match x.until {
            Some(until) if until < today => {
                if expired_reported.insert((x.span, d.rule)) {
                    extra.push(crate::rules::limits::expired_suppression::diagnostic(
                        x.span, d.rule, until,
                    ));
                }
            }
            _ => d.suppressed = Some(format!("inline: {}", x.reason)),
        }
    }
    r.diagnostics.extend(extra);
}
