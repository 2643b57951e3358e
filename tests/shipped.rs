//! Every file the repository ships for another tool (the GitHub Action,
//! the pre-commit hooks, the JSON Schemas, the data files) is parsed here
//! with a real parser, so a file GitHub or pre-commit would refuse never
//! lands. `.ci/run` also validates `action.yml` against the GitHub Actions
//! schema (check-jsonschema) and audits it with zizmor.

use std::path::{Path, PathBuf};

mod common;
use common::bin;

use reachlint::base::source::FileId;
use reachlint::load::yaml::{parse, to_json, Limits};
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn yaml(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    yaml_text(&text)
}

fn yaml_text(text: &str) -> Result<Value, String> {
    parse(text, FileId(0), Limits::default())
        .map(|n| to_json(&n))
        .map_err(|e| format!("{e:?}"))
}

/// The YAML and JSON files shipped for other tools: everything outside the
/// test inputs (fixtures, tests, benchmarks) and the build output.
fn shipped() -> Vec<PathBuf> {
    fn walk(d: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(d) else { return };
        for e in rd.flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if p.is_dir() {
                if !["target", ".git", "fixtures", "tests", "benches"].contains(&name.as_str()) {
                    walk(&p, out);
                }
            } else if [".yml", ".yaml", ".json"].iter().any(|x| name.ends_with(x)) {
                out.push(p);
            }
        }
    }
    let mut v = Vec::new();
    walk(&root(), &mut v);
    v.sort();
    v
}

#[test]
fn every_shipped_yaml_and_json_file_parses() {
    let files = shipped();
    for must in [
        "action.yml",
        ".pre-commit-hooks.yaml",
        "schemas/output-v1.json",
    ] {
        assert!(files.contains(&root().join(must)), "{must} not found");
    }
    for f in &files {
        let name = f.to_string_lossy();
        if name.ends_with(".json") {
            let text = std::fs::read_to_string(f).unwrap();
            let v: Result<Value, _> = serde_json::from_str(&text);
            assert!(v.is_ok(), "{name}: {:?}", v.err());
        } else {
            assert!(yaml(f).is_ok(), "{name}: {:?}", yaml(f).err());
        }
    }
}

#[test]
fn the_schemas_compile() {
    for e in std::fs::read_dir(root().join("schemas")).unwrap().flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        assert!(
            jsonschema::validator_for(&v).is_ok(),
            "{}",
            e.path().display()
        );
    }
}

/// The shape GitHub requires of a composite action, and that no input is
/// pasted into a script (template injection).
#[test]
fn the_action_is_a_composite_action_github_accepts() {
    let a = yaml(&root().join("action.yml")).expect("action.yml parses");
    for key in ["name", "description"] {
        assert!(a[key].is_string(), "action.yml needs `{key}`");
    }
    for (name, input) in a["inputs"].as_object().expect("inputs").iter() {
        assert!(input["description"].is_string(), "input {name}");
    }
    assert_eq!(a["runs"]["using"], "composite");
    let steps = a["runs"]["steps"].as_array().expect("steps");
    assert!(!steps.is_empty());
    for s in steps {
        match (&s["run"], &s["uses"]) {
            (Value::String(run), Value::Null) => {
                assert!(s["shell"].is_string(), "a run step needs `shell`: {s}");
                assert!(
                    !run.contains("${{"),
                    "an expression pasted into a script: {run}"
                );
            }
            (Value::Null, Value::String(uses)) => {
                let (_, rev) = uses.split_once('@').expect("uses names a version");
                assert!(
                    rev.len() == 40 && rev.chars().all(|c| c.is_ascii_hexdigit()),
                    "{uses} is not pinned by commit"
                );
            }
            _ => panic!("a step needs `run` or `uses`: {s}"),
        }
    }
}

