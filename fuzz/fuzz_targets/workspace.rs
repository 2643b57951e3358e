//! A whole workspace through the check `reachlint check` runs, then every
//! renderer. The input is a bundle (see `common`): NUL-separated sections,
//! each a relative path line (`copilot/.workspace`,
//! `copilot/environments/test/manifest.yml`, `copilot/api/manifest.yml`,
//! `copilot/api/addons/db.yml`, `.reachlint.toml`, `baseline.json`,
//! `snapshot/vpcs.json`, ...) then the file's text. The files are written
//! into this process's scratch directory (nothing is written elsewhere; it
//! is removed after each input), and the check runs on it as the binary
//! would with no AWS calls: `app::check_many` (`--snapshot` when a file is
//! under `snapshot/`, so the deployed network is proved too, or, with no
//! `copilot/` folder, the snapshot door alone), the configuration and
//! baseline read as `main` reads them, `policy::apply`, then the human
//! (full and quiet, with and without colour), JSON, SARIF, GitHub and
//! Markdown outputs, a new baseline, and `explain` for every flow (side by
//! side where the files' and the deployed network have the same flow).
//! The JSON output must validate against `schemas/output-v1.json`, with
//! its diagnostics sorted as the schema says. The check then runs again:
//! its JSON must be the same (no output may depend on hash order or
//! anything else that varies between runs).
//!
//! A section named `ARGS` is not written: its lines are flags
//! (`env NAME`, `service NAME`, `region NAME`, `strict`, `assume none`,
//! `no-inline`, `also PATH`).

#![no_main]

mod common;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use reachlint::door::{Assume, Options};
use reachlint::outcome::{NetworkSource, Report};
use reachlint::policy::config::Config;
use reachlint::policy::{self, baseline, Gate};
use reachlint::report::{self, human};
use reachlint::rules::data::Data;

static SCRATCH: OnceLock<common::Scratch> = OnceLock::new();
static DATA: OnceLock<Arc<Data>> = OnceLock::new();

/// The flags of the `ARGS` section.
#[derive(Default)]
struct Args {
    env: Option<String>,
    service: Option<String>,
    region: Option<String>,
    strict: bool,
    assume_none: bool,
    no_inline: bool,
    also: Vec<PathBuf>,
}

fn args(text: &str, root: &Path) -> Args {
    let mut a = Args::default();
    for line in text.lines().take(8) {
        let (flag, value) = line.split_once(' ').unwrap_or((line, ""));
        let value = value.trim();
        match flag {
            "env" => a.env = Some(value.to_string()),
            "service" => a.service = Some(value.to_string()),
            "region" => a.region = Some(value.to_string()),
            "strict" => a.strict = true,
            "assume" => a.assume_none = value == "none",
            "no-inline" => a.no_inline = true,
            "also" => {
                if let Some(p) = common::relative_path(value) {
                    a.also.push(root.join(p));
                }
            }
            _ => {}
        }
    }
    a
}

fn render(reports: &[Report], strict: bool) {
    let _ = baseline::render(reports);
    let _ = report::json::render_all(reports);
    let _ = report::sarif::render_all(reports);
    let _ = report::github::render_all(reports);
    let _ = report::markdown::render_all(reports);
    let _ = report::summary_text(reports);
    let _ = report::totals(reports);
    for color in [false, true] {
        let _ = human::render_all_with(reports, color, human::Detail::Full);
        let _ = human::render_all_with(reports, color, human::Detail::Quiet { strict });
    }
    for r in reports {
        let _ = r.exit_code(strict);
        for e in &r.envs {
            for f in &e.flows {
                let text = human::explain(&r.sources, &e.env, f);
                let _ = human::paint_explain(&text);
                let _ = report::json::flow_json(&r.sources, &e.network, &e.env, e.source, f);
            }
        }
        // the files' and the deployed network's flows, side by side
        for files in r.envs.iter().filter(|e| e.source == NetworkSource::Files) {
            for deployed in r
                .envs
                .iter()
                .filter(|e| e.source != NetworkSource::Files && e.env == files.env)
            {
                for f in &files.flows {
                    let key = f.flow.key();
                    if let Some(g) = deployed.flows.iter().find(|g| g.flow.key() == key) {
                        let _ = human::explain_pair(&r.sources, &files.env, f, g, "deployed", 100);
                    }
                }
            }
        }
    }
}

