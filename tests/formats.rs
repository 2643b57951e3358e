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
