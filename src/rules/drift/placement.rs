#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL604.md"))]

use super::Context;
use crate::base::{Diagnostic, RuleId};
use crate::model::{Egress, SubnetSet};

pub const RULE: RuleId = RuleId::DriftPlacement;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let map = cx.matching.subnets.clone();
    for (i, w) in cx.files.workloads.iter().enumerate() {
        let (Egress::Enis(fe), Some(Egress::Enis(le))) =
            (&w.egress, cx.live.workloads.get(i).map(|l| &l.egress))
        else {
            continue;
        };
        let (SubnetSet::Known(fs), SubnetSet::Known(ls)) = (&fe.subnets, &le.subnets) else {
            continue;
        };
        let mut want: Vec<String> = match fs.iter().map(|s| map.get(s)).collect::<Option<Vec<_>>>()
        {
            Some(v) => v.iter().map(|s| cx.live.subnet(**s).name.clone()).collect(),
            None => continue,
        };
        let mut have: Vec<String> = ls.iter().map(|s| cx.live.subnet(*s).name.clone()).collect();
        want.sort();
        have.sort();
        if want == have {
            continue;
        }
        let Some(span) = fe.origin.span().or_else(|| cx.span_of(&w.origin)) else {
            continue;
        };
        out.push(
            Diagnostic::at(
                RULE,
                span,
                format!(
                    "`{}` should run its {} in {}, but in the account it runs in {}",
                    w.name,
                    fe.component,
                    want.join(", "),
                    have.join(", ")
                ),
            )
            .help("deploy the service again, or find who changed its network configuration"),
        );
    }
}
