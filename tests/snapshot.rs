//! The Describe-snapshot front door: the network a saved snapshot shows,
//! proved with the same flows as the files, and where the two differ.
//! `fixtures/snapshot-apprunner-vpc` is the network
//! `fixtures/apprunner-vpc-v2-current` deploys, written by hand in the AWS
//! CLI's output shape (Batfish's `aws_configs/<region>/` layout).

use serde_json::Value;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const WS: &str = "fixtures/apprunner-vpc-v2-current";

/// A copy of the fixture snapshot to edit, removed when dropped.
struct Snap {
    root: PathBuf,
}

impl Snap {
    fn copy(name: &str) -> Snap {
        Snap::copy_of("snapshot-apprunner-vpc", "us-east-1", name)
    }

    fn copy_of(fixture: &str, region: &str, name: &str) -> Snap {
        let root =
            std::env::temp_dir().join(format!("reachlint-snap-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let from = Path::new(ROOT)
            .join("fixtures")
            .join(fixture)
            .join("snapshot/aws_configs")
            .join(region);
        let to = root.join("aws_configs").join(region);
        std::fs::create_dir_all(&to).unwrap();
        for e in std::fs::read_dir(from).unwrap().flatten() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
        Snap { root }
    }

    fn file(&self, name: &str) -> PathBuf {
        let regions = self.root.join("aws_configs");
        let region = std::fs::read_dir(&regions)
            .unwrap()
            .flatten()
            .next()
            .unwrap()
            .path();
        region.join(name)
    }

    fn edit(&self, name: &str, f: impl FnOnce(&mut Value)) {
        let p = self.file(name);
        let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        f(&mut v);
        std::fs::write(p, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    }

    /// Revokes every ingress rule of one group, as if by hand.
    fn revoke_ingress(&self, group: &str) {
        self.edit("security-groups.json", |v| {
            for g in v["SecurityGroups"].as_array_mut().unwrap() {
                if g["GroupId"] == group {
                    g["IpPermissions"] = Value::Array(vec![]);
                }
            }
        });
    }

    fn path(&self) -> &str {
        self.root.to_str().unwrap()
    }
}

impl Drop for Snap {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn check(snapshot: &str) -> (Value, i32) {
    check_ws(WS, snapshot)
}

fn check_ws(ws: &str, snapshot: &str) -> (Value, i32) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_reachlint"))
        .current_dir(ROOT)
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .args(["check", ws, "--snapshot", snapshot, "--format", "json"])
        .output()
        .unwrap();
    let v = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("no JSON: {}", String::from_utf8_lossy(&o.stderr)));
    (v, o.status.code().unwrap_or(-1))
}

/// The flows to reach of one network (the exposure checks, which must
/// not get through, are asserted apart: `isolations`).
fn flows<'a>(v: &'a Value, source: &str) -> Vec<&'a Value> {
    v["reachability"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["source"] == source && f["isolation"] != true)
        .collect()
}

/// The exposure checks of one network: (target kind, verdict).
fn isolations(v: &Value, source: &str) -> Vec<(String, String)> {
    v["reachability"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["source"] == source && f["isolation"] == true)
        .map(|f| (f["target"]["kind"].to_string(), f["verdict"].to_string()))
        .collect()
}

fn flow<'a>(v: &'a Value, source: &str, kind: &str) -> &'a Value {
    flows(v, source)
        .into_iter()
        .find(|f| f["target"]["kind"] == kind)
        .unwrap_or_else(|| panic!("no {source} {kind} flow in {v:#}"))
}

fn rules(v: &Value) -> Vec<&str> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect()
}

#[test]
fn the_deployed_network_gets_the_verdicts_the_files_get() {
    let (v, code) = check("fixtures/snapshot-apprunner-vpc/snapshot");
    assert_eq!(code, 0, "{v:#}");
    assert!(rules(&v).is_empty(), "{:#}", v["diagnostics"]);
    let files = flows(&v, "files");
    let deployed = flows(&v, "snapshot");
    assert_eq!(files.len(), 3);
    assert_eq!(files.len(), deployed.len());
    // the database is proved isolated from the internet in both
    let isolated = vec![("\"database\"".to_string(), "\"unreachable\"".to_string())];
    assert_eq!(isolations(&v, "files"), isolated);
    assert_eq!(isolations(&v, "snapshot"), isolated);
    for (f, d) in files.iter().zip(&deployed) {
        assert_eq!(f["service"], d["service"]);
        assert_eq!(f["target"]["kind"], d["target"]["kind"]);
        assert_eq!(f["verdict"], "reachable");
        assert_eq!(d["verdict"], "reachable", "{d:#}");
        assert_eq!(f["placements_checked"], d["placements_checked"]);
    }
    // provenance: the deployed path names the resources and calls
    let db = flow(&v, "snapshot", "database");
    assert_eq!(db["port"], 5432);
    let text = db["path"].to_string();
    assert!(
        text.contains("sg-0330000000000001") && text.contains("subnet-0bb0000000000001"),
        "{text}"
    );
}

