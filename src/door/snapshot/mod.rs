//! The Describe-snapshot front door: the network that is actually deployed,
//! read from saved AWS CLI output (`reachlint check PATH --snapshot DIR`).
//!
//! The files say *what* exists; the workspace says *which* of it matters.
//! Copilot's stack names (`<app>-<env>`, `<app>-<env>-<svc>`, their nested
//! `AddonsStack`) and `StackResources` map the logical ids the files use to
//! the physical ids of the account; without them the VPC is found by its
//! `copilot-application` / `copilot-environment` tags, the services by
//! Copilot's naming. The flows proved are the ones the files imply (the
//! same questions, asked of the account), with the prover the seam hands
//! it. Anything the snapshot lacks is a missing fact
//! naming the Describe call that would supply it.

pub mod alone;
pub mod facts;
#[cfg(feature = "live")]
pub mod live;

use std::path::{Path, PathBuf};

use crate::base::diag::Diagnostic;
use crate::base::unknown::{Fact, Missing};
use crate::manifest::CopilotStack;
use crate::model::flow::{Flow, Source, Target};
use crate::model::{
    ClientKind, Component, Database, DbId, Network, Owner, SubnetSet, WorkloadKind,
};
use crate::repr::describe::{
    self, EcsTaskRec, Kind, LiveEgress, LiveWorkload, Rec, Snapshot, TaskPlacement,
};

use super::Advisor;
use crate::outcome::{EnvResult, NetworkSource};

/// Input budgets of a snapshot directory.
const MAX_FILES: usize = 2_000;
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads every `.json` file under `dir` (recursively: Batfish's
/// `aws_configs/<region>/*.json` layout loads too).
pub fn load(dir: &Path) -> Result<Snapshot, super::CheckError> {
    if !dir.is_dir() {
        return Err(super::CheckError::NoSnapshot(dir.to_path_buf()));
    }
    let mut snap = Snapshot::default();
    // links may not lead out of the repository holding the snapshot (or
    // out of the snapshot folder when no repository holds it)
    let fence = crate::base::guard::Fence::around(dir, dir);
    let mut files: Vec<PathBuf> = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) => {
                snap.unread.push(describe::Unread {
                    file: d,
                    what: "the directory".into(),
                    why: format!("cannot be read: {e}"),
                });
                continue;
            }
        };
        for e in entries.flatten() {
            let p = e.path();
            // a link to a folder is not followed (no cycles, no way out)
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
        if files.len() > MAX_FILES {
            break;
        }
    }
    files.sort();
    if files.len() > MAX_FILES {
        snap.unread.push(describe::Unread {
            file: dir.to_path_buf(),
            what: "the directory".into(),
            why: format!("more than {MAX_FILES} files; only {MAX_FILES} of them were read"),
        });
    }
    for p in files.into_iter().take(MAX_FILES) {
        if p.extension().is_none_or(|x| x != "json") {
            snap.unread.push(describe::Unread {
                file: p,
                what: "the file".into(),
                why: "not a .json file".into(),
            });
            continue;
        }
        match crate::base::guard::read_text(&p, Some(&fence), MAX_FILE_BYTES) {
            Ok(text) => snap.add_file(&p, &text),
            Err(why) => snap.unread.push(describe::Unread {
                file: p,
                what: "the file".into(),
                why: why.to_string(),
            }),
        }
    }
    snap.dedup();
    Ok(snap)
}

#[cfg(feature = "live")]
fn live_options(opts: &super::Options, stacks: &[String]) -> live::LiveOptions {
    live::LiveOptions {
        profile: opts.profile.clone(),
        region: opts.region.clone(),
        endpoint_url: opts.endpoint_url.clone(),
        stacks: stacks.to_vec(),
    }
}

/// Adds what the account's Describe calls return (`--live`), in the AWS
/// CLI's shape, as if saved to files; calls the credentials may not make
/// are reported like unread files (their facts stay unknown).
#[cfg(feature = "live")]
pub fn add_live(
    snap: &mut Snapshot,
    opts: &super::Options,
    stacks: &[String],
) -> Result<(), super::CheckError> {
    let fetched = live::fetch(&live_options(opts, stacks))?;
    for (name, value) in &fetched.files {
        let path = PathBuf::from(format!("live/{name}"));
        snap.add_file(&path, &value.to_string());
    }
    for (call, why) in fetched.denied {
        snap.unread.push(describe::Unread {
            file: PathBuf::from(format!("live/{call}")),
            what: "the call".into(),
            why,
        });
    }
    snap.dedup();
    Ok(())
}

