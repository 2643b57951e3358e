//! The front doors and their seam. Each door reads one kind of input,
//! turns it into the one network model through its representation layer,
//! states what its workloads need as door-neutral facts, and proves with
//! the [`Prover`] it is handed ([`report`] for a door's networks,
//! [`prove_declared`] for one network); no door imports the verifier or
//! another door.
//!
//! - [`copilot`]: a Copilot workspace (manifests synthesized into
//!   CloudFormation, plus addon templates, converted by `repr::cfn`).
//! - [`snapshot`]: a Describe snapshot (or the live account), on its own
//!   ([`snapshot::alone`]) or as the deployed network of a workspace's
//!   environment ([`DeployedStep`]).
//! - A plain-CloudFormation door (`copilot svc package` or `cdk synth`
//!   output) plugs in beside them: evaluate the templates with `cfn`,
//!   convert with `repr::cfn`, hand [`report`] its [`Networks`] with its
//!   own [`Advisor`].

pub mod copilot;
pub mod snapshot;

use std::path::PathBuf;

use crate::base::diag::Diagnostic;
use crate::evidence::declared;
use crate::load::LoadError;
use crate::model::flow::Flow;
use crate::model::proof::{Blocker, FlowResult};
use crate::model::Network;
use crate::model::StandIn;
use crate::outcome::Report;
use crate::rules;

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
    /// Environments to check when `env` is not given (empty: all).
    pub environments: Vec<String>,
    /// `${VAR}` names set at deploy time (never reported as undefined).
    pub variables: Vec<String>,
    /// Flows declared in the configuration, and the file they are in.
    pub declared: Vec<declared::Declared>,
    pub config_file: Option<(PathBuf, String)>,
    /// The AWS facts the deploy-blocker rules check against, and the day
    /// they assume (`--data-dir`, `--as-of`).
    pub data: std::sync::Arc<rules::data::Data>,
    /// `--strict`: an undefined `${VAR}` (RL203) is an error.
    pub strict: bool,
    /// `--assume`: whether an environment without a manifest is checked
    /// against Copilot's default one (stated on every verdict) or left
    /// unknown.
    pub assume: Assume,
    /// `--snapshot DIR`: also prove the flows on the network a saved
    /// Describe snapshot shows.
    pub snapshot: Option<PathBuf>,
    /// `--live`: read the account (needs the `live` feature); with
    /// `--snapshot` too, the files add to what the calls return (canned
    /// output of a service an endpoint does not serve).
    pub live: bool,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
}

/// What reachlint may assume where the files are silent (`--assume`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Assume {
    /// Stated assumptions (DECISIONS.md): an environment without a
    /// manifest is the one `copilot env init --default-config` creates.
    #[default]
    Default,
    /// Nothing: such an environment's network is unknown, and a workspace
    /// with no environment at all is unchecked.
    None,
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
    #[error("this reachlint was built without live mode; install it with `cargo install --features live` (or save a snapshot with the AWS CLI and use --snapshot)")]
    NoLive,
    #[error(transparent)]
    #[cfg(feature = "live")]
    Live(#[from] snapshot::live::LiveError),
    #[error("cannot write the snapshot to {0}: {1}")]
    Write(PathBuf, String),
    #[error("no Copilot environment in the snapshot at {0}: no VPC tagged copilot-application and copilot-environment (save `aws ec2 describe-vpcs`)")]
    NoEnvironmentInSnapshot(PathBuf),
    #[error("no snapshot directory at {0}")]
    NoSnapshot(PathBuf),
    #[error("the workspace has several environments; choose the one the snapshot shows with --env ({0})")]
    SnapshotNeedsEnv(String),
    #[error("nothing to check: none of the paths is a Copilot manifest, addon template or `.workspace` ({})", .0.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    NothingToCheck(Vec<PathBuf>),
}

/// One front door: it recognises what the options point at and reads it
/// into reports. A door that states networks (with the evidence of the
/// flows they need) ends in [`report`], the same path every door's
/// networks take; the Copilot workspace door proves each environment with
/// [`prove_declared`] (a rule of its own reads the proved flows after) and
/// asks the [`DeployedStep`] for the deployed network beside it.
pub trait Door: Sync {
    /// Whether it reads what `opts` points at.
    fn recognises(&self, opts: &Options) -> bool;
    /// The reports of what it reads, proved with `services.prover`.
    fn check(&self, opts: &Options, services: &Services) -> Result<Vec<Report>, CheckError>;
}

