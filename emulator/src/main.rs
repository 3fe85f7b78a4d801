//! The `rolecall` command: serve a scenario, or check one.

use clap::{Parser, Subcommand};
use rolecall::scenario;
use rolecall::server::{self, State};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "rolecall",
    version,
    about = "A local AWS STS, EC2 and Organizations emulator that authorizes every call the way AWS does"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve STS, EC2 and Organizations on one port.
    Serve {
        /// The scenario file; without it, the embedded default (an invited member account
        /// without OrganizationAccountAccessRole).
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// Where to listen; port 0 picks a free port.
        #[arg(long, default_value = "127.0.0.1:4566")]
        listen: SocketAddr,
        /// Do not print a line per request.
        #[arg(long)]
        quiet: bool,
    },
    /// Evaluate one request offline and print the decision with its full trace.
    Explain {
        /// The scenario file; without it, the embedded default.
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// The caller: a user, role, assumed-role session or account root ARN.
        #[arg(long)]
        principal: String,
        /// The action, e.g. sts:AssumeRole or ec2:DescribeInstances.
        #[arg(long)]
        action: String,
        /// The resource ARN, or * (the default).
        #[arg(long, default_value = "*")]
        resource: String,
        /// The region of the request.
        #[arg(long, default_value = "us-east-1")]
        region: String,
        /// Extra condition keys, KEY=VALUE (repeatable).
        #[arg(long = "context", value_parser = parse_key_value)]
        context: Vec<(String, String)>,
    },
    /// Walk an organization as discovery tools do: ListAccounts, AssumeRole into each member,
    /// count EC2 resources per region, and explain every failure.
    Discover(rolecall::discover::Args),
    /// Validate a scenario file and report every problem with its line and column.
    Check {
        /// The scenario file.
        file: PathBuf,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ROLECALL_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    match Cli::parse().command {
        Command::Serve {
            scenario,
            listen,
            quiet,
        } => serve(scenario, listen, quiet),
        Command::Check { file } => check(&file),
        Command::Discover(args) => rolecall::discover::command(&args),
        Command::Explain {
            scenario,
            principal,
            action,
            resource,
            region,
            context,
        } => {
            let world = match &scenario {
                Some(p) => match scenario::load_file(p) {
                    Ok(w) => w,
                    Err(e) => {
                        eprintln!("{e}");
                        return ExitCode::from(2);
                    }
                },
                None => scenario::default_world(),
            };
            let question = rolecall::explain::Question {
                principal_arn: &principal,
                action: &action,
                resource: &resource,
                region: &region,
                context: &context,
            };
            match rolecall::explain::explain(&world, &question) {
                Ok(answer) => {
                    // A closed pipe (`| head`) is not an error worth a panic.
                    let mut out = std::io::stdout().lock();
                    let _ = writeln!(out, "{}", if answer.allowed { "ALLOW" } else { "DENY" });
                    let _ = writeln!(out, "{}", answer.summary);
                    if let Some(m) = &answer.message {
                        let _ = writeln!(out, "{m}");
                    }
                    let _ = writeln!(
                        out,
                        "{}",
                        serde_json::to_string_pretty(&answer).unwrap_or_default()
                    );
                    if answer.allowed {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::FAILURE
                    }
                }
                Err(e) => {
                    eprintln!("rolecall explain: {e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

fn serve(path: Option<PathBuf>, listen: SocketAddr, quiet: bool) -> ExitCode {
    let (world, name) = match &path {
        Some(p) => match scenario::load_file(p) {
            Ok(w) => (w, p.display().to_string()),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        },
        None => (
            scenario::default_world(),
            scenario::DEFAULT_SCENARIO_NAME.to_string(),
        ),
    };
    let state = State::new(world, path, name, !quiet);
    // This runtime only accepts connections and watches for signals; the connections are
    // served on worker threads of their own (see `server::serve`).
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("rolecall: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(server::bind_and_serve(listen, state)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rolecall: cannot serve on {listen}: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse_key_value(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .ok_or_else(|| format!("'{s}' is not KEY=VALUE"))
}

fn check(file: &std::path::Path) -> ExitCode {
    match scenario::load_file(file) {
        Ok(world) => {
            let accounts = world.accounts().count();
            println!("{}: ok ({accounts} accounts)", file.display());
            // The process ends here; taking a large world apart piece by piece would only
            // delay the answer.
            std::mem::forget(world);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
