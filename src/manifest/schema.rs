//! The closed key sets of the manifests reachlint types, for the
//! unknown-key rule (Copilot's decoder drops unknown keys silently).
//! `schemas/*.json` document the same shapes as JSON Schema.

use crate::base::diag::Diagnostic;
use crate::load::yaml::{Node, NodeKind};
use crate::rules::schema::unknown_key::{self, Suggestion};

pub enum Shape {
    /// Any value (not checked further).
    Any,
    /// A mapping with these keys.
    Map(&'static [(&'static str, Shape)]),
    /// A list whose items have this shape.
    List(&'static Shape),
    /// A scalar, or a mapping with these keys (Copilot's "X or Y" fields).
    ScalarOr(&'static [(&'static str, Shape)]),
}

use Shape::*;

const IMAGE_BUILD: &[(&str, Shape)] = &[
    ("context", Any),
    ("dockerfile", Any),
    ("args", Any),
    ("target", Any),
    ("cache_from", Any),
];

const RDWS_HEALTH: &[(&str, Shape)] = &[
    ("path", Any),
    ("healthy_threshold", Any),
    ("unhealthy_threshold", Any),
    ("interval", Any),
    ("timeout", Any),
];

const SUBNETS: &[(&str, Shape)] = &[("from_tags", Any)];
const PLACEMENT: &[(&str, Shape)] = &[("subnets", ScalarOr(SUBNETS))];
const RDWS_VPC: &[(&str, Shape)] = &[("placement", ScalarOr(PLACEMENT))];
const RDWS_NETWORK: &[(&str, Shape)] = &[("vpc", Map(RDWS_VPC))];

const RDWS_BODY: &[(&str, Shape)] = &[
    (
        "image",
        Map(&[
            ("build", ScalarOr(IMAGE_BUILD)),
            ("location", Any),
            ("credentials", Any),
            ("labels", Any),
            ("depends_on", Any),
            ("port", Any),
        ]),
    ),
    ("cpu", Any),
    ("memory", Any),
    ("platform", Any),
    (
        "http",
        Map(&[
            ("healthcheck", ScalarOr(RDWS_HEALTH)),
            ("alias", Any),
            ("private", ScalarOr(&[("endpoint", Any)])),
        ]),
    ),
    ("variables", Any),
    ("secrets", Any),
    ("command", Any),
    ("tags", Any),
    (
        "publish",
        Map(&[("topics", List(&Map(&[("name", Any), ("fifo", Any)])))]),
    ),
    ("network", Map(RDWS_NETWORK)),
    ("observability", Map(&[("tracing", Any)])),
    ("count", Any),
];

/// Top-level keys of a Request-Driven Web Service manifest besides the body.
pub const RDWS_TOP: &[&str] = &["name", "type", "environments"];

pub fn rdws_body() -> &'static [(&'static str, Shape)] {
    RDWS_BODY
}

// ---- ECS workloads (Load Balanced Web Service, Backend Service, Worker
// Service, Scheduled Job): spec section 2.1-2.5 ----

const HEALTHCHECK: Shape = Map(&[
    ("command", Any),
    ("interval", Any),
    ("retries", Any),
    ("timeout", Any),
    ("start_period", Any),
]);

const ECS_IMAGE: &[(&str, Shape)] = &[
    ("build", ScalarOr(IMAGE_BUILD)),
    ("location", Any),
    ("credentials", Any),
    ("labels", Any),
    ("depends_on", Any),
    ("port", Any),
    ("healthcheck", HEALTHCHECK),
];

/// The image of a Worker Service or Scheduled Job: no port.
const ECS_IMAGE_NO_PORT: &[(&str, Shape)] = &[
    ("build", ScalarOr(IMAGE_BUILD)),
    ("location", Any),
    ("credentials", Any),
    ("labels", Any),
    ("depends_on", Any),
    ("healthcheck", HEALTHCHECK),
];

