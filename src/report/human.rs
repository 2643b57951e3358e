//! Human output: miette code frames for findings, then the verdicts; and the
//! hop-by-hop proof for `explain`.

use std::fmt::Write as _;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};

use crate::base::diag::{Diagnostic, Location, Severity};
use crate::base::source::SourceMap;
use crate::model::proof::{FlowResult, Verdict};
use crate::model::Origin;
use crate::outcome::Report;

fn handler(color: bool) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(100)
}

fn render_diag(sources: &SourceMap, d: &Diagnostic, h: &GraphicalReportHandler) -> String {
    let sev = match d.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Note => miette::Severity::Advice,
    };
    let env = d
        .env
        .as_ref()
        .map(|e| format!(" [env {e}]"))
        .unwrap_or_default();
    let mut md = MietteDiagnostic::new(format!("{}{}", d.message, env))
        .with_code(format!("{} {}", d.rule.code(), d.rule.slug()))
        .with_severity(sev);
    if let Some(help) = &d.help {
        md = md.with_help(help.clone());
    }
    let mut out = String::new();
    match &d.location {
        Location::Span(s) => {
            let f = sources.file(s.file);
            let mut labels = vec![LabeledSpan::new_primary_with_span(
                Some("here".into()),
                (s.start as usize, (s.end - s.start) as usize),
            )];
            for (rs, label) in &d.related {
                if rs.file == s.file {
                    labels.push(LabeledSpan::new_with_span(
                        Some(label.clone()),
                        (rs.start as usize, (rs.end - rs.start) as usize),
                    ));
                }
            }
            md = md.with_labels(labels);
            let report = miette::Report::new(md)
                .with_source_code(NamedSource::new(f.display.clone(), f.text.clone()));
            let _ = h.render_report(&mut out, report.as_ref());
            for (rs, label) in &d.related {
                if rs.file != s.file {
                    let _ = writeln!(out, "  also: {}: {label}", sources.locate(*rs));
                }
            }
        }
        Location::Path(p) => {
            let report = miette::Report::new(md);
            let _ = h.render_report(&mut out, report.as_ref());
            let _ = writeln!(out, "  at {}", sources.display_path(p));
        }
    }
    out
}

fn loc(sources: &SourceMap, o: &Origin) -> String {
    o.span()
        .map(|s| sources.locate(s))
        .or_else(|| deployed_at(o))
        .unwrap_or_else(|| "-".into())
}

/// Human output for the reports of one or more workspaces.
/// How much the human output says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Detail {
    /// Findings, every verdict, the summary (`--show-ok`).
    Full,
    /// Findings, the verdicts that fail, are unknown, are suppressed or
    /// rest on an assumption, a count of the `ok` ones, the summary: what
    /// `check` prints by default.
    #[default]
    NotOk,
    /// Only what counts for the exit code (errors; under `--strict` every
    /// finding), and the summary when something counts.
    Quiet { strict: bool },
}

pub fn render_all(reports: &[Report], color: bool) -> String {
    render_all_with(reports, color, Detail::Full)
}

pub fn render_all_with(reports: &[Report], color: bool, detail: Detail) -> String {
    let mut out = String::new();
    if let Detail::Quiet { strict } = detail {
        let h = handler(color);
        let mut any = false;
        for r in reports {
            for d in r.diagnostics.iter().filter(|d| {
                d.suppressed.is_none() && (strict || d.severity == crate::base::Severity::Error)
            }) {
                any = true;
                out.push_str(&render_diag(&r.sources, d, &h));
            }
        }
        let counts = reports.iter().any(|r| r.exit_code(strict) != 0);
        if any || counts {
            let _ = writeln!(out, "summary: {}", super::summary_text(reports));
        }
        return out;
    }
    for r in reports {
        if reports.len() > 1 {
            let _ = writeln!(out, "workspace {}:", r.sources.display_path(&r.copilot_dir));
        }
        out.push_str(&render_body(r, color, detail == Detail::Full));
    }
    let _ = writeln!(out, "summary: {}", super::summary_text(reports));
    out
}

