#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL209.md"))]

use crate::base::diag::{Location, Words};
use crate::base::origin::Source;
use crate::base::{Diagnostic, RuleId};
use crate::manifest::{Placement, Workload};
use crate::model::proof::{FlowResult, Verdict};
use crate::model::Component;
use crate::synth::NatCause;

pub const RULE: RuleId = RuleId::NatFromAnotherWorkload;

/// A workload that is not `placement: private` itself, whose reachable
/// flows go through a NAT gateway Copilot creates only because other
/// workloads are. `managed`: the environment's VPC is Copilot's (an
/// imported VPC gets no NAT gateways from Copilot at all).
pub fn check(
    env: &str,
    managed: bool,
    workloads: &[(&crate::load::WorkloadDir, Workload)],
    nat: &[NatCause],
    flows: &[FlowResult],
    out: &mut Vec<Diagnostic>,
) {
    if nat.is_empty() || !managed {
        return;
    }
    for (_, wl) in workloads {
        if nat.iter().any(|c| c.workload == wl.name) {
            continue;
        }
        let via_nat = flows.iter().find(|f| {
            f.flow.service == wl.name
                && f.verdict == Verdict::Reachable
                && f.path.iter().any(|h| {
                    h.component == Component::NatGateway
                        && matches!(h.origin.source, Source::Synthesized { .. })
                })
        });
        let explicit = match &wl.placement {
            Placement::Subnets(_, s) | Placement::FromTags(s) => Some(*s),
            _ => None,
        };
        let target = match (via_nat, explicit) {
            (Some(f), _) => format!("reaches {}", f.flow.target_text()),
            (None, Some(_)) => {
                "runs in subnets it names itself, and if they route to the internet, that is"
                    .to_string()
            }
            (None, None) => continue,
        };
        let span = explicit.unwrap_or_else(|| wl.network_span.unwrap_or(wl.type_span));
        let causes: Vec<String> = nat.iter().map(|c| format!("`{}`", c.workload)).collect();
        let mut d = Diagnostic::worded(
            RULE,
            Location::Span(span),
            env,
            Words::new()
                .text(format!("`{}` {target} in ", wl.name))
                .env_names()
                .text(format!(
                    " through a NAT gateway that Copilot creates only because {} {} `placement: private`; without {} the NAT gateways and this path disappear",
                    causes.join(", "),
                    if causes.len() == 1 { "sets" } else { "set" },
                    if causes.len() == 1 { "it" } else { "them" },
                )),
            Some(Words::new().text(format!(
                "make the dependency explicit: set `network.vpc.placement: private` on `{}` too (Copilot then keeps the NAT gateways for it), or give its subnets a NAT or endpoints of their own",
                wl.name
            ))),
        );
        for c in nat {
            d = d.related(c.span, format!("`{}` causes the NAT gateways", c.workload));
        }
        out.push(d);
    }
}
