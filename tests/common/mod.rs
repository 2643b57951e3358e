//! A scratch Copilot workspace for tests: `copilot/.workspace` and an
//! environment `test`, more files added by path, removed when dropped; and
//! the real binary's JSON on a bundled fixture.

#![allow(dead_code)]

use std::path::PathBuf;

use reachlint::app::check;
use reachlint::door::Options;
use reachlint::outcome::Report;

pub struct Ws {
    pub root: PathBuf,
}

impl Ws {
    /// `name` must be unique within the test binary.
    pub fn new(name: &str) -> Ws {
        let root =
            std::env::temp_dir().join(format!("reachlint-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let ws = Ws { root };
        ws.write(".workspace", "application: app\n");
        ws.write(
            "environments/test/manifest.yml",
            "name: test\ntype: Environment\n",
        );
        ws
    }

    /// Writes `copilot/<rel>`, creating its folders.
    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let p = self.root.join("copilot").join(rel);
        std::fs::create_dir_all(p.parent().expect("a file path")).expect("create dirs");
        std::fs::write(p, text).expect("write");
    }

    pub fn path(&self) -> &str {
        self.root.to_str().expect("temp paths are UTF-8")
    }

    pub fn file(self, rel: &str, text: &str) -> Ws {
        self.write(rel, text);
        self
    }

    pub fn check(&self) -> Report {
        check(&Options {
            path: self.root.clone(),
            ..Options::default()
        })
        .expect("check runs")
    }
}

impl Drop for Ws {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// The real binary, started in the project root without the caller's
/// region or variables.
pub fn bin() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_reachlint"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("VPC_CIDR");
    c
}

/// `reachlint check fixtures/<fixture> --format json` through the real
/// binary: its JSON and exit code.
pub fn check_fixture(fixture: &str) -> (serde_json::Value, i32) {
    check_fixture_with(fixture, &[])
}

/// The same with more arguments (`--strict`, `--assume none`).
pub fn check_fixture_with(fixture: &str, args: &[&str]) -> (serde_json::Value, i32) {
    let o = bin()
        .args(["check", &format!("fixtures/{fixture}"), "--format", "json"])
        .args(args)
        .output()
        .expect("binary runs");
    let v = serde_json::from_slice(&o.stdout).expect("JSON");
    (v, o.status.code().unwrap_or(-1))
}

/// `service`'s flow to `target` (a kind, or a name) in the JSON output.
pub fn flow_of<'a>(v: &'a serde_json::Value, service: &str, target: &str) -> &'a serde_json::Value {
    v["reachability"]
        .as_array()
        .expect("reachability")
        .iter()
        .find(|f| {
            f["service"] == service
                && (f["target"]["kind"] == target || f["target"]["name"] == target)
        })
        .unwrap_or_else(|| panic!("no {service} -> {target} flow in {v:#}"))
}

/// Each finding of the JSON output as (rule, the string field `field`, line).
pub fn findings_by(v: &serde_json::Value, field: &str) -> Vec<(String, String, u64)> {
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or("").to_string(),
                d[field].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}
