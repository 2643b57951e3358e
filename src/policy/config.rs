//! `.reachlint.toml`: which rules run and how loud, paths to ignore,
//! default environments and region, variables set at deploy time, and
//! declared flow policy. Found from the workspace root upward, or given
//! with `--config`. A key or value it does not know stops the run (exit 2)
//! with the file, line and column, as any bad tool input does.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::base::rule::{RuleId, Severity};
use crate::evidence::declared::{Declared, Expect};
use crate::model::flow::SourceName;

pub const FILE_NAME: &str = ".reachlint.toml";
/// Largest configuration file read.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;
/// Most declarations one configuration may hold.
pub const MAX_DECLARATIONS: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RawExpect {
    Reachable,
    Unreachable,
}

/// "service X must (not) reach Y".
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFlow {
    /// The workload whose ENIs the flow starts at (or `from`).
    #[serde(default)]
    service: Option<String>,
    /// Where the flow starts when not at a workload's ENIs: `internet`,
    /// `cidr:<block>` or a block, or a workload's name (as `service`).
    #[serde(default)]
    from: Option<String>,
    /// `database`, `database:<LogicalId>`, `internet`, `file-system`,
    /// `file-system:<name>`, `workload:<name>:<port>`,
    /// `load-balancer:<LogicalId>:<port>`, or an AWS API's endpoint name (`secretsmanager`,
    /// `s3`, ...): parsed into a `TargetName`; another name is RL405.
    to: String,
    expect: RawExpect,
    /// Only in this environment (default: every one).
    #[serde(default)]
    env: Option<String>,
    /// Why (shown with the flow).
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    #[serde(default)]
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    per_path_ignores: BTreeMap<String, Vec<Spanned<String>>>,
    #[serde(default)]
    environments: Vec<String>,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    variables: Vec<String>,
    #[serde(default)]
    flow: Vec<Spanned<RawFlow>>,
}

/// A rule selector: an id (`RL401`) or a family prefix (`RL4`, `RL40`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector(pub String);

impl Selector {
    pub fn parse(s: &str) -> Option<Selector> {
        let up = s.trim().to_ascii_uppercase();
        let digits = up.strip_prefix("RL")?;
        let ok = !digits.is_empty()
            && digits.len() <= 3
            && digits.chars().all(|c| c.is_ascii_digit())
            && RuleId::ALL.iter().any(|r| r.code().starts_with(&up));
        ok.then_some(Selector(up))
    }

    pub fn matches(&self, r: RuleId) -> bool {
        r.code().starts_with(&self.0)
    }
}

/// The configuration, checked.
#[derive(Debug, Default, Clone)]
pub struct Config {
    /// Where it was read from (None: no file).
    pub path: Option<PathBuf>,
    pub text: String,
    /// Rules that run; None means all.
    pub select: Option<Vec<Selector>>,
    pub ignore: Vec<Selector>,
    pub severity: Vec<(RuleId, Severity)>,
    /// Glob (relative to the directory holding the file) -> rules.
    pub per_path_ignores: Vec<(globset::GlobMatcher, Vec<Selector>)>,
    pub environments: Vec<String>,
    pub region: Option<String>,
    pub variables: Vec<String>,
    pub flows: Vec<Declared>,
}

/// A bad configuration: the message says where.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

fn at(path: &Path, text: &str, span: Option<std::ops::Range<usize>>, msg: &str) -> ConfigError {
    let (line, col) = match span {
        Some(r) => {
            let before = text.get(..r.start).unwrap_or(text);
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            (line, col)
        }
        None => (1, 1),
    };
    ConfigError(format!("{}:{line}:{col}: {msg}", path.display()))
}

