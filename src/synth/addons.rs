//! Workload addons: the nested `AddonsStack`. Copilot passes App, Env and
//! Name, pastes `addons.parameters.yml` (evaluated in the workload stack),
//! and classifies outputs (secrets, managed policies, security groups).

use std::collections::HashMap;

use crate::base::diag::Diagnostic;
use crate::base::unknown::{Fact, Missing};
use crate::cfn::{evaluate_stack, EvalInput, Exports, Resource, Scope, StackId, Template, Value};
use crate::load::yaml::Node;
use crate::load::AddonsDir;
use crate::rules::cfn::{
    addon_parameter_without_value, undeclared_addon_parameter, unresolved_reference,
};
use crate::rules::copilot::addon_parameter_missing_resource;
use crate::rules::schema::missing_field::{self, Missing as Required};

/// An addon output Copilot injects as a Secrets Manager secret.
#[derive(Debug, Clone)]
pub struct SecretOutput {
    pub output: String,
    pub secret: String,
    pub env_var: String,
    pub span: Option<crate::base::source::Span>,
}

#[derive(Debug, Default)]
pub struct AddonsResult {
    pub resources: Vec<Resource>,
    pub secret_outputs: Vec<SecretOutput>,
    pub managed_policies: Vec<String>,
    /// Outputs with an `Export: Name` (environment addons feed `from_cfn`
    /// and `Fn::ImportValue` this way).
    pub exports: Vec<(String, Value)>,
    /// Security-group outputs (`!Ref` of a group): ECS attaches them to the
    /// tasks (spec 5.2, rule 3).
    pub sg_outputs: Vec<Value>,
    /// Outputs that hand over one of the addons' security groups with
    /// `!GetAtt X.GroupId`, which Copilot does not attach: (output, group,
    /// where the value is written).
    pub unattached_sg_outputs: Vec<(String, String, Option<crate::base::source::Span>)>,
    /// Every output, evaluated: Copilot hands each to the workload as an
    /// environment variable, so an output is evidence of what it uses.
    pub outputs: Vec<(String, Value)>,
}

impl AddonsInput<'_> {
    fn owner_stack(&self) -> StackId {
        match self.workload {
            Some(w) => StackId::Workload(w.to_string()),
            None => StackId::Environment,
        }
    }
    fn addons_dir(&self) -> String {
        match self.workload {
            Some(w) => format!("copilot/{w}/addons"),
            None => "copilot/environments/addons".to_string(),
        }
    }
    fn reserved(&self) -> &'static [&'static str] {
        match self.workload {
            Some(_) => &["App", "Env", "Name"],
            None => &["App", "Env"],
        }
    }
}

pub struct AddonsInput<'a> {
    pub app: &'a str,
    pub env: &'a str,
    /// The workload whose addons these are; None for environment addons.
    pub workload: Option<&'a str>,
    /// Resources of the stack that owns the addons (workload or
    /// environment stack): `addons.parameters.yml` may refer to them.
    pub workload_resources: &'a [Resource],
    pub exports: &'a Exports,
    pub region: Option<&'a str>,
    /// The environment's exports are all known (false when its manifest is
    /// missing: an import of `<app>-<env>-X` is then unknown, not RL304).
    pub exports_complete: bool,
    /// Export-name prefixes of stacks an override may change, with the
    /// override's file (a missing export there is a note).
    pub unseen: &'a [(String, std::path::PathBuf)],
    /// Exports that exist only under a condition (load balancers, NAT
    /// route tables, other workloads' stacks).
    pub conditional: &'a crate::cfn::ConditionalExports,
}

impl AddonsInput<'_> {
    /// Imports of names with this prefix must exist (RL304).
    fn export_prefix(&self) -> Option<String> {
        self.exports_complete
            .then(|| crate::manifest::CopilotStack::environment(self.app, self.env).export_prefix())
    }
}

