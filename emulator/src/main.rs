//! The `rolecall` command: serve a scenario, or check one.

use clap::{Parser, Subcommand};
use rolecall::scenario;
use rolecall::server::{self, State};
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
    let runtime = match tokio::runtime::Builder::new_multi_thread()
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

fn check(file: &PathBuf) -> ExitCode {
    match scenario::load_file(file) {
        Ok(world) => {
            let accounts = world.accounts().count();
            println!("{}: ok ({accounts} accounts)", file.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