/// Human output for one workspace.
pub fn render(r: &Report, color: bool) -> String {
    render_all(std::slice::from_ref(r), color)
}

fn render_body(r: &Report, color: bool, show_ok: bool) -> String {
    let h = handler(color);
    let mut out = String::new();
    // Causes before consequences: the findings about files first, then the
    // flows they may break (which refer back to them).
    let counted = || r.diagnostics.iter().filter(|d| d.suppressed.is_none());
    for d in counted()
        .filter(|d| !d.is_about_flows())
        .chain(counted().filter(|d| d.is_about_flows()))
    {
        out.push_str(&render_diag(&r.sources, d, &h));
    }
    for u in &r.unchecked {
        let _ = writeln!(
            out,
            "unchecked: {}{}: {} [{}]",
            u.service,
            u.env
                .as_ref()
                .map(|e| format!(" in environment `{e}`"))
                .unwrap_or_default(),
            u.reason,
            u.code.as_str()
        );
    }
    for e in &r.envs {
        match e.source {
            crate::outcome::NetworkSource::Files => {
                let _ = writeln!(out, "reachability in environment `{}`:", e.env);
            }
            crate::outcome::NetworkSource::Snapshot => {
                let _ = writeln!(
                    out,
                    "reachability in environment `{}` as deployed (from the snapshot):",
                    e.env
                );
            }
            crate::outcome::NetworkSource::Live => {
                let _ = writeln!(
                    out,
                    "reachability in environment `{}` as deployed (read from the account):",
                    e.env
                );
            }
        }
        if e.flows.is_empty() {
            let _ = writeln!(out, "  no flows to check here");
        }
        // the network's assumptions, once (every flow of it carries them)
        for a in e.assumptions() {
            let _ = writeln!(out, "  assumes: {a} ({})", r.sources.locate(a.span));
        }
        let mut ok = 0usize;
        for f in &e.flows {
            let mark = match f.verdict {
                _ if f.suppressed.is_some() => "--",
                Verdict::Unknown => "??",
                _ if !f.fails() => "ok",
                _ if f.flow.needed || f.flow.isolation => "!!",
                _ => "~~",
            };
            if mark == "ok" && !show_ok && f.assumptions.is_empty() {
                ok += 1;
                continue;
            }
            let _ = writeln!(
                out,
                "  {mark} {} -> {}: {} ({}, {} placement{})",
                f.flow.source_label(),
                f.flow.target_text(),
                f.verdict.as_str(),
                f.expectation(),
                f.placements_checked,
                if f.placements_checked == 1 { "" } else { "s" }
            );
            if let Some(why) = &f.suppressed {
                let _ = writeln!(out, "       suppressed: {why}");
            }
            // an isolation that holds: its blockers are the proof, which
            // `explain` prints
            let blockers: &[_] = if f.flow.isolation && !f.fails() {
                &[]
            } else {
                &f.blockers
            };
            for b in blockers {
                let _ = writeln!(
                    out,
                    "       blocked by {} {} at {}: {} [{}]",
                    b.component,
                    b.id,
                    loc(&r.sources, &b.origin),
                    b.text(),
                    b.code
                );
            }
            for m in &f.missing {
                let _ = writeln!(out, "       missing: {m}");
            }
        }
        if ok > 0 {
            let _ = writeln!(
                out,
                "  ok: {ok} flow{} as expected (--show-ok lists {})",
                if ok == 1 { "" } else { "s" },
                if ok == 1 { "it" } else { "them" }
            );
        }
    }
    out
}

/// What a flow is and why it is needed: the first lines of `explain`.
fn flow_header(env: &str, f: &FlowResult) -> String {
    let mut out = format!(
        "{} -> {} in environment `{env}`\nwhy this flow: {}\n",
        f.flow.source_label(),
        f.flow.target_text(),
        f.flow.reason
    );
    for a in &f.assumptions {
        let _ = writeln!(out, "assumes: {a}");
    }
    out
}

