#![doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/RL215.md"))]

use crate::base::diag::{Location, Words};
use crate::base::{Diagnostic, RuleId};
use crate::manifest::Workload;

pub const RULE: RuleId = RuleId::NlbTargetPortNotDeclared;

/// Every TCP or TLS listener of `wl`'s network load balancer that forwards
/// to its own port (no `target_port`, no sidecar `target_container`) on
/// the main container, which declares another TCP port in `image.port`;
/// in `env`.
pub fn check(env: &str, wl: &Workload, out: &mut Vec<Diagnostic>) {
    // `image.port` is the main container's one declared (TCP) port; with
    // none, nothing says the process listens elsewhere
    let Some((declared, _)) = wl.port else {
        return;
    };
    for l in wl.nlb_listeners() {
        let target = l.target_port.0;
        // a UDP listener needs a socket of its own, which `image.port`
        // (TCP) never declares: Copilot's own e2e app listens on UDP 8080
        // beside `image.port: 80`
        if !l.forwards_to_own_port || target == declared || l.protocol == "udp" {
            continue;
        }
        out.push(Diagnostic::worded(
            RULE,
            Location::Span(l.target_port.1),
            env,
            Words::new()
                .text(format!(
                    "the network load balancer's listener {}/{} of `{}` forwards to port {target} of the main container (no `target_port`), but its `image.port` is {declared}: the targets answer only if the process also listens on {target} (in ",
                    l.port.0, l.protocol, wl.name
                ))
                .environments()
                .text(")"),
            Some(Words::new().text(format!(
                "set `target_port: {declared}` on this listener if the process listens only on `image.port`"
            ))),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(yaml: &str) -> Vec<usize> {
        let w = crate::manifest::tests::workload(yaml);
        let mut out = Vec::new();
        check("test", &w, &mut out);
        out.iter()
            .filter_map(|d| match d.location {
                Location::Span(s) => Some(s.start as usize),
                _ => None,
            })
            .map(|at| yaml[..at].lines().count())
            .collect()
    }

    /// Copilot forwards to the listener's own port unless `target_port` or
    /// a sidecar `target_container` says otherwise; only a TCP/TLS listener
    /// that does so while `image.port` differs is flagged.
    #[test]
    fn only_a_tcp_listener_forwarding_to_its_own_port_beside_image_port() {
        let yaml = "name: web
type: Load Balanced Web Service
image: {build: Dockerfile, port: 8080}
sidecars:
  envoy: {image: envoy, port: 9901}
http: false
nlb:
  port: 443/tls
  additional_listeners:
    - port: 8443/tcp
      target_port: 8080
    - port: 9000/tcp
      target_container: envoy
    - port: 5353/udp
    - port: 8080/tcp
";
        assert_eq!(lines(yaml), vec![8]);
    }

    #[test]
    fn a_task_without_image_port_is_not_flagged() {
        let yaml = "name: web
type: Load Balanced Web Service
image: {build: Dockerfile}
http: false
nlb:
  port: 443/tls
";
        assert!(lines(yaml).is_empty());
    }
}
