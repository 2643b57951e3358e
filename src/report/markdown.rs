//! `--format markdown`: for pull-request comments and
//! `$GITHUB_STEP_SUMMARY`. The totals, the findings, a table of flows per
//! environment, and for each failing or undecided flow a Mermaid diagram of
//! its path with the blocking hop marked.

use std::fmt::Write as _;

use crate::base::diag::Severity;
use crate::model::proof::{FlowResult, Verdict};
use crate::outcome::Report;
use crate::report::finding;

/// Text safe inside a table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Text safe inside a Mermaid node label.
fn label(s: &str) -> String {
    s.replace('"', "#quot;").replace('\n', " ")
}

fn mark(f: &FlowResult) -> &'static str {
    match f.verdict {
        Verdict::Unknown => "❔",
        _ if !f.fails() => "✅",
        _ if f.flow.needed || f.flow.isolation => "❌",
        _ => "⚠️",
    }
}

/// The path as far as it goes, then each blocker, marked.
fn diagram(f: &FlowResult) -> String {
    let mut out = String::from("```mermaid\nflowchart LR\n");
    let mut prev: Option<String> = None;
    for (i, h) in f.path.iter().enumerate() {
        let id = format!("h{i}");
        let _ = writeln!(
            out,
            "  {id}[\"{}<br/>{}\"]",
            label(h.component.as_str()),
            label(&h.id)
        );
        if let Some(p) = &prev {
            let _ = writeln!(out, "  {p} --> {id}");
        }
        prev = Some(id);
    }
    for (i, b) in f.blockers.iter().enumerate() {
        let id = format!("b{i}");
        let _ = writeln!(
            out,
            "  {id}[\"{} {}<br/>{}\"]:::blocked",
            label(b.component.as_str()),
            label(&b.id),
            label(b.code.as_str())
        );
        if let Some(p) = &prev {
            let _ = writeln!(out, "  {p} -. stops .-> {id}");
        }
    }
    out.push_str("  classDef blocked fill:#fdd,stroke:#c00,color:#600\n```\n");
    out
}

pub fn render_all(reports: &[Report]) -> String {
    let mut out = String::from("## reachlint\n\n");
    let _ = writeln!(out, "**{}**\n", super::summary_text(reports));
    let findings: Vec<_> = reports
        .iter()
        .flat_map(|r| {
            r.diagnostics
                .iter()
                .filter(|d| d.suppressed.is_none())
                .map(move |d| (r, d))
        })
        .collect();
    if !findings.is_empty() {
        out.push_str("### Findings\n\n| | rule | where | message |\n|---|---|---|---|\n");
        for (r, d) in findings {
            let p = finding::place(&r.sources, d);
            let icon = match d.severity {
                Severity::Error => "❌",
                Severity::Warning => "⚠️",
                Severity::Note => "ℹ️",
            };
            let mut msg = d.message.clone();
            if let Some(h) = &d.help {
                msg.push_str(&format!(" — {h}"));
            }
            let _ = writeln!(
                out,
                "| {icon} | `{}` {} | `{}:{}:{}` | {} |",
                d.rule.code(),
                d.rule.slug(),
                cell(&p.file),
                p.line,
                p.column,
                cell(&msg)
            );
        }
        out.push('\n');
    }
    for r in reports {
        for e in &r.envs {
            let _ = writeln!(out, "### Flows in environment `{}`\n", e.env);
            for a in e.assumptions() {
                let _ = writeln!(out, "Assumes: {}\n", cell(&a.to_string()));
            }
            if e.flows.is_empty() {
                out.push_str("No flows derived.\n\n");
                continue;
            }
            out.push_str("| | service | target | verdict | needed | placements |\n|---|---|---|---|---|---|\n");
            for f in &e.flows {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} |",
                    mark(f),
                    cell(&f.flow.source_text()),
                    cell(&f.flow.target_text()),
                    f.verdict.as_str(),
                    match f.expectation() {
                        "needed" => "yes",
                        "isolation" => "must not",
                        _ => "no",
                    },
                    f.placements_checked
                );
            }
            out.push('\n');
            for f in e
                .flows
                .iter()
                .filter(|f| f.fails() || f.verdict == Verdict::Unknown)
            {
                let _ = writeln!(
                    out,
                    "#### {} → {}: {}\n",
                    f.flow.source_text(),
                    cell(&f.flow.target_text()),
                    f.verdict.as_str()
                );
                for b in &f.blockers {
                    let _ = writeln!(
                        out,
                        "- **{}** {} `{}`: {}",
                        b.code,
                        b.component,
                        b.id,
                        cell(&b.text())
                    );
                }
                for m in &f.missing {
                    let _ = writeln!(out, "- missing offline: {}", cell(&m.text));
                }
                out.push('\n');
                out.push_str(&diagram(f));
                out.push('\n');
            }
        }
    }
    out
}
