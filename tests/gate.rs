//! The CI gate and the pre-commit hook, through the real binary: every
//! output format, the configuration and its precedence, inline
//! suppressions and their expiry, the baseline round trip, the exit code in
//! every mode, `rules`, and the hook entry as pre-commit runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn bin(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reachlint"));
    c.current_dir(dir);
    c.env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("NO_COLOR");
    c
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin(dir).args(args).output().expect("binary runs")
}

fn run(args: &[&str]) -> Output {
    run_in(Path::new(ROOT), args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// A scratch copy of a fixture, removed when dropped.
struct Copy {
    root: PathBuf,
}

impl Copy {
    fn of(fixture: &str, name: &str) -> Copy {
        let root =
            std::env::temp_dir().join(format!("reachlint-gate-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        copy_dir(&Path::new(ROOT).join("fixtures").join(fixture), &root);
        Copy { root }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("dirs");
        std::fs::write(p, text).expect("write");
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let p = self.path(rel);
        let text = std::fs::read_to_string(&p).expect("read");
        assert!(text.contains(from), "{from} not in {rel}");
        std::fs::write(p, text.replacen(from, to, 1)).expect("write");
    }

    fn check(&self, args: &[&str]) -> Output {
        let mut a = vec!["check", "."];
        a.extend_from_slice(args);
        run_in(&self.root, &a)
    }

    fn json(&self, args: &[&str]) -> (Value, i32) {
        let mut a = vec!["--format", "json"];
        a.extend_from_slice(args);
        let o = self.check(&a);
        let v = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
            panic!("{e}: {}{}", stdout(&o), String::from_utf8_lossy(&o.stderr))
        });
        (v, o.status.code().unwrap_or(-1))
    }
}

impl Drop for Copy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("dir");
    for e in std::fs::read_dir(from).expect("read dir").flatten() {
        let p = e.path();
        let t = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &t);
        } else {
            std::fs::copy(&p, &t).expect("copy");
        }
    }
}

fn rules_of(v: &Value) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["suppressed"].is_null())
        .map(|d| d["rule"].as_str().unwrap_or("").to_string())
        .collect()
}

const DB: &str = "copilot/demo-service/addons/demoDb.yml";
const BLOCKER_LINE: &str = "        - ToPort: 3306\n";

// ---- formats ----

#[test]
fn sarif_has_the_structure_code_scanning_requires() {
    let o = run(&[
        "check",
        "fixtures/apprunner-vpc-db-port-3306",
        "--format",
        "sarif",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).expect("SARIF is JSON");
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap_or("").contains("sarif-2.1.0"));
    let runs = v["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "reachlint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().expect("rules");
    assert!(rules.len() >= 20);
    let levels = ["none", "note", "warning", "error"];
    for r in rules {
        let id = r["id"].as_str().expect("id");
        assert!(id.starts_with("RL") && id.len() == 5, "{id}");
        assert!(!r["name"].as_str().unwrap_or("").is_empty(), "{id} name");
        for k in ["shortDescription", "fullDescription"] {
            assert!(!r[k]["text"].as_str().unwrap_or("").is_empty(), "{id} {k}");
        }
        assert!(r["helpUri"]
            .as_str()
            .unwrap_or("")
            .ends_with(&format!("rules/{id}.md")));
        assert!(levels.contains(&r["defaultConfiguration"]["level"].as_str().unwrap_or("")));
    }
    let results = runs[0]["results"].as_array().expect("results");
    // the blocked flow, and the seed's two deploy blockers (RL501, RL503)
    assert_eq!(results.len(), 3);
    assert_eq!(results.iter().filter(|r| r["ruleId"] == "RL401").count(), 1);
    for res in results {
        let i = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[i]["id"], res["ruleId"]);
        assert!(levels.contains(&res["level"].as_str().unwrap_or("")));
        assert!(!res["message"]["text"].as_str().unwrap_or("").is_empty());
        let loc = &res["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(!uri.starts_with('/') && !uri.contains('\\'), "{uri}");
        let region = &loc["region"];
        for k in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[k].as_u64().expect(k) >= 1, "{k}");
        }
        assert!(
            (region["endLine"].as_u64(), region["endColumn"].as_u64())
                >= (region["startLine"].as_u64(), region["startColumn"].as_u64())
        );
        assert!(res["partialFingerprints"]["reachlint/v1"].is_string());
        if res["ruleId"] == "RL401" {
            let steps = res["codeFlows"][0]["threadFlows"][0]["locations"]
                .as_array()
                .expect("a code flow");
            assert!(!steps.is_empty());
        }
    }
    assert_eq!(results[0]["ruleId"], "RL401");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        53
    );
}

