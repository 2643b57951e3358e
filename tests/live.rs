//! Live mode against a real moto server (`moto[server]` from PyPI, in the
//! venv `.ci/run` makes at target/moto-venv): the seed's environment
//! network is created there, App Runner comes from a canned Describe
//! response (moto has no App Runner API), and the live verdicts must
//! equal the offline ones; a revoked database rule gives drift and an
//! unreachable verdict; only Describe, List and Get actions reach the
//! server; `snapshot` then `check --snapshot` gives the same verdicts.
//!
//! Without the venv the tests skip, except under `CI=true`, where they fail.

#![cfg(feature = "live")]

use serde_json::Value;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const WS: &str = "fixtures/apprunner-vpc-v2-current";

fn venv() -> Option<PathBuf> {
    let v = Path::new(ROOT).join("target/moto-venv/bin");
    if v.join("moto_server").is_file() {
        return Some(v);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI=true but there is no moto venv at {} (.ci/run makes it)",
        v.display()
    );
    eprintln!("no moto venv at {}; skipped", v.display());
    None
}

/// A moto server on a free port of 127.0.0.1, stopped by its process id
/// when dropped.
struct Moto {
    child: Child,
    port: u16,
    bin: PathBuf,
}

impl Moto {
    fn start(bin: &Path) -> Moto {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let child = Command::new(bin.join("moto_server"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env("MOTO_RECORDER_FILEPATH", recorder_file(port))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server starts");
        let m = Moto {
            child,
            port,
            bin: bin.to_path_buf(),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "moto did not start on {port}");
            std::thread::sleep(Duration::from_millis(200));
        }
        m
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A plain HTTP request to the server (its own API).
    fn http(&self, method: &str, path: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    }

    fn python(&self, args: &[&str]) -> String {
        let o = Command::new(self.bin.join("python"))
            .arg(Path::new(ROOT).join("tests/live/moto_seed.py"))
            .arg(self.url())
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).to_string()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(recorder_file(self.port));
    }
}

fn recorder_file(port: u16) -> PathBuf {
    std::env::temp_dir().join(format!("reachlint-moto-{port}.jsonl"))
}

fn reachlint(args: &[&str]) -> (Value, i32) {
    let o = Command::new(env!("CARGO_BIN_EXE_reachlint"))
        .current_dir(ROOT)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env_remove("AWS_PROFILE")
        .args(args)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("no JSON: {}", String::from_utf8_lossy(&o.stderr)));
    (v, o.status.code().unwrap_or(-1))
}

/// `reachlint snapshot` of the seed's environment into `out`, with the
/// page size asked for, if any.
fn save_snapshot(url: &str, out: &Path, page_size: Option<u32>) {
    save_snapshot_of(WS, url, out, page_size);
}

/// `reachlint snapshot` of workspace `ws`'s environment `test`.
fn save_snapshot_of(ws: &str, url: &str, out: &Path, page_size: Option<u32>) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reachlint"));
    c.current_dir(ROOT)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env_remove("AWS_PROFILE")
        .args([
            "snapshot",
            ws,
            "--env",
            "test",
            "--endpoint-url",
            url,
            "--out",
        ])
        .arg(out);
    if let Some(n) = page_size {
        c.env("REACHLINT_PAGE_SIZE", n.to_string());
    }
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// The flows to reach of one network (the exposure checks, which must
/// not get through, are asserted in tests/inbound.rs and tests/snapshot.rs).
fn flows<'a>(v: &'a Value, source: &str) -> Vec<&'a Value> {
    v["reachability"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["source"] == source && f["isolation"] != true)
        .collect()
}

fn verdicts(v: &Value, source: &str) -> Vec<(String, String)> {
    flows(v, source)
        .iter()
        .map(|f| (f["target"]["kind"].to_string(), f["verdict"].to_string()))
        .collect()
}

