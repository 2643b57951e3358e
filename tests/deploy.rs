//! Deploy blockers (RL5xx) beyond their pages' examples: Copilot's
//! defaults, overrides, the date and the data a finding assumes, and the
//! cases that must stay silent (unknown zones, secondary CIDR blocks).

mod common;

use common::Ws;
use reachlint::app::check;
use reachlint::base::{Date, RuleId, Severity};
use reachlint::door::Options;
use reachlint::outcome::Report;
use reachlint::rules::data::Data;
use std::sync::Arc;

fn rules_of(r: &Report) -> Vec<RuleId> {
    r.diagnostics.iter().map(|d| d.rule).collect()
}

fn check_as_of(ws: &Ws, as_of: &str) -> Report {
    check(&Options {
        path: ws.root.clone(),
        data: Arc::new(Data::load(None, Date::parse(as_of)).unwrap()),
        ..Options::default()
    })
    .unwrap()
}

const IMG: &str = "image:\n  build: Dockerfile\n  port: 8080\n";

#[test]
fn task_sizes_count_copilots_defaults_and_overrides() {
    // cpu 1024 alone: memory is Copilot's default 512, not a Fargate size
    let ws = Ws::new("size-default").file(
        "api/manifest.yml",
        &format!("name: api\ntype: Backend Service\n{IMG}cpu: 1024\n"),
    );
    let r = ws.check();
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.rule == RuleId::FargateTaskSize)
        .expect("RL505");
    assert!(
        d.message.contains("memory not set: Copilot's default 512"),
        "{}",
        d.message
    );
    assert!(d.help.as_deref().unwrap().contains("2048 to 8192"));
    // Windows: 256 is no Windows size
    let ws = Ws::new("size-windows").file(
        "api/manifest.yml",
        &format!("name: api\ntype: Backend Service\n{IMG}platform: windows/x86_64\ncpu: 256\nmemory: 512\n"),
    );
    assert!(rules_of(&ws.check()).contains(&RuleId::FargateTaskSize));
    // an environment override that fixes the size in `test`
    let ws = Ws::new("size-override").file(
        "api/manifest.yml",
        &format!("name: api\ntype: Backend Service\n{IMG}cpu: 256\nmemory: 4096\nenvironments:\n  test:\n    cpu: 1024\n"),
    );
    assert!(!rules_of(&ws.check()).contains(&RuleId::FargateTaskSize));
    // App Runner: defaults 1024/2048; 4096 cpu alone keeps 2048 memory
    let ws = Ws::new("size-rdws").file(
        "front/manifest.yml",
        &format!("name: front\ntype: Request-Driven Web Service\n{IMG}cpu: 4096\n"),
    );
    let r = ws.check();
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.rule == RuleId::AppRunnerInstanceSize)
        .expect("RL504");
    assert!(d.help.as_deref().unwrap().contains("8192, 10240, 12288"));
    let ws = Ws::new("size-rdws-ok").file(
        "front/manifest.yml",
        &format!("name: front\ntype: Request-Driven Web Service\n{IMG}cpu: 256\nmemory: 512\n"),
    );
    assert!(rules_of(&ws.check()).is_empty());
}

const V1: &str = "Resources:
  Db:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-mysql
      EngineVersion: 8.0.mysql_aurora.3.02.0
      EngineMode: serverless
      DBSubnetGroupName: !Ref Subnets
  Subnets:
    Type: AWS::RDS::DBSubnetGroup
    Properties:
      DBSubnetGroupDescription: db
      SubnetIds: !Split [',', {'Fn::ImportValue': !Sub '${App}-${Env}-PrivateSubnets'}]
Parameters:
  App: {Type: String}
  Env: {Type: String}
  Name: {Type: String}
";

