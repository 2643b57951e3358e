//! Typed Copilot manifests: the fields that shape the network as types, the
//! rest kept as spanned YAML. Per (workload, environment) the pipeline is
//! Copilot's: interpolate `${VAR}`, merge `environments.<env>`, decode.

pub mod interpolate;
pub mod merge;
pub mod schema;
pub mod stack;

pub use stack::CopilotStack;

use crate::base::diag::{Diagnostic, Location};
use crate::base::rule::RuleId;
use crate::base::source::Span;
use crate::load::yaml::Node;
use crate::load::{EnvDir, WorkloadDir};
use crate::rules::copilot::{null_environment_override, undefined_variable, unknown_workload_type};
use crate::rules::schema::invalid_value::{self, Invalid};
use crate::rules::schema::missing_field::{self, Missing};
use crate::rules::schema::name_mismatch;

/// A Copilot workload type: what decides its stack, its fields and its
/// network. Parsed once from `type:`; everything that dispatches on the
/// type matches on this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WorkloadType {
    LoadBalancedWebService,
    BackendService,
    WorkerService,
    ScheduledJob,
    RequestDrivenWebService,
    StaticSite,
}

impl WorkloadType {
    pub const ALL: [WorkloadType; 6] = [
        WorkloadType::LoadBalancedWebService,
        WorkloadType::BackendService,
        WorkloadType::WorkerService,
        WorkloadType::ScheduledJob,
        WorkloadType::RequestDrivenWebService,
        WorkloadType::StaticSite,
    ];

    /// The name a manifest's `type:` gives it.
    pub fn name(self) -> &'static str {
        match self {
            WorkloadType::LoadBalancedWebService => "Load Balanced Web Service",
            WorkloadType::BackendService => "Backend Service",
            WorkloadType::WorkerService => "Worker Service",
            WorkloadType::ScheduledJob => "Scheduled Job",
            WorkloadType::RequestDrivenWebService => "Request-Driven Web Service",
            WorkloadType::StaticSite => "Static Site",
        }
    }

    /// The type a `type:` names, exactly as Copilot spells it.
    pub fn parse(s: &str) -> Option<WorkloadType> {
        WorkloadType::ALL.into_iter().find(|t| t.name() == s)
    }

    /// Every type's name (for "did you mean").
    pub fn names() -> [&'static str; 6] {
        WorkloadType::ALL.map(WorkloadType::name)
    }
}

impl std::fmt::Display for WorkloadType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

pub const RDWS: WorkloadType = WorkloadType::RequestDrivenWebService;
pub const LBWS: WorkloadType = WorkloadType::LoadBalancedWebService;
pub const BACKEND: WorkloadType = WorkloadType::BackendService;
pub const WORKER: WorkloadType = WorkloadType::WorkerService;
pub const JOB: WorkloadType = WorkloadType::ScheduledJob;
pub const STATIC_SITE: WorkloadType = WorkloadType::StaticSite;

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
    pub source: SecretSource,
}

/// Where a secret's value is read from when the task starts.
#[derive(Debug, Clone, PartialEq)]
pub enum SecretSource {
    /// An SSM parameter (a name or an SSM ARN).
    Ssm,
    /// A Secrets Manager secret (an ARN, or `secretsmanager: <name>`).
    SecretsManager,
    /// `from_cfn: <export>`: whatever the export names.
    FromCfn(String),
    /// Something else (a value reachlint does not read).
    Other,
}

/// A security group the manifest attaches (`network.vpc.security_groups`).
#[derive(Debug, Clone, PartialEq)]
pub enum SgSpec {
    Id(String, Span),
    FromCfn(String, Span),
}

/// `network.vpc.security_groups` after the merge.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SecurityGroups {
    /// `deny_default: true`, where: no environment security group
    /// (services only).
    pub deny_default: Option<Span>,
    pub groups: Vec<SgSpec>,
}

/// An EFS volume of the task (`storage.volumes.<name>.efs`).
#[derive(Debug, Clone, PartialEq)]
pub enum EfsVolume {
    /// `efs: true` or `{uid, gid}`: the environment's managed file system.
    Managed(String, Span),
    /// `efs: {id: fs-...}`: a file system outside the workspace.
    Id(String, String, Span),
    /// `efs: {id: {from_cfn: X}}`: whatever the export names.
    FromCfn(String, String, Span),
}

