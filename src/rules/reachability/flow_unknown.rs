#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL403.md"))]

use crate::base::diag::{Diagnostic, Location, Words};
use crate::base::rule::RuleId;
use crate::model::proof::FlowResult;

pub const RULE: RuleId = RuleId::FlowUnknown;

pub fn diagnostic(env: super::Env, f: &FlowResult, location: Location) -> Diagnostic {
    Diagnostic::worded(
        RULE,
        location,
        env.name,
        super::blocked_message(env, f),
        Some(Words::new().text(format!(
            "supply the missing facts ({}); `reachlint explain` shows the proof so far",
            super::missing_text(f)
        ))),
    )
}

/// One finding for several undecided flows of `env` with the same cause
/// at the same place (`first` is the finding of the first of them).
pub fn grouped(env: super::Env, flows: &[&FlowResult], first: Diagnostic) -> Diagnostic {
    let Some(f) = flows.first() else {
        return first;
    };
    // by where the flows start: "`api` to ...", "the internet to ..."
    let mut per_source: Vec<(String, Vec<String>)> = Vec::new();
    for g in flows {
        let t = g.flow.target_text();
        let from = g.flow.source_text();
        match per_source.iter_mut().find(|(s, _)| *s == from) {
            Some((_, v)) => v.push(t),
            None => per_source.push((from, vec![t])),
        }
    }
    // "a (tcp/443), b (tcp/443)" says "a, b (tcp/443)"
    let list: Vec<String> = per_source
        .iter()
        .map(|(s, t)| {
            let port = t.first().and_then(|x| x.rfind(" (").map(|i| &x[i..]));
            match port {
                Some(p) if t.len() > 1 && t.iter().all(|x| x.ends_with(p)) => {
                    let names: Vec<&str> = t.iter().map(|x| &x[..x.len() - p.len()]).collect();
                    format!("{s} to {}{p}", names.join(", "))
                }
                _ => format!("{s} to {}", t.join(", ")),
            }
        })
        .collect();
    let words = env
        .said(Words::new().text(format!("{} flows may or may not get through ", flows.len())))
        .text(format!(" ({}): {}", list.join("; "), super::cause(f)));
    let mut d = first;
    d.message = words.render(&[env.name.to_string()]);
    d.words = d.words.map(|(_, help)| (words, help));
    d
}