const SG_ITEM: Shape = ScalarOr(&[("from_cfn", Any)]);
const ECS_SGS: &[(&str, Shape)] = &[("deny_default", Any), ("groups", List(&SG_ITEM))];
const ECS_VPC: &[(&str, Shape)] = &[
    ("placement", ScalarOr(PLACEMENT)),
    ("security_groups", ScalarOr(ECS_SGS)),
];
const ECS_NETWORK: &[(&str, Shape)] = &[
    ("connect", ScalarOr(&[("alias", Any)])),
    ("vpc", Map(ECS_VPC)),
];

const STORAGE: &[(&str, Shape)] = &[("ephemeral", Any), ("readonly_fs", Any), ("volumes", Any)];

const LOGGING: &[(&str, Shape)] = &[
    ("retention", Any),
    ("image", Any),
    ("destination", Any),
    ("enableMetadata", Any),
    ("secretOptions", Any),
    ("configFilePath", Any),
    ("variables", Any),
    ("secrets", Any),
    ("env_file", Any),
];

const PUBLISH: &[(&str, Shape)] = &[("topics", List(&Map(&[("name", Any), ("fifo", Any)])))];

const DEPLOYMENT: &[(&str, Shape)] = &[("rolling", Any), ("rollback_alarms", Any)];

/// Fields every ECS type has (TaskConfig and the shared blocks).
const ECS_COMMON: &[(&str, Shape)] = &[
    ("entrypoint", Any),
    ("command", Any),
    ("cpu", Any),
    ("memory", Any),
    ("platform", Any),
    ("count", Any),
    ("exec", Any),
    ("variables", Any),
    ("env_file", Any),
    ("secrets", Any),
    ("storage", Map(STORAGE)),
    ("logging", Map(LOGGING)),
    ("sidecars", Any),
    ("network", Map(ECS_NETWORK)),
    ("publish", Map(PUBLISH)),
    ("taskdef_overrides", Any),
    ("tags", Any),
];

const LB_HTTP: &[(&str, Shape)] = &[
    ("path", Any),
    ("alb", Any),
    ("healthcheck", Any),
    ("version", Any),
    ("stickiness", Any),
    ("deregistration_delay", Any),
    ("redirect_to_https", Any),
    ("alias", Any),
    ("hosted_zone", Any),
    ("target_container", Any),
    ("targetContainer", Any),
    ("target_port", Any),
    ("allowed_source_ips", Any),
    ("additional_rules", Any),
];

const LBWS_EXTRA: &[(&str, Shape)] = &[
    ("image", Map(ECS_IMAGE)),
    ("http", ScalarOr(LB_HTTP)),
    ("nlb", Any),
    ("deployment", Map(DEPLOYMENT)),
    ("observability", Map(&[("tracing", Any)])),
];

const BACKEND_EXTRA: &[(&str, Shape)] = &[
    ("image", Map(ECS_IMAGE)),
    ("http", Map(LB_HTTP)),
    ("deployment", Map(DEPLOYMENT)),
    ("observability", Map(&[("tracing", Any)])),
];

const WORKER_EXTRA: &[(&str, Shape)] = &[
    ("image", Map(ECS_IMAGE_NO_PORT)),
    ("subscribe", Map(&[("topics", Any), ("queue", Any)])),
    ("deployment", Map(DEPLOYMENT)),
    ("observability", Map(&[("tracing", Any)])),
];

const JOB_EXTRA: &[(&str, Shape)] = &[
    ("image", Map(ECS_IMAGE_NO_PORT)),
    ("on", Map(&[("schedule", Any)])),
    ("timeout", Any),
    ("retries", Any),
];

