//! Hostile input (issue 26): each class as a generated case, run through
//! the real binary with generous time and memory bounds. Every case ends by
//! itself, exits 0, 1 or 2, and names what it refused; nothing is read
//! through a link out of the repository, and no FIFO or device is opened.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::Ws;

/// Debug builds are slower than what users run: the bound is generous, a
/// hang still fails.
const BOUND: Duration = Duration::from_secs(60);

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// The binary with `args`, under a 2 GiB address-space limit; fails the
/// test when it does not end within [`BOUND`].
fn run(args: &[&str]) -> Run {
    let mut c = std::process::Command::new("sh");
    c.arg("-c")
        .arg("ulimit -v 2097152; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_reachlint"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().expect("binary starts");
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let ereader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > BOUND {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{args:?} did not end within {BOUND:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let r = Run {
        code: status.code().unwrap_or(-1),
        stdout: reader.join().unwrap_or_default(),
        stderr: ereader.join().unwrap_or_default(),
    };
    assert!(
        [0, 1, 2].contains(&r.code),
        "{args:?} exited {} (stderr: {})",
        r.code,
        r.stderr
    );
    r
}

fn mkfifo(p: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(p)
        .status()
        .expect("mkfifo runs")
        .success();
    assert!(ok, "mkfifo {}", p.display());
}

fn json(r: &Run) -> serde_json::Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("JSON: {e}\n{}", r.stdout))
}

/// (rule, file) of every finding.
fn findings(v: &serde_json::Value) -> Vec<(String, String)> {
    common::findings_by(v, "file")
        .into_iter()
        .map(|(rule, file, _)| (rule, file))
        .collect()
}

fn web(ws: &Ws) {
    ws.write(
        "web/manifest.yml",
        "name: web\ntype: Backend Service\nimage:\n  location: nginx\n  port: 80\n",
    );
}

#[test]
fn a_fifo_where_a_manifest_is_expected_is_named_and_never_opened() {
    let ws = Ws::new("fifo-manifest");
    web(&ws);
    std::fs::create_dir_all(ws.root.join("copilot/api")).expect("dir");
    mkfifo(&ws.root.join("copilot/api/manifest.yml"));
    let r = run(&["check", ws.path(), "--format", "json"]);
    let v = json(&r);
    assert!(
        findings(&v)
            .iter()
            .any(|(rule, f)| rule == "RL902" && f.ends_with("copilot/api/manifest.yml")),
        "{v:#}"
    );
    let unchecked = v["unchecked"].as_array().expect("unchecked");
    assert!(
        unchecked
            .iter()
            .any(|u| u["service"] == "api" && u["code"] == "UNREADABLE_MANIFEST"),
        "{v:#}"
    );
    assert_eq!(r.code, 1);
}

#[test]
fn an_environment_whose_manifest_is_a_fifo_names_its_workloads_unchecked() {
    let ws = Ws::new("fifo-env");
    web(&ws);
    let m = ws.root.join("copilot/environments/test/manifest.yml");
    std::fs::remove_file(&m).expect("remove");
    mkfifo(&m);
    let v = json(&run(&["check", ws.path(), "--format", "json"]));
    assert!(
        v["unchecked"]
            .as_array()
            .expect("unchecked")
            .iter()
            .any(|u| u["env"] == "test"
                && u["service"] == "web"
                && u["code"] == "UNREADABLE_MANIFEST"),
        "{v:#}"
    );
}

#[test]
fn a_link_out_of_the_repository_is_a_finding_and_its_content_is_never_printed() {
    let ws = Ws::new("link-out");
    web(&ws);
    let secret = std::env::temp_dir().join(format!(
        "reachlint-hostile-secret-{}.yml",
        std::process::id()
    ));
    std::fs::write(
        &secret,
        "name: api\ntype: Backend Service\nTOKEN: hunter2-secret\n",
    )
    .expect("secret");
    std::fs::create_dir_all(ws.root.join("copilot/api")).expect("dir");
    std::os::unix::fs::symlink(&secret, ws.root.join("copilot/api/manifest.yml")).expect("link");
    std::fs::create_dir_all(ws.root.join("copilot/web/addons")).expect("dir");
    std::os::unix::fs::symlink("/dev/zero", ws.root.join("copilot/web/addons/zero.yml"))
        .expect("link");
    for format in ["human", "json", "sarif", "github", "markdown"] {
        let r = run(&["check", ws.path(), "--format", format]);
        assert!(
            !r.stdout.contains("hunter2") && !r.stderr.contains("hunter2"),
            "{format}: {}",
            r.stdout
        );
        assert!(
            r.stdout.contains("api/manifest.yml"),
            "{format}: {}",
            r.stdout
        );
    }
    let v = json(&run(&["check", ws.path(), "--format", "json"]));
    let d = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["rule"] == "RL902")
        .expect("RL902");
    assert!(
        d["message"]
            .as_str()
            .unwrap_or("")
            .contains("symbolic link"),
        "{d:#}"
    );
    // the addon linked to /dev/zero is named, never opened
    assert!(
        findings(&v)
            .iter()
            .any(|(rule, f)| rule == "RL902" && f.ends_with("web/addons/zero.yml")),
        "{v:#}"
    );
    let _ = std::fs::remove_file(&secret);
}

