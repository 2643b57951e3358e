//! Typed Copilot manifests: the fields that shape the network as types, the
//! rest kept as spanned YAML. Per (workload, environment) the pipeline is
//! Copilot's: interpolate `${VAR}`, merge `environments.<env>`, decode.

pub mod interpolate;
pub mod merge;
pub mod schema;

use crate::base::diag::{Diagnostic, Location};
use crate::base::rule::RuleId;
use crate::base::source::Span;
use crate::load::yaml::Node;
use crate::load::{EnvDir, WorkloadDir};

pub const RDWS: &str = "Request-Driven Web Service";
pub const WORKLOAD_TYPES: &[&str] = &[
    "Load Balanced Web Service",
    "Backend Service",
    "Worker Service",
    "Scheduled Job",
    RDWS,
    "Static Site",
];

/// Where a workload's ENIs go (`network.vpc.placement` after the merge).
#[derive(Debug, Clone, PartialEq)]
pub enum Placement {
    /// No placement: RDWS has no VPC connector; ECS types default to public.
    Absent,
    Public(Span),
    Private(Span),
    Subnets(Vec<(String, Span)>, Span),
    FromTags(Span),
}

/// How a secret reaches the workload.
#[derive(Debug, Clone, PartialEq)]
pub struct SecretRef {
    pub name: String,
    pub span: Span,
}

/// A workload manifest merged for one environment.
#[derive(Debug, Clone)]
pub struct Workload {
    pub name: String,
    pub wtype: String,
    pub manifest_span: Span,
    /// The `type:` value: where a finding about the whole workload points.
    pub type_span: Span,
    pub placement: Placement,
    /// The `network` key (or the manifest start when absent), for findings
    /// about where a network block would go.
    pub network_span: Option<Span>,
    pub port: Option<(u16, Span)>,
    pub secrets: Vec<SecretRef>,
    pub doc: Node,
}

impl Workload {
    pub fn is_rdws(&self) -> bool {
        self.wtype == RDWS
    }
}

/// The environment manifest, typed where it shapes the network.
#[derive(Debug, Clone)]
pub struct EnvManifest {
    pub name: String,
    pub span: Span,
    pub vpc_id: Option<(String, Span)>,
    pub vpc_cidr: Option<(String, Span)>,
    pub public_subnets: Vec<SubnetSpec>,
    pub private_subnets: Vec<SubnetSpec>,
    pub sg_ingress: Vec<SgRuleSpec>,
    pub sg_egress: Vec<SgRuleSpec>,
}

impl EnvManifest {
    /// An environment with the default configuration (`name` and `type`
    /// only): a Copilot-managed VPC with its default subnets.
    pub fn default_config(name: &str, span: Span) -> EnvManifest {
        EnvManifest {
            name: name.into(),
            span,
            vpc_id: None,
            vpc_cidr: None,
            public_subnets: vec![],
            private_subnets: vec![],
            sg_ingress: vec![],
            sg_egress: vec![],
        }
    }
}

