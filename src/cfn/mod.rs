//! CloudFormation templates: parameters, mappings, conditions, intrinsic
//! functions, exports and imports, evaluated per environment into resources
//! whose property values are known or symbolic.

pub mod value;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

use crate::base::diag::Diagnostic;
use crate::base::origin::Origin;
#[cfg(test)]
use crate::base::rule::RuleId;
use crate::base::source::Span;
use crate::base::unknown::{Fact, Missing};
use crate::load::yaml::{Node, NodeKind};
use crate::rules::cfn::{
    missing_export, reference_cycle, unevaluable_expression, unknown_attribute, unknown_function,
    unresolved_reference,
};
use crate::rules::schema::invalid_value::{self, Invalid};
pub use value::{ResRef, StackId, VKind, Value};

/// One CloudFormation resource, from a template or synthesized from a
/// manifest; the model is built from these only.
#[derive(Debug, Clone)]
pub struct Resource {
    pub stack: StackId,
    pub logical: String,
    pub rtype: String,
    pub props: Value,
    /// Where the resource is declared, or, synthesized, the manifest line
    /// that caused it and why it exists.
    pub origin: Origin,
    /// Its `Condition` could not be decided offline: it may not exist.
    pub undecided: Option<Missing>,
}

impl Resource {
    pub fn prop(&self, key: &str) -> Option<&Value> {
        self.props.get(key)
    }
    pub fn rref(&self) -> ResRef {
        ResRef {
            stack: self.stack.clone(),
            logical: self.logical.clone(),
        }
    }
}

/// Exports visible to a stack: name → value.
pub type Exports = HashMap<String, Value>;

/// An export of Copilot's stacks that exists only under a condition: the
/// environment stack's load balancers, NAT route tables, file system and
/// hosted zone, or another workload's stack.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportCondition {
    /// What makes it exist, in words ("a Load Balanced Web Service with an
    /// Application Load Balancer is deployed in the environment").
    pub what: String,
    /// The workloads of the workspace whose deployment makes it exist;
    /// None: the environment alone decides. Empty: nothing in the
    /// workspace makes it exist, so an import of it fails.
    pub creators: Option<Vec<String>>,
    /// A fact the files do not hold that also decides it (the
    /// application's domain).
    pub unseen: Option<String>,
}

/// What an import of a conditional export meets.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportJudgement<'a> {
    /// It exists whenever the importer deploys.
    Exists,
    /// Nothing in the workspace creates it: the import fails.
    Absent,
    /// It rests on a fact the files do not hold.
    Unseen(&'a str),
    /// It exists only once one of these workloads is deployed; deploying
    /// the importer first fails.
    DeployOrder(&'a [String]),
}

impl ExportCondition {
    /// How an import from a stack of `importer` (None: the environment's)
    /// fares. A workload's own addons deploy after its environment
    /// controller updates the environment stack, so a workload that creates
    /// the export may import it.
    pub fn judge(&self, importer: Option<&str>) -> ExportJudgement<'_> {
        match (&self.creators, &self.unseen) {
            (Some(c), _) if c.is_empty() => ExportJudgement::Absent,
            (_, Some(fact)) => ExportJudgement::Unseen(fact),
            (Some(c), None) if !importer.is_some_and(|i| c.iter().any(|x| x == i)) => {
                ExportJudgement::DeployOrder(c)
            }
            _ => ExportJudgement::Exists,
        }
    }
}

/// Conditional exports by name.
pub type ConditionalExports = [(String, ExportCondition)];

/// The condition of export `name`, if it has one.
pub fn export_condition<'a>(
    conditional: &'a ConditionalExports,
    name: &str,
) -> Option<&'a ExportCondition> {
    conditional.iter().find(|(k, _)| k == name).map(|(_, c)| c)
}

/// What RL304 decides of an import of an export name, for an addon's
/// `Fn::ImportValue` and a manifest's `from_cfn` alike.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Import<'a> {
    /// A stack of the inputs exports it.
    Exported,
    /// Outside the names that must exist (another stack's, or the
    /// environment's exports are not all known): unknown.
    Outside,
    /// It rests on a fact no file holds.
    UnseenFact(&'a str),
    /// An override (this file) may add it.
    UnseenOverride(&'a std::path::Path),
    /// Copilot's stacks export it only when `what`, which no workload of
    /// the workspace makes so.
    NotCreated(&'a str),
    /// No stack of the environment exports it.
    Missing,
}

/// What an import may name: the namespace whose names must exist, the
/// namespaces overrides may add to, and the conditional exports.
pub struct ImportScope<'a> {
    /// `<app>-<env>-`; None while the environment's exports are not all
    /// known.
    pub prefix: Option<&'a str>,
    pub unseen: &'a [(String, std::path::PathBuf)],
    pub conditional: &'a ConditionalExports,
}

impl<'a> ImportScope<'a> {
    /// How an import of `name` from a stack of `importer` fares, given
    /// whether a stack of the inputs exports it; with the condition and
    /// its creators when the export exists only once other workloads are
    /// deployed (a deploy-order note).
    pub fn judge(
        &self,
        name: &str,
        importer: Option<&str>,
        exported: bool,
    ) -> (Import<'a>, Option<(&'a ExportCondition, &'a [String])>) {
        let mut order = None;
        let mut absent = None;
        if let Some(c) = export_condition(self.conditional, name) {
            match c.judge(importer) {
                ExportJudgement::Absent => absent = Some(c.what.as_str()),
                ExportJudgement::Unseen(fact) => return (Import::UnseenFact(fact), None),
                ExportJudgement::DeployOrder(creators) => order = Some((c, creators)),
                ExportJudgement::Exists => {}
            }
        }
        if exported && absent.is_none() {
            return (Import::Exported, order);
        }
        if !self.prefix.is_some_and(|p| name.starts_with(p)) {
            return (Import::Outside, order);
        }
        let by = self
            .unseen
            .iter()
            .filter(|(p, _)| name.starts_with(p.as_str()))
            .max_by_key(|(p, _)| p.len());
        let judged = match (by, absent) {
            (Some((_, f)), _) => Import::UnseenOverride(f),
            (None, Some(what)) => Import::NotCreated(what),
            (None, None) => Import::Missing,
        };
        (judged, order)
    }
}

/// What an evaluation needs to know about its surroundings.
pub struct Scope<'a> {
    pub stack: &'a StackId,
    pub params: Cow<'a, HashMap<String, Value>>,
    pub resources: Cow<'a, HashMap<String, String>>,
    pub mappings: Option<&'a Node>,
    pub conditions: HashMap<String, Option<bool>>,
    pub exports: &'a Exports,
    pub region: Option<&'a str>,
    pub env: Option<&'a str>,
    /// Exports named with this prefix (`<app>-<env>-`) must exist; others may
    /// come from stacks outside the workspace and are merely unknown.
    pub export_prefix: Option<String>,
    /// The template's own exports: name -> how to write the value instead
    /// (`!Ref X`), for an import of one of them (RL304).
    pub own_exports: HashMap<String, String>,
    /// Export-name prefixes of stacks an override may change, with the
    /// override's file: a missing export there is unseen, not certain.
    pub unseen_exports: &'a [(String, std::path::PathBuf)],
    /// Exports that exist only under a condition (RL304 judges an import
    /// of one by who creates it).
    pub conditional_exports: &'a ConditionalExports,
}

