//! `${VAR}` interpolation exactly as Copilot applies it to manifests:
//! values only (never keys), string scalars only, `\${X}` escapes, the two
//! predefined names, then the process environment; a result that parses as a
//! non-empty JSON array of strings becomes a list (not for `|` blocks).

use crate::base::source::Span;
use crate::load::yaml::{Node, NodeKind, Scalar};

/// Variables visible to one (workload, environment) rendering.
pub struct Vars<'a> {
    pub app: &'a str,
    pub env: &'a str,
    pub lookup: &'a dyn Fn(&str) -> Option<String>,
}

/// An undefined `${NAME}` at a span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undefined {
    pub name: String,
    pub span: Span,
}

/// Interpolates a whole document; returns the new tree and undefined names.
pub fn interpolate(doc: &Node, vars: &Vars) -> (Node, Vec<Undefined>) {
    let mut undefined = Vec::new();
    let mut out = doc.clone();
    // Iterative walk over mutable nodes.
    let mut stack: Vec<&mut Node> = vec![&mut out];
    while let Some(n) = stack.pop() {
        let span = n.span;
        let replacement = match &mut n.kind {
            NodeKind::Scalar(s) => {
                if s.value.contains("${") && !(s.plain && looks_non_string(&s.value)) {
                    let (v, und) = substitute(&s.value, vars);
                    for name in und {
                        undefined.push(Undefined { name, span });
                    }
                    let list = if !s.literal {
                        json_string_list(&v)
                    } else {
                        None
                    };
                    match list {
                        Some(items) => Some(NodeKind::Seq(
                            items.into_iter().map(|i| Node::scalar(i, span)).collect(),
                        )),
                        None => {
                            s.value = v;
                            s.plain = false;
                            None
                        }
                    }
                } else {
                    None
                }
            }
            NodeKind::Seq(_) | NodeKind::Map(_) => None,
        };
        if let Some(k) = replacement {
            n.kind = k;
            continue;
        }
        match &mut n.kind {
            NodeKind::Seq(items) => stack.extend(items.iter_mut()),
            NodeKind::Map(entries) => stack.extend(entries.iter_mut().map(|e| &mut e.value)),
            NodeKind::Scalar(_) => {}
        }
    }
    // by place; within one scalar in the order they are written
    undefined.sort_by_key(|u| u.span);
    (out, undefined)
}

fn looks_non_string(v: &str) -> bool {
    v.parse::<f64>().is_ok()
}

/// Substitutes `${NAME}` in one string.
pub fn substitute(s: &str, vars: &Vars) -> (String, Vec<String>) {
    let mut out = String::with_capacity(s.len());
    let mut undefined = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let escaped = b[i] == b'\\' && b.get(i + 1) == Some(&b'$') && b.get(i + 2) == Some(&b'{');
        let start = if escaped { i + 1 } else { i };
        if b[start] == b'$' && b.get(start + 1) == Some(&b'{') {
            if let Some(len) = var_name_len(&s[start + 2..]) {
                if s[start + 2 + len..].starts_with('}') {
                    let name = &s[start + 2..start + 2 + len];
                    let end = start + 3 + len;
                    if escaped {
                        out.push_str(&s[start..end]);
                    } else {
                        match resolve(name, vars) {
                            Some(v) => out.push_str(&v),
                            None => {
                                undefined.push(name.to_string());
                                out.push_str(&s[start..end]);
                            }
                        }
                    }
                    i = end;
                    continue;
                }
            }
        }
        let ch = s[i..].chars().next().unwrap_or('\0');
        out.push(ch);
        i += ch.len_utf8().max(1);
    }
    (out, undefined)
}

fn var_name_len(s: &str) -> Option<usize> {
    let mut n = 0;
    for (i, c) in s.char_indices() {
        let ok = if i == 0 {
            c == '_' || c.is_ascii_alphabetic()
        } else {
            c == '_' || c.is_ascii_alphanumeric()
        };
        if !ok {
            break;
        }
        n = i + c.len_utf8();
    }
    (n > 0).then_some(n)
}

fn resolve(name: &str, vars: &Vars) -> Option<String> {
    match name {
        "COPILOT_APPLICATION_NAME" => Some(vars.app.to_string()),
        "COPILOT_ENVIRONMENT_NAME" => Some(vars.env.to_string()),
        _ => (vars.lookup)(name),
    }
}

fn json_string_list(v: &str) -> Option<Vec<String>> {
    let t = v.trim();
    if !t.starts_with('[') {
        return None;
    }
    let items: Vec<String> = serde_json::from_str(t).ok()?;
    (!items.is_empty()).then_some(items)
}

/// A scalar node with a plain string value, for tests and synthesis.
pub fn plain(value: &str, span: Span) -> Node {
    Node {
        span,
        kind: NodeKind::Scalar(Scalar {
            value: value.into(),
            plain: true,
            literal: false,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::source::FileId;
    use crate::load::yaml::{parse, Limits};

    fn vars_with<'a>(f: &'a dyn Fn(&str) -> Option<String>) -> Vars<'a> {
        Vars {
            app: "app",
            env: "test",
            lookup: f,
        }
    }

    #[test]
    fn substitutes_predefined_env_and_escapes() {
        let f = |n: &str| (n == "TAG").then(|| "v1".to_string());
        let v = vars_with(&f);
        assert_eq!(
            substitute(
                "${COPILOT_APPLICATION_NAME}-${COPILOT_ENVIRONMENT_NAME}",
                &v
            )
            .0,
            "app-test"
        );
        assert_eq!(substitute("img:${TAG}", &v).0, "img:v1");
        assert_eq!(substitute("\\${TAG}", &v).0, "${TAG}");
        assert_eq!(
            substitute("${0abc} $TAG ${a-b}", &v).0,
            "${0abc} $TAG ${a-b}"
        );
        assert_eq!(substitute("${NOPE}", &v).1, vec!["NOPE".to_string()]);
    }

    #[test]
    fn keys_are_not_interpolated_and_json_lists_become_lists() {
        let f = |n: &str| match n {
            "SGS" => Some(r#"["sg-1","sg-2"]"#.to_string()),
            _ => None,
        };
        let v = vars_with(&f);
        let doc = parse("${K}: x\nsgs: ${SGS}\n", FileId(0), Limits::default()).unwrap();
        let (out, und) = interpolate(&doc, &v);
        assert!(und.is_empty());
        assert!(out.get("${K}").is_some());
        assert_eq!(out.get("sgs").unwrap().as_seq().unwrap().len(), 2);
    }
}
