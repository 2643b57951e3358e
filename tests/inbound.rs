//! Inbound flows through the real binary (issue 20): what reaches each
//! service. A load balancer's flow to the tasks it forwards to is needed
//! (on the target port and on a health-check port of its own); the
//! internet's flow to an internet-facing load balancer's listeners is
//! informational, from whom its groups admit. Each fixture's whole output
//! is pinned by its `expected.json` (tests/cli.rs).

mod common;

use serde_json::Value;

/// The flows to reach that start outside the workloads: (from kind, from
/// name, target kind, target name, port, needed, verdict); the exposure
/// checks are asserted by the tests at the end.
fn inbound(v: &Value) -> Vec<(String, String, String, String, u64, bool, String)> {
    let s = |x: &Value| x.as_str().unwrap_or("").to_string();
    v["reachability"]
        .as_array()
        .expect("reachability")
        .iter()
        .filter(|f| f["from"]["kind"] != "workload" && f["isolation"] != true)
        .map(|f| {
            (
                s(&f["from"]["kind"]),
                s(&f["from"]["name"]),
                s(&f["target"]["kind"]),
                s(&f["target"]["name"]),
                f["port"].as_u64().unwrap_or(0),
                f["needed"].as_bool().unwrap_or(false),
                s(&f["verdict"]),
            )
        })
        .collect()
}

fn row(
    from: (&str, &str),
    to: (&str, &str),
    port: u64,
    needed: bool,
    verdict: &str,
) -> (String, String, String, String, u64, bool, String) {
    (
        from.0.into(),
        from.1.into(),
        to.0.into(),
        to.1.into(),
        port,
        needed,
        verdict.into(),
    )
}

