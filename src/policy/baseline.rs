//! Baselines: `--write-baseline FILE` records today's findings by
//! fingerprint (rule, file, logical YAML path, environment: never the
//! line); `--baseline FILE` then reports only the findings not in it.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{json, Value as J};

use crate::outcome::Report;
use crate::report::finding;

/// Largest baseline file read.
pub const MAX_BASELINE_BYTES: u64 = 64 * 1024 * 1024;

/// The fingerprints a baseline file holds.
pub fn read(path: &Path) -> Result<BTreeSet<String>, String> {
    let text = crate::base::guard::read_text(path, None, MAX_BASELINE_BYTES)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let v: J = serde_json::from_str(&text)
        .map_err(|e| format!("{}: not a reachlint baseline: {e}", path.display()))?;
    if v["version"] != 1 {
        return Err(format!(
            "{}: not a reachlint baseline (version 1)",
            path.display()
        ));
    }
    let items = v["findings"]
        .as_array()
        .ok_or_else(|| format!("{}: `findings` is not a list", path.display()))?;
    Ok(items
        .iter()
        .filter_map(|f| f["fingerprint"].as_str().map(str::to_string))
        .collect())
}

/// The baseline of every finding not already suppressed.
pub fn render(reports: &[Report]) -> String {
    let mut findings = Vec::new();
    for r in reports {
        let fps = finding::fingerprints(&r.sources, &r.diagnostics);
        for (d, fp) in r.diagnostics.iter().zip(fps) {
            if d.suppressed.is_some() {
                continue;
            }
            let (rule, file, path, env) = finding::key(&r.sources, d);
            findings.push(json!({
                "fingerprint": fp,
                "rule": rule,
                "file": file,
                "path": path,
                "env": env,
                "message": d.message,
            }));
        }
    }
    let mut s = serde_json::to_string_pretty(&json!({"version": 1, "findings": findings}))
        .unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