/// Where the main container's image comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum ImageSource {
    /// `image.build`: Copilot builds and pushes it to the app's ECR.
    Build(Span),
    /// `image.location` in a private ECR registry.
    PrivateEcr(Span),
    /// Any other registry (ECR Public, Docker Hub, ghcr.io, ...).
    Public(Span),
    /// Not in the manifest.
    Unknown,
}

/// A workload manifest merged for one environment.
#[derive(Debug, Clone)]
pub struct Workload {
    pub name: String,
    pub wtype: WorkloadType,
    pub manifest_span: Span,
    /// The `type:` value: where a finding about the whole workload points.
    pub type_span: Span,
    pub placement: Placement,
    /// The `network` key (or the manifest start when absent), for findings
    /// about where a network block would go.
    pub network_span: Option<Span>,
    pub port: Option<(u16, Span)>,
    pub secrets: Vec<SecretRef>,
    pub security_groups: SecurityGroups,
    pub image: ImageSource,
    /// `image.credentials` (a Secrets Manager secret read at task start).
    pub image_credentials: Option<Span>,
    /// `platform` names a Windows family.
    pub windows: bool,
    /// `logging` (FireLens) instead of the default awslogs driver.
    pub firelens: Option<Span>,
    pub env_file: Option<Span>,
    /// `publish.topics` (the service publishes to SNS).
    pub publish: Option<Span>,
    /// Every `from_cfn` export the manifest names, wherever (also under a
    /// key Copilot ignores): evidence of what the workload uses.
    pub references: Vec<(String, Span)>,
    pub efs: Vec<EfsVolume>,
    pub doc: Node,
}

/// One routing rule of a service behind an application load balancer
/// (`http`, or one of `http.additional_rules`): the port its target group
/// sends requests to, and a health-check port of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlbRule {
    pub target_port: (u16, Span),
    pub health_port: Option<(u16, Span)>,
}

/// One listener of a Load Balanced Web Service's network load balancer
/// (`nlb`, or one of `nlb.additional_listeners`): the port and protocol it
/// listens on, the port its target group sends to, and a health-check port
/// of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NlbListener {
    pub port: (u16, Span),
    /// `tcp`, `udp` or `tls` (TLS is terminated at the load balancer and
    /// forwarded as TCP).
    pub protocol: String,
    pub target_port: (u16, Span),
    /// Whether the target port is the listener's own (neither
    /// `target_port` nor a sidecar's `target_container` sets it).
    pub forwards_to_own_port: bool,
    pub health_port: Option<(u16, Span)>,
}

/// A port written as `N` or `N/<protocol>`.
fn port_node_of(n: &Node) -> Option<(u16, Span)> {
    let s = n.as_str()?;
    let p = s.split('/').next()?.trim().parse::<u16>().ok()?;
    (p > 0).then_some((p, n.span))
}

/// `network.connect` turned on (Copilot's `ServiceConnectBoolOrArgs.Enabled`:
/// `true`, or a map with an alias): the service is a Service Connect client,
/// and a server under its alias (else its name) when it exposes a port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceConnect {
    pub span: Span,
    pub alias: Option<(String, Span)>,
}

impl Workload {
    pub fn is_rdws(&self) -> bool {
        self.wtype == RDWS
    }

    /// `network.connect`, when it turns Service Connect on.
    pub fn service_connect(&self) -> Option<ServiceConnect> {
        let c = self.doc.path(&["network", "connect"])?;
        if c.as_bool() == Some(true) {
            return Some(ServiceConnect {
                span: c.span,
                alias: None,
            });
        }
        let alias = c.get("alias")?;
        Some(ServiceConnect {
            span: c.span,
            alias: alias.as_str().map(|a| (a.to_string(), alias.span)),
        })
    }

    /// The port other services reach the tasks on, by Service Connect or
    /// service discovery: Copilot's `TargetPort` (`ServiceConnectTarget`,
    /// `ServiceRegistries`), the main routing rule's target port when the
    /// service is behind a load balancer, else `image.port`. Only Load
    /// Balanced Web and Backend Services register one.
    pub fn exposed_port(&self) -> Option<(u16, Span)> {
        if self.wtype != LBWS && self.wtype != BACKEND {
            return None;
        }
        self.alb_rules()
            .first()
            .map(|r| r.target_port)
            .or(self.port)
    }