fn errors(v: &Value) -> Vec<(String, String)> {
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or("").to_string(),
                d["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

const LB: (&str, &str) = ("load-balancer", "PublicLoadBalancer");

#[test]
fn a_default_load_balanced_web_service_is_reached_from_the_internet_through_its_load_balancer() {
    let (v, code) = common::check_fixture("ecs-lbws-aurora");
    assert_eq!(
        inbound(&v),
        vec![
            row(("internet", "internet"), LB, 80, false, "reachable"),
            row(LB, ("workload", "web"), 8080, true, "reachable"),
        ]
    );
    assert_eq!(code, 0);
}

/// `deny_default: true` takes the environment group, the one that admits
/// the load balancer, off the tasks: the load balancer's flow is refused,
/// an error at the `deny_default` line naming the group.
#[test]
fn deny_default_without_a_group_that_admits_the_load_balancer_is_an_error() {
    let (v, code) = common::check_fixture("inbound-deny-default");
    assert_eq!(
        inbound(&v),
        vec![
            row(("internet", "internet"), LB, 80, false, "reachable"),
            row(LB, ("workload", "web"), 8080, true, "unreachable"),
        ]
    );
    let e = errors(&v);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, "RL401");
    assert!(
        e[0].1.contains(
            "EnvironmentSecurityGroup admits the source on tcp/8080, and `deny_default: true`"
        ),
        "{e:?}"
    );
    let d = &v["diagnostics"][0];
    assert!(
        d["file"]
            .as_str()
            .unwrap_or("")
            .ends_with("web/manifest.yml"),
        "{d:#}"
    );
    assert_eq!(code, 1);
}

/// copilot-cli #3772: the tasks' group admits the target port, not the
/// health-check port; requests would pass, health checks never do.
#[test]
fn a_health_check_port_the_tasks_do_not_admit_is_an_error_the_target_port_is_not() {
    let (v, code) = common::check_fixture("inbound-healthcheck-port");
    assert_eq!(
        inbound(&v),
        vec![
            row(("internet", "internet"), LB, 80, false, "reachable"),
            row(LB, ("workload", "web"), 8080, true, "reachable"),
            row(LB, ("workload", "web"), 8081, true, "unreachable"),
        ]
    );
    let health = v["reachability"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["port"] == 8081)
        .unwrap();
    assert!(
        health["reason"]
            .as_str()
            .unwrap()
            .contains("checks the health"),
        "{health:#}"
    );
    assert_eq!(errors(&v).len(), 1);
    assert_eq!(code, 1);
}

/// `http.public.ingress.source_ips`: the flow is from the admitted block,
/// never from the whole internet.
#[test]
fn source_ips_make_the_listener_flow_come_from_the_admitted_blocks() {
    let (v, code) = common::check_fixture("inbound-source-ips");
    assert_eq!(
        inbound(&v),
        vec![
            row(("cidr", "203.0.113.0/24"), LB, 80, false, "reachable"),
            row(LB, ("workload", "web"), 8080, true, "reachable"),
        ]
    );
    assert_eq!(code, 0);
}

/// `http.public.ingress.cdn: true`: the group admits CloudFront's managed
/// prefix list, whose members are unknown offline: a note naming it.
#[test]
fn a_load_balancer_restricted_to_cloudfront_is_unknown_from_the_internet_naming_the_list() {
    let (v, code) = common::check_fixture("inbound-cdn");
    assert_eq!(
        inbound(&v),
        vec![
            row(("internet", "internet"), LB, 80, false, "unknown"),
            row(LB, ("workload", "web"), 8080, true, "reachable"),
        ]
    );
    let f = v["reachability"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["from"]["kind"] == "internet")
        .unwrap();
    assert!(f["missing"].to_string().contains("CloudFront"), "{f:#}");
    assert!(errors(&v).is_empty());
    assert_eq!(code, 0);
}

/// A Backend Service with `http` sits behind the internal load balancer
/// (no flow from the internet); `target_container` sends the requests to
/// the sidecar's port.
#[test]
fn a_backend_service_is_reached_through_the_internal_load_balancer_on_its_target_port() {
    let (v, code) = common::check_fixture("inbound-internal-alb");
    assert_eq!(
        inbound(&v),
        vec![row(
            ("load-balancer", "InternalLoadBalancer"),
            ("workload", "api"),
            9901,
            true,
            "reachable"
        )]
    );
    assert_eq!(code, 0);
}

/// Every data store is checked from the internet by default: public
/// subnets, a publicly accessible instance and a rule open to every
/// address make RL407, at the rule, with the witness path.
#[test]
fn a_data_store_the_internet_reaches_is_an_error_at_the_rule_that_admits_it() {
    let (v, code) = common::check_fixture("exposure-public-database");
    let f = v["reachability"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["from"]["kind"] == "internet" && f["target"]["kind"] == "database")
        .unwrap();
    assert_eq!(f["isolation"], true);
    assert_eq!(f["needed"], false);
    assert_eq!(f["verdict"], "reachable");
    assert!(f["path"].to_string().contains("internet-gateway"), "{f:#}");
    let e = errors(&v);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, "RL407");
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "RL407")
        .unwrap();
    assert!(
        d["file"].as_str().unwrap_or("").ends_with("addons/db.yml"),
        "{d:#}"
    );
    assert_eq!(code, 1);
}

