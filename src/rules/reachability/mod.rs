//! Reachability (RL4xx): failed and undecided flows as findings, located
//! at their main blocker so SARIF and annotations need nothing special;
//! declared flows that fail their declaration. Each rule is one module whose
//! doc comment is its page.

use std::path::Path;

use crate::base::diag::{Diagnostic, Location, Words};
use crate::base::rule::RuleId;
use crate::model::proof::{FlowResult, Verdict};
use crate::outcome::NetworkSource;

/// Which network the findings are about: an environment, and whether its
/// network is the files' or the deployed one. The rules word it
/// themselves: "in environment `prod`", "in environment `prod` as
/// deployed (snapshot)".
#[derive(Debug, Clone, Copy)]
pub struct Env<'a> {
    pub name: &'a str,
    pub source: NetworkSource,
}

impl Env<'_> {
    /// `w` followed by "in environment `prod`" (and "as deployed
    /// (snapshot)"), the environment a slot of the words.
    fn said(self, w: Words) -> Words {
        let w = w.text("in ").environments();
        match self.source {
            NetworkSource::Files => w,
            NetworkSource::Snapshot => w.text(" as deployed (snapshot)"),
            NetworkSource::Live => w.text(" as deployed (live)"),
        }
    }
}

pub mod data_store_exposed;
pub mod datastore_not_modelled;
pub mod declared_flow_unmatched;
pub mod flow_unknown;
pub mod forbidden_flow_reachable;
pub mod informational_flow_blocked;
pub mod needed_flow_blocked;
pub mod task_exposed;

/// A failed or undecided flow's finding: RL401 (needed), RL402
/// (informational) or RL403 (unknown), each worded by its rule's module.
/// `workspace`: what `reachlint explain` takes to find this network (the
/// workspace's path, and `--snapshot DIR` for a deployed one), pasted into
/// the help as it is.
pub fn diagnostic(
    env: Env,
    f: &FlowResult,
    copilot_dir: &Path,
    workspace: &str,
) -> Option<Diagnostic> {
    let main = f.blockers.iter().find(|b| b.origin.span().is_some());
    // a deployed resource: the snapshot file its record is in
    let record = f.blockers.iter().find_map(|b| match &b.origin.source {
        crate::base::origin::Source::Snapshot(r) => Some(r.file.clone()),
        _ => None,
    });
    // an undecided flow with no blocker in a file: the line that holds
    // the fact it misses (a literal subnet id, an imported VPC id)
    let fact = f.missing.iter().find_map(|m| m.origin.span());
    let location = match (main.and_then(|b| b.origin.span()), fact, record) {
        (Some(s), _, _) | (None, Some(s), _) => Location::Span(s),
        (None, None, Some(file)) => Location::Path(file),
        (None, None, None) => Location::Path(copilot_dir.to_path_buf()),
    };
    if f.flow.isolation && f.flow.source == crate::model::flow::Source::Internet {
        return exposure(env, f, location, workspace);
    }
    let d = match (f.verdict, f.flow.needed) {
        (Verdict::Reachable, _) => return None,
        (Verdict::Unknown, _) => flow_unknown::diagnostic(env, f, location),
        (_, true) => needed_flow_blocked::diagnostic(env, f, location, workspace),
        (_, false) => informational_flow_blocked::diagnostic(env, f, location, workspace),
    };
    Some(under_assumptions(with_path(d, f), f))
}

/// An assumption never makes an error (DECISIONS.md): a finding about a
/// verdict that rests on one is at most a warning, and its words say so
/// ([`assumed`]).
pub(crate) fn under_assumptions(mut d: Diagnostic, f: &FlowResult) -> Diagnostic {
    if !f.assumptions.is_empty() && d.severity == crate::base::Severity::Error {
        d.severity = crate::base::Severity::Warning;
    }
    d
}

/// The words that end a flow's finding when its verdict rests on
/// assumptions: what is assumed, and, for a rule whose finding is an error
/// (`rule`), that it is a warning here.
pub(crate) fn assumed(rule: RuleId, f: &FlowResult) -> Words {
    let what: Vec<String> = f.assumptions.iter().map(ToString::to_string).collect();
    if what.is_empty() {
        return Words::new();
    }
    let lead = if rule.severity() == crate::base::Severity::Error {
        "; a warning, not an error, since it rests on an assumption"
    } else {
        "; it rests on an assumption"
    };
    Words::new().text(format!("{lead}: {}", what.join("; ")))
}