#[test]
fn live_verdicts_equal_the_files_and_only_reads_are_sent() {
    let Some(bin) = venv() else { return };
    let moto = Moto::start(&bin);
    let canned = std::env::temp_dir().join(format!("reachlint-canned-{}", moto.port));
    let ids: Value = serde_json::from_str(&moto.python(&[canned.to_str().unwrap()])).unwrap();
    moto.http("POST", "/moto-api/recorder/start-recording");
    let url = moto.url();
    let args = [
        "check",
        WS,
        "--live",
        "--env",
        "test",
        "--endpoint-url",
        &url,
        "--snapshot",
        canned.to_str().unwrap(),
        "--format",
        "json",
    ];
    let (v, code) = reachlint(&args);
    assert_eq!(code, 0, "{:#}", v["diagnostics"]);
    let live = verdicts(&v, "live");
    assert_eq!(live.len(), 3, "{v:#}");
    assert_eq!(live, verdicts(&v, "files"));
    moto.http("POST", "/moto-api/recorder/stop-recording");
    // only Describe, List and Get actions
    let o = Command::new(bin.join("python"))
        .arg(Path::new(ROOT).join("tests/live/actions.py"))
        .arg(recorder_file(moto.port))
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&o.stdout).to_string();
    let actions: Vec<&str> = log.lines().collect();
    assert!(!actions.is_empty(), "the recorder saw no request: {log}");
    for a in &actions {
        assert!(
            a.starts_with("Describe") || a.starts_with("List") || a.starts_with("Get"),
            "a write was sent: {a}"
        );
    }
    // revoke the database ingress rule: drift, and unreachable as deployed
    moto.python(&[
        "revoke",
        ids["db_sg"].as_str().unwrap(),
        ids["svc_sg"].as_str().unwrap(),
    ]);
    let (v, code) = reachlint(&args);
    assert_eq!(code, 1);
    let db = flows(&v, "live")
        .into_iter()
        .find(|f| f["target"]["kind"] == "database")
        .unwrap()
        .clone();
    assert_eq!(db["verdict"], "unreachable");
    assert!(v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["rule"] == "RL601"));
    let _ = std::fs::remove_dir_all(&canned);
}

