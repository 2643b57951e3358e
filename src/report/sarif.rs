//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning. One run; the
//! driver lists every rule with its page; each finding is a result at its
//! span, with related locations, the flow's path as a code flow, and a
//! partial fingerprint that survives unrelated edits.

use serde_json::{json, Value as J};

use crate::base::diag::{Diagnostic, Severity};
use crate::base::rule::RuleId;
use crate::base::source::{SourceMap, Span};
use crate::outcome::Report;
use crate::report::finding::{self, Place};

/// Where the rule pages are published: the crate's repository.
fn help_uri(r: RuleId) -> String {
    let repo = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    format!("{repo}/blob/main/rules/{}.md", r.code())
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// A file path as a URI reference: relative paths stay relative (to the
/// directory reachlint ran in, the repository root in CI), absolute ones
/// become `file://` URIs.
fn uri(file: &str) -> String {
    let f = file.replace('\\', "/");
    let escaped: String = f
        .chars()
        .map(|c| match c {
            ' ' => "%20".to_string(),
            '%' => "%25".to_string(),
            '#' => "%23".to_string(),
            '?' => "%3F".to_string(),
            c => c.to_string(),
        })
        .collect();
    if f.starts_with('/') {
        format!("file://{escaped}")
    } else {
        escaped
    }
}

fn physical(p: &Place) -> J {
    json!({
        "artifactLocation": {"uri": uri(&p.file)},
        "region": {
            "startLine": p.line,
            "startColumn": p.column,
            "endLine": p.end_line,
            "endColumn": p.end_column,
        }
    })
}

fn span_location(sources: &SourceMap, s: Span, text: &str) -> J {
    json!({
        "physicalLocation": physical(&finding::span_place(sources, s)),
        "message": {"text": text},
    })
}

fn rules() -> Vec<J> {
    RuleId::ALL
        .iter()
        .map(|r| {
            json!({
                "id": r.code(),
                "name": r.slug(),
                "shortDescription": {"text": r.summary()},
                "fullDescription": {"text": r.description()},
                "helpUri": help_uri(*r),
                "help": {"text": r.description(), "markdown": r.page()},
                "defaultConfiguration": {"level": level(r.severity())},
                "properties": {"family": r.family()},
            })
        })
        .collect()
}

fn result(sources: &SourceMap, d: &Diagnostic, fingerprint: &str) -> J {
    let index = RuleId::ALL.iter().position(|r| *r == d.rule).unwrap_or(0);
    let mut text = d.message.clone();
    if let Some(env) = &d.env {
        text.push_str(&format!(" [env {env}]"));
    }
    if let Some(h) = &d.help {
        text.push_str(&format!(". Fix: {h}"));
    }
    let mut r = json!({
        "ruleId": d.rule.code(),
        "ruleIndex": index,
        "level": level(d.severity),
        "message": {"text": text},
        "locations": [{"physicalLocation": physical(&finding::place(sources, d))}],
        "partialFingerprints": {"reachlint/v1": fingerprint},
    });
    if !d.related.is_empty() {
        r["relatedLocations"] = J::Array(
            d.related
                .iter()
                .enumerate()
                .map(|(i, (s, label))| {
                    let mut l = span_location(sources, *s, label);
                    l["id"] = J::from(i + 1);
                    l
                })
                .collect(),
        );
    }
    if !d.steps.is_empty() {
        let locations: Vec<J> = d
            .steps
            .iter()
            .map(|(s, text)| match s {
                Some(s) => json!({"location": span_location(sources, *s, text)}),
                None => json!({"location": {"message": {"text": text}}}),
            })
            .collect();
        r["codeFlows"] = json!([{"threadFlows": [{"locations": locations}]}]);
    }
    if let Some(env) = &d.env {
        r["properties"] = json!({"env": env});
    }
    if let Some(why) = &d.suppressed {
        let kind = if why.starts_with("inline:") {
            "inSource"
        } else {
            "external"
        };
        r["suppressions"] = json!([{"kind": kind, "justification": why}]);
    }
    r
}

/// The SARIF log for the reports of one run.
pub fn render_all(reports: &[Report]) -> String {
    let mut results = Vec::new();
    for r in reports {
        let fps = finding::fingerprints(&r.sources, &r.diagnostics);
        for (d, fp) in r.diagnostics.iter().zip(&fps) {
            results.push(result(&r.sources, d, fp));
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "reachlint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules(),
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_or_file_uris() {
        assert_eq!(uri("copilot/api/manifest.yml"), "copilot/api/manifest.yml");
        assert_eq!(uri("/tmp/a b/x.yml"), "file:///tmp/a%20b/x.yml");
    }
}
