//! The manifest JSON Schemas in `schemas/` describe the fixtures, and catch
//! what Copilot would reject or ignore.

use std::path::Path;

use reachlint::base::source::FileId;
use reachlint::load::yaml::{parse, to_json, Limits};
use serde_json::Value;

fn validator(name: &str) -> jsonschema::Validator {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schemas")
        .join(name);
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
    jsonschema::validator_for(&schema).expect("schema compiles")
}

fn yaml(text: &str) -> Value {
    to_json(&parse(text, FileId(0), Limits::default()).expect("yaml"))
}

#[test]
fn fixture_manifests_are_valid() {
    let env = validator("environment-manifest.json");
    let rdws = validator("rdws-manifest.json");
    let ecs = validator("ecs-manifest.json");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut n = 0;
    for f in std::fs::read_dir(root).unwrap().flatten() {
        let c = f.path().join("copilot");
        if !c.is_dir() {
            continue; // a Describe snapshot, not a workspace
        }
        // a workspace with no environment on purpose has no manifest to check
        if let Ok(text) = std::fs::read_to_string(c.join("environments/test/manifest.yml")) {
            assert!(env.is_valid(&yaml(&text)), "{}", f.path().display());
        }
        for w in std::fs::read_dir(&c).unwrap().flatten() {
            let m = w.path().join("manifest.yml");
            if w.file_name() == "environments" || !m.is_file() {
                continue;
            }
            let s = yaml(&std::fs::read_to_string(&m).unwrap());
            let schema = if s["type"] == "Request-Driven Web Service" {
                &rdws
            } else {
                &ecs
            };
            let errs: Vec<String> = schema.iter_errors(&s).map(|e| e.to_string()).collect();
            // the one fixture that mis-indents a key on purpose
            let expected_bad = f.file_name() == "ecs-env-aurora-misindented";
            assert_eq!(errs.is_empty(), !expected_bad, "{}: {errs:?}", m.display());
            n += 1;
        }
    }
    assert!(n >= 12);
}

#[test]
fn schemas_reject_what_copilot_rejects_or_ignores() {
    let rdws = validator("rdws-manifest.json");
    let base =
        "name: s\ntype: Request-Driven Web Service\nimage:\n  build: Dockerfile\n  port: 80\n";
    assert!(rdws.is_valid(&yaml(base)));
    for bad in [
        "network:\n  vpc:\n    placement: public\n",
        "network:\n  security_groups: [sg-1]\n",
        "cpu: '1024'\n",
        "http:\n  path: /\n",
    ] {
        assert!(
            !rdws.is_valid(&yaml(&format!("{base}{bad}"))),
            "accepted: {bad}"
        );
    }
    let env = validator("environment-manifest.json");
    assert!(!env.is_valid(&yaml("name: e\ntype: Environment\ncount: 1\n")));
    let ecs = validator("ecs-manifest.json");
    let base = "name: s\ntype: Backend Service\nimage:\n  build: Dockerfile\n";
    assert!(ecs.is_valid(&yaml(base)));
    for bad in [
        "network:\n  vpc:\n    placement: Private\n",
        "network:\n  security_groups: [sg-1]\n",
        "network:\n  vpc:\n    security_groups: {deny_default: yes-please}\n",
        "vpc:\n  placement: private\n",
    ] {
        assert!(
            !ecs.is_valid(&yaml(&format!("{base}{bad}"))),
            "accepted: {bad}"
        );
    }
}
