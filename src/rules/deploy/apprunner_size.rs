#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL504.md"))]

use super::{size_help, sizes, Context};
use crate::base::{Diagnostic, RuleId};

pub const RULE: RuleId = RuleId::AppRunnerInstanceSize;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (_, wl) in cx.workloads.iter().filter(|(_, w)| w.is_rdws()) {
        let Some(s) = sizes(wl, (1024, 2048)) else {
            continue;
        };
        let fits = cx
            .data
            .apprunner
            .iter()
            .any(|z| z.cpu == s.cpu && z.memory.contains(s.memory));
        if fits {
            continue;
        }
        let with_cpu = cx.data.apprunner.iter().find(|z| z.cpu == s.cpu);
        let help = size_help(
            s.cpu,
            with_cpu,
            "App Runner",
            "App Runner accepts",
            cx.data.apprunner.iter().map(|z| z.cpu),
        );
        out.push(super::size_finding(
            RULE,
            s.span,
            cx.env,
            format!(
                "App Runner does not accept cpu {} with memory {} MiB{}: the service `{}` fails to deploy in ",
                s.cpu, s.memory, s.defaulted, wl.name
            ),
            help,
        ));
    }
}