    /// Every plain-text variable of the task: `variables` and each
    /// sidecar's (name, value, where the value is).
    pub fn variable_values(&self) -> Vec<(String, String, Span)> {
        let of = |m: Option<&Node>| -> Vec<(String, String, Span)> {
            m.and_then(Node::as_map)
                .unwrap_or(&[])
                .iter()
                .filter_map(|e| {
                    let v = e.value.as_str()?;
                    Some((e.key_str().to_string(), v.to_string(), e.value.span))
                })
                .collect()
        };
        let mut out = of(self.doc.get("variables"));
        for sc in self
            .doc
            .get("sidecars")
            .and_then(Node::as_map)
            .unwrap_or(&[])
        {
            out.extend(of(sc.value.get("variables")));
        }
        out
    }

    /// The listeners of the service's own network load balancer (Copilot's
    /// `NetworkLoadBalancerListener.Target`): the target port is
    /// `target_port`, else the port a sidecar named by `target_container`
    /// exposes, else the listener's own port. A listener whose ports the
    /// files do not give is left out.
    pub fn nlb_listeners(&self) -> Vec<NlbListener> {
        if self.wtype != LBWS {
            return vec![];
        }
        let Some(nlb) = self.doc.get("nlb").filter(|n| n.as_map().is_some()) else {
            return vec![];
        };
        let extra = nlb
            .get("additional_listeners")
            .and_then(Node::as_seq)
            .unwrap_or(&[]);
        std::iter::once(nlb)
            .chain(extra.iter())
            .filter_map(|l| {
                let port_node = l.get("port")?;
                let port = port_node_of(port_node)?;
                let protocol = port_node
                    .as_str()?
                    .split_once('/')
                    .map_or("tcp", |(_, p)| p)
                    .trim()
                    .to_ascii_lowercase();
                let (target_port, forwards_to_own_port) =
                    match (l.get("target_port"), l.get("target_container")) {
                        (Some(p), _) => (port_node_of(p)?, false),
                        (None, Some(c)) if c.as_str() != Some(self.name.as_str()) => {
                            let c = c.as_str()?;
                            (
                                port_node_of(self.doc.path(&["sidecars", c, "port"])?)?,
                                false,
                            )
                        }
                        _ => (port, true),
                    };
                let health_port = l
                    .path(&["healthcheck", "port"])
                    .and_then(port_node_of)
                    .filter(|(p, _)| *p != target_port.0);
                Some(NlbListener {
                    port,
                    protocol,
                    target_port,
                    forwards_to_own_port,
                    health_port,
                })
            })
            .collect()
    }

    /// The routing rules of the environment's load balancer that forward
    /// to this service (Copilot's `RoutingRule.Target`): `target_port`,
    /// else the port a sidecar named by `target_container` exposes, else
    /// `image.port`. A rule whose port the files do not give is left out.
    pub fn alb_rules(&self) -> Vec<AlbRule> {
        if !(self.creates_public_alb() || self.creates_internal_alb()) {
            return vec![];
        }
        // `http: true` or no `http`: Copilot renders no listener rule
        // (`convertALBListener` returns none for an empty `http`)
        let Some(http) = self
            .doc
            .get("http")
            .filter(|h| h.as_map().is_some_and(|m| !m.is_empty()))
        else {
            return vec![];
        };
        let extra = http
            .get("additional_rules")
            .and_then(Node::as_seq)
            .unwrap_or(&[]);
        std::iter::once(http)
            .chain(extra.iter())
            .filter_map(|rule| {
                let target_port = match (rule.get("target_port"), rule.get("target_container")) {
                    (Some(p), _) => port_node_of(p)?,
                    (None, Some(c)) if c.as_str() != Some(self.name.as_str()) => {
                        let c = c.as_str()?;
                        port_node_of(self.doc.path(&["sidecars", c, "port"])?)?
                    }
                    _ => self.port?,
                };
                let health_port = rule
                    .path(&["healthcheck", "port"])
                    .and_then(port_node_of)
                    .filter(|(p, _)| *p != target_port.0);
                Some(AlbRule {
                    target_port,
                    health_port,
                })
            })
            .collect()
    }

    /// Copilot's environment controller adds the workload to the
    /// environment's `ALBWorkloads`, which creates the public load
    /// balancer: a Load Balanced Web Service whose `http` is not `false`
    /// and imports no load balancer (`http.alb`).
    pub fn creates_public_alb(&self) -> bool {
        self.wtype == LBWS
            && self
                .doc
                .get("http")
                .is_none_or(|h| h.as_bool() != Some(false) && h.get("alb").is_none())
    }

