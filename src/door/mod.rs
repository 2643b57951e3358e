//! Front doors: each reads one kind of input, turns it into the one network
//! model through its representation layer, and ends in [`prove`], which
//! calls the one entry [`verify::analyze`] and turns failed flows into
//! findings.
//!
//! - [`copilot`]: a Copilot workspace (manifests synthesized into
//!   CloudFormation, plus addon templates, converted by `repr::cfn`).
//! - A plain-CloudFormation door (`copilot svc package` or `cdk synth`
//!   output) plugs in beside it: evaluate the templates with `cfn`, convert
//!   with `repr::cfn`, call [`prove`] with its own [`Advisor`].
//! - A Describe-snapshot door plugs in the same way, with its own
//!   representation layer; the missing facts ([`crate::base::Missing`]) of
//!   the files say which Describe records fill them.

pub mod copilot;
#[cfg(feature = "live")]
pub mod live;
pub mod snapshot;

use std::path::PathBuf;

use crate::base::diag::Diagnostic;
use crate::evidence::declared;
use crate::load::LoadError;
use crate::model::Network;
use crate::outcome::Report;
use crate::rules;
use crate::verify::{self, Blocker, Flow, FlowResult};

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
    Live(#[from] live::LiveError),
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
/// networks take; the Copilot workspace door still proves its own (it
/// proves the deployed network beside the files' one).
pub trait Door: Sync {
    /// Its name, as ARCHITECTURE.md and the errors use it.
    fn name(&self) -> &'static str;
    /// Whether it reads what `opts` points at.
    fn recognises(&self, opts: &Options) -> bool;
    /// The reports of what it reads.
    fn check(&self, opts: &Options) -> Result<Vec<Report>, CheckError>;
}

/// Every front door, asked in this order; adding a door is one folder and
/// one line here.
pub static DOORS: &[&dyn Door] = &[&copilot::WorkspaceDoor, &snapshot::alone::SnapshotDoor];

/// Checks what the options point at with the first door that recognises
/// it; with none, the Copilot door says why nothing was found.
pub fn check_many(opts: &Options) -> Result<Vec<Report>, CheckError> {
    match DOORS.iter().find(|d| d.recognises(opts)) {
        Some(d) => d.check(opts),
        None => copilot::check_many(opts),
    }
}

/// `reachlint snapshot`: reads the account (live mode) for the stacks of
/// the workspace's environment and writes the calls' output to `out`;
/// returns how many files it wrote.
pub fn save_snapshot(opts: &Options, out: &std::path::Path) -> Result<usize, CheckError> {
    let stacks = copilot::stacks_for(opts)?;
    snapshot::save(opts, &stacks, out)
}

/// Checks what `opts.path` points at (one report).
pub fn check(opts: &Options) -> Result<Report, CheckError> {
    match DOORS.iter().find(|d| d.recognises(opts)) {
        Some(d) if d.name() != "copilot" => d
            .check(opts)?
            .into_iter()
            .next()
            .ok_or_else(|| CheckError::Nothing(opts.path.clone())),
        _ => copilot::check(opts),
    }
}

/// The networks a door read, each with what it knows, before any proof.
pub struct Networks {
    /// Where findings without a file point.
    pub root: PathBuf,
    pub sources: crate::base::source::SourceMap,
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
}

/// The one path from a door's networks to a report: the flows their
/// evidence implies, proved (stand-ins counted in their workload's
/// verdict), remedies worded by the door's advisor, failed flows raised
/// as findings, everything sorted.
pub fn report(n: Networks) -> Report {
    let mut diagnostics = n.diagnostics;
    let mut envs = Vec::new();
    for e in n.envs {
        let flows: Vec<Flow> = verify::derive_flows(&e.network)
            .into_iter()
            .filter(|f| !e.stand_ins.iter().any(|s| s.stand_in == f.workload))
            .collect();
        let proved = verify::analyze_with_stand_ins(&e.network, &flows, &e.stand_ins);
        let (flows, mut diags) = conclude(
            rules::reachability::Env {
                name: &e.env,
                source: e.source,
            },
            &e.network,
            proved,
            e.advisor.as_ref(),
            &n.root,
            &e.explain_args,
        );
        // a finding's flow counts across the networks of its environment
        let offset: usize = envs
            .iter()
            .filter(|x: &&crate::outcome::EnvResult| x.env == e.env)
            .map(|x| x.flows.len())
            .sum();
        for d in &mut diags {
            d.flow = d.flow.map(|i| i + offset);
            for (_, i) in &mut d.also {
                *i += offset;
            }
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

/// The end of every door: proves the flows of one environment's network
/// with [`verify::analyze`], lets the door's advisor word the remedies, and
/// reports each failed or undecided flow as a finding (RL4xx).
pub fn prove(
    env: &str,
    network: &Network,
    flows: &[Flow],
    advisor: &dyn Advisor,
    fallback_location: &std::path::Path,
    workspace: &str,
) -> (Vec<FlowResult>, Vec<Diagnostic>) {
    conclude(
        rules::reachability::Env {
            name: env,
            source: crate::outcome::NetworkSource::Files,
        },
        network,
        verify::analyze(network, flows),
        advisor,
        fallback_location,
        workspace,
    )
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
