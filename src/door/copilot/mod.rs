//! The Copilot workspace front door. Each step is a function named for the
//! Copilot behaviour it carries out:
//!
//! 1. [`check`]: find the workspace, load it, lint every workload;
//! 2. per environment ([`environment`]): merge every workload for it
//!    ([`merged_workloads`]), decide who makes Copilot create NAT gateways
//!    ([`nat_causes`]), synthesize the environment stack and evaluate its
//!    addons ([`environment_stack`]), synthesize each workload's stack and
//!    evaluate its addons ([`workload_stacks`]), keep the secrets it is
//!    handed as API evidence ([`handed_secrets`]);
//! 3. convert everything through `repr::cfn` into the model, adding what
//!    only the manifests say ([`network`]: the closed world of a managed VPC,
//!    the `from_tags` world without a connector);
//! 4. [`crate::door::prove_declared`] with the prover the app hands it,
//!    the configuration's declared flows, and Copilot's wording of each
//!    remedy ([`advice`]).

pub mod advice;
pub mod focus;
mod peers;

use std::path::{Path, PathBuf};

use crate::base::diag::sort_diagnostics;
use crate::base::diag::{Diagnostic, Location};
use crate::base::rule::RuleId;
use crate::base::source::{FileId, SourceMap, Span};
use crate::base::unknown::{Fact, Missing};
use crate::cfn::{ResRef, Resource, StackId};
use crate::door::{CheckError, Options, Services};
use crate::evidence::references::{Reference, Referenced, Via};
use crate::evidence::task::{SecretStore, TaskFacts};
use crate::load::{self, WorkloadDir, Workspace};
use crate::manifest::{self, CopilotStack, EnvManifest, Placement, Workload};
use crate::model::{Egress, FsUse, Network, Origin};
use crate::outcome::{EnvResult, Report, Unchecked, UncheckedCode};
use crate::repr::cfn::{app_runner_managed_egress, Builder, Index};
use crate::rules::reachability::datastore_not_modelled;
use crate::synth::{self, addons, EnvStack, NatCause};
use focus::Focus;

/// The Copilot workspace door.
pub struct WorkspaceDoor;

impl crate::door::Door for WorkspaceDoor {
    /// Any path inside a workspace, or several paths (files a hook passes).
    fn recognises(&self, opts: &Options) -> bool {
        !opts.also.is_empty() || opts.path.is_file() || load::find_copilot_dir(&opts.path).is_ok()
    }

    fn check(&self, opts: &Options, services: &Services) -> Result<Vec<Report>, CheckError> {
        check_many(opts, services)
    }
}

