//! One fixture per class of input that once gave a wrong `reachable` or a
//! silent pass (issue 7), through the real binary, with the verdict that
//! class must get. Each fixture's whole output is pinned by its
//! `expected.json` (tests/cli.rs); here is what it is about.

mod common;

use serde_json::Value;

fn check(fixture: &str) -> (Value, i32) {
    common::check_fixture(fixture)
}

/// `service`'s flow to `target` (a kind, or a name).
fn flow<'a>(v: &'a Value, service: &str, target: &str) -> &'a Value {
    common::flow_of(v, service, target)
}

fn errors(v: &Value) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| format!("{}: {}", d["rule"], d["message"]))
        .collect()
}

#[test]
fn a_second_service_with_the_secret_and_no_ingress_is_needed_and_unreachable() {
    let (v, code) = check("evidence-secret-without-ingress");
    let f = flow(&v, "reports", "database");
    assert_eq!(f["needed"], true);
    assert!(
        f["reason"].as_str().unwrap_or("").contains("secret"),
        "{f:#}"
    );
    assert_eq!(f["verdict"], "unreachable");
    assert_eq!(flow(&v, "orders", "database")["verdict"], "reachable");
    assert_eq!(code, 1);
}

#[test]
fn an_rds_instance_whose_group_opens_another_port_is_unreachable() {
    let (v, code) = check("evidence-rds-instance-wrong-port");
    let f = flow(&v, "api", "database");
    assert_eq!(f["target"]["name"], "AppDb");
    assert_eq!(f["port"], 5432);
    assert_eq!(f["needed"], true);
    assert_eq!(f["verdict"], "unreachable");
    assert_eq!(code, 1);
}

#[test]
fn egress_true_in_capitals_is_an_outbound_entry() {
    let (v, code) = check("cfn-nacl-egress-capitalised");
    for t in ["internet", "ecr.api", "secretsmanager"] {
        let f = flow(&v, "worker", t);
        assert_eq!(f["verdict"], "unreachable", "{t}: {f:#}");
        // the deny is outbound: it stops the request, not the reply
        let blockers = f["blockers"].to_string();
        assert!(
            blockers.contains("PrivateAcl of PrivateSubnet1 denies the outbound request"),
            "{t}: {blockers}"
        );
        // it names the entry that denies, and points at it (the line to
        // change), not at the ACL
        assert!(
            blockers.contains("rule 90 denies outbound tcp/443 to 0.0.0.0/0"),
            "{t}: {blockers}"
        );
        assert_eq!(f["blockers"][0]["line"], 17, "{t}: {blockers}");
    }
    let finding = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "RL401")
        .unwrap();
    assert_eq!(finding["line"], 17, "the DenyHttpsOut entry: {finding:#}");
    assert_eq!(code, 1);
}

/// The three endpoint fixtures differ only in how the endpoint says what
/// it is and whether its DNS is private; each must be taken as a Secrets
/// Manager endpoint with private DNS, whose group does not admit the tasks
/// (were it not, the call would go through the NAT gateway: reachable).
#[test]
fn a_private_dns_endpoint_named_in_any_spelling_takes_the_calls() {
    for fixture in [
        "cfn-endpoint-private-dns-capitalised",
        "cfn-endpoint-join-service-name",
        "cfn-sub-spaces-in-braces",
    ] {
        let (v, code) = check(fixture);
        let f = flow(&v, "worker", "secretsmanager");
        assert_eq!(f["needed"], true, "{fixture}");
        assert_eq!(f["verdict"], "unreachable", "{fixture}: {f:#}");
        assert!(
            f["blockers"].to_string().contains("EndpointSecurityGroup"),
            "{fixture}: {f:#}"
        );
        assert_eq!(flow(&v, "worker", "internet")["verdict"], "reachable");
        assert_eq!(code, 1, "{fixture}");
    }
}

#[test]
fn a_condition_declared_in_another_addon_file_resolves() {
    let (v, code) = check("cfn-condition-in-another-addon");
    assert!(errors(&v).is_empty(), "{:?}", errors(&v));
    assert_eq!(flow(&v, "web", "database")["verdict"], "reachable");
    assert_eq!(code, 0);
}

#[test]
fn ref_envname_in_the_parameters_file_resolves() {
    let (v, code) = check("cfn-params-ref-envname");
    assert!(
        v["diagnostics"].as_array().expect("diagnostics").is_empty(),
        "{v:#}"
    );
    assert_eq!(flow(&v, "web", "database")["verdict"], "reachable");
    assert_eq!(code, 0);
}

