#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL508.md"))]

use super::{subnet_cidr_span, Context};
use crate::base::{Diagnostic, RuleId};
use crate::cfn::Value;
use crate::model::net::Cidr;

pub const RULE: RuleId = RuleId::SubnetOutsideVpc;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    // Secondary blocks (`AWS::EC2::VPCCidrBlock`) widen a VPC: any of them
    // counts for every VPC, so no subnet in one is ever reported.
    let secondary: Vec<Cidr> = cx
        .resources
        .iter()
        .filter(|r| r.rtype == "AWS::EC2::VPCCidrBlock")
        .filter_map(|r| r.prop("CidrBlock").and_then(Value::as_str)?.parse().ok())
        .collect();
    if cx.resources.iter().any(|r| {
        r.rtype == "AWS::EC2::VPCCidrBlock" && r.prop("CidrBlock").and_then(Value::as_str).is_none()
    }) {
        return;
    }
    for s in &cx.network.subnets {
        let (Some(c), Some(v)) = (s.cidr, s.vpc) else {
            continue;
        };
        let Some(vc) = cx.network.vpcs[v.0].cidr else {
            continue;
        };
        if vc.covers(&c) || secondary.iter().any(|b| b.covers(&c)) {
            continue;
        }
        let Some(span) = subnet_cidr_span(cx, s) else {
            continue;
        };
        out.push(
            Diagnostic::at(
                RULE,
                span,
                format!(
                    "subnet `{}` ({c}) is outside its VPC's CIDR {vc}: EC2 refuses to create it",
                    s.name
                ),
            )
            .help(format!(
                "choose a block inside {vc} that no other subnet uses, or widen the VPC's CIDR"
            )),
        );
    }
}