/// Copilot's toSnakeCase for output names.
pub fn to_snake_case(s: &str) -> String {
    let pass = |s: &str, second: bool| -> String {
        let c: Vec<char> = s.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        while i < c.len() {
            out.push(c[i]);
            let split = if second {
                (c[i].is_ascii_uppercase() || c[i].is_ascii_digit())
                    && c.get(i + 1).is_some_and(|x| x.is_ascii_uppercase())
                    && c.get(i + 2).is_some_and(|x| x.is_ascii_lowercase())
            } else {
                (c[i].is_ascii_lowercase() || c[i].is_ascii_digit())
                    && c.get(i + 1).is_some_and(|x| x.is_ascii_uppercase())
            };
            if split {
                out.push('_');
                out.push(c[i + 1]);
                i += 2;
                continue;
            }
            i += 1;
        }
        out
    };
    pass(&pass(s, false), true).to_uppercase()
}

/// The values `addons.parameters.yml` gives the addon stack's parameters,
/// evaluated in the stack that owns the addons (whose own parameters it
/// may name); a reserved or undeclared name is RL303's.
fn supplied_parameters(
    dir: &AddonsDir,
    input: &AddonsInput,
    declared: &[(&crate::load::yaml::Entry, crate::base::source::FileId)],
    diags: &mut Vec<Diagnostic>,
) -> HashMap<String, Value> {
    let env = Some(input.env);
    let mut supplied: HashMap<String, Value> = HashMap::new();
    if let Some(pf) = &dir.parameters {
        if let Some(doc) = &pf.doc {
            let wl_resources: HashMap<String, String> = input
                .workload_resources
                .iter()
                .map(|r| (r.logical.clone(), r.rtype.clone()))
                .collect();
            let wstack = input.owner_stack();
            // The parameters file is pasted into the parent stack, whose
            // own parameters it may name (the rendered stacks in Copilot's
            // test data): AppName, EnvName, WorkloadName for a workload;
            // AppName, EnvironmentName for an environment.
            let mut parent = HashMap::new();
            parent.insert("AppName".to_string(), Value::str(input.app, None));
            match input.workload {
                Some(w) => {
                    parent.insert("EnvName".to_string(), Value::str(input.env, None));
                    parent.insert("WorkloadName".to_string(), Value::str(w, None));
                }
                None => {
                    parent.insert("EnvironmentName".to_string(), Value::str(input.env, None));
                }
            }
            let scope = Scope {
                stack: &wstack,
                params: std::borrow::Cow::Owned(parent),
                resources: std::borrow::Cow::Owned(wl_resources),
                mappings: None,
                conditions: HashMap::new(),
                exports: input.exports,
                region: input.region,
                env,
                export_prefix: input.export_prefix(),
                own_exports: HashMap::new(),
                unseen_exports: input.unseen,
                conditional_exports: input.conditional,
            };
            match doc.get("Parameters").and_then(Node::as_map) {
                Some(entries) => {
                    for e in entries {
                        let k = e.key_str();
                        if input.reserved().contains(&k) {
                            diags.push(undeclared_addon_parameter::reserved(e.key.span, k));
                            continue;
                        }
                        if !declared.iter().any(|(d, _)| d.key_str() == k) {
                            diags.push(undeclared_addon_parameter::undeclared(
                                e.key.span,
                                k,
                                &input.addons_dir(),
                            ));
                            continue;
                        }
                        let mut local = Vec::new();
                        let v = scope.eval(&e.value, &mut local);
                        for d in local {
                            if let Some(missing) = unresolved_reference::name_of(&d) {
                                let parent = match (missing, input.workload) {
                                    ("App", _) => Some("AppName"),
                                    ("Env", Some(_)) => Some("EnvName"),
                                    ("Env", None) => Some("EnvironmentName"),
                                    ("Name", _) => Some("WorkloadName"),
                                    _ => None,
                                };
                                let nd = addon_parameter_missing_resource::diagnostic(
                                    d.location.clone(),
                                    k,
                                    missing,
                                    input.workload,
                                    input.env,
                                    parent,
                                );
                                push_unique(diags, nd);
                            } else {
                                push_unique(diags, d);
                            }
                        }
                        supplied.insert(k.to_string(), v);
                    }
                }
                None => {
                    if let Some(f) = pf.file {
                        diags.push(missing_field::diagnostic(
                            crate::base::source::Span::new(f, 0, 0),
                            Required::AddonParameters,
                            None,
                        ));
                    }
                }
            }
        }
    }
    supplied
}