/// The body of a workload manifest (everything an `environments.<env>`
/// block may also hold), by type; None for types reachlint does not type.
pub fn body(wtype: super::WorkloadType) -> Option<&'static [&'static [(&'static str, Shape)]]> {
    use super::WorkloadType as T;
    Some(match wtype {
        T::RequestDrivenWebService => &[RDWS_BODY],
        T::LoadBalancedWebService => &[ECS_COMMON, LBWS_EXTRA],
        T::BackendService => &[ECS_COMMON, BACKEND_EXTRA],
        T::WorkerService => &[ECS_COMMON, WORKER_EXTRA],
        T::ScheduledJob => &[ECS_COMMON, JOB_EXTRA],
        T::StaticSite => return None,
    })
}

/// Top-level keys of a workload manifest besides the body.
pub const WORKLOAD_TOP: &[&str] = &["name", "type", "environments"];

const SG_RULE: Shape = Map(&[("ip_protocol", Any), ("ports", Any), ("cidr", Any)]);
const ENV_SUBNET: Shape = Map(&[("id", Any), ("cidr", Any), ("az", Any)]);

const ENV_TOP: &[(&str, Shape)] = &[
    ("name", Any),
    ("type", Any),
    (
        "network",
        Map(&[(
            "vpc",
            Map(&[
                ("id", Any),
                ("cidr", Any),
                (
                    "subnets",
                    Map(&[
                        ("public", List(&ENV_SUBNET)),
                        ("private", List(&ENV_SUBNET)),
                    ]),
                ),
                (
                    "security_group",
                    Map(&[("ingress", List(&SG_RULE)), ("egress", List(&SG_RULE))]),
                ),
                ("flow_logs", ScalarOr(&[("retention", Any)])),
            ]),
        )]),
    ),
    ("observability", Map(&[("container_insights", Any)])),
    (
        "http",
        Map(&[
            (
                "public",
                Map(&[
                    ("certificates", Any),
                    ("access_logs", Any),
                    ("ingress", Any),
                    ("ssl_policy", Any),
                    ("security_groups", Any),
                ]),
            ),
            (
                "private",
                Map(&[
                    ("subnets", Any),
                    ("certificates", Any),
                    ("ingress", Any),
                    ("ssl_policy", Any),
                    ("security_groups", Any),
                ]),
            ),
        ]),
    ),
    ("cdn", Any),
];

pub fn env_top() -> &'static [(&'static str, Shape)] {
    ENV_TOP
}

/// Reports every key of `node` not in `shape`.
pub fn check_keys(
    node: &Node,
    keys: &'static [(&'static str, Shape)],
    extra: &[&'static str],
    prefix: &str,
    out: &mut Vec<Diagnostic>,
) {
    check_keys_of(node, &[keys], extra, prefix, out)
}

/// [`check_keys`] for a body made of several key tables.
pub fn check_keys_of(
    node: &Node,
    parts: &[&'static [(&'static str, Shape)]],
    extra: &[&'static str],
    prefix: &str,
    out: &mut Vec<Diagnostic>,
) {
    // explicit stack: (node, key tables, path prefix)
    let roots = parts;
    let mut stack: Vec<Frame> = vec![(node, parts.to_vec(), prefix.to_string(), extra.to_vec())];
    while let Some((n, parts, path, extra)) = stack.pop() {
        let NodeKind::Map(entries) = &n.kind else {
            continue;
        };
        for e in entries {
            let k = e.key_str();
            match parts
                .iter()
                .flat_map(|p| p.iter())
                .find(|(name, _)| *name == k)
            {
                Some((_, shape)) => {
                    let child = format!("{path}{k}.");
                    push_child(&e.value, shape, child, &mut stack);
                }
                None if extra.contains(&k) => {}
                None => {
                    let known: Vec<&str> = parts
                        .iter()
                        .flat_map(|p| p.iter())
                        .map(|(n, _)| *n)
                        .chain(extra.iter().copied())
                        .collect();
                    let suggestion = match crate::base::suggest::closest(k, &known) {
                        Some(s) => Suggestion::Here(s),
                        None => match belongs_at(roots, k, path.trim_start_matches(prefix), prefix)
                        {
                            Some(at) => Suggestion::Elsewhere {
                                at,
                                parent: if path.is_empty() {
                                    "the top level".to_string()
                                } else {
                                    path.trim_end_matches('.').to_string()
                                },
                            },
                            None => Suggestion::None,
                        },
                    };
                    let d = unknown_key::diagnostic(e.key.span, &path, k, &known, suggestion);
                    out.push(d);
                }
            }
        }
    }
}