#[test]
fn a_revoked_database_rule_is_unreachable_and_drift_at_the_template_line() {
    let s = Snap::copy("revoked");
    s.revoke_ingress("sg-0330000000000001");
    let (v, code) = check(s.path());
    assert_eq!(code, 1);
    assert_eq!(flow(&v, "files", "database")["verdict"], "reachable");
    let db = flow(&v, "snapshot", "database");
    assert_eq!(db["verdict"], "unreachable");
    assert_eq!(db["blockers"][0]["code"], "ENI_SG_RULES_MISMATCH");
    let diags = v["diagnostics"].as_array().unwrap();
    let drift = diags.iter().find(|d| d["rule"] == "RL601").expect("RL601");
    assert!(drift["file"]
        .as_str()
        .unwrap()
        .ends_with("copilot/demo-service/addons/demoDb.yml"));
    let addon = std::fs::read_to_string(
        Path::new(ROOT)
            .join(WS)
            .join("copilot/demo-service/addons/demoDb.yml"),
    )
    .unwrap();
    let line = addon
        .lines()
        .nth(drift["line"].as_u64().unwrap() as usize - 1)
        .unwrap();
    assert!(
        line.contains("ToPort: 5432") || line.contains("- "),
        "{line}"
    );
    let blocked = diags.iter().find(|d| d["rule"] == "RL401").expect("RL401");
    assert!(blocked["message"]
        .as_str()
        .unwrap()
        .contains("as deployed (snapshot)"));
    assert!(blocked["file"]
        .as_str()
        .unwrap()
        .ends_with("security-groups.json"));
}

#[test]
fn a_rule_added_by_hand_is_located_in_the_snapshot_with_its_id() {
    let s = Snap::copy("added");
    s.edit("security-groups.json", |v| {
        for g in v["SecurityGroups"].as_array_mut().unwrap() {
            if g["GroupId"] == "sg-0330000000000001" {
                g["IpPermissions"]
                    .as_array_mut()
                    .unwrap()
                    .push(serde_json::json!({
                        "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                        "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "UserIdGroupPairs": []
                    }));
            }
        }
    });
    let (v, code) = check(s.path());
    assert_eq!(code, 0, "drift is a warning");
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "RL602")
        .expect("RL602");
    assert_eq!(d["arn"], "sg-0330000000000001");
    assert!(d["file"]
        .as_str()
        .unwrap()
        .ends_with("security-groups.json"));
    assert!(d["message"]
        .as_str()
        .unwrap()
        .contains("tcp/5432 from 0.0.0.0/0"));
}

#[test]
fn missing_describe_output_makes_verdicts_unknown_naming_the_call() {
    let s = Snap::copy("noroutes");
    std::fs::remove_file(s.file("route-tables.json")).unwrap();
    let (v, code) = check(s.path());
    assert_eq!(code, 0);
    let net = flow(&v, "snapshot", "internet");
    assert_eq!(net["verdict"], "unknown");
    assert!(
        net["missing"]
            .to_string()
            .contains("ec2:DescribeRouteTables"),
        "{net:#}"
    );
    // a present, empty list means there are none: no NAT gateways
    let s = Snap::copy("nonat");
    s.edit("nat-gateways.json", |v| {
        v["NatGateways"] = Value::Array(vec![])
    });
    let (v, code) = check(s.path());
    assert_eq!(code, 1);
    assert_eq!(flow(&v, "snapshot", "internet")["verdict"], "unreachable");
}

#[test]
fn unread_files_and_keys_are_reported() {
    let s = Snap::copy("unread");
    std::fs::write(
        s.file("instances.json"),
        r#"{"Reservations": [], "NextToken": null}"#,
    )
    .unwrap();
    std::fs::write(s.file("notes.txt"), "taken during the incident").unwrap();
    std::fs::write(s.file("broken.json"), "{not json").unwrap();
    let (v, _) = check(s.path());
    let unread: Vec<&Value> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "RL906")
        .collect();
    assert_eq!(unread.len(), 3, "{unread:#?}");
    assert!(unread
        .iter()
        .any(|d| d["message"].as_str().unwrap().contains("/Reservations")));
}

#[test]
fn security_group_rules_win_over_ip_permissions() {
    let s = Snap::copy("sgrules");
    // the newer call's rules: every group egresses, nobody is admitted
    let rules: Vec<Value> = [
        "sg-0110000000000001",
        "sg-0220000000000001",
        "sg-0330000000000001",
    ]
    .iter()
    .enumerate()
    .map(|(i, g)| {
        serde_json::json!({
            "SecurityGroupRuleId": format!("sgr-000000000000000{i}"),
            "GroupId": g, "IsEgress": true, "IpProtocol": "-1",
            "FromPort": -1, "ToPort": -1, "CidrIpv4": "0.0.0.0/0"
        })
    })
    .collect();
    std::fs::write(
        s.file("security-group-rules.json"),
        serde_json::json!({ "SecurityGroupRules": rules }).to_string(),
    )
    .unwrap();
    let (v, _) = check(s.path());
    assert_eq!(flow(&v, "snapshot", "database")["verdict"], "unreachable");
    assert_eq!(flow(&v, "snapshot", "internet")["verdict"], "reachable");
}