/// A data store the internet cannot reach is proved isolated: no
/// finding, and the report marks the isolation as holding.
#[test]
fn a_private_data_store_is_proved_isolated_without_a_finding() {
    let (v, code) = common::check_fixture("ecs-lbws-aurora");
    let f = v["reachability"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["isolation"] == true)
        .unwrap();
    assert_eq!(f["target"]["kind"], "database");
    assert_eq!(f["verdict"], "unreachable");
    assert!(v["diagnostics"].as_array().unwrap().is_empty(), "{v:#}");
    assert_eq!(code, 0);
    let o = common::bin()
        .args([
            "check",
            "fixtures/ecs-lbws-aurora",
            "--color",
            "never",
            "--show-ok",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("ok the internet -> database webDbDBCluster (aurora-postgresql, tcp/5432): unreachable (isolation"),
        "{text}"
    );
    // by default the flows that hold are counted, not listed (issue 24)
    let o = common::bin()
        .args(["check", "fixtures/ecs-lbws-aurora", "--color", "never"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(!text.contains("  ok the internet"), "{text}");
    assert!(
        text.contains("flows as expected (--show-ok lists them)"),
        "{text}"
    );
}

/// Tasks behind a load balancer with public addresses and a group open
/// to every address on the target port: RL408, a warning.
#[test]
fn tasks_the_internet_reaches_around_their_load_balancer_are_a_warning() {
    let (v, code) = common::check_fixture("exposure-task-direct");
    let f = v["reachability"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["isolation"] == true && f["target"]["kind"] == "workload")
        .unwrap();
    assert_eq!(f["port"], 8080);
    assert_eq!(f["verdict"], "reachable");
    let rules: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, vec!["RL408"]);
    assert_eq!(v["diagnostics"][0]["severity"], "warning");
    assert_eq!(code, 0);
}

/// A service's own network load balancer (`nlb`, copilot-cli #5502): each
/// TCP or TLS listener is reached from the internet and forwards to its
/// target port (`target_port`, else the listener's own); a UDP listener
/// gets no TCP flow.
#[test]
fn a_network_load_balancer_forwards_each_listener_to_its_target_port() {
    let (v, code) = common::check_fixture("inbound-nlb");
    let nlb = ("load-balancer", "PublicNetworkLoadBalancerV2");
    assert_eq!(
        inbound(&v),
        vec![
            row(("internet", "internet"), nlb, 80, false, "reachable"),
            row(("internet", "internet"), nlb, 443, false, "reachable"),
            row(nlb, ("workload", "web"), 443, true, "reachable"),
            row(nlb, ("workload", "web"), 8080, true, "reachable"),
        ]
    );
    // the TLS listener forwards to its own port 443 (no `target_port`)
    // while `image.port` is 8080: RL215 at its port, a warning
    // (copilot-cli #5502); the UDP listener needs a socket of its own
    let found = common::findings_by(&v, "severity");
    let rl215 = |line| ("RL215".to_string(), "warning".to_string(), line);
    assert_eq!(found, vec![rl215(17)], "{v:#}");
    assert_eq!(code, 0);
}

const NO_INGRESS_SG: &str = "Parameters:
  App: {Type: String}
  Env: {Type: String}
  Name: {Type: String}
Resources:
  TaskSG:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: no ingress
      VpcId: {'Fn::ImportValue': !Sub '${App}-${Env}-VpcId'}
Outputs:
  TaskSG:
    Value: !Ref TaskSG
";

fn rules_of(r: &reachlint::outcome::Report) -> Vec<&'static str> {
    r.diagnostics.iter().map(|d| d.rule.code()).collect()
}

/// `deny_default` behind the service's own network load balancer is
/// proved (RL401); behind a load balancer it imports (`http.alb`, which
/// the files do not describe) it stays RL210's warning.
#[test]
fn deny_default_is_proved_where_the_load_balancer_is_rendered_and_warned_where_imported() {
    let deny = "network:\n  vpc:\n    security_groups:\n      deny_default: true\n";
    let nlb = common::Ws::new("deny-nlb")
        .file(
            "web/manifest.yml",
            &format!("name: web\ntype: Load Balanced Web Service\nimage: {{build: Dockerfile, port: 8080}}\nhttp: false\nnlb:\n  port: 80/tcp\n  target_port: 8080\n{deny}"),
        )
        .file("web/addons/sg.yml", NO_INGRESS_SG);
    let r = nlb.check();
    assert_eq!(rules_of(&r), vec!["RL401"], "{:#?}", r.diagnostics);
    assert!(r.diagnostics[0]
        .message
        .contains("PublicNetworkLoadBalancerV2"));
    let imported = common::Ws::new("deny-imported")
        .file(
            "web/manifest.yml",
            &format!("name: web\ntype: Load Balanced Web Service\nimage: {{build: Dockerfile, port: 8080}}\nhttp:\n  path: /\n  alb: my-alb\n{deny}"),
        )
        .file("web/addons/sg.yml", NO_INGRESS_SG);
    let r = imported.check();
    assert_eq!(rules_of(&r), vec!["RL210"], "{:#?}", r.diagnostics);
    assert!(r.diagnostics[0].message.contains("imported load balancer"));
}

/// `explain` on an exposure check exits 0 when the isolation holds and 1
/// when the internet gets through, as its expectation says.
#[test]
fn explain_of_an_isolation_flow_exits_by_whether_the_isolation_holds() {
    let code = |fixture: &str| {
        common::bin()
            .args([
                "explain", fixture, "--from", "internet", "--to", "database", "--color", "never",
            ])
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(code("fixtures/ecs-lbws-aurora"), Some(0));
    assert_eq!(code("fixtures/exposure-public-database"), Some(1));
}

/// The flows between two services of the workspace: (client, server, port,
/// needed, verdict).
fn peers(v: &Value) -> Vec<(String, String, u64, bool, String)> {
    let s = |x: &Value| x.as_str().unwrap_or("").to_string();
    v["reachability"]
        .as_array()
        .expect("reachability")
        .iter()
        .filter(|f| f["from"]["kind"] == "workload" && f["target"]["kind"] == "workload")
        .map(|f| {
            (
                s(&f["from"]["name"]),
                s(&f["target"]["name"]),
                f["port"].as_u64().unwrap_or(0),
                f["needed"] == true,
                s(&f["verdict"]),
            )
        })
        .collect()
}

/// Service to service through Service Connect (issue 20): a client with
/// `network.connect` that names the server's alias in a URL needs the
/// server's tasks on its target port; a bare word gets no flow, and a
/// client without `network.connect`, for which the alias does not resolve,
/// gets RL214 instead.
#[test]
fn a_service_connect_client_needs_the_servers_tasks_on_its_target_port() {
    let (v, code) = common::check_fixture("peer-service-connect");
    assert_eq!(
        peers(&v),
        vec![(
            "web".to_string(),
            "api".to_string(),
            8080,
            true,
            "reachable".to_string()
        )]
    );
    let f = v["reachability"]
        .as_array()
        .expect("reachability")
        .iter()
        .find(|f| f["target"]["kind"] == "workload" && f["from"]["name"] == "web")
        .expect("web's flow");
    let reason = f["reason"].as_str().unwrap_or("");
    assert!(reason.contains("Service Connect name `orders`"), "{reason}");
    assert!(reason.contains("ORDERS_URL"), "{reason}");
    // `reports` names the alias without being a client: RL214 at the value
    let found = common::findings_by(&v, "file");
    assert_eq!(
        found,
        vec![(
            "RL214".to_string(),
            "fixtures/peer-service-connect/copilot/reports/manifest.yml".to_string(),
            9
        )]
    );
    assert_eq!(code, 0);
}

/// Service to service through service discovery: the name
/// `<svc>.<env>.<app>.local` in a variable makes the flow needed, on the
/// URL's port; the server's `deny_default` leaves no group admitting the
/// client, so it is RL401 at that line and the run fails.
#[test]
fn a_service_discovery_name_makes_the_flow_needed_and_deny_default_refuses_it() {
    let (v, code) = common::check_fixture("peer-discovery-deny-default");
    assert_eq!(
        peers(&v),
        vec![(
            "web".to_string(),
            "api".to_string(),
            8080,
            true,
            "unreachable".to_string()
        )]
    );
    let rl401: Vec<&Value> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "RL401")
        .collect();
    assert_eq!(rl401.len(), 1, "{rl401:#?}");
    assert_eq!(
        rl401[0]["file"],
        "fixtures/peer-discovery-deny-default/copilot/api/manifest.yml"
    );
    assert_eq!(rl401[0]["line"], 11, "at `deny_default`");
    assert_eq!(code, 1);
}

/// DECISIONS.md (Endpoints): the exposure check of a data store no workload
/// owns (an environment addon's cluster) is about no workload, so its
/// `service` is null; a workload's own store keeps its workload's name.
#[test]
fn a_data_store_no_workload_owns_is_about_no_workload() {
    let exposure = |fixture: &str| -> Value {
        let (v, _) = common::check_fixture(fixture);
        v["reachability"]
            .as_array()
            .expect("reachability")
            .iter()
            .find(|f| f["from"]["kind"] == "internet" && f["target"]["kind"] == "database")
            .cloned()
            .unwrap_or_else(|| panic!("no exposure check in {fixture}"))
    };
    let env_owned = exposure("ecs-env-aurora");
    assert_eq!(env_owned["service"], Value::Null, "{env_owned:#}");
    assert_eq!(env_owned["target"]["name"], "ordersDbDBCluster");
    let own = exposure("ecs-lbws-aurora");
    assert!(own["service"].is_string(), "{own:#}");
}
