#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL509.md"))]

use super::{subnet_cidr_span, Context};
use crate::base::{Diagnostic, RuleId};

pub const RULE: RuleId = RuleId::OverlappingSubnets;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let subnets = &cx.network.subnets;
    let decided = |name: &str| {
        !cx.resources
            .iter()
            .any(|r| r.rtype == "AWS::EC2::Subnet" && r.logical == name && r.undecided.is_some())
    };
    for (j, b) in subnets.iter().enumerate() {
        let (Some(cb), Some(vb)) = (b.cidr, b.vpc) else {
            continue;
        };
        let first = subnets[..j].iter().find(|a| {
            a.vpc == Some(vb)
                && a.cidr.is_some_and(|ca| ca.covers(&cb) || cb.covers(&ca))
                && decided(&a.name)
        });
        let Some(a) = first else { continue };
        if !decided(&b.name) {
            continue;
        }
        let Some(span) = subnet_cidr_span(cx, b) else {
            continue;
        };
        let ca = a.cidr.map(|c| c.to_string()).unwrap_or_default();
        let mut d = Diagnostic::at(
            RULE,
            span,
            format!(
                "subnet `{}` ({cb}) overlaps subnet `{}` ({ca}) in the same VPC: EC2 refuses to create the second",
                b.name, a.name
            ),
        )
        .help("give each subnet its own block inside the VPC's CIDR");
        if let Some(sa) = subnet_cidr_span(cx, a) {
            if sa != span {
                d = d.related(sa, format!("`{}` is {ca}", a.name));
            }
        }
        out.push(d);
    }
}
