use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use reachlint::base::rule::RuleId;
use reachlint::door::{self, Options};
use reachlint::outcome::Report;
use reachlint::policy::config::{Config, Selector};
use reachlint::policy::{self, baseline, Gate};
use reachlint::report;
use reachlint::verify::TargetName;

#[derive(Parser)]
#[command(
    name = "reachlint",
    version,
    about = "Lint AWS Copilot workspaces and prove the network flows their services need, offline"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Code frames and the verdicts (the default).
    Human,
    /// The version 1 contract (schemas/output-v1.json).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// Markdown with Mermaid paths, for PR comments and step summaries.
    Markdown,
    /// One line per finding, `file:line:col: RLnnn level message`, for grep and problem matchers.
    Concise,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExplainFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

/// What reachlint may assume where the files are silent.
#[derive(Clone, Copy, ValueEnum)]
enum AssumeArg {
    /// An environment without a manifest is Copilot's default one, stated on each verdict.
    Default,
    /// Nothing: such an environment stays unknown.
    None,
}

impl From<AssumeArg> for door::Assume {
    fn from(a: AssumeArg) -> door::Assume {
        match a {
            AssumeArg::Default => door::Assume::Default,
            AssumeArg::None => door::Assume::None,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Shell {
    Bash,
    Zsh,
    Fish,
}

#[derive(Subcommand)]
enum Cmd {
    /// Lint the workspace PATH belongs to and verify every flow (or, with
    /// --snapshot and no workspace at PATH, the deployed network alone).
    Check {
        /// Project root, its copilot/ folder, or paths inside it (then only
        /// findings in those files and the flows of their workloads). Other
        /// files are skipped with a note.
        #[arg(num_args = 1.., default_value = ".")]
        paths: Vec<PathBuf>,
        /// Output format; repeat it for several outputs from one run (each takes the --output that follows it).
        #[arg(long, value_enum)]
        format: Vec<Format>,
        /// Write the preceding --format's output to FILE instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Vec<PathBuf>,
        /// Exit 0 whatever the findings (2 still means reachlint could not run).
        #[arg(long)]
        exit_zero: bool,
        /// Only this environment (else the configuration's `environments`).
        #[arg(long)]
        env: Option<String>,
        /// Only this service's flows.
        #[arg(long)]
        service: Option<String>,
        /// AWS region (else the configuration, AWS_REGION, AWS_DEFAULT_REGION; else symbolic).
        #[arg(long)]
        region: Option<String>,
        /// Warnings, notes, unknown and assumed verdicts fail too (exit 1).
        #[arg(long)]
        strict: bool,
        /// Whether an environment without a manifest is checked against the one `copilot env init --default-config` creates, the assumption stated on each verdict (default), or left unknown (none).
        #[arg(long, value_enum, default_value = "default", value_name = "WHAT")]
        assume: AssumeArg,
        /// Newer copies of the AWS data files (data/*.json) the deploy-blocker rules read.
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
        /// Also prove the flows on the deployed network a saved Describe snapshot shows (AWS CLI JSON files); with no workspace at PATH, prove the flows the snapshot's own evidence implies.
        #[arg(long, value_name = "DIR")]
        snapshot: Option<PathBuf>,
        /// Also prove the flows on the network read from the account (read-only Describe calls; needs the `live` feature).
        #[arg(long)]
        live: bool,
        /// AWS profile for --live.
        #[arg(long)]
        profile: Option<String>,
        /// AWS endpoint for --live (tests, private endpoints).
        #[arg(long, value_name = "URL")]
        endpoint_url: Option<String>,
        /// The day date-dependent findings assume, and `until=` expiry is judged on (YYYY-MM-DD; default: the day the built-in or --data-dir engine versions were checked; `until=` then uses today).
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// Only the findings that count (human format).
        #[arg(long, short = 'q')]
        quiet: bool,
        /// List the flows that are reachable as expected too (human format; by default they are counted).
        #[arg(long)]
        show_ok: bool,
        /// Colour of the human output (NO_COLOR is honoured with auto).
        #[arg(long, value_enum, default_value = "auto")]
        color: Color,
        /// Configuration file (else .reachlint.toml from the workspace root upward).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Only these rules: ids or family prefixes, comma-separated (overrides the configuration).
        #[arg(long, value_delimiter = ',', value_name = "RULES")]
        select: Option<Vec<String>>,
        /// Not these rules: ids or family prefixes, comma-separated (added to the configuration's).
        #[arg(long, value_delimiter = ',', value_name = "RULES")]
        ignore: Vec<String>,
        /// Ignore `# reachlint: ignore[...]` comments (audits).
        #[arg(long)]
        no_inline_ignores: bool,
        /// Report only findings not in this baseline file.
        #[arg(long, value_name = "FILE")]
        baseline: Option<PathBuf>,
        /// Write every current finding to this baseline file.
        #[arg(long, value_name = "FILE")]
        write_baseline: Option<PathBuf>,
    },
    /// Print the proof or counterexample of one flow, hop by hop.
    Explain(ExplainArgs),
    /// List every rule, or print one rule's page.
    Rules {
        /// A rule id (RL401); without it, the list.
        rule: Option<String>,
    },
    /// Save what the account has (read-only Describe calls) as a snapshot directory for `check --snapshot` (needs the `live` feature).
    Snapshot {
        /// Project root, its copilot/ folder, or a path inside it.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// The environment whose stacks to read (optional when the workspace has only one).
        #[arg(long)]
        env: Option<String>,
        /// The directory to write the JSON files to.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// AWS profile.
        #[arg(long)]
        profile: Option<String>,
        /// AWS region (else AWS_REGION / AWS_DEFAULT_REGION / the profile's).
        #[arg(long)]
        region: Option<String>,
        /// AWS endpoint (tests, private endpoints).
        #[arg(long, value_name = "URL")]
        endpoint_url: Option<String>,
    },
    /// Print a shell completion script.
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: Shell,
    },
}

fn main() -> ExitCode {
    let parsed = Cli::command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m).map(|c| (c, m)));
    let (cli, matches) = match parsed {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let outputs = match matches.subcommand_matches("check").map(outputs_of) {
        Some(Ok(o)) => o,
        Some(Err(msg)) => {
            eprintln!("reachlint: {msg}");
            return ExitCode::from(2);
        }
        None => vec![],
    };
    // Never exit 101: a panic is a bug, reported as the tool failing to run.
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(cli, outputs))) {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(msg)) => {
            eprintln!("reachlint: {msg}");
            ExitCode::from(2)
        }
        Err(_) => {
            eprintln!(
                "reachlint: internal error (a bug); please report it with the input that caused it"
            );
            ExitCode::from(2)
        }
    }
}