#[test]
fn pages_of_one_call_are_merged_and_duplicates_kept_once() {
    let s = Snap::copy("pages");
    let all: Value =
        serde_json::from_str(&std::fs::read_to_string(s.file("subnets.json")).unwrap()).unwrap();
    let subnets = all["Subnets"].as_array().unwrap();
    std::fs::remove_file(s.file("subnets.json")).unwrap();
    std::fs::write(
        s.file("subnets-page1.json"),
        serde_json::json!({"Subnets": subnets[..3], "NextToken": "eyJ"}).to_string(),
    )
    .unwrap();
    std::fs::write(
        s.file("subnets-page2.json"),
        serde_json::json!({"Subnets": subnets[2..]}).to_string(),
    )
    .unwrap();
    let (v, code) = check(s.path());
    assert_eq!(code, 0, "{:#}", v["diagnostics"]);
    for f in flows(&v, "snapshot") {
        assert_eq!(f["verdict"], "reachable");
    }
}

#[test]
fn without_stack_resources_tags_and_names_find_the_environment() {
    let s = Snap::copy("nostacks");
    std::fs::remove_file(s.file("stack-resources.json")).unwrap();
    let (v, code) = check(s.path());
    assert_eq!(code, 0, "{:#}", v["diagnostics"]);
    for f in flows(&v, "snapshot") {
        assert_eq!(f["verdict"], "reachable", "{f:#}");
    }
    // no VPC tagged for the environment either: unknown, naming what is missing
    s.edit("vpcs.json", |v| v["Vpcs"][0]["Tags"] = Value::Array(vec![]));
    let (v, _) = check(s.path());
    let db = flow(&v, "snapshot", "database");
    assert_eq!(db["verdict"], "unknown");
    assert!(db["missing"]
        .to_string()
        .contains("the VPC of environment `test`"));
}

#[test]
fn a_missing_snapshot_directory_is_a_tool_error() {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_reachlint"))
        .current_dir(ROOT)
        .args(["check", WS, "--snapshot", "no/such/dir"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no snapshot directory"));
}

/// Without the `live` feature, `--live` and `snapshot` say how to get it.
#[cfg(not(feature = "live"))]
#[test]
fn live_mode_needs_its_feature() {
    for args in [
        vec!["check", WS, "--live"],
        vec!["snapshot", WS, "--out", "target/never-written"],
    ] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_reachlint"))
            .current_dir(ROOT)
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("--features live"));
    }
    assert!(!Path::new(ROOT).join("target/never-written").exists());
}

#[test]
fn recognised_but_unused_output_says_so() {
    let s = Snap::copy("enis");
    std::fs::write(s.file("pl.json"), r#"{"PrefixLists": []}"#).unwrap();
    let (v, _) = check(s.path());
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "RL906")
        .expect("RL906");
    assert!(
        d["message"].as_str().unwrap().contains("recognised"),
        "{d:#}"
    );
}

#[test]
fn a_task_definition_without_its_containers_is_refused_not_read_as_empty() {
    let s = Snap::copy("taskdef");
    std::fs::write(
        s.file("taskdef.json"),
        r#"{"taskDefinition": {"taskDefinitionArn": "arn:aws:ecs:us-east-1:1:task-definition/x:1", "family": "x"}}"#,
    )
    .unwrap();
    let (v, _) = check(s.path());
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "RL906")
        .expect("RL906");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("containerDefinitions"),
        "{d:#}"
    );
}

#[test]
fn an_acl_entry_added_by_hand_is_drift_and_blocks_the_deployed_flow() {
    let s = Snap::copy("acl");
    s.edit("network-acls.json", |v| {
        v["NetworkAcls"][0]["Entries"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({
                "RuleNumber": 90, "Protocol": "6", "RuleAction": "deny", "Egress": true,
                "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 443, "To": 443}
            }));
    });
    let (v, code) = check(s.path());
    assert_eq!(code, 1, "secretsmanager is needed");
    assert!(rules(&v).contains(&"RL606"), "{:#}", v["diagnostics"]);
    assert_eq!(flow(&v, "snapshot", "internet")["verdict"], "unreachable");
    assert_eq!(flow(&v, "files", "internet")["verdict"], "reachable");
}