/// Proves flows on a network. The app hands the verifier to the doors
/// through it (`app::Verifier`), so no door imports `verify`.
pub trait Prover {
    /// Every flow's proof, a stand-in's placements merged into its
    /// workload's verdict, sorted by the flows' keys.
    fn prove(&self, net: &Network, flows: &[Flow], stand_ins: &[StandIn]) -> Vec<FlowResult>;
}

/// What the doors are handed: the prover, and for a door that proves its
/// files' flows again on the deployed network (`--snapshot`, `--live`),
/// the step that does it (the snapshot door, reached through the seam so
/// no door imports another).
pub struct Services<'a> {
    pub prover: &'a dyn Prover,
    pub deployed: Option<&'a dyn DeployedStep>,
}

/// One environment's files' flows, to prove again as deployed.
pub struct DeployedQuestion<'a> {
    pub app: &'a str,
    /// The files' network and proved flows (None: the environment has no
    /// network; only the snapshot's notes are wanted).
    pub files: Option<&'a crate::outcome::EnvResult>,
    /// The environment manifest's span (drift findings point there).
    pub env_span: Option<crate::base::Span>,
    /// The stacks live mode reads.
    pub stacks: Vec<String>,
    /// What `reachlint explain` takes to find the workspace.
    pub workspace_arg: String,
    /// The snapshot directory as the report shows paths.
    pub snapshot_display: Option<String>,
    /// Where findings without a file point.
    pub fallback: PathBuf,
}

/// The deployed network's proved flows and their findings, and the notes
/// on what the snapshot (or the account) could not give.
pub struct Deployed {
    pub result: Option<(crate::outcome::EnvResult, Vec<Diagnostic>)>,
    pub notes: Vec<Diagnostic>,
}

/// Proves the files' flows on the deployed network.
pub trait DeployedStep {
    fn prove_deployed(&self, q: &DeployedQuestion) -> Result<Deployed, CheckError>;
}

/// The snapshot door answering a deployed question: the saved directory,
/// and with `--live` the account's calls added to it.
struct SnapshotStep<'a> {
    opts: &'a Options,
    prover: &'a dyn Prover,
}

impl DeployedStep for SnapshotStep<'_> {
    fn prove_deployed(&self, q: &DeployedQuestion) -> Result<Deployed, CheckError> {
        let opts = self.opts;
        let mut snap = match &opts.snapshot {
            Some(dir) => snapshot::load(dir)?,
            None => Default::default(),
        };
        let source = if opts.live {
            snapshot::add_live(&mut snap, opts, &q.stacks)?;
            crate::outcome::NetworkSource::Live
        } else {
            crate::outcome::NetworkSource::Snapshot
        };
        let location = opts.snapshot.clone().unwrap_or_else(|| q.fallback.clone());
        // `explain` finds the deployed network the same way (it has no
        // --live: then it proves the files' network)
        let args = match &q.snapshot_display {
            Some(dir) => format!(
                "{} --snapshot {}",
                q.workspace_arg,
                rules::reachability::shell_word(dir)
            ),
            None => q.workspace_arg.clone(),
        };
        let result = q.files.map(|files| {
            snapshot::deployed(
                &snap,
                files,
                &snapshot::Anchor {
                    app: q.app,
                    env_span: q.env_span,
                    fallback_location: &location,
                    workspace: &args,
                    source,
                },
                self.prover,
            )
        });
        let notes = snap
            .unread
            .iter()
            .map(|u| rules::limits::snapshot_unread::diagnostic(&u.file, &u.what, &u.why))
            .collect();
        Ok(Deployed { result, notes })
    }
}

/// Every front door, asked in this order; adding a door is one folder and
/// one line here.
pub static DOORS: &[&dyn Door] = &[&copilot::WorkspaceDoor, &snapshot::alone::SnapshotDoor];

/// Checks what the options point at with the first door that recognises
/// it; with none, the Copilot door says why nothing was found.
pub fn check_many(opts: &Options, prover: &dyn Prover) -> Result<Vec<Report>, CheckError> {
    let step = SnapshotStep { opts, prover };
    let services = Services {
        prover,
        deployed: (opts.snapshot.is_some() || opts.live).then_some(&step as &dyn DeployedStep),
    };
    match DOORS.iter().find(|d| d.recognises(opts)) {
        Some(d) => d.check(opts, &services),
        None => copilot::check_many(opts, &services),
    }
}

