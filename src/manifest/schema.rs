//! The closed key sets of the manifests reachlint types, for the
//! unknown-key rule (Copilot's decoder drops unknown keys silently).
//! `schemas/*.json` document the same shapes as JSON Schema.

use crate::base::diag::Diagnostic;
use crate::base::rule::RuleId;
use crate::load::yaml::{Node, NodeKind};

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
    // explicit stack: (node, keys, path prefix)
    let mut stack: Vec<Frame> = vec![(node, keys, prefix.to_string(), extra.to_vec())];
    while let Some((n, keys, path, extra)) = stack.pop() {
        let NodeKind::Map(entries) = &n.kind else {
            continue;
        };
        for e in entries {
            let k = e.key_str();
            match keys.iter().find(|(name, _)| *name == k) {
                Some((_, shape)) => {
                    let child = format!("{path}{k}.");
                    push_child(&e.value, shape, child, &mut stack);
                }
                None if extra.contains(&k) => {}
                None => {
                    let known: Vec<&str> = keys
                        .iter()
                        .map(|(n, _)| *n)
                        .chain(extra.iter().copied())
                        .collect();
                    let mut d = Diagnostic::at(
                        RuleId::UnknownKey,
                        e.key.span,
                        format!("unknown key `{path}{k}`: Copilot ignores it silently"),
                    );
                    d = match closest(k, &known) {
                        Some(s) => d.help(format!(
                            "did you mean `{path}{s}`? Known keys here: {}",
                            known.join(", ")
                        )),
                        None => d.help(format!(
                            "remove it or move it where it belongs; known keys here: {}",
                            known.join(", ")
                        )),
                    };
                    out.push(d);
                }
            }
        }
    }
}

type Frame<'a> = (
    &'a Node,
    &'static [(&'static str, Shape)],
    String,
    Vec<&'static str>,
);

fn push_child<'a>(n: &'a Node, shape: &'static Shape, path: String, stack: &mut Vec<Frame<'a>>) {
    match shape {
        Any => {}
        Map(keys) | ScalarOr(keys) => {
            if matches!(n.kind, NodeKind::Map(_)) {
                stack.push((n, keys, path, Vec::new()));
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

fn closest<'a>(k: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|c| (edit_distance(k, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
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