/// A deployed hop says which resource and which call it came from, in the
/// JSON and in SARIF's code flows.
#[test]
fn deployed_hops_carry_their_resource_and_call() {
    let (v, _) = check("fixtures/snapshot-apprunner-vpc/snapshot");
    let db = flow(&v, "snapshot", "database");
    let sg = db["path"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["component"] == "security-group" && h["id"] == "sg-0330000000000001")
        .expect("the database's group");
    assert_eq!(sg["resource"], "sg-0330000000000001");
    assert_eq!(sg["call"], "ec2:DescribeSecurityGroups");
    // the files' hops have no such fields
    let file_db = flow(&v, "files", "database");
    assert!(file_db["path"][0].get("call").is_none());
    // SARIF: the blocked deployed flow's steps name them
    let s = Snap::copy("sarif");
    s.revoke_ingress("sg-0330000000000001");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_reachlint"))
        .current_dir(ROOT)
        .args(["check", WS, "--snapshot", s.path(), "--format", "sarif"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("(from sg-0330000000000001, ec2:DescribeSecurityGroups)"),
        "{text}"
    );
}

/// A rule naming a managed prefix list: unknown until the snapshot has the
/// list's entries (a file named after the list), then its CIDRs decide.
#[test]
fn prefix_lists_decide_once_their_entries_are_saved() {
    let s = Snap::copy("prefix");
    s.edit("security-groups.json", |v| {
        for g in v["SecurityGroups"].as_array_mut().unwrap() {
            if g["GroupId"] == "sg-0330000000000001" {
                g["IpPermissions"] = serde_json::json!([{
                    "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                    "IpRanges": [], "UserIdGroupPairs": [],
                    "PrefixListIds": [{"PrefixListId": "pl-0a1b2c3d4e5f60789"}]
                }]);
            }
        }
    });
    let (v, _) = check(s.path());
    let db = flow(&v, "snapshot", "database");
    assert_eq!(db["verdict"], "unknown");
    assert!(
        db["missing"]
            .to_string()
            .contains("ec2:GetManagedPrefixListEntries")
            || db["missing"].to_string().contains("pl-0a1b2c3d4e5f60789"),
        "{db:#}"
    );
    std::fs::write(
        s.file("pl-0a1b2c3d4e5f60789.json"),
        r#"{"Entries": [{"Cidr": "10.0.2.0/23", "Description": "private subnets"}]}"#,
    )
    .unwrap();
    let (v, _) = check(s.path());
    assert_eq!(flow(&v, "snapshot", "database")["verdict"], "reachable");
    // entries in a file that does not name its list: reported, not guessed
    std::fs::write(s.file("entries.json"), r#"{"Entries": []}"#).unwrap();
    let (v, _) = check(s.path());
    assert!(rules(&v).contains(&"RL906"));
}

fn explain(snapshot: &str) -> (String, i32) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_reachlint"))
        .current_dir(ROOT)
        .env("COLUMNS", "140")
        .args([
            "explain",
            WS,
            "--snapshot",
            snapshot,
            "--service",
            "demo-service",
            "--to",
            "database",
        ])
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        o.status.code().unwrap_or(-1),
    )
}

#[test]
fn explain_puts_both_paths_side_by_side_only_when_the_verdicts_differ() {
    // agreeing: the files' proof, and the deployed verdict in one line
    let (same, code) = explain("fixtures/snapshot-apprunner-vpc/snapshot");
    assert_eq!(code, 0, "{same}");
    assert!(same.contains("witness path"), "{same}");
    assert!(
        same.contains("as deployed (snapshot): the same verdict, REACHABLE"),
        "{same}"
    );
    assert!(!same.contains(" | "), "no columns when they agree:\n{same}");

    let s = Snap::copy("explain-differs");
    s.revoke_ingress("sg-0330000000000001");
    let (text, code) = explain(s.path());
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains(
            "the verdicts differ: reachable from the files, unreachable as deployed (snapshot)"
        ),
        "{text}"
    );
    let rows: Vec<&str> = text.lines().filter(|l| l.contains(" | ")).collect();
    assert!(rows[0].starts_with("from the files") && rows[0].ends_with("as deployed (snapshot)"));
    // every row is two columns of one width, within the page
    let bar = rows[0].find(" | ").unwrap();
    assert!(rows
        .iter()
        .all(|r| r.chars().count() <= 140 && r.find(" | ") == Some(bar)));
    let (left, right): (Vec<&str>, Vec<&str>) =
        rows.iter().map(|r| (&r[..bar], &r[bar + 3..])).unzip();
    assert!(left
        .iter()
        .any(|l| l.starts_with("REACHABLE over 4 placements")));
    assert!(right
        .iter()
        .any(|r| r.starts_with("UNREACHABLE over 4 placements")));
    // the files' witness path beside the deployed blocker, with its record
    assert!(left
        .iter()
        .any(|l| l.contains("1. vpc-connector VpcConnector")));
    assert!(right
        .iter()
        .any(|r| r.contains("[ENI_SG_RULES_MISMATCH] security-group sg-0330000000000001")));
    assert!(right
        .iter()
        .any(|r| r.contains("ec2:DescribeSecurityGroups")));
}

#[test]
fn without_stack_resources_subnets_are_matched_by_cidr_for_route_and_placement_drift() {
    let s = Snap::copy("nostacks-drift");
    std::fs::remove_file(s.file("stack-resources.json")).unwrap();
    // the second private subnet's NAT route removed by hand, and the
    // connector moved onto a public subnet
    s.edit("route-tables.json", |v| {
        for t in v["RouteTables"].as_array_mut().unwrap() {
            if t["RouteTableId"] == "rtb-0ee0000000000003" {
                t["Routes"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|r| r["DestinationCidrBlock"] != "0.0.0.0/0");
            }
        }
    });
    s.edit("apprunner-vpc-connector.json", |v| {
        v["VpcConnector"]["Subnets"] =
            serde_json::json!(["subnet-0bb0000000000001", "subnet-0aa0000000000001"]);
    });
    let (v, _) = check(s.path());
    let diags = v["diagnostics"].as_array().unwrap();
    let route = diags
        .iter()
        .find(|d| d["rule"] == "RL603")
        .unwrap_or_else(|| panic!("RL603: {diags:#?}"));
    assert!(route["message"]
        .as_str()
        .unwrap()
        .contains("`PrivateSubnet2` (subnet-0bb0000000000002)"));
    let placed = diags
        .iter()
        .find(|d| d["rule"] == "RL604")
        .unwrap_or_else(|| panic!("RL604: {diags:#?}"));
    assert!(placed["message"]
        .as_str()
        .unwrap()
        .contains("subnet-0aa0000000000001"));
}

// ---- ECS workloads: services, their running tasks and ENIs, a Scheduled
// Job's state machine, the managed file system's mount targets
// (`fixtures/snapshot-ecs-mixed`, what `fixtures/ecs-mixed` deploys).

