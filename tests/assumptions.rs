//! Stated assumptions through the real binary (issue 19, item 3;
//! DECISIONS.md "Stated assumptions"): an environment without a manifest is
//! checked against the one `copilot env init --default-config` creates,
//! every verdict there says so, an assumption never makes an error, and
//! `--strict` and `--assume none` do what the contract says.

mod common;

use common::{bin, check_fixture_with};
use serde_json::Value;

fn diags<'a>(v: &'a Value, rule: &str) -> Vec<&'a Value> {
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == rule)
        .collect()
}

fn flow<'a>(v: &'a Value, env: &str, service: &str, target: &str) -> &'a Value {
    v["reachability"]
        .as_array()
        .expect("reachability")
        .iter()
        .find(|f| {
            f["env"] == env
                && f["service"] == service
                && f["from"]["kind"] == "workload"
                && (f["target"]["kind"] == target || f["target"]["name"] == target)
        })
        .unwrap_or_else(|| panic!("no {service} -> {target} flow in {env}: {v:#}"))
}

#[test]
fn an_environment_named_only_by_a_workload_is_copilots_default_and_says_so() {
    let (v, code) = check_fixture_with("assumed-env-named-only", &[]);
    // the database admits 3306, the cluster listens on 5432: refused in
    // the default network too, with the blocker at the rule's line
    let db = flow(&v, "prod", "api", "database");
    assert_eq!(db["needed"], true, "{db:#}");
    assert_eq!(db["verdict"], "unreachable", "{db:#}");
    assert_eq!(db["blockers"][0]["code"], "ENI_SG_RULES_MISMATCH", "{db:#}");
    let a = &db["assumptions"][0];
    assert_eq!(a["code"], "DEFAULT_ENVIRONMENT", "{db:#}");
    assert_eq!(
        a["file"],
        "fixtures/assumed-env-named-only/copilot/api/manifest.yml"
    );
    assert_eq!(a["line"], 14, "where `prod` is named: {a:#}");
    // the environment's own network decides the rest: private placement
    // gets the NAT gateways Copilot creates for it
    let internet = flow(&v, "prod", "api", "internet");
    assert_eq!(internet["verdict"], "reachable", "{internet:#}");
    assert_eq!(internet["assumptions"][0]["code"], "DEFAULT_ENVIRONMENT");
    // a warning whose words say why, never an error
    let rl401 = diags(&v, "RL401");
    assert_eq!(rl401.len(), 1, "{rl401:#?}");
    assert_eq!(rl401[0]["severity"], "warning");
    let msg = rl401[0]["message"].as_str().unwrap_or("");
    assert!(msg.contains("a warning, not an error"), "{msg}");
    assert!(msg.contains("copilot env init --default-config"), "{msg}");
    assert_eq!(
        rl401[0]["file"],
        "fixtures/assumed-env-named-only/copilot/api/addons/db.yml"
    );
    // the assumption stated once, at the line it is about
    let rl213 = diags(&v, "RL213");
    assert_eq!(rl213.len(), 1, "{rl213:#?}");
    assert_eq!(rl213[0]["severity"], "note");
    assert_eq!(rl213[0]["line"], 14);
    assert!(v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .all(|d| d["severity"] != "error"));
    assert_eq!(v["summary"]["unreachable"], 0);
    assert!(
        v["summary"]["assumed"].as_u64().unwrap_or(0) >= 3,
        "{:#}",
        v["summary"]
    );
    assert_eq!(code, 0);
}

#[test]
fn strict_counts_an_assumed_verdict_and_assume_none_keeps_it_unknown() {
    let (_, strict) = check_fixture_with("assumed-env-named-only", &["--strict"]);
    assert_eq!(strict, 1);
    let (v, code) = check_fixture_with("assumed-env-named-only", &["--assume", "none"]);
    let db = flow(&v, "prod", "api", "database");
    assert_eq!(db["verdict"], "unknown", "{db:#}");
    assert_eq!(db["assumptions"], Value::Array(vec![]), "{db:#}");
    assert!(db
        .to_string()
        .contains("copilot/environments/prod/manifest.yml is missing"));
    assert!(diags(&v, "RL213").is_empty());
    assert_eq!(v["summary"]["assumed"], 0);
    assert_eq!(code, 0);
}

