//! The `environments.<env>` override merge, with Copilot's rules: scalars
//! replace (zero values too), null keeps the base, lists replace wholesale,
//! maps of scalars upsert key-wise, structs merge field by field, and the
//! "either/or" fields clear the other alternative.

use crate::load::yaml::{Entry, Node, NodeKind};

/// Maps whose values are replaced whole per key (key-wise upsert).
const UPSERT_MAPS: &[&str] = &[
    "variables",
    "secrets",
    "tags",
    "labels",
    "depends_on",
    "from_tags",
    "args",
];

/// Pairs of keys where setting one in the override clears the other.
const EXCLUSIVE: &[(&str, &str)] = &[("location", "build")];

/// Within a map (by its key), two groups of keys that exclude each other:
/// an override setting one of a group clears the other group (Copilot's
/// `count`: a plain `spot` count, or autoscaling).
const EXCLUSIVE_GROUPS: &[(&str, &[&str], &[&str])] = &[(
    "count",
    &["spot"],
    &[
        "range",
        "cpu_percentage",
        "memory_percentage",
        "requests",
        "response_time",
        "queue_delay",
    ],
)];

/// Merges `over` onto `base` (the whole manifest); `environments` itself is
/// not merged.
pub fn apply_env(base: &Node, over: &Node) -> Node {
    merge(base, over, "")
}

fn merge(base: &Node, over: &Node, parent_key: &str) -> Node {
    if over.is_null() {
        return base.clone();
    }
    match (&base.kind, &over.kind) {
        (NodeKind::Map(b), NodeKind::Map(o)) => {
            let upsert = UPSERT_MAPS.contains(&parent_key);
            let mut out: Vec<Entry> = b.clone();
            for oe in o {
                let k = oe.key_str();
                if oe.value.is_null() {
                    continue;
                }
                // either/or clearing
                for (x, y) in EXCLUSIVE {
                    let other = if k == *x {
                        Some(*y)
                    } else if k == *y {
                        Some(*x)
                    } else {
                        None
                    };
                    if let Some(other) = other {
                        out.retain(|e| e.key_str() != other);
                    }
                }
                for (_, a, b) in EXCLUSIVE_GROUPS.iter().filter(|g| g.0 == parent_key) {
                    let clear: &[&str] = if a.contains(&k) {
                        b
                    } else if b.contains(&k) {
                        a
                    } else {
                        &[]
                    };
                    out.retain(|e| !clear.contains(&e.key_str()));
                }
                match out.iter_mut().find(|e| e.key_str() == k) {
                    Some(be) => {
                        be.value = if upsert {
                            oe.value.clone()
                        } else {
                            merge(&be.value, &oe.value, k)
                        };
                    }
                    None => out.push(oe.clone()),
                }
            }
            Node {
                span: base.span,
                kind: NodeKind::Map(out),
            }
        }
        // lists, scalars, and a change of form (scalar vs map) replace
        _ => over.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::source::FileId;
    use crate::load::yaml::{parse, Limits};

    fn merged(src: &str, env: &str) -> Node {
        let doc = parse(src, FileId(0), Limits::default()).unwrap();
        let over = doc.path(&["environments", env]).unwrap().clone();
        apply_env(&doc, &over)
    }

    #[test]
    fn placement_string_replaced_by_subnets() {
        let m = merged(
            "network:\n  vpc:\n    placement: private\nenvironments:\n  prod:\n    network:\n      vpc:\n        placement:\n          subnets: [a, b]\n",
            "prod",
        );
        let p = m.path(&["network", "vpc", "placement"]).unwrap();
        assert_eq!(p.get("subnets").unwrap().as_seq().unwrap().len(), 2);
    }

    #[test]
    fn scalars_zero_values_lists_and_upsert_maps() {
        let m = merged(
            "cpu: 1024\nhttp:\n  private: true\nvariables:\n  A: '1'\n  B: '2'\nlist: [1, 2]\nsecrets:\n  S:\n    secretsmanager: x\nenvironments:\n  e:\n    cpu: 0\n    http:\n      private: false\n    variables:\n      B: '3'\n    list: []\n    secrets:\n      S: plain\n",
            "e",
        );
        assert_eq!(m.get("cpu").unwrap().as_str(), Some("0"));
        assert_eq!(
            m.path(&["http", "private"]).unwrap().as_str(),
            Some("false")
        );
        assert_eq!(m.path(&["variables", "A"]).unwrap().as_str(), Some("1"));
        assert_eq!(m.path(&["variables", "B"]).unwrap().as_str(), Some("3"));
        assert!(m.get("list").unwrap().as_seq().unwrap().is_empty());
        assert_eq!(m.path(&["secrets", "S"]).unwrap().as_str(), Some("plain"));
    }

    #[test]
    fn a_spot_count_clears_the_base_autoscaling_and_back() {
        let src = "count:\n  range: 2-10\n  cpu_percentage: 70\nenvironments:\n  staging:\n    count:\n      spot: 5\n  prod:\n    count:\n      range: 1-3\n";
        let m = merged(src, "staging");
        let c = m.get("count").unwrap();
        assert!(c.get("spot").is_some());
        assert!(c.get("range").is_none() && c.get("cpu_percentage").is_none());
        let m = merged(src, "prod");
        let c = m.get("count").unwrap();
        assert_eq!(c.get("range").unwrap().as_str(), Some("1-3"));
        assert!(c.get("cpu_percentage").is_some());
    }

    #[test]
    fn null_keeps_base_and_location_clears_build() {
        let m = merged(
            "cpu: 1024\nimage:\n  build: Dockerfile\n  port: 80\nenvironments:\n  e:\n    cpu: ~\n    image:\n      location: public.ecr.aws/x\n",
            "e",
        );
        assert_eq!(m.get("cpu").unwrap().as_str(), Some("1024"));
        assert!(m.path(&["image", "build"]).is_none());
        assert_eq!(m.path(&["image", "port"]).unwrap().as_str(), Some("80"));
    }
}
