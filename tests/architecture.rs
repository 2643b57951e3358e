//! The house's rules, checked on the source: the model and the verifier
//! import no input format, the ground floor imports nothing, the modules
//! import each other without a cycle (the top-level modules, with `rules`
//! counted rule module by rule module), the rule modules stages call stand
//! on the ground floor, and only rule modules write findings
//! (ARCHITECTURE.md).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const MODULES: &[&str] = &[
    "base", "load", "manifest", "cfn", "synth", "repr", "model", "verify", "evidence", "compare",
    "rules", "door", "outcome", "report", "policy", "app",
];

/// The rule modules: `rules::<family>::<rule>` for every file under
/// `src/rules/` (`mod.rs` is its folder's node).
fn rule_nodes() -> Vec<(String, std::path::PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read rules dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p.strip_prefix(&root).unwrap().with_extension("");
                let mut parts: Vec<String> = rel
                    .iter()
                    .map(|c| c.to_string_lossy().to_string())
                    .collect();
                if parts.last().is_some_and(|l| l == "mod") {
                    parts.pop();
                }
                let mut name = "rules".to_string();
                for part in parts {
                    name.push_str("::");
                    name.push_str(&part);
                }
                out.push((name, p));
            }
        }
    }
    out.sort();
    out
}

/// The nodes a `crate::...` path names: a top-level module, or for
/// `rules`, the deepest rule module it reaches (every one of a `{...}`
/// group).
fn targets(path_after_crate: &str, rules: &[String]) -> Vec<String> {
    let head: String = path_after_crate
        .chars()
        .take_while(|c| {
            c.is_ascii_alphanumeric()
                || *c == '_'
                || *c == ':'
                || *c == '{'
                || *c == ','
                || *c == ' '
                || *c == '\n'
        })
        .collect();
    let top: String = head
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if top != "rules" {
        return vec![top];
    }
    // rules::a::b::{c, d::e, self}
    let (prefix, group) = match head.split_once('{') {
        Some((p, g)) => (p.trim_end_matches("::").to_string(), Some(g.to_string())),
        None => (
            head.trim_end_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .to_string(),
            None,
        ),
    };
    let deepest = |path: &str| -> String {
        let mut best = "rules".to_string();
        for r in rules {
            if (path == r || path.starts_with(&format!("{r}::"))) && r.len() > best.len() {
                best = r.clone();
            }
        }
        best
    };
    match group {
        None => vec![deepest(&prefix)],
        Some(g) => g
            .split(',')
            .map(|item| item.trim().split(' ').next().unwrap_or("").to_string())
            .filter(|item| !item.is_empty())
            .map(|item| {
                if item == "self" {
                    deepest(&prefix)
                } else {
                    deepest(&format!("{prefix}::{item}"))
                }
            })
            .collect(),
    }
}

fn code_of(f: &Path) -> String {
    let text = std::fs::read_to_string(f).expect("read source");
    // code only: comments may name any module
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Module -> the modules its files name as `crate::x`: the top-level
/// modules, with `rules` split into its rule modules.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let rules = rule_nodes();
    let rule_names: Vec<String> = rules.iter().map(|(n, _)| n.clone()).collect();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut files: Vec<(String, std::path::PathBuf)> = rules.clone();
    for m in MODULES.iter().filter(|m| **m != "rules") {
        let dir = src.join(m);
        if dir.is_dir() {
            let mut stack = vec![dir];
            while let Some(d) = stack.pop() {
                for e in std::fs::read_dir(&d).expect("read src dir").flatten() {
                    let p = e.path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if p.extension().is_some_and(|x| x == "rs") {
                        files.push((m.to_string(), p));
                    }
                }
            }
        } else {
            files.push((m.to_string(), src.join(format!("{m}.rs"))));
        }
    }
    for (node, f) in files {
        let deps = out.entry(node.clone()).or_default();
        for part in code_of(&f).split("crate::").skip(1) {
            for t in targets(part, &rule_names) {
                let known = MODULES.contains(&t.as_str()) || rule_names.contains(&t);
                // a rule module's own folder (its `mod.rs`) is no dependency
                let parent = node.starts_with(&format!("{t}::"));
                if t != node && known && !parent {
                    deps.insert(t);
                }
            }
        }
    }
    out
}

fn stage_of(node: &str) -> &str {
    node.split("::").next().unwrap_or(node)
}

/// Leaf rule modules (the ones a stage calls) stand on the ground floor
/// only, so the stages that find the facts can use them without a cycle.
#[test]
fn rules_called_by_stages_stand_on_the_ground_floor() {
    let g = imports();
    let mut called = BTreeSet::new();
    for (node, deps) in &g {
        if ["load", "manifest", "cfn", "synth", "policy"].contains(&stage_of(node)) {
            called.extend(deps.iter().filter(|d| d.starts_with("rules::")).cloned());
        }
    }
    assert!(called.len() >= 20, "{called:?}");
    for r in &called {
        let deps = &g[r];
        assert!(
            deps.iter().all(|d| d == "base"),
            "{r}, called by a stage, imports {deps:?}"
        );
    }
}

