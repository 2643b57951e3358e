//! What part of a workspace the given paths and `--env`/`--service` ask
//! about (DECISIONS.md, "What `check PATH` covers").

use std::path::{Path, PathBuf};

use crate::base::diag::{Diagnostic, Location};
use crate::base::source::SourceMap;
use crate::door::Options;
use crate::load;

/// The asked-about part of one workspace.
#[derive(Debug, Default)]
pub struct Focus {
    /// Files or folders inside `copilot/`; empty means the whole workspace.
    paths: Vec<PathBuf>,
    services: Vec<String>,
    envs: Vec<String>,
}

/// A path inside `copilot/`, split into its parts.
fn parts(copilot_dir: &Path, p: &Path) -> Option<Vec<String>> {
    let rel = p.strip_prefix(copilot_dir).ok()?;
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy().to_string())
            .collect(),
    )
}

/// `environments/<env>/...` names an environment (not its addons or
/// overrides folder).
fn env_of(parts: &[String]) -> Option<&str> {
    match parts {
        [dir, env, ..] if dir == "environments" && env != "addons" && env != "overrides" => {
            Some(env)
        }
        _ => None,
    }
}

impl Focus {
    pub fn of(copilot_dir: &Path, opts: &Options) -> Focus {
        let mut f = Focus::default();
        for p in std::iter::once(&opts.path).chain(opts.also.iter()) {
            let abs = load::absolute(p);
            if abs.is_dir() {
                return Focus::default(); // a folder means its whole workspace
            }
            let Some(parts) = parts(copilot_dir, &abs) else {
                return Focus::default(); // the project root
            };
            if parts.is_empty() {
                return Focus::default();
            }
            if let Some(env) = env_of(&parts) {
                f.envs.push(env.to_string());
            } else if let [first, ..] = parts.as_slice() {
                if first != "environments" && !first.starts_with('.') && first != "pipelines" {
                    f.services.push(first.clone());
                }
            }
            f.paths.push(abs);
        }
        f
    }

    fn all(&self) -> bool {
        self.paths.is_empty()
    }

    pub fn wants_flow(&self, env: &str, service: &str) -> bool {
        self.all()
            || self.services.iter().any(|s| s == service)
            || self.envs.iter().any(|e| e == env)
    }

    fn wants_file(&self, p: &Path) -> bool {
        self.all() || self.paths.iter().any(|f| p.starts_with(f))
    }

    /// Keeps the findings in the asked-about paths that are not about
    /// another environment or workload than `--env`/`--service` name.
    pub fn retain(
        &self,
        copilot_dir: &Path,
        opts: &Options,
        sources: &SourceMap,
        diags: &mut Vec<Diagnostic>,
    ) {
        let other = |p: &Path| -> bool {
            let Some(parts) = parts(copilot_dir, p) else {
                return false;
            };
            if let Some(env) = env_of(&parts) {
                return !super::wanted_env(opts, env);
            }
            match parts.as_slice() {
                [w, _, ..] if w != "environments" && !w.starts_with('.') => {
                    opts.service.as_ref().is_some_and(|want| want != w)
                }
                _ => false,
            }
        };
        diags.retain(|d| {
            let path = match &d.location {
                Location::Span(s) => sources.file(s.file).path.clone(),
                Location::Path(p) => p.clone(),
            };
            let env_ok = d.env.as_ref().is_none_or(|e| super::wanted_env(opts, e));
            self.wants_file(&path) && !other(&path) && env_ok
        });
    }
}
