//! `check --snapshot DIR` where no Copilot workspace is found at PATH: the
//! deployed network on its own. The snapshot says which environments and
//! workloads exist (the VPCs Copilot tags `copilot-application` and
//! `copilot-environment`; the workloads' stacks `<app>-<env>-<name>` and
//! their `Service` or `StateMachine`, else Copilot's resource names), and
//! what each workload needs: its task definition (`ecs
//! describe-task-definition`) or App Runner service, stated as facts for
//! `evidence::task`, its EFS volumes, and the databases its addons stack
//! creates or whose groups admit it. The flows follow from that evidence,
//! proved through [`crate::door::report`] like every door's networks.

use std::collections::BTreeSet;
use std::path::Path;

use super::{
    apprunner_service, build_env, ecs_service, facts, live_workload, tag, AccountAdvisor, Named,
};
use crate::base::unknown::{Fact, Missing};
use crate::door::{CheckError, Door, DoorNetwork, Networks, Options, Services};
use crate::evidence::task::{needs, TaskNeed};
use crate::manifest::CopilotStack;
use crate::model::{ClientKind, FsUse, Network, Owner, WorkloadKind};
use crate::outcome::{NetworkSource, Report};
use crate::repr::describe::{self, Kind, Snapshot};

/// The Describe-snapshot door without a workspace.
pub struct SnapshotDoor;

impl Door for SnapshotDoor {
    /// A snapshot directory, no live mode, and an existing PATH (default
    /// `.`) with no workspace at it (a mistyped PATH is the Copilot door's
    /// "path not found", never a silent switch to the snapshot alone).
    fn recognises(&self, opts: &Options) -> bool {
        opts.snapshot.is_some()
            && !opts.live
            && opts.also.is_empty()
            && opts.path.exists()
            && crate::load::find_copilot_dir(&opts.path).is_err()
    }

    fn check(&self, opts: &Options, services: &Services) -> Result<Vec<Report>, CheckError> {
        let dir = opts
            .snapshot
            .clone()
            .ok_or_else(|| CheckError::NoSnapshot(opts.path.clone()))?;
        Ok(vec![crate::door::report(
            networks(opts, &dir)?,
            services.prover,
        )])
    }
}

