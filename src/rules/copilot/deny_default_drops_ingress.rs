#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL210.md"))]

use crate::base::diag::{Location, Words};
use crate::base::{Diagnostic, RuleId};
use crate::load::yaml::Node;
use crate::manifest::Workload;

pub const RULE: RuleId = RuleId::DenyDefaultDropsIngress;

/// A service in Service Connect whose `deny_default: true` removes the
/// environment security group, the group through which the other services
/// reach its tasks. (Behind a load balancer the load balancer's flow to
/// the tasks is proved instead: RL401 when no group admits it.)
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
    if !connect {
        return;
    }
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
                .text("; that group is what admits Service Connect clients, so unless one of the listed groups admits them too, their requests time out"),
            Some(Words::new().text("remove `deny_default`, or list a group whose ingress admits the clients' security group on the container port")),
        ),
    );
}