const ECS_WS: &str = "fixtures/ecs-mixed";

fn ecs_copy(name: &str) -> Snap {
    Snap::copy_of("snapshot-ecs-mixed", "eu-west-1", name)
}

fn ecs_flow<'a>(v: &'a Value, source: &str, service: &str, kind: &str) -> &'a Value {
    flows(v, source)
        .into_iter()
        .find(|f| f["service"] == service && f["target"]["kind"] == kind)
        .unwrap_or_else(|| panic!("no {source} {service} {kind} flow"))
}

#[test]
fn ecs_services_jobs_and_the_file_system_get_the_files_verdicts_as_deployed() {
    let (v, code) = check_ws(ECS_WS, "fixtures/snapshot-ecs-mixed/snapshot");
    assert_eq!(code, 0, "{:#}", v["diagnostics"]);
    assert_eq!(rules(&v), Vec::<&str>::new(), "no drift, nothing unread");
    let files = flows(&v, "files");
    let deployed = flows(&v, "snapshot");
    assert_eq!(files.len(), deployed.len());
    assert_eq!(deployed.len(), 18);
    for (f, d) in files.iter().zip(&deployed) {
        assert_eq!(f["service"], d["service"]);
        assert_eq!(f["target"]["kind"], d["target"]["kind"]);
        assert_eq!(d["verdict"], "reachable", "{d:#}");
    }
    // the job's network comes from its state machine, the file system's
    // from its mount targets and their ENIs
    let job = ecs_flow(&v, "snapshot", "report", "internet");
    assert!(
        job["path"].to_string().contains("subnet-0a10000000000001"),
        "{job:#}"
    );
    let fs = ecs_flow(&v, "snapshot", "api", "file-system");
    assert!(
        fs["path"].to_string().contains("fs-0f1e2d3c4b5a60001"),
        "{fs:#}"
    );
    assert!(
        fs["path"].to_string().contains("sg-0e10000000000003"),
        "{fs:#}"
    );
}

#[test]
fn a_task_running_outside_its_services_subnets_is_a_placement_and_drift() {
    let s = ecs_copy("task-elsewhere");
    // an api task in a public subnet, without a public address
    s.edit("ecs-tasks.json", |v| {
        v["tasks"][0]["attachments"][0]["details"][0]["value"] = "subnet-0a10000000000002".into();
    });
    s.edit("network-interfaces.json", |v| {
        v["NetworkInterfaces"][0]["SubnetId"] = "subnet-0a10000000000002".into();
    });
    let (v, _) = check_ws(ECS_WS, s.path());
    let internet = ecs_flow(&v, "snapshot", "api", "internet");
    assert_eq!(internet["verdict"], "partial", "{internet:#}");
    assert!(internet["failing_placements"]
        .to_string()
        .contains("subnet-0a10000000000002"));
    assert_eq!(
        ecs_flow(&v, "files", "api", "internet")["verdict"],
        "reachable"
    );
    let diags = v["diagnostics"].as_array().unwrap();
    let placed = diags
        .iter()
        .find(|d| d["rule"] == "RL604")
        .unwrap_or_else(|| panic!("RL604: {diags:#?}"));
    assert!(placed["file"]
        .as_str()
        .unwrap()
        .ends_with("copilot/api/manifest.yml"));
    assert!(placed["message"]
        .as_str()
        .unwrap()
        .contains("subnet-0a10000000000002"));
}

#[test]
fn a_task_with_other_groups_is_a_placement_of_its_own_and_unknown_groups_are_unknown() {
    let s = ecs_copy("task-groups");
    // one api task runs with the worker's group (HTTPS out only): it cannot
    // mount the file system, the other task can
    s.edit("network-interfaces.json", |v| {
        v["NetworkInterfaces"][0]["Groups"] =
            serde_json::json!([{"GroupId": "sg-0e10000000000004", "GroupName": "worker"}]);
    });
    let (v, _) = check_ws(ECS_WS, s.path());
    let fs = ecs_flow(&v, "snapshot", "api", "file-system");
    assert_eq!(fs["verdict"], "partial", "{fs:#}");
    assert_eq!(fs["placements_checked"], 4 + 2, "{fs:#}");
    let failing = fs["failing_placements"].to_string();
    assert!(
        failing.contains("subnet-0b10000000000001 (task 0a1b2c3d4e5f40001)"),
        "{failing}"
    );
    assert!(
        fs["blockers"].to_string().contains("sg-0e10000000000004"),
        "{fs:#}"
    );
    // its internet flow still passes: HTTPS is what it needs
    assert_eq!(
        ecs_flow(&v, "snapshot", "api", "internet")["verdict"],
        "reachable"
    );
    // without the ENIs, a running task's groups are not known
    std::fs::remove_file(s.file("network-interfaces.json")).unwrap();
    let (v, _) = check_ws(ECS_WS, s.path());
    let api = ecs_flow(&v, "snapshot", "api", "internet");
    assert_eq!(api["verdict"], "unknown", "{api:#}");
    assert!(api["missing"]
        .to_string()
        .contains("ec2:DescribeNetworkInterfaces"));
    let fs = ecs_flow(&v, "snapshot", "api", "file-system");
    assert_eq!(fs["verdict"], "unknown");
    assert!(fs["missing"]
        .to_string()
        .contains("mount target fsmt-0a10000000000001"));
}