const MAX_EVAL_DEPTH: usize = 64;

/// The boolean properties the model reads (and a few beside them), by
/// resource type.
const BOOLEAN_PROPERTIES: &[(&str, &[&str])] = &[
    ("AWS::EC2::NetworkAclEntry", &["Egress"]),
    ("AWS::EC2::VPCEndpoint", &["PrivateDnsEnabled"]),
    ("AWS::EC2::Subnet", &["MapPublicIpOnLaunch"]),
    ("AWS::EC2::VPC", &["EnableDnsSupport", "EnableDnsHostnames"]),
    (
        "AWS::RDS::DBInstance",
        &["PubliclyAccessible", "MultiAZ", "DeletionProtection"],
    ),
    (
        "AWS::RDS::DBCluster",
        &["DeletionProtection", "EnableHttpEndpoint"],
    ),
];

impl<'a> Scope<'a> {
    pub fn eval(&self, n: &Node, diags: &mut Vec<Diagnostic>) -> Value {
        self.eval_d(n, diags, 0)
    }

    /// A known value that is no boolean, in a boolean property the model
    /// reads, is an error at its line: CloudFormation rejects the template
    /// (it takes `true`/`false` in any case, which YAML booleans become).
    fn check_booleans(
        &self,
        logical: &str,
        rtype: &str,
        props: &Value,
        diags: &mut Vec<Diagnostic>,
    ) {
        let Some((_, keys)) = BOOLEAN_PROPERTIES.iter().find(|(t, _)| *t == rtype) else {
            return;
        };
        for key in *keys {
            let Some(v) = props.get(key) else { continue };
            if let (Some(Err(bad)), Some(span)) = (v.as_bool(), v.span) {
                self.report(
                    diags,
                    invalid_value::diagnostic(
                        span,
                        Invalid::NotBoolean {
                            key,
                            logical,
                            rtype,
                            bad: &bad,
                        },
                    ),
                );
            }
        }
    }

    /// A finding in this evaluation's environment, once.
    fn report(&self, diags: &mut Vec<Diagnostic>, d: Diagnostic) {
        let d = d.env(self.env);
        if !diags
            .iter()
            .any(|x| x.rule == d.rule && x.location == d.location && x.message == d.message)
        {
            diags.push(d);
        }
    }

    fn eval_d(&self, n: &Node, diags: &mut Vec<Diagnostic>, depth: usize) -> Value {
        let sp = Some(n.span);
        if depth > MAX_EVAL_DEPTH {
            return Value::unknown("expression nested too deeply", sp);
        }
        match &n.kind {
            NodeKind::Scalar(s) if s.is_null() => Value::new(VKind::Null, sp),
            // CloudFormation reads YAML 1.1: an unquoted True, TRUE, yes or
            // on is the boolean true, which a string property sees as "true".
            NodeKind::Scalar(s) if s.plain && s.as_bool().is_some() => Value::str(
                if s.as_bool() == Some(true) {
                    "true"
                } else {
                    "false"
                },
                sp,
            ),
            NodeKind::Scalar(s) => Value::str(s.value.clone(), sp),
            NodeKind::Seq(items) => {
                let v = items
                    .iter()
                    .map(|i| self.eval_d(i, diags, depth + 1))
                    .filter(|v| v.kind != VKind::NoValue)
                    .collect();
                Value::list(v, sp)
            }
            NodeKind::Map(entries) => {
                if entries.len() == 1 {
                    let k = entries[0].key_str();
                    if k == "Ref" || k.starts_with("Fn::") || k == "Condition" && depth > 0 {
                        return self.intrinsic(k, &entries[0].value, n.span, diags, depth);
                    }
                }
                let mut out = Vec::new();
                for e in entries {
                    let v = self.eval_d(&e.value, diags, depth + 1);
                    if v.kind != VKind::NoValue {
                        out.push((e.key_str().to_string(), v));
                    }
                }
                Value::new(VKind::Map(out), sp)
            }
        }
    }

    /// A value that could not be evaluated: RL305 at `span`, and unknown.
    fn unevaluable(&self, diags: &mut Vec<Diagnostic>, span: Span, f: &str, what: &str) -> Value {
        self.report(diags, unevaluable_expression::diagnostic(span, f, what));
        Value::unknown(format!("{f} could not be evaluated"), Some(span))
    }

    /// `Fn::GetAtt`: an attribute of a resource of this template.
    fn get_att(&self, arg: &Node, span: Span, diags: &mut Vec<Diagnostic>) -> Value {
        let sp = Some(span);
        let parts: Vec<String> = match &arg.kind {
            NodeKind::Seq(items) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect(),
            NodeKind::Scalar(s) => s.value.splitn(2, '.').map(str::to_string).collect(),
            _ => vec![],
        };
        if parts.len() != 2 {
            return self.unevaluable(diags, span, "Fn::GetAtt", "expects [resource, attribute]");
        }
        if let Some(rtype) = self.resources.get(&parts[0]) {
            self.check_attribute(&parts[0], rtype, &parts[1], arg.span, diags);
            Value::new(
                VKind::Attr(
                    ResRef {
                        stack: self.stack.clone(),
                        logical: parts[0].clone(),
                    },
                    parts[1].clone(),
                ),
                sp,
            )
        } else {
            self.unresolved(&parts[0], span, diags)
        }
    }

