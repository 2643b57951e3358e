//! What the binary asks the kernel for (issue 26), under Debian's strace:
//! `check` and `explain` open nothing for writing but `--output` and
//! `--write-baseline`, and make no socket without `--live`. Skipped with a
//! note where strace is missing, except in CI (`CI` set), which installs it.

use std::path::PathBuf;
use std::process::Command;

fn strace_present() -> bool {
    let found = Command::new("strace")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found || std::env::var_os("CI").is_none(),
        "strace is missing; .ci/run installs it"
    );
    if !found {
        eprintln!("strace is missing: skipped");
    }
    found
}

/// The file and socket calls of one run: (opened for writing, sockets).
fn traced(name: &str, args: &[&str]) -> (Vec<String>, Vec<String>) {
    let log: PathBuf = std::env::temp_dir().join(format!(
        "reachlint-strace-{}-{name}.log",
        std::process::id()
    ));
    let status = Command::new("strace")
        .args([
            "-f",
            "-qq",
            "-e",
            "trace=open,openat,openat2,creat,socket,connect",
        ])
        .arg("-o")
        .arg(&log)
        .arg(env!("CARGO_BIN_EXE_reachlint"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .output()
        .expect("strace runs");
    assert!(
        [0, 1].contains(&status.status.code().unwrap_or(-1)),
        "{args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let text = std::fs::read_to_string(&log).expect("strace log");
    let _ = std::fs::remove_file(&log);
    let mut writes = Vec::new();
    let mut sockets = Vec::new();
    for line in text.lines() {
        if line.contains("socket(") || line.contains("connect(") {
            sockets.push(line.to_string());
        } else if line.contains("creat(")
            || line.contains("O_WRONLY")
            || line.contains("O_RDWR")
            || line.contains("O_CREAT")
        {
            // the path is the first quoted string
            let path = line.split('"').nth(1).unwrap_or(line).to_string();
            writes.push(path);
        }
    }
    (writes, sockets)
}

#[test]
fn check_and_explain_write_only_what_they_are_told_and_open_no_socket() {
    if !strace_present() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("reachlint-strace-out-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let out = dir.join("out.sarif");
    let base = dir.join("baseline.json");
    let (out_s, base_s) = (out.to_str().expect("utf-8"), base.to_str().expect("utf-8"));
    let fixture = "fixtures/ecs-env-aurora";
    let runs: Vec<(&str, Vec<&str>, Vec<&str>)> = vec![
        ("check", vec!["check", fixture], vec![]),
        (
            "output",
            vec!["check", fixture, "--format", "sarif", "--output", out_s],
            vec![out_s],
        ),
        (
            "baseline",
            vec!["check", fixture, "--write-baseline", base_s],
            vec![base_s],
        ),
        (
            "explain",
            vec![
                "explain",
                fixture,
                "--service",
                "orders",
                "--to",
                "database",
            ],
            vec![],
        ),
    ];
    for (name, args, allowed) in runs {
        let (writes, sockets) = traced(name, &args);
        assert!(sockets.is_empty(), "{name}: sockets {sockets:?}");
        let stray: Vec<&String> = writes
            .iter()
            .filter(|w| !allowed.contains(&w.as_str()))
            .collect();
        assert!(stray.is_empty(), "{name}: opened for writing {stray:?}");
        assert_eq!(writes.len(), allowed.len(), "{name}: {writes:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