/// The proof or counterexample of one flow, hop by hop.
pub fn explain(sources: &SourceMap, env: &str, f: &FlowResult) -> String {
    let mut out = flow_header(env, f);
    let _ = writeln!(
        out,
        "verdict: {} over {} placement{} ({})",
        f.verdict.as_str().to_uppercase(),
        f.placements_checked,
        if f.placements_checked == 1 { "" } else { "s" },
        match f.expectation() {
            "needed" if !f.assumptions.is_empty() =>
                "needed: a failure is a warning here, since the verdict rests on an assumption",
            "needed" => "needed: a failure is an error",
            "isolation" =>
                "isolation: it must never get through, and getting through is the failure",
            _ => "informational: a failure is a warning",
        }
    );
    if !f.path.is_empty() {
        let title = if f.verdict == Verdict::Reachable {
            "witness path (one representative placement)"
        } else {
            "path (the hops before the blockers)"
        };
        let _ = writeln!(out, "\n{title}:");
        for (i, hop) in f.path.iter().enumerate() {
            let _ = writeln!(out, "  {:>2}. {:<24} {}", i + 1, hop.component, hop.id);
            let _ = writeln!(out, "      {}", hop.detail);
            if let Some(s) = hop.origin.span() {
                let _ = writeln!(out, "      at {}", sources.locate(s));
            } else if let Some(at) = deployed_at(&hop.origin) {
                let _ = writeln!(out, "      from {at}");
            }
            if let Some(b) = &hop.origin.because {
                let _ = writeln!(out, "      why: {b}");
            }
        }
        if f.verdict == Verdict::Reachable && f.placements_checked > 1 {
            let _ = writeln!(out, "\nevery other placement passes the same hops.");
        }
    }
    if !f.blockers.is_empty() {
        let _ = writeln!(out, "\nblocked by:");
        for b in &f.blockers {
            let _ = writeln!(out, "  - [{}] {} {}", b.code, b.component, b.id);
            let _ = writeln!(out, "    {}", b.text());
            if let Some(s) = b.origin.span() {
                let _ = writeln!(out, "    at {}", sources.locate(s));
                let (a, b) = (sources.start(s).line, sources.end(s).line);
                for l in a..=b.min(a + 5) {
                    let _ = writeln!(out, "    {:>4} | {}", l, sources.file(s.file).line_text(l));
                }
            } else if let Some(at) = deployed_at(&b.origin) {
                let _ = writeln!(out, "    from {at}");
            }
        }
    }
    if let Some(c) = &f.counterexample {
        let _ = writeln!(out, "\ncounterexample: {c}");
    }
    if !f.failing.is_empty() {
        let _ = writeln!(out, "\nfailing placements:");
        for p in &f.failing {
            let _ = writeln!(
                out,
                "  - from {} to {}",
                p.source_subnet,
                p.destination_subnet.as_deref().unwrap_or("the destination")
            );
        }
    }
    if !f.missing.is_empty() {
        let _ = writeln!(out, "\nunknown offline:");
        for m in &f.missing {
            let _ = writeln!(out, "  - {m}");
        }
    }
    out
}

/// Where a deployed fact came from: its id, the call, the snapshot record.
fn deployed_at(o: &crate::base::Origin) -> Option<String> {
    match &o.source {
        crate::base::Source::Snapshot(r) => Some(format!(
            "{} ({}, {} {})",
            r.id,
            r.call,
            r.file.display(),
            r.pointer
        )),
        crate::base::Source::Resource { arn } => Some(arn.clone()),
        _ => None,
    }
}

