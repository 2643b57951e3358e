//! CloudFormation values: known, or symbolic (and then saying what is missing).

use std::fmt;

use crate::base::origin::{Origin, Source};
use crate::base::source::Span;
use crate::base::unknown::Missing;

/// The stack a resource belongs to: how `Ref`s are qualified, and which
/// part of the deployment owns what the stack creates.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StackId {
    /// Copilot's environment stack.
    Environment,
    /// The environment's addons (`copilot/environments/addons`).
    EnvironmentAddons,
    /// A workload's stack.
    Workload(String),
    /// A workload's nested addons stack.
    WorkloadAddons(String),
    /// A plain template, by name.
    Template(String),
}

impl StackId {
    /// The workload whose deployment creates this stack (its own stack or
    /// its addons'); None for the environment's and plain templates.
    pub fn workload(&self) -> Option<&str> {
        match self {
            StackId::Workload(w) | StackId::WorkloadAddons(w) => Some(w),
            _ => None,
        }
    }
}

impl fmt::Display for StackId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StackId::Environment => f.write_str("env"),
            StackId::EnvironmentAddons => f.write_str("addons:env"),
            StackId::Workload(w) => write!(f, "workload:{w}"),
            StackId::WorkloadAddons(w) => write!(f, "addons:{w}"),
            StackId::Template(t) => write!(f, "template:{t}"),
        }
    }
}

/// A stack-qualified resource: the physical id of a resource we know.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResRef {
    pub stack: StackId,
    pub logical: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: VKind,
    /// Where the value was written (or the manifest line that caused it).
    pub span: Option<Span>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum VKind {
    Null,
    /// `AWS::NoValue`: drops the property or list item.
    NoValue,
    Str(String),
    List(Vec<Value>),
    Map(Vec<(String, Value)>),
    /// `Ref` of a resource.
    Res(ResRef),
    /// `Fn::GetAtt` of a resource attribute.
    Attr(ResRef, String),
    /// `Fn::GetAZs`: the region's AZs, symbolically.
    Azs,
    /// One AZ of the region by index (az[0], az[1], ...).
    Az(usize),
    /// A join whose parts are not all strings (e.g. subnet ids).
    Joined(String, Vec<Value>),
    /// Unknown offline: which fact is missing, and where it came from.
    Unknown(Missing),
    /// A string known but for pseudo parameters, written `<AWS::Region>`
    /// (e.g. `com.amazonaws.<AWS::Region>.secretsmanager`). Never equal to
    /// a known string.
    Pattern(String),
}

impl Value {
    pub fn new(kind: VKind, span: Option<Span>) -> Value {
        Value { kind, span }
    }
    pub fn str(s: impl Into<String>, span: Option<Span>) -> Value {
        Value::new(VKind::Str(s.into()), span)
    }
    pub fn res(stack: &StackId, logical: &str, span: Option<Span>) -> Value {
        Value::new(
            VKind::Res(ResRef {
                stack: stack.clone(),
                logical: logical.into(),
            }),
            span,
        )
    }
    /// A value unknown offline, of no particular kind of fact.
    pub fn unknown(what: impl Into<String>, span: Option<Span>) -> Value {
        Value::missing(Missing::other(what), span)
    }

    /// A value unknown offline; the fact's origin is the span where it
    /// entered unless it already has one.
    pub fn missing(m: Missing, span: Option<Span>) -> Value {
        let m = if m.origin.source == Source::Nowhere {
            m.with_origin(Origin::file(span))
        } else {
            m
        };
        Value::new(VKind::Unknown(m), span)
    }
    pub fn list(items: Vec<Value>, span: Option<Span>) -> Value {
        Value::new(VKind::List(items), span)
    }
    pub fn map(entries: Vec<(&str, Value)>, span: Option<Span>) -> Value {
        Value::new(
            VKind::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            ),
            span,
        )
    }

    /// A boolean as CloudFormation takes it: "true" or "false" in any case
    /// (YAML booleans arrive as "true"/"false"). `Err` for a known value
    /// that is no boolean; None when unknown offline.
    pub fn as_bool(&self) -> Option<Result<bool, String>> {
        match &self.kind {
            VKind::Str(s) if s.eq_ignore_ascii_case("true") => Some(Ok(true)),
            VKind::Str(s) if s.eq_ignore_ascii_case("false") => Some(Ok(false)),
            VKind::Str(s) => Some(Err(s.clone())),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            VKind::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        match &self.kind {
            VKind::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match &self.kind {
            VKind::List(l) => Some(l),
            _ => None,
        }
    }

    pub fn unknown_reason(&self) -> Option<&Missing> {
        match &self.kind {
            VKind::Unknown(s) => Some(s),
            _ => None,
        }
    }

    /// The resource this value identifies (Ref, or GetAtt of an id-like
    /// attribute such as `GroupId`).
    pub fn resource(&self) -> Option<&ResRef> {
        match &self.kind {
            VKind::Res(r) => Some(r),
            VKind::Attr(r, a) if a == "GroupId" || a == "Id" => Some(r),
            _ => None,
        }
    }

    /// Short human description.
    pub fn describe(&self) -> String {
        match &self.kind {
            VKind::Null => "null".into(),
            VKind::NoValue => "AWS::NoValue".into(),
            VKind::Str(s) => s.clone(),
            VKind::List(l) => format!(
                "[{}]",
                l.iter().map(Value::describe).collect::<Vec<_>>().join(", ")
            ),
            VKind::Map(_) => "{...}".into(),
            VKind::Res(r) => r.logical.clone(),
            VKind::Attr(r, a) => format!("{}.{}", r.logical, a),
            VKind::Azs => "GetAZs".into(),
            VKind::Az(i) => format!("az[{i}]"),
            VKind::Joined(sep, parts) => parts
                .iter()
                .map(Value::describe)
                .collect::<Vec<_>>()
                .join(sep),
            VKind::Unknown(s) => format!("<unknown: {s}>"),
            VKind::Pattern(p) => p.clone(),
        }
    }
}