/// The snapshot's environments, each as a network with its evidence.
pub fn networks(opts: &Options, dir: &Path) -> Result<Networks, CheckError> {
    let snap = super::load(dir)?;
    let mut envs = environments(&snap);
    if envs.is_empty() {
        return Err(CheckError::NoEnvironmentInSnapshot(dir.to_path_buf()));
    }
    if let Some(want) = &opts.env {
        let known = envs
            .iter()
            .map(|(_, e)| e.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        envs.retain(|(_, e)| e == want);
        if envs.is_empty() {
            return Err(CheckError::UnknownEnv(want.clone(), known));
        }
    }
    let mut diagnostics = Vec::new();
    let mut out = Vec::new();
    let args = format!(
        "{} --snapshot {}",
        crate::rules::reachability::shell_word(&opts.path.display().to_string()),
        crate::rules::reachability::shell_word(&dir.display().to_string())
    );
    for (app, env) in &envs {
        let mut named = workloads(&snap, app, env);
        if let Some(s) = &opts.service {
            named.retain(|w| &w.name == s);
        }
        let live: Vec<describe::LiveWorkload> = named
            .iter()
            .map(|w| live_workload(&snap, app, env, w))
            .collect();
        let (mut built, _) = build_env(&snap, app, env, &live);
        name_by_stack(&snap, app, env, &mut built.network);
        for (wi, w) in named.iter().enumerate() {
            match evidence_of(&snap, app, env, w, &built) {
                Ok((needs, fs_uses)) => {
                    let w = &mut built.network.workloads[wi];
                    crate::evidence::task::add_to(w, needs);
                    w.fs_uses.extend(fs_uses);
                }
                Err(m) => diagnostics.push(crate::rules::limits::snapshot_unread::missing(
                    dir, &w.name, &m.text,
                )),
            }
        }
        out.push(DoorNetwork {
            env: env.clone(),
            network: built.network,
            stand_ins: built.task_placements,
            source: NetworkSource::Snapshot,
            advisor: Box::new(AccountAdvisor),
            explain_args: args.clone(),
            assumptions: vec![],
        });
    }
    for u in &snap.unread {
        diagnostics.push(crate::rules::limits::snapshot_unread::diagnostic(
            &u.file, &u.what, &u.why,
        ));
    }
    // the configuration's declared flows hold for the deployed network too
    let mut sources = crate::base::source::SourceMap::new();
    let config = opts
        .config_file
        .as_ref()
        .filter(|_| !opts.declared.is_empty())
        .map(|(p, text)| sources.add(p.clone(), text.clone()));
    Ok(Networks {
        root: dir.to_path_buf(),
        sources,
        declared: opts.declared.clone(),
        config,
        diagnostics,
        envs: out,
        unchecked: vec![],
    })
}

/// (application, environment) of every VPC Copilot tagged, in order.
fn environments(snap: &Snapshot) -> Vec<(String, String)> {
    let set: BTreeSet<(String, String)> = snap
        .vpcs
        .iter()
        .filter_map(|v| {
            let app = tag(&v.value.tags, "copilot-application")?;
            let env = tag(&v.value.tags, "copilot-environment")?;
            Some((app.to_string(), env.to_string()))
        })
        .collect();
    set.into_iter().collect()
}

/// The environment's workloads, by name: the stacks `<app>-<env>-<name>`
/// holding a `Service` (ECS or App Runner) or a `StateMachine` (a
/// Scheduled Job); without stack resources, the ECS services, App Runner
/// services and state machines Copilot names after those stacks.
fn workloads(snap: &Snapshot, app: &str, env: &str) -> Vec<Named> {
    let prefix = format!("{}-", CopilotStack::environment(app, env).name());
    let mut out: Vec<(String, WorkloadKind)> = Vec::new();
    let mut add = |name: &str, kind: WorkloadKind| {
        let plain = !name.is_empty() && !name.contains("-AddonsStack");
        if plain && !out.iter().any(|(n, _)| n == name) {
            out.push((name.to_string(), kind));
        }
    };
    for r in &snap.stack_resources {
        let Some(name) = r
            .value
            .stack_name
            .as_deref()
            .and_then(|s| s.strip_prefix(&prefix))
        else {
            continue;
        };
        match (
            r.value.logical_resource_id.as_str(),
            r.value.resource_type.as_str(),
        ) {
            ("Service", "AWS::ECS::Service") => add(name, WorkloadKind::EcsService),
            ("Service", "AWS::AppRunner::Service") => add(name, WorkloadKind::AppRunner),
            ("StateMachine", "AWS::StepFunctions::StateMachine") => {
                add(name, WorkloadKind::EcsScheduledTask)
            }
            _ => {}
        }
    }
    for s in &snap.ecs_services {
        if let Some((name, _)) = s
            .value
            .service_name
            .strip_prefix(&prefix)
            .and_then(|n| n.rsplit_once("-Service-"))
        {
            add(name, WorkloadKind::EcsService);
        }
    }
    for s in &snap.apprunner_services {
        if let Some(name) = s.value.service_name.strip_prefix(&prefix) {
            add(name, WorkloadKind::AppRunner);
        }
    }
    for m in &snap.state_machines {
        if let Some(name) = m.value.name.strip_prefix(&prefix) {
            add(name, WorkloadKind::EcsScheduledTask);
        }
    }
    out.sort();
    out.into_iter()
        .map(|(name, kind)| Named {
            name,
            kind,
            client: ClientKind::FargateLinux,
        })
        .collect()
}

/// Databases and file systems take the logical id their stack gives them
/// (the name the files use too), and the owner the stack says: a
/// workload's addons stack, or the environment's stacks.
fn name_by_stack(snap: &Snapshot, app: &str, env: &str, net: &mut Network) {
    let env_stack = CopilotStack::environment(app, env).name();
    let owner_of = |stack: &str| -> Owner {
        let rest = stack.strip_prefix(&format!("{env_stack}-"));
        match rest.and_then(|r| r.split_once("-AddonsStack")) {
            Some(("", _)) | None => Owner::Environment,
            Some((w, _)) => Owner::Workload(w.to_string()),
        }
    };
    let lookup = |physical: &str| {
        snap.stack_resources.iter().find_map(|r| {
            let stack = r.value.stack_name.as_deref()?;
            (r.value.physical_resource_id == physical
                && (stack == env_stack || stack.starts_with(&format!("{env_stack}-"))))
            .then(|| (r.value.logical_resource_id.clone(), owner_of(stack)))
        })
    };
    for d in &mut net.databases {
        if let Some((logical, owner)) = lookup(&d.name) {
            d.name = logical;
            d.owner = owner;
        }
    }
    for f in &mut net.file_systems {
        if let Some((logical, _)) = lookup(&f.name) {
            f.name = logical;
        }
    }
}

/// What a workload's deployed definition says it needs: an ECS task
/// definition's facts and EFS volumes, or an App Runner service's facts.
fn evidence_of(
    snap: &Snapshot,
    app: &str,
    env: &str,
    w: &Named,
    built: &describe::Built,
) -> Result<(Vec<TaskNeed>, Vec<FsUse>), Missing> {
    let stack = CopilotStack::workload(app, env, &w.name).name();
    if w.kind == WorkloadKind::AppRunner {
        let svc = apprunner_service(snap, &stack);
        return Ok((
            svc.map(|s| needs(&facts::apprunner(s))).unwrap_or_default(),
            vec![],
        ));
    }
    let service_td = ecs_service(snap, &stack).and_then(|s| s.value.task_definition.as_deref());
    let td = facts::task_definition(snap, service_td, &stack)?;
    let fs_uses = facts::efs_volumes(&td.value)
        .into_iter()
        .map(|(volume, id)| FsUse {
            fs: built.fs_by_id.get(&id).copied().ok_or_else(|| {
                Missing::new(
                    Fact::Describe(Kind::MountTargets.call().into()),
                    format!(
                        "the mount targets of file system {id} in the environment's VPC (save `aws efs describe-mount-targets --file-system-id {id}`)"
                    ),
                )
            }),
            reason: format!(
                "the task mounts volume `{volume}` (EFS file system {id}) when it starts"
            ),
            origin: td.origin.clone(),
        })
        .collect();
    Ok((needs(&facts::ecs(td)), fs_uses))
}
