//! Service to service: the other services a workload's variables name so
//! that the name leads to their tasks. Copilot gives a Load Balanced Web
//! Service or a Backend Service that exposes a port two such names, both on
//! its `TargetPort` (`Workload::exposed_port`):
//! - its service discovery name `<svc>.<env>.<app>.local` (Cloud Map,
//!   `ServiceRegistries`; `<app>.local` for environments created before
//!   v1.5), which any task of the VPC resolves;
//! - its Service Connect alias (`network.connect`; its name unless it sets
//!   `alias`), which only a client with `network.connect` resolves, through
//!   its own proxy.
//!
//! A variable names a server when its value is a URL or `host:port` whose
//! host is one of those names (a discovery name alone is enough: it cannot
//! mean anything else). A short name that leads nowhere for the client
//! (an alias while it has no `network.connect`, a server's name that is
//! no alias of it) is RL214. The flow is needed; its port is the URL's for a
//! discovery name (the client connects to the task's address there), the
//! server's `TargetPort` otherwise.

use crate::base::Diagnostic;
use crate::evidence::references::{self, PeerName, Reference, Referenced, Via};
use crate::load::WorkloadDir;
use crate::manifest::Workload;
use crate::model::{Network, Origin};
use crate::rules::copilot::service_connect_name_unresolved::{
    self as unresolved, Naming, Unresolved,
};

/// A host a variable's value names, and the port when it gives one.
#[derive(Debug, PartialEq, Eq)]
struct Host {
    host: String,
    port: Option<u16>,
    /// The value is a URL or `host:port`, not a bare word.
    explicit: bool,
}

/// The host of `scheme://[user@]host[:port][/...]`, of `host:port`, or the
/// value itself when it is one word with no spaces.
fn host_in(value: &str) -> Option<Host> {
    let v = value.trim();
    let (rest, scheme) = match v.split_once("://") {
        Some((_, r)) => (r, true),
        None => (v, false),
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, Some(p.parse::<u16>().ok()?)),
        None => (authority, None),
    };
    let word = |c: char| c.is_ascii_alphanumeric() || "-._${}".contains(c);
    if host.is_empty() || !host.chars().all(word) {
        return None;
    }
    Some(Host {
        host: host.to_ascii_lowercase(),
        port,
        explicit: scheme || port.is_some(),
    })
}

/// Whether `host` is `svc`'s service discovery name in `env` of `app`.
fn discovery_name(host: &str, svc: &str, env: &str, app: &str) -> bool {
    let svc = svc.to_ascii_lowercase();
    [
        format!("{svc}.{env}.{app}.local"),
        format!("{svc}.{app}.local"),
        format!("{svc}.${{copilot_service_discovery_endpoint}}"),
    ]
    .iter()
    .any(|n| n.eq_ignore_ascii_case(host))
}

/// Adds to every workload of `network` the servers its variables name;
/// a short name that cannot resolve for the client is RL214 in `diags`.
pub(super) fn add(
    network: &mut Network,
    app: &str,
    env: &str,
    merged: &[(&WorkloadDir, Workload)],
    diags: &mut Vec<Diagnostic>,
) {
    let index = |net: &Network, name: &str| net.workloads.iter().position(|w| w.name == name);
    for (_, client) in merged {
        let Some(ci) = index(network, &client.name) else {
            continue;
        };
        let client_connect = client.service_connect().is_some();
        let mut refs = Vec::new();
        for (var, value, span) in client.variable_values() {
            let Some(h) = host_in(&value) else {
                continue;
            };
            for (_, server) in merged.iter().filter(|(_, s)| s.name != client.name) {
                let (Some((port, _)), Some(si)) =
                    (server.exposed_port(), index(network, &server.name))
                else {
                    continue;
                };
                let alias = server.service_connect().map(|c| {
                    c.alias
                        .map_or_else(|| server.name.clone(), |(a, _)| a)
                        .to_ascii_lowercase()
                });
                let is_alias = h.explicit && alias.as_deref() == Some(h.host.as_str());
                let (name, port) = if discovery_name(&h.host, &server.name, env, app) {
                    (PeerName::Discovery(h.host.clone()), h.port.unwrap_or(port))
                } else if client_connect && is_alias {
                    (PeerName::ServiceConnect(h.host.clone()), port)
                } else {
                    // a short name that leads nowhere for this client
                    let why = if is_alias {
                        Some(Unresolved::NotAClient)
                    } else if h.explicit && h.host.eq_ignore_ascii_case(&server.name) {
                        Some(Unresolved::NotAServer)
                    } else {
                        None
                    };
                    if let Some(why) = why {
                        let naming = Naming {
                            client: &client.name,
                            var: &var,
                            span,
                            host: &h.host,
                            server: &server.name,
                            app,
                        };
                        diags.push(unresolved::diagnostic(env, &naming, why));
                    }
                    continue;
                };
                refs.push(Referenced {
                    reference: Reference::Peer {
                        workload: si,
                        port,
                        name,
                    },
                    via: Via::Variable(var.clone()),
                    origin: Origin::file(Some(span)),
                });
            }
        }
        references::add(network, ci, &refs);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_is_read_from_a_url_or_host_and_port_and_a_bare_word_is_not_explicit() {
        let h = host_in("http://api:8080/v1").expect("a URL");
        assert_eq!(
            (h.host.as_str(), h.port, h.explicit),
            ("api", Some(8080), true)
        );
        let h = host_in("redis://user@Session").expect("a URL");
        assert_eq!(
            (h.host.as_str(), h.port, h.explicit),
            ("session", None, true)
        );
        let h = host_in("api:80").expect("host:port");
        assert_eq!(
            (h.host.as_str(), h.port, h.explicit),
            ("api", Some(80), true)
        );
        let h = host_in("api").expect("a word");
        assert!(!h.explicit);
        assert_eq!(host_in("gunicorn app --bind 0.0.0.0:8000"), None);
        assert_eq!(host_in("http://api:notaport"), None);
    }

    #[test]
    fn a_discovery_name_is_the_service_in_the_environments_namespace() {
        assert!(discovery_name("api.test.shop.local", "api", "test", "shop"));
        assert!(discovery_name("api.shop.local", "api", "test", "shop"));
        assert!(discovery_name(
            "api.${copilot_service_discovery_endpoint}",
            "api",
            "test",
            "shop"
        ));
        assert!(!discovery_name(
            "api.prod.shop.local",
            "api",
            "test",
            "shop"
        ));
        assert!(!discovery_name(
            "web.test.shop.local",
            "api",
            "test",
            "shop"
        ));
    }
}
