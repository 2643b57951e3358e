//! ECS workloads through the real binary: the scenario fixtures of issue 6
//! with the verdicts they must get (their whole output is pinned by
//! `expected.json`, checked in tests/cli.rs).

mod common;

use serde_json::Value;

fn check(fixture: &str) -> (Value, i32) {
    common::check_fixture(fixture)
}

/// The verdict of `service`'s flow to `target` (a kind, or a name).
fn verdict(v: &Value, service: &str, target: &str) -> String {
    common::flow_of(v, service, target)["verdict"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

fn rules(v: &Value) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["rule"].as_str().unwrap_or("").to_string())
        .collect()
}

const TASK_START: [&str; 4] = ["ecr.api", "ecr.dkr", "s3", "logs"];

#[test]
fn lbws_with_its_workload_aurora_addon_reaches_everything() {
    let (v, code) = check("ecs-lbws-aurora");
    assert_eq!(code, 0);
    assert_eq!(verdict(&v, "web", "database"), "reachable");
    for t in TASK_START.iter().chain(&["secretsmanager"]) {
        assert_eq!(verdict(&v, "web", t), "reachable", "{t}");
    }
    let db = v["reachability"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["target"]["kind"] == "database")
        .unwrap();
    assert!(db["reason"].as_str().unwrap().contains("addons create"));
    let ecr = v["reachability"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["target"]["name"] == "ecr.api")
        .unwrap();
    assert_eq!(ecr["needed_for"], serde_json::json!(["task-start"]));
}

#[test]
fn environment_aurora_attached_or_misindented() {
    let (v, code) = check("ecs-env-aurora");
    assert_eq!(code, 0, "{v}");
    assert_eq!(verdict(&v, "orders", "database"), "reachable");
    assert_eq!(verdict(&v, "orders", "secretsmanager"), "reachable");
    let (v, code) = check("ecs-env-aurora-misindented");
    assert_eq!(code, 1);
    assert_eq!(verdict(&v, "orders", "database"), "unreachable");
    let r = rules(&v);
    assert!(
        r.contains(&"RL102".into()) && r.contains(&"RL401".into()),
        "{r:?}"
    );
    let db = v["reachability"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["target"]["kind"] == "database")
        .unwrap();
    assert!(
        db["reason"].as_str().unwrap().contains("imports"),
        "the flow comes from the reference: {}",
        db["reason"]
    );
}

#[test]
fn private_backend_worker_without_default_group_and_a_job() {
    let (v, code) = check("ecs-mixed");
    assert_eq!(code, 0, "{v}");
    for t in TASK_START {
        assert_eq!(verdict(&v, "api", t), "reachable", "api {t}");
        assert_eq!(verdict(&v, "worker", t), "reachable", "worker {t}");
    }
    assert_eq!(verdict(&v, "worker", "sqs"), "reachable");
    // the job's public image needs the internet to start
    let job_net = v["reachability"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["service"] == "report" && f["target"]["kind"] == "internet")
        .unwrap();
    assert_eq!(job_net["needed"], true);
    assert_eq!(job_net["verdict"], "reachable");
}

#[test]
fn explicit_private_subnets_need_endpoints_to_start() {
    let (v, code) = check("ecs-private-no-nat");
    assert_eq!(code, 1);
    for t in TASK_START.iter().chain(&["secretsmanager"]) {
        assert_eq!(verdict(&v, "billing", t), "unreachable", "{t}");
    }
    let (v, code) = check("ecs-private-endpoints");
    assert_eq!(code, 0, "{v}");
    for t in TASK_START.iter().chain(&["secretsmanager"]) {
        assert_eq!(verdict(&v, "billing", t), "reachable", "{t}");
    }
    let s3 = v["reachability"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["target"]["name"] == "s3")
        .unwrap();
    assert!(s3["path"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["id"] == "S3GatewayEndpoint"));
}

#[test]
fn an_ecs_addon_acl_blocks_the_app_runner_service_beside_it() {
    let (v, code) = check("ecs-nacl-blocks-apprunner");
    assert_eq!(code, 1);
    assert_eq!(verdict(&v, "frontend", "internet"), "unreachable");
    let f = v["reachability"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["service"] == "frontend")
        .unwrap();
    assert!(f["blockers"].as_array().unwrap().iter().any(|b| b["file"]
        .as_str()
        .unwrap_or("")
        .ends_with("batch/addons/lockdown.yml")));
}

#[test]
fn the_load_balancers_sit_in_the_subnets_copilot_gives_them() {
    use reachlint::app::check;
    use reachlint::door::Options;
    use reachlint::model::SubnetSet;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (fixture, name, sg, internet_facing, subnets) in [
        (
            "ecs-lbws-aurora",
            "PublicLoadBalancer",
            "PublicHTTPLoadBalancerSecurityGroup",
            true,
            ["PublicSubnet1", "PublicSubnet2"],
        ),
        (
            "ecs-mixed",
            "InternalLoadBalancer",
            "InternalLoadBalancerSecurityGroup",
            false,
            ["PrivateSubnet1", "PrivateSubnet2"],
        ),
    ] {
        let r = check(&Options {
            path: root.join("fixtures").join(fixture),
            ..Options::default()
        })
        .expect("fixture checks");
        let net = &r.envs[0].network;
        let lb = net
            .load_balancers
            .iter()
            .find(|l| l.name == name)
            .expect("the load balancer");
        assert_eq!(lb.internet_facing, internet_facing);
        let SubnetSet::Known(l) = &lb.subnets else {
            panic!("known subnets");
        };
        let names: Vec<&str> = l.iter().map(|s| net.subnet(*s).name.as_str()).collect();
        assert_eq!(names, subnets);
        assert_eq!(net.sg(lb.sgs[0]).name, sg);
        // the environment group admits the load balancer
        let env_sg = net
            .sgs
            .iter()
            .find(|g| g.name == "EnvironmentSecurityGroup")
            .expect("the environment group");
        assert!(
            env_sg.ingress.iter().any(|r| r.text.contains(sg)),
            "{fixture}"
        );
    }
}

#[test]
fn efs_volumes_need_nfs_to_the_mount_targets() {
    let (v, code) = check("ecs-mixed");
    assert_eq!(code, 0);
    assert_eq!(verdict(&v, "api", "file-system"), "reachable");
    let fs = v["reachability"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["target"]["kind"] == "file-system")
        .unwrap();
    assert_eq!(fs["port"], 2049);
    assert_eq!(fs["needed_for"], serde_json::json!(["task-start"]));
    // deny_default drops the environment group, which the file system's
    // group admits: the volume cannot be mounted (spec 5.3)
    let root = std::env::temp_dir().join(format!("reachlint-efs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ecs-mixed/copilot");
    let copy = |rel: &str| {
        let to = root.join("copilot").join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(src.join(rel), to).unwrap();
    };
    for f in [
        ".workspace",
        "environments/test/manifest.yml",
        "worker/manifest.yml",
        "worker/addons/egress.yml",
    ] {
        copy(f);
    }
    let m = root.join("copilot/worker/manifest.yml");
    let text = std::fs::read_to_string(&m).unwrap()
        + "storage:\n  volumes:\n    shared:\n      path: /mnt/shared\n      efs: true\n";
    std::fs::write(&m, text).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_reachlint"))
        .args(["check", root.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(verdict(&v, "worker", "file-system"), "unreachable");
    assert_eq!(o.status.code(), Some(1));
    let _ = std::fs::remove_dir_all(&root);
}
