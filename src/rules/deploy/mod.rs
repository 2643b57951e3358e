//! Deploy blockers (RL5xx): what AWS would reject at deploy time, although
//! Copilot accepts the files. Each rule is one module whose doc comment is
//! its page (`rules/RLnnn.md`, included, so the two cannot drift); the
//! facts they read are the evaluated CloudFormation resources of one
//! environment, its network model and the merged manifests, and the AWS
//! facts of [`crate::rules::data`].

pub mod apprunner_size;
pub mod aurora_serverless_v1;
pub mod db_az_outside_subnet_group;
pub mod db_subnet_group_azs;
pub mod engine_version_not_listed;
pub mod engine_version_not_offered;
pub mod fargate_size;
pub mod overlapping_subnets;
pub mod subnet_outside_vpc;

use crate::base::{Diagnostic, Span};
use crate::cfn::{Resource, Value};
use crate::load::WorkloadDir;
use crate::manifest::Workload;
use crate::model::Network;
use crate::rules::data::{Data, VersionStatus};

/// What one environment's deploy-blocker rules read.
pub struct Context<'a> {
    pub env: &'a str,
    pub resources: &'a [Resource],
    pub network: &'a Network,
    pub workloads: &'a [(&'a WorkloadDir, Workload)],
    pub data: &'a Data,
}

/// Every deploy-blocker finding of one environment.
pub fn check(cx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    engine_version_not_listed::check(cx, &mut out);
    engine_version_not_offered::check(cx, &mut out);
    aurora_serverless_v1::check(cx, &mut out);
    apprunner_size::check(cx, &mut out);
    fargate_size::check(cx, &mut out);
    db_subnet_group_azs::check(cx, &mut out);
    db_az_outside_subnet_group::check(cx, &mut out);
    subnet_outside_vpc::check(cx, &mut out);
    overlapping_subnets::check(cx, &mut out);
    out
}

/// A DB cluster's or instance's engine version, as RDS would see it.
pub struct EngineVersion<'a> {
    pub resource: &'a Resource,
    pub engine: &'a str,
    pub version: &'a str,
    pub span: Option<Span>,
    pub status: VersionStatus,
}

/// Every known engine version the data covers. An Aurora instance in a
/// cluster takes the cluster's version; one that names its own is checked.
pub fn engine_versions<'a>(cx: &'a Context) -> impl Iterator<Item = EngineVersion<'a>> + 'a {
    cx.resources
        .iter()
        .filter(|r| r.undecided.is_none())
        .filter(|r| {
            matches!(
                r.rtype.as_str(),
                "AWS::RDS::DBCluster" | "AWS::RDS::DBInstance"
            )
        })
        .filter_map(|r| {
            let engine = r.prop("Engine").and_then(Value::as_str)?;
            let v = r.prop("EngineVersion")?;
            let version = v.as_str()?;
            let status = cx.data.version_status(&r.rtype, engine, version)?;
            Some(EngineVersion {
                resource: r,
                engine,
                version,
                span: v.span.or_else(|| r.origin.span()),
                status,
            })
        })
}

/// The help shared by the two engine-version rules: a version to move to
/// and, when the major version changes, the parameter group family.
pub fn engine_help(cx: &Context, v: &EngineVersion) -> String {
    use crate::rules::data::{family, major};
    let Some(new) = cx.data.replacement(&v.resource.rtype, v.engine, v.version) else {
        return format!(
            "choose an engine version RDS offers today (`aws rds describe-db-engine-versions --engine {}`)",
            v.engine
        );
    };
    let mut help = format!("set `EngineVersion: '{new}'`");
    if major(v.engine, &new) != major(v.engine, v.version) {
        help.push_str(&format!(
            ", and change the parameter group's `Family` from `{}` to `{}` with it (a major version upgrade)",
            family(v.engine, v.version),
            family(v.engine, &new)
        ));
    }
    help.push_str(&format!(
        "; RDS version data checked {}",
        cx.data.rds_provenance.checked
    ));
    help
}

/// A finding located at `span`, else at the resource.
pub fn at(
    rule: crate::base::RuleId,
    span: Option<Span>,
    r: &Resource,
    msg: String,
) -> Option<Diagnostic> {
    let span = span.or_else(|| r.origin.span())?;
    Some(Diagnostic::at(rule, span, msg))
}

/// A workload's `cpu` and `memory` as the deployment gets them.
pub struct Sizes {
    pub cpu: u32,
    pub memory: u32,
    /// Where to point: the value set last in the manifest.
    pub span: Span,
    /// Says which one is Copilot's default, or is empty.
    pub defaulted: String,
}

