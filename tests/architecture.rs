//! The house's rules, checked on the source: the model and the verifier
//! import no input format, the ground floor imports nothing, and the
//! top-level modules import each other without a cycle (ARCHITECTURE.md).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const MODULES: &[&str] = &[
    "base", "load", "manifest", "cfn", "synth", "repr", "model", "verify", "rules", "door",
    "report", "policy",
];

/// Top-level module -> the top-level modules its files name as `crate::x`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for m in MODULES {
        let mut files = Vec::new();
        let dir = src.join(m);
        if dir.is_dir() {
            let mut stack = vec![dir];
            while let Some(d) = stack.pop() {
                for e in std::fs::read_dir(&d).expect("read src dir").flatten() {
                    let p = e.path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if p.extension().is_some_and(|x| x == "rs") {
                        files.push(p);
                    }
                }
            }
        } else {
            files.push(src.join(format!("{m}.rs")));
        }
        let deps = out.entry(m.to_string()).or_default();
        for f in files {
            let text = std::fs::read_to_string(&f).expect("read source");
            // code only: comments may name any module
            let code: String = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            for part in code.split("crate::").skip(1) {
                let name: String = part
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if name != *m && MODULES.contains(&name.as_str()) {
                    deps.insert(name);
                }
            }
        }
    }
    out
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

#[test]
fn no_import_cycle_between_modules() {
    let g = imports();
    // Kahn's algorithm: every module must come out.
    let mut indegree: BTreeMap<&str, usize> = MODULES.iter().map(|m| (*m, 0)).collect();
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
    assert_eq!(seen, MODULES.len(), "import cycle among {g:?}");
}