/// One side of a side-by-side explanation: blocks of lines (the verdict,
/// each hop, each blocker, ...) so the two sides can be aligned block by
/// block, hop against hop.
fn explain_blocks(sources: &SourceMap, f: &FlowResult) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    out.push(vec![format!(
        "{} over {} placement{}",
        f.verdict.as_str().to_uppercase(),
        f.placements_checked,
        if f.placements_checked == 1 { "" } else { "s" }
    )]);
    for (i, hop) in f.path.iter().enumerate() {
        let mut b = vec![format!("{:>2}. {} {}", i + 1, hop.component, hop.id)];
        b.push(format!("    {}", hop.detail));
        if let Some(s) = hop.origin.span() {
            b.push(format!("    at {}", sources.locate(s)));
        } else if let Some(at) = deployed_at(&hop.origin) {
            b.push(format!("    from {at}"));
        }
        out.push(b);
    }
    for bl in &f.blockers {
        let mut b = vec![format!("x [{}] {} {}", bl.code, bl.component, bl.id)];
        b.push(format!("    {}", bl.text()));
        if let Some(s) = bl.origin.span() {
            b.push(format!("    at {}", sources.locate(s)));
        } else if let Some(at) = deployed_at(&bl.origin) {
            b.push(format!("    from {at}"));
        }
        out.push(b);
    }
    if let Some(c) = &f.counterexample {
        out.push(vec![format!("counterexample: {c}")]);
    }
    if !f.failing.is_empty() {
        let mut b = vec!["failing placements:".to_string()];
        b.extend(f.failing.iter().map(|p| {
            format!(
                "  - from {} to {}",
                p.source_subnet,
                p.destination_subnet.as_deref().unwrap_or("the destination")
            )
        }));
        out.push(b);
    }
    if !f.missing.is_empty() {
        let mut b = vec!["unknown:".to_string()];
        b.extend(f.missing.iter().map(|m| format!("  - {m}")));
        out.push(b);
    }
    out
}

/// Splits `line` into pieces of at most `w` characters, at spaces where
/// it can (continuations keep the line's indentation).
fn wrap(line: &str, w: usize) -> Vec<String> {
    let indent: String = line.chars().take_while(|c| *c == ' ').collect();
    let mut out = Vec::new();
    let mut cur = indent.clone();
    for (n, word) in line.split(' ').filter(|x| !x.is_empty()).enumerate() {
        if n > 0 && cur.chars().count() + 1 + word.chars().count() > w {
            out.push(std::mem::replace(&mut cur, format!("{indent}  {word}")));
        } else {
            if n > 0 {
                cur.push(' ');
            }
            cur.push_str(word);
        }
    }
    out.push(cur);
    // a word longer than the column is cut into pieces
    let cont = format!("{indent}  ");
    let mut cut = Vec::new();
    for l in out {
        let mut chars: Vec<char> = l.chars().collect();
        while chars.len() > w {
            let rest = chars.split_off(w);
            cut.push(chars.iter().collect::<String>());
            chars = cont.chars().chain(rest).collect();
            if cont.chars().count() >= w {
                break;
            }
        }
        cut.push(chars.into_iter().collect());
    }
    cut
}