    /// `InternalALBWorkloads`, which creates the internal load balancer: a
    /// Backend Service with a non-empty `http`.
    pub fn creates_internal_alb(&self) -> bool {
        self.wtype == BACKEND
            && self
                .doc
                .get("http")
                .and_then(Node::as_map)
                .is_some_and(|m| !m.is_empty())
    }

    /// `AppRunnerPrivateWorkloads`, which creates the environment's App
    /// Runner VPC endpoint: a private Request-Driven Web Service that names
    /// no endpoint of its own.
    pub fn creates_apprunner_endpoint(&self) -> bool {
        self.is_rdws()
            && self.doc.path(&["http", "private"]).is_some_and(|p| {
                p.as_bool() == Some(true) || (p.as_map().is_some() && p.get("endpoint").is_none())
            })
    }
}

/// The environment manifest, typed where it shapes the network.
/// `http.public.ingress` of an environment (Copilot's
/// `RestrictiveIngress`): restricted to CloudFront's origin-facing prefix
/// list, to source blocks, or (neither) open to any address.
#[derive(Debug, Clone, Default)]
pub struct PublicIngress {
    pub cdn: Option<Span>,
    pub source_ips: Vec<(String, Span)>,
}

impl PublicIngress {
    pub fn restricted(&self) -> bool {
        self.cdn.is_some() || !self.source_ips.is_empty()
    }
}

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
    /// `http.public.certificates` / `http.private.certificates` name
    /// certificates: Copilot adds an HTTPS listener to the load balancer.
    pub public_certs: bool,
    pub private_certs: bool,
    /// `cdn` is on: Copilot adds a CloudFront distribution.
    pub cdn: bool,
    /// `http.public.ingress`: who the public load balancer admits.
    pub public_ingress: PublicIngress,
    /// `http.private.ingress.vpc: true` (or the deprecated
    /// `security_groups.ingress.from_vpc`): the internal load balancer
    /// admits tcp/80 and tcp/443 from any address.
    pub private_vpc_ingress: Option<Span>,
    /// The environment is named only by workloads' `environments:` blocks:
    /// its manifest, and so its whole network, is unknown.
    pub missing: Option<crate::base::unknown::Missing>,
    /// The environment has no manifest and is checked against the one
    /// `copilot env init --default-config` creates: what is assumed.
    pub assumed: Option<crate::base::Assumption>,
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
            public_certs: false,
            private_certs: false,
            cdn: false,
            public_ingress: PublicIngress::default(),
            private_vpc_ingress: None,
            missing: None,
            assumed: None,
        }
    }

    /// An environment whose manifest is missing, checked against the one
    /// `copilot env init --default-config` creates (Copilot before v1.20
    /// created environments from flags, without a manifest): `span` is
    /// where the files name it, `why` says why it is assumed.
    pub fn assumed_default(name: &str, span: Span, why: &str) -> EnvManifest {
        let a = crate::base::Assumption {
            code: crate::base::AssumptionCode::DefaultEnvironment,
            text: format!(
                "{why}: checked against the environment `copilot env init --default-config` creates (a VPC of its own with two public and two private subnets)"
            ),
            span,
        };
        EnvManifest {
            assumed: Some(a),
            ..EnvManifest::default_config(name, span)
        }
    }

    /// An environment whose manifest is missing (`span`: where a workload
    /// names it).
    pub fn missing(name: &str, span: Span) -> EnvManifest {
        use crate::base::unknown::{Fact, Missing};
        let m = Missing::new(
            Fact::EnvironmentManifest(name.to_string()),
            format!("the network of environment `{name}` (copilot/environments/{name}/manifest.yml is missing)"),
        )
        .with_origin(crate::base::origin::Origin::file(Some(span)));
        EnvManifest {
            missing: Some(m),
            ..EnvManifest::default_config(name, span)
        }
    }
}