/// The line that once broke the action: an unquoted `: ` in a plain
/// scalar is not YAML, and this parser says so (as GitHub's does).
#[test]
fn an_unquoted_colon_space_in_a_description_is_refused() {
    let bad = "inputs:\n  x:\n    description: Upload (needs `security-events: write`).\n";
    assert!(yaml_text(bad).is_err());
    let good = "inputs:\n  x:\n    description: \"Upload (needs `security-events: write`).\"\n";
    assert!(yaml_text(good).is_ok());
}

#[test]
fn the_pre_commit_hooks_have_what_pre_commit_requires() {
    let h = yaml(&root().join(".pre-commit-hooks.yaml")).expect("parses");
    let hooks = h.as_array().expect("a list of hooks");
    assert!(!hooks.is_empty());
    for hook in hooks {
        for key in ["id", "name", "entry", "language"] {
            assert!(hook[key].is_string(), "hook needs `{key}`: {hook}");
        }
    }
}

/// A closed standard output (`reachlint ... | head -c1`) ends the program
/// quietly with the exit status the run would have had: the reader here
/// is closed before the program writes a byte, so every write fails.
#[test]
fn a_closed_standard_output_ends_quietly_with_the_run_s_status() {
    use std::os::fd::OwnedFd;
    use std::process::Stdio;
    let cases: &[&[&str]] = &[
        &["--help"],
        &["--version"],
        &["rules"],
        &["rules", "RL401"],
        &["completions", "bash"],
        &["completions", "zsh"],
        &["completions", "fish"],
        &["check", "fixtures/apprunner-vpc"],
        &["check", "fixtures/apprunner-vpc", "--format", "json"],
        &["check", "fixtures/apprunner-vpc", "--format", "sarif"],
        &["check", "fixtures/apprunner-vpc", "--format", "github"],
        &["check", "fixtures/apprunner-vpc", "--format", "markdown"],
        &["check", "fixtures/apprunner-vpc-v2", "--quiet", "--strict"],
        &[
            "explain",
            "fixtures/apprunner-vpc",
            "--service",
            "demo-service",
            "--to",
            "database",
        ],
    ];
    for args in cases {
        let open = bin().args(*args).output().expect("runs");
        assert!(!open.stdout.is_empty(), "{args:?} printed nothing");
        let (reader, writer) = std::os::unix::net::UnixStream::pair().expect("socket pair");
        drop(reader);
        let closed = bin()
            .args(*args)
            .stdout(Stdio::from(OwnedFd::from(writer)))
            .stderr(Stdio::piped())
            .output()
            .expect("runs");
        assert_eq!(closed.status.code(), open.status.code(), "{args:?}");
        assert!(
            closed.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&closed.stderr)
        );
    }
}

/// The read-only IAM policy the README ships lists every call live mode
/// makes (each `sdk_try!("service:Action", ...)` of `src/door/snapshot/live.rs`),
/// so a role made from it is never denied one.
#[test]
fn the_readme_policy_allows_every_call_live_mode_makes() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("```json\n{\n  \"Version\": \"2012-10-17\"")
        .expect("the README's IAM policy");
    let body = &readme[start + "```json\n".len()..];
    let end = body.find("```").unwrap();
    let policy: Value = serde_json::from_str(&body[..end]).expect("the policy is JSON");
    let allowed: Vec<&str> = policy["Statement"][0]["Action"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let live = std::fs::read_to_string(root().join("src/door/snapshot/live.rs")).unwrap();
    let mut calls = Vec::new();
    for part in live.split("sdk_try!(").skip(1) {
        let call = part.trim_start().trim_start_matches('"');
        let call = &call[..call.find('"').unwrap()];
        calls.push(call.to_string());
    }
    assert!(calls.len() > 20, "{calls:?}");
    assert!(calls.iter().any(|c| c == "ecs:DescribeTaskDefinition"));
    for c in &calls {
        assert!(
            allowed.contains(&c.as_str()),
            "{c} is not in the README's policy"
        );
    }
}
