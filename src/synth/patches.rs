//! Copilot's YAML patch overrides (`overrides/cfn.patches.yml`), applied to
//! the stacks reachlint synthesizes as Copilot applies them to the
//! template it renders (internal/pkg/override/patch.go):
//! - the file is a list of `{op, path, value}`; `op` is `add`, `remove` or
//!   `replace` (anything else is refused), `add` and `replace` need a
//!   `value`;
//! - `path` is a JSON pointer (`~1` is `/`, `~0` is `~`; list items by
//!   index, `-` appends).
//!
//! What a patch does to a part of the stack reachlint models becomes what
//! the files say, or unknown naming the patch's line; never a guess:
//! - an output with an `Export` becomes a known export (its value unknown),
//!   so an import of it is no RL304;
//! - `remove` of a whole resource removes it;
//! - `add`/`replace` of a resource, of a property of it, or of its
//!   `Condition` make that part unknown (a property patched with a value is
//!   not evaluated here), so the verdicts that depend on it are `unknown`
//!   and name the patch.
//!
//! Paths outside what reachlint synthesizes touch nothing it models (RL204
//! still says overrides are present).

use crate::base::origin::Origin;
use crate::base::source::Span;
use crate::base::unknown::{Fact, Missing};
use crate::cfn::{Exports, Resource, StackId, VKind, Value};
use crate::load::yaml::Node;

/// One operation of a patch file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Remove,
    Replace,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Add => "add",
            Op::Remove => "remove",
            Op::Replace => "replace",
        }
    }
}

/// One patch Copilot accepts, with where it is written.
#[derive(Debug, Clone)]
pub struct Patch<'a> {
    pub op: Op,
    /// The pointer's tokens after the leading `/`, unescaped.
    pub path: Vec<String>,
    pub value: Option<&'a Node>,
    pub span: Span,
}

/// What Copilot refuses in a patch file (RL208 words it).
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// The file is not a list of patches.
    NotAList(Span),
    /// An operation other than `add`, `remove`, `replace` (as written).
    Operation(Span, String),
    /// `add` or `replace` without `value`.
    NoValue(Span, Op),
}

impl<'a> Patch<'a> {
    /// The export names the outputs an `add` or `replace` under `/Outputs`
    /// sets (the whole section, an output, its `Export` or its name).
    fn export_names(&self) -> Vec<&'a Node> {
        let (Some(v), Some(rest)) = (self.value, self.path.strip_prefix(&["Outputs".to_string()]))
        else {
            return vec![];
        };
        if self.op == Op::Remove {
            return vec![];
        }
        match rest {
            [] => v
                .as_map()
                .unwrap_or(&[])
                .iter()
                .filter_map(|e| export_name(&e.value))
                .collect(),
            [_] => export_name(v).into_iter().collect(),
            [_, e] if e == "Export" => v.get("Name").into_iter().collect(),
            [_, e, n] if e == "Export" && n == "Name" => vec![v],
            // deeper, or another part of an output: no export name
            _ => vec![],
        }
    }
}

/// The patches of a file, and what Copilot refuses in it.
pub fn read(doc: &Node) -> (Vec<Patch<'_>>, Vec<Refusal>) {
    // an empty or comment-only file is no patch at all to Copilot
    if doc.is_null() {
        return (vec![], vec![]);
    }
    let Some(items) = doc.as_seq() else {
        return (vec![], vec![Refusal::NotAList(doc.span)]);
    };
    let mut out = Vec::new();
    let mut refused = Vec::new();
    for it in items {
        let op = match it.get("op").and_then(Node::as_str) {
            Some("add") => Op::Add,
            Some("remove") => Op::Remove,
            Some("replace") => Op::Replace,
            other => {
                let at = it.get("op").map_or(it.span, |n| n.span);
                refused.push(Refusal::Operation(at, other.unwrap_or("").to_string()));
                continue;
            }
        };
        let value = it.get("value");
        if value.is_none() && op != Op::Remove {
            refused.push(Refusal::NoValue(it.span, op));
            continue;
        }
        let Some(path) = it.get("path").and_then(Node::as_str) else {
            // an absent path is the whole document to Copilot: nothing
            // reachlint models can be told apart then
            continue;
        };
        out.push(Patch {
            op,
            path: tokens(path),
            value,
            span: it.span,
        });
    }
    (out, refused)
}