#[test]
fn a_variable_vpc_cidr_in_the_environment_manifest_is_unknown_not_dropped() {
    let (v, code) = check("manifest-env-cidr-variable");
    assert!(errors(&v).is_empty(), "{:?}", errors(&v));
    let f = flow(&v, "worker", "internet");
    assert_eq!(f["verdict"], "unknown", "{f:#}");
    assert!(f["missing"].to_string().contains("VPC_CIDR"), "{f:#}");
    assert_eq!(code, 0);
}

#[test]
fn a_mapping_declared_in_another_addon_file_resolves() {
    let (v, code) = check("cfn-mapping-in-another-addon");
    assert!(errors(&v).is_empty(), "{:?}", errors(&v));
    let f = flow(&v, "web", "database");
    assert_eq!(f["port"], 5432);
    assert_eq!(f["verdict"], "reachable");
    assert_eq!(code, 0);
}

#[test]
fn ref_env_in_the_parameters_file_is_an_error_suggesting_envname() {
    let (v, code) = check("cfn-params-ref-env");
    let d = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["rule"] == "RL202")
        .unwrap_or_else(|| panic!("no RL202 in {v:#}"));
    assert!(d["file"]
        .as_str()
        .unwrap_or("")
        .ends_with("addons.parameters.yml"));
    assert_eq!(d["line"], 2);
    assert!(
        d["help"].as_str().unwrap_or("").contains("EnvName"),
        "{d:#}"
    );
    assert_eq!(code, 1);
}

/// ElastiCache is a data store like a database (issue 19): a replication
/// group and a serverless cache in the service's addons are its flows, on
/// the engine's port (6379 for Redis and Valkey), proved through their
/// groups; the serverless cache's group admits only its reader port, so
/// the needed flow fails at that rule and the run exits 1.
#[test]
fn an_elasticache_cache_is_a_data_store_proved_like_a_database() {
    let (v, code) = check("evidence-elasticache");
    let flows: Vec<&Value> = v["reachability"]
        .as_array()
        .expect("flows")
        .iter()
        .filter(|f| f["target"]["kind"] == "database")
        .collect();
    let of = |name: &str| {
        *flows
            .iter()
            .find(|f| f["target"]["name"] == name)
            .unwrap_or_else(|| panic!("no flow to {name}: {v:#}"))
    };
    assert_eq!(of("Cache")["target"]["engine"], "redis");
    assert_eq!(of("Cache")["port"], 6379);
    assert_eq!(of("Cache")["verdict"], "reachable");
    assert_eq!(of("Cache")["needed"], true);
    assert_eq!(of("Sessions")["target"]["engine"], "valkey");
    assert_eq!(of("Sessions")["verdict"], "unreachable");
    assert!(of("Sessions")["blockers"][0]["reason"]
        .as_str()
        .unwrap_or("")
        .contains("ports 6380-6380"));
    assert!(!v["diagnostics"].to_string().contains("RL406"));
    assert_eq!(code, 1);
}

#[test]
fn a_data_store_reachlint_does_not_model_is_a_note_not_silence() {
    let (v, code) = check("evidence-unmodeled-data-store");
    let d = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["rule"] == "RL406")
        .unwrap_or_else(|| panic!("no RL406 in {v:#}"));
    assert!(
        d["message"].as_str().unwrap_or("").contains("Docs"),
        "{d:#}"
    );
    assert_eq!(code, 0);
}

/// App Runner without a connector and a publicly accessible database open
/// to every address: the answer does not depend on the unknown public
/// addresses, so it is decided by where the database sits.
#[test]
fn app_runner_without_a_connector_and_a_public_database_is_decided() {
    let (v, code) = check("decided-apprunner-public-db-public-subnets");
    let f = flow(&v, "api", "database");
    assert_eq!(f["verdict"], "reachable", "{f:#}");
    assert_eq!(f["path"][0]["component"], "apprunner-default-egress");
    // and so does the whole internet: the cluster is exposed (RL407)
    assert_eq!(errors(&v).len(), 1, "{:?}", errors(&v));
    assert!(errors(&v)[0].starts_with("\"RL407\""), "{:?}", errors(&v));
    assert_eq!(code, 1);
    let (v, code) = check("decided-apprunner-public-db-private-subnets");
    let f = flow(&v, "api", "database");
    assert_eq!(f["verdict"], "unreachable", "{f:#}");
    assert!(
        f["blockers"]
            .to_string()
            .contains("no route to an internet gateway"),
        "{f:#}"
    );
    assert_eq!(code, 1);
}

