//! Inline suppressions in manifests and addon templates:
//! `# reachlint: ignore[RL401] reason`, on the finding's line or alone on
//! the line above; `ignore[RL401,RL3] until=2027-01-31 reason` stops
//! suppressing after that day and says so. The reason is required.

use crate::base::date::Date;
use crate::base::source::{FileId, SourceFile, Span};
use crate::policy::config::Selector;

/// One directive, or why it is not one.
#[derive(Debug, Clone, PartialEq)]
pub struct Directive {
    pub span: Span,
    /// 1-based line of the comment.
    pub line: u32,
    /// The comment is alone on its line (it then covers the next line).
    pub own_line: bool,
    pub rules: Vec<Selector>,
    pub reason: String,
    /// (year, month, day)
    pub until: Option<Date>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Malformed {
    pub span: Span,
    pub why: String,
}

const MARK: &str = "reachlint:";

/// Every directive of a file, in order, and the malformed ones.
pub fn directives(file: FileId, f: &SourceFile) -> (Vec<Directive>, Vec<Malformed>) {
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    let mut offset = 0usize;
    for (i, raw) in f.text.split('\n').enumerate() {
        let line_start = offset;
        offset += raw.len() + 1;
        let Some(hash) = comment_start(raw) else {
            continue;
        };
        let comment = &raw[hash + 1..];
        let Some(at) = comment.find(MARK) else {
            continue;
        };
        if !comment[..at].trim().is_empty() {
            continue;
        }
        let start = line_start + hash;
        let span = Span::new(file, start, line_start + raw.trim_end().len());
        let body = comment[at + MARK.len()..].trim();
        match parse(body) {
            Ok((rules, until, reason)) => ok.push(Directive {
                span,
                line: i as u32 + 1,
                own_line: raw[..hash].trim().is_empty(),
                rules,
                reason,
                until,
            }),
            Err(why) => bad.push(Malformed { span, why }),
        }
    }
    (ok, bad)
}

/// Where a YAML comment starts: a `#` at the start or after white space,
/// outside quotes.
fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '#' && prev.is_whitespace() => return Some(i),
            None => {}
        }
        prev = c;
    }
    None
}

type Parsed = (Vec<Selector>, Option<Date>, String);

fn parse(body: &str) -> Result<Parsed, String> {
    let rest = body
        .strip_prefix("ignore[")
        .ok_or("expected `ignore[RLnnn] reason`")?;
    let (list, rest) = rest
        .split_once(']')
        .ok_or("`ignore[` without its closing `]`")?;
    let mut rules = Vec::new();
    for r in list.split(',').map(str::trim).filter(|r| !r.is_empty()) {
        rules.push(
            Selector::parse(r).ok_or_else(|| format!("`{r}` is not a rule id or family prefix"))?,
        );
    }
    if rules.is_empty() {
        return Err("no rule named in `ignore[]`".into());
    }
    let mut rest = rest.trim();
    let mut until = None;
    if let Some(r) = rest.strip_prefix("until=") {
        let (date, after) = r.split_once(char::is_whitespace).unwrap_or((r, ""));
        until =
            Some(Date::parse(date).ok_or_else(|| format!("`{date}` is not a date YYYY-MM-DD"))?);
        rest = after.trim();
    }
    if rest.is_empty() {
        return Err("a suppression needs a reason after the rule ids".into());
    }
    Ok((rules, until, rest.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn file(text: &str) -> SourceFile {
        SourceFile::new(PathBuf::from("a.yml"), "a.yml".into(), text.into())
    }

    #[test]
    fn forms_of_a_directive() {
        let f = file(
            "a: 1 # reachlint: ignore[RL102] legacy key, removed in Q3\n\
             # reachlint: ignore[RL401, RL3] until=2027-01-31 tracked in OPS-12\n\
             b: 2\n\
             c: '# reachlint: ignore[RL1] inside a string'\n\
             # reachlint: ignore[RL401]\n\
             # reachlint: ignore[RL999] nope\n\
             # reachlint: skip this\n",
        );
        let (ok, bad) = directives(FileId(0), &f);
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].line, 1);
        assert!(!ok[0].own_line);
        assert_eq!(ok[0].reason, "legacy key, removed in Q3");
        assert_eq!(ok[1].line, 2);
        assert!(ok[1].own_line);
        assert_eq!(ok[1].rules.len(), 2);
        assert_eq!(ok[1].until, Date::parse("2027-01-31"));
        assert_eq!(bad.len(), 3);
        assert!(bad[0].why.contains("reason"));
        assert!(bad[1].why.contains("RL999"));
    }
}
