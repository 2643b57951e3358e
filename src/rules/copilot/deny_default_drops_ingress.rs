#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL210.md"))]

use crate::base::diag::{Location, Words};
use crate::base::{Diagnostic, RuleId};
use crate::load::yaml::Node;
use crate::manifest::{Workload, BACKEND, LBWS};

pub const RULE: RuleId = RuleId::DenyDefaultDropsIngress;

/// A service behind a load balancer, or in Service Connect, whose
/// `deny_default: true` removes the environment security group, the group
/// through which the load balancer and other services reach its tasks.
pub fn check(env: &str, wl: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(span) = wl.security_groups.deny_default else {
        return;
    };
    let doc = &wl.doc;
    let off =
        |n: Option<&Node>| n.and_then(Node::as_scalar).and_then(|s| s.as_bool()) == Some(false);
    let behind_lb = (wl.wtype == LBWS && !(off(doc.get("http")) && doc.get("nlb").is_none()))
        || (wl.wtype == BACKEND && doc.get("http").is_some());
    let connect = doc
        .path(&["network", "connect"])
        .is_some_and(|c| !off(Some(c)));
    if !behind_lb && !connect {
        return;
    }
    let what = match (behind_lb, connect) {
        (true, true) => "the load balancer and Service Connect clients",
        (true, false) => "the load balancer",
        _ => "Service Connect clients",
    };
    out.push(
        Diagnostic::worded(
            RULE,
            Location::Span(span),
            env,
            Words::new()
                .text(format!(
                    "`deny_default: true` takes the environment security group off `{}`'s tasks in ",
                    wl.name
                ))
                .env_names()
                .text(format!("; that group is what admits {what}, so unless one of the listed groups admits them too, the target's health checks and requests time out")),
            Some(Words::new().text("remove `deny_default`, or list a group whose ingress admits the load balancer's security group on the container port")),
        ),
    );
}
