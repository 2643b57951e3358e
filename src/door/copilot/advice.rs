//! Copilot's wording of each remedy: what to change in a manifest or an
//! addon template. The verifier names the remedy; only this door knows
//! which line of which input format expresses it.

use crate::door::Advisor;
use crate::model::{Egress, Network, WorkloadKind};
use crate::verify::{Blocker, Flow, Remedy};

pub struct CopilotAdvisor;

impl Advisor for CopilotAdvisor {
    fn advise(&self, net: &Network, flow: &Flow, b: &Blocker) -> Option<String> {
        let w = net.workloads.get(flow.workload)?;
        Some(match b.remedy? {
            Remedy::AttachToVpc => {
                ": add `network: vpc: placement: private` to the manifest".to_string()
            }
            Remedy::RouteThroughNat => {
                let why = match (&w.kind, &w.egress) {
                    (WorkloadKind::AppRunner, Egress::Enis(_)) => {
                        " (App Runner connector ENIs never do)"
                    }
                    _ => "",
                };
                format!("{why}: place it in subnets that route through a NAT gateway")
            }
            // Addon templates are CloudFormation: name the properties.
            Remedy::SetRulePort { port } => format!(": set FromPort and ToPort to {port}"),
            Remedy::AddIngressFromWorkload { port } => format!(
                ": add an ingress rule for tcp/{port} with SourceSecurityGroupId set to the workload's security group"
            ),
        })
    }
}