    /// `Fn::ImportValue`: the export's value when a stack of the
    /// environment exports it. Otherwise RL304 as the export's condition,
    /// an override, or the namespace decides; outside the environment's
    /// namespace the value is merely unknown.
    fn import_value(
        &self,
        arg: &Node,
        span: Span,
        diags: &mut Vec<Diagnostic>,
        depth: usize,
    ) -> Value {
        let sp = Some(span);
        let name = self.eval_d(arg, diags, depth + 1);
        let Some(n) = name.as_str() else {
            return Value::unknown(format!("ImportValue of {}", name.describe()), sp);
        };
        let scope = ImportScope {
            prefix: self.export_prefix.as_deref(),
            unseen: self.unseen_exports,
            conditional: self.conditional_exports,
        };
        let importer = self.stack.workload();
        let exported = self.exports.get(n);
        let (judged, order) = scope.judge(n, importer, exported.is_some());
        if let Some((c, creators)) = order {
            let d = missing_export::deploy_order(span, n, &c.what, creators, importer);
            self.report(diags, d);
        }
        let missing =
            |why: String| Value::missing(Missing::new(Fact::Import(n.to_string()), why), sp);
        let own = self.own_exports.get(n);
        match (judged, exported, own) {
            (Import::Exported, Some(v), _) => Value {
                span: sp,
                ..v.clone()
            },
            (Import::Exported | Import::Outside, _, _) => {
                missing(format!("export {n} (from a stack outside the workspace)"))
            }
            (Import::UnseenFact(fact), _, _) => {
                self.report(diags, missing_export::unseen_fact(span, n, fact));
                missing(format!("export {n} ({fact})"))
            }
            (_, _, Some(value)) => {
                self.report(diags, missing_export::own(span, n, value));
                missing(format!("export {n}"))
            }
            (Import::UnseenOverride(by), _, _) => {
                self.report(diags, missing_export::unseen(span, n, by));
                missing(format!("export {n} (an override may add it)"))
            }
            (Import::NotCreated(what), _, _) => {
                self.report(diags, missing_export::not_created(span, n, what));
                missing(format!("export {n}"))
            }
            (Import::Missing, _, _) => {
                let known: Vec<&str> = self.exports.keys().map(String::as_str).collect();
                let nearest = crate::base::suggest::closest(n, &known);
                self.report(diags, missing_export::missing(span, n, nearest));
                missing(format!("export {n}"))
            }
        }
    }

    /// `Fn::Sub` of a string, or of `[string, variables]`.
    fn sub_args(&self, arg: &Node, span: Span, diags: &mut Vec<Diagnostic>, depth: usize) -> Value {
        let f = "Fn::Sub";
        let (tmpl, extra) = match &arg.kind {
            NodeKind::Scalar(_) => (arg, None),
            NodeKind::Seq(items) if items.len() == 2 => (&items[0], Some(&items[1])),
            _ => {
                return self.unevaluable(diags, span, f, "expects a string or [string, variables]")
            }
        };
        let Some(t) = tmpl.as_str() else {
            return self.unevaluable(diags, span, f, "expects a string");
        };
        let mut vars: HashMap<String, Value> = HashMap::new();
        if let Some(m) = extra.and_then(|e| e.as_map()) {
            for e in m {
                vars.insert(
                    e.key_str().to_string(),
                    self.eval_d(&e.value, diags, depth + 1),
                );
            }
        }
        self.sub(t, &vars, span, diags)
    }

    fn intrinsic(
        &self,
        f: &str,
        arg: &Node,
        span: Span,
        diags: &mut Vec<Diagnostic>,
        depth: usize,
    ) -> Value {
        let sp = Some(span);
        let ev = |n: &Node, diags: &mut Vec<Diagnostic>| self.eval_d(n, diags, depth + 1);
        let bad = |diags: &mut Vec<Diagnostic>, what: &str| self.unevaluable(diags, span, f, what);
        match f {
            "Ref" => {
                let Some(name) = arg.as_str() else {
                    return bad(diags, "expects a name");
                };
                self.reference(name, span, diags)
            }
            "Fn::GetAtt" => self.get_att(arg, span, diags),
            "Fn::Sub" => self.sub_args(arg, span, diags, depth),
            "Fn::Join" => {
                let Some([sep, list]) = arg.as_seq().and_then(|s| <&[Node; 2]>::try_from(s).ok())
                else {
                    return bad(diags, "expects [separator, list]");
                };
                let sep = sep.as_str().unwrap_or("").to_string();
                let items = ev(list, diags);
                match items.kind {
                    VKind::List(l) => {
                        if l.iter().all(|v| v.as_str().is_some()) {
                            let s: Vec<&str> = l.iter().filter_map(Value::as_str).collect();
                            Value::str(s.join(&sep), sp)
                        } else if let Some(p) = pattern_of(&l, &sep) {
                            // known but for pseudo parameters: still a
                            // string with a shape (an endpoint's service)
                            Value::new(VKind::Pattern(p), sp)
                        } else {
                            Value::new(VKind::Joined(sep, l), sp)
                        }
                    }
                    VKind::Unknown(w) => Value::missing(w.clone(), sp),
                    _ => bad(diags, "expects a list to join"),
                }
            }
            "Fn::Split" => {
                let Some([sep, src]) = arg.as_seq().and_then(|s| <&[Node; 2]>::try_from(s).ok())
                else {
                    return bad(diags, "expects [separator, string]");
                };
                let sep = sep.as_str().unwrap_or(",").to_string();
                let v = ev(src, diags);
                match v.kind {
                    VKind::Str(s) => Value::list(
                        s.split(sep.as_str()).map(|p| Value::str(p, sp)).collect(),
                        sp,
                    ),
                    VKind::Joined(js, parts) if js == sep => Value::list(parts, sp),
                    VKind::Joined(..) => {
                        Value::unknown("split of a joined value with another separator", sp)
                    }
                    VKind::Unknown(w) => Value::missing(w.clone(), sp),
                    _ => bad(diags, "expects a string to split"),
                }
            }
            "Fn::Select" => {
                let Some([idx, list]) = arg.as_seq().and_then(|s| <&[Node; 2]>::try_from(s).ok())
                else {
                    return bad(diags, "expects [index, list]");
                };
                let i = ev(idx, diags);
                let Some(i) = i.as_str().and_then(|s| s.parse::<usize>().ok()) else {
                    return Value::unknown("Select index", sp);
                };
                let l = ev(list, diags);
                match l.kind {
                    VKind::List(items) => match items.into_iter().nth(i) {
                        Some(v) => v,
                        None => bad(diags, "index out of range"),
                    },
                    VKind::Azs => Value::new(VKind::Az(i), sp),
                    VKind::Unknown(w) => Value::missing(w.clone(), sp),
                    _ => bad(diags, "expects a list"),
                }
            }
            "Fn::GetAZs" => Value::new(VKind::Azs, sp),
            "Fn::ImportValue" => self.import_value(arg, span, diags, depth),
            "Fn::FindInMap" => {
                let Some(args) = arg.as_seq().filter(|a| a.len() == 3) else {
                    return bad(diags, "expects [map, top key, second key]");
                };
                let keys: Vec<Value> = args.iter().map(|a| ev(a, diags)).collect();
                let (Some(m), Some(k1), Some(k2)) =
                    (keys[0].as_str(), keys[1].as_str(), keys[2].as_str())
                else {
                    return Value::unknown("FindInMap with a key unknown offline", sp);
                };
                match self.mappings.and_then(|ms| ms.path(&[m, k1, k2])) {
                    Some(v) => ev(v, diags),
                    None => {
                        self.report(diags, unresolved_reference::mapping_entry(span, m, k1, k2));
                        Value::unknown(format!("mapping {m}.{k1}.{k2}"), sp)
                    }
                }
            }
            "Fn::If" => {
                let Some([c, a, b]) = arg.as_seq().and_then(|s| <&[Node; 3]>::try_from(s).ok())
                else {
                    return bad(diags, "expects [condition, then, else]");
                };
                let name = c.as_str().unwrap_or("");
                match self.condition(name, c.span, diags) {
                    Some(true) => ev(a, diags),
                    Some(false) => ev(b, diags),
                    None => Value::missing(
                        Missing::new(
                            Fact::Condition(name.to_string()),
                            format!("condition {name}"),
                        ),
                        sp,
                    ),
                }
            }
            "Fn::Base64" => ev(arg, diags),
            "Fn::Cidr" => Value::unknown("Fn::Cidr result", sp),
            "Fn::Equals" | "Fn::Not" | "Fn::And" | "Fn::Or" | "Condition" => {
                match self.cond_expr(f, arg, diags, depth) {
                    Some(b) => Value::str(if b { "true" } else { "false" }, sp),
                    None => Value::unknown("condition", sp),
                }
            }
            f if KNOWN_FUNCTIONS.contains(&f) => bad(diags, "unsupported intrinsic function"),
            f => {
                let short = f.trim_start_matches("Fn::");
                let names: Vec<&str> = KNOWN_FUNCTIONS
                    .iter()
                    .map(|k| k.trim_start_matches("Fn::"))
                    .collect();
                let nearest = crate::base::suggest::closest(short, &names);
                self.report(diags, unknown_function::diagnostic(span, short, nearest));
                Value::unknown(format!("{f} is not a function"), sp)
            }
        }
    }