#[derive(Debug, Clone)]
pub struct SubnetSpec {
    pub id: Option<String>,
    pub cidr: Option<String>,
    pub az: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct SgRuleSpec {
    pub protocol: String,
    pub ports: String,
    pub cidr: String,
    pub span: Span,
}

fn str_at(n: &Node, key: &str) -> Option<(String, Span)> {
    let v = n.get(key)?;
    v.as_str().map(|s| (s.to_string(), v.span))
}

/// Checks the file-level rules of a workload manifest once (not per env):
/// name matches the directory, type known, unknown keys, null env blocks.
pub fn lint_workload(w: &WorkloadDir, has_envs: bool, diags: &mut Vec<Diagnostic>) {
    let Some(doc) = &w.manifest.doc else { return };
    let Some(file) = w.manifest.file else { return };
    match doc.get("name") {
        Some(n) => {
            if let Some(s) = n.as_str() {
                if s != w.name {
                    diags.push(
                        Diagnostic::at(
                            RuleId::NameMismatch,
                            n.span,
                            format!(
                                "manifest name `{s}` differs from its directory `{}`",
                                w.name
                            ),
                        )
                        .help(format!("set `name: {}` or rename the directory", w.name)),
                    );
                }
            }
        }
        None => diags.push(
            Diagnostic::at(
                RuleId::MissingField,
                Span::new(file, 0, 0),
                "the manifest has no `name`",
            )
            .help(format!("add `name: {}`", w.name)),
        ),
    }
    let wtype = match doc.get("type") {
        Some(t) => match t.as_str() {
            Some(s) if WORKLOAD_TYPES.contains(&s) => s,
            Some(s) => {
                diags.push(
                    Diagnostic::at(
                        RuleId::UnknownWorkloadType,
                        t.span,
                        format!("unknown workload type `{s}`"),
                    )
                    .help(format!("use one of: {}", WORKLOAD_TYPES.join(", "))),
                );
                return;
            }
            None => return,
        },
        None => {
            diags.push(
                Diagnostic::at(
                    RuleId::MissingField,
                    Span::new(file, 0, 0),
                    "the manifest has no `type`",
                )
                .help("add the workload type, e.g. `type: Request-Driven Web Service`"),
            );
            return;
        }
    };
    if wtype != RDWS {
        return; // other types are loaded for their placement only, for now
    }
    schema::check_keys(doc, schema::rdws_body(), schema::RDWS_TOP, "", diags);
    if let Some(envs) = doc.get("environments").and_then(Node::as_map) {
        for e in envs {
            if e.value.is_null() {
                diags.push(
                    Diagnostic::at(
                        RuleId::NullEnvironmentOverride,
                        e.key.span,
                        format!("`environments.{}` is empty; Copilot crashes on an empty override block of a Request-Driven Web Service", e.key_str()),
                    )
                    .help("remove the empty block or give it at least one field"),
                );
            } else {
                schema::check_keys(
                    &e.value,
                    schema::rdws_body(),
                    &[],
                    &format!("environments.{}.", e.key_str()),
                    diags,
                );
            }
        }
    }
    check_rdws_values(doc, diags);
    if let Some(envs) = doc.get("environments").and_then(Node::as_map) {
        for e in envs {
            check_rdws_values(&e.value, diags);
        }
    }
    if !has_envs {
        check_required(doc, file, None, diags);
    }
}

/// Required fields, checked on the manifest merged for one environment (as
/// Copilot validates), or on the base when there is no environment.
pub fn check_required(
    doc: &Node,
    file: crate::base::source::FileId,
    env: Option<&str>,
    diags: &mut Vec<Diagnostic>,
) {
    let at = doc
        .entry("image")
        .map(|e| e.key.span)
        .unwrap_or(Span::new(file, 0, 0));
    let mut found = Vec::new();
    if doc.path(&["image", "port"]).is_none() {
        found.push(
            Diagnostic::at(
                RuleId::MissingField,
                at,
                "a Request-Driven Web Service needs `image.port`",
            )
            .help("add `port: <container port>` under `image`"),
        );
    }
    let img = doc.get("image");
    let has_build = img.and_then(|i| i.get("build")).is_some();
    let has_loc = img.and_then(|i| i.get("location")).is_some();
    if has_build == has_loc {
        let msg = if has_build {
            "`image.build` and `image.location` are mutually exclusive"
        } else {
            "`image` needs one of `build` or `location`"
        };
        found.push(
            Diagnostic::at(RuleId::MissingField, at, msg)
                .help("keep exactly one of `image.build` and `image.location`"),
        );
    }
    for d in found {
        let d = match env {
            Some(e) => Diagnostic {
                message: format!("{} (in environment `{e}`)", d.message),
                ..d
            }
            .env(Some(e)),
            None => d,
        };
        diags.push(d);
    }
}

fn check_rdws_values(body: &Node, diags: &mut Vec<Diagnostic>) {
    if let Some(p) = body.path(&["image", "port"]) {
        check_uint(p, "image.port", 65535, diags);
    }
    for k in ["cpu", "memory"] {
        if let Some(v) = body.get(k) {
            check_uint(v, k, u32::MAX as i64, diags);
        }
    }
    if let Some(p) = body.path(&["network", "vpc", "placement"]) {
        if let Some(s) = p.as_str() {
            if s != "private" {
                diags.push(
                    Diagnostic::at(
                        RuleId::InvalidValue,
                        p.span,
                        format!("placement \"{s}\" is not supported for Request-Driven Web Service"),
                    )
                    .help("use `placement: private`, or `placement: {subnets: [...]}`; remove `network` for App Runner's default egress"),
                );
            }
        }
    }
}

fn check_uint(v: &Node, name: &str, max: i64, diags: &mut Vec<Diagnostic>) {
    if v.is_null() {
        return;
    }
    let ok = v
        .as_scalar()
        .and_then(|s| s.as_int())
        .is_some_and(|i| (0..=max).contains(&i));
    if !ok {
        let shown = v.as_str().unwrap_or(v.kind_name());
        diags.push(
            Diagnostic::at(
                RuleId::InvalidValue,
                v.span,
                format!("`{name}` must be an unquoted integer between 0 and {max}, not `{shown}`"),
            )
            .help(format!("write `{name}: <number>` without quotes")),
        );
    }
}

/// Renders a workload manifest for one environment: interpolation, override
/// merge, decoding of the network-shaping fields.
pub fn workload_for_env(
    w: &WorkloadDir,
    app: &str,
    env: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Option<(Workload, Vec<interpolate::Undefined>)> {
    let raw = w.manifest.doc.as_ref()?;
    let wtype = raw.get("type")?.as_str()?.to_string();
    if !WORKLOAD_TYPES.contains(&wtype.as_str()) {
        return None;
    }
    let vars = interpolate::Vars { app, env, lookup };
    let (doc, undefined) = interpolate::interpolate(raw, &vars);
    let merged = match doc.path(&["environments", env]) {
        Some(over) if !over.is_null() => merge::apply_env(&doc, over),
        _ => doc.clone(),
    };
    let placement = decode_placement(&merged);
    let network_span = merged.entry("network").map(|e| e.key.span);
    let port = merged.path(&["image", "port"]).and_then(|p| {
        let i = p.as_scalar()?.as_int()?;
        u16::try_from(i).ok().map(|v| (v, p.span))
    });
    let mut secrets = Vec::new();
    if let Some(m) = merged.get("secrets").and_then(Node::as_map) {
        for e in m {
            secrets.push(SecretRef {
                name: e.key_str().to_string(),
                span: e.key.span,
            });
        }
    }
    Some((
        Workload {
            name: raw
                .get("name")
                .and_then(Node::as_str)
                .unwrap_or(&w.name)
                .to_string(),
            wtype,
            manifest_span: raw.span,
            type_span: raw.get("type").map(|t| t.span).unwrap_or(raw.span),
            placement,
            network_span,
            port,
            secrets,
            doc: merged,
        },
        undefined,
    ))
}

fn decode_placement(doc: &Node) -> Placement {
    let Some(p) = doc.path(&["network", "vpc", "placement"]) else {
        return Placement::Absent;
    };
    if let Some(s) = p.as_str() {
        return match s {
            "private" => Placement::Private(p.span),
            "public" => Placement::Public(p.span),
            _ => Placement::Absent,
        };
    }
    if let Some(subnets) = p.get("subnets") {
        if let Some(list) = subnets.as_seq() {
            let ids = list
                .iter()
                .filter_map(|n| n.as_str().map(|s| (s.to_string(), n.span)))
                .collect();
            return Placement::Subnets(ids, subnets.span);
        }
        if subnets.get("from_tags").is_some() {
            return Placement::FromTags(subnets.span);
        }
    }
    Placement::Absent
}

/// Decodes an environment manifest.
pub fn env_manifest(e: &EnvDir, diags: &mut Vec<Diagnostic>) -> Option<EnvManifest> {
    let doc = e.manifest.doc.as_ref()?;
    let file = e.manifest.file?;
    schema::check_keys(doc, schema::env_top(), &[], "", diags);
    match doc.get("name").and_then(Node::as_str) {
        Some(n) if n != e.name => diags.push(
            Diagnostic::at(
                RuleId::NameMismatch,
                doc.get("name").map(|n| n.span).unwrap_or(doc.span),
                format!(
                    "environment manifest name `{n}` differs from its directory `{}`",
                    e.name
                ),
            )
            .help(format!("set `name: {}`", e.name)),
        ),
        None => diags.push(
            Diagnostic::at(
                RuleId::MissingField,
                Span::new(file, 0, 0),
                "the environment manifest has no `name`",
            )
            .help(format!("add `name: {}`", e.name)),
        ),
        _ => {}
    }
    match doc.get("type") {
        Some(t) if t.as_str() == Some("Environment") => {}
        Some(t) => diags.push(
            Diagnostic::at(
                RuleId::InvalidValue,
                t.span,
                "an environment manifest must have `type: Environment`",
            )
            .help("set `type: Environment`"),
        ),
        None => diags.push(
            Diagnostic::at(
                RuleId::MissingField,
                Span::new(file, 0, 0),
                "the environment manifest has no `type`",
            )
            .help("add `type: Environment`"),
        ),
    }
    let vpc = doc.path(&["network", "vpc"]);
    let subnets = |kind: &str| -> Vec<SubnetSpec> {
        vpc.and_then(|v| v.path(&["subnets", kind]))
            .and_then(Node::as_seq)
            .map(|l| {
                l.iter()
                    .map(|s| SubnetSpec {
                        id: str_at(s, "id").map(|x| x.0),
                        cidr: str_at(s, "cidr").map(|x| x.0),
                        az: str_at(s, "az").map(|x| x.0),
                        span: s.span,
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let rules = |kind: &str| -> Vec<SgRuleSpec> {
        vpc.and_then(|v| v.path(&["security_group", kind]))
            .and_then(Node::as_seq)
            .map(|l| {
                l.iter()
                    .map(|r| SgRuleSpec {
                        protocol: str_at(r, "ip_protocol").map(|x| x.0).unwrap_or_default(),
                        ports: str_at(r, "ports").map(|x| x.0).unwrap_or_default(),
                        cidr: str_at(r, "cidr").map(|x| x.0).unwrap_or_default(),
                        span: r.span,
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    Some(EnvManifest {
        name: e.name.clone(),
        span: doc.entry("name").map(|n| n.key.span).unwrap_or(doc.span),
        vpc_id: vpc.and_then(|v| str_at(v, "id")),
        vpc_cidr: vpc.and_then(|v| str_at(v, "cidr")),
        public_subnets: subnets("public"),
        private_subnets: subnets("private"),
        sg_ingress: rules("ingress"),
        sg_egress: rules("egress"),
    })
}

/// Reports undefined variables once per span.
/// The finding has no `env`: an undefined variable fails the deployment
/// to every environment.
pub fn undefined_diags(undefined: &[interpolate::Undefined], diags: &mut Vec<Diagnostic>) {
    for u in undefined {
        let dup = diags
            .iter()
            .any(|d| d.rule == RuleId::UndefinedVariable && d.location == Location::Span(u.span));
        if dup {
            continue;
        }
        diags.push(
            Diagnostic::at(
                RuleId::UndefinedVariable,
                u.span,
                format!("environment variable `{}` is not defined; Copilot fails every deployment of this manifest", u.name),
            )
            .help(format!("export {} before deploying, or escape it as \\${{{}}}", u.name, u.name)),
        );
    }
}
