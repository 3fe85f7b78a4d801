//! `rolecall discover`: a reference discovery client, the thing rolecall exists to be pointed
//! at, and a working tool against real AWS.
//!
//! It does what inventory and CMDB discovery tools do, with no AWS SDK:
//!
//! 1. STS GetCallerIdentity with the base credentials ([`credentials`]), to say who is walking;
//! 2. Organizations ListAccounts, every page ([`organizations`]);
//! 3. for each ACTIVE member, a bounded number at a time: STS AssumeRole into
//!    `arn:aws:iam::<id>:role/<role-name>` ([`sts`]);
//! 4. with the role's credentials, per region, the EC2 Describe calls asked for, every page,
//!    counted ([`ec2`]);
//!
//! and prints, per account, the outcome and what to do about a failure ([`hints`]): an invited
//! account without OrganizationAccountAccessRole, a trust policy that does not trust the
//! caller, an SCP, an opt-in region the account never enabled, or the 401 a client meets when
//! it carries on without valid credentials (`--carry-on`).
//!
//! Requests go to the endpoints [`endpoints`] picks (AWS's, or configured ones such as a
//! rolecall server), are signed by the `aws-sigv4` crate, sent by `reqwest` ([`http`], with
//! retries on throttling and 5xx) over plain HTTP or TLS ([`tls`]: rustls, the system trust
//! store or a CA bundle), and read with quick-xml (STS, EC2) or serde_json (Organizations).
//! Settings come from the environment and the shared config file ([`profile`]) as the AWS
//! CLI reads them.

pub mod cli;
pub mod credentials;
pub mod ec2;
pub mod endpoints;
pub mod env;
pub mod errors;
pub mod hints;
pub mod http;
pub mod organizations;
pub mod profile;
pub mod progress;
pub mod report;
pub mod sts;
pub mod table;
pub mod tls;
pub mod walk;
mod xml;

pub use cli::{parse, Args};
pub use env::Env;
pub use progress::Progress;
pub use report::Report;

use std::process::ExitCode;

/// Exit status when the walk could not start (no credentials, an unusable CA bundle,
/// GetCallerIdentity or ListAccounts refused or unreachable); 1 means it ran and some account
/// failed.
pub const EXIT_SETUP: u8 = 2;

/// A finished run: the report if the walk ran, what to print, and the exit status.
#[derive(Debug)]
pub struct Outcome {
    pub report: Option<Report>,
    pub stdout: String,
    pub stderr: String,
    pub exit: u8,
}

/// Runs a walk on a runtime of its own (call it from outside any tokio runtime).
pub fn run(args: &Args, env: &Env, progress: Progress) -> Outcome {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return setup_failure(format!("cannot start the runtime: {e}")),
    };
    runtime.block_on(run_async(args, env, progress))
}

/// Runs a walk on the current tokio runtime.
pub async fn run_async(args: &Args, env: &Env, progress: Progress) -> Outcome {
    let config = profile::SharedConfig::load(env);
    let client = match connect(args, env, &config) {
        Ok(c) => c,
        Err(e) => return setup_failure(e),
    };
    let base = match credentials::resolve(env, &config) {
        Ok(b) => b,
        Err(e) => return setup_failure(e),
    };
    let plan = walk::Plan {
        role_name: args.role_name.clone(),
        external_id: args.external_id.clone(),
        regions: args.regions.clone(),
        resources: args
            .resources
            .iter()
            .filter_map(|name| ec2::resource(name))
            .collect(),
        concurrency: usize::from(args.concurrency),
        carry_on: args.carry_on,
        include_caller_account: args.include_caller_account,
        scenario: args.scenario.clone(),
    };
    match walk::run(client, base, plan, progress).await {
        Ok(report) => {
            let stdout = if args.json {
                serde_json::to_string_pretty(&report).unwrap_or_default() + "\n"
            } else {
                table::render(&report)
            };
            Outcome {
                exit: report.exit_code(),
                report: Some(report),
                stdout,
                stderr: String::new(),
            }
        }
        Err(e) => setup_failure(e.to_string()),
    }
}

/// The HTTP client for this run: where each service is, and whom HTTPS trusts.
fn connect(args: &Args, env: &Env, config: &profile::SharedConfig) -> Result<http::Client, String> {
    let endpoints = endpoints::Endpoints::new(args.endpoint.as_deref(), env, config)?;
    let trust = tls::Trust::resolve(args.ca_bundle.as_deref(), env, config)?;
    http::Client::new(endpoints, &trust)
}

fn setup_failure(message: String) -> Outcome {
    Outcome {
        report: None,
        stdout: String::new(),
        stderr: format!("rolecall discover: {message}\n"),
        exit: EXIT_SETUP,
    }
}

/// The `rolecall discover` subcommand: run, print, exit.
pub fn command(args: &Args) -> ExitCode {
    use std::io::Write;
    let outcome = run(args, &Env::from_process(), Progress::for_terminal());
    // A closed pipe (`| head`) is not worth a panic.
    let _ = std::io::stdout()
        .lock()
        .write_all(outcome.stdout.as_bytes());
    let _ = std::io::stderr()
        .lock()
        .write_all(outcome.stderr.as_bytes());
    ExitCode::from(outcome.exit)
}