#[test]
fn sarif_of_the_3306_fixture_is_pinned() {
    let o = run(&[
        "check",
        "fixtures/apprunner-vpc-db-port-3306",
        "--format",
        "sarif",
    ]);
    // the rules' help is their page (pinned by the pages themselves)
    let mut v: Value = serde_json::from_slice(&o.stdout).expect("SARIF is JSON");
    for r in v["runs"][0]["tool"]["driver"]["rules"]
        .as_array_mut()
        .expect("rules")
    {
        let page = format!("(rules/{}.md)", r["id"].as_str().unwrap_or(""));
        r["help"]["markdown"] = Value::String(page);
    }
    let got = serde_json::to_string_pretty(&v).expect("JSON") + "\n";
    let snap = Path::new(ROOT).join("tests/snapshots/check-db-port-3306.sarif");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&snap, &got).expect("write snapshot");
    }
    let want =
        std::fs::read_to_string(&snap).expect("snapshot exists (UPDATE_SNAPSHOTS=1 to create)");
    assert_eq!(got, want);
}

#[test]
fn github_annotations_and_markdown() {
    let o = run(&[
        "check",
        "fixtures/apprunner-vpc-db-port-3306",
        "--format",
        "github",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let first = out.lines().next().expect("an annotation");
    assert!(
        first.starts_with("::error file=fixtures/apprunner-vpc-db-port-3306/copilot/demo-service/addons/demoDb.yml,line=53,col=11,endLine=57,endColumn=61,title=RL401::RL401 (needed-flow-blocked): "),
        "{first}"
    );
    assert!(!first.contains('\n'));
    let o = run(&[
        "check",
        "fixtures/apprunner-vpc-db-port-3306",
        "--format",
        "markdown",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let md = stdout(&o);
    assert!(md.contains("### Flows in environment `test`"), "{md}");
    assert!(
        md.contains("| ❌ | `demo-service` | database demoDbDBCluster"),
        "{md}"
    );
    assert!(md.contains("```mermaid\nflowchart LR"), "{md}");
    assert!(md.contains(":::blocked"), "{md}");
    assert!(md.contains("ENI_SG_RULES_MISMATCH"), "{md}");
}

#[test]
fn output_file_and_exit_codes_in_every_mode() {
    let dir = std::env::temp_dir().join(format!("reachlint-gate-out-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    for (fixture, code) in [
        ("apprunner-vpc-v2-current", 0),
        ("apprunner-vpc-db-port-3306", 1),
    ] {
        let path = format!("fixtures/{fixture}");
        for format in ["human", "json", "sarif", "github", "markdown"] {
            let o = run(&["check", &path, "--format", format]);
            assert_eq!(o.status.code(), Some(code), "{fixture} {format}");
            let file = dir.join(format!("{fixture}.{format}"));
            let f = file.to_str().expect("utf-8");
            let o2 = run(&["check", &path, "--format", format, "--output", f]);
            assert_eq!(o2.status.code(), Some(code), "{fixture} {format} --output");
            assert!(o2.stdout.is_empty());
            assert_eq!(std::fs::read(&file).expect("written"), o.stdout, "{format}");
        }
        let o = run(&["check", &path, "--quiet"]);
        assert_eq!(o.status.code(), Some(code));
        let q = stdout(&o);
        assert!(!q.contains("reachability in environment"), "{q}");
        assert_eq!(q.is_empty(), code == 0, "{q}");
    }
    // --strict: the no-params fixture has an unknown verdict and a note
    let o = run(&[
        "check",
        "fixtures/apprunner-vpc-no-params",
        "--strict",
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--quiet` prints only what counts for the exit code: a warning (RL502)
/// or a note (RL403) that does not fail the gate is not printed; under
/// `--strict`, where it fails the gate, it is.
#[test]
fn quiet_means_only_what_counts() {
    for (fixture, rule) in [
        ("apprunner-vpc-v2", "RL502"),
        ("manifest-env-cidr-variable", "RL403"),
    ] {
        let path = format!("fixtures/{fixture}");
        let o = run(&["check", &path, "--quiet"]);
        assert_eq!(o.status.code(), Some(0), "{fixture}");
        assert_eq!(stdout(&o), "", "{fixture}");
        let o = run(&["check", &path, "--quiet", "--strict"]);
        assert_eq!(o.status.code(), Some(1), "{fixture}");
        let q = stdout(&o);
        assert!(q.contains(rule) && q.contains("summary:"), "{fixture}: {q}");
    }
    // an error is printed without --strict
    let o = run(&["check", "fixtures/apprunner-vpc", "--quiet"]);
    let q = stdout(&o);
    assert!(q.contains("RL501") && q.contains("RL503"), "{q}");
}

// ---- configuration ----

#[test]
fn configuration_selects_ignores_and_sets_severities() {
    let ws = Copy::of("apprunner-vpc-db-port-3306", "config");
    let (_, code) = ws.json(&[]);
    assert_eq!(code, 1);
    // ignoring RL401 drops the finding and its flow from the counts
    // (the seed's deploy blockers, RL5xx, are not this test's subject)
    ws.write(".reachlint.toml", "ignore = [\"RL401\", \"RL5\"]\n");
    let (v, code) = ws.json(&[]);
    assert_eq!(code, 0, "{v}");
    assert!(rules_of(&v).is_empty());
    assert_eq!(v["summary"]["unreachable"], 0);
    // the command line overrides the file's select
    ws.write(".reachlint.toml", "select = [\"RL1\"]\n");
    let (_, code) = ws.json(&[]);
    assert_eq!(code, 0);
    let (_, code) = ws.json(&["--select", "RL4"]);
    assert_eq!(code, 1);
    // a severity override
    ws.write(".reachlint.toml", "[severity]\nRL401 = \"warning\"\n");
    let (v, code) = ws.json(&[]);
    assert_eq!(code, 1, "a needed flow failing still fails");
    assert_eq!(v["diagnostics"][0]["severity"], "warning");
    // per-path ignores, relative to the file's folder
    ws.write(
        ".reachlint.toml",
        "[per-path-ignores]\n\"copilot/*/addons/**\" = [\"RL4\", \"RL5\"]\n",
    );
    let (v, code) = ws.json(&[]);
    assert_eq!(code, 0, "{v}");
    // found from a folder inside the workspace too
    let o = run_in(&ws.path("copilot/demo-service"), &["check", ".", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // --config names another file
    ws.write("other.toml", "ignore = [\"RL4\", \"RL5\"]\n");
    std::fs::remove_file(ws.path(".reachlint.toml")).expect("rm");
    let (_, code) = ws.json(&["--config", "other.toml"]);
    assert_eq!(code, 0);
}

#[test]
fn a_bad_configuration_stops_the_run_at_its_line() {
    let ws = Copy::of("apprunner-vpc-v2-current", "badconfig");
    for (text, at) in [
        ("selct = [\"RL1\"]\n", ".reachlint.toml:1:1:"),
        ("\nignore = [\"RL9999\"]\n", ".reachlint.toml:2:11:"),
        ("[severity]\nRL102 = \"loud\"\n", ".reachlint.toml:2:9:"),
    ] {
        ws.write(".reachlint.toml", text);
        let o = ws.check(&[]);
        assert_eq!(o.status.code(), Some(2), "{text}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(at), "{err}");
    }
}

#[test]
fn configured_environments_region_and_variables() {
    let ws = Copy::of("apprunner-vpc-v2-current", "envs");
    ws.write(".reachlint.toml", "environments = [\"nope\"]\n");
    let o = ws.check(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("`nope` not found"));
    // --env overrides the configured environments
    let o = ws.check(&["--env", "test", "--quiet"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // a variable set at deploy time is not reported as undefined
    ws.edit(
        "copilot/demo-service/manifest.yml",
        "name: demo-service\n",
        "name: demo-service\nvariables:\n  TAG: ${IMAGE_TAG}\n",
    );
    std::fs::remove_file(ws.path(".reachlint.toml")).expect("rm");
    let (v, _) = ws.json(&[]);
    assert!(rules_of(&v).contains(&"RL203".to_string()), "{v}");
    ws.write(
        ".reachlint.toml",
        "variables = [\"IMAGE_TAG\"]\nregion = \"eu-west-1\"\n",
    );
    let (v, _) = ws.json(&[]);
    assert!(!rules_of(&v).contains(&"RL203".to_string()), "{v}");
}

#[test]
fn declared_flows_are_proved_like_derived_ones() {
    let ws = Copy::of("apprunner-vpc-v2-current", "declared");
    ws.write(
        ".reachlint.toml",
        "[[flow]]\nservice = \"demo-service\"\nto = \"internet\"\nexpect = \"unreachable\"\nreason = \"isolated\"\n\n[[flow]]\nservice = \"demo-service\"\nto = \"s3\"\nexpect = \"reachable\"\n\n[[flow]]\nservice = \"nobody\"\nto = \"internet\"\nexpect = \"reachable\"\n",
    );
    let (v, code) = ws.json(&[]);
    assert_eq!(code, 1);
    let rules = rules_of(&v);
    assert!(rules.contains(&"RL404".to_string()), "{rules:?}");
    assert!(rules.contains(&"RL405".to_string()), "{rules:?}");
    let rl404 = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "RL404")
        .unwrap();
    assert_eq!(rl404["file"], ".reachlint.toml");
    assert_eq!(rl404["line"], 1);
    let s3 = v["reachability"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["target"]["name"] == "s3")
        .expect("the declared s3 flow");
    assert_eq!(s3["needed"], true);
    assert!(s3["reason"]
        .as_str()
        .unwrap()
        .contains("declared in .reachlint.toml"));
    assert_eq!(s3["verdict"], "reachable");
}

/// `explain` answers a question no evidence or declaration asked, as
/// Reachability Analyzer does: from the internet to Copilot's public load
/// balancer on 443 (no HTTPS listener, so no ingress rule for it), nor to
/// the tasks directly (the environment group admits no public address).
/// On 80 the derived flow to the listener answers (its group admits 80
/// from everywhere). The asked flow is informational (exit 0 when it gets
/// through, 1 when it does not) and `check` never sees it.
#[test]
fn explain_proves_a_flow_nobody_declared() {
    let ask = |from: &str, to: &str| {
        let o = run(&[
            "explain",
            "fixtures/ecs-lbws-aurora",
            "--from",
            from,
            "--to",
            to,
            "--color",
            "never",
        ]);
        (stdout(&o), o.status.code())
    };
    let (text, code) = ask("internet", "load-balancer:PublicLoadBalancer:80");
    assert!(
        text.starts_with("the internet -> load balancer PublicLoadBalancer (tcp/80)"),
        "{text}"
    );
    assert!(
        text.contains(
            "why this flow: internet-facing load balancer PublicLoadBalancer listens on port 80"
        ),
        "{text}"
    );
    assert!(text.contains("verdict: REACHABLE"), "{text}");
    assert!(text.contains("internet-gateway"), "{text}");
    assert_eq!(code, Some(0));
    let (text, code) = ask("internet", "load-balancer:PublicLoadBalancer:443");
    assert!(
        text.contains("why this flow: asked with `reachlint explain`"),
        "{text}"
    );
    assert!(text.contains("verdict: UNREACHABLE"), "{text}");
    assert!(
        text.contains("PublicHTTPLoadBalancerSecurityGroup"),
        "{text}"
    );
    assert_eq!(code, Some(1));
    let (text, _) = ask("internet", "workload:web:8080");
    assert!(text.contains("verdict: UNREACHABLE"), "{text}");
    assert!(text.contains("EnvironmentSecurityGroup"), "{text}");
    // a block, and a name that is no block
    let (text, _) = ask("cidr:203.0.113.0/24", "load-balancer:PublicLoadBalancer:80");
    assert!(
        text.starts_with("203.0.113.0/24 -> load balancer PublicLoadBalancer"),
        "{text}"
    );
    let o = run(&[
        "explain",
        "fixtures/ecs-lbws-aurora",
        "--from",
        "cidr:nope",
        "--to",
        "database",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no IPv4 block"));
    // from App Runner's managed network: its addresses are not known
    // offline, so never reachable nor unreachable by assumption
    let o = run(&[
        "explain",
        "fixtures/decided-apprunner-public-db-public-subnets",
        "--service",
        "api",
        "--to",
        "workload:api:8080",
        "--color",
        "never",
    ]);
    assert!(stdout(&o).contains("verdict: UNKNOWN"), "{}", stdout(&o));
    // check is untouched by what explain asks: from the internet it
    // proves only the derived flow to the listener on 80
    let o = run(&["check", "fixtures/ecs-lbws-aurora", "--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    let outside: Vec<(&Value, &Value)> = v["reachability"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["from"]["kind"] == "internet" || f["from"]["kind"] == "cidr")
        .filter(|f| f["isolation"] != true)
        .map(|f| (&f["target"]["kind"], &f["port"]))
        .collect();
    assert_eq!(
        outside,
        vec![(&Value::from("load-balancer"), &Value::from(80))],
        "{v}"
    );
}

/// Isolation declared from outside (`from = "internet"`): a publicly
/// accessible cluster in public subnets whose group admits every address
/// is reachable from the internet through the internet gateway, so the
/// declaration is RL404 with the witness and an `explain --from internet`
/// that shows it; in private subnets (their route sends the reply to a NAT
/// gateway) or not publicly accessible, it is unreachable, as declared,
/// and nothing is reported. A `from` that is no block is refused.
#[test]
fn isolation_declared_from_the_internet_is_proved() {
    let decl = "[[flow]]\nfrom = \"internet\"\nto = \"database\"\nexpect = \"unreachable\"\nreason = \"card data\"\n";
    let ws = Copy::of(
        "decided-apprunner-public-db-public-subnets",
        "from-internet",
    );
    ws.write(".reachlint.toml", decl);
    let (v, code) = ws.json(&[]);
    assert_eq!(code, 1, "{v}");
    let flow = v["reachability"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["from"]["kind"] == "internet")
        .unwrap_or_else(|| panic!("the internet's flow: {v}"));
    assert_eq!(flow["target"]["kind"], "database");
    assert_eq!(flow["service"], "api");
    assert_eq!(flow["verdict"], "reachable");
    assert_eq!(flow["needed"], false);
    let components: Vec<&str> = flow["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["component"].as_str().unwrap())
        .collect();
    assert_eq!(components.first(), Some(&"internet"), "{components:?}");
    assert!(components.contains(&"internet-gateway"), "{components:?}");
    assert_eq!(components.last(), Some(&"database"), "{components:?}");
    let rl404 = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "RL404")
        .unwrap_or_else(|| panic!("RL404: {v}"));
    assert!(rl404["message"]
        .as_str()
        .unwrap()
        .starts_with("the internet reaches database apiDbCluster"));
    assert!(rl404["help"]
        .as_str()
        .unwrap()
        .contains("--env test --from internet --to database`"));
    let o = run_in(
        &ws.root,
        &[
            "explain",
            ".",
            "--service",
            "api",
            "--from",
            "internet",
            "--to",
            "database",
            "--color",
            "never",
        ],
    );
    let text = stdout(&o);
    assert!(
        text.contains("verdict: REACHABLE"),
        "{text}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // not publicly accessible: nothing outside addresses it (and App
    // Runner's managed egress no longer reaches it either: RL401 for
    // `api`'s own flow, nothing about the internet's)
    ws.edit(
        "copilot/api/addons/apiDb.yml",
        "PubliclyAccessible: true",
        "PubliclyAccessible: false",
    );
    let (v, _) = ws.json(&[]);
    let flow = v["reachability"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["from"]["kind"] == "internet")
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(flow["verdict"], "unreachable", "{flow}");
    assert_eq!(
        flow["blockers"][0]["code"],
        "IGW_PUBLIC_IP_ASSOCIATION_FOR_INGRESS"
    );
    let about_the_internet = |v: &Value| {
        v["diagnostics"].as_array().unwrap().iter().any(|d| {
            d["rule"] == "RL404"
                || d["message"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with("the internet")
        })
    };
    assert!(!about_the_internet(&v), "{v}");
    // private subnets: the reply goes to a NAT gateway, never back out
    let private = Copy::of(
        "decided-apprunner-public-db-private-subnets",
        "from-internet-private",
    );
    private.write(".reachlint.toml", decl);
    let (v, _) = private.json(&[]);
    let flow = v["reachability"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["from"]["kind"] == "internet")
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(flow["verdict"], "unreachable", "{flow}");
    assert!(
        flow["blockers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["code"] == "NO_ROUTE_TO_DESTINATION"),
        "{flow}"
    );
    assert!(!about_the_internet(&v), "{v}");
    // a `from` that is no block: a clear error naming the line
    ws.write(
        ".reachlint.toml",
        "[[flow]]\nfrom = \"cidr:10.0.0\"\nto = \"database\"\nexpect = \"unreachable\"\n",
    );
    let o = ws.check(&[]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(".reachlint.toml:1:1") && err.contains("no IPv4 block"),
        "{err}"
    );
}

/// A declared flow between two workloads (`to = "workload:<name>:<port>"`)
/// is proved from the client's ENIs to the server's tasks like any other:
/// `worker` (deny_default, egress only to tcp/443) cannot reach `api` on
/// 8080, at both groups; `report` reaches `api` on any port through the
/// environment group, which admits itself (Copilot's
/// `EnvironmentSecurityGroupIngressFromSelf`), so declaring it unreachable
/// is RL404 with an `explain` that takes the same name. A name without a
/// port, or of no workload, is RL405.
#[test]
fn declared_flows_between_workloads_are_proved() {
    let ws = Copy::of("ecs-mixed", "declared-workloads");
    ws.write(
        ".reachlint.toml",
        "[[flow]]\nservice = \"worker\"\nto = \"workload:api:8080\"\nexpect = \"reachable\"\n\n\
         [[flow]]\nservice = \"report\"\nto = \"workload:api:9000\"\nexpect = \"unreachable\"\n\n\
         [[flow]]\nservice = \"report\"\nto = \"workload:nobody:80\"\nexpect = \"reachable\"\n\n\
         [[flow]]\nservice = \"report\"\nto = \"workload:api\"\nexpect = \"reachable\"\n",
    );
    let (v, code) = ws.json(&[]);
    assert_eq!(code, 1, "{v}");
    let flows = v["reachability"].as_array().unwrap();
    let to_api = |from: &str| {
        flows
            .iter()
            .find(|f| f["service"] == from && f["target"]["kind"] == "workload")
            .unwrap_or_else(|| panic!("{from} -> api: {v}"))
    };
    let worker = to_api("worker");
    assert_eq!(worker["target"]["name"], "api");
    assert_eq!(worker["port"], 8080);
    assert_eq!(worker["verdict"], "unreachable");
    let codes: Vec<&str> = worker["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["ENI_SG_RULES_MISMATCH", "ENI_SG_RULES_MISMATCH"],
        "{worker}"
    );
    assert_eq!(to_api("report")["verdict"], "reachable");
    let diags = v["diagnostics"].as_array().unwrap();
    let rule_at = |rule: &str, line: u64| {
        diags
            .iter()
            .find(|d| d["rule"] == rule && d["line"] == line)
            .unwrap_or_else(|| panic!("{rule} at {line}: {v}"))
    };
    assert!(rule_at("RL404", 6)["help"]
        .as_str()
        .unwrap()
        .contains("--to workload:api:9000`"));
    assert!(rule_at("RL405", 11)["message"]
        .as_str()
        .unwrap()
        .contains("names no workload of environment `test`"));
    assert!(rule_at("RL405", 16)["help"]
        .as_str()
        .unwrap()
        .contains("`workload:<name>:<port>`"));
    assert!(rule_at("RL401", 17)["help"]
        .as_str()
        .unwrap()
        .contains("--to workload:api:8080`"));
    // `explain` takes the name the help gives
    let o = run_in(
        &ws.root,
        &[
            "explain",
            ".",
            "--service",
            "worker",
            "--to",
            "workload:api:8080",
            "--color",
            "never",
        ],
    );
    let text = stdout(&o);
    assert!(
        text.contains("verdict: UNREACHABLE"),
        "{text}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(text.contains("WorkerSecurityGroup"), "{text}");
}

/// Every name `explain --to` takes is a declared flow's `to`, parsed
/// once: `file-system` is the file system on tcp/2049 (it once became an
/// AWS API flow on tcp/443); an unknown name is RL405 at the declaration
/// with the nearest name, and makes no flow.
#[test]
fn declared_flow_targets_are_typed() {
    let ws = Copy::of("ecs-mixed", "declared-typed");
    ws.write(
        ".reachlint.toml",
        "[[flow]]\nservice = \"report\"\nto = \"file-system\"\nexpect = \"unreachable\"\n\n\
         [[flow]]\nservice = \"api\"\nto = \"file-system:FileSystem\"\nexpect = \"reachable\"\n\n\
         [[flow]]\nservice = \"worker\"\nto = \"file-sytem\"\nexpect = \"reachable\"\n\n\
         [[flow]]\nservice = \"worker\"\nto = \"kms\"\nexpect = \"reachable\"\n",
    );
    let (v, _) = ws.json(&[]);
    let flows = v["reachability"].as_array().unwrap();
    // `report` mounts nothing: declaring it unreachable adds the flow
    // (the file system's own group admits only the mounting task)
    let report_fs: Vec<&Value> = flows
        .iter()
        .filter(|f| f["service"] == "report" && f["target"]["kind"] == "file-system")
        .collect();
    assert_eq!(report_fs.len(), 1, "{v}");
    assert_eq!(report_fs[0]["port"], 2049);
    assert_eq!(report_fs[0]["needed"], false);
    let api_fs = flows
        .iter()
        .find(|f| f["service"] == "api" && f["target"]["kind"] == "file-system")
        .unwrap();
    assert!(api_fs["reason"]
        .as_str()
        .unwrap()
        .contains(".reachlint.toml"));
    // no AWS API flow named after a file system or an unknown name
    assert!(
        !flows.iter().any(|f| f["target"]["kind"] == "aws-service"
            && ["file-system", "file-sytem", "kms"]
                .contains(&f["target"]["name"].as_str().unwrap_or(""))),
        "{v}"
    );
    let rl405: Vec<&Value> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "RL405")
        .collect();
    assert_eq!(rl405.len(), 2, "{rl405:?}");
    assert_eq!(rl405[0]["severity"], "warning");
    assert_eq!(rl405[0]["file"], ".reachlint.toml");
    assert_eq!(rl405[0]["line"], 11);
    assert!(rl405[0]["help"]
        .as_str()
        .unwrap()
        .contains("did you mean `file-system`"));
    assert_eq!(rl405[1]["line"], 16);
}

// ---- suppressions ----

#[test]
fn each_suppression_form_and_its_expiry() {
    let ws = Copy::of("apprunner-vpc-db-port-3306", "inline");
    // the seed's deploy blockers (RL5xx) are not this test's subject
    ws.write(".reachlint.toml", "ignore = [\"RL5\"]\n");
    let set = |comment_line: &str, trailing: &str| {
        let p = ws.path(DB);
        let text = std::fs::read_to_string(
            Path::new(ROOT)
                .join("fixtures/apprunner-vpc-db-port-3306")
                .join(DB),
        )
        .unwrap();
        let line = format!("        - ToPort: 3306{trailing}\n");
        let text = text.replacen(BLOCKER_LINE, &format!("{comment_line}{line}"), 1);
        std::fs::write(p, text).unwrap();
    };
    // on the line
    set(
        "",
        " # reachlint: ignore[RL401] the MySQL replica, moved in OPS-41",
    );
    let (v, code) = ws.json(&[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        v["diagnostics"][0]["suppressed"],
        "inline: the MySQL replica, moved in OPS-41"
    );
    assert_eq!(v["summary"]["errors"], 0);
    assert_eq!(v["summary"]["unreachable"], 0);
    let flow = v["reachability"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["target"]["kind"] == "database")
        .unwrap();
    assert!(flow["suppressed"].is_string());
    // SARIF keeps it, marked
    let o = ws.check(&["--format", "sarif"]);
    let s: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        s["runs"][0]["results"][0]["suppressions"][0]["kind"],
        "inSource"
    );
    // audits see it again
    let (_, code) = ws.json(&["--no-inline-ignores"]);
    assert_eq!(code, 1);
    // alone on the line above, by family, with a date to come
    set(
        "        # reachlint: ignore[RL4] until=2999-01-01 tracked in OPS-41\n",
        "",
    );
    let (_, code) = ws.json(&[]);
    assert_eq!(code, 0);
    // expired: reported again, and the comment says so
    set(
        "        # reachlint: ignore[RL401] until=2001-01-01 tracked in OPS-41\n",
        "",
    );
    let (v, code) = ws.json(&[]);
    assert_eq!(code, 1);
    let rules = rules_of(&v);
    assert!(
        rules.contains(&"RL401".to_string()) && rules.contains(&"RL904".to_string()),
        "{rules:?}"
    );
    // `--as-of` is the day expiry is judged on: the same comment holds on
    // a day before its date, and a date to come has passed on a later one
    let (v, code) = ws.json(&["--as-of", "2000-06-01"]);
    assert_eq!(code, 0, "{v}");
    set(
        "        # reachlint: ignore[RL4] until=2999-01-01 tracked in OPS-41\n",
        "",
    );
    let (v, code) = ws.json(&["--as-of", "3000-01-01"]);
    assert_eq!(code, 1, "{v}");
    assert!(rules_of(&v).contains(&"RL904".to_string()), "{v}");
    // no reason: not a suppression
    set("        # reachlint: ignore[RL401]\n", "");
    let (v, code) = ws.json(&[]);
    assert_eq!(code, 1);
    let rules = rules_of(&v);
    assert!(
        rules.contains(&"RL401".to_string()) && rules.contains(&"RL903".to_string()),
        "{rules:?}"
    );
    // another rule's suppression does not cover it
    set("        # reachlint: ignore[RL102] unrelated\n", "");
    let (_, code) = ws.json(&[]);
    assert_eq!(code, 1);
}

#[test]
fn baseline_round_trip() {
    let ws = Copy::of("apprunner-vpc-db-port-3306", "baseline");
    let b = ws.path("baseline.json");
    let b = b.to_str().unwrap();
    let o = ws.check(&["--write-baseline", b, "--quiet"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "writing the baseline is the job: exit 0 once written (issue 24)"
    );
    assert!(std::path::Path::new(b).is_file());
    let (v, code) = ws.json(&["--baseline", b]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["diagnostics"][0]["suppressed"], "in the baseline");
    // an unrelated edit above keeps it matched (keys, not lines)
    ws.edit(DB, "Resources:\n", "# a new comment\n\nResources:\n");
    let (_, code) = ws.json(&["--baseline", b]);
    assert_eq!(code, 0);
    // a new finding is reported
    ws.edit(
        "copilot/demo-service/manifest.yml",
        "name: demo-service\n",
        "name: demo-service\nnetwrk: {}\n",
    );
    let (v, _) = ws.json(&["--baseline", b]);
    assert_eq!(rules_of(&v), vec!["RL102".to_string()], "{v}");
}

// ---- rules and the hook ----

#[test]
fn rules_list_and_pages() {
    let o = run(&["rules"]);
    assert_eq!(o.status.code(), Some(0));
    let got = stdout(&o);
    let snap = Path::new(ROOT).join("tests/snapshots/rules.txt");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&snap, &got).expect("write snapshot");
    }
    let want =
        std::fs::read_to_string(&snap).expect("snapshot exists (UPDATE_SNAPSHOTS=1 to create)");
    assert_eq!(got, want);
    let o = run(&["rules", "rl401"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("# RL401: needed-flow-blocked"));
    let o = run(&["rules", "RL999"]);
    assert_eq!(o.status.code(), Some(2));
    for shell in ["bash", "zsh", "fish"] {
        let o = run(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0));
        assert!(stdout(&o).contains("reachlint"));
    }
}

#[test]
fn the_pre_commit_hook_entry_as_pre_commit_runs_it() {
    let hooks = std::fs::read_to_string(Path::new(ROOT).join(".pre-commit-hooks.yaml"))
        .expect("hooks file");
    let entry = hooks
        .lines()
        .find_map(|l| l.trim().strip_prefix("entry:"))
        .expect("an entry")
        .trim();
    assert!(hooks.contains("pass_filenames: true"));
    let mut words = entry.split_whitespace();
    assert_eq!(words.next(), Some("reachlint"));
    let files_re = hooks
        .lines()
        .find_map(|l| l.trim().strip_prefix("files:"))
        .expect("files")
        .trim()
        .to_string();
    assert!(files_re.contains("copilot/"));
    let ws = Copy::of("apprunner-vpc-v2-current", "hook");
    ws.write("README.md", "# the app\n");
    // pre-commit passes the changed files it matched, plus whatever a
    // broader pattern lets through: a README beside copilot/
    let mut args: Vec<String> = words.map(str::to_string).collect();
    args.push("copilot/demo-service/manifest.yml".into());
    args.push("README.md".into());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run_in(&ws.root, &args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        stdout(&o),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout(&o).contains("RL905"), "{}", stdout(&o));
    // only non-Copilot files: nothing to check
    let o = run_in(&ws.root, &["check", "README.md"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn explain_without_env_in_a_one_environment_workspace() {
    let o = run(&[
        "explain",
        "fixtures/apprunner-vpc",
        "--service",
        "demo-service",
        "--to",
        "database",
        "--color",
        "never",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout(&o).contains("verdict: REACHABLE"));
    let o = run(&[
        "explain",
        "fixtures/apprunner-vpc",
        "--service",
        "demo-service",
        "--to",
        "database:demoDbDBCluster",
    ]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn a_cause_is_printed_before_its_consequence_and_referenced() {
    let ws = Copy::of("apprunner-vpc-v2-current", "cause");
    ws.edit(
        "copilot/demo-service/manifest.yml",
        "\nnetwork:",
        "\nnetwrk:",
    );
    let o = ws.check(&["--color", "never"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let cause = out.find("RL102").expect("the unknown key");
    let effect = out.find("RL401").expect("the failing database flow");
    assert!(cause < effect, "{out}");
    assert!(out.contains("RL102 here may be the cause"), "{out}");
    let o = ws.check(&["--format", "sarif"]);
    let s: Value = serde_json::from_slice(&o.stdout).unwrap();
    let rl401 = s["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "RL401")
        .unwrap();
    assert!(rl401["relatedLocations"][0]["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with("RL102 here may be the cause"));
}
