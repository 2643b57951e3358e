#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL210.md"))]

use crate::base::diag::{Location, Words};
use crate::base::{Diagnostic, RuleId};
use crate::load::yaml::Node;
use crate::manifest::{Workload, LBWS};

pub const RULE: RuleId = RuleId::DenyDefaultDropsIngress;

/// A service in Service Connect, or behind a load balancer it imports
/// (`http.alb`), whose `deny_default: true` removes the environment
/// security group, the group through which the other services (or the
/// imported load balancer, which Copilot admits there) reach its tasks.
/// (Behind the environment's load balancer or its own network load
/// balancer the load balancer's flow to the tasks is proved instead:
/// RL401 when no group admits it.)
pub fn check(env: &str, wl: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(span) = wl.security_groups.deny_default else {
        return;
    };
    let off =
        |n: Option<&Node>| n.and_then(Node::as_scalar).and_then(|s| s.as_bool()) == Some(false);
    let connect = wl
        .doc
        .path(&["network", "connect"])
        .is_some_and(|c| !off(Some(c)));
    let imported_lb = wl.wtype == LBWS && wl.doc.path(&["http", "alb"]).is_some();
    let what = match (imported_lb, connect) {
        (true, true) => "the imported load balancer and Service Connect clients",
        (true, false) => "the imported load balancer",
        (false, true) => "Service Connect clients",
        (false, false) => return,
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
                .text(format!("; that group is what admits {what}, so unless one of the listed groups admits them too, their requests time out")),
            Some(Words::new().text("remove `deny_default`, or list a group whose ingress admits their security group on the container port")),
        ),
    );
}