#[test]
fn serverless_v1_depends_on_the_day_and_says_which_it_assumed() {
    let ws = Ws::new("v1-dates")
        .file(
            "api/manifest.yml",
            &format!("name: api\ntype: Backend Service\n{IMG}"),
        )
        .file("api/addons/db.yml", V1);
    let r = check_as_of(&ws, "2026-12-01");
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.rule == RuleId::AuroraServerlessV1)
        .expect("RL503");
    assert_eq!(d.severity, Severity::Error);
    assert!(d.message.contains("reached end of life on 2025-03-31"));
    assert!(d.message.contains("as of 2026-12-01"));
    // before its end it was a warning saying when it ends
    let r = check_as_of(&ws, "2024-06-01");
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.rule == RuleId::AuroraServerlessV1)
        .expect("RL503");
    assert_eq!(d.severity, Severity::Warning);
    assert!(d.message.contains("reaches end of life on 2025-03-31"));
    // the aurora-mysql version is listed but no longer offered
    let v = r
        .diagnostics
        .iter()
        .find(|d| d.rule == RuleId::EngineVersionNotOffered)
        .expect("RL502");
    assert!(v.message.contains("8.0.mysql_aurora.3.02.0"));
    assert!(v.help.as_deref().unwrap().contains("8.0.mysql_aurora."));
    assert!(
        !v.help.as_deref().unwrap().contains("Family"),
        "same major: the family stays"
    );
}

/// `--data-dir` takes a newer copy of a data file; a copy without its
/// source or date stops the run; `--as-of` must be a date.
#[test]
fn data_dir_and_as_of_flags() {
    let bin = env!("CARGO_BIN_EXE_reachlint");
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/apprunner-vpc-v2");
    let dir = std::env::temp_dir().join(format!("reachlint-datadir-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // a newer RDS list in which 14.4 is offered again
    let builtin: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/rds-engine-versions.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let mut newer = builtin.clone();
    let no = &mut newer["resources"]["AWS::RDS::DBCluster"]["aurora-postgresql"]["not_offered"];
    let list: Vec<serde_json::Value> = no
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| *v != "14.4")
        .cloned()
        .collect();
    *no = serde_json::Value::Array(list);
    newer["checked"] = "2027-01-15".into();
    std::fs::write(dir.join("rds-engine-versions.json"), newer.to_string()).unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(bin)
            .args(["check", fixture, "--format", "json"])
            .args(args)
            .output()
            .unwrap()
    };
    let rules = |o: &std::process::Output| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(rules(&run(&[])), ["RL502"]);
    let d = dir.to_str().unwrap();
    assert!(rules(&run(&["--data-dir", d])).is_empty());
    // no date: refused, exit 2, saying why
    newer.as_object_mut().unwrap().remove("checked");
    std::fs::write(dir.join("rds-engine-versions.json"), newer.to_string()).unwrap();
    let o = run(&["--data-dir", d]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("rds-engine-versions.json"));
    let o = run(&["--as-of", "next tuesday"]);
    assert_eq!(o.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).ok();
}

fn aurora(subnets: &str, writer_az: &str, extra: &str) -> String {
    format!(
        "Parameters:
  App: {{Type: String}}
  Env: {{Type: String}}
  Name: {{Type: String}}
Resources:
{extra}  Subnets:
    Type: AWS::RDS::DBSubnetGroup
    Properties:
      DBSubnetGroupDescription: db
      SubnetIds: {subnets}
  Db:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-postgresql
      EngineVersion: '16.15'
      DBSubnetGroupName: !Ref Subnets
      ServerlessV2ScalingConfiguration: {{MinCapacity: 0.5, MaxCapacity: 8}}
  Writer:
    Type: AWS::RDS::DBInstance
    Properties:
      DBClusterIdentifier: !Ref Db
      DBInstanceClass: db.serverless
      Engine: aurora-postgresql
      AvailabilityZone: {writer_az}
"
    )
}

const PRIVATE: &str = "!Split [',', {'Fn::ImportValue': !Sub '${App}-${Env}-PrivateSubnets'}]";