/// One rule, one place: no module outside `rules` writes a finding.
#[test]
fn only_rule_modules_build_findings() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src.clone()];
    let mut offenders = Vec::new();
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read src dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                if p != src.join("rules") {
                    stack.push(p);
                }
            } else if p.extension().is_some_and(|x| x == "rs") && p != src.join("base/diag.rs") {
                let code = code_of(&p);
                // unit tests may build findings to test with
                let code = code.split("#[cfg(test)]").next().unwrap_or("");
                let builds = ["Diagnostic::at(", "Diagnostic::new("].iter().any(|k| {
                    code.match_indices(k).any(|(i, _)| {
                        !code[..i]
                            .chars()
                            .next_back()
                            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                    })
                });
                if builds {
                    offenders.push(p.display().to_string());
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "findings built outside src/rules: {offenders:?}"
    );
}

/// Every rule has its module, whose doc comment is the rule's page.
#[test]
fn every_rule_has_a_module_whose_doc_is_its_page() {
    let rules = rule_nodes();
    for r in reachlint::base::RuleId::ALL {
        let include = format!("/rules/{}.md\"", r.code());
        let owner: Vec<&String> = rules
            .iter()
            .filter(|(_, p)| {
                let code = code_of(p);
                code.contains(&include)
                    && code.contains(&format!("pub const RULE: RuleId = RuleId::{:?};", r))
            })
            .map(|(n, _)| n)
            .collect();
        assert_eq!(owner.len(), 1, "{}: modules {owner:?}", r.code());
    }
}

#[test]
fn model_and_verify_import_no_input_format() {
    let g = imports();
    for m in ["model", "verify"] {
        for input in ["load", "cfn", "manifest", "synth", "repr", "door"] {
            assert!(
                !g[m].contains(input),
                "`{m}` imports the input format `{input}`"
            );
        }
    }
    assert!(
        g["base"].is_empty(),
        "the ground floor imports {:?}",
        g["base"]
    );
    assert_eq!(
        g["model"].iter().collect::<Vec<_>>(),
        vec!["base"],
        "the model stands on the ground floor only"
    );
}

/// The verifier stands on the model (and the ground floor) only.
#[test]
fn verify_imports_only_the_model() {
    let g = imports();
    let deps: Vec<&String> = g["verify"].iter().collect();
    assert!(
        deps.iter().all(|d| *d == "model" || *d == "base"),
        "`verify` imports {deps:?}"
    );
}

/// What a run produced lives outside the front doors: renderers and the
/// policy read it without importing a door, and it imports none.
#[test]
fn report_and_policy_import_no_door() {
    let g = imports();
    for m in ["report", "policy", "outcome", "evidence", "compare"] {
        assert!(!g[m].contains("door"), "`{m}` imports `door`: {:?}", g[m]);
    }
}

/// Compare matches two networks' flows by name: it reads what `verify`
/// proved and nothing of any input format.
#[test]
fn compare_reads_only_proofs_and_the_model() {
    let g = imports();
    let allowed: BTreeSet<&str> = ["base", "model", "verify"].into();
    for d in &g["compare"] {
        assert!(allowed.contains(d.as_str()), "`compare` imports `{d}`");
    }
}

#[test]
fn no_import_cycle_between_modules() {
    let g = imports();
    // Kahn's algorithm: every module must come out.
    let mut indegree: BTreeMap<&str, usize> = g.keys().map(|m| (m.as_str(), 0)).collect();
    for deps in g.values() {
        for d in deps {
            *indegree.get_mut(d.as_str()).expect("known module") += 1;
        }
    }
    let mut ready: Vec<&str> = indegree
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(m, _)| *m)
        .collect();
    let mut seen = 0;
    while let Some(m) = ready.pop() {
        seen += 1;
        for d in &g[m] {
            let n = indegree.get_mut(d.as_str()).expect("known module");
            *n -= 1;
            if *n == 0 {
                ready.push(d.as_str());
            }
        }
    }
    assert_eq!(seen, g.len(), "import cycle among {g:?}");
}

/// No function outside tests is longer than 150 lines: clippy.toml sets
/// the threshold and `.ci/run` denies `too_many_lines` on the library and
/// the binary (their test modules aside).
#[test]
fn long_functions_are_denied_in_ci() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let clippy = std::fs::read_to_string(root.join("clippy.toml")).expect("clippy.toml");
    assert!(
        clippy
            .lines()
            .any(|l| l.replace(' ', "") == "too-many-lines-threshold=150"),
        "{clippy}"
    );
    let ci = std::fs::read_to_string(root.join(".ci/run")).expect(".ci/run");
    assert!(
        ci.lines()
            .any(|l| l.starts_with("cargo clippy --lib --bins")
                && l.contains("-D clippy::too_many_lines")),
        ".ci/run does not deny too_many_lines"
    );
}