    /// `!GetAtt R.Attr` of a resource type whose attributes are known:
    /// an attribute it does not have fails at deploy.
    fn check_attribute(
        &self,
        logical: &str,
        rtype: &str,
        attr: &str,
        span: Span,
        diags: &mut Vec<Diagnostic>,
    ) {
        let Some((_, attrs)) = ATTRIBUTES.iter().find(|(t, _)| *t == rtype) else {
            return;
        };
        if attrs.contains(&attr) {
            return;
        }
        self.report(
            diags,
            unknown_attribute::diagnostic(span, logical, rtype, attr, attrs),
        );
    }

    fn unresolved(&self, name: &str, span: Span, diags: &mut Vec<Diagnostic>) -> Value {
        let known: Vec<&str> = self
            .params
            .keys()
            .chain(self.resources.keys())
            .map(String::as_str)
            .collect();
        let nearest = crate::base::suggest::closest(name, &known);
        self.report(diags, unresolved_reference::reference(span, name, nearest));
        Value::unknown(format!("reference {name}"), Some(span))
    }

    fn reference(&self, name: &str, span: Span, diags: &mut Vec<Diagnostic>) -> Value {
        let sp = Some(span);
        if let Some(v) = self.params.get(name) {
            return v.clone();
        }
        match name {
            "AWS::Region" => {
                return match self.region {
                    Some(r) => Value::str(r, sp),
                    None => Value::missing(
                        Missing::new(Fact::Pseudo("AWS::Region".into()), "the region"),
                        sp,
                    ),
                }
            }
            "AWS::NoValue" => return Value::new(VKind::NoValue, sp),
            "AWS::StackName" => return Value::str(self.stack.to_string(), sp),
            "AWS::AccountId" => {
                return Value::missing(
                    Missing::new(Fact::Pseudo(name.into()), "the account id"),
                    sp,
                )
            }
            "AWS::Partition" => return Value::str("aws", sp),
            "AWS::URLSuffix" => return Value::str("amazonaws.com", sp),
            "AWS::StackId" | "AWS::NotificationARNs" => {
                return Value::missing(Missing::new(Fact::Pseudo(name.into()), name), sp)
            }
            _ => {}
        }
        if self.resources.contains_key(name) {
            return Value::res(self.stack, name, sp);
        }
        self.unresolved(name, span, diags)
    }

    fn sub(
        &self,
        t: &str,
        vars: &HashMap<String, Value>,
        span: Span,
        diags: &mut Vec<Diagnostic>,
    ) -> Value {
        let sp = Some(span);
        let mut out = String::new();
        let mut partial = false;
        let mut rest = t;
        while let Some(i) = rest.find("${") {
            out.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            if let Some(stripped) = after.strip_prefix('!') {
                // `${!Literal}` escapes
                out.push_str("${");
                rest = stripped;
                continue;
            }
            let Some(end) = after.find('}') else {
                out.push_str(&rest[i..]);
                rest = "";
                break;
            };
            // CloudFormation trims white space inside `${ ... }`.
            let name = after[..end].trim();
            let v = match vars.get(name) {
                Some(v) => v.clone(),
                None => {
                    if let Some((r, a)) = name.split_once('.') {
                        if self.resources.contains_key(r) {
                            Value::new(
                                VKind::Attr(
                                    ResRef {
                                        stack: self.stack.clone(),
                                        logical: r.into(),
                                    },
                                    a.into(),
                                ),
                                sp,
                            )
                        } else {
                            self.unresolved(r, span, diags)
                        }
                    } else {
                        self.reference(name, span, diags)
                    }
                }
            };
            match (&v.kind, name.starts_with("AWS::")) {
                (VKind::Str(s), _) => out.push_str(s),
                // a pseudo parameter unknown offline (the region, the
                // account): the rest of the string is still known
                (VKind::Unknown(_), true) | (VKind::Pattern(_), _) => {
                    partial = true;
                    match &v.kind {
                        VKind::Pattern(p) => out.push_str(p),
                        _ => out.push_str(&format!("<{name}>")),
                    }
                }
                _ => return Value::unknown(format!("Sub of {}", v.describe()), sp),
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        if partial {
            return Value::new(VKind::Pattern(out), sp);
        }
        Value::str(out, sp)
    }

    /// A named condition's value (None when unknown offline).
    pub fn condition(&self, name: &str, span: Span, diags: &mut Vec<Diagnostic>) -> Option<bool> {
        match self.conditions.get(name) {
            Some(v) => *v,
            None => {
                self.report(diags, unresolved_reference::condition(span, name));
                None
            }
        }
    }

    fn cond_expr(
        &self,
        f: &str,
        arg: &Node,
        diags: &mut Vec<Diagnostic>,
        depth: usize,
    ) -> Option<bool> {
        match f {
            "Condition" => self.condition(arg.as_str().unwrap_or(""), arg.span, diags),
            "Fn::Equals" => {
                let items = arg.as_seq().filter(|s| s.len() == 2)?;
                let a = self.eval_d(&items[0], diags, depth + 1);
                let b = self.eval_d(&items[1], diags, depth + 1);
                match (a.as_str(), b.as_str()) {
                    (Some(x), Some(y)) => Some(x == y),
                    _ => None,
                }
            }
            "Fn::Not" => {
                let items = arg.as_seq().filter(|s| s.len() == 1)?;
                self.bool_of(&items[0], diags, depth).map(|b| !b)
            }
            "Fn::And" | "Fn::Or" => {
                let items = arg.as_seq()?;
                let vals: Vec<Option<bool>> = items
                    .iter()
                    .map(|i| self.bool_of(i, diags, depth))
                    .collect();
                let and = f == "Fn::And";
                if vals.contains(&Some(!and)) {
                    return Some(!and);
                }
                if vals.iter().all(Option::is_some) {
                    return Some(and);
                }
                None
            }
            _ => None,
        }
    }

    fn bool_of(&self, n: &Node, diags: &mut Vec<Diagnostic>, depth: usize) -> Option<bool> {
        let v = self.eval_d(n, diags, depth + 1);
        match v.as_str() {
            Some("true") => Some(true),
            Some("false") => Some(false),
            _ => None,
        }
    }
}

/// The parts of a join as a pattern when each is a string, a pattern, or a
/// pseudo parameter unknown offline (`<AWS::Region>`).
fn pattern_of(parts: &[Value], sep: &str) -> Option<String> {
    let mut out = Vec::new();
    for p in parts {
        out.push(match &p.kind {
            VKind::Str(s) | VKind::Pattern(s) => s.clone(),
            VKind::Unknown(m) => match &m.fact {
                Fact::Pseudo(name) => format!("<{name}>"),
                _ => return None,
            },
            _ => return None,
        });
    }
    Some(out.join(sep))
}

/// A parsed template (one file or a merged addon set).
#[derive(Debug)]
pub struct Template<'a> {
    pub doc: &'a Node,
}

impl<'a> Template<'a> {
    pub fn section(&self, name: &str) -> Option<&'a [crate::load::yaml::Entry]> {
        self.doc.get(name).and_then(Node::as_map)
    }
}