impl Config {
    /// Parses and checks a configuration file's text.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let raw: Raw =
            toml::from_str(text).map_err(|e| at(path, text, e.span(), e.message().trim()))?;
        let sel = |s: &Spanned<String>| {
            Selector::parse(s.get_ref()).ok_or_else(|| {
                at(
                    path,
                    text,
                    Some(s.span()),
                    &format!(
                        "`{}` is not a rule id or family prefix (RL401, RL4, ...)",
                        s.get_ref()
                    ),
                )
            })
        };
        let select = match &raw.select {
            Some(l) => Some(l.iter().map(sel).collect::<Result<Vec<_>, _>>()?),
            None => None,
        };
        let ignore = raw.ignore.iter().map(sel).collect::<Result<Vec<_>, _>>()?;
        let mut severity = Vec::new();
        for (k, v) in &raw.severity {
            let rule = RuleId::from_code(k).ok_or_else(|| {
                at(
                    path,
                    text,
                    Some(v.span()),
                    &format!("`{k}` is not a rule id"),
                )
            })?;
            let s = match v.get_ref().as_str() {
                "error" => Severity::Error,
                "warning" => Severity::Warning,
                "note" => Severity::Note,
                other => {
                    return Err(at(
                        path,
                        text,
                        Some(v.span()),
                        &format!("severity `{other}` is not error, warning or note"),
                    ))
                }
            };
            severity.push((rule, s));
        }
        let mut per_path_ignores = Vec::new();
        for (glob, rules) in &raw.per_path_ignores {
            let rules = rules.iter().map(sel).collect::<Result<Vec<_>, _>>()?;
            let matcher = compile(glob).map_err(|e| {
                ConfigError(format!(
                    "{}: per-path-ignores: `{glob}` is not a glob: {e}",
                    path.display()
                ))
            })?;
            per_path_ignores.push((matcher, rules));
        }
        let declarations = raw.flow.len() + raw.per_path_ignores.len() + raw.severity.len();
        if declarations > MAX_DECLARATIONS {
            return Err(ConfigError(format!(
                "{}: {declarations} declarations (`[[flow]]`, `per-path-ignores`, `severity` entries), over the limit of {MAX_DECLARATIONS}",
                path.display()
            )));
        }
        let flows = raw
            .flow
            .iter()
            .map(|f| {
                let span = f.span();
                let r = f.get_ref().clone();
                let from = match (r.service, r.from) {
                    (Some(s), None) => SourceName::Workload(s),
                    (None, Some(f)) => SourceName::parse(&f)
                        .map_err(|e| at(path, text, Some(span.clone()), &format!("`from`: {e}")))?,
                    (Some(_), Some(_)) => {
                        return Err(at(
                            path,
                            text,
                            Some(span.clone()),
                            "a `[[flow]]` takes `service` (a workload's own flow) or `from` (`internet`, `cidr:<block>`, a workload), not both",
                        ))
                    }
                    (None, None) => {
                        return Err(at(
                            path,
                            text,
                            Some(span.clone()),
                            "a `[[flow]]` needs `service` (the workload it starts at) or `from` (`internet`, `cidr:<block>`, a workload)",
                        ))
                    }
                };
                Ok(Declared {
                    from,
                    target: crate::model::flow::TargetName::parse(&r.to),
                    to: r.to,
                    expect: match r.expect {
                        RawExpect::Reachable => Expect::Reachable,
                        RawExpect::Unreachable => Expect::Unreachable,
                    },
                    env: r.env,
                    reason: r.reason,
                    range: (span.start as u32, span.end as u32),
                })
            })
            .collect::<Result<Vec<Declared>, ConfigError>>()?;
        Ok(Config {
            path: Some(path.to_path_buf()),
            text: text.to_string(),
            select,
            ignore,
            severity,
            per_path_ignores,
            environments: raw.environments,
            region: raw.region,
            variables: raw.variables,
            flows,
        })
    }

    /// Reads the file at `path` (a regular file of at most
    /// [`MAX_CONFIG_BYTES`]; inside `fence` when one is given).
    pub fn read(
        path: &Path,
        fence: Option<&crate::base::guard::Fence>,
    ) -> Result<Config, ConfigError> {
        let text = crate::base::guard::read_text(path, fence, MAX_CONFIG_BYTES)
            .map_err(|e| ConfigError(format!("{}: {e}", path.display())))?;
        Config::parse(path, &text)
    }

    /// The first `.reachlint.toml` in `dir` or a folder above it.
    pub fn find(dir: &Path) -> Option<PathBuf> {
        dir.ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| crate::base::guard::present(p))
    }

    /// Whether a rule runs at all.
    pub fn selects(&self, r: RuleId) -> bool {
        self.select
            .as_ref()
            .is_none_or(|l| l.iter().any(|s| s.matches(r)))
            && !self.ignore.iter().any(|s| s.matches(r))
    }

    /// Whether findings of `r` in `file` (relative to the working directory,
    /// or absolute) are ignored by a per-path entry.
    pub fn path_ignores(&self, r: RuleId, file: &Path) -> bool {
        let base = self
            .path
            .as_ref()
            .and_then(|p| p.parent())
            .unwrap_or(Path::new(""));
        let abs = crate::load::absolute(file);
        let rel = abs
            .strip_prefix(crate::load::absolute(base))
            .map(|p| p.to_path_buf())
            .unwrap_or(abs);
        let rel = rel.to_string_lossy().replace('\\', "/");
        self.per_path_ignores
            .iter()
            .any(|(g, rules)| g.is_match(&rel) && rules.iter().any(|s| s.matches(r)))
    }
}