/// Environments that workloads name in their `environments:` blocks but
/// that have no manifest, with where each is first named.
pub fn envs_named_only_by_workloads(
    workloads: &[WorkloadDir],
    envs: &[EnvDir],
) -> Vec<(String, Span)> {
    let mut out: Vec<(String, Span)> = Vec::new();
    for w in workloads {
        let Some(doc) = &w.manifest.doc else { continue };
        for e in doc
            .get("environments")
            .and_then(Node::as_map)
            .unwrap_or(&[])
        {
            let name = e.key_str();
            if !envs.iter().any(|x| x.name == name) && !out.iter().any(|(n, _)| n == name) {
                out.push((name.to_string(), e.key.span));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
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
                    diags.push(name_mismatch::workload(n.span, s, &w.name));
                }
            }
        }
        None => diags.push(missing_field::diagnostic(
            Span::new(file, 0, 0),
            Missing::WorkloadName(&w.name),
            None,
        )),
    }
    let wtype = match doc.get("type") {
        Some(t) => match t.as_str() {
            Some(s) => match WorkloadType::parse(s) {
                Some(w) => w,
                None => {
                    let names = WorkloadType::names();
                    diags.push(unknown_workload_type::diagnostic(t.span, s, &names));
                    return;
                }
            },
            None => return,
        },
        None => {
            diags.push(missing_field::diagnostic(
                Span::new(file, 0, 0),
                Missing::WorkloadType,
                None,
            ));
            return;
        }
    };
    let Some(body) = schema::body(wtype) else {
        return; // a Static Site has no network of its own
    };
    schema::check_keys_of(doc, body, schema::WORKLOAD_TOP, "", diags);
    let crashes_on_null = wtype == RDWS || wtype == JOB;
    if let Some(envs) = doc.get("environments").and_then(Node::as_map) {
        for e in envs {
            if e.value.is_null() {
                if crashes_on_null {
                    diags.push(null_environment_override::diagnostic(
                        e.key.span,
                        e.key_str(),
                        wtype.name(),
                    ));
                }
            } else {
                schema::check_keys_of(
                    &e.value,
                    body,
                    &[],
                    &format!("environments.{}.", e.key_str()),
                    diags,
                );
            }
        }
    }
    let check_values = |b: &Node, diags: &mut Vec<Diagnostic>| {
        if wtype == RDWS {
            check_rdws_values(b, diags)
        } else {
            check_ecs_values(b, diags)
        }
    };
    check_values(doc, diags);
    if let Some(envs) = doc.get("environments").and_then(Node::as_map) {
        for e in envs {
            check_values(&e.value, diags);
        }
    }
    if !has_envs {
        check_required(doc, wtype, file, None, diags);
    }
}

/// Required fields, checked on the manifest merged for one environment (as
/// Copilot validates), or on the base when there is no environment.
pub fn check_required(
    doc: &Node,
    wtype: WorkloadType,
    file: crate::base::source::FileId,
    env: Option<&str>,
    diags: &mut Vec<Diagnostic>,
) {
    // ECS types' required fields come with the rule catalogue (their
    // images may be given at deploy time by a pipeline).
    if wtype != RDWS {
        return;
    }
    let at = doc
        .entry("image")
        .map(|e| e.key.span)
        .unwrap_or(Span::new(file, 0, 0));
    if doc.path(&["image", "port"]).is_none() {
        diags.push(missing_field::diagnostic(
            at,
            Missing::ImagePort(wtype.name()),
            env,
        ));
    }
    let img = doc.get("image");
    let has_build = img.and_then(|i| i.get("build")).is_some();
    let has_loc = img.and_then(|i| i.get("location")).is_some();
    if has_build == has_loc {
        diags.push(missing_field::diagnostic(
            at,
            Missing::ImageSource { both: has_build },
            env,
        ));
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
                diags.push(invalid_value::diagnostic(p.span, Invalid::RdwsPlacement(s)));
            }
        }
    }
}

