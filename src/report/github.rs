//! `--format github`: GitHub Actions workflow commands, one per finding, so
//! each appears as an annotation on the pull request's changed lines.

use std::fmt::Write as _;

use crate::base::diag::Severity;
use crate::outcome::Report;
use crate::report::finding;

/// Escapes a command's message.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command's property value.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render_all(reports: &[Report]) -> String {
    let mut out = String::new();
    for r in reports {
        for d in r.diagnostics.iter().filter(|d| d.suppressed.is_none()) {
            let p = finding::place(&r.sources, d);
            let cmd = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "notice",
            };
            let mut msg = d.message.clone();
            if let Some(env) = &d.env {
                msg.push_str(&format!(" [env {env}]"));
            }
            if let Some(h) = &d.help {
                msg.push_str(&format!("\nhelp: {h}"));
            }
            let _ = writeln!(
                out,
                "::{cmd} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                property(&p.file),
                p.line,
                p.column,
                p.end_line,
                p.end_column,
                d.rule.code(),
                data(&format!("{} ({}): {msg}", d.rule.code(), d.rule.slug()))
            );
        }
    }
    let _ = writeln!(out, "reachlint: {}", super::summary_text(reports));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_reads_them() {
        assert_eq!(data("50%\nnext"), "50%25%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
