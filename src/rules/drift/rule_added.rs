#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL602.md"))]

use super::{keys, Context};
use crate::base::origin::Source;
use crate::base::{Diagnostic, Location, RuleId};

pub const RULE: RuleId = RuleId::DriftRuleAdded;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let map = cx.matching.sgs.clone();
    let live_name = |id: crate::model::SgId| Some(cx.live.sg(id).name.clone());
    let file_name = |id: crate::model::SgId| map.get(&id).map(|l| cx.live.sg(*l).name.clone());
    for (f, l) in &map {
        let fg = cx.files.sg(*f);
        let lg = cx.live.sg(*l);
        let files: Vec<_> = keys(fg, &file_name).into_iter().map(|(k, _)| k).collect();
        for (k, rule) in keys(lg, &live_name) {
            if files.contains(&k) {
                continue;
            }
            let (location, arn) = match &rule.origin.source {
                Source::Snapshot(r) => (Location::Path(r.file.clone()), r.id.clone()),
                _ => continue,
            };
            let mut d = Diagnostic::new(
                RULE,
                location,
                format!(
                    "security group {} (`{}`) has {}, which no file creates (added by hand?)",
                    lg.name,
                    fg.name,
                    k.text()
                ),
            )
            .help(format!(
                "write the rule into the template that creates `{}` so it is reviewed and survives, or revoke it in the account",
                fg.name
            ));
            d.arn = Some(arn);
            out.push(d);
        }
    }
}
