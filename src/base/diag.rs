//! Findings about the user's files, each with a rule id and a location.

use super::rule::RuleId;
pub use super::rule::Severity;
use super::source::Span;

/// Where a finding points: a span in a file read, or a path with no text
/// (a folder, a missing file).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Location {
    Span(Span),
    Path(std::path::PathBuf),
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: RuleId,
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    pub env: Option<String>,
    pub help: Option<String>,
    /// Extra labelled spans for code frames.
    pub related: Vec<(Span, String)>,
    /// For a flow finding, the path it is about, hop by hop (SARIF
    /// `codeFlows`): each hop's span when it has one, and what it does.
    pub steps: Vec<(Option<Span>, String)>,
    /// Suppressed (inline, by the baseline): why. A suppressed finding is
    /// still reported, but counts toward neither the exit code nor the
    /// summary.
    pub suppressed: Option<String>,
    /// For a flow finding, the index of its flow among its environment's
    /// flows (a suppressed flow finding suppresses its flow too).
    pub flow: Option<usize>,
    /// For a finding about a deployed resource no file creates (drift):
    /// its id or ARN.
    pub arn: Option<String>,
    /// One finding for the same cause in several environments: each of
    /// them (then `env` is None).
    pub environments: Vec<String>,
    /// More flows this finding stands for, as (environment, index among its
    /// flows): the same cause in other environments, or other flows with
    /// the same missing fact.
    pub also: Vec<(String, usize)>,
    /// The words of a finding that names its environment, as the rule
    /// built them with the environment as a slot ([`Words`]): findings in
    /// several environments merge by them, and the merged message fills
    /// the slot with every environment. None where the words name no
    /// environment (the renderers add `[env …]`).
    pub words: Option<(Words, Option<Words>)>,
}

/// One piece of a finding's words.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Piece {
    Text(String),
    /// "environment `dev`", or "environments `dev` and `prod`".
    Environments,
    /// "`dev`", or "`dev` and `prod`".
    EnvNames,
    /// The (first) environment's bare name, as in `--env dev`.
    EnvName,
}

/// A finding's words with its environment as a slot, built by the rule
/// that words the finding: `Words::new().text("no workload in ").environments()`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Words(Vec<Piece>);

impl Words {
    pub fn new() -> Words {
        Words::default()
    }

    pub fn text(mut self, t: impl Into<String>) -> Words {
        let t = t.into();
        match self.0.last_mut() {
            Some(Piece::Text(last)) => last.push_str(&t),
            _ => self.0.push(Piece::Text(t)),
        }
        self
    }

    pub fn environments(mut self) -> Words {
        self.0.push(Piece::Environments);
        self
    }

    pub fn env_names(mut self) -> Words {
        self.0.push(Piece::EnvNames);
        self
    }

    pub fn env_name(mut self) -> Words {
        self.0.push(Piece::EnvName);
        self
    }

    /// These words, then `more`.
    pub fn then(mut self, more: Words) -> Words {
        for p in more.0 {
            self = match p {
                Piece::Text(t) => self.text(t),
                other => {
                    self.0.push(other);
                    self
                }
            };
        }
        self
    }

    /// The words for these environments (at least one).
    pub fn render(&self, envs: &[String]) -> String {
        let mut out = String::new();
        for p in &self.0 {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Environments if envs.len() > 1 => {
                    out.push_str("environments ");
                    out.push_str(&names(envs));
                }
                Piece::Environments => {
                    out.push_str("environment ");
                    out.push_str(&names(envs));
                }
                Piece::EnvNames => out.push_str(&names(envs)),
                Piece::EnvName => out.push_str(envs.first().map_or("", String::as_str)),
            }
        }
        out
    }
}