/// `reachlint snapshot`: reads the account (live mode) for the stacks of
/// the workspace's environment and writes the calls' output to `out`;
/// returns how many files it wrote.
pub fn save_snapshot(opts: &Options, out: &std::path::Path) -> Result<usize, CheckError> {
    let stacks = copilot::stacks_for(opts)?;
    snapshot::save(opts, &stacks, out)
}

/// Checks what `opts.path` points at (one report: the first door's first).
pub fn check(opts: &Options, prover: &dyn Prover) -> Result<Report, CheckError> {
    check_many(opts, prover)?
        .into_iter()
        .next()
        .ok_or_else(|| CheckError::Nothing(opts.path.clone()))
}

/// The networks a door read, each with what it knows, before any proof.
pub struct Networks {
    /// Where findings without a file point.
    pub root: PathBuf,
    pub sources: crate::base::source::SourceMap,
    /// The flows the configuration declares, and its file in `sources`.
    pub declared: Vec<declared::Declared>,
    pub config: Option<crate::base::source::FileId>,
    /// The door's own findings (input it could not read, ...).
    pub diagnostics: Vec<Diagnostic>,
    pub envs: Vec<DoorNetwork>,
    pub unchecked: Vec<crate::outcome::Unchecked>,
}

/// One environment's network as a door read it. Its workloads carry the
/// evidence of what they need (`evidence::task` fills it from the door's
/// facts), so the flows follow from the model.
pub struct DoorNetwork {
    pub env: String,
    pub network: Network,
    /// Workloads that stand for one running task of another.
    pub stand_ins: Vec<crate::model::StandIn>,
    pub source: crate::outcome::NetworkSource,
    pub advisor: Box<dyn Advisor>,
    /// What `reachlint explain` takes to find this network again.
    pub explain_args: String,
    /// What the network rests on that the input does not say: every
    /// verdict on it carries them.
    pub assumptions: Vec<crate::base::Assumption>,
}

/// The one path from a door's networks to a report: the flows their
/// evidence implies, proved (stand-ins counted in their workload's
/// verdict), remedies worded by the door's advisor, failed flows raised
/// as findings, everything sorted.
pub fn report(n: Networks, prover: &dyn Prover) -> Report {
    let mut diagnostics = n.diagnostics;
    let mut envs = Vec::new();
    let declarations = Declarations {
        declared: &n.declared,
        config: n.config,
    };
    for e in n.envs {
        let flows: Vec<Flow> = crate::model::flow::derive_flows(&e.network)
            .into_iter()
            .filter(|f| !e.stand_ins.iter().any(|s| Some(s.stand_in) == f.workload()))
            .collect();
        let proved = prove_declared(
            prover,
            ProofOf {
                env: rules::reachability::Env {
                    name: &e.env,
                    source: e.source,
                },
                network: &e.network,
                stand_ins: &e.stand_ins,
                advisor: e.advisor.as_ref(),
                fallback_location: &n.root,
                workspace: &e.explain_args,
                assumptions: &e.assumptions,
            },
            flows,
            &|_| true,
            &declarations,
        );
        let (flows, mut diags) = (proved.results, proved.findings);
        diags.extend(proved.declared);
        // a finding's flow counts across the networks of its environment
        let offset: usize = envs
            .iter()
            .filter(|x: &&crate::outcome::EnvResult| x.env == e.env)
            .map(|x| x.flows.len())
            .sum();
        for d in &mut diags {
            d.shift_flows(offset);
        }
        diagnostics.extend(diags);
        envs.push(crate::outcome::EnvResult {
            env: e.env,
            network: e.network,
            flows,
            source: e.source,
        });
    }
    crate::base::diag::merge_environments(&mut diagnostics);
    crate::base::diag::sort_diagnostics(&n.sources, &mut diagnostics);
    Report {
        sources: n.sources,
        copilot_dir: n.root,
        diagnostics,
        envs,
        unchecked: n.unchecked,
    }
}

/// The flows the configuration declares (`[[flow]]`), and its file.
#[derive(Clone, Copy, Default)]
pub struct Declarations<'a> {
    pub declared: &'a [declared::Declared],
    pub config: Option<crate::base::source::FileId>,
}

