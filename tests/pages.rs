//! Every rule page's example runs: its failing workspace raises exactly that
//! rule, its fixed workspace raises nothing. A page without a rule, or a
//! rule without a page, fails.
//!
//! The format of a page's `## Example` section (rules/README.md says it for
//! page writers): fenced blocks whose info string is a language and a path
//! relative to the project root (```` ```yaml copilot/api/manifest.yml ````);
//! the blocks before the paragraph that starts with `Fixed` make the failing
//! workspace, the blocks after it replace or add files for the fixed one.
//! `copilot/.workspace` (`application: demo`) and an environment `test` are
//! added unless the example writes its own (or says `<!-- no scaffold -->`).
//! `<!-- args: ... -->` adds arguments after `check .`; a block whose info
//! string ends in `escaped` has `\xNN` escapes turned into bytes, and a
//! fixed block whose info string ends in `deleted` removes the file (a fix
//! that moves a file). `<!-- also: RLnnn -->` names a rule the failing
//! example raises by its nature beside the page's own (an expired
//! suppression reports its finding again); nothing else may appear.

use reachlint::base::RuleId;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

struct Example {
    failing: Vec<(String, Vec<u8>)>,
    /// `None`: the fix deletes the file.
    fixed: Vec<(String, Option<Vec<u8>>)>,
    args: Vec<String>,
    also: Vec<String>,
    scaffold: bool,
}

fn unescape(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && b.get(i + 1) == Some(&b'x') && i + 3 < b.len() + 1 {
            if let Ok(v) = u8::from_str_radix(&s[i + 2..i + 4], 16) {
                out.push(v);
                i += 4;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

fn example(page: &str) -> Result<Example, String> {
    let section = page
        .split("\n## Example")
        .nth(1)
        .ok_or("no `## Example` section")?;
    let section = section.split("\n## ").next().unwrap_or(section);
    let mut ex = Example {
        failing: vec![],
        fixed: vec![],
        args: vec![],
        also: vec![],
        scaffold: !section.contains("<!-- no scaffold -->"),
    };
    if let Some(a) = section.split("<!-- args:").nth(1) {
        let a = a.split("-->").next().unwrap_or("");
        ex.args = a.split_whitespace().map(str::to_string).collect();
    }
    if let Some(a) = section.split("<!-- also:").nth(1) {
        let a = a.split("-->").next().unwrap_or("");
        ex.also = a.split_whitespace().map(str::to_string).collect();
    }
    let mut in_fixed = false;
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        if line.starts_with("Fixed") {
            in_fixed = true;
            continue;
        }
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let mut words = info.split_whitespace();
        let _lang = words.next();
        let path = words
            .next()
            .ok_or_else(|| format!("a code block without a path: ```{info}"))?
            .to_string();
        let flag = words.next();
        let escaped = flag == Some("escaped");
        let deleted = flag == Some("deleted");
        let mut body = String::new();
        for l in lines.by_ref() {
            if l.starts_with("```") {
                break;
            }
            body.push_str(l);
            body.push('\n');
        }
        let bytes = if escaped {
            unescape(&body)
        } else {
            body.into_bytes()
        };
        if in_fixed {
            ex.fixed.push((path, (!deleted).then_some(bytes)));
        } else {
            ex.failing.push((path, bytes));
        }
    }
    if ex.failing.is_empty() {
        return Err("no failing example".into());
    }
    if !in_fixed {
        return Err("no `Fixed` example".into());
    }
    Ok(ex)
}

fn write_ws(root: &Path, files: &[(String, Vec<u8>)], scaffold: bool) {
    let _ = std::fs::remove_dir_all(root);
    std::fs::create_dir_all(root).unwrap();
    if scaffold {
        if !files.iter().any(|(p, _)| p == "copilot/.workspace") {
            std::fs::create_dir_all(root.join("copilot")).unwrap();
            std::fs::write(root.join("copilot/.workspace"), "application: demo\n").unwrap();
        }
        if !files
            .iter()
            .any(|(p, _)| p.starts_with("copilot/environments/"))
        {
            let p = root.join("copilot/environments/test/manifest.yml");
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "name: test\ntype: Environment\n").unwrap();
        }
    }
    for (rel, bytes) in files {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

/// The rule ids `check` reports on the workspace, and its JSON.
fn rules_raised(root: &Path, args: &[String]) -> (BTreeSet<String>, serde_json::Value) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_reachlint"))
        .current_dir(root)
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .args(["check", ".", "--format", "json"])
        .args(args)
        .output()
        .expect("binary runs");
    let v: serde_json::Value = match serde_json::from_slice(&o.stdout) {
        Ok(v) => v,
        Err(_) => panic!(
            "no JSON (exit {:?}): {}",
            o.status.code(),
            String::from_utf8_lossy(&o.stderr)
        ),
    };
    let rules = v["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["rule"].as_str().map(str::to_string))
        .collect();
    (rules, v)
}

fn pages() -> Vec<(String, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let p = e.ok()?.path();
            let stem = p.file_stem()?.to_str()?.to_string();
            (stem.starts_with("RL") && p.extension()? == "md").then_some((stem, p))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_page_has_a_rule_and_every_rule_a_page() {
    let on_disk: BTreeSet<String> = pages().into_iter().map(|(c, _)| c).collect();
    let known: BTreeSet<String> = RuleId::ALL.iter().map(|r| r.code().to_string()).collect();
    let no_rule: Vec<_> = on_disk.difference(&known).collect();
    let no_page: Vec<_> = known.difference(&on_disk).collect();
    assert!(no_rule.is_empty(), "pages without a rule: {no_rule:?}");
    assert!(no_page.is_empty(), "rules without a page: {no_page:?}");
    let index =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/README.md"))
            .unwrap();
    for code in &known {
        assert!(
            index.contains(&format!("| [{code}]({code}.md) |")),
            "{code} is not in rules/README.md"
        );
    }
}

#[test]
fn every_page_example_raises_its_rule_and_its_fix_raises_nothing() {
    let mut failures = Vec::new();
    for (code, path) in pages() {
        let page = std::fs::read_to_string(&path).unwrap();
        let ex = match example(&page) {
            Ok(e) => e,
            Err(why) => {
                failures.push(format!("{code}: {why}"));
                continue;
            }
        };
        let root =
            std::env::temp_dir().join(format!("reachlint-page-{}-{code}", std::process::id()));
        write_ws(&root, &ex.failing, ex.scaffold);
        let (raised, v) = rules_raised(&root, &ex.args);
        let mut want = BTreeSet::from([code.clone()]);
        want.extend(ex.also.iter().cloned());
        if raised != want {
            failures.push(format!(
                "{code}: the failing example raises {raised:?}: {}",
                v["diagnostics"]
            ));
        }
        let mut fixed = ex.failing.clone();
        for (p, b) in &ex.fixed {
            match b {
                None => fixed.retain(|(q, _)| q != p),
                Some(b) => match fixed.iter_mut().find(|(q, _)| q == p) {
                    Some(slot) => slot.1 = b.clone(),
                    None => fixed.push((p.clone(), b.clone())),
                },
            }
        }
        write_ws(&root, &fixed, ex.scaffold);
        let (raised, v) = rules_raised(&root, &ex.args);
        if !raised.is_empty() {
            failures.push(format!(
                "{code}: the fixed example raises {raised:?}: {}",
                v["diagnostics"]
            ));
        }
        let _ = std::fs::remove_dir_all(&root);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
