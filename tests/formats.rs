//! Formats and flags neighbouring tools have (issue 24): `--format concise`,
//! several formats from one run, `--exit-zero`; through the real binary.

mod common;

use common::bin;

fn run(args: &[&str]) -> (String, String, i32) {
    let o = bin().args(args).output().expect("binary runs");
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.status.code().unwrap_or(-1),
    )
}

/// Each finding is one `file:line:col: RLnnn level message` line, the
/// summary last.
#[test]
fn concise_is_one_line_per_finding() {
    let (out, _, code) = run(&[
        "check",
        "fixtures/peer-discovery-deny-default",
        "--format",
        "concise",
    ]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].starts_with(
            "fixtures/peer-discovery-deny-default/copilot/api/manifest.yml:11:21: RL401 error "
        ),
        "{out}"
    );
    assert!(lines[1].starts_with("reachlint: 1 error"), "{out}");
    assert_eq!(code, 1);
}

/// One run writes each format to the file after it, byte for byte what a
/// run per format prints, and one format to standard output.
#[test]
fn one_run_renders_several_formats() {
    let dir = std::env::temp_dir().join(format!("reachlint-formats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let (json, sarif) = (dir.join("r.json"), dir.join("r.sarif"));
    let fixture = "fixtures/inbound-nlb";
    let (out, err, code) = run(&[
        "check",
        fixture,
        "--format",
        "json",
        "--output",
        json.to_str().expect("utf-8"),
        "--format",
        "github",
        "--format",
        "sarif",
        "-o",
        sarif.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{err}");
    let alone = |f: &str| run(&["check", fixture, "--format", f]).0;
    assert_eq!(out, alone("github"));
    assert_eq!(std::fs::read_to_string(&json).expect("json"), alone("json"));
    assert_eq!(
        std::fs::read_to_string(&sarif).expect("sarif"),
        alone("sarif")
    );
    // two formats to standard output would interleave
    let (_, err, code) = run(&["check", fixture, "--format", "json", "--format", "sarif"]);
    assert_eq!(code, 2);
    assert!(err.contains("at most one --format"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn exit_zero_passes_a_failing_check_but_not_a_broken_run() {
    let (_, _, code) = run(&[
        "check",
        "fixtures/peer-discovery-deny-default",
        "--exit-zero",
    ]);
    assert_eq!(code, 0);
    let (_, _, code) = run(&["check", "fixtures/no-such-fixture", "--exit-zero"]);
    assert_eq!(code, 2);
}

/// The same finding has the same fingerprint from any working directory
/// (the file relative to the repository), and a baseline written with the
/// file relative to the working directory, as before, still matches.
#[test]
fn fingerprints_do_not_depend_on_the_working_directory() {
    let root = env!("CARGO_MANIFEST_DIR");
    let fixture = format!("{root}/fixtures/peer-discovery-deny-default");
    let fps = |cwd: &str, path: &str| -> Vec<String> {
        let o = bin()
            .current_dir(cwd)
            .args(["check", path, "--format", "json"])
            .output()
            .expect("binary runs");
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
        v["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| d["fingerprint"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let from_root = fps(root, "fixtures/peer-discovery-deny-default");
    assert!(!from_root.is_empty());
    assert_eq!(
        fps(&format!("{root}/fixtures"), "peer-discovery-deny-default"),
        from_root
    );
    assert_eq!(fps("/", &fixture), from_root);
    // a baseline older versions wrote inside the fixture (its files keyed
    // `copilot/...`, relative to that working directory) keeps matching
    // there
    let dir = std::env::temp_dir().join(format!("reachlint-fp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let b = dir.join("baseline.json");
    // FNV-1a of rule, cwd-relative file, key path, env: what older
    // versions wrote when run inside the fixture
    let key =
        "RL401\u{0}copilot/api/manifest.yml\u{0}network.vpc.security_groups.deny_default\u{0}test";
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in key.bytes() {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    std::fs::write(
        &b,
        format!("{{\"version\": 1, \"findings\": [{{\"fingerprint\": \"{h:016x}\"}}]}}"),
    )
    .expect("write");
    let o = bin()
        .current_dir(&fixture)
        .args(["check", ".", "--baseline"])
        .arg(&b)
        .output()
        .expect("binary runs");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