#[test]
fn snapshot_then_check_snapshot_round_trips() {
    let Some(bin) = venv() else { return };
    let moto = Moto::start(&bin);
    let canned = std::env::temp_dir().join(format!("reachlint-canned2-{}", moto.port));
    moto.python(&[canned.to_str().unwrap()]);
    let out = std::env::temp_dir().join(format!("reachlint-saved-{}", moto.port));
    let url = moto.url();
    save_snapshot(&url, &out, None);
    for e in std::fs::read_dir(&canned).unwrap().flatten() {
        std::fs::copy(e.path(), out.join(e.file_name())).unwrap();
    }
    let (saved, _) = reachlint(&[
        "check",
        WS,
        "--snapshot",
        out.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let (live, _) = reachlint(&[
        "check",
        WS,
        "--live",
        "--env",
        "test",
        "--endpoint-url",
        &url,
        "--snapshot",
        canned.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(verdicts(&saved, "snapshot"), verdicts(&live, "live"));
    assert_eq!(verdicts(&saved, "snapshot").len(), 3);
    let _ = std::fs::remove_dir_all(&canned);
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn every_list_follows_the_pages_the_server_splits_it_into() {
    let Some(bin) = venv() else { return };
    let moto = Moto::start(&bin);
    let canned = std::env::temp_dir().join(format!("reachlint-canned3-{}", moto.port));
    let ids: Value = serde_json::from_str(&moto.python(&[canned.to_str().unwrap()])).unwrap();
    let more: Value = serde_json::from_str(&moto.python(&[
        "more",
        ids["vpc"].as_str().unwrap(),
        ids["private_subnet"].as_str().unwrap(),
        ids["db_sg"].as_str().unwrap(),
    ]))
    .unwrap();
    moto.http("POST", "/moto-api/recorder/start-recording");
    let out = std::env::temp_dir().join(format!("reachlint-paged-{}", moto.port));
    let url = moto.url();
    save_snapshot(&url, &out, Some(1));
    moto.http("POST", "/moto-api/recorder/stop-recording");
    let read = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(out.join(name)).unwrap()).unwrap()
    };
    // moto pages RDS, Step Functions and EFS lists at one item a page:
    // every item arrives
    let db_instances = read("db-instances.json");
    let instances: Vec<&str> = db_instances["DBInstances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["DBInstanceIdentifier"].as_str().unwrap())
        .collect();
    for want in more["instances"].as_array().unwrap() {
        assert!(instances.contains(&want.as_str().unwrap()), "{instances:?}");
    }
    // the state machine named after the workload's stack is on the last page
    let machine = read("state-machine-apprunner-vpc-test-demo-service.json");
    assert!(machine["definition"]
        .as_str()
        .unwrap()
        .contains("ecs:runTask"));
    for fs in more["file_systems"].as_array().unwrap() {
        assert!(
            out.join(format!("efs-mount-targets-{}.json", fs.as_str().unwrap()))
                .is_file(),
            "{fs}"
        );
    }
    // the mount target's ENI is read for its groups
    let enis = read("network-interfaces.json");
    assert_eq!(
        enis["NetworkInterfaces"][0]["NetworkInterfaceId"],
        more["enis"][0]
    );
    assert_eq!(
        enis["NetworkInterfaces"][0]["Groups"][0]["GroupId"],
        ids["db_sg"]
    );
    // several requests for each paged list, each a read
    let o = Command::new(bin.join("python"))
        .arg(Path::new(ROOT).join("tests/live/actions.py"))
        .arg(recorder_file(moto.port))
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&o.stdout).to_string();
    let count = |a: &str| log.lines().filter(|l| *l == a).count();
    assert!(count("DescribeDBInstances") >= 3, "{log}");
    assert!(count("ListStateMachines") >= 3, "{log}");
    assert!(count("DescribeFileSystems") >= 3, "{log}");
    for a in log.lines() {
        assert!(
            a.starts_with("Describe") || a.starts_with("List") || a.starts_with("Get"),
            "a write was sent: {a}"
        );
    }
    let _ = std::fs::remove_dir_all(&canned);
    let _ = std::fs::remove_dir_all(&out);
}

/// `fixtures/ecs-mixed` deployed into moto (its network, the two ECS
/// services, the job's state machine, the managed file system's mount
/// targets; no CloudFormation, so found by tags, names and groups): the
/// live verdicts are the files', with no drift. moto serves no App Runner
/// API: those calls are reported, naming the call.
#[test]
fn ecs_services_a_job_and_a_file_system_read_live_get_the_files_verdicts() {
    let Some(bin) = venv() else { return };
    let moto = Moto::start(&bin);
    let ids: Value = serde_json::from_str(&moto.python(&["ecs"])).unwrap();
    let url = moto.url();
    let (v, code) = reachlint(&[
        "check",
        "fixtures/ecs-mixed",
        "--live",
        "--env",
        "test",
        "--endpoint-url",
        &url,
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{:#}", v["diagnostics"]);
    let live = verdicts(&v, "live");
    assert_eq!(live.len(), 18, "{v:#}");
    assert_eq!(live, verdicts(&v, "files"));
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(
        diags.iter().all(|d| d["rule"] == "RL906"),
        "only the App Runner calls moto lacks: {diags:#?}"
    );
    assert!(diags.iter().any(|d| d["message"]
        .as_str()
        .unwrap()
        .starts_with("`apprunner:ListServices` was not read from the account")));
    // the job's network from its state machine, the file system's from
    // its mount targets
    let flow = |service: &str, kind: &str| {
        flows(&v, "live")
            .into_iter()
            .find(|f| f["service"] == service && f["target"]["kind"] == kind)
            .unwrap()
            .clone()
    };
    let job = flow("report", "internet");
    assert!(job["path"]
        .to_string()
        .contains(ids["public"][0].as_str().unwrap()));
    let fs = flow("api", "file-system");
    assert!(fs["path"].to_string().contains(ids["fs"].as_str().unwrap()));
    assert!(fs["path"]
        .to_string()
        .contains(ids["efs_sg"].as_str().unwrap()));
    // saved (task definitions included) and checked with no workspace: the
    // flows come from the deployed task definitions, with the files' verdicts
    let out = std::env::temp_dir().join(format!("reachlint-ecs-saved-{}", moto.port));
    save_snapshot_of("fixtures/ecs-mixed", &url, &out, None);
    let empty = std::env::temp_dir().join(format!("reachlint-ecs-empty-{}", moto.port));
    std::fs::create_dir_all(&empty).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_reachlint"))
        .current_dir(&empty)
        .args(["check", "--snapshot"])
        .arg(&out)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let alone: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("no JSON: {}", String::from_utf8_lossy(&o.stderr)));
    let key = |f: &&Value| {
        format!(
            "{} {} {} {} {}",
            f["service"], f["target"]["kind"], f["port"], f["needed"], f["verdict"]
        )
    };
    let mut got: Vec<String> = flows(&alone, "snapshot").iter().map(key).collect();
    let mut want: Vec<String> = flows(&v, "files").iter().map(key).collect();
    got.sort();
    want.sort();
    assert_eq!(got, want, "{alone:#}");
    let _ = std::fs::remove_dir_all(&out);
    let _ = std::fs::remove_dir_all(&empty);
}