#[test]
fn a_workload_folder_whose_name_is_not_utf8_is_named_and_unchecked() {
    use std::os::unix::ffi::OsStrExt;
    let ws = Ws::new("odd-name");
    web(&ws);
    let odd = ws
        .root
        .join("copilot")
        .join(std::ffi::OsStr::from_bytes(b"ap\xffi"));
    std::fs::create_dir_all(&odd).expect("dir");
    std::fs::write(odd.join("manifest.yml"), "name: api\n").expect("write");
    let v = json(&run(&["check", ws.path(), "--format", "json"]));
    assert!(
        findings(&v)
            .iter()
            .any(|(rule, f)| rule == "RL902" && f.contains("ap\u{fffd}i")),
        "{v:#}"
    );
    assert!(
        v["unchecked"]
            .as_array()
            .expect("unchecked")
            .iter()
            .any(|u| u["service"] == "ap\u{fffd}i"),
        "{v:#}"
    );
}

/// A workload folder that is a link looping on itself cannot be listed:
/// named, never silently skipped.
#[test]
fn a_folder_link_that_loops_is_named() {
    let ws = Ws::new("loop");
    web(&ws);
    std::os::unix::fs::symlink("api", ws.root.join("copilot/api")).expect("link");
    let v = json(&run(&["check", ws.path(), "--format", "json"]));
    assert!(
        findings(&v)
            .iter()
            .any(|(rule, f)| rule == "RL902" && f.ends_with("copilot/api")),
        "{v:#}"
    );
}

#[test]
fn a_fifo_or_a_device_named_by_a_flag_is_refused_with_exit_2() {
    let ws = Ws::new("flag-files");
    web(&ws);
    let fifo = ws.root.join("pipe.json");
    mkfifo(&fifo);
    let fifo = fifo.to_str().expect("utf-8");
    for (flag, file) in [
        ("--baseline", fifo),
        ("--config", fifo),
        ("--baseline", "/dev/zero"),
        ("--config", "/dev/zero"),
    ] {
        let r = run(&["check", ws.path(), flag, file]);
        assert_eq!(r.code, 2, "{flag} {file}: {}", r.stderr);
        assert!(
            r.stderr.contains("not a regular file"),
            "{flag} {file}: {}",
            r.stderr
        );
    }
}

