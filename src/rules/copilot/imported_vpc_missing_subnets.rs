#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL211.md"))]

use crate::base::diag::Words;
use crate::base::{Diagnostic, RuleId};
use crate::manifest::{EnvManifest, Placement, Workload};

pub const RULE: RuleId = RuleId::ImportedVpcMissingSubnets;

/// In an imported VPC Copilot exports only the subnet kinds the manifest
/// lists; a workload placed in a kind that is not listed imports an
/// export that does not exist.
pub fn check(em: &EnvManifest, wl: &Workload, out: &mut Vec<Diagnostic>) {
    if em.vpc_id.is_none() || em.missing.is_some() {
        return;
    }
    let (kind, span) = match &wl.placement {
        Placement::Private(s) => ("private", *s),
        Placement::Public(s) if !wl.is_rdws() => ("public", *s),
        Placement::Absent if !wl.is_rdws() => ("public", wl.network_span.unwrap_or(wl.type_span)),
        _ => return,
    };
    let listed = if kind == "private" {
        &em.private_subnets
    } else {
        &em.public_subnets
    };
    if !listed.is_empty() {
        return;
    }
    let export = if kind == "private" {
        "PrivateSubnets"
    } else {
        "PublicSubnets"
    };
    out.push(
        Diagnostic::worded(
            RULE,
            crate::base::diag::Location::Span(span),
            &em.name,
            Words::new()
                .text(format!("`{}` is placed in the {kind} subnets, but ", wl.name))
                .environments()
                .text(format!(" imports a VPC with no {kind} subnets: Copilot exports no `{export}`, so the deployment fails")),
            Some(Words::new().text(format!(
                "list the imported VPC's {kind} subnets under `network.vpc.subnets.{kind}` in the environment manifest, or place the workload in the subnets it has"
            ))),
        ),
    );
}