/// Each `--format` with the `--output` that follows it (before the next
/// `--format`); an `--output` before every `--format` belongs to the first;
/// none given: human to standard output. Two outputs to standard output
/// would interleave, so at most one format may go there.
fn outputs_of(m: &clap::ArgMatches) -> Result<Vec<(Format, Option<PathBuf>)>, String> {
    let formats: Vec<(usize, Format)> =
        match (m.indices_of("format"), m.get_many::<Format>("format")) {
            (Some(i), Some(f)) => i.zip(f.copied()).collect(),
            _ => vec![],
        };
    let outputs: Vec<(usize, PathBuf)> =
        match (m.indices_of("output"), m.get_many::<PathBuf>("output")) {
            (Some(i), Some(o)) => i.zip(o.cloned()).collect(),
            _ => vec![],
        };
    if formats.is_empty() {
        return match outputs.as_slice() {
            [] => Ok(vec![(Format::Human, None)]),
            [(_, o)] => Ok(vec![(Format::Human, Some(o.clone()))]),
            _ => Err("several --output files need a --format before each".into()),
        };
    }
    let mut out: Vec<(Format, Option<PathBuf>)> = formats.iter().map(|(_, f)| (*f, None)).collect();
    for (at, file) in outputs {
        // the last --format before it, else the first
        let k = formats.iter().rposition(|(i, _)| *i < at).unwrap_or(0);
        if out[k].1.replace(file).is_some() {
            return Err("each --format takes one --output".into());
        }
    }
    if out.iter().filter(|(_, o)| o.is_none()).count() > 1 {
        return Err(
            "at most one --format may write to standard output; give the others an --output".into(),
        );
    }
    Ok(out)
}

fn write_out(s: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
}