/// Writes what the account's calls return to `out`, one file per call.
#[cfg(feature = "live")]
pub fn save(
    opts: &super::Options,
    stacks: &[String],
    out: &Path,
) -> Result<usize, super::CheckError> {
    let fetched = live::fetch(&live_options(opts, stacks))?;
    std::fs::create_dir_all(out)
        .map_err(|e| super::CheckError::Write(out.to_path_buf(), e.to_string()))?;
    for (name, value) in &fetched.files {
        let text = serde_json::to_string_pretty(value).unwrap_or_default();
        std::fs::write(out.join(name), text + "\n")
            .map_err(|e| super::CheckError::Write(out.join(name), e.to_string()))?;
    }
    for (call, why) in &fetched.denied {
        eprintln!("reachlint: {call}: {why}");
    }
    Ok(fetched.files.len())
}

#[cfg(not(feature = "live"))]
pub fn save(_: &super::Options, _: &[String], _: &Path) -> Result<usize, super::CheckError> {
    Err(super::CheckError::NoLive)
}

#[cfg(not(feature = "live"))]
pub fn add_live(
    _: &mut Snapshot,
    _: &super::Options,
    _: &[String],
) -> Result<(), super::CheckError> {
    Err(super::CheckError::NoLive)
}

/// No remedies are worded for a deployed network: the blocker's reason
/// names the resource, and the fix belongs in the files (drift) or the
/// account.
struct AccountAdvisor;

impl Advisor for AccountAdvisor {
    fn advise(
        &self,
        _: &Network,
        _: &Flow,
        _: &crate::model::proof::Blocker,
    ) -> Option<super::Advice> {
        None
    }
}

fn tag<'a>(tags: &'a [describe::Tag], key: &str) -> Option<&'a str> {
    tags.iter().find(|t| t.key == key).map(|t| t.value.as_str())
}

/// The environment's VPC: the environment stack's `VPC`, else the VPC
/// Copilot tagged for it.
fn vpc_of(snap: &Snapshot, app: &str, env: &str) -> Result<String, Missing> {
    if let Some(id) = snap.physical(&CopilotStack::environment(app, env).name(), "VPC") {
        return Ok(id.to_string());
    }
    let tagged: Vec<&str> = snap
        .vpcs
        .iter()
        .filter(|v| {
            tag(&v.value.tags, "copilot-application") == Some(app)
                && tag(&v.value.tags, "copilot-environment") == Some(env)
        })
        .map(|v| v.value.vpc_id.as_str())
        .collect();
    match tagged.as_slice() {
        [one] => Ok(one.to_string()),
        _ => Err(Missing::new(
            Fact::Describe(Kind::StackResources.call().into()),
            format!(
                "the VPC of environment `{env}` (no StackResources of stack {app}-{env}, and {} VPC tagged copilot-environment={env})",
                if tagged.is_empty() { "no" } else { "more than one" }
            ),
        )),
    }
}

