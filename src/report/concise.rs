//! `--format concise`: one line per finding, `file:line:col: RLnnn level
//! message [env E]`, for grep and editors' problem matchers; the summary
//! last. A message's line breaks are folded into spaces, so one finding is
//! always one line.

use std::fmt::Write as _;

use crate::base::diag::Severity;
use crate::outcome::Report;
use crate::report::finding;

pub fn render_all(reports: &[Report]) -> String {
    let mut out = String::new();
    for r in reports {
        for d in r.diagnostics.iter().filter(|d| d.suppressed.is_none()) {
            let p = finding::place(&r.sources, d);
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "note",
            };
            let mut msg = d.message.split_whitespace().collect::<Vec<_>>().join(" ");
            // the environment, unless the message names it already
            if let Some(env) = &d.env {
                if !msg.contains(&format!("`{env}`")) {
                    let _ = write!(msg, " [env {env}]");
                }
            }
            let _ = writeln!(
                out,
                "{}:{}:{}: {} {level} {msg}",
                p.file,
                p.line,
                p.column,
                d.rule.code()
            );
        }
    }
    let _ = writeln!(out, "reachlint: {}", super::summary_text(reports));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::diag::{Diagnostic, Location};
    use crate::base::RuleId;

    #[test]
    fn one_line_per_finding_in_the_problem_matcher_shape() {
        let mut r = Report {
            sources: crate::base::source::SourceMap::default(),
            copilot_dir: "copilot".into(),
            diagnostics: vec![],
            envs: vec![],
            unchecked: vec![],
        };
        let mut d = Diagnostic::new(
            RuleId::UnreadableFile,
            Location::Path("copilot/api/manifest.yml".into()),
            "cannot read\nfile".to_string(),
        );
        d.env = Some("test".into());
        r.diagnostics.push(d);
        let text = render_all(&[r]);
        let first = text.lines().next().unwrap_or("");
        assert_eq!(
            first,
            "copilot/api/manifest.yml:1:1: RL902 error cannot read file [env test]"
        );
    }
}
