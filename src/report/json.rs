//! `--format json`, version 1: the contract other tools depend on.

use serde::Serialize;
use serde_json::{json, Value as J};

use crate::base::source::SourceMap;
use crate::model::flow::Target;
use crate::model::proof::FlowResult;
use crate::model::{Origin, Source};
use crate::outcome::Report;

/// A hop of a witness path.
#[derive(Serialize)]
struct HopOut<'a> {
    component: &'static str,
    id: &'a str,
    detail: &'a str,
    file: Option<&'a str>,
    line: Option<u32>,
    /// A deployed element's id or ARN, and the call it came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    resource: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    call: Option<&'a str>,
}

#[derive(Serialize)]
struct BlockerOut<'a> {
    code: &'static str,
    component: &'static str,
    id: &'a str,
    reason: String,
    /// The remedy in the words of the input (already part of `reason`).
    advice: Option<&'a str>,
    file: Option<&'a str>,
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    call: Option<&'a str>,
}

#[derive(Serialize)]
struct FromOut {
    kind: &'static str,
    name: String,
}

#[derive(Serialize)]
struct TargetOut<'a> {
    kind: &'static str,
    name: Option<&'a str>,
    engine: Option<&'a str>,
}

/// A stated assumption the verdict rests on.
#[derive(Serialize)]
struct AssumptionOut<'a> {
    code: &'static str,
    text: &'a str,
    file: &'a str,
    line: u32,
}

#[derive(Serialize)]
struct PlacementOut<'a> {
    source_subnet: &'a str,
    destination_subnet: Option<&'a str>,
}

/// One reachability entry, in the contract's field order.
#[derive(Serialize)]
struct FlowOut<'a> {
    env: &'a str,
    /// Where the network came from: `files`, `snapshot` (`live` later).
    source: &'static str,
    /// Where the flow starts, by name.
    from: FromOut,
    /// The workload the flow is about; null for a flow from outside to a
    /// data store no workload owns.
    service: Option<&'a str>,
    stack: String,
    target: TargetOut<'a>,
    protocol: &'static str,
    port: u16,
    needed: bool,
    /// The flow must never get through (an exposure check).
    isolation: bool,
    needed_for: Vec<&'static str>,
    reason: &'a str,
    verdict: &'static str,
    placements_checked: usize,
    failing_placements: Vec<PlacementOut<'a>>,
    path: Vec<HopOut<'a>>,
    blockers: Vec<BlockerOut<'a>>,
    missing: Vec<&'a str>,
    counterexample: Option<&'a str>,
    suppressed: Option<&'a str>,
    /// What the verdict rests on that the files do not say.
    assumptions: Vec<AssumptionOut<'a>>,
}

#[derive(Serialize)]
struct UncheckedOut<'a> {
    env: Option<&'a str>,
    service: &'a str,
    code: &'static str,
    reason: &'a str,
}

#[derive(Serialize)]
struct SummaryOut {
    errors: usize,
    warnings: usize,
    notes: usize,
    unreachable: usize,
    unknown: usize,
    unchecked: usize,
    /// Reachability entries whose verdict rests on an assumption.
    assumed: usize,
}

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    diagnostics: Vec<J>,
    reachability: Vec<FlowOut<'a>>,
    unchecked: Vec<UncheckedOut<'a>>,
    summary: SummaryOut,
}

fn origin_loc<'a>(sources: &'a SourceMap, o: &Origin) -> (Option<&'a str>, Option<u32>) {
    match o.span() {
        Some(s) => (Some(sources.display(s.file)), Some(sources.start(s).line)),
        None => (None, None),
    }
}

