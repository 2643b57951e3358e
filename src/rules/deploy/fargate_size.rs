#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL505.md"))]

use super::{size_help, sizes, Context};
use crate::base::{Diagnostic, RuleId};
use crate::manifest::STATIC_SITE;

pub const RULE: RuleId = RuleId::FargateTaskSize;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (_, wl) in cx
        .workloads
        .iter()
        .filter(|(_, w)| !w.is_rdws() && w.wtype != STATIC_SITE)
    {
        let defaults = if wl.windows { (1024, 2048) } else { (256, 512) };
        let Some(s) = sizes(wl, defaults) else {
            continue;
        };
        let size = cx.data.fargate_size(s.cpu, wl.windows);
        if size.is_some_and(|z| z.memory.contains(s.memory)) {
            continue;
        }
        let os = if wl.windows { "Windows" } else { "Linux" };
        let help = size_help(
            s.cpu,
            size,
            "Fargate",
            &format!("Fargate {os} tasks accept"),
            cx.data
                .fargate
                .iter()
                .filter(|z| z.os.iter().any(|o| o.eq_ignore_ascii_case(os)))
                .map(|z| z.cpu),
        );
        out.push(super::size_finding(
            RULE,
            s.span,
            cx.env,
            format!(
                "Fargate has no {os} task size with cpu {} and memory {} MiB{}: `{}` fails to deploy in ",
                s.cpu, s.memory, s.defaulted, wl.name
            ),
            help,
        ));
    }
}