impl Diagnostic {
    pub fn new(rule: RuleId, location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule,
            severity: rule.severity(),
            message: message.into(),
            location,
            env: None,
            help: None,
            related: Vec::new(),
            steps: Vec::new(),
            suppressed: None,
            flow: None,
            arn: None,
            environments: Vec::new(),
            also: Vec::new(),
            words: None,
        }
    }

    /// A finding in environment `env` whose words name it: the message is
    /// `message` for `env`, and `help`, when given, words the help the same way.
    pub fn worded(
        rule: RuleId,
        location: Location,
        env: &str,
        message: Words,
        help: Option<Words>,
    ) -> Diagnostic {
        let envs = [env.to_string()];
        let mut d = Diagnostic::new(rule, location, message.render(&envs));
        d.help = help.as_ref().map(|h| h.render(&envs));
        d.env = Some(env.to_string());
        d.words = Some((message, help));
        d
    }

    /// Whether it stands for some flow (a consequence, not a cause).
    pub fn is_about_flows(&self) -> bool {
        (self.env.is_some() && self.flow.is_some()) || !self.also.is_empty()
    }

    /// Moves its flow links by `by`: the flows of its environment's
    /// network come after `by` flows of another network of it.
    pub fn shift_flows(&mut self, by: usize) {
        self.flow = self.flow.map(|i| i + by);
        for (_, i) in &mut self.also {
            *i += by;
        }
    }

    /// Every flow this finding stands for, as (environment, index).
    pub fn flow_links(&self) -> Vec<(String, usize)> {
        let mut v: Vec<(String, usize)> = self.env.clone().zip(self.flow).into_iter().collect();
        v.extend(self.also.iter().cloned());
        v
    }

    pub fn at(rule: RuleId, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(rule, Location::Span(span), message)
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn env(mut self, env: Option<&str>) -> Diagnostic {
        self.env = env.map(str::to_string);
        self
    }

    pub fn severity(mut self, s: Severity) -> Diagnostic {
        self.severity = s;
        self
    }

    pub fn related(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        self.related.push((span, label.into()));
        self
    }
}