/// An evaluated output, with its export name when it has one.
#[derive(Debug, Clone)]
pub struct Output {
    pub value: Value,
    pub export: Option<Value>,
}

/// What a template evaluation is given.
pub struct EvalInput<'a> {
    /// Stack id every `Ref` to a resource is qualified with.
    pub stack: &'a StackId,
    /// Borrowed when several files of one stack share them.
    pub params: Cow<'a, HashMap<String, Value>>,
    pub exports: &'a Exports,
    pub region: Option<&'a str>,
    pub env: Option<&'a str>,
    /// Exports with this prefix must exist (RL304); others are unknown.
    pub export_prefix: Option<String>,
    /// Export-name prefixes of stacks an override may change (their file):
    /// a missing export there is a note, not RL304's error.
    pub unseen_exports: &'a [(String, std::path::PathBuf)],
    /// Exports that exist only under a condition.
    pub conditional_exports: &'a ConditionalExports,
    /// Resources of the other files merged into the same stack (id → type).
    pub sibling_resources: Cow<'a, HashMap<String, String>>,
    /// The stack's `Conditions` and `Mappings` when they are merged from
    /// several files (Copilot merges addon templates section by section);
    /// None: the template's own.
    pub merged_conditions: Option<&'a Node>,
    pub merged_mappings: Option<&'a Node>,
}

impl<'a> EvalInput<'a> {
    /// A template evaluated on its own: no parameters, region, environment,
    /// siblings or merged sections (tests, fuzzing, a plain template).
    pub fn alone(stack: &'a StackId, exports: &'a Exports) -> EvalInput<'a> {
        EvalInput {
            stack,
            params: Cow::Owned(HashMap::new()),
            exports,
            region: None,
            env: None,
            export_prefix: None,
            unseen_exports: &[],
            conditional_exports: &[],
            sibling_resources: Cow::Owned(HashMap::new()),
            merged_conditions: None,
            merged_mappings: None,
        }
    }
}

/// Evaluations of conditions on or behind a cycle one stack may make (the
/// rest are judged once each, in dependency order).
pub const MAX_CYCLE_EVALUATIONS: usize = 1_000_000;

/// Evaluates a template with the given parameter values: conditions first
/// (in dependency order, cycles become unknown), then resources and outputs.
pub fn evaluate_template(
    tpl: &Template,
    input: EvalInput,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Resource>, BTreeMap<String, Output>) {
    evaluate_stack(std::slice::from_ref(tpl), input, diags)
        .pop()
        .unwrap_or_default()
}