/// Where a key misplaced at `here` belongs: the shortest schema path that
/// ends in `k` (spelt exactly, or nearly), preferring one below or beside
/// `here` (an indentation slip).
fn belongs_at(
    roots: &[&'static [(&'static str, Shape)]],
    k: &str,
    here: &str,
    prefix: &str,
) -> Option<String> {
    let mut found: Vec<(usize, bool, String)> = Vec::new();
    // (key table, path so far, depth)
    type Table = &'static [(&'static str, Shape)];
    let mut stack: Vec<(Table, String, usize)> =
        roots.iter().map(|r| (*r, String::new(), 0)).collect();
    while let Some((table, path, depth)) = stack.pop() {
        for (name, shape) in table {
            let full = format!("{path}{name}");
            let close =
                *name == k || (k.len() > 4 && crate::base::suggest::edit_distance(k, name) <= 1);
            if close && full != format!("{here}{k}") {
                let parent = path.trim_end_matches('.');
                let near =
                    here.starts_with(parent) || parent.starts_with(here.trim_end_matches('.'));
                found.push((depth, !near, full.clone()));
            }
            if depth < 6 {
                let next = match shape {
                    Map(t) | ScalarOr(t) => Some(*t),
                    List(item) => match item {
                        Map(t) | ScalarOr(t) => Some(*t),
                        _ => None,
                    },
                    Any => None,
                };
                if let Some(t) = next {
                    stack.push((t, format!("{full}."), depth + 1));
                }
            }
        }
    }
    found.sort_by(|a, b| (a.1, a.0, &a.2).cmp(&(b.1, b.0, &b.2)));
    found
        .into_iter()
        .next()
        .map(|(_, _, p)| format!("{prefix}{p}"))
}

type Frame<'a> = (
    &'a Node,
    Vec<&'static [(&'static str, Shape)]>,
    String,
    Vec<&'static str>,
);

fn push_child<'a>(n: &'a Node, shape: &'static Shape, path: String, stack: &mut Vec<Frame<'a>>) {
    match shape {
        Any => {}
        Map(keys) | ScalarOr(keys) => {
            if matches!(n.kind, NodeKind::Map(_)) {
                stack.push((n, vec![*keys], path, Vec::new()));
            }
        }
        List(item) => {
            if let NodeKind::Seq(items) = &n.kind {
                for (i, it) in items.iter().enumerate() {
                    push_child(
                        it,
                        item,
                        format!("{}[{i}].", path.trim_end_matches('.')),
                        stack,
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::source::FileId;
    use crate::load::yaml::{parse, Limits};

    #[test]
    fn flags_misplaced_keys_with_a_suggestion() {
        let doc = parse(
            "name: a\ntype: Request-Driven Web Service\nnetwork:\n  security_groups: [sg-1]\n  vpc:\n    placment: private\n",
            FileId(0),
            Limits::default(),
        )
        .unwrap();
        let mut out = Vec::new();
        check_keys(&doc, rdws_body(), RDWS_TOP, "", &mut out);
        let msgs: Vec<_> = out.iter().map(|d| d.message.clone()).collect();
        assert_eq!(out.len(), 2, "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("network.security_groups")));
        let typo = out.iter().find(|d| d.message.contains("placment")).unwrap();
        assert!(typo
            .help
            .as_deref()
            .unwrap()
            .contains("network.vpc.placement"));
    }
}