#[test]
fn a_sparse_configuration_of_a_gigabyte_is_refused_by_its_budget() {
    let ws = Ws::new("sparse-config");
    web(&ws);
    let f = std::fs::File::create(ws.root.join(".reachlint.toml")).expect("create");
    f.set_len(1 << 30).expect("sparse");
    let r = run(&["check", ws.path()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("more than 1048576 bytes"), "{}", r.stderr);
}

#[test]
fn a_fifo_in_a_snapshot_folder_is_reported_unread() {
    let dir = std::env::temp_dir().join(format!("reachlint-hostile-snap-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/snapshot-ecs-mixed/snapshot"),
        &dir,
    );
    mkfifo(&dir.join("stuck.json"));
    let r = run(&[
        "check",
        "fixtures/snapshot-ecs-mixed",
        "--snapshot",
        dir.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    let v = json(&r);
    assert!(
        v["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .any(|d| d["file"].as_str().unwrap_or("").ends_with("stuck.json")
                && d["message"].as_str().unwrap_or("").contains("named pipe")),
        "{v:#}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("dir");
    for e in std::fs::read_dir(from).expect("read").flatten() {
        let p: PathBuf = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).expect("copy");
        }
    }
}

#[test]
fn too_many_declarations_are_refused_and_many_are_linear() {
    let ws = Ws::new("declarations");
    web(&ws);
    let decl = "[[flow]]\nservice = \"web\"\nto = \"internet\"\nexpect = \"reachable\"\n";
    std::fs::write(ws.root.join(".reachlint.toml"), decl.repeat(10_001)).expect("write");
    let r = run(&["check", ws.path()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("over the limit of 10000"), "{}", r.stderr);
    // at the limit: one reason, said once
    std::fs::write(ws.root.join(".reachlint.toml"), decl.repeat(10_000)).expect("write");
    let v = json(&run(&["check", ws.path(), "--format", "json"]));
    let reason = common::flow_of(&v, "web", "internet")["reason"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert_eq!(
        reason.matches("declared in .reachlint.toml").count(),
        1,
        "{reason}"
    );
}

#[test]
fn a_glob_of_many_double_stars_ends_at_once() {
    let ws = Ws::new("glob");
    web(&ws);
    let glob = "**/a/".repeat(12) + "b";
    std::fs::write(
        ws.root.join(".reachlint.toml"),
        format!("[per-path-ignores]\n\"{glob}\" = [\"RL4\"]\n"),
    )
    .expect("write");
    let r = run(&["check", ws.path()]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
}

#[test]
fn superlinear_shapes_inside_every_budget_end_quickly() {
    let ws = Ws::new("shapes");
    // 40,000 keys in one map
    let mut m = String::from(
        "name: web\ntype: Backend Service\nimage:\n  location: nginx\n  port: 80\nvariables:\n",
    );
    for i in 0..40_000 {
        m.push_str(&format!("  V{i}: x\n"));
    }
    ws.write("web/manifest.yml", &m);
    // 10,000 conditions in a chain, written last-first
    let mut t = String::from("Parameters:\n  App: {Type: String}\n  Env: {Type: String}\n  Name: {Type: String}\nConditions:\n");
    for i in (1..10_000).rev() {
        t.push_str(&format!("  C{i}: !Not [!Condition C{}]\n", i - 1));
    }
    t.push_str("  C0: !Equals [!Ref Env, test]\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Condition: C9999\n");
    ws.write("web/addons/chain.yml", &t);
    let r = run(&["check", ws.path(), "--format", "json"]);
    json(&r);
}

#[test]
fn more_addon_files_than_the_budget_stop_at_it() {
    let ws = Ws::new("many-addons");
    web(&ws);
    for i in 0..5_100 {
        ws.write(
            &format!("web/addons/q{i:05}.yml"),
            format!("Parameters:\n  App: {{Type: String}}\n  Env: {{Type: String}}\n  Name: {{Type: String}}\nResources:\n  Q{i}:\n    Type: AWS::SQS::Queue\n"),
        );
    }
    let v = json(&run(&["check", ws.path(), "--format", "json"]));
    let budget: Vec<_> = findings(&v)
        .into_iter()
        .filter(|(rule, _)| rule == "RL901")
        .collect();
    assert_eq!(budget.len(), 1, "{budget:?}");
}