/// The values of an ECS workload that decide its network: the placement
/// string, the security-group list, `deny_default`, the port.
fn check_ecs_values(body: &Node, diags: &mut Vec<Diagnostic>) {
    if let Some(p) = body.path(&["image", "port"]) {
        check_uint(p, "image.port", 65535, diags);
    }
    for k in ["cpu", "memory"] {
        if let Some(v) = body.get(k) {
            check_uint(v, k, u32::MAX as i64, diags);
        }
    }
    if let Some(list) = body
        .path(&["network", "vpc", "placement", "subnets"])
        .and_then(Node::as_seq)
    {
        for item in list.iter().filter(|i| i.as_str().is_none_or(str::is_empty)) {
            diags.push(invalid_value::diagnostic(item.span, Invalid::SubnetNotId));
        }
    }
    if let Some(p) = body.path(&["network", "vpc", "placement"]) {
        if let Some(s) = p.as_str() {
            if s != "public" && s != "private" {
                diags.push(invalid_value::diagnostic(p.span, Invalid::EcsPlacement(s)));
            }
        }
    }
    let Some(sgs) = body.path(&["network", "vpc", "security_groups"]) else {
        return;
    };
    if let Some(d) = sgs.get("deny_default") {
        if !d.is_null() && d.as_scalar().and_then(|s| s.as_bool()).is_none() {
            diags.push(invalid_value::diagnostic(d.span, Invalid::DenyDefault));
        }
    }
    let list = sgs
        .as_seq()
        .or_else(|| sgs.get("groups").and_then(Node::as_seq));
    for item in list.unwrap_or(&[]) {
        let ok = item.as_str().is_some_and(|s| !s.is_empty())
            || item
                .get("from_cfn")
                .and_then(Node::as_str)
                .is_some_and(|s| !s.is_empty());
        if !ok {
            diags.push(invalid_value::diagnostic(item.span, Invalid::SecurityGroup));
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
        diags.push(invalid_value::diagnostic(
            v.span,
            Invalid::Uint { name, max, shown },
        ));
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
    let wtype = WorkloadType::parse(raw.get("type")?.as_str()?)?;
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
                source: secret_source(&e.value),
            });
        }
    }
    let image = match (
        merged.path(&["image", "build"]),
        merged.path(&["image", "location"]),
    ) {
        (Some(b), _) => ImageSource::Build(b.span),
        (None, Some(l)) => match l.as_str() {
            Some(s) if is_private_ecr(s) => ImageSource::PrivateEcr(l.span),
            Some(_) => ImageSource::Public(l.span),
            None => ImageSource::Unknown,
        },
        _ => ImageSource::Unknown,
    };
    let windows = match merged.get("platform") {
        Some(p) => match p.as_str() {
            Some(s) => s.to_ascii_lowercase().starts_with("windows"),
            None => p
                .get("osfamily")
                .and_then(Node::as_str)
                .is_some_and(|s| s.to_ascii_lowercase().starts_with("windows")),
        },
        None => false,
    };
    let span_of = |k: &[&str]| merged.path(k).map(|n| n.span);
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
            security_groups: decode_security_groups(&merged),
            image,
            image_credentials: span_of(&["image", "credentials"]),
            windows,
            firelens: span_of(&["logging"]),
            env_file: span_of(&["env_file"]),
            publish: span_of(&["publish", "topics"]),
            references: from_cfn_names(&merged),
            efs: efs_volumes(&merged),
            doc: merged,
        },
        undefined,
    ))
}

/// `123456789012.dkr.ecr.<region>.amazonaws.com/...` (also `.com.cn`).
fn is_private_ecr(loc: &str) -> bool {
    crate::evidence::task::Registry::of_image(loc)
        == crate::evidence::task::Registry::Ecr { built_by: None }
}

fn efs_volumes(doc: &Node) -> Vec<EfsVolume> {
    let mut out = Vec::new();
    let vols = doc.path(&["storage", "volumes"]).and_then(Node::as_map);
    for v in vols.unwrap_or(&[]) {
        let name = v.key_str().to_string();
        let Some(efs) = v.value.get("efs") else {
            continue;
        };
        if let Some(b) = efs.as_scalar().and_then(|s| s.as_bool()) {
            if b {
                out.push(EfsVolume::Managed(name, efs.span));
            }
            continue;
        }
        match efs.get("id") {
            Some(id) => match (id.as_str(), id.get("from_cfn").and_then(Node::as_str)) {
                (Some(fs), _) => out.push(EfsVolume::Id(name, fs.to_string(), id.span)),
                (None, Some(x)) => out.push(EfsVolume::FromCfn(name, x.to_string(), id.span)),
                _ => {}
            },
            None if efs.get("uid").is_some() || efs.get("gid").is_some() => {
                out.push(EfsVolume::Managed(name, efs.span))
            }
            None => {}
        }
    }
    out
}

/// Every `from_cfn: <name>` in a document, in order.
fn from_cfn_names(doc: &Node) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    let mut stack = vec![doc];
    while let Some(n) = stack.pop() {
        match &n.kind {
            crate::load::yaml::NodeKind::Map(entries) => {
                for e in entries.iter().rev() {
                    if e.key_str() == "from_cfn" {
                        if let Some(v) = e.value.as_str() {
                            out.push((v.to_string(), e.value.span));
                        }
                    } else {
                        stack.push(&e.value);
                    }
                }
            }
            crate::load::yaml::NodeKind::Seq(items) => stack.extend(items.iter().rev()),
            crate::load::yaml::NodeKind::Scalar(_) => {}
        }
    }
    out
}