/// A shell-style glob over `/`-separated paths: `*` and `?` within one
/// part, `**` across parts; compiled to an automaton, so matching is linear
/// in the path whatever the pattern (no backtracking).
pub fn compile(pattern: &str) -> Result<globset::GlobMatcher, String> {
    globset::GlobBuilder::new(pattern.trim_start_matches("./"))
        .literal_separator(true)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| e.to_string())
}

/// Whether `path` matches `pattern` (an invalid pattern matches nothing).
pub fn glob(pattern: &str, path: &str) -> bool {
    compile(pattern).is_ok_and(|m| m.is_match(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new(".reachlint.toml"), t)
    }

    #[test]
    fn a_full_configuration() {
        let c = parse(
            r#"
select = ["RL1", "RL4"]
ignore = ["RL402"]
environments = ["test"]
region = "eu-west-1"
variables = ["IMAGE_TAG"]

[severity]
RL102 = "error"

[per-path-ignores]
"copilot/legacy/**" = ["RL102"]

[[flow]]
service = "api"
to = "internet"
expect = "unreachable"
reason = "isolated"
"#,
        )
        .unwrap();
        assert!(c.selects(RuleId::UnknownKey));
        assert!(!c.selects(RuleId::InformationalFlowBlocked));
        assert!(!c.selects(RuleId::MissingWorkspace));
        assert_eq!(c.severity, vec![(RuleId::UnknownKey, Severity::Error)]);
        assert!(c.path_ignores(
            RuleId::UnknownKey,
            Path::new("copilot/legacy/a/manifest.yml")
        ));
        assert!(!c.path_ignores(RuleId::UnknownKey, Path::new("copilot/api/manifest.yml")));
        assert_eq!(c.flows.len(), 1);
        assert_eq!(c.flows[0].expect, Expect::Unreachable);
        assert!(c.flows[0].range.1 > c.flows[0].range.0);
    }

    #[test]
    fn unknown_keys_and_bad_values_say_where() {
        let e = parse("selct = [\"RL1\"]\n").unwrap_err().0;
        assert!(e.starts_with(".reachlint.toml:1:1:"), "{e}");
        assert!(e.contains("selct"), "{e}");
        let e = parse("\nignore = [\"RL999\"]\n").unwrap_err().0;
        assert!(e.starts_with(".reachlint.toml:2:11:"), "{e}");
        let e = parse("[severity]\nRL102 = \"loud\"\n").unwrap_err().0;
        assert!(e.starts_with(".reachlint.toml:2:9:"), "{e}");
        let e = parse("[[flow]]\nservice = \"a\"\nto = \"internet\"\nexpect = \"maybe\"\n")
            .unwrap_err()
            .0;
        assert!(e.contains(".reachlint.toml:4:"), "{e}");
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_any_text(t in "\\PC{0,200}") {
            let _ = parse(&t);
            let f = crate::base::source::SourceFile::new("a".into(), "a".into(), t.clone());
            let _ = crate::policy::inline::directives(crate::base::source::FileId(0), &f);
            let _ = glob(&t, "copilot/a/b.yml");
        }
    }

    #[test]
    fn globs() {
        assert!(glob("copilot/**", "copilot/a/b.yml"));
        assert!(glob("copilot/*/manifest.yml", "copilot/api/manifest.yml"));
        assert!(!glob("copilot/*/manifest.yml", "copilot/a/b/manifest.yml"));
        assert!(glob("**/addons/*.yml", "copilot/api/addons/db.yml"));
        assert!(glob("copilot/ap?/**", "copilot/api/x"));
        assert!(glob("**/manifest.yml", "manifest.yml"));
        assert!(!glob("copilot/*", "copilot/a/b"));
    }

    /// Twelve `**/a` parts against a long path that almost matches: a
    /// backtracking matcher takes exponential time; the automaton is
    /// linear (this finishes at once).
    #[test]
    fn a_glob_of_many_double_stars_does_not_backtrack() {
        let pattern = "**/a/".repeat(12) + "b";
        let path = "a/".repeat(40) + "c";
        assert!(!glob(&pattern, &path));
    }
}
