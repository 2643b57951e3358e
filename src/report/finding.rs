//! What every renderer says about a finding: where it is (file, 1-based
//! line and column, exclusive end), its logical place in the YAML (the keys
//! above it), and one stable fingerprint for baselines and SARIF.

use crate::base::diag::{Diagnostic, Location};
use crate::base::source::{Position, SourceMap, Span};

/// A finding's region; a finding without text points at 1:1 of its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

pub fn place(sources: &SourceMap, d: &Diagnostic) -> Place {
    match &d.location {
        Location::Span(s) => span_place(sources, *s),
        Location::Path(p) => Place {
            file: sources.display_path(p),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
        },
    }
}

/// A span's region; an empty span covers one character.
pub fn span_place(sources: &SourceMap, s: Span) -> Place {
    let a = sources.start(s);
    let mut b = sources.end(s);
    if b <= a {
        b = Position {
            line: a.line,
            column: a.column + 1,
        };
    }
    Place {
        file: sources.display(s.file).to_string(),
        line: a.line,
        column: a.column,
        end_line: b.line,
        end_column: b.column,
    }
}

/// The keys above a position in block YAML, outermost first
/// (`Resources.DbIngress.Properties.FromPort`); list items are `-`.
/// Unrelated edits elsewhere in the file do not change it.
pub fn logical_path(text: &str, byte: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut at = 0;
    let mut seen = 0;
    for (i, l) in lines.iter().enumerate() {
        if seen + l.len() >= byte {
            at = i;
            break;
        }
        seen += l.len() + 1;
        at = i;
    }
    let Some(line) = lines.get(at) else {
        return String::new();
    };
    let (mut indent, key) = shape(line);
    let mut parts: Vec<String> = key.into_iter().collect();
    let t = line.trim_start();
    if t.starts_with("- ") {
        parts.push("-".into());
        indent = line.len() - t.len();
    }
    for l in lines[..at].iter().rev() {
        if indent == 0 {
            break;
        }
        let t = l.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let dash = l.len() - t.len();
        if t.starts_with("- ") && dash < indent {
            // the list item this line belongs to (its own key is a sibling)
            parts.push("-".into());
            indent = dash;
        } else if dash < indent {
            parts.extend(shape(l).1);
            indent = dash;
        }
    }
    parts.reverse();
    parts.join(".")
}

/// The indentation of a line's key (after any `- `) and the key.
fn shape(line: &str) -> (usize, Option<String>) {
    let t = line.trim_start();
    let mut ind = line.len() - t.len();
    let mut rest = t;
    while let Some(r) = rest.strip_prefix("- ") {
        ind += 2;
        rest = r.trim_start();
    }
    let key = rest
        .split_once(':')
        .map(|(k, _)| k.trim().trim_matches(|c| c == '"' || c == '\''))
        .filter(|k| !k.is_empty() && !k.contains(' ') && !k.starts_with(['{', '[', '!']))
        .map(str::to_string);
    (ind, key)
}

/// FNV-1a, 64 bits: stable across runs and platforms.
fn fnv(data: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in data.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The parts a finding is known by across edits: rule, file, logical path
/// and environment (never the line).
pub fn key(sources: &SourceMap, d: &Diagnostic) -> (String, String, String, String) {
    let p = place(sources, d);
    let path = match &d.location {
        Location::Span(s) => logical_path(&sources.file(s.file).text, s.start as usize),
        Location::Path(_) => String::new(),
    };
    (
        d.rule.code().to_string(),
        p.file,
        path,
        d.env.clone().unwrap_or_default(),
    )
}

/// The file a fingerprint keys on: relative to the repository, so the
/// same finding has the same fingerprint from any working directory.
fn repo_file(sources: &SourceMap, d: &Diagnostic) -> String {
    match &d.location {
        Location::Span(s) => sources.repo_path(&sources.file(s.file).path),
        Location::Path(p) => sources.repo_path(p),
    }
}

/// One fingerprint per finding of a report: the hash of its [`key`] with
/// the file relative to its repository, with `:n` for the n-th finding of
/// the same key (in report order).
pub fn fingerprints(sources: &SourceMap, diags: &[Diagnostic]) -> Vec<String> {
    hashed(diags, |d| {
        let (rule, _, path, env) = key(sources, d);
        (rule, repo_file(sources, d), path, env)
    })
}

/// The fingerprints baselines written before 2026-12 hold: the file as
/// shown (relative to the working directory). A baseline matches either.
pub fn legacy_fingerprints(sources: &SourceMap, diags: &[Diagnostic]) -> Vec<String> {
    hashed(diags, |d| key(sources, d))
}

fn hashed(
    diags: &[Diagnostic],
    key_of: impl Fn(&Diagnostic) -> (String, String, String, String),
) -> Vec<String> {
    let mut seen: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
    diags
        .iter()
        .map(|d| {
            let (rule, file, path, env) = key_of(d);
            let h = fnv(&format!("{rule}\u{0}{file}\u{0}{path}\u{0}{env}"));
            let n = seen.entry(h).or_insert(0);
            *n += 1;
            if *n == 1 {
                format!("{h:016x}")
            } else {
                format!("{h:016x}:{n}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADDON: &str = "Resources:
  DbIngress:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      SecurityGroupIngress:
        - ToPort: 3306
          FromPort: 3306
      GroupId: x
";

    #[test]
    fn logical_paths_follow_the_keys_above() {
        let at = |needle: &str| logical_path(ADDON, ADDON.find(needle).unwrap());
        assert_eq!(at("Type"), "Resources.DbIngress.Type");
        assert_eq!(
            at("ToPort"),
            "Resources.DbIngress.Properties.SecurityGroupIngress.-.ToPort"
        );
        assert_eq!(
            at("FromPort"),
            "Resources.DbIngress.Properties.SecurityGroupIngress.-.FromPort"
        );
        assert_eq!(at("GroupId"), "Resources.DbIngress.Properties.GroupId");
        // an unrelated edit above does not move it
        let edited = format!("# a comment\n\n{ADDON}");
        assert_eq!(
            logical_path(&edited, edited.find("FromPort").unwrap()),
            at("FromPort")
        );
    }

    #[test]
    fn fnv_is_stable() {
        assert_eq!(fnv(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
