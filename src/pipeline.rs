//! One run of `reachlint check`: load → manifest/cfn → synth → model →
//! verify → rules. The report module renders the result.

use std::path::{Path, PathBuf};

use crate::base::diag::{Diagnostic, Location, Severity};
use crate::base::rule::RuleId;
use crate::base::source::SourceMap;
use crate::cfn::Resource;
use crate::load::{self, LoadError};
use crate::manifest::{self, Placement};
use crate::model::{ApiUse, Network, Origin};
use crate::repr::cfn::Builder;
use crate::rules;
use crate::synth::{self, addons, NatCause};
use crate::verify::{self, FlowResult};

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub path: PathBuf,
    /// More paths of the same workspace (files or folders inside it): the
    /// report then covers findings in those paths and the flows of their
    /// workloads and environments.
    pub also: Vec<PathBuf>,
    pub env: Option<String>,
    pub service: Option<String>,
    pub region: Option<String>,
}

/// The model and flows of one environment.
#[derive(Debug)]
pub struct EnvResult {
    pub env: String,
    pub network: Network,
    pub flows: Vec<FlowResult>,
}

#[derive(Debug)]
pub struct Report {
    pub sources: SourceMap,
    pub copilot_dir: PathBuf,
    pub diagnostics: Vec<Diagnostic>,
    pub envs: Vec<EnvResult>,
}

/// The tool could not run (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(
        "nothing to check under {0}: no environment or workload manifest in the `copilot/` folder"
    )]
    Nothing(PathBuf),
    #[error("environment `{0}` not found in the workspace (known: {1})")]
    UnknownEnv(String, String),
    #[error("service `{0}` not found in the workspace (known: {1})")]
    UnknownService(String, String),
}

/// What part of a workspace the given paths ask about.
#[derive(Debug, Default)]
struct Focus {
    /// Files or folders inside `copilot/`; empty means the whole workspace.
    paths: Vec<PathBuf>,
    services: Vec<String>,
    envs: Vec<String>,
}

impl Focus {
    fn of(copilot_dir: &Path, opts: &Options) -> Result<Focus, CheckError> {
        let mut f = Focus::default();
        let mut whole = false;
        for p in std::iter::once(&opts.path).chain(opts.also.iter()) {
            let abs = load::absolute(p);
            if abs.is_dir() {
                whole = true; // a folder means its whole workspace
                continue;
            }
            let Ok(rel) = abs.strip_prefix(copilot_dir) else {
                whole = true; // the project root
                continue;
            };
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().to_string())
                .collect();
            match parts.as_slice() {
                [] => whole = true,
                [env_dir, env, ..]
                    if env_dir == "environments" && env != "addons" && env != "overrides" =>
                {
                    f.envs.push(env.clone())
                }
                [first, ..]
                    if first != "environments"
                        && !first.starts_with('.')
                        && first != "pipelines" =>
                {
                    f.services.push(first.clone())
                }
                _ => {}
            }
            f.paths.push(abs);
        }
        if whole {
            return Ok(Focus::default());
        }
        Ok(f)
    }

    fn all(&self) -> bool {
        self.paths.is_empty()
    }

    fn wants_flow(&self, env: &str, service: &str) -> bool {
        self.all()
            || self.services.iter().any(|s| s == service)
            || self.envs.iter().any(|e| e == env)
    }

    fn wants_file(&self, p: &Path) -> bool {
        self.all() || self.paths.iter().any(|f| p.starts_with(f))
    }
}

pub fn region_from_env(flag: Option<String>) -> Option<String> {
    flag.or_else(|| std::env::var("AWS_REGION").ok())
        .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok())
        .filter(|s| !s.is_empty())
}

/// Checks every workspace the paths belong to (a pre-commit hook may pass
/// files of several), one report each, in path order.
pub fn check_many(opts: &Options) -> Result<Vec<Report>, CheckError> {
    let mut groups: Vec<(PathBuf, Vec<PathBuf>)> = Vec::new();
    for p in std::iter::once(&opts.path).chain(opts.also.iter()) {
        let dir = load::find_copilot_dir(p)?;
        match groups.iter_mut().find(|g| g.0 == dir) {
            Some(g) => g.1.push(p.clone()),
            None => groups.push((dir, vec![p.clone()])),
        }
    }
    groups
        .into_iter()
        .map(|(_, paths)| {
            let mut it = paths.into_iter();
            let path = it.next().unwrap_or_default();
            check(&Options {
                path,
                also: it.collect(),
                ..opts.clone()
            })
        })
        .collect()
}