fn flow_out<'a>(
    sources: &'a SourceMap,
    net: &crate::model::Network,
    env: &'a str,
    source: &'static str,
    f: &'a FlowResult,
) -> FlowOut<'a> {
    let path = f
        .path
        .iter()
        .map(|h| {
            let (file, line) = origin_loc(sources, &h.origin);
            HopOut {
                component: h.component.as_str(),
                id: &h.id,
                detail: &h.detail,
                file,
                line,
                resource: h.origin.record().map(|r| r.id.as_str()),
                call: h.origin.record().map(|r| r.call.as_str()),
            }
        })
        .collect();
    let blockers = f
        .blockers
        .iter()
        .map(|b| {
            let (file, line) = origin_loc(sources, &b.origin);
            BlockerOut {
                code: b.code.as_str(),
                component: b.component.as_str(),
                id: &b.id,
                reason: b.text(),
                advice: b.advice.as_deref(),
                file,
                line,
                resource: b.origin.record().map(|r| r.id.as_str()),
                call: b.origin.record().map(|r| r.call.as_str()),
            }
        })
        .collect();
    // The stack that declares the target: a database's template file, else
    // its owner; the workload's own stack for every other target.
    let stack = match &f.flow.target {
        Target::Database { db, .. } => net.databases.get(db.0).map(|d| match &d.origin.source {
            Source::File(sp) => format!("template:{}", sources.display(sp.file)),
            _ => d.owner.to_string(),
        }),
        Target::LoadBalancer { lb, .. } => {
            net.load_balancers.get(*lb).map(|l| match &l.origin.source {
                Source::File(sp) => format!("template:{}", sources.display(sp.file)),
                _ => l.owner.to_string(),
            })
        }
        _ => None,
    }
    .unwrap_or_else(|| format!("workload:{}", f.flow.service));
    let from = f.flow.from();
    // a flow from outside to a data store no workload owns is about no
    // workload (DECISIONS.md, Endpoints)
    let unowned = match (&f.flow.source, &f.flow.target) {
        (
            crate::model::flow::Source::Internet | crate::model::flow::Source::Cidr(_),
            Target::Database { db, .. },
        ) => !matches!(
            net.databases.get(db.0).map(|d| &d.owner),
            Some(crate::model::Owner::Workload(_))
        ),
        _ => false,
    };
    FlowOut {
        env,
        source,
        from: FromOut {
            kind: from.kind.as_str(),
            name: from.name,
        },
        service: (!unowned).then_some(f.flow.service.as_str()),
        stack,
        target: TargetOut {
            kind: f.flow.kind().as_str(),
            name: f.flow.target_name(),
            engine: f.flow.engine(),
        },
        protocol: "tcp",
        port: f.flow.port,
        needed: f.flow.needed,
        isolation: f.flow.isolation,
        needed_for: f.flow.needed_for.iter().map(|p| p.as_str()).collect(),
        reason: &f.flow.reason,
        verdict: f.verdict.as_str(),
        placements_checked: f.placements_checked,
        failing_placements: f
            .failing
            .iter()
            .map(|p| PlacementOut {
                source_subnet: &p.source_subnet,
                destination_subnet: p.destination_subnet.as_deref(),
            })
            .collect(),
        path,
        blockers,
        missing: f.missing.iter().map(|m| m.text.as_str()).collect(),
        counterexample: f.counterexample.as_deref(),
        suppressed: f.suppressed.as_deref(),
        assumptions: f
            .assumptions
            .iter()
            .map(|a| AssumptionOut {
                code: a.code.as_str(),
                text: &a.text,
                file: sources.display(a.span.file),
                line: sources.start(a.span).line,
            })
            .collect(),
    }
}

/// One reachability entry as JSON (`explain --format json`).
pub fn flow_json(
    sources: &SourceMap,
    net: &crate::model::Network,
    env: &str,
    source: crate::outcome::NetworkSource,
    f: &FlowResult,
) -> J {
    serde_json::to_value(flow_out(sources, net, env, source.as_str(), f)).unwrap_or(J::Null)
}

/// The JSON document for one workspace.
pub fn render(r: &Report) -> String {
    render_all(std::slice::from_ref(r))
}

/// One JSON document for the reports of several workspaces: arrays merged
/// and sorted as the contract says, summary added up.
pub fn render_all(reports: &[Report]) -> String {
    let mut diagnostics: Vec<J> = Vec::new();
    let mut reach: Vec<FlowOut> = Vec::new();
    let mut unchecked: Vec<UncheckedOut> = Vec::new();
    for r in reports {
        diagnostics.extend(diagnostics_json(r));
        for e in &r.envs {
            for f in &e.flows {
                reach.push(flow_out(
                    &r.sources,
                    &e.network,
                    &e.env,
                    e.source.as_str(),
                    f,
                ));
            }
        }
        for u in &r.unchecked {
            unchecked.push(UncheckedOut {
                env: u.env.as_deref(),
                service: &u.service,
                code: u.code.as_str(),
                reason: &u.reason,
            });
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
        reach.sort_by(|a, b| {
            (a.env, a.source, a.service, a.target.kind, a.target.name).cmp(&(
                b.env,
                b.source,
                b.service,
                b.target.kind,
                b.target.name,
            ))
        });
        unchecked.sort_by(|a, b| (a.env, a.service).cmp(&(b.env, b.service)));
    }
    let t = super::totals(reports);
    let n_unchecked = unchecked.len();
    let doc = Doc {
        version: 1,
        diagnostics,
        reachability: reach,
        unchecked,
        summary: SummaryOut {
            errors: t.0,
            warnings: t.1,
            notes: t.2,
            unreachable: t.3,
            unknown: t.4,
            unchecked: n_unchecked,
            assumed: reports.iter().map(Report::assumed).sum(),
        },
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
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
            let mut j = json!({
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
            });
            if let Some(arn) = &d.arn {
                j["arn"] = J::String(arn.clone());
            }
            // one finding for the same cause in several environments
            if !d.environments.is_empty() {
                j["environments"] = json!(d.environments);
            }
            if !d.related.is_empty() {
                j["related"] = J::Array(
                    d.related
                        .iter()
                        .map(|(s, label)| {
                            let at = sources.start(*s);
                            json!({
                                "file": sources.display(s.file),
                                "line": at.line,
                                "column": at.column,
                                "message": label,
                            })
                        })
                        .collect(),
                );
            }
            j
        })
        .collect()
}