#[test]
fn subnet_group_zones_are_judged_only_when_known() {
    let ws = |name: &str, addon: String| {
        Ws::new(name)
            .file(
                "api/manifest.yml",
                &format!("name: api\ntype: Backend Service\n{IMG}"),
            )
            .file("api/addons/db.yml", &addon)
    };
    // the default: two zones, the writer in the first
    let r = ws("az-ok", aurora(PRIVATE, "!Select [0, !GetAZs '']", "")).check();
    let deploy: Vec<_> = rules_of(&r)
        .into_iter()
        .filter(|r| r.code().starts_with("RL5"))
        .collect();
    assert!(deploy.is_empty(), "{deploy:?}");
    // literal subnet ids: their zones are unknown, nothing is judged
    let r = ws(
        "az-literal",
        aurora(
            "[subnet-0aaa1111, subnet-0bbb2222]",
            "!Select [5, !GetAZs '']",
            "",
        ),
    )
    .check();
    assert!(!rules_of(&r).iter().any(|r| matches!(
        r,
        RuleId::DbSubnetGroupSingleAz | RuleId::DbZoneOutsideSubnetGroup
    )));
    // a zone by name against zones by index: not comparable, silent
    let r = ws("az-named", aurora(PRIVATE, "eu-west-1c", "")).check();
    assert!(!rules_of(&r).contains(&RuleId::DbZoneOutsideSubnetGroup));
    // one subnet of the group: one zone, and the writer outside it
    let one = "[{'Fn::Select': [1, !Split [',', {'Fn::ImportValue': !Sub '${App}-${Env}-PrivateSubnets'}]]}]";
    let r = ws("az-one", aurora(one, "!Select [0, !GetAZs '']", "")).check();
    let rules = rules_of(&r);
    assert!(rules.contains(&RuleId::DbSubnetGroupSingleAz), "{rules:?}");
    assert!(
        rules.contains(&RuleId::DbZoneOutsideSubnetGroup),
        "{rules:?}"
    );
}

#[test]
fn subnet_blocks_inside_the_vpc_and_apart() {
    let env = |subnets: &str| {
        format!("name: test\ntype: Environment\nnetwork:\n  vpc:\n    cidr: 10.1.0.0/16\n    subnets:\n{subnets}")
    };
    let ok = "      public:\n        - cidr: 10.1.0.0/24\n        - cidr: 10.1.1.0/24\n      private:\n        - cidr: 10.1.2.0/24\n        - cidr: 10.1.3.0/24\n";
    let ws = Ws::new("cidr-ok")
        .file("environments/test/manifest.yml", &env(ok))
        .file(
            "api/manifest.yml",
            &format!("name: api\ntype: Backend Service\n{IMG}"),
        );
    assert!(rules_of(&ws.check()).is_empty());
    // an addon subnet in a secondary block of the VPC is fine; one outside is not
    let addon = |cidr: &str, secondary: bool| {
        format!(
            "Parameters:\n  App: {{Type: String}}\n  Env: {{Type: String}}\n  Name: {{Type: String}}\nResources:\n{}  Extra:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: {{'Fn::ImportValue': !Sub '${{App}}-${{Env}}-VpcId'}}\n      CidrBlock: {cidr}\n",
            if secondary {
                "  Block:\n    Type: AWS::EC2::VPCCidrBlock\n    Properties:\n      VpcId: {'Fn::ImportValue': !Sub '${App}-${Env}-VpcId'}\n      CidrBlock: 10.9.0.0/16\n"
            } else {
                ""
            }
        )
    };
    ws.write("api/addons/extra.yml", addon("10.9.1.0/24", true));
    assert!(!rules_of(&ws.check()).contains(&RuleId::SubnetOutsideVpc));
    ws.write("api/addons/extra.yml", addon("10.9.1.0/24", false));
    assert!(rules_of(&ws.check()).contains(&RuleId::SubnetOutsideVpc));
    // overlapping a manifest subnet: located at the addon's block, the other related
    ws.write("api/addons/extra.yml", addon("10.1.3.0/25", false));
    let r = ws.check();
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.rule == RuleId::OverlappingSubnets)
        .expect("RL509");
    assert!(
        d.message.contains("10.1.3.0/25") && d.message.contains("10.1.3.0/24"),
        "{}",
        d.message
    );
    assert_eq!(d.related.len(), 1);
}