fn colored(c: Color) -> bool {
    match c {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

/// The configuration: `--config`, else `.reachlint.toml` from the
/// workspace root of `path` upward, else none.
fn config_for(path: &Path, flag: Option<&Path>) -> Result<Config, String> {
    let found = match flag {
        Some(f) => Some(f.to_path_buf()),
        // from the workspace's root upward; with no workspace at PATH (a
        // snapshot alone), from PATH upward
        None => match reachlint::load::find_copilot_dir(path) {
            Ok(d) => d.parent().map(Path::to_path_buf),
            Err(_) => Some(reachlint::load::absolute(path)),
        }
        .and_then(|root| Config::find(&root)),
    };
    // a file found by searching stays inside its repository; one the flag
    // names is read where it is
    let fence = match (flag, &found) {
        (None, Some(f)) => {
            let dir = f.parent().unwrap_or(Path::new("."));
            Some(reachlint::base::guard::Fence::around(dir, dir))
        }
        _ => None,
    };
    match found {
        Some(f) => Config::read(&f, fence.as_ref()).map_err(|e| e.to_string()),
        None => Ok(Config::default()),
    }
}

/// `reachlint explain`: the proof or counterexample of one flow.
#[derive(clap::Args)]
struct ExplainArgs {
    /// Project root, its copilot/ folder, or a path inside it.
    path: PathBuf,
    /// The environment (optional when the workspace has only one).
    #[arg(long)]
    env: Option<String>,
    /// The workload whose flow to explain (for a flow from outside, the one it reaches or whose data store it reaches; optional with --from).
    #[arg(long, required_unless_present = "from")]
    service: Option<String>,
    /// Where the flow starts, when not at the workload's own ENIs: internet, or cidr:<block>.
    #[arg(long)]
    from: Option<String>,
    /// database, database:<LogicalId>, internet, file-system, an AWS service name such as secretsmanager, workload:<name>:<port> or load-balancer:<LogicalId>:<port>. A flow no evidence or declaration gives is proved as asked (informational).
    #[arg(long)]
    to: String,
    /// AWS region (else AWS_REGION / AWS_DEFAULT_REGION; else symbolic).
    #[arg(long)]
    region: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: ExplainFormat,
    /// Newer copies of the AWS data files (data/*.json) the deploy-blocker rules read.
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Also prove the flows on the deployed network a saved Describe snapshot shows (AWS CLI JSON files).
    #[arg(long, value_name = "DIR")]
    snapshot: Option<PathBuf>,
    /// The day date-dependent findings assume, and `until=` expiry is judged on (YYYY-MM-DD; default: the day the built-in or --data-dir engine versions were checked; `until=` then uses today).
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Colour of the verdicts and blockers (NO_COLOR is honoured with auto).
    #[arg(long, value_enum, default_value = "auto")]
    color: Color,
    /// Configuration file (else .reachlint.toml from the workspace root upward).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Whether an environment without a manifest is checked against the one `copilot env init --default-config` creates (default), or left unknown (none).
    #[arg(long, value_enum, default_value = "default", value_name = "WHAT")]
    assume: AssumeArg,
}

/// The door's options from the flags, the configuration beneath them.
fn options(
    path: PathBuf,
    also: Vec<PathBuf>,
    env: Option<String>,
    service: Option<String>,
    region: Option<String>,
    cfg: &Config,
    data: std::sync::Arc<reachlint::rules::data::Data>,
) -> Options {
    Options {
        data,
        strict: false,
        assume: door::Assume::Default,
        snapshot: None,
        live: false,
        profile: None,
        endpoint_url: None,
        path,
        also,
        env,
        service,
        region: door::region_from_env(region.or_else(|| cfg.region.clone())),
        environments: cfg.environments.clone(),
        variables: cfg.variables.clone(),
        declared: cfg.flows.clone(),
        config_file: cfg.path.clone().map(|p| (p, cfg.text.clone())),
    }
}

/// `--as-of`, parsed.
fn parse_as_of(as_of: Option<&str>) -> Result<Option<reachlint::base::Date>, String> {
    as_of
        .map(|s| {
            reachlint::base::Date::parse(s)
                .ok_or_else(|| format!("--as-of `{s}` is not a date YYYY-MM-DD"))
        })
        .transpose()
}

/// The deploy-blocker rules' AWS data: the built-in files, or newer
/// copies from `--data-dir`, as of `--as-of` (else the day the engine
/// versions were checked).
fn load_data(
    dir: Option<&std::path::Path>,
    as_of: Option<reachlint::base::Date>,
) -> Result<std::sync::Arc<reachlint::rules::data::Data>, String> {
    reachlint::rules::data::Data::load(dir, as_of)
        .map(std::sync::Arc::new)
        .map_err(|e| e.to_string())
}

fn selectors(list: &[String]) -> Result<Vec<Selector>, String> {
    list.iter()
        .map(|s| {
            Selector::parse(s)
                .ok_or_else(|| format!("`{s}` is not a rule id or family prefix (RL401, RL4, ...)"))
        })
        .collect()
}

/// The environment `explain` answers for: `--env`, else the one the
/// workspace has (one environment may have two networks, the files' and
/// the snapshot's).
fn chosen_env(r: &Report, env: Option<String>) -> Result<String, String> {
    let mut names: Vec<&str> = r.envs.iter().map(|e| e.env.as_str()).collect();
    names.dedup();
    match env {
        Some(e) => Ok(e),
        None if names.len() == 1 => Ok(names[0].to_string()),
        None => Err(format!(
            "the workspace has several environments; choose one with --env ({})",
            names.join(", ")
        )),
    }
}

fn run(cli: Cli, outputs: Vec<(Format, Option<PathBuf>)>) -> Result<u8, String> {
    match cli.cmd {
        Cmd::Check {
            paths,
            format: _,
            output: _,
            exit_zero,
            env,
            service,
            region,
            strict,
            assume,
            data_dir,
            snapshot,
            live,
            profile,
            endpoint_url,
            as_of,
            quiet,
            show_ok,
            color,
            config,
            select,
            ignore,
            no_inline_ignores,
            baseline: baseline_file,
            write_baseline,
        } => {
            let mut paths = paths.into_iter();
            let path = paths.next().ok_or("a PATH is required")?;
            let mut cfg = config_for(&path, config.as_deref())?;
            if let Some(s) = select {
                cfg.select = Some(selectors(&s)?);
            }
            cfg.ignore.extend(selectors(&ignore)?);
            let as_of = parse_as_of(as_of.as_deref())?;
            let data = load_data(data_dir.as_deref(), as_of)?;
            let mut opts = options(path, paths.collect(), env, service, region, &cfg, data);
            opts.strict = strict;
            opts.assume = assume.into();
            opts.snapshot = snapshot;
            opts.live = live;
            opts.profile = profile;
            opts.endpoint_url = endpoint_url;
            let mut reports = reachlint::app::check_many(&opts).map_err(|e| e.to_string())?;
            let gate = Gate {
                config: cfg,
                inline: !no_inline_ignores,
                baseline: match &baseline_file {
                    Some(f) => Some(baseline::read(f)?),
                    None => None,
                },
                as_of,
            };
            for r in &mut reports {
                policy::apply(r, &gate);
            }
            if let Some(f) = &write_baseline {
                std::fs::write(f, baseline::render(&reports))
                    .map_err(|e| format!("{}: {e}", f.display()))?;
            }
            for (format, output) in outputs {
                let text = render(
                    &reports,
                    format,
                    Cut { quiet, show_ok },
                    strict,
                    output.is_none() && colored(color),
                );
                match &output {
                    Some(f) => {
                        std::fs::write(f, text).map_err(|e| format!("{}: {e}", f.display()))?
                    }
                    None => write_out(&text),
                }
            }
            // writing the baseline is the job: done, whatever it holds
            if exit_zero || write_baseline.is_some() {
                return Ok(0);
            }
            let code = reports
                .iter()
                .map(|r| r.exit_code(strict))
                .max()
                .unwrap_or(0);
            Ok(code as u8)
        }
        Cmd::Explain(args) => explain_cmd(args),
        Cmd::Rules { rule } => {
            match rule {
                Some(id) => {
                    let r = RuleId::from_code(&id).ok_or_else(|| {
                        format!("`{id}` is not a rule id (`reachlint rules` lists them)")
                    })?;
                    write_out(r.page());
                }
                None => write_out(&rules_list()),
            }
            Ok(0)
        }
        Cmd::Snapshot {
            path,
            env,
            out,
            profile,
            region,
            endpoint_url,
        } => {
            let opts = Options {
                path,
                env,
                region: door::region_from_env(region),
                profile,
                endpoint_url,
                live: true,
                ..Options::default()
            };
            let n = door::save_snapshot(&opts, &out).map_err(|e| e.to_string())?;
            eprintln!("wrote {n} files to {}", out.display());
            Ok(0)
        }
        Cmd::Completions { shell } => {
            let shell = match shell {
                Shell::Bash => clap_complete::Shell::Bash,
                Shell::Zsh => clap_complete::Shell::Zsh,
                Shell::Fish => clap_complete::Shell::Fish,
            };
            // written to memory first: clap_complete panics when its writer
            // fails (a closed pipe), and write_out ends quietly instead
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "reachlint", &mut buf);
            write_out(&String::from_utf8_lossy(&buf));
            Ok(0)
        }
    }
}

/// How the human output is cut.
#[derive(Clone, Copy)]
struct Cut {
    quiet: bool,
    show_ok: bool,
}

fn render(reports: &[Report], format: Format, cut: Cut, strict: bool, color: bool) -> String {
    let Cut { quiet, show_ok } = cut;
    match format {
        Format::Json => report::json::render_all(reports),
        Format::Sarif => report::sarif::render_all(reports),
        Format::Github => report::github::render_all(reports),
        Format::Markdown => report::markdown::render_all(reports),
        Format::Concise => report::concise::render_all(reports),
        Format::Human => report::human::render_all_with(
            reports,
            color,
            if quiet {
                report::human::Detail::Quiet { strict }
            } else if show_ok {
                report::human::Detail::Full
            } else {
                report::human::Detail::NotOk
            },
        ),
    }
}

/// `reachlint rules`: one line per rule.
fn rules_list() -> String {
    let mut out = format!(
        "{:<6} {:<34} {:<8} {:<28} {}\n",
        "id", "name", "level", "family", "what it finds"
    );
    for r in RuleId::ALL {
        out.push_str(&format!(
            "{:<6} {:<34} {:<8} {:<28} {}\n",
            r.code(),
            r.slug(),
            r.severity().as_str(),
            r.family(),
            r.summary()
        ));
    }
    out
}

/// Runs `explain`: the workspace checked with the asked flow, then that flow.
fn explain_cmd(args: ExplainArgs) -> Result<u8, String> {
    let ExplainArgs {
        path,
        env,
        service,
        from,
        to,
        region,
        format,
        data_dir,
        snapshot,
        as_of,
        color,
        config,
        assume,
    } = args;
    let cfg = config_for(&path, config.as_deref())?;
    let data = load_data(data_dir.as_deref(), parse_as_of(as_of.as_deref())?)?;
    let mut opts = options(
        path,
        vec![],
        env.clone(),
        service.clone(),
        region,
        &cfg,
        data,
    );
    opts.environments.clear();
    opts.snapshot = snapshot;
    opts.assume = assume.into();
    opts.declared
        .extend(asked(service.as_deref(), from.as_deref(), &to)?);
    let r = reachlint::app::check(&opts).map_err(|e| e.to_string())?;
    let env = chosen_env(&r, env)?;
    explain(
        &r,
        &env,
        service.as_deref(),
        from,
        &to,
        format,
        colored(color),
    )
}

/// The flow `explain` asks about, as a declaration the doors prove when
/// no flow answers it yet (`Expect::Asked`).
fn asked(
    service: Option<&str>,
    from: Option<&str>,
    to: &str,
) -> Result<Option<reachlint::evidence::declared::Declared>, String> {
    use reachlint::model::flow::SourceName;
    let from = match (from, service) {
        (Some(f), _) => SourceName::parse(f).map_err(|e| format!("`--from {f}`: {e}"))?,
        (None, Some(s)) => SourceName::Workload(s.to_string()),
        (None, None) => return Err("explain needs --service or --from".into()),
    };
    let Ok(target) = TargetName::parse(to) else {
        // explain says what is wrong with the name
        return Ok(None);
    };
    Ok(Some(reachlint::evidence::declared::Declared {
        from,
        to: to.to_string(),
        target: Ok(target),
        expect: reachlint::evidence::declared::Expect::Asked,
        env: None,
        reason: None,
        range: (0, 0),
    }))
}

fn explain(
    r: &Report,
    env: &str,
    service: Option<&str>,
    from: Option<String>,
    to: &str,
    format: ExplainFormat,
    color: bool,
) -> Result<u8, String> {
    // without `--from`: the workload's own flows
    let from = match (from.as_deref(), service) {
        (Some(f), _) => reachlint::model::flow::SourceName::parse(f)
            .map_err(|e| format!("`--from {f}`: {e}"))?,
        (None, Some(s)) => reachlint::model::flow::SourceName::Workload(s.to_string()),
        (None, None) => return Err("explain needs --service or --from".into()),
    };
    let target = TargetName::parse(to).map_err(|u| match u.suggestion {
        Some(s) => format!("`--to {to}` is no flow target; did you mean `{s}`?"),
        None => format!(
            "`--to {to}` is no flow target (database, database:<LogicalId>, internet, file-system, workload:<name>:<port>, load-balancer:<LogicalId>:<port>, {})",
            reachlint::verify::AWS_SERVICE_NAMES.join(", ")
        ),
    })?;
    // the files' network, then the deployed one (`--snapshot`), each proved
    let results: Vec<_> = r.envs.iter().filter(|e| e.env == env).collect();
    let Some(e) = results.first() else {
        return Err(format!(
            "environment `{env}` could not be analysed (see `reachlint check`)"
        ));
    };
    let wanted = |f: &&reachlint::verify::FlowResult| {
        service.is_none_or(|s| f.flow.service == s)
            && from.matches(&f.flow)
            && target.matches(&f.flow)
    };
    if !e.flows.iter().any(|f| wanted(&f)) {
        let known: Vec<String> = e
            .flows
            .iter()
            .filter(|f| service.is_none_or(|s| f.flow.service == s) && from.matches(&f.flow))
            .map(|f| match f.flow.from_word() {
                Some(w) => format!("{} from {w}", f.flow.to_word()),
                None => f.flow.to_word(),
            })
            .collect();
        return Err(format!(
            "{} has no flow to `{to}` in `{env}` (its flows: {})",
            service.map_or_else(|| from.to_string(), |s| format!("`{s}`")),
            if known.is_empty() {
                "none".into()
            } else {
                known.join(", ")
            }
        ));
    }
    let mut all_ok = true;
    let mut text = String::new();
    let mut json = Vec::new();
    let picked: Vec<(
        &reachlint::outcome::EnvResult,
        Vec<&reachlint::verify::FlowResult>,
    )> = results
        .iter()
        .map(|e| (*e, e.flows.iter().filter(|f| wanted(f)).collect()))
        .collect();
    for (e, flows) in &picked {
        for f in flows {
            // the flow's expectation holds: reached, or (an isolation
            // flow) refused
            all_ok &= f.verdict != reachlint::verify::Verdict::Unknown && !f.fails();
            json.push(report::json::flow_json(
                &r.sources, &e.network, env, e.source, f,
            ));
        }
    }
    // the files' network, and the deployed one when there is one: side by
    // side where their verdicts differ
    let files = picked
        .iter()
        .find(|(e, _)| e.source == reachlint::outcome::NetworkSource::Files);
    let deployed = picked
        .iter()
        .find(|(e, _)| e.source != reachlint::outcome::NetworkSource::Files);
    match (files, deployed) {
        (Some((_, fl)), Some((d, dl))) => {
            let label = match d.source {
                reachlint::outcome::NetworkSource::Live => "as deployed (live)",
                _ => "as deployed (snapshot)",
            };
            let width = std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.parse::<usize>().ok())
                .unwrap_or(120);
            // paired by name (the same workload, target and port; a
            // deployed database may listen on another port), never by
            // position
            for (i, p) in reachlint::compare::pair(fl, dl).into_iter().enumerate() {
                if i > 0 {
                    text.push('\n');
                }
                match p {
                    reachlint::compare::Pair::Both(f, g) => text.push_str(
                        &report::human::explain_pair(&r.sources, env, f, g, label, width),
                    ),
                    reachlint::compare::Pair::OnlyLeft(f)
                    | reachlint::compare::Pair::OnlyRight(f) => {
                        text.push_str(&report::human::explain(&r.sources, env, f))
                    }
                }
            }
        }
        _ => {
            for (_, flows) in &picked {
                for f in flows {
                    text.push_str(&report::human::explain(&r.sources, env, f));
                }
            }
        }
    }
    match format {
        ExplainFormat::Human if color => write_out(&report::human::paint_explain(&text)),
        ExplainFormat::Human => write_out(&text),
        ExplainFormat::Json => write_out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        )),
    }
    Ok(if all_ok { 0 } else { 1 })
}
