//! Snapshot records: AWS CLI Describe output read by
//! `repr::describe::Snapshot::add_file`, de-duplicated (the same files read
//! twice, from two folders, must give as many records of each kind as read
//! once: `Snapshot::dedup` keeps a record once by id), then each VPC of it
//! (at most four) converted into the model by `repr::describe::build` with
//! the workloads the records describe (each ECS service's awsvpc network,
//! each App Runner service's connector or managed egress, and one workload
//! whose compute is unknown), and the derived flows proved, running tasks
//! standing in for their workloads. Also the facts a task definition or an
//! App Runner service states (`door::snapshot::facts`), an ECS service's
//! added to its workload's evidence (`evidence::task`) before the proof.
//!
//! Input: a bundle (see `common`): NUL-separated sections, each a file name
//! line then the file's JSON, as a snapshot directory would hold them.

#![no_main]

mod common;

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use reachlint::base::unknown::Missing;
use reachlint::door::snapshot::facts;
use reachlint::evidence::task::{add_to, needs};
use reachlint::model::{ClientKind, Component, WorkloadKind};
use reachlint::repr::describe::{self, Kind, LiveEgress, LiveWorkload, Snapshot};

fn workloads(snap: &Snapshot) -> Vec<LiveWorkload> {
    let mut out = Vec::new();
    for s in snap.ecs_services.iter().take(8) {
        let Some(n) = &s.value.network_configuration else {
            continue;
        };
        let c = &n.awsvpc_configuration;
        let windows = s
            .value
            .platform_family
            .as_deref()
            .is_some_and(|p| p.to_ascii_lowercase().starts_with("windows"));
        out.push(LiveWorkload {
            name: s.value.service_name.clone(),
            kind: WorkloadKind::EcsService,
            egress: LiveEgress::Enis {
                component: Component::EcsTask,
                subnets: c.subnets.clone(),
                sgs: c.security_groups.clone(),
                public_ip: c.assign_public_ip.eq_ignore_ascii_case("ENABLED"),
                client: if windows {
                    ClientKind::FargateWindows
                } else {
                    ClientKind::FargateLinux
                },
                tasks: vec![],
            },
            targets: s
                .value
                .load_balancers
                .iter()
                .filter_map(|l| {
                    Some((
                        l.target_group_arn.clone()?,
                        l.container_port?,
                        s.origin.clone(),
                    ))
                })
                .collect(),
            origin: s.origin.clone(),
        });
    }
    for s in snap.apprunner_services.iter().take(4) {
        let e = &s.value.network_configuration.egress_configuration;
        let connector = snap
            .connectors
            .iter()
            .find(|c| Some(c.value.vpc_connector_arn.as_str()) == e.vpc_connector_arn.as_deref());
        let egress = match connector {
            Some(c) if e.egress_type.eq_ignore_ascii_case("VPC") => LiveEgress::Enis {
                component: Component::VpcConnector,
                subnets: c.value.subnets.clone(),
                sgs: c.value.security_groups.clone(),
                public_ip: false,
                client: ClientKind::AppRunnerConnector,
                tasks: vec![],
            },
            _ => LiveEgress::Managed,
        };
        out.push(LiveWorkload {
            name: s.value.service_name.clone(),
            kind: WorkloadKind::AppRunner,
            egress,
            targets: vec![],
            origin: s.origin.clone(),
        });
    }
    out.push(LiveWorkload {
        name: "unseen".into(),
        kind: WorkloadKind::EcsScheduledTask,
        egress: LiveEgress::Unknown(
            snap.lacks(Kind::StateMachines, "the job's state machine")
                .unwrap_or_else(|| Missing::other("the job's state machine (not in the snapshot)")),
        ),
        targets: vec![],
        origin: Default::default(),
    });
    out
}

/// How many records of each kind.
fn counts(s: &Snapshot) -> [usize; 25] {
    [
        s.vpcs.len(),
        s.subnets.len(),
        s.route_tables.len(),
        s.security_groups.len(),
        s.sg_rules.len(),
        s.acls.len(),
        s.nat_gateways.len(),
        s.igws.len(),
        s.endpoints.len(),
        s.db_clusters.len(),
        s.db_instances.len(),
        s.db_subnet_groups.len(),
        s.connectors.len(),
        s.apprunner_services.len(),
        s.stack_resources.len(),
        s.exports.len(),
        s.ecs_services.len(),
        s.ecs_tasks.len(),
        s.enis.len(),
        s.state_machines.len(),
        s.mount_targets.len(),
        s.task_definitions.len(),
        s.load_balancers.len(),
        s.listeners.len(),
        s.target_groups.len(),
    ]
}

fuzz_target!(|data: &[u8]| {
    let dir = Path::new("/fuzz/snapshot");
    let files: Vec<_> = common::bundle(data)
        .into_iter()
        // the door reads each file with `read_to_string`: text only
        .filter_map(|(rel, json)| Some((rel, std::str::from_utf8(json).ok()?)))
        .collect();
    let mut snap = Snapshot::default();
    for (rel, json) in &files {
        snap.add_file(&dir.join(rel), json);
    }
    snap.dedup();
    // the same call saved twice is read once
    let mut twice = Snapshot::default();
    for copy in ["/fuzz/snapshot", "/fuzz/snapshot/again"] {
        for (rel, json) in &files {
            twice.add_file(&Path::new(copy).join(rel), json);
        }
    }
    twice.dedup();
    assert_eq!(
        counts(&snap),
        counts(&twice),
        "records read twice are not kept once"
    );
    let _ = snap.physical("app-test", "VPC");
    let _ = snap.physical("app-test-svc", "Service");
    let _ = snap.group_named("EnvironmentSecurityGroup");

    for td in snap.task_definitions.iter().take(8) {
        let _ = facts::ecs(td);
        let _ = facts::efs_volumes(&td.value);
        let _ =
            facts::task_definition(&snap, Some(&td.value.task_definition_arn), &td.value.family);
        let _ = td.value.revision();
    }
    for s in snap.apprunner_services.iter().take(4) {
        let _ = facts::apprunner(s);
    }

    let live = workloads(&snap);
    for vpc in snap.vpcs.iter().take(4) {
        let mut built = describe::build(&snap, &vpc.value.vpc_id, &live);
        // what each ECS service's task definition says it needs
        for w in &mut built.network.workloads {
            let Some(s) = snap
                .ecs_services
                .iter()
                .find(|s| s.value.service_name == w.name)
            else {
                continue;
            };
            if let Ok(td) = facts::task_definition(&snap, s.value.task_definition.as_deref(), "") {
                add_to(w, needs(&facts::ecs(td)));
            }
        }
        let flows = reachlint::verify::derive_flows(&built.network);
        let _ = reachlint::verify::analyze_with_stand_ins(
            &built.network,
            &flows,
            &built.task_placements,
        );
    }
});