/// "`a`, `b` and `c`".
fn names(envs: &[String]) -> String {
    let quoted: Vec<String> = envs.iter().map(|e| format!("`{e}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// One finding per cause (DECISIONS.md): findings that differ only in their
/// environment (the same rule, severity and place, and the same [`Words`]
/// with the environment as a slot, or the same message and help where the
/// rule built no `Words`) become one, with `env` None, `environments`
/// listing them and every flow they stand for. Its message is its rule's
/// `Words` for every environment ("in environments `dev` and `prod`"); its
/// help, where it names one (`--env dev`), names the first. Nothing is
/// replaced in a finding's words. Order is kept: the first of a group
/// stands where the group stood.
pub fn merge_environments(diags: &mut Vec<Diagnostic>) {
    /// The words without the environment: the rule's [`Words`] where it
    /// built them, else its message and help as they are.
    #[derive(PartialEq, Eq, Hash)]
    enum Said {
        Worded(Words, Option<Words>),
        Plain(String, Option<String>),
    }
    type Key = (RuleId, Severity, Location, Said, Option<String>);
    let mut out: Vec<Diagnostic> = Vec::with_capacity(diags.len());
    let mut index: std::collections::HashMap<Key, usize> = std::collections::HashMap::new();
    for d in diags.drain(..) {
        let Some(env) = d.env.clone() else {
            out.push(d);
            continue;
        };
        let said = match &d.words {
            Some((m, h)) => Said::Worded(m.clone(), h.clone()),
            None => Said::Plain(d.message.clone(), d.help.clone()),
        };
        let key = (
            d.rule,
            d.severity,
            d.location.clone(),
            said,
            d.suppressed.clone(),
        );
        let seen = index.get(&key).copied().filter(|&i| {
            // the same environment twice (the files' and a snapshot's
            // network) stays two findings
            out[i].env.as_deref() != Some(env.as_str()) && !out[i].environments.contains(&env)
        });
        match seen {
            Some(i) => {
                let m = &mut out[i];
                if m.environments.is_empty() {
                    m.also = m.flow_links();
                    m.environments = m.env.take().into_iter().collect();
                    m.flow = None;
                }
                m.also.extend(d.flow_links());
                if !m.environments.contains(&env) {
                    m.environments.push(env);
                }
                for r in d.related {
                    if !m.related.contains(&r) {
                        m.related.push(r);
                    }
                }
            }
            None => {
                index.entry(key).or_insert(out.len());
                out.push(d);
            }
        }
    }
    for d in &mut out {
        if let (Some((words, _)), false) = (&d.words, d.environments.is_empty()) {
            d.message = words.render(&d.environments);
        }
    }
    *diags = out;
}

/// One finding per cause at several places (DECISIONS.md): for the rules
/// whose words name the cause itself (a variable, an export, an engine
/// version), findings with the same rule, severity, environment(s) and
/// words are one, at the first place (call after sorting), with the other
/// places as related locations.
pub fn merge_places(diags: &mut Vec<Diagnostic>, rules: &[RuleId]) {
    type Key = (
        RuleId,
        Severity,
        Option<String>,
        Vec<String>,
        String,
        Option<String>,
    );
    let mut out: Vec<Diagnostic> = Vec::with_capacity(diags.len());
    let mut index: std::collections::HashMap<Key, usize> = std::collections::HashMap::new();
    for d in diags.drain(..) {
        let Location::Span(at) = d.location else {
            out.push(d);
            continue;
        };
        if !rules.contains(&d.rule) {
            out.push(d);
            continue;
        }
        let key = (
            d.rule,
            d.severity,
            d.env.clone(),
            d.environments.clone(),
            d.message.clone(),
            d.suppressed.clone(),
        );
        match index.get(&key) {
            Some(&i) => {
                let m = &mut out[i];
                if m.location != Location::Span(at) && !m.related.iter().any(|(s, _)| *s == at) {
                    m.related.push((at, "the same cause here".to_string()));
                }
                m.also.extend(d.flow_links());
            }
            None => {
                index.insert(key, out.len());
                out.push(d);
            }
        }
    }
    *diags = out;
}

/// Sorts by (file, line, column, rule) and drops exact duplicates.
pub fn sort_diagnostics(sources: &crate::base::source::SourceMap, diags: &mut Vec<Diagnostic>) {
    let key = |d: &Diagnostic| {
        let (file, line, col) = match &d.location {
            Location::Span(s) => {
                let p = sources.start(*s);
                (sources.display(s.file).to_string(), p.line, p.column)
            }
            Location::Path(p) => (sources.display_path(p), 1, 1),
        };
        (file, line, col, d.rule, d.message.clone(), d.env.clone())
    };
    diags.sort_by_key(key);
    diags.dedup_by(|a, b| key(a) == key(b));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::source::{FileId, Span};

    #[test]
    fn the_same_finding_in_several_environments_is_one() {
        let at = Span::new(FileId(0), 3, 9);
        let d = |env: &str, flow: usize| {
            let mut d = Diagnostic::worded(
                RuleId::FlowUnknown,
                Location::Span(at),
                env,
                Words::new()
                    .text("`api` may or may not reach s3 in ")
                    .environments()
                    .text(": subnet x"),
                Some(
                    Words::new()
                        .text("run `reachlint explain p --env ")
                        .env_name()
                        .text(" --service api --to s3`"),
                ),
            );
            d.flow = Some(flow);
            d
        };
        let other = Diagnostic::at(RuleId::FlowUnknown, at, "another cause").env(Some("dev"));
        let mut v = vec![d("dev", 2), other, d("prod", 5), d("test", 1)];
        merge_environments(&mut v);
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].env, None);
        assert_eq!(v[0].environments, ["dev", "prod", "test"]);
        assert_eq!(
            v[0].message,
            "`api` may or may not reach s3 in environments `dev`, `prod` and `test`: subnet x"
        );
        assert_eq!(
            v[0].flow_links(),
            [
                ("dev".to_string(), 2),
                ("prod".into(), 5),
                ("test".into(), 1)
            ]
        );
        assert_eq!(
            v[0].help.as_deref(),
            Some("run `reachlint explain p --env dev --service api --to s3`")
        );
        assert_eq!(v[1].env.as_deref(), Some("dev"));
        // one environment: untouched
        let mut one = vec![d("dev", 0)];
        merge_environments(&mut one);
        assert_eq!(one[0].env.as_deref(), Some("dev"));
        assert!(one[0].environments.is_empty());
    }

    #[test]
    fn words_without_a_slot_merge_only_when_equal_and_are_never_rewritten() {
        // a workload named like an environment: its name is no slot
        let at = Span::new(FileId(0), 3, 9);
        let d = |env: &str| {
            Diagnostic::at(RuleId::UnknownKey, at, "`prod` has an unknown key").env(Some(env))
        };
        let mut v = vec![d("dev"), d("prod")];
        merge_environments(&mut v);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].environments, ["dev", "prod"]);
        assert_eq!(v[0].message, "`prod` has an unknown key");
        let mut w = vec![
            Diagnostic::at(RuleId::UnknownKey, at, "`dev` here").env(Some("dev")),
            Diagnostic::at(RuleId::UnknownKey, at, "`prod` here").env(Some("prod")),
        ];
        merge_environments(&mut w);
        assert_eq!(w.len(), 2);
        assert_eq!(w[1].message, "`prod` here");
    }

    #[test]
    fn the_same_cause_at_several_places_is_one_finding() {
        let d = |start: usize| {
            Diagnostic::at(
                RuleId::UndefinedVariable,
                Span::new(FileId(0), start, start + 3),
                "`${TAG}` is not set",
            )
        };
        let other = Diagnostic::at(RuleId::UnknownKey, Span::new(FileId(0), 5, 6), "x");
        let mut v = vec![d(1), other.clone(), d(20), other, d(40)];
        merge_places(&mut v, &[RuleId::UndefinedVariable]);
        assert_eq!(v.len(), 3);
        assert_eq!(v[0].related.len(), 2);
        assert_eq!(v[0].location, Location::Span(Span::new(FileId(0), 1, 4)));
    }
}
