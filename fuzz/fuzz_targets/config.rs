//! What the user says about findings: `.reachlint.toml`
//! (`policy::config::Config::parse`, then `selects` for every rule and
//! `path_ignores` for a few paths), inline suppression comments
//! (`policy::inline::directives`) and a baseline's JSON
//! (`policy::baseline::read`, which takes a path: the text is written to
//! this process's scratch directory first). Then all three are applied to
//! a report whose findings sit on every line of the commented file
//! (`policy::apply`), and the report is rendered (human, JSON, GitHub,
//! Markdown, a new baseline; SARIF, whose every render spends most of its
//! time on the fixed rule pages, is left to the `workspace` target).
//!
//! Input: the configuration, NUL, a YAML file with comments, NUL, the
//! baseline (each part optional).

#![no_main]

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use reachlint::base::diag::Location;
use reachlint::base::rule::RuleId;
use reachlint::base::source::{SourceMap, Span};
use reachlint::base::Date;
use reachlint::outcome::Report;
use reachlint::policy::config::Config;
use reachlint::policy::{self, baseline, inline, Gate};
use reachlint::report;
use reachlint::rules::limits::{bad_suppression, input_limit};
use reachlint::rules::schema::{name_mismatch, yaml_syntax};

static SCRATCH: OnceLock<common::Scratch> = OnceLock::new();

const MANIFEST: &str = "/fuzz/copilot/svc/manifest.yml";

fn config(text: &str) -> Config {
    let Ok(cfg) = Config::parse(Path::new("/fuzz/.reachlint.toml"), text) else {
        return Config::default();
    };
    for r in RuleId::ALL {
        let _ = cfg.selects(*r);
    }
    for file in [
        MANIFEST,
        "/fuzz/copilot/environments/test/manifest.yml",
        "/fuzz/copilot/svc/addons/db.yml",
        "copilot/svc/manifest.yml",
        "/elsewhere/copilot/svc/manifest.yml",
    ] {
        for r in RuleId::ALL {
            let _ = cfg.path_ignores(*r, Path::new(file));
        }
    }
    cfg
}

/// One finding on each line (of four rules, so selectors and families
/// matter), and one about a path.
fn findings(
    sources: &SourceMap,
    id: reachlint::base::source::FileId,
) -> Vec<reachlint::base::Diagnostic> {
    let text = &sources.file(id).text;
    let mut out = Vec::new();
    let mut start = 0;
    for (i, line) in text.split('\n').enumerate().take(16) {
        let span = Span::new(id, start, start + line.len());
        start += line.len() + 1;
        let d = match i % 4 {
            0 => yaml_syntax::diagnostic(span, "a finding".into()),
            1 => bad_suppression::diagnostic(span, "a finding".into()),
            2 => input_limit::parser(span, "a finding".into()),
            _ => name_mismatch::workload(span, "x", "svc"),
        };
        out.push(d.env(if i % 2 == 0 { Some("test") } else { None }));
    }
    out.push(reachlint::rules::limits::skipped_path::diagnostic(
        Path::new("/fuzz/copilot/README.md"),
    ));
    out
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\0');
    let cfg = config(parts.next().unwrap_or(""));
    let commented = parts.next().unwrap_or("");
    let base = parts.next();

    let mut sources = SourceMap::new();
    let id = sources.add(PathBuf::from(MANIFEST), commented.to_string());
    let (ok, bad) = inline::directives(id, sources.file(id));
    let len = commented.len() as u32;
    for span in ok.iter().map(|d| d.span).chain(bad.iter().map(|m| m.span)) {
        assert!(span.end <= len, "a directive's span ends past the text");
        let _ = sources.start(span);
    }

    let baseline = base.and_then(|b| {
        let scratch = SCRATCH.get_or_init(common::Scratch::new);
        scratch.fresh();
        let written = scratch.write(&[(PathBuf::from("baseline.json"), b.as_bytes())]);
        let read = written.first().map(|p| baseline::read(p));
        scratch.clear();
        read?.ok()
    });

    let diagnostics = findings(&sources, id);
    let mut r = Report {
        sources,
        copilot_dir: PathBuf::from("/fuzz/copilot"),
        diagnostics,
        envs: vec![],
        unchecked: vec![],
    };
    let gate = Gate {
        config: cfg,
        inline: true,
        baseline,
        as_of: Date::parse("2026-01-01"),
    };
    policy::apply(&mut r, &gate);
    for d in &r.diagnostics {
        if let Location::Span(s) = d.location {
            let _ = r.sources.start(s);
        }
    }
    let all = std::slice::from_ref(&r);
    let _ = baseline::render(all);
    let _ = report::json::render_all(all);
    let _ = report::github::render_all(all);
    let _ = report::markdown::render_all(all);
    let _ = report::human::render_all(all, false);
});