#[test]
fn a_secret_handed_over_by_an_addon_output_is_a_reference_too() {
    let (v, code) = check("evidence-secret-from-addon-output");
    let f = flow(&v, "reports", "database");
    assert_eq!(f["needed"], true);
    assert!(
        f["reason"].as_str().unwrap_or("").contains("addon output"),
        "{f:#}"
    );
    assert_eq!(f["verdict"], "unreachable");
    assert_eq!(code, 1);
}

#[test]
fn an_endpoint_received_in_a_variable_is_a_reference() {
    let (v, code) = check("evidence-endpoint-in-variable");
    let f = flow(&v, "api", "database");
    assert_eq!(f["needed"], true);
    assert!(
        f["reason"].as_str().unwrap_or("").contains("endpoint"),
        "{f:#}"
    );
    assert_eq!(f["verdict"], "unreachable");
    assert_eq!(code, 1);
}

#[test]
fn a_value_that_is_no_boolean_is_an_error_at_its_line() {
    let (v, code) = check("cfn-non-boolean-value");
    let d = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["rule"] == "RL103")
        .unwrap_or_else(|| panic!("no RL103 in {v:#}"));
    assert!(d["file"].as_str().unwrap_or("").ends_with("egress.yml"));
    assert_eq!(d["line"], 24);
    // and the entry's direction is undecided, never guessed
    assert_eq!(flow(&v, "worker", "internet")["verdict"], "unknown");
    assert_eq!(code, 1);
}

/// Issue 17, class 1: exports Copilot's stacks make only under a condition
/// (the load balancers', another workload's). An import is an error only
/// when nothing in the workspace creates the export; when another workload
/// does, a note names the deploy order; when the condition rests on what
/// the files do not hold (the application's domain), a note names it; a
/// workload's own addons may import what its deployment creates.
#[test]
fn a_conditional_export_is_an_error_only_when_nothing_creates_it() {
    let (v, code) = check("export-conditional");
    let rl304: Vec<(String, String, i64)> = found(&v)
        .into_iter()
        .filter(|f| f.rule == "RL304")
        .map(|f| (f.severity, f.message, f.line))
        .collect();
    let at = |line: i64| {
        rl304
            .iter()
            .find(|(_, _, l)| *l == line)
            .unwrap_or_else(|| panic!("no RL304 at line {line}: {rl304:#?}"))
    };
    // the HTTP listener: web creates it, worker deployed first fails
    let (sev, msg, _) = at(12);
    assert_eq!(*sev, "note");
    assert!(
        msg.contains("once `web` is deployed") && msg.contains("deploying `worker` before"),
        "{msg}"
    );
    // the HTTPS listener rests on the application's domain
    let (sev, msg, _) = at(26);
    assert_eq!(*sev, "note");
    assert!(msg.contains("domain"), "{msg}");
    // nothing creates the internal load balancer
    let (sev, msg, _) = at(40);
    assert_eq!(*sev, "error");
    assert!(msg.contains("Backend Service with `http`"), "{msg}");
    // api's own stack exports its Network Load Balancer's name
    let (sev, msg, _) = at(53);
    assert_eq!(*sev, "note");
    assert!(msg.contains("once `api` is deployed"), "{msg}");
    // web's own addon imports what web's deployment creates: nothing
    assert_eq!(rl304.len(), 4, "{rl304:#?}");
    assert_eq!(errors(&v).len(), 1, "{:#?}", errors(&v));
    assert_eq!(code, 1);
}

/// Issue 17, class 1: an environment named only by a workload's
/// `environments:` block has no manifest, so its network is not in the
/// files. Under `--assume none` its flows are unknown and name the missing
/// manifest; no error rests on it, and the workspace exits 0 (the known
/// environment is fine). By default it is checked under an assumption
/// (tests/assumptions.rs), and no error rests on that either.
#[test]
fn an_environment_without_a_manifest_is_unknown_never_an_error() {
    let (assumed, code) = common::check_fixture_with("env-named-only-by-workloads", &[]);
    assert!(errors(&assumed).is_empty(), "{:#?}", errors(&assumed));
    assert_eq!(code, 0);
    let (v, code) =
        common::check_fixture_with("env-named-only-by-workloads", &["--assume", "none"]);
    assert!(errors(&v).is_empty(), "{:#?}", errors(&v));
    for t in ["logs", "database", "internet"] {
        let f = v["reachability"]
            .as_array()
            .expect("reachability")
            .iter()
            .find(|f| f["env"] == "prod" && (f["target"]["kind"] == t || f["target"]["name"] == t))
            .unwrap_or_else(|| panic!("no prod flow to {t}"));
        assert_eq!(f["verdict"], "unknown", "{f:#}");
        assert!(
            f.to_string()
                .contains("copilot/environments/prod/manifest.yml is missing"),
            "{f:#}"
        );
    }
    let notes: Vec<&Value> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["env"] == "prod" || d["environments"].to_string().contains("prod"))
        .collect();
    assert!(notes.iter().all(|d| d["severity"] == "note"), "{notes:#?}");
    assert_eq!(code, 0);
}

