#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL606.md"))]

use super::Context;
use crate::base::{Diagnostic, RuleId};
use crate::model::{Action, Network, Proto, SubnetId};

pub const RULE: RuleId = RuleId::DriftAcl;

/// The entries that decide a subnet's traffic, comparable: the catch-all
/// deny every ACL ends with (`*`, 32767) is implicit and left out.
fn entries(net: &Network, s: SubnetId) -> Option<(Vec<String>, crate::base::Origin)> {
    let sub = net.subnet(s);
    let acl = sub
        .acl
        .or_else(|| sub.vpc.map(|v| net.vpcs[v.0].default_acl))?;
    let a = net.acl(acl);
    if a.entries.iter().any(|e| e.unknown.is_some()) {
        return None;
    }
    let mut out: Vec<String> = a
        .entries
        .iter()
        .filter(|e| e.number < 32767)
        .map(|e| {
            format!(
                "{} #{} {} {}{} {}",
                if e.egress { "outbound" } else { "inbound" },
                e.number,
                match e.action {
                    Action::Allow => "allow",
                    Action::Deny => "deny",
                },
                e.proto,
                match e.proto {
                    Proto::All => String::new(),
                    _ => format!("/{}-{}", e.ports.0, e.ports.1),
                },
                e.cidr
            )
        })
        .collect();
    out.sort();
    Some((out, a.origin.clone()))
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (&f, &l) in &cx.matching.subnets {
        let (Some((want, origin)), Some((have, _))) = (entries(cx.files, f), entries(cx.live, l))
        else {
            continue;
        };
        if want == have {
            continue;
        }
        let added: Vec<&String> = have.iter().filter(|e| !want.contains(e)).collect();
        let removed: Vec<&String> = want.iter().filter(|e| !have.contains(e)).collect();
        let Some(span) = cx.span_of(&origin) else {
            continue;
        };
        let mut what = Vec::new();
        if !added.is_empty() {
            what.push(format!(
                "entries no file creates: {}",
                added
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        if !removed.is_empty() {
            what.push(format!(
                "entries it lacks: {}",
                removed
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        out.push(
            Diagnostic::at(
                RULE,
                span,
                format!(
                    "the network ACL of subnet `{}` ({}) differs from the files: {}",
                    cx.files.subnet(f).name,
                    cx.live.subnet(l).name,
                    what.join("; ")
                ),
            )
            .help("deploy again to restore the ACL, or write the entries into a template so they are reviewed"),
        );
    }
}