pub fn evaluate(dir: &AddonsDir, input: &AddonsInput, diags: &mut Vec<Diagnostic>) -> AddonsResult {
    let mut result = AddonsResult::default();
    let templates: Vec<(&Node, crate::base::source::FileId)> = dir
        .templates
        .iter()
        .filter_map(|t| Some((t.doc.as_ref()?, t.file?)))
        .collect();
    if templates.is_empty() {
        return result;
    }
    let stack = match input.workload {
        Some(w) => StackId::WorkloadAddons(w.to_string()),
        None => StackId::EnvironmentAddons,
    };

    // Declared parameters across the merged templates.
    let mut declared: Vec<(&crate::load::yaml::Entry, crate::base::source::FileId)> = Vec::new();
    for (doc, f) in &templates {
        for e in doc.get("Parameters").and_then(Node::as_map).unwrap_or(&[]) {
            if !declared.iter().any(|(d, _)| d.key_str() == e.key_str()) {
                declared.push((e, *f));
            }
        }
    }

    let mut supplied = supplied_parameters(dir, input, &declared, diags);

    // Parameter values for the addon stack.
    let mut params: HashMap<String, Value> = HashMap::new();
    params.insert("App".into(), Value::str(input.app, None));
    params.insert("Env".into(), Value::str(input.env, None));
    if let Some(w) = input.workload {
        params.insert("Name".into(), Value::str(w, None));
    }
    for (e, _) in &declared {
        let k = e.key_str();
        if input.reserved().contains(&k) {
            continue;
        }
        if let Some(v) = supplied.remove(k) {
            params.insert(k.into(), v);
        } else if let Some(d) = e.value.get("Default") {
            let v = match d.as_str() {
                Some(s) => Value::str(s, Some(d.span)),
                None => Value::unknown(format!("default of {k}"), Some(d.span)),
            };
            params.insert(k.into(), v);
        } else {
            push_unique(
                diags,
                addon_parameter_without_value::diagnostic(
                    e.key.span,
                    k,
                    input.workload,
                    input.env,
                    &input.addons_dir(),
                ),
            );
            params.insert(
                k.into(),
                Value::missing(
                    Missing::new(
                        Fact::Parameter(k.to_string()),
                        format!("addon parameter {k} has no value"),
                    ),
                    Some(e.key.span),
                ),
            );
        }
    }
    // Evaluate every template file as part of one merged stack: a file may
    // refer to resources of another.
    let merged_doc = merged_resources_doc(&templates);
    let merged_conditions = merged_section(&templates, "Conditions");
    let merged_mappings = merged_section(&templates, "Mappings");
    let tpls: Vec<Template> = templates.iter().map(|(doc, _)| Template { doc }).collect();
    let mut local = Vec::new();
    let evaluated = evaluate_stack(
        &tpls,
        EvalInput {
            stack: &stack,
            params: std::borrow::Cow::Borrowed(&params),
            exports: input.exports,
            region: input.region,
            env: Some(input.env),
            export_prefix: input.export_prefix(),
            unseen_exports: input.unseen,
            conditional_exports: input.conditional,
            sibling_resources: std::borrow::Cow::Borrowed(&merged_doc),
            merged_conditions: Some(&merged_conditions),
            merged_mappings: Some(&merged_mappings),
        },
        &mut local,
    );
    for d in local {
        push_unique(diags, d);
    }
    for (res, outputs) in evaluated {
        // Output classification: only `Ref` of a resource in the merged set.
        for (name, out) in &outputs {
            if let Some(ex) = out.export.as_ref().and_then(|e| e.as_str()) {
                result.exports.push((ex.to_string(), out.value.clone()));
            }
            result.outputs.push((name.clone(), out.value.clone()));
            let v = &out.value;
            if let crate::cfn::VKind::Attr(rr, attr) = &v.kind {
                if attr == "GroupId"
                    && merged_doc.get(&rr.logical).map(String::as_str)
                        == Some("AWS::EC2::SecurityGroup")
                {
                    result
                        .unattached_sg_outputs
                        .push((name.clone(), rr.logical.clone(), v.span));
                }
            }
            if let Some(rr) = v
                .resource()
                .filter(|_| matches!(v.kind, crate::cfn::VKind::Res(_)))
            {
                match merged_doc.get(&rr.logical).map(String::as_str) {
                    Some("AWS::SecretsManager::Secret") => {
                        result.secret_outputs.push(SecretOutput {
                            output: name.clone(),
                            secret: rr.logical.clone(),
                            env_var: to_snake_case(name),
                            span: v.span,
                        })
                    }
                    Some("AWS::IAM::ManagedPolicy") => {
                        result.managed_policies.push(rr.logical.clone())
                    }
                    Some("AWS::EC2::SecurityGroup") => result.sg_outputs.push(v.clone()),
                    _ => {}
                }
            }
        }
        result.resources.extend(res);
    }
    result
}