/// `explain` on two networks of one environment (the files', the
/// deployed one): when the verdicts differ, both explanations side by
/// side, hop against hop, in two columns of a `width`-wide page; when they
/// agree, the files' explanation (with the lines to change) and the
/// deployed verdict in one line.
pub fn explain_pair(
    sources: &SourceMap,
    env: &str,
    files: &FlowResult,
    deployed: &FlowResult,
    deployed_label: &str,
    width: usize,
) -> String {
    if files.verdict == deployed.verdict {
        let mut out = explain(sources, env, files);
        let _ = writeln!(
            out,
            "\n{deployed_label}: the same verdict, {} over {} placement{}{}",
            deployed.verdict.as_str().to_uppercase(),
            deployed.placements_checked,
            if deployed.placements_checked == 1 {
                ""
            } else {
                "s"
            },
            if deployed.blockers.is_empty() {
                String::new()
            } else {
                format!(
                    "; blocked by {}",
                    deployed
                        .blockers
                        .iter()
                        .map(|b| format!("{} {}", b.component, b.id))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        );
        return out;
    }
    let w = (width.max(80) - 3) / 2;
    let mut out = flow_header(env, files);
    let _ = writeln!(
        out,
        "the verdicts differ: {} from the files, {} {deployed_label}\n",
        files.verdict.as_str(),
        deployed.verdict.as_str()
    );
    let row = |out: &mut String, l: &str, r: &str| {
        let pad = w.saturating_sub(l.chars().count());
        let _ = writeln!(out, "{l}{} | {r}", " ".repeat(pad));
    };
    row(&mut out, "from the files", deployed_label);
    let _ = writeln!(out, "{}-+-{}", "-".repeat(w), "-".repeat(w));
    // block i of one side faces block i of the other: the verdicts, then
    // hop against hop; where one side has no path (an unreachable flow),
    // its blockers face the other side's first hops
    let left = explain_blocks(sources, files);
    let right = explain_blocks(sources, deployed);
    for i in 0..left.len().max(right.len()) {
        let lines = |side: &[Vec<String>]| -> Vec<String> {
            side.get(i)
                .map(|b| b.iter().flat_map(|x| wrap(x, w)).collect())
                .unwrap_or_default()
        };
        let (wl, wr) = (lines(&left), lines(&right));
        for j in 0..wl.len().max(wr.len()) {
            row(
                &mut out,
                wl.get(j).map_or("", String::as_str),
                wr.get(j).map_or("", String::as_str),
            );
        }
    }
    out
}

/// `explain`'s text with its verdicts and blocker codes in colour (ANSI):
/// reachable green, unreachable red, partial and unknown yellow. Applied to
/// the laid-out text, so the columns of a side-by-side proof keep their
/// widths on screen.
pub fn paint_explain(text: &str) -> String {
    const GREEN: &str = "\x1b[32m";
    const RED: &str = "\x1b[31m";
    const YELLOW: &str = "\x1b[33m";
    const RESET: &str = "\x1b[0m";
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        let mut l = line
            .replace("UNREACHABLE", "\u{0}U\u{0}")
            .replace("REACHABLE", &format!("{GREEN}REACHABLE{RESET}"))
            .replace("\u{0}U\u{0}", &format!("{RED}UNREACHABLE{RESET}"))
            .replace("PARTIAL", &format!("{YELLOW}PARTIAL{RESET}"))
            .replace("UNKNOWN", &format!("{YELLOW}UNKNOWN{RESET}"));
        // a blocker's code: `- [CODE]` (one proof), `x [CODE]` (side by side)
        for mark in ["- [", "x ["] {
            let mut from = 0;
            while let Some(i) = l[from..].find(mark).map(|i| i + from) {
                let open = i + mark.len() - 1;
                let Some(close) = l[open..].find(']').map(|c| c + open) else {
                    break;
                };
                let code = &l[open + 1..close];
                if code.is_empty() || !code.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
                    from = close + 1;
                    continue;
                }
                let painted = format!("[{RED}{code}{RESET}]");
                l.replace_range(open..=close, &painted);
                from = open + painted.len();
            }
        }
        out.push_str(&l);
    }
    out
}

#[cfg(test)]
mod pair_tests {
    use super::wrap;

    #[test]
    fn painting_colours_verdicts_and_codes_only() {
        let t = super::paint_explain(
            "verdict: UNREACHABLE over 2 placements\n  - [ENI_SG_RULES_MISMATCH] security-group sg-1\nREACHABLE over 1 placement | UNKNOWN\n  - [not a code] x\n",
        );
        assert!(t.contains("\x1b[31mUNREACHABLE\x1b[0m"));
        assert!(!t.contains("UN\x1b[32m"));
        assert!(t.contains("[\x1b[31mENI_SG_RULES_MISMATCH\x1b[0m]"));
        assert!(t.contains("\x1b[32mREACHABLE\x1b[0m over 1"));
        assert!(t.contains("\x1b[33mUNKNOWN\x1b[0m"));
        assert!(t.contains("[not a code]"));
        assert_eq!(super::paint_explain("plain\n"), "plain\n");
    }

    #[test]
    fn wrapping_keeps_words_and_indentation() {
        assert_eq!(wrap("short", 10), vec!["short"]);
        assert_eq!(
            wrap("    one two three four", 12),
            vec!["    one two", "      three", "      four"]
        );
        let long = "x".repeat(25);
        assert!(wrap(&long, 10).iter().all(|l| l.chars().count() <= 10));
    }
}