/// Evaluates the template files of one stack (Copilot merges addon files
/// into one): the stack's scope (parameters, every file's resources,
/// conditions, exports) is built and its conditions judged once, then each
/// file's resources and outputs, in order. Linear in the files.
pub fn evaluate_stack(
    tpls: &[Template],
    input: EvalInput,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(Vec<Resource>, BTreeMap<String, Output>)> {
    let EvalInput {
        stack,
        params,
        exports,
        region,
        env,
        export_prefix,
        unseen_exports,
        conditional_exports,
        sibling_resources,
        merged_conditions,
        merged_mappings,
    } = input;
    let mut resources = sibling_resources;
    for tpl in tpls {
        for e in tpl.section("Resources").unwrap_or(&[]) {
            let t = e.value.get("Type").and_then(Node::as_str).unwrap_or("");
            if resources.get(e.key_str()).map(String::as_str) != Some(t) {
                resources
                    .to_mut()
                    .insert(e.key_str().to_string(), t.to_string());
            }
        }
    }
    let first = tpls.first();
    let mut scope = Scope {
        stack,
        params,
        resources,
        mappings: merged_mappings.or_else(|| first.and_then(|t| t.doc.get("Mappings"))),
        conditions: HashMap::new(),
        exports,
        region,
        env,
        export_prefix,
        own_exports: HashMap::new(),
        unseen_exports,
        conditional_exports,
    };
    let conds = merged_conditions
        .and_then(Node::as_map)
        .or_else(|| first.and_then(|t| t.section("Conditions")))
        .unwrap_or(&[]);
    let names: HashSet<String> = conds.iter().map(|e| e.key_str().to_string()).collect();
    for n in &names {
        scope.conditions.insert(n.clone(), None);
    }
    // in dependency order (Kahn): each condition once, after those it
    // names; what is left lies on or behind a cycle and is iterated to a
    // fixed point (a cycle stays unknown unless its value does not depend
    // on it)
    let index: HashMap<&str, usize> = conds
        .iter()
        .enumerate()
        .map(|(i, e)| (e.key_str(), i))
        .collect();
    let mut waiting = vec![0usize; conds.len()];
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); conds.len()];
    for (i, e) in conds.iter().enumerate() {
        let mut named = Vec::new();
        condition_names(&e.value, &mut named);
        named.sort_unstable();
        named.dedup();
        for n in named {
            if let Some(&j) = index.get(n) {
                waiting[i] += 1;
                users[j].push(i);
            }
        }
    }
    let mut ready: Vec<usize> = (0..conds.len()).filter(|&i| waiting[i] == 0).collect();
    let mut done = vec![false; conds.len()];
    while let Some(i) = ready.pop() {
        done[i] = true;
        let e = &conds[i];
        let v = match e.value.as_map() {
            Some([one]) => scope.cond_expr(one.key_str(), &one.value, &mut Vec::new(), 1),
            _ => None,
        };
        scope.conditions.insert(e.key_str().to_string(), v);
        for &u in &users[i] {
            waiting[u] -= 1;
            if waiting[u] == 0 {
                ready.push(u);
            }
        }
    }
    let left: Vec<&crate::load::yaml::Entry> = conds
        .iter()
        .zip(&done)
        .filter(|(_, d)| !**d)
        .map(|(e, _)| e)
        .collect();
    let mut evaluated = 0usize;
    'fixed: for _ in 0..=left.len() {
        let mut changed = false;
        for e in &left {
            evaluated += 1;
            if evaluated > MAX_CYCLE_EVALUATIONS {
                // what has not settled stays unknown
                diags.push(crate::rules::limits::input_limit::conditions(
                    e.key.span,
                    MAX_CYCLE_EVALUATIONS,
                ));
                break 'fixed;
            }
            let mut scratch = Vec::new();
            let v = match e.value.as_map() {
                Some([one]) => scope.cond_expr(one.key_str(), &one.value, &mut scratch, 1),
                _ => None,
            };
            if v.is_some() && scope.conditions.get(e.key_str()) != Some(&v) {
                scope.conditions.insert(e.key_str().to_string(), v);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for e in conds {
        if let Some([one]) = e.value.as_map() {
            let _ = scope.cond_expr(one.key_str(), &one.value, diags, 1);
        }
    }
    for e in tpls
        .iter()
        .flat_map(|t| t.section("Outputs").unwrap_or(&[]))
    {
        let Some(name) = e.value.path(&["Export", "Name"]) else {
            continue;
        };
        if let Some(n) = scope.eval(name, &mut Vec::new()).as_str() {
            let how = e.value.get("Value").map_or_else(
                || format!("the value of output {}", e.key_str()),
                |v| written(v).unwrap_or_else(|| format!("the Value of output {}", e.key_str())),
            );
            scope.own_exports.insert(n.to_string(), how);
        }
    }
    tpls.iter()
        .map(|tpl| evaluate_file(tpl, &scope, env, diags))
        .collect()
}

/// One file's resources and outputs in its stack's scope.
fn evaluate_file(
    tpl: &Template,
    scope: &Scope,
    env: Option<&str>,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Resource>, BTreeMap<String, Output>) {
    reference_cycles(tpl, env, diags);
    let mut out = Vec::new();
    for e in tpl.section("Resources").unwrap_or(&[]) {
        let mut undecided = None;
        if let Some(c) = e.value.get("Condition") {
            if let Some(name) = c.as_str() {
                match scope.condition(name, c.span, diags) {
                    Some(false) => continue,
                    Some(true) => {}
                    None => {
                        undecided = Some(
                            Missing::new(
                                Fact::Condition(name.to_string()),
                                format!("condition {name} is unknown offline"),
                            )
                            .with_origin(Origin::file(Some(c.span))),
                        )
                    }
                }
            }
        }
        let props = match e.value.get("Properties") {
            Some(p) => scope.eval(p, diags),
            None => Value::new(VKind::Map(vec![]), Some(e.value.span)),
        };
        let rtype = scope
            .resources
            .get(e.key_str())
            .cloned()
            .unwrap_or_default();
        if undecided.is_none() {
            scope.check_booleans(e.key_str(), &rtype, &props, diags);
        }
        out.push(Resource {
            stack: scope.stack.clone(),
            logical: e.key_str().to_string(),
            rtype,
            props,
            origin: Origin::file(Some(e.key.span)),
            undecided,
        });
    }
    let mut outputs = BTreeMap::new();
    for e in tpl.section("Outputs").unwrap_or(&[]) {
        if let Some(v) = e.value.get("Value") {
            let value = scope.eval(v, diags);
            let export = e
                .value
                .path(&["Export", "Name"])
                .map(|n| scope.eval(n, diags));
            outputs.insert(e.key_str().to_string(), Output { value, export });
        }
    }
    (out, outputs)
}

/// Every condition a condition's expression names (`{Condition: X}`),
/// walked without recursion.
fn condition_names<'a>(n: &'a Node, out: &mut Vec<&'a str>) {
    let mut stack = vec![n];
    while let Some(x) = stack.pop() {
        if let Some(m) = x.as_map() {
            for e in m {
                match (e.key_str(), e.value.as_str()) {
                    ("Condition", Some(name)) => out.push(name),
                    _ => stack.push(&e.value),
                }
            }
        } else if let Some(items) = x.as_seq() {
            stack.extend(items.iter());
        }
    }
}

/// A `Ref` or `GetAtt` written back as its short form (`!Ref X`).
fn written(v: &Node) -> Option<String> {
    let [e] = v.as_map()? else { return None };
    match (e.key_str(), &e.value.kind) {
        ("Ref", _) => Some(format!("`!Ref {}`", e.value.as_str()?)),
        ("Fn::GetAtt", NodeKind::Seq(p)) if p.len() == 2 => {
            Some(format!("`!GetAtt {}.{}`", p[0].as_str()?, p[1].as_str()?))
        }
        _ => None,
    }
}

/// The resources a resource's body names (`Ref`, `GetAtt`, `${X}` in
/// `Sub`, `DependsOn`), among `names`.
fn resource_refs(body: &Node, names: &HashMap<&str, usize>) -> Vec<usize> {
    let mut out = Vec::new();
    let mut stack = vec![body];
    let push = |n: &str, out: &mut Vec<usize>| {
        let n = n.split('.').next().unwrap_or(n);
        if let Some(i) = names.get(n) {
            out.push(*i);
        }
    };
    while let Some(n) = stack.pop() {
        match &n.kind {
            NodeKind::Map(entries) => {
                for e in entries {
                    match (e.key_str(), &e.value.kind) {
                        ("Ref", NodeKind::Scalar(s)) => push(&s.value, &mut out),
                        ("Fn::GetAtt", NodeKind::Seq(p)) => {
                            if let Some(r) = p.first().and_then(Node::as_str) {
                                push(r, &mut out);
                            }
                        }
                        ("Fn::Sub", _) => {
                            let t = match &e.value.kind {
                                NodeKind::Scalar(s) => Some(s.value.as_str()),
                                NodeKind::Seq(p) => p.first().and_then(Node::as_str),
                                _ => None,
                            };
                            for part in t.unwrap_or("").split("${").skip(1) {
                                if let Some(name) = part.split('}').next() {
                                    if !name.starts_with('!') {
                                        push(name.trim(), &mut out);
                                    }
                                }
                            }
                            stack.push(&e.value);
                        }
                        _ => stack.push(&e.value),
                    }
                }
            }
            NodeKind::Seq(items) => stack.extend(items.iter()),
            NodeKind::Scalar(_) => {}
        }
    }
    out
}