#[test]
fn a_job_without_its_state_machine_is_unknown_naming_the_call() {
    let s = ecs_copy("no-machine");
    std::fs::remove_file(s.file("state-machine-shop-test-report.json")).unwrap();
    let (v, _) = check_ws(ECS_WS, s.path());
    let job = ecs_flow(&v, "snapshot", "report", "internet");
    assert_eq!(job["verdict"], "unknown");
    assert!(
        job["missing"]
            .to_string()
            .contains("states:DescribeStateMachine"),
        "{job:#}"
    );
    // a definition that runs no ECS task says so
    let s = ecs_copy("bad-machine");
    s.edit("state-machine-shop-test-report.json", |v| {
        v["definition"] = r#"{"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 1, "End": true}}}"#.into();
    });
    let (v, _) = check_ws(ECS_WS, s.path());
    let job = ecs_flow(&v, "snapshot", "report", "internet");
    assert_eq!(job["verdict"], "unknown");
    assert!(
        job["missing"].to_string().contains("runs no ECS task"),
        "{job:#}"
    );
}

#[test]
fn the_file_system_needs_its_mount_targets_and_their_ingress() {
    let s = ecs_copy("efs");
    s.revoke_ingress("sg-0e10000000000003");
    let (v, _) = check_ws(ECS_WS, s.path());
    let fs = ecs_flow(&v, "snapshot", "api", "file-system");
    assert_eq!(fs["verdict"], "unreachable", "{fs:#}");
    assert!(rules(&v).contains(&"RL601"), "the revoked rule is drift");
    std::fs::remove_file(s.file("efs-mount-targets-fs-0f1e2d3c4b5a60001.json")).unwrap();
    let (v, _) = check_ws(ECS_WS, s.path());
    let fs = ecs_flow(&v, "snapshot", "api", "file-system");
    assert_eq!(fs["verdict"], "unknown");
    assert!(fs["missing"]
        .to_string()
        .contains("aws efs describe-mount-targets --file-system-id fs-0f1e2d3c4b5a60001"));
}

#[test]
fn a_directory_over_the_file_budget_says_what_was_not_read() {
    let s = Snap::copy("budget");
    let extra = s.root.join("extra");
    std::fs::create_dir_all(&extra).unwrap();
    for i in 0..2_001 {
        std::fs::write(extra.join(format!("{i:04}.json")), r#"{"Vpcs": []}"#).unwrap();
    }
    let (v, _) = check(s.path());
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(
        diags.iter().any(|d| d["rule"] == "RL906"
            && d["message"]
                .as_str()
                .unwrap()
                .contains("more than 2000 files")),
        "{diags:#?}"
    );
}

#[test]
fn explain_colours_its_verdicts_when_asked() {
    let run = |color: &str| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_reachlint"))
            .current_dir(ROOT)
            .args([
                "explain",
                WS,
                "--service",
                "demo-service",
                "--to",
                "database",
                "--color",
                color,
            ])
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    assert!(run("always").contains("\x1b[32mREACHABLE\x1b[0m"));
    assert!(!run("never").contains('\x1b'));
}

#[test]
fn a_gateway_endpoints_prefix_list_route_is_the_endpoint_not_an_unknown() {
    let s = Snap::copy("gateway-endpoint");
    s.edit("route-tables.json", |v| {
        for t in v["RouteTables"].as_array_mut().unwrap() {
            if t["RouteTableId"] == "rtb-0ee0000000000002" {
                t["Routes"].as_array_mut().unwrap().push(serde_json::json!({
                    "DestinationPrefixListId": "pl-63a5400a",
                    "GatewayId": "vpce-0a0000000000000s3",
                    "Origin": "CreateRoute",
                    "State": "active"
                }));
            }
        }
    });
    std::fs::write(
        s.file("vpc-endpoints.json"),
        r#"{"VpcEndpoints": [{"VpcEndpointId": "vpce-0a0000000000000s3", "VpcEndpointType": "Gateway",
            "VpcId": "vpc-0e1f2a3b4c5d60001", "ServiceName": "com.amazonaws.us-east-1.s3",
            "State": "available", "RouteTableIds": ["rtb-0ee0000000000002"], "SubnetIds": [],
            "Groups": [], "PrivateDnsEnabled": false}]}"#,
    )
    .unwrap();
    let (v, code) = check(s.path());
    assert_eq!(code, 0, "{:#}", v["diagnostics"]);
    for f in flows(&v, "snapshot") {
        assert_eq!(f["verdict"], "reachable", "{f:#}");
    }
    // a prefix list route to another target, entries unknown: unknown
    s.edit("route-tables.json", |v| {
        for t in v["RouteTables"].as_array_mut().unwrap() {
            if t["RouteTableId"] == "rtb-0ee0000000000002" {
                let routes = t["Routes"].as_array_mut().unwrap();
                let last = routes.len() - 1;
                routes[last]["GatewayId"] = Value::Null;
                routes[last]["TransitGatewayId"] = "tgw-0123".into();
            }
        }
    });
    let (v, _) = check(s.path());
    assert!(flows(&v, "snapshot")
        .iter()
        .any(|f| f["verdict"] == "unknown" && f["missing"].to_string().contains("pl-63a5400a")));
}