/// An exposure check's finding: only when the flow gets through (from
/// every placement or some). Refused is the proof; undecided stays in the
/// report (its verdict names the missing fact), never a finding, since
/// nobody asked for the flow.
fn exposure(env: Env, f: &FlowResult, location: Location, workspace: &str) -> Option<Diagnostic> {
    if !matches!(f.verdict, Verdict::Reachable | Verdict::Partial) {
        return None;
    }
    // at the rule that lets it in: the destination's group in the path
    let at = admitting(f)
        .and_then(|h| h.origin.span())
        .map_or(location, Location::Span);
    // what else must not get through is declared: RL404, at the declaration
    let mut d = match f.flow.target {
        crate::model::flow::Target::Workload { .. } => {
            task_exposed::diagnostic(env, f, at, workspace)
        }
        crate::model::flow::Target::Database { .. } => {
            data_store_exposed::diagnostic(env, f, at, workspace)
        }
        _ => return None,
    };
    d.steps = path_steps(f);
    // from some placements only: where the data store or task lands is
    // not in the files, so the exposure is possible, not certain
    if f.verdict == Verdict::Partial {
        d.severity = crate::base::Severity::Warning;
    }
    Some(under_assumptions(d, f))
}

/// The hop that admits an exposure into its destination: the last
/// security group of the path (the destination's ingress).
fn admitting(f: &FlowResult) -> Option<&crate::model::proof::Hop> {
    f.path
        .iter()
        .rev()
        .find(|h| h.component == crate::model::Component::SecurityGroup)
}

/// An exposure's words (RL407, RL408): what reaches what, through which
/// hop, and how to see the whole path.
fn exposed(
    rule: RuleId,
    env: Env,
    f: &FlowResult,
    location: Location,
    workspace: &str,
) -> Diagnostic {
    let how = if f.verdict == Verdict::Partial {
        "reaches (from some placements)"
    } else {
        "reaches"
    };
    let through = admitting(f)
        .map(|h| format!(", through {}", h.detail))
        .unwrap_or_default();
    Diagnostic::worded(
        rule,
        location,
        env.name,
        env.said(Words::new().text(format!(
            "{} {how} {} ",
            f.flow.source_text(),
            f.flow.target_text()
        )))
        .text(through)
        .then(assumed(rule, f)),
        Some(
            Words::new()
                .text("take the address off the internet (private subnets, no public address) or narrow the rule that admits it; ")
                .then(explain_help(f, workspace)),
        ),
    )
}

/// The findings of one environment's proved flows, each linked to its
/// flow; undecided flows with the same cause at the same place are one
/// RL403 ([`flow_unknown::grouped`]).
pub fn findings(
    env: Env,
    results: &[FlowResult],
    copilot_dir: &Path,
    workspace: &str,
) -> Vec<Diagnostic> {
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut unknown: std::collections::HashMap<(Location, String), (usize, Vec<usize>)> =
        std::collections::HashMap::new();
    for (i, f) in results.iter().enumerate() {
        let Some(mut d) = diagnostic(env, f, copilot_dir, workspace) else {
            continue;
        };
        d.flow = Some(i);
        if d.rule == flow_unknown::RULE {
            let key = (d.location.clone(), cause(f));
            if let Some((_, more)) = unknown.get_mut(&key) {
                more.push(i);
                continue;
            }
            unknown.insert(key, (diags.len(), vec![i]));
        }
        diags.push(d);
    }
    for (at, group) in unknown.into_values() {
        if let [first, rest @ ..] = group.as_slice() {
            if rest.is_empty() {
                continue;
            }
            let flows: Vec<&FlowResult> = group.iter().map(|&i| &results[i]).collect();
            let mut d = flow_unknown::grouped(env, &flows, diags[at].clone());
            d.flow = Some(*first);
            d.also = rest.iter().map(|&i| (env.name.to_string(), i)).collect();
            diags[at] = d;
        }
    }
    diags
}