/// A refused cpu/memory pair's finding: `said` ends where the environment
/// goes ("... fails to deploy in `dev`").
pub fn size_finding(
    rule: crate::base::RuleId,
    span: crate::base::Span,
    env: &str,
    said: String,
    help: String,
) -> crate::base::Diagnostic {
    use crate::base::diag::{Location, Words};
    crate::base::Diagnostic::worded(
        rule,
        Location::Span(span),
        env,
        Words::new().text(said).env_names(),
        Some(Words::new().text(help)),
    )
}

/// The help of a cpu/memory pair a service refuses: the memory sizes that
/// go with the cpu (`with_cpu`), else the cpu values it takes (`cpus`).
pub fn size_help(
    cpu: u32,
    with_cpu: Option<&crate::rules::data::Size>,
    service: &str,
    accepts: &str,
    cpus: impl Iterator<Item = u32>,
) -> String {
    match with_cpu {
        Some(z) => format!(
            "with `cpu: {cpu}` {service} accepts `memory` {} (MiB)",
            z.memory.describe()
        ),
        None => format!(
            "{accepts} `cpu` {} (CPU units)",
            cpus.map(|c| c.to_string()).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// `None` when neither is set (Copilot's defaults fit) or one is not a
/// number (RL103's finding).
pub fn sizes(wl: &Workload, defaults: (u32, u32)) -> Option<Sizes> {
    let num = |k: &str| -> Option<Option<(u32, Span)>> {
        match wl.doc.get(k) {
            None => Some(None),
            Some(n) if n.is_null() => Some(None),
            Some(n) => {
                let v = n.as_scalar()?.as_int()?;
                Some(Some((u32::try_from(v).ok()?, n.span)))
            }
        }
    };
    let cpu = num("cpu")?;
    let memory = num("memory")?;
    let span = memory.or(cpu)?.1;
    let defaulted = match (cpu, memory) {
        (None, _) => format!(" (cpu not set: Copilot's default {})", defaults.0),
        (_, None) => format!(" (memory not set: Copilot's default {})", defaults.1),
        _ => String::new(),
    };
    Some(Sizes {
        cpu: cpu.map_or(defaults.0, |c| c.0),
        memory: memory.map_or(defaults.1, |m| m.0),
        span,
        defaulted,
    })
}

/// The model's database for a DB cluster or standalone instance resource.
pub fn db_of<'a>(cx: &'a Context, r: &Resource) -> Option<&'a crate::model::Database> {
    let owner = crate::repr::cfn::owner_of(&r.stack);
    cx.network
        .databases
        .iter()
        .find(|d| d.name == r.logical && d.owner == owner)
}

/// The resource a value refers to (`!Ref X`).
pub fn target<'a>(cx: &'a Context, v: &Value) -> Option<&'a Resource> {
    let rr = v.resource()?;
    cx.resources
        .iter()
        .find(|r| r.stack == rr.stack && r.logical == rr.logical)
}

/// The zones of a database's subnets, when every one is known and all are
/// named the same way (indexes into the region's list, or names).
pub fn db_zones(cx: &Context, db: &crate::model::Database) -> Option<Vec<crate::model::Az>> {
    use crate::model::{Az, SubnetSet};
    let SubnetSet::Known(ids) = &db.subnets else {
        return None;
    };
    let mut zones: Vec<Az> = ids
        .iter()
        .map(|i| cx.network.subnet(*i).az.clone())
        .collect();
    if zones.is_empty() || zones.contains(&Az::Unknown) {
        return None;
    }
    let by_index = matches!(zones[0], Az::Index(_));
    if zones.iter().any(|z| matches!(z, Az::Index(_)) != by_index) {
        return None;
    }
    zones.sort();
    zones.dedup();
    Some(zones)
}

/// A zone as a template value names it.
pub fn zone_of(v: &Value) -> Option<crate::model::Az> {
    use crate::cfn::VKind;
    match &v.kind {
        VKind::Az(i) => Some(crate::model::Az::Index(*i)),
        VKind::Str(s) => Some(crate::model::Az::Name(s.clone())),
        _ => None,
    }
}

/// Where a subnet's CIDR block is written: its `CidrBlock` value (for
/// Copilot's own subnets, the manifest's `cidr`), else the subnet.
pub fn subnet_cidr_span(cx: &Context, s: &crate::model::Subnet) -> Option<Span> {
    cx.resources
        .iter()
        .find(|r| r.rtype == "AWS::EC2::Subnet" && r.logical == s.name)
        .and_then(|r| r.prop("CidrBlock").and_then(|v| v.span))
        .or_else(|| s.origin.span())
}