pub fn check(opts: &Options) -> Result<Report, CheckError> {
    let copilot_dir = load::find_copilot_dir(&opts.path)?;
    let mut sources = SourceMap::new();
    let mut diags = Vec::new();
    let focus = Focus::of(&copilot_dir, opts)?;
    let ws = load::load_workspace(&copilot_dir, &mut sources, &mut diags);
    if ws.envs.is_empty() && ws.workloads.is_empty() {
        return Err(CheckError::Nothing(copilot_dir));
    }
    if let Some(e) = &opts.env {
        if !ws.envs.iter().any(|x| &x.name == e) {
            let known: Vec<&str> = ws.envs.iter().map(|x| x.name.as_str()).collect();
            return Err(CheckError::UnknownEnv(e.clone(), known.join(", ")));
        }
    }
    if let Some(s) = &opts.service {
        if !ws.workloads.iter().any(|x| &x.name == s) {
            let known: Vec<&str> = ws.workloads.iter().map(|x| x.name.as_str()).collect();
            return Err(CheckError::UnknownService(s.clone(), known.join(", ")));
        }
    }
    let app = ws
        .application
        .as_ref()
        .map(|a| a.0.clone())
        .unwrap_or_else(|| "app".to_string());
    let region = opts.region.clone();
    let lookup = |k: &str| std::env::var(k).ok();

    for w in &ws.workloads {
        manifest::lint_workload(w, !ws.envs.is_empty(), &mut diags);
        if let Some(o) = &w.overrides {
            diags.push(overrides_note(o));
        }
    }
    if let Some(o) = &ws.env_overrides {
        diags.push(overrides_note(o));
    }

    let mut envs = Vec::new();
    let mut flow_diags = Vec::new();
    for e in &ws.envs {
        let Some(em) = manifest::env_manifest(e, &mut diags) else {
            continue;
        };
        if opts.env.as_ref().is_some_and(|x| x != &e.name) {
            continue;
        }
        let env = e.name.as_str();
        // Every workload, merged for this environment.
        let mut merged = Vec::new();
        for w in &ws.workloads {
            if let Some((wl, undefined)) = manifest::workload_for_env(w, &app, env, &lookup) {
                manifest::undefined_diags(&undefined, &mut diags);
                if wl.is_rdws() {
                    if let Some(file) = w.manifest.file {
                        manifest::check_required(&wl.doc, file, Some(env), &mut diags);
                    }
                }
                merged.push((w, wl));
            }
        }
        let nat: Vec<NatCause> = merged
            .iter()
            .filter_map(|(_, wl)| match wl.placement {
                Placement::Private(span) => Some(NatCause {
                    workload: wl.name.clone(),
                    span,
                }),
                _ => None,
            })
            .collect();
        let mut env_stack = synth::environment(&app, &em, &nat);
        let mut resources: Vec<Resource> = env_stack.resources.clone();
        // Environment addons: evaluated in the environment stack; their
        // exports feed the workloads (`from_cfn`, `Fn::ImportValue`).
        if let Some(dir) = &ws.env_addons {
            let input = addons::AddonsInput {
                app: &app,
                env,
                workload: None,
                workload_resources: &env_stack.resources,
                exports: &env_stack.exports,
                region: region.as_deref(),
            };
            let out = addons::evaluate(dir, &input, &mut diags);
            for (name, value) in out.exports {
                env_stack.exports.insert(name, value);
            }
            resources.extend(out.resources);
        }
        let mut api: Vec<(String, ApiUse)> = Vec::new();
        for (w, wl) in &merged {
            if !wl.is_rdws() {
                continue;
            }
            let wres = synth::rdws(&app, env, wl, &env_stack.exports);
            if let Some(dir) = &w.addons {
                let input = addons::AddonsInput {
                    app: &app,
                    env,
                    workload: Some(&wl.name),
                    workload_resources: &wres,
                    exports: &env_stack.exports,
                    region: region.as_deref(),
                };
                let out = addons::evaluate(dir, &input, &mut diags);
                for so in &out.secret_outputs {
                    let policy = if out.managed_policies.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " and its instance role may read it ({})",
                            out.managed_policies.join(", ")
                        )
                    };
                    api.push((
                        wl.name.clone(),
                        ApiUse {
                            service: "secretsmanager".into(),
                            reason: format!(
                                "the service receives the Secrets Manager secret {} from addon output {} (as {} and {}_ARN){policy}, and reads it with the AWS SDK through its own egress",
                                so.secret, so.output, so.env_var, so.env_var
                            ),
                            origin: Origin::file(so.span),
                        },
                    ));
                }
                resources.extend(out.resources);
            }
            resources.extend(wres);
        }
        let closed = env_stack.managed_vpc.then(|| crate::cfn::ResRef {
            stack: crate::cfn::StackId::Environment,
            logical: "VPC".to_string(),
        });
        let mut network = Builder::new(&resources).closed_world(closed).build();
        for (name, use_) in api {
            if let Some(w) = network.workloads.iter_mut().find(|w| w.name == name) {
                if !w.api_uses.iter().any(|u| u.service == use_.service) {
                    w.api_uses.push(use_);
                }
            }
        }
        let mut flows: Vec<FlowResult> = verify::derive_flows(&network)
            .iter()
            .filter(|f| opts.service.as_ref().is_none_or(|s| s == &f.service))
            .filter(|f| focus.wants_flow(env, &f.service))
            .map(|f| verify::verify(&network, f))
            .collect();
        flows.sort_by(|a, b| {
            (
                a.flow.service.as_str(),
                a.flow.kind,
                a.flow.target.as_deref(),
            )
                .cmp(&(
                    b.flow.service.as_str(),
                    b.flow.kind,
                    b.flow.target.as_deref(),
                ))
        });
        for f in &flows {
            if let Some(d) = rules::reachability::diagnostic(env, f, &copilot_dir) {
                flow_diags.push(d);
            }
        }
        envs.push(EnvResult {
            env: env.to_string(),
            network,
            flows,
        });
    }
    envs.sort_by(|a, b| a.env.cmp(&b.env));
    // Findings in the asked-about paths (and, with --env/--service, not
    // about another environment or workload); every flow finding kept.
    let other = |p: &Path| -> bool {
        let Ok(rel) = p.strip_prefix(&copilot_dir) else {
            return false;
        };
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().to_string())
            .collect();
        match parts.as_slice() {
            [e, env, ..] if e == "environments" && env != "addons" && env != "overrides" => {
                opts.env.as_ref().is_some_and(|want| want != env)
            }
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
        let env_ok = match (&opts.env, &d.env) {
            (Some(want), Some(e)) => want == e,
            _ => true,
        };
        focus.wants_file(&path) && !other(&path) && env_ok
    });
    diags.extend(flow_diags);
    sort_diagnostics(&sources, &mut diags);
    Ok(Report {
        sources,
        copilot_dir,
        diagnostics: diags,
        envs,
    })
}

