//! `--format json`, version 1: the contract other tools depend on.

use serde_json::{json, Value as J};

use crate::base::source::SourceMap;
use crate::door::Report;
use crate::model::{Origin, Source};
use crate::verify::{FlowResult, Target};

fn origin_loc(sources: &SourceMap, o: &Origin) -> (J, J) {
    match o.span() {
        Some(s) => (
            J::String(sources.display(s.file).to_string()),
            J::from(sources.start(s).line),
        ),
        None => (J::Null, J::Null),
    }
}

pub fn flow_json(sources: &SourceMap, net: &crate::model::Network, env: &str, f: &FlowResult) -> J {
    let path: Vec<J> = f
        .path
        .iter()
        .map(|h| {
            let (file, line) = origin_loc(sources, &h.origin);
            json!({"component": h.component.as_str(), "id": h.id, "detail": h.detail, "file": file, "line": line})
        })
        .collect();
    let blockers: Vec<J> = f
        .blockers
        .iter()
        .map(|b| {
            let (file, line) = origin_loc(sources, &b.origin);
            json!({"code": b.code.as_str(), "component": b.component.as_str(), "id": b.id, "reason": b.reason, "file": file, "line": line})
        })
        .collect();
    // The stack that declares the target: a database's template file, else
    // its owner; the workload's own stack for every other target.
    let stack = match &f.flow.target {
        Target::Database { db, .. } => net.databases.get(db.0).map(|d| match &d.origin.source {
            Source::File(sp) => format!("template:{}", sources.display(sp.file)),
            _ => d.owner.to_string(),
        }),
        _ => None,
    }
    .unwrap_or_else(|| format!("workload:{}", f.flow.service));
    json!({
        "env": env,
        "service": f.flow.service,
        "stack": stack,
        "target": {
            "kind": f.flow.kind().as_str(),
            "name": f.flow.target_name(),
            "engine": f.flow.engine(),
        },
        "protocol": "tcp",
        "port": f.flow.port,
        "needed": f.flow.needed,
        "needed_for": f.flow.needed_for.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
        "reason": f.flow.reason,
        "verdict": f.verdict.as_str(),
        "placements_checked": f.placements_checked,
        "failing_placements": f.failing.iter().map(|p| json!({"source_subnet": p.source_subnet, "destination_subnet": p.destination_subnet})).collect::<Vec<_>>(),
        "path": path,
        "blockers": blockers,
        "missing": f.missing.iter().map(|m| m.text.as_str()).collect::<Vec<_>>(),
        "counterexample": f.counterexample,
        "suppressed": f.suppressed,
    })
}

/// The JSON document for one workspace.
pub fn render(r: &Report) -> String {
    render_all(std::slice::from_ref(r))
}

/// One JSON document for the reports of several workspaces: arrays merged
/// and sorted as the contract says, summary added up.
pub fn render_all(reports: &[Report]) -> String {
    let mut diagnostics: Vec<J> = Vec::new();
    let mut reach: Vec<J> = Vec::new();
    let mut unchecked: Vec<J> = Vec::new();
    for r in reports {
        diagnostics.extend(diagnostics_json(r));
        for e in &r.envs {
            for f in &e.flows {
                reach.push(flow_json(&r.sources, &e.network, &e.env, f));
            }
        }
        for u in &r.unchecked {
            unchecked.push(json!({
                "env": u.env,
                "service": u.service,
                "code": u.code.as_str(),
                "reason": u.reason,
            }));
        }
    }
    if reports.len() > 1 {
        let key = |d: &J| {
            (
                d["file"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d["rule"].as_str().unwrap_or("").to_string(),
            )
        };
        diagnostics.sort_by_key(key);
        let rkey = |f: &J| {
            (
                f["env"].as_str().unwrap_or("").to_string(),
                f["service"].as_str().unwrap_or("").to_string(),
                f["target"]["kind"].as_str().unwrap_or("").to_string(),
                f["target"]["name"].as_str().unwrap_or("").to_string(),
            )
        };
        reach.sort_by_key(rkey);
        unchecked.sort_by_key(|u| {
            (
                u["env"].as_str().unwrap_or("").to_string(),
                u["service"].as_str().unwrap_or("").to_string(),
            )
        });
    }
    let summary = super::totals(reports);
    let out = json!({
        "version": 1,
        "diagnostics": diagnostics,
        "reachability": reach,
        "unchecked": unchecked,
        "summary": {
            "errors": summary.0,
            "warnings": summary.1,
            "notes": summary.2,
            "unreachable": summary.3,
            "unknown": summary.4,
            "unchecked": unchecked.len(),
        }
    });
    let mut s = serde_json::to_string_pretty(&out).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

fn diagnostics_json(r: &Report) -> Vec<J> {
    let sources = &r.sources;
    let fps = crate::report::finding::fingerprints(sources, &r.diagnostics);
    r.diagnostics
        .iter()
        .zip(fps)
        .map(|(d, fp)| {
            let p = crate::report::finding::place(sources, d);
            json!({
                "rule": d.rule.code(),
                "severity": d.severity.as_str(),
                "message": d.message,
                "file": p.file,
                "line": p.line,
                "column": p.column,
                "end_line": p.end_line,
                "end_column": p.end_column,
                "env": d.env,
                "help": d.help,
                "fingerprint": fp,
                "suppressed": d.suppressed,
            })
        })
        .collect()
}
