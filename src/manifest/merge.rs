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