#[test]
fn without_stack_resources_ecs_workloads_and_the_file_system_are_found_by_names() {
    let s = ecs_copy("ecs-nostacks");
    std::fs::remove_file(s.file("stack-resources.json")).unwrap();
    let (v, code) = check_ws(ECS_WS, s.path());
    assert_eq!(code, 0, "{:#}", v["diagnostics"]);
    assert_eq!(rules(&v), Vec::<&str>::new(), "no drift");
    let deployed = flows(&v, "snapshot");
    assert_eq!(deployed.len(), 18);
    for d in &deployed {
        assert_eq!(d["verdict"], "reachable", "{d:#}");
    }
    // the file system through the group its mount targets carry
    let fs = ecs_flow(&v, "snapshot", "api", "file-system");
    assert!(fs["path"].to_string().contains("fs-0f1e2d3c4b5a60001"));
}

#[test]
fn hostile_snapshot_files_are_reported_never_a_panic() {
    let s = ecs_copy("hostile");
    // binary bytes with a .json name, JSON nested 100,000 deep, a state
    // machine whose definition nests deeper than the JSON parser goes, and
    // records of the wrong shape
    std::fs::write(s.file("binary.json"), [0u8, 159, 146, 150, 255, 0, 1]).unwrap();
    std::fs::write(
        s.file("deep.json"),
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
    )
    .unwrap();
    let deep_definition = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    std::fs::write(
        s.file("state-machine-shop-test-report.json"),
        serde_json::json!({
            "stateMachineArn": "arn:aws:states:eu-west-1:123456789012:stateMachine:shop-test-report",
            "name": "shop-test-report",
            "definition": deep_definition,
        })
        .to_string(),
    )
    .unwrap();
    std::fs::write(
        s.file("wrong-shapes.json"),
        r#"{"tasks": [{"attachments": "not a list"}], "NetworkInterfaces": [42], "MountTargets": {"x": 1}}"#,
    )
    .unwrap();
    let (v, code) = check_ws(ECS_WS, s.path());
    assert_eq!(code, 0, "{:#}", v["diagnostics"]);
    let unread: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "RL906")
        .map(|d| format!("{} {}", d["file"], d["message"]))
        .collect();
    for f in ["binary.json", "deep.json", "wrong-shapes.json"] {
        assert!(unread.iter().any(|u| u.contains(f)), "{f}: {unread:#?}");
    }
    // the job's definition is too deep to read: its flows are unknown, saying so
    let job = ecs_flow(&v, "snapshot", "report", "internet");
    assert_eq!(job["verdict"], "unknown", "{job:#}");
    assert!(job["missing"].to_string().contains("not JSON"), "{job:#}");
}

// ---- `check --snapshot DIR` with no workspace: the deployed network on its
// own, its flows from the snapshot's evidence (task definitions, the App
// Runner service, the addons stacks' databases).