#[test]
fn a_workspace_that_names_no_environment_is_checked_in_test() {
    let (v, code) = check_fixture_with("assumed-no-environment", &[]);
    assert_eq!(v["unchecked"], Value::Array(vec![]), "{:#}", v["unchecked"]);
    let internet = flow(&v, "test", "web", "internet");
    assert_eq!(internet["verdict"], "reachable", "{internet:#}");
    let a = &internet["assumptions"][0];
    assert_eq!(a["code"], "DEFAULT_ENVIRONMENT");
    assert!(
        a["text"]
            .as_str()
            .unwrap_or("")
            .contains("`copilot init` creates"),
        "{a:#}"
    );
    // the load balancer Copilot creates reaches the tasks
    let lb = v["reachability"]
        .as_array()
        .expect("reachability")
        .iter()
        .find(|f| f["from"]["kind"] == "load-balancer" && f["service"] == "web")
        .unwrap_or_else(|| panic!("no load balancer flow: {v:#}"));
    assert_eq!(lb["verdict"], "reachable", "{lb:#}");
    let rl213 = diags(&v, "RL213");
    assert_eq!(rl213.len(), 1, "{rl213:#?}");
    assert_eq!(rl213[0]["line"], 1);
    assert_eq!(code, 0);
    // without assumptions the pair is unchecked, as before
    let (v, code) = check_fixture_with("assumed-no-environment", &["--assume", "none"]);
    assert_eq!(v["unchecked"][0]["code"], "NO_ENVIRONMENT", "{v:#}");
    assert_eq!(v["reachability"], Value::Array(vec![]));
    assert_eq!(code, 0);
}

/// A workload placed in named subnets of the environment says it imports a
/// VPC: nothing is assumed, and its flows stay unknown.
#[test]
fn named_subnets_mean_an_imported_vpc_and_nothing_is_assumed() {
    let ws = common::Ws::new("assume-imported").file(
        "api/manifest.yml",
        "name: api\ntype: Backend Service\nimage:\n  location: public.ecr.aws/nginx/nginx:1.27\n  port: 80\nenvironments:\n  prod:\n    network:\n      vpc:\n        placement:\n          subnets: [subnet-0123456789abcdef0]\n",
    );
    let r = ws.check();
    let prod: Vec<_> = r
        .envs
        .iter()
        .filter(|e| e.env == "prod")
        .flat_map(|e| &e.flows)
        .collect();
    assert!(!prod.is_empty());
    assert!(prod.iter().all(|f| f.assumptions.is_empty()), "{prod:#?}");
    assert!(prod
        .iter()
        .all(|f| f.verdict == reachlint::model::proof::Verdict::Unknown));
    assert!(!r
        .diagnostics
        .iter()
        .any(|d| d.rule == reachlint::base::RuleId::AssumedEnvironment));
    // the environment with a manifest is not assumed either
    assert!(r
        .envs
        .iter()
        .filter(|e| e.env == "test")
        .all(|e| e.assumptions().is_empty()));
}

#[test]
fn the_human_output_and_explain_state_the_assumption() {
    let o = bin()
        .args([
            "check",
            "fixtures/assumed-env-named-only",
            "--color",
            "never",
        ])
        .output()
        .expect("binary runs");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("  assumes: `prod` has no manifest"), "{out}");
    assert!(
        out.contains("; 1 pair checked under an assumption"),
        "{out}"
    );
    assert_eq!(o.status.code(), Some(0), "{out}");
    let o = bin()
        .args([
            "explain",
            "fixtures/assumed-env-named-only",
            "--service",
            "api",
            "--to",
            "database",
            "--color",
            "never",
        ])
        .output()
        .expect("binary runs");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("\nassumes: `prod` has no manifest"), "{out}");
    assert!(out.contains("a failure is a warning here"), "{out}");
    assert_eq!(o.status.code(), Some(1), "{out}");
}