/// A JSON pointer's tokens after the first (Copilot skips the first
/// segment, which a leading `/` makes empty), unescaped.
fn tokens(path: &str) -> Vec<String> {
    path.split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// The names a stack's `!Sub` may use: Copilot's stack parameters and the
/// stack's name.
pub struct StackNames {
    pub vars: Vec<(&'static str, String)>,
}

impl StackNames {
    /// A workload stack (`<app>-<env>-<name>`).
    pub fn workload(app: &str, env: &str, name: &str) -> StackNames {
        StackNames {
            vars: vec![
                ("AppName", app.to_string()),
                ("EnvName", env.to_string()),
                ("WorkloadName", name.to_string()),
                (
                    "AWS::StackName",
                    crate::manifest::CopilotStack::workload(app, env, name).name(),
                ),
            ],
        }
    }

    /// The environment stack (`<app>-<env>`).
    pub fn environment(app: &str, env: &str) -> StackNames {
        StackNames {
            vars: vec![
                ("AppName", app.to_string()),
                ("EnvironmentName", env.to_string()),
                (
                    "AWS::StackName",
                    crate::manifest::CopilotStack::environment(app, env).name(),
                ),
            ],
        }
    }

    /// A literal or a `Fn::Sub` of the names above; None when anything
    /// else is in it.
    fn text(&self, n: &Node) -> Option<String> {
        if let Some(s) = n.as_str().filter(|_| n.as_scalar().is_some()) {
            return Some(s.to_string());
        }
        let sub = n.get("Fn::Sub")?;
        let mut s = sub.as_str()?.to_string();
        for (k, v) in &self.vars {
            s = s.replace(&format!("${{{k}}}"), v);
        }
        (!s.contains("${")).then_some(s)
    }
}

/// What a patch leaves unknown, naming its line.
fn missing(what: &str, p: &Patch, file: &str, line: u32) -> Missing {
    Missing::new(
        Fact::Other,
        format!(
            "{what}, as the `{}` patch at {file}:{line} sets it",
            p.op.as_str()
        ),
    )
    .with_origin(Origin::file(Some(p.span)))
}

/// Where a stack's patches are evaluated: the stack's parameters and
/// resources, the exports it can import, the region.
pub struct Context<'a> {
    pub stack: &'a StackId,
    pub names: &'a StackNames,
    pub exports: &'a Exports,
    pub region: Option<&'a str>,
    pub env: &'a str,
}

/// Applies the patches to one synthesized stack's resources (those of
/// `cx.stack`); returns the exports its patched outputs add. A patch's
/// value is evaluated as CloudFormation in the stack's scope (its `!Ref`,
/// `!Sub`, `Fn::ImportValue`), so what it sets is seen; what cannot be
/// evaluated is unknown at the patch's lines. `at` gives a patch's file and
/// line for the words.
pub fn apply(
    patches: &[Patch],
    cx: &Context,
    resources: &mut Vec<Resource>,
    at: &dyn Fn(Span) -> (String, u32),
) -> Exports {
    let mut added = Exports::new();
    for p in patches {
        let (file, line) = at(p.span);
        let scope = crate::cfn::Scope {
            stack: cx.stack,
            params: std::borrow::Cow::Owned(
                cx.names
                    .vars
                    .iter()
                    .filter(|(k, _)| !k.contains("::"))
                    .map(|(k, v)| (k.to_string(), Value::str(v.clone(), None)))
                    .collect(),
            ),
            resources: std::borrow::Cow::Owned(
                resources
                    .iter()
                    .filter(|r| &r.stack == cx.stack)
                    .map(|r| (r.logical.clone(), r.rtype.clone()))
                    .collect(),
            ),
            mappings: None,
            conditions: Default::default(),
            exports: cx.exports,
            region: cx.region,
            env: Some(cx.env),
            // an import the patch makes is the patch's business: unknown
            // when no file exports it, never an RL304 here
            export_prefix: None,
            own_exports: Default::default(),
            unseen_exports: &[],
            conditional_exports: &[],
        };
        let eval = |n: &Node| scope.eval(n, &mut Vec::new());
        match p
            .path
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["Outputs", ..] => {
                let name = |n: &Node| {
                    eval(n)
                        .as_str()
                        .map(str::to_string)
                        .or_else(|| cx.names.text(n))
                };
                for n in p.export_names().into_iter().filter_map(name) {
                    let m = missing(&format!("the value of export {n}"), p, &file, line);
                    added.insert(n, Value::missing(m, Some(p.span)));
                }
            }
            ["Resources", logical, rest @ ..] => {
                let Some(i) = resources
                    .iter()
                    .position(|r| &r.stack == cx.stack && r.logical == *logical)
                else {
                    continue;
                };
                match (p.op, rest, p.value) {
                    (Op::Remove, [], _) => {
                        resources.remove(i);
                    }
                    (_, [], Some(v)) => {
                        let r = &mut resources[i];
                        if let Some(t) = v.get("Type").and_then(Node::as_str) {
                            r.rtype = t.to_string();
                        }
                        r.props = match v.get("Properties") {
                            Some(props) => eval(props),
                            None => Value::new(VKind::Map(vec![]), Some(p.span)),
                        };
                    }
                    (Op::Remove, ["Properties", inner @ ..], _) => {
                        remove(&mut resources[i].props, inner);
                    }
                    (_, ["Properties", inner @ ..], Some(v)) => {
                        let v = eval(v);
                        set(&mut resources[i].props, inner, v, p.op == Op::Add);
                    }
                    (_, ["Condition", ..], _) => {
                        let m = missing(&format!("whether {logical} exists"), p, &file, line);
                        resources[i].undecided = Some(m);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    added
}

/// Removes the value at `path` inside `v` (a path reachlint does not model
/// removes nothing).
fn remove(v: &mut Value, path: &[&str]) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    match &mut v.kind {
        VKind::Map(entries) => {
            if let Some(i) = entries.iter().position(|(k, _)| k == first) {
                if rest.is_empty() {
                    entries.remove(i);
                } else {
                    remove(&mut entries[i].1, rest);
                }
            }
        }
        VKind::List(items) => {
            if let Ok(i) = first.parse::<usize>() {
                if i < items.len() {
                    if rest.is_empty() {
                        items.remove(i);
                    } else {
                        remove(&mut items[i], rest);
                    }
                }
            }
        }
        _ => {}
    }
}

/// Whether every export the patches' outputs add has a name reachlint can
/// tell (a literal, or a `!Sub` of the stack's names): only then is an
/// import missing from the stack's namespace certain.
pub fn exports_all_named(patches: &[Patch], names: &StackNames) -> bool {
    patches
        .iter()
        .flat_map(Patch::export_names)
        .all(|n| names.text(n).is_some())
}

/// An output's `Export.Name`.
fn export_name(output: &Node) -> Option<&Node> {
    output.get("Export").and_then(|e| e.get("Name"))
}

/// Sets the value at `path` inside `v` to `to`. A path reachlint does not
/// model (a property it does not synthesize) touches nothing it models and
/// is left alone; an `add` of a new key or list item at the end of a path
/// that exists creates it.
fn set(v: &mut Value, path: &[&str], to: Value, add: bool) {
    let Some((first, rest)) = path.split_first() else {
        *v = to;
        return;
    };
    let last = rest.is_empty();
    match &mut v.kind {
        VKind::Map(entries) => match entries.iter().position(|(k, _)| k == first) {
            Some(i) if add && last => entries[i].1 = to,
            Some(i) => set(&mut entries[i].1, rest, to, add),
            None if add && last => entries.push((first.to_string(), to)),
            None => {}
        },
        VKind::List(items) => {
            let n = items.len();
            match first.parse::<usize>() {
                // `add` inserts before the index (or appends at the end)
                Ok(i) if add && last && i <= n => items.insert(i, to),
                Ok(i) if i < n => set(&mut items[i], rest, to, add),
                _ if *first == "-" && add && last => items.push(to),
                _ => {}
            }
        }
        // a value reachlint does not know the shape of
        VKind::Unknown(_) => {}
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::source::FileId;
    use crate::load::yaml::{parse, Limits};

    fn doc(t: &str) -> Node {
        parse(t, FileId(0), Limits::default()).expect("yaml")
    }

    #[test]
    fn copilot_refuses_other_operations_and_a_missing_value() {
        let d = doc(
            "- op: move\n  path: /a\n- op: add\n  path: /b\n- op: remove\n  path: /Resources/X\n",
        );
        let (ps, refused) = read(&d);
        assert_eq!(refused.len(), 2, "{refused:?}");
        assert!(matches!(&refused[0], Refusal::Operation(_, op) if op == "move"));
        assert!(matches!(&refused[1], Refusal::NoValue(_, Op::Add)));
        assert_eq!(ps.len(), 1);
        assert_eq!(ps[0].path, ["Resources", "X"]);
        assert_eq!(tokens("/Outputs/a~1b~0c"), ["Outputs", "a/b~c"]);
        assert_eq!(read(&doc("# nothing yet\n")).1, vec![]);
        assert_eq!(read(&doc("op: add\n")).1.len(), 1);
    }

    #[test]
    fn an_output_s_export_becomes_known_and_a_property_is_evaluated() {
        let d = doc(
            "- op: add\n  path: /Outputs/QueueArn\n  value:\n    Value: x\n    Export:\n      Name: !Sub '${AppName}-${EnvName}-${WorkloadName}-QueueArn'\n\
             - op: replace\n  path: /Resources/Sg/Properties/SecurityGroupEgress\n  value: [{CidrIp: 10.0.0.0/8}]\n\
             - op: add\n  path: /Resources/Sg/Properties/GroupDescription\n  value: !Sub '${WorkloadName} tasks'\n\
             - op: remove\n  path: /Resources/Gone\n",
        );
        let (ps, refused) = read(&d);
        assert!(refused.is_empty());
        let stack = StackId::Workload("api".into());
        let res = |logical: &str| Resource {
            stack: stack.clone(),
            logical: logical.into(),
            rtype: "AWS::EC2::SecurityGroup".into(),
            props: Value::new(
                VKind::Map(vec![(
                    "SecurityGroupEgress".into(),
                    Value::new(VKind::List(vec![]), None),
                )]),
                None,
            ),
            origin: Origin::default(),
            undecided: None,
        };
        let mut resources = vec![res("Sg"), res("Gone")];
        let names = StackNames::workload("shop", "test", "api");
        let cx = Context {
            stack: &stack,
            names: &names,
            exports: &Exports::new(),
            region: None,
            env: "test",
        };
        let added = apply(&ps, &cx, &mut resources, &|_| ("p.yml".into(), 1));
        assert!(added.contains_key("shop-test-api-QueueArn"));
        assert!(exports_all_named(&ps, &names));
        let opaque = doc("- op: add\n  path: /Outputs/X/Export/Name\n  value: !Join ['-', [!Ref AWS::Region, x]]\n");
        assert!(!exports_all_named(&read(&opaque).0, &names));
        assert_eq!(resources.len(), 1);
        let egress = resources[0].prop("SecurityGroupEgress").expect("kept");
        assert_eq!(egress.as_list().map(<[Value]>::len), Some(1));
        assert_eq!(
            resources[0]
                .prop("GroupDescription")
                .and_then(Value::as_str),
            Some("api tasks")
        );
    }

    #[test]
    fn a_path_reachlint_does_not_model_touches_nothing() {
        let mut v = Value::new(
            VKind::Map(vec![(
                "Subnets".into(),
                Value::new(VKind::Str("a".into()), None),
            )]),
            None,
        );
        let before = v.clone();
        let u = Value::unknown("x", None);
        set(&mut v, &["ServiceRegistries"], u.clone(), false);
        set(&mut v, &["Deep", "Er"], u.clone(), true);
        assert_eq!(v, before);
        set(&mut v, &["Extra"], u, true);
        assert!(v.get("Extra").is_some() && v.get("Subnets").is_some());
    }
}
