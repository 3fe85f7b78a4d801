//! The `rolecall` command: serve a scenario, check one, explain a decision, or walk an
//! organization. The process is this crate's: arguments, logging, signals, the banner, the
//! worker threads and SIGHUP reloads; the emulator itself is `rolecall_server::Emulator`.

// The binary is what prints: the banner, the request log, reports and problems.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod banner;
mod request_log;
mod workers;

use clap::{Parser, Subcommand};
use rolecall_model::scenario;
use rolecall_server::{Acceptor, Emulator};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use tokio::net::TcpListener;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        #[command(flatten)]
        limits: Limits,
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
        /// A session policy (a JSON file) of the caller's session (repeatable).
        #[arg(long = "session-policy", value_name = "FILE")]
        session_policies: Vec<PathBuf>,
        /// Leave out the condition keys a real request carries (aws:SourceIp,
        /// aws:SecureTransport, aws:CurrentTime, aws:ResourceOrgID, …): only --context keys.
        #[arg(long)]
        no_default_context: bool,
    },
    /// Walk an organization as discovery tools do: ListAccounts, AssumeRole into each member,
    /// count EC2 resources per region, and explain every failure.
    Discover(rolecall_discover::Args),
    /// Validate a scenario file and report every problem with its line and column.
    Check {
        /// The scenario file.
        file: PathBuf,
    },
}

/// How connections are held.
#[derive(clap::Args, Debug, Clone, Copy)]
struct Limits {
    /// Close a connection idle this many seconds (no request in flight, no byte moving).
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    idle_timeout: u64,
    /// Close a connection whose request head has not arrived whole this many seconds after its
    /// first byte.
    #[arg(long, value_name = "SECONDS", default_value_t = 20)]
    header_timeout: u64,
    /// Answer 408 when a request body has not arrived whole within this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    body_timeout: u64,
    /// Keep at most this many connections open at once; more are closed when accepted.
    #[arg(long, value_name = "N", default_value_t = 4096)]
    max_connections: usize,
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
            limits,
        } => serve(scenario, listen, quiet, limits),
        Command::Check { file } => check(&file),
        Command::Discover(args) => rolecall_discover::command(&args),
        Command::Explain {
            scenario,
            principal,
            action,
            resource,
            region,
            context,
            session_policies,
            no_default_context,
        } => {
            let mut policies = Vec::with_capacity(session_policies.len());
            for path in &session_policies {
                match std::fs::read_to_string(path) {
                    Ok(text) => policies.push(text),
                    Err(e) => {
                        eprintln!("rolecall explain: cannot read {}: {e}", path.display());
                        return ExitCode::from(2);
                    }
                }
            }
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
            let question = rolecall_server::explain::Question {
                principal_arn: &principal,
                action: &action,
                resource: &resource,
                region: &region,
                context: &context,
                session_policies: &policies,
                default_context: !no_default_context,
            };
            match rolecall_server::explain::explain(&world, &question) {
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

/// How long in-flight requests get to finish after Ctrl-C or SIGTERM.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

fn serve(path: Option<PathBuf>, listen: SocketAddr, quiet: bool, limits: Limits) -> ExitCode {
    // Every connection takes a descriptor: take what the system allows rather than the
    // conservative soft default (often 1024), so the connection limit is what binds.
    if let Err(e) = rlimit::increase_nofile_limit(u64::MAX) {
        tracing::warn!("cannot raise the open-file limit: {e}");
    }
    let mut builder = Emulator::builder()
        .drain_timeout(DRAIN_TIMEOUT)
        .idle_timeout(Duration::from_secs(limits.idle_timeout))
        .header_timeout(Duration::from_secs(limits.header_timeout))
        .body_timeout(Duration::from_secs(limits.body_timeout))
        .max_connections(limits.max_connections);
    if let Some(path) = &path {
        builder = builder.scenario_file(path);
    }
    // The log's thread writes everything printed while serving, quiet or not, so no other
    // thread ever waits on standard output.
    let log = match request_log::RequestLog::start() {
        Ok(log) => log,
        Err(e) => {
            eprintln!("rolecall: cannot start the request log: {e}");
            return ExitCode::FAILURE;
        }
    };
    if !quiet {
        let log = log.clone();
        builder = builder.on_request(move |record| log.record(record));
    }
    let emulator = match builder.build() {
        Ok(emulator) => emulator,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    // This runtime only accepts connections and watches for signals; the connections are
    // served on worker threads of their own (see `workers`).
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
    match runtime.block_on(accept_until_signalled(listen, &emulator, log)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rolecall: cannot serve on {listen}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Accepts connections for the worker threads until Ctrl-C or SIGTERM, then drains them.
async fn accept_until_signalled(
    addr: SocketAddr,
    emulator: &Emulator,
    log: request_log::RequestLog,
) -> std::io::Result<()> {
    let mut acceptor = Acceptor::new(TcpListener::bind(addr).await?);
    let addr = acceptor.local_addr()?;
    let mut workers = workers::Workers::start(emulator)?;
    banner::print(addr, emulator);
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    reload_on_hangup(emulator.clone(), log);
    loop {
        tokio::select! {
            (stream, peer) = acceptor.accept() => workers.dispatch(stream, peer),
            () = &mut shutdown => break,
        }
    }
    drop(acceptor);
    workers.finish().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}

/// SIGHUP reloads the scenario file, the usual signal for "read your configuration again".
/// The outcome goes to the log's thread: this task runs on the thread that accepts
/// connections, which must not wait on a full pipe.
fn reload_on_hangup(emulator: Emulator, log: request_log::RequestLog) {
    #[cfg(unix)]
    tokio::spawn(async move {
        let Ok(mut hup) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
        else {
            return;
        };
        while hup.recv().await.is_some() {
            // Off this thread: it is the one that accepts connections.
            let reloading = emulator.clone();
            match tokio::task::spawn_blocking(move || reloading.reload()).await {
                Ok(Ok(())) => log.line(format!("rolecall reloaded {}", emulator.scenario_name())),
                Ok(Err(e)) => {
                    eprintln!("rolecall kept the previous scenario; the file has problems:\n{e}")
                }
                Err(e) => eprintln!("rolecall kept the previous scenario; the reload failed: {e}"),
            }
        }
    });
    #[cfg(not(unix))]
    drop((emulator, log));
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
