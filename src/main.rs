use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use reachlint::door::{self, Options};
use reachlint::report;
use reachlint::verify::TargetKind;

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

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Cmd {
    /// Lint the workspace PATH belongs to and verify every flow.
    Check {
        /// Project root, its copilot/ folder, or paths inside it (then only
        /// findings in those files and the flows of their workloads).
        #[arg(required = true, num_args = 1..)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Only this environment.
        #[arg(long)]
        env: Option<String>,
        /// Only this service's flows.
        #[arg(long)]
        service: Option<String>,
        /// AWS region (else AWS_REGION / AWS_DEFAULT_REGION; else symbolic).
        #[arg(long)]
        region: Option<String>,
        /// Warnings, notes and unknown verdicts fail too (exit 1).
        #[arg(long)]
        strict: bool,
        #[arg(long, value_enum, default_value = "auto")]
        color: Color,
    },
    /// Print the proof or counterexample of one flow, hop by hop.
    Explain {
        path: PathBuf,
        #[arg(long)]
        env: String,
        #[arg(long)]
        service: String,
        /// database, internet, or an AWS service name such as secretsmanager.
        #[arg(long)]
        to: String,
        #[arg(long)]
        region: Option<String>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    // Never exit 101: a panic is a bug, reported as the tool failing to run.
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(cli))) {
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

fn write_out(s: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
}

fn run(cli: Cli) -> Result<u8, String> {
    match cli.cmd {
        Cmd::Check {
            paths,
            format,
            env,
            service,
            region,
            strict,
            color,
        } => {
            let mut paths = paths.into_iter();
            let path = paths.next().ok_or("a PATH is required")?;
            let opts = Options {
                path,
                also: paths.collect(),
                env,
                service,
                region: door::region_from_env(region),
            };
            let reports = door::check_many(&opts).map_err(|e| e.to_string())?;
            match format {
                Format::Json => write_out(&report::json::render_all(&reports)),
                Format::Human => {
                    let color = match color {
                        Color::Always => true,
                        Color::Never => false,
                        Color::Auto => {
                            std::io::stdout().is_terminal()
                                && std::env::var_os("NO_COLOR").is_none()
                        }
                    };
                    write_out(&report::human::render_all(&reports, color));
                }
            }
            let code = reports
                .iter()
                .map(|r| r.exit_code(strict))
                .max()
                .unwrap_or(0);
            Ok(code as u8)
        }
        Cmd::Explain {
            path,
            env,
            service,
            to,
            region,
            format,
        } => {
            let opts = Options {
                path,
                also: vec![],
                env: Some(env.clone()),
                service: Some(service.clone()),
                region: door::region_from_env(region),
            };
            let r = door::check(&opts).map_err(|e| e.to_string())?;
            let (kind, name) = match to.as_str() {
                "database" | "db" => (TargetKind::Database, None),
                "internet" => (TargetKind::Internet, None),
                other => (TargetKind::AwsService, Some(other.to_string())),
            };
            let e = r.envs.iter().find(|e| e.env == env).ok_or_else(|| {
                format!("environment `{env}` could not be analysed (see `reachlint check`)")
            })?;
            let flows: Vec<_> = e
                .flows
                .iter()
                .filter(|f| {
                    f.flow.service == service
                        && f.flow.kind() == kind
                        && (name.is_none() || f.flow.target_name() == name.as_deref())
                })
                .collect();
            if flows.is_empty() {
                let known: Vec<String> = e
                    .flows
                    .iter()
                    .filter(|f| f.flow.service == service)
                    .map(|f| {
                        match f.flow.kind() {
                            TargetKind::Database => "database",
                            TargetKind::Internet => "internet",
                            TargetKind::AwsService => f.flow.target_name().unwrap_or_default(),
                        }
                        .to_string()
                    })
                    .collect();
                return Err(format!(
                    "`{service}` has no flow to `{to}` in `{env}` (its flows: {})",
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
            for f in &flows {
                all_ok &= f.verdict == reachlint::verify::Verdict::Reachable;
                text.push_str(&report::human::explain(&r.sources, &env, f));
                json.push(report::json::flow_json(&r.sources, &e.network, &env, f));
            }
            match format {
                Format::Human => write_out(&text),
                Format::Json => write_out(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&json).unwrap_or_default()
                )),
            }
            Ok(if all_ok { 0 } else { 1 })
        }
    }
}
