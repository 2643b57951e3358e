//! Copilot's wording of each remedy: what to change in a manifest or an
//! addon template. The verifier names the remedy; only this door knows
//! which line of which input format expresses it. A group Copilot owns
//! (the environment's, its EFS group) is never the thing to edit: the
//! advice points at the manifest line that decides instead.

use std::collections::HashMap;

use crate::base::{Origin, Span};
use crate::door::{Advice, Advisor};
use crate::model::flow::{Flow, Source, Target};
use crate::model::proof::{Blocker, Remedy};
use crate::model::{Egress, Network, WorkloadKind};

/// The environment stack's security group, as the model names it.
const ENV_GROUP: &str = "EnvironmentSecurityGroup";

#[derive(Default)]
pub struct CopilotAdvisor {
    /// Workloads whose manifest sets `security_groups.deny_default: true`,
    /// with where.
    pub deny_default: HashMap<String, Span>,
}

impl Advisor for CopilotAdvisor {
    fn advise(&self, net: &Network, flow: &Flow, b: &Blocker) -> Option<Advice> {
        let remedy = b.remedy.as_ref()?;
        let source_group = match &flow.source {
            Source::LoadBalancer { name, .. } => format!("load balancer {name}'s security group"),
            _ => "the workload's security group".to_string(),
        };
        match remedy {
            Remedy::AddIngressFromWorkload { port } => {
                return Some(Advice::text(format!(
                    ": add an ingress rule for tcp/{port} with SourceSecurityGroupId set to {source_group}"
                )))
            }
            Remedy::AttachAdmittingGroup { group, port } => {
                let Target::Workload { name, .. } = &flow.target else {
                    return None;
                };
                return Some(match self.deny_default.get(name) {
                    Some(span) if group == ENV_GROUP => Advice {
                        text: format!(
                            "; {ENV_GROUP} admits the source on tcp/{port}, and `deny_default: true` in `{name}`'s manifest takes that group off its tasks: remove `deny_default`, or add an ingress rule for tcp/{port} from {source_group} to a group listed in `security_groups.groups`"
                        ),
                        at: Some(Origin::file(Some(*span))),
                    },
                    _ => Advice::text(format!(
                        "; {group} admits the source on tcp/{port}, and `{name}`'s tasks do not carry it: attach {group} to them, or add an ingress rule for tcp/{port} from {source_group}"
                    )),
                });
            }
            _ => {}
        }
        let w = net.workloads.get(flow.workload()?)?;
        Some(match remedy {
            Remedy::AttachToVpc => {
                Advice::text(": add `network: vpc: placement: private` to the manifest")
            }
            Remedy::RouteThroughNat => {
                let why = match (&w.kind, &w.egress) {
                    (WorkloadKind::AppRunner, Egress::Enis(_)) => {
                        " (App Runner connector ENIs never do)"
                    }
                    _ => "",
                };
                Advice::text(format!(
                    "{why}: place it in subnets that route through a NAT gateway"
                ))
            }
            // Addon templates are CloudFormation: name the properties.
            Remedy::SetRulePort { port } => {
                Advice::text(format!(": set FromPort and ToPort to {port}"))
            }
            Remedy::CarryAdmittedGroup { group, port } => {
                match self.deny_default.get(&flow.service) {
                    Some(span) if group == ENV_GROUP => Advice {
                        text: format!(
                            "; it admits {ENV_GROUP} on tcp/{port}, and `deny_default: true` in `{}`'s manifest takes that group off its tasks: remove `deny_default`, or add an ingress rule for tcp/{port} from a group listed in `security_groups.groups`",
                            flow.service
                        ),
                        at: Some(Origin::file(Some(*span))),
                    },
                    // Copilot's group cannot be attached from an addon or
                    // the manifest: its ENIs lack it (an App Runner
                    // connector carries its own group)
                    None if group == ENV_GROUP => Advice::text(format!(
                        "; it admits {ENV_GROUP} on tcp/{port}, which the workload's network interfaces do not carry: add an ingress rule for tcp/{port} with SourceSecurityGroupId set to the workload's security group"
                    )),
                    _ => Advice::text(format!(
                        "; it admits {group} on tcp/{port}, which the workload's tasks do not carry: attach {group} to them (an addon output `!Ref {group}`, or `network.vpc.security_groups`), or add an ingress rule for tcp/{port} from the workload's security group"
                    )),
                }
            }
            Remedy::AllowEgress { group, port } if group == ENV_GROUP => Advice::text(format!(
                ": `network.vpc.security_group.egress` in the environment manifest replaces the group's allow-all egress; add an egress rule for tcp/{port} there, or remove the list"
            )),
            Remedy::EnablePrivateDns => Advice::text(": set `PrivateDnsEnabled: true`"),
            Remedy::AllowEgress { group, port } => Advice::text(format!(
                ": add a SecurityGroupEgress rule to {group} for tcp/{port} to the destination"
            )),
            Remedy::AddIngressFromWorkload { .. } | Remedy::AttachAdmittingGroup { .. } => {
                return None
            }
        })
    }
}