/// Resources that depend on each other in a circle: CloudFormation
/// refuses the template (RL308). Each circle is reported once, at its
/// first resource in the file.
fn reference_cycles(tpl: &Template, env: Option<&str>, diags: &mut Vec<Diagnostic>) {
    let res = tpl.section("Resources").unwrap_or(&[]);
    let names: HashMap<&str, usize> = res
        .iter()
        .enumerate()
        .map(|(i, e)| (e.key_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = res
        .iter()
        .map(|e| {
            let mut r = Vec::new();
            if let Some(p) = e.value.get("Properties") {
                r.extend(resource_refs(p, &names));
            }
            match e.value.get("DependsOn").map(|d| &d.kind) {
                Some(NodeKind::Scalar(s)) => r.extend(names.get(s.value.as_str())),
                Some(NodeKind::Seq(items)) => {
                    r.extend(items.iter().filter_map(|i| names.get(i.as_str()?)))
                }
                _ => {}
            }
            r.sort_unstable();
            r.dedup();
            r
        })
        .collect();
    // iterative depth-first search; a back edge closes a circle
    let mut color = vec![0u8; res.len()];
    let mut reported: HashSet<Vec<usize>> = HashSet::new();
    for start in 0..res.len() {
        if color[start] != 0 {
            continue;
        }
        let mut path: Vec<(usize, usize)> = vec![(start, 0)];
        color[start] = 1;
        while let Some(&mut (node, ref mut next)) = path.last_mut() {
            if let Some(&to) = edges[node].get(*next) {
                *next += 1;
                match color[to] {
                    0 => {
                        color[to] = 1;
                        path.push((to, 0));
                    }
                    1 => {
                        let from = path.iter().position(|(n, _)| *n == to).unwrap_or(0);
                        let mut circle: Vec<usize> = path[from..].iter().map(|(n, _)| *n).collect();
                        let mut key = circle.clone();
                        key.sort_unstable();
                        if reported.insert(key) {
                            let first = circle.iter().copied().min().unwrap_or(to);
                            let at = circle.iter().position(|n| *n == first).unwrap_or(0);
                            circle.rotate_left(at);
                            let mut text: Vec<&str> =
                                circle.iter().map(|i| res[*i].key_str()).collect();
                            text.push(res[first].key_str());
                            diags.push(
                                reference_cycle::diagnostic(res[first].key.span, &text).env(env),
                            );
                        }
                    }
                    _ => {}
                }
            } else {
                color[node] = 2;
                path.pop();
            }
        }
    }
}

/// Every intrinsic function CloudFormation has (as the long form the
/// loader writes); an unknown one is RL306, a known one reachlint cannot
/// evaluate is RL305.
const KNOWN_FUNCTIONS: &[&str] = &[
    "Ref",
    "Condition",
    "Fn::Base64",
    "Fn::Cidr",
    "Fn::FindInMap",
    "Fn::ForEach",
    "Fn::GetAtt",
    "Fn::GetAZs",
    "Fn::ImportValue",
    "Fn::Join",
    "Fn::Length",
    "Fn::Select",
    "Fn::Split",
    "Fn::Sub",
    "Fn::ToJsonString",
    "Fn::Transform",
    "Fn::And",
    "Fn::Equals",
    "Fn::If",
    "Fn::Not",
    "Fn::Or",
    "Fn::GetParam",
    "Fn::EachMemberEquals",
    "Fn::EachMemberIn",
    "Fn::RefAll",
    "Fn::ValueOf",
    "Fn::ValueOfAll",
    "Fn::Contains",
];

/// The `GetAtt` attributes of resource types whose whole list is known
/// (CloudFormation's resource reference, "Return values"); other types
/// are not checked.
const ATTRIBUTES: &[(&str, &[&str])] = &[
    ("AWS::EC2::SecurityGroup", &["GroupId", "VpcId"]),
    ("AWS::SecretsManager::Secret", &["Id"]),
    (
        "AWS::RDS::DBCluster",
        &[
            "DBClusterArn",
            "DBClusterResourceId",
            "Endpoint",
            "Endpoint.Address",
            "Endpoint.Port",
            "MasterUserSecret.SecretArn",
            "ReadEndpoint",
            "ReadEndpoint.Address",
            "StorageThroughput",
        ],
    ),
    ("AWS::IAM::Role", &["Arn", "RoleId"]),
    ("AWS::SQS::Queue", &["Arn", "QueueName", "QueueUrl"]),
    ("AWS::SNS::Topic", &["TopicArn", "TopicName"]),
    ("AWS::EFS::FileSystem", &["Arn", "FileSystemId"]),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::source::FileId;
    use crate::load::yaml::{parse, Limits};

    #[test]
    fn a_conditional_export_is_judged_by_who_creates_it() {
        let c = |creators: Option<Vec<&str>>, unseen: Option<&str>| ExportCondition {
            what: "x".into(),
            creators: creators.map(|l| l.into_iter().map(String::from).collect()),
            unseen: unseen.map(String::from),
        };
        let web = vec!["web".to_string()];
        assert_eq!(
            c(Some(vec![]), None).judge(Some("web")),
            ExportJudgement::Absent
        );
        // nothing creates it: absent even when a fact is unseen
        assert_eq!(
            c(Some(vec![]), Some("d")).judge(None),
            ExportJudgement::Absent
        );
        assert_eq!(c(None, Some("d")).judge(None), ExportJudgement::Unseen("d"));
        assert_eq!(
            c(Some(vec!["web"]), None).judge(Some("web")),
            ExportJudgement::Exists
        );
        assert_eq!(
            c(Some(vec!["web"]), None).judge(Some("worker")),
            ExportJudgement::DeployOrder(&web)
        );
        assert_eq!(
            c(Some(vec!["web"]), None).judge(None),
            ExportJudgement::DeployOrder(&web)
        );
        assert_eq!(c(None, None).judge(None), ExportJudgement::Exists);
    }

    fn run(
        src: &str,
        params: &[(&str, &str)],
        exports: &[(&str, Value)],
    ) -> (Vec<Resource>, Vec<Diagnostic>) {
        let doc = parse(src, FileId(0), Limits::default()).unwrap();
        let tpl = Template { doc: &doc };
        let ex: Exports = exports
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        let p = params
            .iter()
            .map(|(k, v)| (k.to_string(), Value::str(*v, None)))
            .collect::<HashMap<_, _>>();
        let mut d = Vec::new();
        let (r, _) = evaluate_template(
            &tpl,
            EvalInput {
                params: Cow::Owned(p),
                env: Some("test"),
                export_prefix: Some(String::new()),
                ..EvalInput::alone(&StackId::Template("t".into()), &ex)
            },
            &mut d,
        );
        (r, d)
    }

    #[test]
    fn sub_import_split_select_findinmap() {
        let subnets = Value::new(
            VKind::Joined(
                ",".into(),
                vec![
                    Value::res(&StackId::Environment, "PrivateSubnet1", None),
                    Value::res(&StackId::Environment, "PrivateSubnet2", None),
                ],
            ),
            None,
        );
        let (r, d) = run(
            "Mappings:\n  M:\n    All: {Min: 2}\nResources:\n  G:\n    Type: AWS::RDS::DBSubnetGroup\n    Properties:\n      SubnetIds: !Split [',', { 'Fn::ImportValue': !Sub '${App}-${Env}-PrivateSubnets' }]\n      Min: !FindInMap [M, All, Min]\n      Az: !Select [0, !GetAZs {Ref: 'AWS::Region'}]\n      Name: !Join ['-', [a, !Ref App]]\n",
            &[("App", "app"), ("Env", "test")],
            &[("app-test-PrivateSubnets", subnets)],
        );
        assert!(d.is_empty(), "{d:?}");
        let g = &r[0];
        let ids = g.prop("SubnetIds").unwrap().as_list().unwrap();
        assert_eq!(ids[1].resource().unwrap().logical, "PrivateSubnet2");
        assert_eq!(g.prop("Min").unwrap().as_str(), Some("2"));
        assert_eq!(g.prop("Az").unwrap().kind, VKind::Az(0));
        assert_eq!(g.prop("Name").unwrap().as_str(), Some("a-app"));
    }

    #[test]
    fn missing_export_and_unresolved_ref_are_findings() {
        let (r, d) = run(
            "Resources:\n  S:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      VpcId: !ImportValue nope\n      X: !Ref Ghost\n",
            &[],
            &[],
        );
        let rules: Vec<_> = d.iter().map(|x| x.rule).collect();
        assert!(rules.contains(&RuleId::MissingExport));
        assert!(rules.contains(&RuleId::UnresolvedReference));
        assert!(r[0].prop("VpcId").unwrap().unknown_reason().is_some());
    }

    /// A chain that settles one link per pass because every link also
    /// names a cycle: the fixed point stops at its budget (RL901), and
    /// what has not settled stays unknown.
    #[test]
    fn conditions_behind_a_cycle_stop_at_their_budget() {
        let n = 1_500;
        let mut src = String::from("Conditions:\n  Loop: !Not [!Condition Loop]\n");
        for i in 0..n - 1 {
            src.push_str(&format!(
                "  C{i}: !Or [!Condition C{}, !Condition Loop]\n",
                i + 1
            ));
        }
        src.push_str(&format!(
            "  C{}: !Or [!Equals [a, a], !Condition Loop]\nResources:\n  A:\n    Type: X\n    Condition: C0\n",
            n - 1
        ));
        let (res, diags) = run(&src, &[], &[]);
        assert!(
            diags.iter().any(|d| d.rule == RuleId::InputLimit),
            "{diags:?}"
        );
        assert!(
            res.iter().all(|r| r.undecided.is_some()),
            "C0 stays unknown"
        );
    }

    #[test]
    fn conditions_gate_resources_and_if() {
        let (r, d) = run(
            "Conditions:\n  IsTest: !Equals [!Ref Env, test]\n  NotTest: !Not [!Condition IsTest]\nResources:\n  A:\n    Type: X\n    Condition: NotTest\n  B:\n    Type: X\n    Properties:\n      V: !If [IsTest, 'yes', 'no']\n",
            &[("Env", "test")],
            &[],
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].prop("V").unwrap().as_str(), Some("yes"));
    }

    #[test]
    fn a_join_known_but_for_the_region_keeps_its_shape() {
        let (r, _) = run(
            "Resources:\n  E:\n    Type: X\n    Properties:\n      ServiceName: !Join ['', ['com.amazonaws.', !Ref 'AWS::Region', '.secretsmanager']]\n      Other: !Join ['-', [a, !Ref Nope]]\n",
            &[],
            &[],
        );
        assert_eq!(
            r[0].prop("ServiceName").unwrap().kind,
            VKind::Pattern("com.amazonaws.<AWS::Region>.secretsmanager".into())
        );
        assert!(!matches!(
            r[0].prop("Other").unwrap().kind,
            VKind::Pattern(_)
        ));
    }

    #[test]
    fn yaml_booleans_are_booleans_as_cloudformation_reads_them() {
        let (r, _) = run(
            "Resources:\n  A:\n    Type: X\n    Properties:\n      T1: True\n      T2: TRUE\n      T3: yes\n      T4: on\n      F1: False\n      S: 'True'\n      N: maybe\n",
            &[],
            &[],
        );
        let b = |k: &str| r[0].prop(k).unwrap().as_bool();
        for k in ["T1", "T2", "T3", "T4", "S"] {
            assert_eq!(b(k), Some(Ok(true)), "{k}");
        }
        assert_eq!(b("F1"), Some(Ok(false)));
        assert!(matches!(b("N"), Some(Err(_))));
    }

    #[test]
    fn a_value_that_is_no_boolean_is_an_error_at_its_line() {
        let src = "Resources:\n  E:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties:\n      Egress: outbound\n  P:\n    Type: AWS::EC2::VPCEndpoint\n    Properties:\n      PrivateDnsEnabled: 'True'\n  Q:\n    Type: AWS::EC2::VPCEndpoint\n    Condition: Nowhere\n    Properties:\n      PrivateDnsEnabled: !Ref Unset\n";
        let (_, d) = run(src, &[], &[]);
        let bad: Vec<&Diagnostic> = d
            .iter()
            .filter(|x| x.rule == RuleId::InvalidValue)
            .collect();
        assert_eq!(bad.len(), 1, "{d:?}");
        assert!(
            bad[0].message.contains("`Egress` of E"),
            "{}",
            bad[0].message
        );
        match &bad[0].location {
            crate::base::diag::Location::Span(sp) => {
                assert_eq!(Some(sp.start as usize), src.find("outbound"))
            }
            other => panic!("no span: {other:?}"),
        }
    }
}
