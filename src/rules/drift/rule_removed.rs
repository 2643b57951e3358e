#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL601.md"))]

use super::{keys, Context};
use crate::base::{Diagnostic, RuleId};

pub const RULE: RuleId = RuleId::DriftRuleRemoved;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let map = cx.matching.sgs.clone();
    let live_name = |id: crate::model::SgId| Some(cx.live.sg(id).name.clone());
    let file_name = |id: crate::model::SgId| map.get(&id).map(|l| cx.live.sg(*l).name.clone());
    for (f, l) in &map {
        let fg = cx.files.sg(*f);
        let lg = cx.live.sg(*l);
        if lg.opaque.is_some() {
            continue;
        }
        let live: Vec<_> = keys(lg, &live_name).into_iter().map(|(k, _)| k).collect();
        for (k, rule) in keys(fg, &file_name) {
            if live.contains(&k) {
                continue;
            }
            let Some(span) = rule.origin.span().or_else(|| cx.span_of(&fg.origin)) else {
                continue;
            };
            out.push(
                Diagnostic::at(
                    RULE,
                    span,
                    format!(
                        "{} of `{}` is not in the account: security group {} lacks it (removed by hand, or a deploy that failed)",
                        k.text(),
                        fg.name,
                        lg.name
                    ),
                )
                .help("deploy the stack again to restore the rule, or remove it from the template if it should not exist"),
            );
        }
    }
}