fn secret_source(v: &Node) -> SecretSource {
    if let Some(s) = v.as_str() {
        return if s.starts_with("arn:aws:secretsmanager:") {
            SecretSource::SecretsManager
        } else {
            SecretSource::Ssm
        };
    }
    if let Some(n) = v.get("from_cfn").and_then(Node::as_str) {
        return SecretSource::FromCfn(n.to_string());
    }
    if v.get("secretsmanager").is_some() {
        return SecretSource::SecretsManager;
    }
    SecretSource::Other
}

fn decode_security_groups(doc: &Node) -> SecurityGroups {
    let Some(sgs) = doc.path(&["network", "vpc", "security_groups"]) else {
        return SecurityGroups::default();
    };
    let item = |n: &Node| -> Option<SgSpec> {
        if let Some(s) = n.as_str() {
            return Some(SgSpec::Id(s.to_string(), n.span));
        }
        let f = n.get("from_cfn")?;
        Some(SgSpec::FromCfn(f.as_str()?.to_string(), f.span))
    };
    match sgs.as_seq() {
        Some(list) => SecurityGroups {
            deny_default: None,
            groups: list.iter().filter_map(item).collect(),
        },
        None => SecurityGroups {
            deny_default: sgs
                .get("deny_default")
                .filter(|d| d.as_scalar().and_then(|s| s.as_bool()) == Some(true))
                .map(|d| d.span),
            groups: sgs
                .get("groups")
                .and_then(Node::as_seq)
                .unwrap_or(&[])
                .iter()
                .filter_map(item)
                .collect(),
        },
    }
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
pub fn env_manifest(
    e: &EnvDir,
    app: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<EnvManifest> {
    let raw = e.manifest.doc.as_ref()?;
    let file = e.manifest.file?;
    // Copilot interpolates environment manifests like workload manifests.
    let vars = interpolate::Vars {
        app,
        env: &e.name,
        lookup,
    };
    let (interpolated, undefined) = interpolate::interpolate(raw, &vars);
    undefined_diags(&undefined, diags);
    let doc = &interpolated;
    schema::check_keys(doc, schema::env_top(), &[], "", diags);
    match doc.get("name").and_then(Node::as_str) {
        Some(n) if n != e.name => diags.push(name_mismatch::environment(
            doc.get("name").map(|n| n.span).unwrap_or(doc.span),
            n,
            &e.name,
        )),
        None => diags.push(missing_field::diagnostic(
            Span::new(file, 0, 0),
            Missing::EnvironmentName(&e.name),
            None,
        )),
        _ => {}
    }
    match doc.get("type") {
        Some(t) if t.as_str() == Some("Environment") => {}
        Some(t) => diags.push(invalid_value::diagnostic(t.span, Invalid::EnvironmentType)),
        None => diags.push(missing_field::diagnostic(
            Span::new(file, 0, 0),
            Missing::EnvironmentType,
            None,
        )),
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
    let certs = |kind: &str| {
        doc.path(&["http", kind, "certificates"])
            .and_then(Node::as_seq)
            .is_some_and(|l| !l.is_empty())
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
        public_certs: certs("public"),
        private_certs: certs("private"),
        cdn: doc
            .get("cdn")
            .is_some_and(|c| !c.is_null() && c.as_bool() != Some(false)),
        public_ingress: public_ingress(doc),
        private_vpc_ingress: [
            &["http", "private", "ingress", "vpc"][..],
            &["http", "private", "security_groups", "ingress", "from_vpc"][..],
        ]
        .iter()
        .filter_map(|p| doc.path(p))
        .find(|n| n.as_bool() == Some(true))
        .map(|n| n.span),
        missing: None,
        assumed: None,
    })
}

/// `http.public.ingress`; when it is empty, the deprecated
/// `http.public.security_groups.ingress.restrict_to` (Copilot's
/// `IsPublicLBIngressRestrictedToCDN`, `GetPublicALBSourceIPs`).
fn public_ingress(doc: &Node) -> PublicIngress {
    let current = doc.path(&["http", "public", "ingress"]);
    let read = |n: &Node| PublicIngress {
        cdn: n
            .get("cdn")
            .filter(|c| c.as_bool() == Some(true))
            .map(|c| c.span),
        source_ips: n
            .get("source_ips")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(|ip| Some((ip.as_str()?.to_string(), ip.span)))
            .collect(),
    };
    let set = |n: &&Node| {
        n.get("cdn").is_some_and(|c| !c.is_null())
            || n.get("source_ips")
                .and_then(Node::as_seq)
                .is_some_and(|l| !l.is_empty())
    };
    match current.filter(set) {
        Some(n) => read(n),
        None => doc
            .path(&[
                "http",
                "public",
                "security_groups",
                "ingress",
                "restrict_to",
            ])
            .map(|n| PublicIngress {
                // the deprecated form reads only `cdn`
                source_ips: vec![],
                ..read(n)
            })
            .unwrap_or_default(),
    }
}

/// Reports undefined variables once per span.
/// The finding has no `env`: an undefined variable fails the deployment
/// to every environment.
pub fn undefined_diags(undefined: &[interpolate::Undefined], diags: &mut Vec<Diagnostic>) {
    let mut i = 0;
    while i < undefined.len() {
        let span = undefined[i].span;
        // every undefined name of one scalar, in the order written
        let mut names: Vec<&str> = Vec::new();
        while i < undefined.len() && undefined[i].span == span {
            if !names.contains(&undefined[i].name.as_str()) {
                names.push(&undefined[i].name);
            }
            i += 1;
        }
        let dup = diags
            .iter()
            .any(|d| d.rule == RuleId::UndefinedVariable && d.location == Location::Span(span));
        if dup {
            continue;
        }
        diags.extend(undefined_variable::diagnostic(span, &names));
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A workload read from `yaml` alone (no environment, no findings).
    pub(crate) fn workload(yaml: &str) -> Workload {
        let doc = crate::load::yaml::parse(
            yaml,
            crate::base::source::FileId(0),
            crate::load::yaml::Limits::default(),
        )
        .expect("yaml");
        let name = doc
            .get("name")
            .and_then(Node::as_str)
            .unwrap_or("")
            .to_string();
        let wtype = doc
            .get("type")
            .and_then(Node::as_str)
            .unwrap_or("")
            .to_string();
        let port = doc.path(&["image", "port"]).and_then(|p| {
            let i = p.as_scalar()?.as_int()?;
            u16::try_from(i).ok().map(|v| (v, p.span))
        });
        Workload {
            name,
            wtype: WorkloadType::parse(&wtype).expect("a type"),
            manifest_span: doc.span,
            type_span: doc.span,
            placement: Placement::Absent,
            network_span: None,
            port,
            secrets: vec![],
            security_groups: SecurityGroups::default(),
            image: ImageSource::Unknown,
            image_credentials: None,
            windows: false,
            firelens: None,
            env_file: None,
            publish: None,
            references: vec![],
            efs: vec![],
            doc,
        }
    }

    /// Copilot's `RoutingRule.Target`: `target_port` first, else the
    /// sidecar `target_container` names (its own port), else `image.port`;
    /// each additional rule the same; a health-check port only where it
    /// differs.
    #[test]
    fn each_routing_rule_targets_the_port_copilot_renders() {
        let w = workload(
            "name: web
type: Load Balanced Web Service
image: {build: Dockerfile, port: 8080}
sidecars:
  envoy: {image: envoy, port: '9901/tcp'}
http:
  path: /
  healthcheck: {path: /h, port: 8081}
  additional_rules:
    - {path: /a, target_port: 7000}
    - {path: /b, target_container: envoy}
    - {path: /c, target_container: web, healthcheck: {port: 8080}}
",
        );
        let ports: Vec<(u16, Option<u16>)> = w
            .alb_rules()
            .iter()
            .map(|r| (r.target_port.0, r.health_port.map(|h| h.0)))
            .collect();
        assert_eq!(
            ports,
            vec![(8080, Some(8081)), (7000, None), (9901, None), (8080, None)]
        );
        // `http: false`, or a load balancer of its own: not the environment's
        let off = workload(
            "name: web\ntype: Load Balanced Web Service\nimage: {port: 80}\nhttp: false\n",
        );
        assert!(off.alb_rules().is_empty());
        let imported = workload(
            "name: web\ntype: Load Balanced Web Service\nimage: {port: 80}\nhttp: {path: /, alb: my-alb}\n",
        );
        assert!(imported.alb_rules().is_empty());
        // `http: true`, or none: Copilot renders no listener rule
        let bare =
            workload("name: web\ntype: Load Balanced Web Service\nimage: {port: 80}\nhttp: true\n");
        assert!(bare.alb_rules().is_empty());
    }

    #[test]
    fn private_ecr_images() {
        assert!(is_private_ecr(
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1"
        ));
        assert!(!is_private_ecr("public.ecr.aws/nginx/nginx:latest"));
        assert!(!is_private_ecr("ghcr.io/org/app:latest"));
        assert!(!is_private_ecr("nginx"));
    }
}