fn push_unique(diags: &mut Vec<Diagnostic>, d: Diagnostic) {
    if !diags
        .iter()
        .any(|x| x.rule == d.rule && x.location == d.location && x.message == d.message)
    {
        diags.push(d);
    }
}

/// One section of every template file, merged (the first file declaring a
/// key wins; Copilot rejects two different values for one key).
fn merged_section(t: &[(&Node, crate::base::source::FileId)], name: &str) -> Node {
    let mut entries: Vec<crate::load::yaml::Entry> = Vec::new();
    let mut span = None;
    for (doc, _) in t {
        if let Some(sec) = doc.get(name) {
            span.get_or_insert(sec.span);
            for e in sec.as_map().unwrap_or(&[]) {
                if !entries.iter().any(|x| x.key_str() == e.key_str()) {
                    entries.push(e.clone());
                }
            }
        }
    }
    Node {
        span: span.unwrap_or(t[0].0.span),
        kind: crate::load::yaml::NodeKind::Map(entries),
    }
}

fn merged_resources_doc(t: &[(&Node, crate::base::source::FileId)]) -> HashMap<String, String> {
    let mut m = HashMap::new();
    for (doc, _) in t {
        for e in doc.get("Resources").and_then(Node::as_map).unwrap_or(&[]) {
            let ty = e
                .value
                .get("Type")
                .and_then(Node::as_str)
                .unwrap_or("")
                .to_string();
            m.insert(e.key_str().to_string(), ty);
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_matches_copilot_vectors() {
        for (i, o) in [
            (
                "AdditionalResourcesPolicyArn",
                "ADDITIONAL_RESOURCES_POLICY_ARN",
            ),
            ("myddbtable", "MYDDBTABLE"),
            ("myDDBTable", "MY_DDB_TABLE"),
            ("my2ndDDBTable", "MY2ND_DDB_TABLE"),
            ("myTableWithLSI", "MY_TABLE_WITH_LSI"),
            ("demoDbSecret", "DEMO_DB_SECRET"),
            ("db2Secret", "DB2_SECRET"),
            ("ABCDef", "ABC_DEF"),
        ] {
            assert_eq!(to_snake_case(i), o, "{i}");
        }
    }
}