/// A blocked flow's finding, RL401 or RL402 (`rule`): the same words and
/// help for both.
fn blocked(
    rule: RuleId,
    env: Env,
    f: &FlowResult,
    location: Location,
    workspace: &str,
) -> Diagnostic {
    Diagnostic::worded(
        rule,
        location,
        env.name,
        blocked_message(env, f).then(assumed(rule, f)),
        Some(explain_help(f, workspace)),
    )
}

/// What a blocked flow's finding says (RL401 and RL402 alike).
fn blocked_message(env: Env, f: &FlowResult) -> Words {
    let what = match f.verdict {
        Verdict::Unreachable => "cannot reach".to_string(),
        Verdict::Partial => format!(
            "reaches only from some placements ({} of {} fail)",
            f.failing.len(),
            f.placements_checked
        ),
        _ => "may or may not reach".to_string(),
    };
    let message = env.said(Words::new().text(format!(
        "{} {} {} ",
        f.flow.source_text(),
        what,
        f.flow.target_text()
    )));
    if let Some(b) = f.blockers.first() {
        message.text(format!(": {} ({})", b.text(), b.code))
    } else if !f.missing.is_empty() {
        message.text(format!(": unknown offline: {}", missing_text(f)))
    } else {
        message
    }
}

/// `reachlint explain` for the flow.
fn explain_help(f: &FlowResult, workspace: &str) -> Words {
    Words::new()
        .text(format!("run `reachlint explain {workspace} --env "))
        .env_name()
        .text(format!(
            " {} --to {}` for every blocker",
            from_option(f),
            f.flow.to_word()
        ))
}

/// Where `explain` starts the flow: `--service api`, or `--from internet`
/// for a flow that starts outside the VPC.
pub(crate) fn from_option(f: &FlowResult) -> String {
    match f.flow.from_word() {
        Some(w) => format!("--from {w}"),
        None => format!("--service {}", f.flow.service),
    }
}

/// A word for the shell (quoted when it needs to be): a path as
/// `SourceMap::display_path` shows it, pasted into a command.
pub fn shell_word(p: &str) -> String {
    if p.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+:@".contains(c))
    {
        p.to_string()
    } else {
        format!("'{}'", p.replace('\'', "'\\''"))
    }
}

/// The other blockers as related spans, and the path as code-flow steps.
fn with_path(mut d: Diagnostic, f: &FlowResult) -> Diagnostic {
    for b in f.blockers.iter().skip(1) {
        if let Some(s) = b.origin.span() {
            d = d.related(s, format!("{}: {}", b.code, b.text()));
        }
    }
    // The path as far as it goes, then where it stops.
    d.steps = path_steps(f);
    d.steps.extend(f.blockers.iter().map(|b| {
        (
            b.origin.span(),
            format!(
                "blocked [{}] {} {}: {}{}",
                b.code,
                b.component,
                b.id,
                b.text(),
                deployed(&b.origin)
            ),
        )
    }));
    d.steps.extend(
        f.counterexample
            .iter()
            .map(|c| (None, format!("counterexample: {c}"))),
    );
    d
}

/// What an undecided flow waits on: its first blocker, else the facts
/// it misses. Flows of one environment with the same cause at the same
/// place are one finding ([`flow_unknown::grouped`]).
pub fn cause(f: &FlowResult) -> String {
    match f.blockers.first() {
        Some(b) => format!("{} ({})", b.text(), b.code),
        None => format!("unknown offline: {}", missing_text(f)),
    }
}

pub(crate) fn missing_text(f: &FlowResult) -> String {
    f.missing
        .iter()
        .map(|m| m.text.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The hops of a flow's path as steps of a finding (SARIF code flows).
pub fn path_steps(f: &FlowResult) -> Vec<(Option<crate::base::source::Span>, String)> {
    f.path
        .iter()
        .map(|h| {
            (
                h.origin.span(),
                format!(
                    "{} {}: {}{}",
                    h.component,
                    h.id,
                    h.detail,
                    deployed(&h.origin)
                ),
            )
        })
        .collect()
}

/// " (from <id>, <call>)" for a deployed element, else nothing.
fn deployed(o: &crate::base::Origin) -> String {
    match o.record() {
        Some(r) => format!(" (from {}, {})", r.id, r.call),
        None => String::new(),
    }
}