/// One finding of a fixture's JSON.
#[derive(Debug)]
struct Found {
    rule: String,
    severity: String,
    file: String,
    line: i64,
    message: String,
}

fn found(v: &Value) -> Vec<Found> {
    let text = |d: &Value, k: &str| d[k].as_str().unwrap_or("").to_string();
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| Found {
            rule: text(d, "rule"),
            severity: text(d, "severity"),
            file: text(d, "file"),
            line: d["line"].as_i64().unwrap_or(0),
            message: text(d, "message"),
        })
        .collect()
}

/// The RL401 findings of a fixture: (file, line, message).
fn blocked(v: &Value) -> Vec<(String, i64, String)> {
    found(v)
        .into_iter()
        .filter(|f| f.rule == "RL401")
        .map(|f| (f.file, f.line, f.message))
        .collect()
}

/// Issue 17, class 4: the root cause first. The database admits the
/// environment group, which `deny_default: true` takes off the tasks: the
/// finding sits at the deny_default line and says to remove it; it never
/// suggests editing the database's group.
#[test]
fn deny_default_is_the_line_to_change() {
    let (v, code) = check("root-cause-deny-default");
    let b = blocked(&v);
    assert_eq!(b.len(), 1, "{b:#?}");
    let (file, line, msg) = &b[0];
    assert!(file.ends_with("copilot/api/manifest.yml"), "{file}");
    assert_eq!(*line, 14, "the deny_default line");
    assert!(msg.contains("remove `deny_default`"), "{msg}");
    assert_eq!(flow(&v, "api", "database")["verdict"], "unreachable");
    assert_eq!(code, 1);
}

/// Issue 17, class 4: the environment manifest's egress list replaces the
/// environment group's allow-all egress; the findings sit at that list and
/// name it, not at the top of the environment manifest or Copilot's group.
#[test]
fn the_environment_egress_list_is_the_line_to_change() {
    let (v, code) = check("root-cause-env-egress");
    let b = blocked(&v);
    assert_eq!(b.len(), 2, "logs and the internet: {b:#?}");
    for (file, line, msg) in &b {
        assert!(
            file.ends_with("copilot/environments/test/manifest.yml"),
            "{file}"
        );
        assert_eq!(*line, 8, "the first egress rule");
        assert!(msg.contains("`network.vpc.security_group.egress`"), "{msg}");
    }
    assert_eq!(flow(&v, "api", "database")["verdict"], "reachable");
    assert_eq!(code, 1);
}

/// Issue 17, class 4: an interface endpoint with private DNS off does not
/// capture the service's traffic; `PrivateDnsEnabled: false` is the line
/// to change, so the finding sits there and says to turn it on.
#[test]
fn private_dns_off_is_the_line_to_change() {
    let (v, code) = check("root-cause-private-dns-off");
    let b = blocked(&v);
    assert_eq!(b.len(), 1, "{b:#?}");
    let (file, line, msg) = &b[0];
    assert!(
        file.ends_with("environments/addons/endpoints.yml"),
        "{file}"
    );
    assert_eq!(*line, 67, "the PrivateDnsEnabled line");
    assert!(msg.contains("set `PrivateDnsEnabled: true`"), "{msg}");
    assert!(msg.contains("ENDPOINT_PRIVATE_DNS_DISABLED"), "{msg}");
    // the endpoints with private DNS on still serve their services
    assert_eq!(flow(&v, "billing", "ecr.api")["verdict"], "reachable");
    assert_eq!(code, 1);
}

/// Issue 17, class 1: a major RDS offers only as Extended Support releases
/// (PostgreSQL 11) is created, enrolled in Extended Support (RDS's
/// default): no blocker. Only a resource that opts out with
/// `EngineLifecycleSupport: open-source-rds-extended-support-disabled`
/// cannot be created (RL502 at that line). The data file says which majors
/// are Extended Support only (`extended_support_only`).
#[test]
fn extended_support_is_no_blocker_unless_the_resource_opts_out() {
    let (v, code) = check("deploy-extended-support");
    let all: Vec<(String, i64)> = found(&v).into_iter().map(|f| (f.rule, f.line)).collect();
    assert_eq!(all, vec![("RL502".to_string(), 41)], "{v:#}");
    assert_eq!(code, 0);
}