fn overrides_note(p: &Path) -> Diagnostic {
    Diagnostic::new(
        RuleId::OverridesUnverifiable,
        Location::Path(p.to_path_buf()),
        "CloudFormation overrides are present; reachlint cannot model what they change",
    )
    .help("verdicts assume the rendered stacks are not patched; check what the overrides change by hand")
}

/// Sorts by (file, line, column, rule) and drops exact duplicates.
pub fn sort_diagnostics(sources: &SourceMap, diags: &mut Vec<Diagnostic>) {
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

impl Report {
    pub fn count(&self, s: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == s).count()
    }

    /// Needed flows that are unreachable or partial.
    pub fn failed_needed(&self) -> usize {
        self.envs
            .iter()
            .flat_map(|e| &e.flows)
            .filter(|f| {
                f.flow.needed
                    && matches!(
                        f.verdict,
                        verify::Verdict::Unreachable | verify::Verdict::Partial
                    )
            })
            .count()
    }

    pub fn unknown(&self) -> usize {
        self.envs
            .iter()
            .flat_map(|e| &e.flows)
            .filter(|f| f.verdict == verify::Verdict::Unknown)
            .count()
    }

    /// Exit code per DECISIONS.md.
    pub fn exit_code(&self, strict: bool) -> i32 {
        let failing = self.count(Severity::Error) > 0 || self.failed_needed() > 0;
        let strict_fail = strict
            && (self.count(Severity::Warning) > 0
                || self.count(Severity::Note) > 0
                || self.unknown() > 0);
        if failing || strict_fail {
            1
        } else {
            0
        }
    }
}