/// No door imports the verifier or another door: the app hands them the
/// verifier (`door::Prover`) and the seam (`src/door/mod.rs`, which lists
/// the doors) hands the Copilot door the deployed-network step. Every file
/// of a door's folder (`src/door/<name>/`) is read: it names no
/// `crate::verify`, no other door (`door::<other>`, `super::<other>`), and
/// the seam itself imports no `verify`.
#[test]
fn no_door_imports_the_verifier_or_another_door() {
    let g = imports();
    assert!(
        !g["door"].contains("verify"),
        "the door seam imports `verify`: {:?}",
        g["door"]
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/door");
    let doors: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    assert!(doors.len() >= 2, "{doors:?}");
    for door in &doors {
        let mut files = vec![root.join(door)];
        while let Some(p) = files.pop() {
            if p.is_dir() {
                files.extend(std::fs::read_dir(&p).unwrap().flatten().map(|e| e.path()));
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            let code: String = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            let mut forbidden = vec!["crate::verify".to_string()];
            for other in doors.iter().filter(|o| *o != door) {
                forbidden.push(format!("door::{other}"));
                forbidden.push(format!("super::{other}"));
            }
            for f in &forbidden {
                assert!(!code.contains(f.as_str()), "{} names `{f}`", p.display());
            }
        }
    }
}

/// The drift rules read two networks and what `compare` matched between
/// them, never an input format (a snapshot's records, a manifest).
#[test]
fn drift_reads_no_input_format() {
    let g = imports();
    for (m, deps) in g.iter().filter(|(m, _)| m.starts_with("rules::drift")) {
        for input in ["load", "manifest", "cfn", "synth", "repr"] {
            assert!(!deps.contains(input), "`{m}` imports `{input}`");
        }
    }
    assert!(g.keys().any(|m| m.starts_with("rules::drift")));
}

/// The floors of the house, bottom up (ARCHITECTURE.md, "Floors"): a room
/// imports only rooms on its floor or below. A rule module's floor is the
/// words floor when it stands on `base`, `model`, `outcome` and other
/// words (a finding's words, which any stage may raise), else the
/// reading-rules floor (rules that read what the stages computed), which
/// sits below the doors that run them today.
const FLOORS: &[&[&str]] = &[
    &["base"],
    &["model"],
    &["outcome"],
    &["rules (words)"],
    &["verify"],
    &["evidence"],
    &["load", "cfn", "manifest", "synth", "repr"],
    &["compare", "rules (reading)"],
    &["door"],
    &["report"],
    &["policy"],
    &["app"],
];

fn floor_of(room: &str) -> usize {
    FLOORS
        .iter()
        .position(|f| f.contains(&room))
        .unwrap_or_else(|| panic!("`{room}` is on no floor"))
}

#[test]
fn no_room_imports_a_room_above_it() {
    let g = imports();
    let words_floor = floor_of("rules (words)");
    // a rule module is words when all it imports is words or below
    let mut floor: BTreeMap<&str, usize> = BTreeMap::new();
    for m in g.keys().filter(|m| !m.starts_with("rules")) {
        floor.insert(m, floor_of(m));
    }
    let rules: Vec<&String> = g.keys().filter(|m| m.starts_with("rules")).collect();
    for r in &rules {
        floor.insert(r, words_floor);
    }
    // raise rule modules until every import of theirs is below them
    loop {
        let mut changed = false;
        for r in &rules {
            let highest = g[*r].iter().map(|d| floor[d.as_str()]).max().unwrap_or(0);
            if highest > words_floor && floor[r.as_str()] == words_floor {
                floor.insert(r, floor_of("rules (reading)"));
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut above = Vec::new();
    for (m, deps) in &g {
        for d in deps {
            if floor[d.as_str()] > floor[m.as_str()] {
                above.push(format!("`{m}` imports `{d}`, a floor above it"));
            }
        }
    }
    assert!(above.is_empty(), "{above:#?}");
    // the stages below the reading floor raise findings through words only
    let reading: Vec<&&String> = rules
        .iter()
        .filter(|r| floor[r.as_str()] > words_floor)
        .collect();
    assert!(
        reading.iter().any(|r| r.starts_with("rules::deploy"))
            && reading.iter().any(|r| r.starts_with("rules::drift")),
        "{reading:?}"
    );
    assert!(
        rules.len() - reading.len() >= 40,
        "{} words modules",
        rules.len() - reading.len()
    );
}