/// Runs `reachlint check --snapshot DIR` (no PATH: `.`) in an empty folder.
fn check_alone(snapshot: &Path, extra: &[&str]) -> (Value, i32) {
    let cwd = std::env::temp_dir().join(format!("reachlint-alone-{}", std::process::id()));
    std::fs::create_dir_all(&cwd).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_reachlint"))
        .current_dir(&cwd)
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .arg("check")
        .arg("--snapshot")
        .arg(snapshot)
        .args(["--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("no JSON: {}", String::from_utf8_lossy(&o.stderr)));
    (v, o.status.code().unwrap_or(-1))
}

/// (service, target kind, target name, port, needed, verdict) of each flow.
fn verdicts(flows: &[&Value]) -> Vec<String> {
    let mut out: Vec<String> = flows
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {} {} {}",
                f["service"],
                f["target"]["kind"],
                f["target"]["name"],
                f["port"],
                f["needed"],
                f["verdict"]
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_snapshot_alone_gets_the_verdicts_the_files_get() {
    for (ws, snapshot) in [
        (WS, "fixtures/snapshot-apprunner-vpc/snapshot"),
        (ECS_WS, "fixtures/snapshot-ecs-mixed/snapshot"),
    ] {
        let (with_files, _) = check_ws(ws, snapshot);
        let (alone, code) = check_alone(&Path::new(ROOT).join(snapshot), &[]);
        assert_eq!(code, 0, "{snapshot}: {:#}", alone["diagnostics"]);
        assert_eq!(rules(&alone), Vec::<&str>::new(), "{snapshot}");
        let deployed = flows(&alone, "snapshot");
        assert!(!deployed.is_empty());
        assert_eq!(
            verdicts(&deployed),
            verdicts(&flows(&with_files, "files")),
            "{snapshot}"
        );
    }
}

#[test]
fn a_snapshot_alone_takes_what_each_task_needs_from_its_task_definition() {
    let s = ecs_copy("alone-taskdef");
    s.edit("task-definition-shop-test-worker.json", |v| {
        let c = &mut v["taskDefinition"]["containerDefinitions"][0];
        c["secrets"] = serde_json::json!([
            {"name": "TOKEN", "valueFrom": "/copilot/shop/test/secrets/TOKEN"}
        ]);
        c["image"] = "ghcr.io/acme/worker:1".into();
    });
    std::fs::remove_file(s.file("task-definition-shop-test-report.json")).unwrap();
    let (v, code) = check_alone(&s.root, &["--service", "worker"]);
    let deployed = flows(&v, "snapshot");
    let names: Vec<&str> = deployed
        .iter()
        .filter(|f| f["needed"] == true)
        .filter_map(|f| f["target"]["name"].as_str())
        .collect();
    assert!(names.contains(&"ssm"), "{names:?}");
    assert!(!names.contains(&"ecr.api"), "{names:?}");
    let internet = ecs_flow(&v, "snapshot", "worker", "internet");
    assert_eq!(internet["needed"], true);
    // the worker's tasks reach the internet through the NAT gateways
    assert_eq!(internet["verdict"], "reachable");
    assert_eq!(code, 0, "{:#}", v["diagnostics"]);
    // --service narrows the workloads: the report job's missing task
    // definition is not asked about
    assert!(rules(&v).is_empty(), "{:#}", v["diagnostics"]);
    let (all, _) = check_alone(&s.root, &[]);
    let note = all["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "RL906")
        .expect("the missing task definition is reported");
    let message = note["message"].as_str().unwrap();
    assert!(
        message.contains("`report`") && message.contains("shop-test-report"),
        "{message}"
    );
    assert_ne!(
        note["severity"], "error",
        "what the snapshot lacks never fails the gate"
    );
}

#[test]
fn a_snapshot_without_a_copilot_environment_says_so() {
    let s = ecs_copy("alone-untagged");
    s.edit("vpcs.json", |v| {
        v["Vpcs"][0]["Tags"] = serde_json::json!([]);
    });
    let cwd = std::env::temp_dir().join(format!("reachlint-untagged-{}", std::process::id()));
    std::fs::create_dir_all(&cwd).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_reachlint"))
        .current_dir(&cwd)
        .args(["check", "--snapshot"])
        .arg(&s.root)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no Copilot environment in the snapshot"),
        "{err}"
    );
}

#[test]
fn a_snapshot_alone_with_a_revoked_database_rule_fails_at_the_group_as_deployed() {
    let s = Snap::copy("alone-revoked");
    s.revoke_ingress("sg-0330000000000001");
    let (v, code) = check_alone(&s.root, &[]);
    assert_eq!(code, 1, "the database the addons stack creates is needed");
    let db = flow(&v, "snapshot", "database");
    assert_eq!(db["verdict"], "unreachable");
    let blocked = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "RL401")
        .expect("RL401");
    // the rule words which network it is about; nothing rewrites it after
    let message = blocked["message"].as_str().unwrap();
    assert!(
        message.contains("in environment `test` as deployed (snapshot)"),
        "{message}"
    );
    assert!(blocked["file"]
        .as_str()
        .unwrap()
        .ends_with("security-groups.json"));
    assert!(
        blocked["help"].as_str().unwrap().contains("--snapshot"),
        "explain finds the same network: {blocked:#}"
    );
}

#[test]
fn a_mistyped_path_with_a_snapshot_is_an_error_not_the_snapshot_alone() {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_reachlint"))
        .current_dir(ROOT)
        .args([
            "check",
            "fixtures/no-such-workspace",
            "--snapshot",
            "fixtures/snapshot-ecs-mixed/snapshot",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("path not found"), "{err}");
}

#[test]
fn a_snapshot_alone_holds_the_declared_flows_of_the_configuration() {
    let cwd = std::env::temp_dir().join(format!("reachlint-alone-config-{}", std::process::id()));
    std::fs::create_dir_all(&cwd).unwrap();
    std::fs::write(
        cwd.join(".reachlint.toml"),
        "[[flow]]\nservice = \"report\"\nto = \"internet\"\nexpect = \"unreachable\"\nreason = \"jobs stay inside\"\n",
    )
    .unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_reachlint"))
        .current_dir(&cwd)
        .args(["check", "--format", "json", "--snapshot"])
        .arg(Path::new(ROOT).join("fixtures/snapshot-ecs-mixed/snapshot"))
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("no JSON: {}", String::from_utf8_lossy(&o.stderr)));
    // the job reaches the internet as deployed: declared unreachable, RL404
    assert_eq!(o.status.code(), Some(1), "{:#}", v["diagnostics"]);
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "RL404")
        .expect("RL404");
    assert!(
        d["file"].as_str().unwrap().ends_with(".reachlint.toml"),
        "{d:#}"
    );
    let _ = std::fs::remove_dir_all(&cwd);
}

#[test]
fn a_snapshot_alone_whose_environment_has_two_tagged_vpcs_is_unknown_never_blocked() {
    let s = ecs_copy("alone-two-vpcs");
    std::fs::remove_file(s.file("stack-resources.json")).unwrap();
    s.edit("vpcs.json", |v| {
        let mut twin = v["Vpcs"][0].clone();
        twin["VpcId"] = "vpc-0ffffffffffffffff".into();
        v["Vpcs"].as_array_mut().unwrap().push(twin);
    });
    let (v, code) = check_alone(&s.root, &[]);
    assert_eq!(code, 0, "{:#}", v["diagnostics"]);
    let deployed = flows(&v, "snapshot");
    assert!(!deployed.is_empty());
    for f in deployed {
        assert_eq!(f["verdict"], "unknown", "{f:#}");
        assert!(
            f["missing"]
                .to_string()
                .contains("more than one VPC tagged"),
            "{f:#}"
        );
    }
}