/// What schemas/output-v1.json promises of the JSON output: it validates,
/// and its diagnostics are sorted by (file, line, column, rule).
fn contract(json: &str) {
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    let schema = SCHEMA.get_or_init(|| {
        let s: serde_json::Value =
            serde_json::from_str(include_str!("../../schemas/output-v1.json"))
                .expect("the schema is JSON");
        jsonschema::validator_for(&s).expect("the schema compiles")
    });
    let doc: serde_json::Value = serde_json::from_str(json).expect("the JSON output parses");
    let errors: Vec<String> = schema
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(5)
        .collect();
    assert!(
        errors.is_empty(),
        "the JSON output breaks its schema: {errors:#?}"
    );
    let key = |d: &serde_json::Value| {
        (
            d["file"].as_str().unwrap_or("").to_string(),
            d["line"].as_u64().unwrap_or(1),
            d["column"].as_u64().unwrap_or(1),
            d["rule"].as_str().unwrap_or("").to_string(),
        )
    };
    let diags = doc["diagnostics"]
        .as_array()
        .expect("diagnostics is a list");
    for pair in diags.windows(2) {
        assert!(
            key(&pair[0]) <= key(&pair[1]),
            "diagnostics out of order: {:?} before {:?}",
            key(&pair[0]),
            key(&pair[1])
        );
    }
}

fn check(root: &Path, files: &[(PathBuf, &[u8])], a: &Args) {
    // `Config::parse` on the file's text, as `Config::read` does after
    // reading it (a file that is not UTF-8 cannot be read: exit 2)
    let cfg = match files
        .iter()
        .find(|(p, _)| p == Path::new(".reachlint.toml"))
    {
        Some((_, bytes)) => {
            let Ok(text) = std::str::from_utf8(bytes) else {
                return;
            };
            match Config::parse(&root.join(".reachlint.toml"), text) {
                Ok(c) => c,
                Err(_) => return, // the binary stops here (exit 2)
            }
        }
        None => Config::default(),
    };
    let baseline = match files.iter().find(|(p, _)| p == Path::new("baseline.json")) {
        Some(_) => match baseline::read(&root.join("baseline.json")) {
            Ok(b) => Some(b),
            Err(_) => return, // exit 2
        },
        None => None,
    };
    let has_snapshot = files.iter().any(|(p, _)| p.starts_with("snapshot"));
    let opts = Options {
        path: root.to_path_buf(),
        also: a.also.clone(),
        env: a.env.clone(),
        service: a.service.clone(),
        region: a.region.clone().or_else(|| cfg.region.clone()),
        environments: cfg.environments.clone(),
        variables: cfg.variables.clone(),
        declared: cfg.flows.clone(),
        config_file: cfg.path.clone().map(|p| (p, cfg.text.clone())),
        data: DATA.get_or_init(|| Arc::new(Data::builtin())).clone(),
        strict: a.strict,
        assume: if a.assume_none {
            Assume::None
        } else {
            Assume::Default
        },
        snapshot: has_snapshot.then(|| root.join("snapshot")),
        live: false,
        profile: None,
        endpoint_url: None,
    };
    let Ok(mut reports) = reachlint::app::check_many(&opts) else {
        return; // exit 2, with the error's message
    };
    let gate = Gate {
        config: cfg,
        inline: !a.no_inline,
        baseline,
        as_of: reachlint::base::Date::parse("2026-01-01"),
    };
    for r in &mut reports {
        policy::apply(r, &gate);
    }
    render(&reports, a.strict);
    let json = report::json::render_all(&reports);
    contract(&json);
    // the same workspace checked again says the same
    if let Ok(mut again) = reachlint::app::check_many(&opts) {
        for r in &mut again {
            policy::apply(r, &gate);
        }
        assert_eq!(
            json,
            report::json::render_all(&again),
            "two checks of one workspace differ"
        );
    } else {
        panic!("the second check of one workspace failed, the first did not");
    }
}

fuzz_target!(|data: &[u8]| {
    let mut files = common::bundle(data);
    let flags = files
        .iter()
        .position(|(p, _)| p == Path::new("ARGS"))
        .map(|i| String::from_utf8_lossy(files.remove(i).1).into_owned())
        .unwrap_or_default();
    let scratch = SCRATCH.get_or_init(common::Scratch::new);
    let root = scratch.fresh().to_path_buf();
    scratch.write(&files);
    check(&root, &files, &args(&flags, &root));
    scratch.clear();
});
