//! Running `rolecall discover` (the library entry point, exactly what the subcommand runs)
//! against an in-process server, with an environment that never reads the developer's own
//! AWS setup.
#![allow(dead_code)]

use super::common::{TestServer, DISCOVERY_KEY, DISCOVERY_SECRET};
use rolecall::discover::{self, Env, Outcome, Progress};

/// Variables that keep the developer's own shared files out of the run.
pub fn isolated(extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut vars = vec![
        (
            "AWS_CONFIG_FILE".to_string(),
            "/nonexistent/rolecall/config".to_string(),
        ),
        (
            "AWS_SHARED_CREDENTIALS_FILE".to_string(),
            "/nonexistent/rolecall/credentials".to_string(),
        ),
    ];
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    vars
}

/// The discovery user's keys in the environment.
pub fn discovery_env() -> Env {
    Env::from_pairs(isolated(&[
        ("AWS_ACCESS_KEY_ID", DISCOVERY_KEY),
        ("AWS_SECRET_ACCESS_KEY", DISCOVERY_SECRET),
    ]))
}

/// Runs `rolecall discover --endpoint <server> ARGS…` with `env`.
pub fn discover(server: &TestServer, env: &Env, args: &[&str]) -> Outcome {
    discover_at(&format!("http://{}", server.addr), env, args)
}

/// Runs `rolecall discover --endpoint <endpoint> ARGS…` with `env`.
pub fn discover_at(endpoint: &str, env: &Env, args: &[&str]) -> Outcome {
    let mut argv = vec!["discover", "--endpoint", endpoint];
    argv.extend_from_slice(args);
    let args = discover::parse(argv).expect("valid discover arguments");
    discover::run(&args, env, Progress::silent())
}