/// The deployed compute of one workload of the files.
fn live_workload(snap: &Snapshot, app: &str, env: &str, w: &Named) -> LiveWorkload {
    let stack = CopilotStack::workload(app, env, &w.name).name();
    let (egress, origin) = match w.kind {
        WorkloadKind::AppRunner => live_apprunner(snap, &stack, w),
        WorkloadKind::EcsService => live_ecs_service(snap, &stack, w),
        WorkloadKind::EcsScheduledTask => live_scheduled_job(snap, &stack, w),
    };
    let targets = match w.kind {
        WorkloadKind::EcsService => ecs_service(snap, &stack)
            .map(|svc| {
                svc.value
                    .load_balancers
                    .iter()
                    .filter_map(|l| {
                        Some((
                            l.target_group_arn.clone()?,
                            l.container_port?,
                            svc.origin.clone(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default(),
        _ => vec![],
    };
    LiveWorkload {
        name: w.name.clone(),
        kind: w.kind,
        egress,
        targets,
        origin,
    }
}

/// A workload by its name and kind, and the client its tasks run as.
struct Named {
    name: String,
    kind: WorkloadKind,
    client: ClientKind,
}

impl Named {
    fn of(w: &crate::model::Workload) -> Named {
        Named {
            name: w.name.clone(),
            kind: w.kind,
            client: match &w.egress {
                crate::model::Egress::Enis(e) => e.client,
                _ => ClientKind::FargateLinux,
            },
        }
    }
}

/// A workload stack's App Runner service: the stack's `Service`, else the
/// one Copilot names after the stack.
fn apprunner_service<'a>(
    snap: &'a Snapshot,
    stack: &str,
) -> Option<&'a Rec<describe::AppRunnerServiceRec>> {
    let arn = snap.physical(stack, "Service");
    snap.apprunner_services
        .iter()
        .find(|s| Some(s.value.service_arn.as_str()) == arn || s.value.service_name == stack)
}

/// A workload stack's ECS service: the stack's `Service`, else the one
/// Copilot names `<stack>-Service-...`.
fn ecs_service<'a>(snap: &'a Snapshot, stack: &str) -> Option<&'a Rec<describe::EcsServiceRec>> {
    let arn = snap.physical(stack, "Service");
    snap.ecs_services.iter().find(|s| {
        Some(s.value.service_arn.as_str()) == arn
            || s.value
                .service_name
                .starts_with(&format!("{stack}-Service"))
    })
}

/// A Request-Driven Web Service as deployed: its App Runner service and,
/// with VPC egress, its connector.
fn live_apprunner(snap: &Snapshot, stack: &str, w: &Named) -> (LiveEgress, crate::model::Origin) {
    let svc = apprunner_service(snap, stack);
    match svc {
        None => (
            LiveEgress::Unknown(
                snap.lacks(
                    Kind::AppRunnerServices,
                    &format!("the App Runner service of `{}`", w.name),
                )
                .unwrap_or_else(|| {
                    Missing::other(format!(
                        "the App Runner service of `{}` (not in the snapshot)",
                        w.name
                    ))
                }),
            ),
            Default::default(),
        ),
        Some(s) => {
            let e = &s.value.network_configuration.egress_configuration;
            if e.egress_type.eq_ignore_ascii_case("VPC") {
                let c = snap.connectors.iter().find(|c| {
                    Some(c.value.vpc_connector_arn.as_str()) == e.vpc_connector_arn.as_deref()
                });
                match c {
                    Some(c) => (
                        LiveEgress::Enis {
                            component: Component::VpcConnector,
                            subnets: c.value.subnets.clone(),
                            sgs: c.value.security_groups.clone(),
                            public_ip: false,
                            client: ClientKind::AppRunnerConnector,
                            tasks: vec![],
                        },
                        c.origin.clone(),
                    ),
                    None => (
                        LiveEgress::Unknown(Missing::new(
                            Fact::Describe(Kind::VpcConnectors.call().into()),
                            format!(
                                "the VPC connector {} of `{}` (not in the snapshot)",
                                e.vpc_connector_arn.clone().unwrap_or_default(),
                                w.name
                            ),
                        )),
                        s.origin.clone(),
                    ),
                }
            } else {
                (LiveEgress::Managed, s.origin.clone())
            }
        }
    }
}

/// An ECS service as deployed: its network configuration and running tasks.
fn live_ecs_service(snap: &Snapshot, stack: &str, w: &Named) -> (LiveEgress, crate::model::Origin) {
    let svc = ecs_service(snap, stack);
    match svc.and_then(|s| s.value.network_configuration.as_ref().map(|n| (s, n))) {
        Some((s, n)) => {
            let c = &n.awsvpc_configuration;
            let windows = s
                .value
                .platform_family
                .as_deref()
                .is_some_and(|p| p.to_ascii_lowercase().starts_with("windows"));
            let group = format!("service:{}", s.value.service_name);
            let tasks: Vec<&Rec<EcsTaskRec>> = snap
                .ecs_tasks
                .iter()
                .filter(|t| t.value.running() && t.value.group.as_deref() == Some(&group))
                .collect();
            (
                with_tasks(
                    snap,
                    Component::EcsTask,
                    if windows {
                        ClientKind::FargateWindows
                    } else {
                        ClientKind::FargateLinux
                    },
                    (
                        c.subnets.clone(),
                        c.security_groups.clone(),
                        c.assign_public_ip.eq_ignore_ascii_case("ENABLED"),
                    ),
                    &tasks,
                ),
                s.origin.clone(),
            )
        }
        None => (
            LiveEgress::Unknown(
                snap.lacks(
                    Kind::EcsServices,
                    &format!("the ECS service of `{}`", w.name),
                )
                .unwrap_or_else(|| {
                    Missing::other(format!(
                        "the ECS service of `{}` (not in the snapshot)",
                        w.name
                    ))
                }),
            ),
            Default::default(),
        ),
    }
}

/// A Scheduled Job as deployed: the task network in its state machine's
/// RunTask state, and the tasks it started.
fn live_scheduled_job(
    snap: &Snapshot,
    stack: &str,
    w: &Named,
) -> (LiveEgress, crate::model::Origin) {
    // the job's network is in its state machine's RunTask state
    let arn = snap.physical(stack, "StateMachine");
    let machine = snap
        .state_machines
        .iter()
        .find(|m| Some(m.value.state_machine_arn.as_str()) == arn || m.value.name == stack);
    match machine {
        None => (
            LiveEgress::Unknown(
                snap.lacks(
                    Kind::StateMachines,
                    &format!("the task network of scheduled job `{}`", w.name),
                )
                .unwrap_or_else(|| {
                    Missing::new(
                        Fact::Describe(Kind::StateMachines.call().into()),
                        format!(
                            "the task network of scheduled job `{}` (its state machine {stack} is not in the snapshot)",
                            w.name
                        ),
                    )
                }),
            ),
            Default::default(),
        ),
        Some(m) => match m.value.run_task_network() {
            Err(why) => (
                LiveEgress::Unknown(Missing::other(format!(
                    "the task network of scheduled job `{}`: state machine {}: {why}",
                    w.name, m.value.name
                ))),
                m.origin.clone(),
            ),
            Ok(net) => {
                // its tasks, started by the state machine (grouped
                // by execution), by their task definition's family
                let tasks: Vec<&Rec<EcsTaskRec>> = snap
                    .ecs_tasks
                    .iter()
                    .filter(|t| {
                        t.value.running()
                            && t.value.family() == Some(stack)
                            && !t
                                .value
                                .group
                                .as_deref()
                                .is_some_and(|g| g.starts_with("service:"))
                    })
                    .collect();
                let client = w.client;
                (
                    with_tasks(
                        snap,
                        Component::EcsTask,
                        client,
                        (net.subnets, net.security_groups, net.assign_public_ip),
                        &tasks,
                    ),
                    m.origin.clone(),
                )
            }
        },
    }
}

/// A workload's ENIs as its configuration places them (subnets, groups,
/// public address), joined by its running tasks (`ecs describe-tasks`): a
/// task in another subnet, with the configuration's groups and public
/// address, adds that subnet; a task whose ENI groups or public address
/// differ from the configuration's, or are not known, is a placement of
/// its own (`TaskPlacement`), proved apart and counted in the verdict.
fn with_tasks(
    snap: &Snapshot,
    component: Component,
    client: ClientKind,
    (mut subnets, sgs, public_ip): (Vec<String>, Vec<String>, bool),
    tasks: &[&Rec<EcsTaskRec>],
) -> LiveEgress {
    let mut own = Vec::new();
    let mut want: Vec<&str> = sgs.iter().map(String::as_str).collect();
    want.sort_unstable();
    want.dedup();
    for t in tasks {
        let id = t.value.id().to_string();
        let Some(sub) = t.value.subnet() else {
            own.push(TaskPlacement {
                subnet: Err(Missing::new(
                    Fact::Describe(Kind::EcsTasks.call().into()),
                    format!("the subnet of task {id} (its ENI attachment names none)"),
                )
                .with_origin(t.origin.clone())),
                sgs: Ok(sgs.clone()),
                public_ip,
                origin: t.origin.clone(),
                task: id,
            });
            continue;
        };
        let eni = t
            .value
            .eni()
            .and_then(|e| snap.enis.iter().find(|n| n.value.network_interface_id == e));
        let Some(eni) = eni else {
            let m = snap
                .lacks(
                    Kind::NetworkInterfaces,
                    &format!("the security groups of task {id} in {sub}"),
                )
                .unwrap_or_else(|| {
                    Missing::other(format!(
                        "the security groups of task {id} in {sub} (its ENI {} is not in the snapshot)",
                        t.value.eni().unwrap_or("(none named)")
                    ))
                });
            own.push(TaskPlacement {
                subnet: Ok(sub.to_string()),
                sgs: Err(m.with_origin(t.origin.clone())),
                public_ip,
                origin: t.origin.clone(),
                task: id,
            });
            continue;
        };
        let mut have: Vec<&str> = eni
            .value
            .groups
            .iter()
            .map(|g| g.group_id.as_str())
            .collect();
        have.sort_unstable();
        have.dedup();
        let public = eni
            .value
            .association
            .as_ref()
            .is_some_and(|a| a.public_ip.is_some());
        if have == want && public == public_ip {
            if !subnets.iter().any(|s| s == sub) {
                subnets.push(sub.to_string());
            }
        } else {
            own.push(TaskPlacement {
                subnet: Ok(sub.to_string()),
                sgs: Ok(have.iter().map(|g| g.to_string()).collect()),
                public_ip: public,
                origin: eni.origin.clone(),
                task: id,
            });
        }
    }
    LiveEgress::Enis {
        component,
        subnets,
        sgs,
        public_ip,
        client,
        tasks: own,
    }
}

/// The deployed database a database of the files became: by the addons
/// stack's resources, else by the identifier CloudFormation generates
/// (which contains the logical id, lower-cased), when only one matches.
fn live_db(
    snap: &Snapshot,
    built: &describe::Built,
    app: &str,
    env: &str,
    file_db: &Database,
) -> Result<DbId, Missing> {
    // snapshots read RDS, not ElastiCache (yet)
    if ["redis", "valkey", "memcached"].contains(&file_db.engine.as_str()) {
        return Err(Missing::other(format!(
            "the deployed ElastiCache cache {} (a snapshot holds no ElastiCache output yet)",
            file_db.name
        )));
    }
    let prefix = match &file_db.owner {
        Owner::Workload(w) => Some(CopilotStack::workload(app, env, w).addons()),
        Owner::Environment => Some(CopilotStack::environment(app, env).addons()),
        Owner::Other => None,
    };
    if let Some(id) = prefix.and_then(|p| snap.physical(&p, &file_db.name)) {
        if let Some(db) = built.db_by_id.get(id) {
            return Ok(*db);
        }
    }
    let lower = file_db.name.to_ascii_lowercase();
    let candidates: Vec<&DbId> = built
        .db_by_id
        .iter()
        .filter(|(id, _)| id.to_ascii_lowercase().contains(&lower))
        .map(|(_, d)| d)
        .collect();
    match candidates.as_slice() {
        [one] => Ok(**one),
        _ => Err(snap
            .lacks(Kind::DbClusters, &format!("the deployed database {}", file_db.name))
            .unwrap_or_else(|| {
                Missing::new(
                    Fact::Describe(Kind::StackResources.call().into()),
                    format!(
                        "which deployed database is {} ({} candidates in the snapshot; its addons stack's resources would tell)",
                        file_db.name,
                        candidates.len()
                    ),
                )
            })),
    }
}

/// The deployed file system a flow of the files goes to: the environment
/// stack's (or an addon's) by the stacks' resources, or one named by its
/// id in a manifest (`efs: {id: fs-...}`); its mount targets must be in
/// the snapshot.
fn live_fs(
    snap: &Snapshot,
    built: &describe::Built,
    app: &str,
    env: &str,
    files: &EnvResult,
    fs: &Result<usize, Missing>,
    vpc_missing: Option<&Missing>,
) -> Result<usize, Missing> {
    if let Some(m) = vpc_missing {
        return Err(m.clone());
    }
    let id = match fs {
        Ok(i) => {
            let file_fs = &files.network.file_systems[*i];
            let logical = &file_fs.name;
            snap.physical(&CopilotStack::environment(app, env).name(), logical)
                .map(str::to_string)
                .or_else(|| by_mount_target_group(snap, built, files, file_fs))
                .ok_or_else(|| {
                    snap.lacks(
                        Kind::StackResources,
                        &format!("which deployed file system is {logical}"),
                    )
                    .unwrap_or_else(|| {
                        Missing::other(format!(
                            "which deployed file system is {logical} (no stack of environment `{env}` lists it)"
                        ))
                    })
                })?
        }
        Err(m) => match &m.fact {
            Fact::FileSystem(id) => id.clone(),
            _ => return Err(m.clone()),
        },
    };
    // the call lists one file system's mount targets, so a snapshot
    // without them for this one says nothing of it
    built.fs_by_id.get(&id).copied().ok_or_else(|| {
        Missing::new(
            Fact::Describe(Kind::MountTargets.call().into()),
            format!(
                "the mount targets of file system {id} in the environment's VPC (save `aws efs describe-mount-targets --file-system-id {id}`)"
            ),
        )
    })
}

/// Without the stacks' resources: the one deployed file system whose mount
/// targets carry the deployed group of the file system's group (found by
/// the logical id in its generated name).
fn by_mount_target_group(
    snap: &Snapshot,
    built: &describe::Built,
    files: &EnvResult,
    file_fs: &crate::model::FileSystem,
) -> Option<String> {
    let groups: Vec<&str> = file_fs
        .sgs
        .iter()
        .filter_map(|g| snap.group_named(&files.network.sg(*g).name))
        .collect();
    if groups.is_empty() {
        return None;
    }
    let mut hits = built.fs_by_id.iter().filter(|(_, i)| {
        built.network.file_systems[**i]
            .sgs
            .iter()
            .any(|g| groups.contains(&built.network.sg(*g).name.as_str()))
    });
    match (hits.next(), hits.next()) {
        (Some((id, _)), None) => Some(id.clone()),
        _ => None,
    }
}

/// A database that stands for one the snapshot does not show: every
/// verdict about it is unknown, naming what is missing.
fn placeholder(file_db: &Database, m: Missing) -> Database {
    Database {
        name: file_db.name.clone(),
        owner: file_db.owner.clone(),
        engine: file_db.engine.clone(),
        port: file_db.port,
        port_origin: Default::default(),
        port_unknown: None,
        subnets: SubnetSet::Unknown {
            what: m.clone(),
            within: None,
        },
        sgs: vec![],
        unknown_sgs: vec![m],
        serverless_v1: false,
        publicly_accessible: false,
        publicly_accessible_surely: false,
        writer_az: None,
        origin: Default::default(),
    }
}

/// Which deployed element a logical id of the environment's stacks
/// became, as the snapshot's `StackResources` say (or a group's generated
/// name).
struct StackIds<'a> {
    snap: &'a Snapshot,
    app: &'a str,
    env: &'a str,
}

impl crate::compare::Ids for StackIds<'_> {
    fn physical(&self, logical: &str, rtype: &str) -> Option<String> {
        let prefix = CopilotStack::environment(self.app, self.env).name();
        let mut hits = self.snap.stack_resources.iter().filter(|r| {
            r.value.logical_resource_id == logical
                && r.value.resource_type == rtype
                && r.value
                    .stack_name
                    .as_deref()
                    .is_some_and(|s| s == prefix || s.starts_with(&format!("{prefix}-")))
        });
        match (hits.next(), hits.next()) {
            (Some(one), None) => Some(one.value.physical_resource_id.clone()),
            _ => None,
        }
    }

    fn group_named(&self, logical: &str) -> Option<String> {
        self.snap.group_named(logical).map(str::to_string)
    }
}

/// Where a deployed proof belongs: the application, the environment
/// manifest's span (drift findings), where findings without a file point,
/// what `explain` takes to find this network, and which source it is.
pub struct Anchor<'a> {
    pub app: &'a str,
    pub env_span: Option<crate::base::Span>,
    pub fallback_location: &'a Path,
    pub workspace: &'a str,
    pub source: NetworkSource,
}