/// One network to prove and where its findings belong.
pub struct ProofOf<'a> {
    pub env: rules::reachability::Env<'a>,
    pub network: &'a Network,
    pub stand_ins: &'a [crate::model::StandIn],
    pub advisor: &'a dyn Advisor,
    pub fallback_location: &'a std::path::Path,
    pub workspace: &'a str,
    /// What the network rests on that the input does not say: each
    /// result carries them, and its findings are worded for them.
    pub assumptions: &'a [crate::base::Assumption],
}

/// What proving one network gave: the results, their findings (RL4xx), and
/// the declared flows' findings (RL404, RL405).
pub struct Proved {
    pub results: Vec<FlowResult>,
    pub findings: Vec<Diagnostic>,
    pub declared: Vec<Diagnostic>,
}

/// Proves one network's flows the way every door does: the declared flows
/// added (`evidence::declared`), the flows `keep` wants proved, remedies
/// worded, failed flows raised; a flow declared unreachable that is
/// unreachable raises nothing, one that is reachable raises RL404.
pub fn prove_declared(
    prover: &dyn Prover,
    of: ProofOf,
    mut flows: Vec<Flow>,
    keep: &dyn Fn(&Flow) -> bool,
    d: &Declarations,
) -> Proved {
    let env = of.env.name;
    let mut declared_diags = declared::add(env, of.network, d.declared, d.config, &mut flows);
    flows.retain(|f| keep(f));
    let mut proved = prover.prove(of.network, &flows, of.stand_ins);
    for r in &mut proved {
        r.assumptions = of.assumptions.to_vec();
    }
    let (results, mut findings) = conclude(
        of.env,
        of.network,
        proved,
        of.advisor,
        of.fallback_location,
        of.workspace,
    );
    let closed = declared::expected_unreachable(env, d.declared, &results);
    findings.retain(|f| {
        use crate::base::rule::RuleId;
        let declared = f.flow.filter(|i| closed.contains(i));
        match f.rule {
            RuleId::NeededFlowBlocked | RuleId::InformationalFlowBlocked => !declared
                .is_some_and(|i| results[i].verdict == crate::model::proof::Verdict::Unreachable),
            // a declaration names the exposure: RL404 says it, at the
            // declaration
            RuleId::DataStoreExposed | RuleId::TaskExposed => declared.is_none(),
            _ => true,
        }
    });
    declared_diags.extend(declared::forbidden(env, d.declared, d.config, &results));
    Proved {
        results,
        findings,
        declared: declared_diags,
    }
}

pub fn region_from_env(flag: Option<String>) -> Option<String> {
    flag.or_else(|| std::env::var("AWS_REGION").ok())
        .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok())
        .filter(|s| !s.is_empty())
}

/// Words a blocker's remedy for the input a door read: the text is
/// appended to the blocker's reason (", and ...: add ..." or ": set ...").
pub trait Advisor {
    fn advise(&self, net: &Network, flow: &Flow, blocker: &Blocker) -> Option<Advice>;
}

/// A remedy in the words of a door's input.
#[derive(Debug, Clone, Default)]
pub struct Advice {
    /// Appended to the blocker's reason.
    pub text: String,
    /// The line to change when it is not where the blocker is (the
    /// manifest line that took a group off the tasks): the blocker, and so
    /// its finding, points there.
    pub at: Option<crate::base::Origin>,
}

impl Advice {
    pub fn text(text: impl Into<String>) -> Advice {
        Advice {
            text: text.into(),
            at: None,
        }
    }
}

/// Words the remedies of proved flows and raises their findings;
/// `workspace` is what `reachlint explain` takes to find this network
/// (pasted into the findings' help).
pub fn conclude(
    env: rules::reachability::Env,
    network: &Network,
    mut results: Vec<FlowResult>,
    advisor: &dyn Advisor,
    fallback_location: &std::path::Path,
    workspace: &str,
) -> (Vec<FlowResult>, Vec<Diagnostic>) {
    for r in &mut results {
        for b in &mut r.blockers {
            if let Some(advice) = advisor.advise(network, &r.flow, b) {
                b.advice = Some(advice.text);
                if let Some(at) = advice.at {
                    b.origin = at;
                }
            }
        }
    }
    let diags = rules::reachability::findings(env, &results, fallback_location, workspace);
    (results, diags)
}