/// Checks every workspace the paths belong to (a pre-commit hook may pass
/// files of several), one report each, in path order. A file that is not a
/// Copilot file (not YAML, not `.workspace`, or outside any `copilot/`) is
/// skipped with a note (RL905); only when nothing is left is it an error.
pub fn check_many(opts: &Options, services: &Services) -> Result<Vec<Report>, CheckError> {
    let mut groups: Vec<(PathBuf, Vec<PathBuf>)> = Vec::new();
    let mut skipped = Vec::new();
    let mut first_error = None;
    for p in std::iter::once(&opts.path).chain(opts.also.iter()) {
        let is_file = p.is_file();
        if is_file && !is_copilot_file(p) {
            skipped.push(p.clone());
            continue;
        }
        let dir = match load::find_copilot_dir(p) {
            Ok(d) => d,
            Err(e) if is_file => {
                skipped.push(p.clone());
                first_error.get_or_insert(e);
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        match groups.iter_mut().find(|g| g.0 == dir) {
            Some(g) => g.1.push(p.clone()),
            None => groups.push((dir, vec![p.clone()])),
        }
    }
    if groups.is_empty() {
        return Err(match first_error {
            Some(e) => e.into(),
            None => CheckError::NothingToCheck(skipped),
        });
    }
    let mut reports = groups
        .into_iter()
        .map(|(_, paths)| {
            let mut it = paths.into_iter();
            let path = it.next().unwrap_or_default();
            check(
                &Options {
                    path,
                    also: it.collect(),
                    ..opts.clone()
                },
                services,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(r) = reports.first_mut() {
        for p in skipped {
            r.diagnostics
                .push(crate::rules::limits::skipped_path::diagnostic(
                    &load::absolute(&p),
                ));
        }
        let sources = &r.sources;
        sort_diagnostics(sources, &mut r.diagnostics);
    }
    Ok(reports)
}

/// A file reachlint reads: YAML, or `.workspace`.
fn is_copilot_file(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name == ".workspace" || name.ends_with(".yml") || name.ends_with(".yaml")
}

/// What every environment's steps share.
struct Run<'a> {
    ws: &'a Workspace,
    prover: &'a dyn crate::door::Prover,
    opts: &'a Options,
    focus: &'a Focus,
    app: String,
    /// The configuration file, when flows are declared in it.
    config: Option<FileId>,
    sources: &'a SourceMap,
    /// [`unseen_overrides`].
    unseen: Vec<(Option<String>, PathBuf)>,
}

impl Run<'_> {
    /// The workspace as `reachlint explain` takes it, to paste.
    fn workspace_arg(&self) -> String {
        let root = self.ws.copilot_dir.parent().unwrap_or(&self.ws.copilot_dir);
        crate::rules::reachability::shell_word(&self.sources.display_path(root))
    }

    /// Applies a `cfn.patches.yml` to one synthesized stack (its refusals
    /// were reported when the workspace was linted); returns the exports
    /// its patched outputs add.
    fn apply_patches(
        &self,
        file: Option<&load::YamlFile>,
        cx: &synth::patches::Context,
        resources: &mut Vec<Resource>,
    ) -> crate::cfn::Exports {
        let Some(doc) = file.and_then(|f| f.doc.as_ref()) else {
            return crate::cfn::Exports::new();
        };
        let (patches, _) = synth::patches::read(doc);
        let at = |s: Span| {
            (
                self.sources.display(s.file).to_string(),
                self.sources.start(s).line,
            )
        };
        synth::patches::apply(&patches, cx, resources, &at)
    }

    /// The export-name prefixes of the stacks an override may change in
    /// `env` (Copilot applies overrides to the rendered stack, so they may
    /// add outputs and exports reachlint does not see), with the file:
    /// `<app>-<env>-<workload>-` for a workload's, `<app>-<env>-` for the
    /// environment's.
    fn unseen_exports(&self, env: &str) -> Vec<(String, PathBuf)> {
        self.unseen
            .iter()
            .map(|(w, f)| match w {
                Some(w) => (
                    CopilotStack::workload(&self.app, env, w).export_prefix(),
                    f.clone(),
                ),
                None => (
                    CopilotStack::environment(&self.app, env).export_prefix(),
                    f.clone(),
                ),
            })
            .collect()
    }
}

/// The stacks whose exports an override may add unseen (a workload's, or
/// None for the environment's), with the override's file as the workspace
/// names it (`copilot/api/overrides/...`). YAML patches reachlint read are
/// applied, so their exports are seen when it can tell their names; a CDK
/// app, or a patch file it could not read, is not. Worked out once a run.
fn unseen_overrides(ws: &Workspace, app: &str) -> Vec<(Option<String>, PathBuf)> {
    // whether a name can be told does not depend on the environment's
    let seen = |file: Option<&load::YamlFile>, names: &synth::patches::StackNames| {
        file.and_then(|f| f.doc.as_ref()).is_some_and(|doc| {
            let (patches, _) = synth::patches::read(doc);
            synth::patches::exports_all_named(&patches, names)
        })
    };
    let mut out: Vec<(Option<String>, PathBuf)> = ws
        .workloads
        .iter()
        .filter(|w| {
            let names = synth::patches::StackNames::workload(app, "env", &w.name);
            !seen(w.patches.as_ref(), &names)
        })
        .filter_map(|w| Some((Some(w.name.clone()), override_file(w.overrides.as_ref()?))))
        .collect();
    let env_names = synth::patches::StackNames::environment(app, "env");
    if let (Some(o), false) = (&ws.env_overrides, seen(ws.env_patches.as_ref(), &env_names)) {
        out.push((None, override_file(o)));
    }
    let root = ws.copilot_dir.parent().unwrap_or(Path::new(""));
    for (_, f) in &mut out {
        if let Ok(rel) = f.strip_prefix(root) {
            *f = rel.to_path_buf();
        }
    }
    out
}

pub fn check(opts: &Options, services: &Services) -> Result<Report, CheckError> {
    let copilot_dir = load::find_copilot_dir(&opts.path)?;
    let mut sources = SourceMap::new();
    let mut diags = Vec::new();
    let focus = Focus::of(&copilot_dir, opts);
    let ws = load::load_workspace(&copilot_dir, &mut sources, &mut diags);
    if ws.envs.is_empty() && ws.workloads.is_empty() {
        return Err(CheckError::Nothing(copilot_dir));
    }
    let named_only = manifest::envs_named_only_by_workloads(&ws.workloads, &ws.envs);
    check_names(&ws, &named_only, opts)?;
    let assume = opts.assume == crate::door::Assume::Default;
    // the workspace names no environment: checked in the one `copilot
    // init` creates, unless a workload places itself in named subnets
    let default_env = ws.envs.is_empty()
        && named_only.is_empty()
        && assume
        && !places_in_named_subnets(&ws, DEFAULT_ENV);
    // required fields are checked per environment when there is one
    lint_workloads(
        &ws,
        !ws.envs.is_empty() || !named_only.is_empty() || default_env,
        &mut diags,
    );
    let config = opts
        .config_file
        .as_ref()
        .filter(|_| !opts.declared.is_empty())
        .map(|(p, text)| sources.add(p.clone(), text.clone()));
    let app = ws
        .application
        .as_ref()
        .map(|a| a.0.clone())
        .unwrap_or_else(|| "app".to_string());
    let run = Run {
        ws: &ws,
        prover: services.prover,
        opts,
        focus: &focus,
        unseen: unseen_overrides(&ws, &app),
        app,
        config,
        sources: &sources,
    };
    let mut envs = Vec::new();
    let mut flow_diags = Vec::new();
    let mut unchecked = Vec::new();
    let lookup = |k: &str| deploy_time_variable(opts, k);
    let mut manifests: Vec<EnvManifest> = ws
        .envs
        .iter()
        .filter_map(|e| manifest::env_manifest(e, &run.app, &lookup, &mut diags))
        .collect();
    manifests.extend(without_manifest(&ws, &named_only, assume, default_env));
    for e in &ws.envs {
        if let Some(doc) = &e.manifest.doc {
            crate::rules::copilot::copilot_rejects::check_environment(doc, &mut diags);
        }
    }
    for em in manifests.iter().filter(|em| wanted_env(opts, &em.name)) {
        let mut found = Vec::new();
        let (result, fd) = environment(&run, em, &mut found);
        assumed_findings(&run, em, &mut found);
        diags.extend(found);
        flow_diags.extend(fd);
        unchecked.extend(unchecked_in(&run, Some(&em.name)));
        envs.push(result);
    }
    let unread = unread_environments(&ws, opts, &mut unchecked);
    if manifests.is_empty() && unread.is_empty() {
        unchecked.extend(unchecked_in(&run, None));
        diags.extend(deploy_blockers_without_environment(&run));
    }
    envs.sort_by(|a, b| a.env.cmp(&b.env));
    if let Some(step) = services.deployed {
        let env = match (&opts.env, envs.as_slice()) {
            (Some(e), _) => e.clone(),
            (None, [one]) => one.env.clone(),
            (None, all) => {
                return Err(CheckError::SnapshotNeedsEnv(
                    all.iter()
                        .map(|e| e.env.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                ))
            }
        };
        let files = envs.iter().find(|e| e.env == env);
        let offset = files.map_or(0, |f| f.flows.len());
        let deployed = step.prove_deployed(&crate::door::DeployedQuestion {
            app: &run.app,
            files,
            env_span: manifests.iter().find(|m| m.name == env).map(|m| m.span),
            stacks: stack_names(&run, &env),
            workspace_arg: run.workspace_arg(),
            snapshot_display: opts.snapshot.as_ref().map(|d| run.sources.display_path(d)),
            fallback: copilot_dir.clone(),
        })?;
        if let Some((live, mut fd)) = deployed.result {
            for d in &mut fd {
                d.shift_flows(offset);
            }
            flow_diags.extend(fd);
            envs.push(live);
        }
        diags.extend(deployed.notes);
    }
    unchecked.sort_by(|a: &Unchecked, b| (&a.env, &a.service).cmp(&(&b.env, &b.service)));
    // Findings in the asked-about paths; every flow finding kept.
    focus.retain(&copilot_dir, opts, &sources, &mut diags);
    if opts.strict {
        for d in diags
            .iter_mut()
            .filter(|d| d.rule == RuleId::UndefinedVariable)
        {
            d.severity = crate::base::Severity::Error;
        }
    }
    refer_to_causes(&copilot_dir, &sources, &envs, &diags, &mut flow_diags);
    diags.extend(flow_diags);
    crate::base::diag::merge_environments(&mut diags);
    sort_diagnostics(&sources, &mut diags);
    crate::base::diag::merge_places(
        &mut diags,
        &[
            RuleId::UndefinedVariable,
            RuleId::MissingExport,
            RuleId::EngineVersionNotListed,
            RuleId::EngineVersionNotOffered,
        ],
    );
    Ok(Report {
        sources,
        copilot_dir,
        diagnostics: diags,
        envs,
        unchecked,
    })
}

/// The environments without a manifest: each one the workloads'
/// `environments:` blocks name (`named_only`), and `test` when the files
/// name none (`default_env`). Each is checked against Copilot's default
/// environment, stated on every verdict; its network is unknown when the
/// files say it imports a VPC, or under `--assume none` (`assume` false).
fn without_manifest(
    ws: &Workspace,
    named_only: &[(String, Span)],
    assume: bool,
    default_env: bool,
) -> Vec<EnvManifest> {
    let mut out: Vec<EnvManifest> = named_only
        .iter()
        .map(|(name, span)| {
            if assume && !places_in_named_subnets(ws, name) {
                EnvManifest::assumed_default(
                    name,
                    *span,
                    &format!("`{name}` has no manifest (copilot/environments/{name}/manifest.yml)"),
                )
            } else {
                EnvManifest::missing(name, *span)
            }
        })
        .collect();
    if default_env {
        if let Some(file) = ws.workloads.iter().find_map(|w| w.manifest.file) {
            out.push(EnvManifest::assumed_default(
                DEFAULT_ENV,
                Span::new(file, 0, 0),
                &format!("the files name no environment (no copilot/environments/<env>/manifest.yml, and no workload's `environments:` names one), so it is `{DEFAULT_ENV}`, the one `copilot init` creates"),
            ));
        }
    }
    out
}

/// The environment `copilot init` creates, which a workspace that names
/// none is checked against.
const DEFAULT_ENV: &str = "test";

/// Whether a workload places itself in `env`'s subnets by id or with
/// `from_tags` (`network.vpc.placement.subnets`, at the top level or in the
/// environment's block): the environment then imports a VPC, whose network
/// the files do not give, so nothing is assumed about it.
fn places_in_named_subnets(ws: &Workspace, env: &str) -> bool {
    const SUBNETS: [&str; 4] = ["network", "vpc", "placement", "subnets"];
    ws.workloads.iter().any(|w| {
        let Some(doc) = &w.manifest.doc else {
            return false;
        };
        let in_env = doc
            .get("environments")
            .and_then(|e| e.get(env))
            .and_then(|e| e.path(&SUBNETS));
        doc.path(&SUBNETS).or(in_env).is_some_and(|n| !n.is_null())
    })
}

/// The findings of an environment checked under an assumption: an error
/// that only the assumed network makes (it is not there when the
/// environment's network is unknown) becomes a warning, since an
/// assumption never makes an error; and the note that states the
/// assumption (RL213). The flows' own findings already say it.
fn assumed_findings(run: &Run, em: &EnvManifest, found: &mut Vec<Diagnostic>) {
    use crate::base::Severity;
    let Some(a) = &em.assumed else {
        return;
    };
    let unknown = EnvManifest::missing(&em.name, em.span);
    let mut certain = Vec::new();
    let _ = environment(run, &unknown, &mut certain);
    for d in found.iter_mut().filter(|d| d.severity == Severity::Error) {
        let also_unknown = certain.iter().any(|c| {
            c.severity == Severity::Error
                && c.rule == d.rule
                && c.location == d.location
                && c.message == d.message
        });
        if !also_unknown {
            d.severity = Severity::Warning;
        }
    }
    found.push(crate::rules::copilot::assumed_environment::diagnostic(
        &em.name, a,
    ));
}

/// With no environment known at all, the addon templates' deploy blockers
/// (an engine version RDS no longer creates, Aurora Serverless v1) are
/// still certain: they hold in whichever environment the stacks are
/// deployed. The stacks are evaluated once in a stand-in environment whose
/// network is unknown, and only the findings about the templates that name
/// no environment are kept.
fn deploy_blockers_without_environment(run: &Run) -> Vec<Diagnostic> {
    let Some(file) = run.ws.workloads.iter().find_map(|w| w.manifest.file) else {
        return vec![];
    };
    let stand_in = EnvManifest::missing("(no environment)", Span::new(file, 0, 0));
    let mut scratch = Vec::new();
    let (_, flow_diags) = environment(run, &stand_in, &mut scratch);
    scratch
        .into_iter()
        .chain(flow_diags)
        .filter(|d| d.env.is_none() && d.rule.code().starts_with("RL5"))
        .collect()
}

/// The stacks of the environment `opts.env` (or the workspace's only one).
pub fn stacks_for(opts: &Options) -> Result<Vec<String>, CheckError> {
    let copilot_dir = load::find_copilot_dir(&opts.path)?;
    let mut sources = SourceMap::new();
    let mut diags = Vec::new();
    let ws = load::load_workspace(&copilot_dir, &mut sources, &mut diags);
    let app = ws
        .application
        .as_ref()
        .map(|a| a.0.clone())
        .unwrap_or_else(|| "app".to_string());
    let names: Vec<&str> = ws.envs.iter().map(|e| e.name.as_str()).collect();
    let env = match (&opts.env, names.as_slice()) {
        (Some(e), _) if names.contains(&e.as_str()) => e.clone(),
        (Some(e), _) => return Err(CheckError::UnknownEnv(e.clone(), names.join(", "))),
        (None, [one]) => one.to_string(),
        (None, _) => return Err(CheckError::SnapshotNeedsEnv(names.join(", "))),
    };
    let mut out = vec![CopilotStack::environment(&app, &env).name()];
    out.extend(
        ws.workloads
            .iter()
            .map(|w| CopilotStack::workload(&app, &env, &w.name).name()),
    );
    Ok(out)
}

/// The stacks Copilot names for one environment: its own and each
/// workload's (their nested addons stacks are found from them).
fn stack_names(run: &Run, env: &str) -> Vec<String> {
    let mut out = vec![CopilotStack::environment(&run.app, env).name()];
    out.extend(
        run.ws
            .workloads
            .iter()
            .map(|w| CopilotStack::workload(&run.app, env, &w.name).name()),
    );
    out
}

/// The environments whose manifest could not be read: their workloads are
/// named unchecked there (the manifest's finding says why).
fn unread_environments<'w>(
    ws: &'w load::Workspace,
    opts: &Options,
    unchecked: &mut Vec<Unchecked>,
) -> Vec<&'w str> {
    let unread: Vec<&str> = ws
        .envs
        .iter()
        .filter(|e| e.manifest.doc.is_none() && wanted_env(opts, &e.name))
        .map(|e| e.name.as_str())
        .collect();
    for env in &unread {
        unchecked.extend(
            ws.workloads
                .iter()
                .filter(|w| opts.service.as_ref().is_none_or(|s| s == &w.name))
                .map(|w| Unchecked {
                    env: Some((*env).to_string()),
                    service: w.name.clone(),
                    code: UncheckedCode::UnreadableManifest,
                    reason: format!(
                        "the manifest of environment `{env}` could not be read (see its finding)"
                    ),
                }),
        );
    }
    unread
}

/// The workloads of one environment (None: the workspace has none) that
/// get no flows, each with why: never silence.
fn unchecked_in(run: &Run, env: Option<&str>) -> Vec<Unchecked> {
    let mut out = Vec::new();
    for w in &run.ws.workloads {
        let wanted = run.opts.service.as_ref().is_none_or(|s| s == &w.name)
            && env.is_none_or(|e| run.focus.wants_flow(e, &w.name));
        if !wanted {
            continue;
        }
        let wtype = w
            .manifest
            .doc
            .as_ref()
            .and_then(|d| d.get("type"))
            .and_then(|t| t.as_str())
            .map(|t| (t, manifest::WorkloadType::parse(t)));
        let (code, reason) = match (env, wtype) {
            (None, _) => (
                UncheckedCode::NoEnvironment,
                "the workspace has no environment (no copilot/environments/<env>/manifest.yml, and no workload names one)".to_string(),
            ),
            (_, Some((_, Some(manifest::WorkloadType::StaticSite)))) => (
                UncheckedCode::NotNetworkAttached,
                "a Static Site is served from S3 and CloudFront; it has no network interfaces to check".to_string(),
            ),
            (_, Some((_, Some(_)))) => continue,
            (_, Some((t, None))) => (
                UncheckedCode::UnknownWorkloadType,
                format!("`type: {t}` is not a Copilot workload type (RL205), so nothing can be synthesized"),
            ),
            (_, None) if w.manifest.doc.is_some() => (
                UncheckedCode::UnknownWorkloadType,
                "the manifest has no `type` (RL105), so nothing can be synthesized".to_string(),
            ),
            (_, None) => (
                UncheckedCode::UnreadableManifest,
                "the manifest could not be read (see its finding)".to_string(),
            ),
        };
        out.push(Unchecked {
            env: env.map(str::to_string),
            service: w.name.clone(),
            code,
            reason,
        });
    }
    out
}

/// A failing flow refers to the findings that may cause it: a key Copilot
/// ignores or a value it rejects in the workload's own files (its manifest
/// and addons) in the same environment.
fn refer_to_causes(
    copilot_dir: &Path,
    sources: &SourceMap,
    envs: &[EnvResult],
    diags: &[Diagnostic],
    flow_diags: &mut [Diagnostic],
) {
    for fd in flow_diags.iter_mut() {
        let (Some(env), Some(i)) = (fd.env.as_deref(), fd.flow) else {
            continue;
        };
        let Some(f) = envs
            .iter()
            .find(|e| e.env == env)
            .and_then(|e| e.flows.get(i))
        else {
            continue;
        };
        let dir = copilot_dir.join(&f.flow.service);
        for d in diags {
            let (Location::Span(s), true) = (
                &d.location,
                matches!(
                    d.rule,
                    RuleId::UnknownKey
                        | RuleId::InvalidValue
                        | RuleId::SecurityGroupOutputNotAttached
                ),
            ) else {
                continue;
            };
            let same_env = d.env.as_deref().is_none_or(|e| e == env);
            if same_env && sources.file(s.file).path.starts_with(&dir) {
                fd.related.push((
                    *s,
                    format!("{} here may be the cause: {}", d.rule, d.message),
                ));
            }
        }
    }
}

/// The databases whose endpoint or secret the workload's addons output
/// (Copilot hands every output to the service as a variable).
fn output_references(index: &Index, outputs: &[(String, crate::cfn::Value)]) -> Vec<Referenced> {
    outputs
        .iter()
        .filter_map(|(name, v)| {
            let reference = match &v.kind {
                crate::cfn::VKind::Attr(rr, attr) if attr.starts_with("Endpoint") => {
                    Reference::DbEndpoint(*index.dbs.get(rr)?)
                }
                crate::cfn::VKind::Res(rr) => Reference::DbSecret(*index.db_secrets.get(rr)?),
                _ => return None,
            };
            Some(Referenced {
                reference,
                via: Via::AddonOutput(name.clone()),
                origin: Origin::file(v.span),
            })
        })
        .collect()
}

/// The EFS volumes the workload's tasks mount when they start.
fn fs_uses(wl: &Workload, index: &Index, exports: &crate::cfn::Exports) -> Vec<FsUse> {
    wl
        .efs
        .iter()
        .map(|v| {
            let env_fs = ResRef {
                stack: StackId::Environment,
                logical: "FileSystem".into(),
            };
            let (fs, reason, span) = match v {
                manifest::EfsVolume::Managed(name, sp) => (
                    index.file_systems.get(&env_fs).copied().ok_or_else(|| {
                        Missing::other("the environment's managed file system")
                    }),
                    format!("the task mounts the environment's managed EFS file system as volume `{name}` when it starts"),
                    *sp,
                ),
                manifest::EfsVolume::Id(name, id, sp) => (
                    Err(Missing::new(
                        Fact::FileSystem(id.clone()),
                        format!(
                            "file system {id} (not in the workspace: its mount targets and groups are unknown)"
                        ),
                    )),
                    format!("the task mounts EFS file system {id} as volume `{name}` when it starts"),
                    *sp,
                ),
                manifest::EfsVolume::FromCfn(name, export, sp) => (
                    exports
                        .get(export)
                        .and_then(|v| v.resource())
                        .and_then(|rr| index.file_systems.get(rr).copied())
                        .ok_or_else(|| {
                            Missing::new(
                                Fact::Import(export.clone()),
                                format!("the file system of export {export}"),
                            )
                        }),
                    format!("the task mounts the EFS file system of export {export} as volume `{name}` when it starts"),
                    *sp,
                ),
            };
            let origin = Origin::file(Some(span));
            FsUse {
                fs: fs.map_err(|m| m.with_origin(origin.clone())),
                reason,
                origin,
            }
        })
        .collect()
}

/// What the workload references, stated as facts for
/// `evidence::references`: its addons' outputs, and each `from_cfn` name
/// resolved through the exports (a database's endpoint or secret, a
/// security group, a secret read when the task starts); and its EFS
/// volumes.
fn references(
    network: &mut Network,
    index: &Index,
    resources: &[Resource],
    exports: &crate::cfn::Exports,
    wl: &Workload,
    outputs: &[(String, crate::cfn::Value)],
) {
    let Some(wi) = network.workloads.iter().position(|w| w.name == wl.name) else {
        return;
    };
    let kind_of = |rr: &ResRef| {
        resources
            .iter()
            .find(|r| r.stack == rr.stack && r.logical == rr.logical)
            .map(|r| r.rtype.as_str())
    };
    let mut refs = output_references(index, outputs);
    for (name, span) in &wl.references {
        let origin = Origin::file(Some(*span));
        let mut push = |reference| {
            refs.push(Referenced {
                reference,
                via: Via::Export(name.clone()),
                origin: origin.clone(),
            })
        };
        // the database's endpoint, handed over in a variable
        if let Some(crate::cfn::VKind::Attr(rr, attr)) = exports.get(name).map(|v| &v.kind) {
            if let (true, Some(db)) = (attr.starts_with("Endpoint"), index.dbs.get(rr)) {
                push(Reference::DbEndpoint(*db));
            }
        }
        let Some(rr) = exports.get(name).and_then(|v| v.resource()) else {
            continue;
        };
        if let Some(db) = index.db_secrets.get(rr) {
            push(Reference::DbSecret(*db));
        }
        if let Some(sg) = index.sgs.get(rr) {
            push(Reference::SecurityGroup(*sg));
        }
        let secret = wl
            .secrets
            .iter()
            .any(|s| matches!(&s.source, manifest::SecretSource::FromCfn(n) if n == name));
        let store = match kind_of(rr) {
            Some("AWS::SecretsManager::Secret") => Some(SecretStore::SecretsManager),
            Some("AWS::SSM::Parameter") => Some(SecretStore::Ssm),
            _ => None,
        };
        if let (true, Some(store), false) = (secret, store, wl.is_rdws()) {
            push(Reference::SecretAtStart(store));
        }
    }
    let fs_uses = fs_uses(wl, index, exports);
    network.workloads[wi].fs_uses.extend(fs_uses);
    crate::evidence::references::add(network, wi, &refs);
}

/// Data stores reachlint does not model: a note each, never silence.
fn not_modelled(env: &str, resources: &[Resource]) -> Vec<Diagnostic> {
    const KINDS: &[(&str, &str)] = &[
        ("AWS::DocDB::DBCluster", "DocumentDB cluster"),
        ("AWS::Neptune::DBCluster", "Neptune cluster"),
        ("AWS::MemoryDB::Cluster", "MemoryDB cluster"),
        ("AWS::Redshift::Cluster", "Redshift cluster"),
        ("AWS::OpenSearchService::Domain", "OpenSearch domain"),
    ];
    resources
        .iter()
        .filter_map(|r| {
            let (_, what) = KINDS.iter().find(|(t, _)| *t == r.rtype)?;
            let span = r.origin.span()?;
            Some(datastore_not_modelled::diagnostic(
                span, env, what, &r.logical,
            ))
        })
        .collect()
}

/// A `${NAME}` of a manifest: the process environment's value, else, when
/// the configuration says it is set at deploy time, its own `${NAME}` text.
fn deploy_time_variable(opts: &Options, k: &str) -> Option<String> {
    std::env::var(k).ok().or_else(|| {
        opts.variables
            .iter()
            .any(|v| v == k)
            .then(|| format!("${{{k}}}"))
    })
}

/// `--env` (else the configuration's environments) first; no filter
/// means every environment.
fn wanted_env(opts: &Options, env: &str) -> bool {
    match &opts.env {
        Some(e) => e == env,
        None => opts.environments.is_empty() || opts.environments.iter().any(|e| e == env),
    }
}

/// `--env`, the configured environments and `--service` must name
/// something of the workspace.
fn check_names(
    ws: &Workspace,
    named_only: &[(String, Span)],
    opts: &Options,
) -> Result<(), CheckError> {
    let asked: Vec<&String> = match &opts.env {
        Some(e) => vec![e],
        None => opts.environments.iter().collect(),
    };
    for e in asked {
        // with none named, the assumed one (`test`) may be asked for
        let assumed = ws.envs.is_empty()
            && named_only.is_empty()
            && opts.assume == crate::door::Assume::Default
            && e == DEFAULT_ENV;
        let known_env =
            assumed || ws.envs.iter().any(|x| &x.name == e) || named_only.iter().any(|x| &x.0 == e);
        if !known_env {
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
    Ok(())
}

/// File-level rules of every workload manifest, and a note for every
/// overrides folder (reachlint cannot see what they patch).
fn lint_workloads(ws: &Workspace, has_envs: bool, diags: &mut Vec<Diagnostic>) {
    for w in &ws.workloads {
        manifest::lint_workload(w, has_envs, diags);
        if let Some(o) = &w.overrides {
            diags.push(overrides_note(o));
        }
    }
    if let Some(o) = &ws.env_overrides {
        diags.push(overrides_note(o));
    }
    let patch_files = ws
        .workloads
        .iter()
        .map(|w| &w.patches)
        .chain([&ws.env_patches]);
    for doc in patch_files.flatten().filter_map(|f| f.doc.as_ref()) {
        let (_, refused) = synth::patches::read(doc);
        diags.extend(
            refused
                .iter()
                .map(crate::rules::copilot::copilot_rejects::patch),
        );
    }
}

/// RL204 at the file Copilot reads the overrides from: `cfn.patches.yml`
/// (YAML patches, which win when both are present), else the CDK app's
/// `cdk.json`, else the folder's first file; the folder only when empty.
fn overrides_note(p: &Path) -> Diagnostic {
    crate::rules::copilot::overrides_unverifiable::diagnostic(&override_file(p))
}

/// The file Copilot reads an `overrides/` folder from: `cfn.patches.yml`
/// (YAML patches, which win when both are present), else the CDK app's
/// `cdk.json`, else the folder's first file; the folder when empty.
fn override_file(p: &Path) -> PathBuf {
    let first = || {
        let mut files: Vec<PathBuf> = std::fs::read_dir(p)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|f| f.is_file())
            .collect();
        files.sort();
        files.into_iter().next()
    };
    ["cfn.patches.yml", "cdk.json", "stack.ts"]
        .iter()
        .map(|n| p.join(n))
        .find(|f| f.is_file())
        .or_else(first)
        .unwrap_or_else(|| p.to_path_buf())
}

/// The manifests' `from_cfn` names in the environment's namespace, judged
/// like an addon's `Fn::ImportValue` (RL304): by the export's condition,
/// an override that may add it, or whether any stack exports it.
fn from_cfn_references(
    run: &Run,
    env: &str,
    env_stack: &EnvStack,
    merged: &[(&WorkloadDir, Workload)],
    addon_exports: &[AddonExport],
    diags: &mut Vec<Diagnostic>,
) {
    if !env_stack.exports_complete {
        return;
    }
    let mut known: Vec<&str> = env_stack.exports.keys().map(String::as_str).collect();
    known.extend(addon_exports.iter().map(|(_, n, _)| n.as_str()));
    let prefix = CopilotStack::environment(&run.app, env).export_prefix();
    let unseen = run.unseen_exports(env);
    let scope = crate::cfn::ImportScope {
        prefix: Some(&prefix),
        unseen: &unseen,
        conditional: &env_stack.conditional,
    };
    for (_, wl) in merged {
        for (name, span) in &wl.references {
            use crate::cfn::Import;
            use crate::rules::cfn::missing_export;
            let importer = Some(wl.name.as_str());
            let (judged, order) = scope.judge(name, importer, known.contains(&name.as_str()));
            if let Some((c, creators)) = order {
                let d = missing_export::deploy_order(*span, name, &c.what, creators, importer);
                diags.push(d.env(Some(env)));
            }
            let d = match judged {
                Import::Exported | Import::Outside => continue,
                Import::UnseenFact(fact) => missing_export::unseen_fact(*span, name, fact),
                Import::UnseenOverride(by) => missing_export::unseen(*span, name, by),
                Import::NotCreated(what) => missing_export::not_created(*span, name, what),
                Import::Missing => {
                    let nearest = crate::base::suggest::closest(name, &known);
                    missing_export::from_cfn(*span, name, nearest)
                }
            };
            diags.push(d.env(Some(env)));
        }
    }
}

/// One environment: its stacks, its network, its flows proved.
fn environment(
    run: &Run,
    em: &EnvManifest,
    diags: &mut Vec<Diagnostic>,
) -> (EnvResult, Vec<Diagnostic>) {
    let env = em.name.as_str();
    let merged = merged_workloads(run, env, diags);
    let nat = nat_causes(&merged);
    let (env_stack, mut resources) = environment_stack(run, em, &merged, &nat, diags);
    // Workload addons may import what another workload's addons export
    // (CloudFormation resolves it once that workload is deployed): when a
    // first pass finds such an import missing, the addons are evaluated
    // again with the other workloads' exports in scope.
    let pass = |others: &[AddonExport]| {
        let (mut found, mut exported) = (Vec::new(), Vec::new());
        let (res, needs) = workload_stacks(
            run,
            env,
            &merged,
            &env_stack,
            &mut found,
            &mut exported,
            others,
        );
        (res, needs, found, exported)
    };
    let (mut workload_resources, mut needs, mut first, mut addon_exports) = pass(&[]);
    if !addon_exports.is_empty()
        && first
            .iter()
            .any(|d| d.rule == crate::rules::cfn::missing_export::RULE)
    {
        (workload_resources, needs, first, addon_exports) = pass(&addon_exports);
    }
    diags.extend(first);
    from_cfn_references(run, env, &env_stack, &merged, &addon_exports, diags);
    resources.extend(workload_resources);
    let mut network = network(&resources, &env_stack, needs, &merged);
    peers::add(&mut network, &run.app, env, &merged, diags);
    diags.extend(crate::rules::deploy::check(
        &crate::rules::deploy::Context {
            env,
            resources: &resources,
            network: &network,
            workloads: &merged,
            data: &run.opts.data,
        },
    ));
    for (_, wl) in &merged {
        let mut found = Vec::new();
        crate::rules::copilot::copilot_rejects::check_workload(wl, &mut found);
        crate::rules::copilot::deny_default_drops_ingress::check(env, wl, &mut found);
        crate::rules::copilot::nlb_target_port_not_declared::check(env, wl, &mut found);
        crate::rules::copilot::imported_vpc_missing_subnets::check(em, wl, &mut found);
        diags.extend(found);
    }
    let flow_notes = not_modelled(env, &resources);
    let advisor = advice::CopilotAdvisor {
        deny_default: merged
            .iter()
            .filter_map(|(_, w)| Some((w.name.clone(), w.security_groups.deny_default?)))
            .collect(),
    };
    let workspace = run.workspace_arg();
    let proved = crate::door::prove_declared(
        run.prover,
        crate::door::ProofOf {
            env: crate::rules::reachability::Env {
                name: env,
                source: crate::outcome::NetworkSource::Files,
            },
            network: &network,
            stand_ins: &[],
            advisor: &advisor,
            fallback_location: &run.ws.copilot_dir,
            workspace: &workspace,
            assumptions: em.assumed.as_slice(),
        },
        crate::model::flow::derive_flows(&network),
        &|f| {
            run.opts.service.as_ref().is_none_or(|s| s == &f.service)
                && run.focus.wants_flow(env, &f.service)
        },
        &crate::door::Declarations {
            declared: &run.opts.declared,
            config: run.config,
        },
    );
    let (flows, mut flow_diags) = (proved.results, proved.findings);
    crate::rules::copilot::nat_from_another_workload::check(
        env,
        em.vpc_id.is_none() && em.missing.is_none(),
        &merged,
        &nat,
        &flows,
        &mut flow_diags,
    );
    flow_diags.extend(proved.declared);
    flow_diags.extend(flow_notes);
    (
        EnvResult {
            env: env.to_string(),
            network,
            flows,
            source: crate::outcome::NetworkSource::Files,
        },
        flow_diags,
    )
}

/// Every workload's manifest merged for the environment (`${VAR}`
/// interpolation, the `environments.<env>` block), with the findings of
/// the merge.
fn merged_workloads<'w>(
    run: &Run<'w>,
    env: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(&'w WorkloadDir, Workload)> {
    let lookup = |k: &str| deploy_time_variable(run.opts, k);
    let mut merged = Vec::new();
    for w in &run.ws.workloads {
        if let Some((wl, undefined)) = manifest::workload_for_env(w, &run.app, env, &lookup) {
            manifest::undefined_diags(&undefined, diags);
            if let Some(file) = w.manifest.file {
                manifest::check_required(&wl.doc, wl.wtype, file, Some(env), diags);
            }
            merged.push((w, wl));
        }
    }
    merged
}

/// Copilot creates NAT gateways for the whole environment as soon as one
/// workload there sets `placement: private`.
fn nat_causes(merged: &[(&WorkloadDir, Workload)]) -> Vec<NatCause> {
    merged
        .iter()
        .filter_map(|(_, wl)| match wl.placement {
            Placement::Private(span) => Some(NatCause {
                workload: wl.name.clone(),
                span,
            }),
            _ => None,
        })
        .collect()
}

/// Which workloads of the environment make Copilot add what to its stacks.
fn creators(merged: &[(&WorkloadDir, Workload)], nat: &[NatCause]) -> synth::Creators {
    let names = |f: fn(&Workload) -> bool| -> Vec<String> {
        merged
            .iter()
            .filter(|(_, w)| f(w))
            .map(|(_, w)| w.name.clone())
            .collect()
    };
    let mut by = synth::Creators {
        public_alb: names(Workload::creates_public_alb),
        internal_alb: names(Workload::creates_internal_alb),
        nat: nat.iter().map(|c| c.workload.clone()).collect(),
        efs: names(|w| {
            w.efs
                .iter()
                .any(|v| matches!(v, manifest::EfsVolume::Managed(..)))
        }),
        apprunner_endpoint: names(Workload::creates_apprunner_endpoint),
        workload_exports: Vec::new(),
    };
    for (_, w) in merged {
        if w.wtype == manifest::LBWS || w.wtype == manifest::BACKEND {
            by.workload_exports
                .push((w.name.clone(), "DiscoveryServiceARN"));
        }
        if w.wtype == manifest::LBWS && w.doc.get("nlb").is_some() {
            by.workload_exports
                .push((w.name.clone(), "PublicNetworkLoadBalancerDNSName"));
        }
    }
    by
}

/// The environment stack, and the environment addons evaluated in it:
/// their exports join the stack's (they feed the workloads' `from_cfn`
/// and `Fn::ImportValue`). Returns the stack and every resource so far.
fn environment_stack(
    run: &Run,
    em: &EnvManifest,
    merged: &[(&WorkloadDir, Workload)],
    nat: &[NatCause],
    diags: &mut Vec<Diagnostic>,
) -> (EnvStack, Vec<Resource>) {
    let mut env_stack = synth::environment(&run.app, em, nat);
    let by = creators(merged, nat);
    if env_stack.exports_complete {
        let (exports, conditional) = synth::conditional_exports(&run.app, em, &by);
        for (k, v) in exports {
            env_stack.exports.entry(k).or_insert(v);
        }
        env_stack.conditional = conditional;
    }
    // An assumed environment's network is Copilot's default, but what else
    // exports into its namespace (its addons, the stacks of services kept
    // in other repositories) is not in the files: an import of
    // `<app>-<env>-X` it lacks is unknown, never RL304.
    if em.assumed.is_some() {
        env_stack.exports_complete = false;
    }
    let lbws = !by.public_alb.is_empty();
    let internal = !by.internal_alb.is_empty();
    let cause = merged
        .iter()
        .find(|(_, w)| w.creates_public_alb() || w.creates_internal_alb())
        .map(|(_, w)| w.type_span);
    let mut lbs = synth::load_balancers(&env_stack, &run.app, em, lbws, internal, cause);
    let efs_cause = merged.iter().find_map(|(_, w)| {
        w.efs.iter().find_map(|v| match v {
            manifest::EfsVolume::Managed(_, sp) => Some(*sp),
            _ => None,
        })
    });
    if let Some(sp) = efs_cause {
        lbs.extend(synth::managed_efs(&env_stack, &run.app, &em.name, Some(sp)));
    }
    let mut resources: Vec<Resource> = env_stack.resources.clone();
    resources.extend(lbs);
    let names = synth::patches::StackNames::environment(&run.app, &em.name);
    let patches = run.ws.env_patches.as_ref();
    let visible = env_stack.exports.clone();
    let cx = synth::patches::Context {
        stack: &StackId::Environment,
        names: &names,
        exports: &visible,
        region: run.opts.region.as_deref(),
        env: &em.name,
    };
    let added = run.apply_patches(patches, &cx, &mut resources);
    run.apply_patches(patches, &cx, &mut env_stack.resources);
    env_stack.exports.extend(added);
    if let Some(dir) = &run.ws.env_addons {
        let input = addons::AddonsInput {
            app: &run.app,
            env: &em.name,
            workload: None,
            workload_resources: &env_stack.resources,
            exports: &env_stack.exports,
            region: run.opts.region.as_deref(),
            exports_complete: env_stack.exports_complete,
            unseen: &run.unseen_exports(&em.name),
            conditional: &env_stack.conditional,
        };
        let out = addons::evaluate(dir, &input, diags);
        for (name, value) in out.exports {
            env_stack.exports.insert(name, value);
        }
        resources.extend(out.resources);
    }
    (env_stack, resources)
}

/// What a workload's addons export: (workload, export name, value).
type AddonExport = (String, String, crate::cfn::Value);

/// Each workload's stack (App Runner for a Request-Driven Web Service, ECS
/// for the others) and its addons, with what the workload needs: the APIs
/// it is handed secrets for, and what an ECS task needs to start. A Static
/// Site has no network of its own.
fn workload_stacks(
    run: &Run,
    env: &str,
    merged: &[(&WorkloadDir, Workload)],
    env_stack: &EnvStack,
    diags: &mut Vec<Diagnostic>,
    addon_exports: &mut Vec<AddonExport>,
    others: &[AddonExport],
) -> (Vec<Resource>, Vec<(String, Need)>) {
    let mut resources = Vec::new();
    let mut needs = Vec::new();
    for (w, wl) in merged {
        let rdws = wl.is_rdws();
        let mut wres = if rdws {
            synth::rdws(&run.app, env, wl, &env_stack.exports)
        } else if wl.wtype == manifest::STATIC_SITE {
            continue;
        } else {
            synth::ecs(&run.app, env, wl, &env_stack.exports)
        };
        // the workload's YAML patches: what they change in its stack, and
        // the exports its outputs gain
        let patched_exports = run.apply_patches(
            w.patches.as_ref(),
            &synth::patches::Context {
                stack: &StackId::Workload(wl.name.clone()),
                names: &synth::patches::StackNames::workload(&run.app, env, &wl.name),
                exports: &env_stack.exports,
                region: run.opts.region.as_deref(),
                env,
            },
            &mut wres,
        );
        let mut secret_outputs = false;
        if let Some(dir) = &w.addons {
            // the environment's exports, those the workload's patches add,
            // and those of the other workloads' addons (never the
            // workload's own: a stack cannot import them)
            let widened;
            let exports =
                if others.iter().any(|(o, _, _)| *o != wl.name) || !patched_exports.is_empty() {
                    let mut e = env_stack.exports.clone();
                    e.extend(patched_exports.clone());
                    for (o, n, v) in others {
                        if *o != wl.name {
                            e.entry(n.clone()).or_insert_with(|| v.clone());
                        }
                    }
                    widened = e;
                    &widened
                } else {
                    &env_stack.exports
                };
            let input = addons::AddonsInput {
                app: &run.app,
                env,
                workload: Some(&wl.name),
                workload_resources: &wres,
                exports,
                region: run.opts.region.as_deref(),
                exports_complete: env_stack.exports_complete,
                unseen: &run.unseen_exports(env),
                conditional: &env_stack.conditional,
            };
            let out = addons::evaluate(dir, &input, diags);
            addon_exports.extend(
                out.exports
                    .iter()
                    .map(|(n, v)| (wl.name.clone(), n.clone(), v.clone())),
            );
            if input.workload.is_some() {
                needs.extend(
                    out.outputs
                        .iter()
                        .map(|(n, v)| (wl.name.clone(), Need::Output(n.clone(), v.clone()))),
                );
            }
            if rdws {
                needs.push((wl.name.clone(), Need::Task(Box::new(handed_secrets(&out)))));
            } else {
                synth::attach_addon_sgs(&mut wres, &out.sg_outputs);
                for (output, group, span) in &out.unattached_sg_outputs {
                    if let Some(span) = span {
                        diags.push(
                            crate::rules::copilot::sg_output_not_attached::diagnostic(
                                *span, &wl.name, output, group,
                            )
                            .env(Some(env)),
                        );
                    }
                }
                secret_outputs = !out.secret_outputs.is_empty();
            }
            resources.extend(out.resources);
        }
        if !rdws {
            needs.push((
                wl.name.clone(),
                Need::Task(Box::new(task_facts(wl, secret_outputs))),
            ));
        }
        resources.extend(wres);
    }
    (resources, needs)
}

/// What a workload's task is stated to need (door-neutral facts, from
/// which `evidence::task` derives the flows); or an output of its addons,
/// handed to it as a variable (evidence of what it references).
enum Need {
    Task(Box<TaskFacts>),
    Output(String, crate::cfn::Value),
}

/// The facts of an ECS task as the manifest configures it (DECISIONS.md):
/// its image (built by Copilot, from a private ECR repository, or from a
/// public registry), its log driver (awslogs unless `logging` configures
/// FireLens, whose Fluent Bit image comes from ECR Public), its secrets
/// (Secrets Manager or SSM), its registry credentials and env file; a
/// Worker Service polls SQS and a publisher calls SNS.
fn task_facts(wl: &Workload, secret_outputs: bool) -> TaskFacts {
    use crate::evidence::task::{Handed, Image, LogDriver, Registry, Secret, SecretStore};
    use manifest::{ImageSource, SecretSource};
    let at = |sp: Span| Origin::file(Some(sp));
    let image = match &wl.image {
        ImageSource::Build(sp) => Some((
            Registry::Ecr {
                built_by: Some("Copilot".into()),
            },
            *sp,
        )),
        ImageSource::PrivateEcr(sp) => Some((Registry::Ecr { built_by: None }, *sp)),
        ImageSource::Public(sp) => Some((Registry::Public, *sp)),
        ImageSource::Unknown => None,
    };
    let secrets = wl
        .secrets
        .iter()
        .filter_map(|sec| {
            let store = match &sec.source {
                SecretSource::SecretsManager => SecretStore::SecretsManager,
                SecretSource::Ssm => SecretStore::Ssm,
                // the exported value is not typed offline: Copilot's own
                // storage addons export Secrets Manager secrets
                SecretSource::FromCfn(_) | SecretSource::Other => return None,
            };
            Some(Secret {
                name: sec.name.clone(),
                store,
                origin: at(sec.span),
            })
        })
        .collect();
    TaskFacts {
        images: image
            .map(|(registry, sp)| Image {
                registry,
                origin: at(sp),
            })
            .into_iter()
            .collect(),
        log: Some(match wl.firelens {
            None => LogDriver::AwsLogs(at(wl.type_span)),
            Some(sp) => LogDriver::FireLensPublicImage(at(sp)),
        }),
        secrets,
        more_secrets: secret_outputs.then(|| at(wl.type_span)),
        registry_credentials: wl.image_credentials.map(at),
        env_files: wl.env_file.map(at).into_iter().collect(),
        queue: (wl.wtype == manifest::WORKER).then(|| Handed {
            who: "a Worker Service".into(),
            origin: at(wl.type_span),
        }),
        topics: wl.publish.map(|sp| Handed {
            who: "the service".into(),
            origin: at(sp),
        }),
        handed_secrets: vec![],
    }
}

/// A Secrets Manager secret an addon outputs is handed to the service (as
/// `<OUTPUT>` and `<OUTPUT>_ARN`), which reads it with the AWS SDK: the
/// service calls Secrets Manager itself.
fn handed_secrets(out: &addons::AddonsResult) -> TaskFacts {
    let policy = if out.managed_policies.is_empty() {
        String::new()
    } else {
        format!(
            " and its instance role may read it ({})",
            out.managed_policies.join(", ")
        )
    };
    TaskFacts {
        handed_secrets: out
            .secret_outputs
            .iter()
            .map(|so| crate::evidence::task::HandedSecret {
                secret: so.secret.clone(),
                how: format!(
                    "from addon output {} (as {} and {}_ARN){policy}",
                    so.output, so.env_var, so.env_var
                ),
                origin: Origin::file(so.span),
            })
            .collect(),
        ..Default::default()
    }
}

/// The environment's network through the CloudFormation representation
/// layer, plus what only the manifests know: a Copilot-managed VPC is a
/// closed world, the secrets handed to each service are API evidence, and a
/// `from_tags` lookup that matches nothing makes Copilot render no
/// connector at all.
fn network(
    resources: &[Resource],
    env_stack: &EnvStack,
    needs: Vec<(String, Need)>,
    merged: &[(&WorkloadDir, Workload)],
) -> Network {
    let closed = env_stack.managed_vpc.then(|| ResRef {
        stack: StackId::Environment,
        logical: "VPC".to_string(),
    });
    let (mut network, index) = Builder::new(resources).closed_world(closed).build_indexed();
    let (outputs, needs): (Vec<_>, Vec<_>) = needs
        .into_iter()
        .partition(|(_, n)| matches!(n, Need::Output(..)));
    for (_, wl) in merged {
        let own: Vec<(String, crate::cfn::Value)> = outputs
            .iter()
            .filter(|(w, _)| *w == wl.name)
            .filter_map(|(_, n)| match n {
                Need::Output(name, v) => Some((name.clone(), v.clone())),
                _ => None,
            })
            .collect();
        references(
            &mut network,
            &index,
            resources,
            &env_stack.exports,
            wl,
            &own,
        );
    }
    for (name, need) in needs {
        let Some(w) = network.workloads.iter_mut().find(|w| w.name == name) else {
            continue;
        };
        if let Need::Task(facts) = need {
            crate::evidence::task::add_to(w, crate::evidence::task::needs(&facts));
        }
    }
    for (_, wl) in merged {
        let Placement::FromTags(span) = wl.placement else {
            continue;
        };
        let Some(w) = network.workloads.iter_mut().find(|w| w.name == wl.name) else {
            continue;
        };
        if let Egress::Enis(e) = &w.egress {
            let why = Missing::new(
                Fact::SubnetLookup,
                "whether the `from_tags` lookup matches any subnet (if none, Copilot renders no VPC connector and App Runner's default egress applies)",
            )
            .with_origin(Origin::file(Some(span)));
            w.fallback = Some((why, app_runner_managed_egress(e.origin.clone())));
        }
    }
    network
}