/// The environment's deployed network. Without its VPC (no stack names it,
/// or several VPCs carry its tags), every workload's egress is unknown,
/// naming what is missing: never a network without its subnets.
fn build_env(
    snap: &Snapshot,
    app: &str,
    env: &str,
    live: &[LiveWorkload],
) -> (describe::Built, Option<Missing>) {
    match vpc_of(snap, app, env) {
        Ok(vpc) => (describe::build(snap, &vpc, live), None),
        Err(m) => {
            let unknown: Vec<LiveWorkload> = live
                .iter()
                .map(|w| LiveWorkload {
                    egress: LiveEgress::Unknown(m.clone()),
                    ..w.clone()
                })
                .collect();
            (describe::build(snap, "", &unknown), Some(m))
        }
    }
}

/// The deployed load balancer that is the files' load balancer `lb`: the
/// one of the same name (the stack's logical id, where the snapshot has
/// the stacks' resources), else the one load balancer that forwards to
/// the same workloads on the same ports (a snapshot without the stacks:
/// its generated name says nothing). `usize::MAX` when none or several.
fn deployed_lb(files: &Network, deployed: &Network, lb: usize) -> usize {
    let Some(want) = files.load_balancers.get(lb) else {
        return usize::MAX;
    };
    if let Some(i) = deployed
        .load_balancers
        .iter()
        .position(|l| l.name == want.name)
    {
        return i;
    }
    let serves = |net: &Network, i: usize| -> Vec<(String, u16)> {
        let mut v: Vec<(String, u16)> = net
            .workloads
            .iter()
            .flat_map(|w| {
                w.lb_targets
                    .iter()
                    .filter(move |t| t.lb == i)
                    .map(move |t| (w.name.clone(), t.port))
            })
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let wanted = serves(files, lb);
    if wanted.is_empty() {
        return usize::MAX;
    }
    let same: Vec<usize> = (0..deployed.load_balancers.len())
        .filter(|i| serves(deployed, *i) == wanted)
        .collect();
    match same.as_slice() {
        [one] => *one,
        _ => usize::MAX,
    }
}

/// The files' flows of one environment, proved on the deployed network.
pub fn deployed(
    snap: &Snapshot,
    files: &EnvResult,
    anchor: &Anchor,
    prover: &dyn super::Prover,
) -> (EnvResult, Vec<Diagnostic>) {
    let Anchor {
        app,
        env_span,
        fallback_location,
        workspace,
        source,
    } = *anchor;
    let env = files.env.as_str();
    let live: Vec<LiveWorkload> = files
        .network
        .workloads
        .iter()
        .map(|w| live_workload(snap, app, env, &Named::of(w)))
        .collect();
    let (mut built, vpc_missing) = build_env(snap, app, env, &live);
    let mut flows = Vec::new();
    for r in &files.flows {
        let mut f = r.flow.clone();
        if let Target::Database { db, name, engine } = &r.flow.target {
            let file_db = &files.network.databases[db.0];
            let live_id = match &vpc_missing {
                Some(m) => Err(m.clone()),
                None => live_db(snap, &built, app, env, file_db),
            };
            let id = match live_id {
                Ok(id) => id,
                Err(m) => {
                    built.network.databases.push(placeholder(file_db, m));
                    DbId(built.network.databases.len() - 1)
                }
            };
            let port = built.network.databases[id.0].port;
            if port != 0 {
                f.port = port;
            }
            f.target = Target::Database {
                db: id,
                name: name.clone(),
                engine: engine.clone(),
            };
        }
        if let Target::FileSystem { fs, name } = &r.flow.target {
            f.target = Target::FileSystem {
                fs: live_fs(snap, &built, app, env, files, fs, vpc_missing.as_ref()),
                name: name.clone(),
            };
        }
        // the load balancer as deployed (none: the verifier says the
        // network lacks it)
        if let Target::LoadBalancer { lb, name } = &r.flow.target {
            f.target = Target::LoadBalancer {
                lb: deployed_lb(&files.network, &built.network, *lb),
                name: name.clone(),
            };
        }
        if let Source::LoadBalancer { lb, name } = &r.flow.source {
            f.source = Source::LoadBalancer {
                lb: deployed_lb(&files.network, &built.network, *lb),
                name: name.clone(),
            };
        }
        f.reason = format!("{} (as deployed)", f.reason);
        flows.push(f);
    }
    // a task placement's flows are its workload's, proved from its ENI and
    // counted in its workload's verdict
    let results = prover.prove(&built.network, &flows, &built.task_placements);
    let (results, mut diags) = super::conclude(
        crate::rules::reachability::Env { name: env, source },
        &built.network,
        results,
        &AccountAdvisor,
        fallback_location,
        workspace,
    );
    let matching =
        crate::compare::matching(&files.network, &built.network, &StackIds { snap, app, env });
    diags.extend(crate::rules::drift::check(&crate::rules::drift::Context {
        env,
        files: &files.network,
        live: &built.network,
        matching: &matching,
        env_span,
    }));
    (
        EnvResult {
            env: env.to_string(),
            network: built.network,
            flows: results,
            source,
        },
        diags,
    )
}
