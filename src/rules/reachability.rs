//! RL401-RL403: failed and undecided flows as diagnostics, located at their
//! main blocker so SARIF and annotations need nothing special.

use std::path::Path;

use crate::base::diag::{Diagnostic, Location};
use crate::base::rule::RuleId;
use crate::verify::{FlowResult, TargetKind, Verdict};

pub fn diagnostic(env: &str, f: &FlowResult, copilot_dir: &Path) -> Option<Diagnostic> {
    let rule = match (f.verdict, f.flow.needed) {
        (Verdict::Reachable, _) => return None,
        (Verdict::Unknown, _) => RuleId::FlowUnknown,
        (_, true) => RuleId::NeededFlowBlocked,
        (_, false) => RuleId::InformationalFlowBlocked,
    };
    let main = f.blockers.iter().find(|b| b.origin.span().is_some());
    let location = match main.and_then(|b| b.origin.span()) {
        Some(s) => Location::Span(s),
        None => Location::Path(copilot_dir.to_path_buf()),
    };
    let what = match f.verdict {
        Verdict::Unreachable => "cannot reach".to_string(),
        Verdict::Partial => format!(
            "reaches only from some placements ({} of {} fail)",
            f.failing.len(),
            f.placements_checked
        ),
        _ => "may or may not reach".to_string(),
    };
    let mut message = format!(
        "`{}` {} {} in environment `{env}`",
        f.flow.service,
        what,
        f.flow.target_text()
    );
    if let Some(b) = f.blockers.first() {
        message.push_str(&format!(": {} ({})", b.reason, b.code));
    } else if !f.missing.is_empty() {
        message.push_str(&format!(": unknown offline: {}", missing_text(f)));
    }
    let help = if f.verdict == Verdict::Unknown {
        format!(
            "supply the missing facts ({}); `reachlint explain` shows the proof so far",
            missing_text(f)
        )
    } else {
        format!(
            "run `reachlint explain <path> --env {env} --service {} --to {}` for every blocker",
            f.flow.service,
            match f.flow.kind() {
                TargetKind::Database => "database",
                TargetKind::Internet => "internet",
                TargetKind::AwsService => f.flow.target_name().unwrap_or("secretsmanager"),
                TargetKind::FileSystem => "file-system",
            }
        )
    };
    let mut d = Diagnostic::new(rule, location, message)
        .help(help)
        .env(Some(env));
    for b in f.blockers.iter().skip(1) {
        if let Some(s) = b.origin.span() {
            d = d.related(s, format!("{}: {}", b.code, b.reason));
        }
    }
    // The path as far as it goes, then where it stops.
    d.steps = path_steps(f);
    d.steps.extend(f.blockers.iter().map(|b| {
        (
            b.origin.span(),
            format!(
                "blocked [{}] {} {}: {}",
                b.code, b.component, b.id, b.reason
            ),
        )
    }));
    d.steps.extend(
        f.counterexample
            .iter()
            .map(|c| (None, format!("counterexample: {c}"))),
    );
    Some(d)
}

fn missing_text(f: &FlowResult) -> String {
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
                format!("{} {}: {}", h.component, h.id, h.detail),
            )
        })
        .collect()
}
