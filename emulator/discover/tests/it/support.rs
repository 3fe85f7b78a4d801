//! Running `rolecall discover` (the library entry point, exactly what the subcommand runs)
//! against an in-process server, with an environment that never reads the developer's own
//! AWS setup.
#![allow(dead_code)]

use rolecall_discover::report::{Report, Verdict};
use rolecall_discover::{Env, Outcome, Progress};
use rolecall_test_support::{TestServer, DISCOVERY_KEY, DISCOVERY_SECRET};

/// Variables that keep the developer's own shared files out of the run.
pub(crate) fn isolated(extra: &[(&str, &str)]) -> Vec<(String, String)> {
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
pub(crate) fn discovery_env() -> Env {
    discovery_env_with(&[])
}

/// The discovery user's keys in the environment, plus `extra` variables.
pub(crate) fn discovery_env_with(extra: &[(&str, &str)]) -> Env {
    let mut vars = vec![
        ("AWS_ACCESS_KEY_ID", DISCOVERY_KEY),
        ("AWS_SECRET_ACCESS_KEY", DISCOVERY_SECRET),
    ];
    vars.extend_from_slice(extra);
    Env::from_pairs(isolated(&vars))
}

/// Runs `rolecall discover --endpoint <server> ARGS…` with `env`.
pub(crate) fn discover(server: &TestServer, env: &Env, args: &[&str]) -> Outcome {
    discover_at(&format!("http://{}", server.addr), env, args)
}

/// Runs `rolecall discover --endpoint <endpoint> ARGS…` with `env`.
pub(crate) fn discover_at(endpoint: &str, env: &Env, args: &[&str]) -> Outcome {
    let mut argv = vec!["discover", "--endpoint", endpoint];
    argv.extend_from_slice(args);
    let args = rolecall_discover::parse(argv).expect("valid discover arguments");
    rolecall_discover::run(&args, env, Progress::silent())
}

/// Runs `rolecall discover ARGS…` with `env` against a fresh server of the default scenario.
pub(crate) fn discover_default_scenario(env: &Env, args: &[&str]) -> Outcome {
    discover(&TestServer::default_scenario(), env, args)
}

/// The report of a walk that ran; a walk that did not fails the test with its stderr.
pub(crate) fn report(outcome: &Outcome) -> &Report {
    outcome
        .report
        .as_ref()
        .unwrap_or_else(|| panic!("the walk did not run: {}", outcome.stderr))
}

/// The instances counted for each `(account, region, count)`.
pub(crate) fn assert_instance_counts(report: &Report, expected: &[(&str, &str, u64)]) {
    for (account, region, count) in expected {
        assert_eq!(
            report.count(account, region, "instances"),
            Some(*count),
            "instances of {account} in {region}"
        );
    }
}

/// The verdicts of the plain-HTTP walk of the default scenario.
pub(crate) fn assert_default_verdicts(outcome: &Outcome) {
    let report = report(outcome);
    assert_eq!(outcome.exit, 1, "the invited member fails");

    let created = report.account("333333333333").unwrap();
    assert_eq!(created.verdict, Verdict::Ok);
    assert_instance_counts(
        report,
        &[
            ("333333333333", "us-east-1", 5),
            ("333333333333", "eu-west-1", 2),
        ],
    );

    let invited = report.account("222222222222").unwrap();
    assert_eq!(invited.verdict, Verdict::Failed);
    let error = invited.assume_role_error.as_ref().unwrap();
    assert_eq!((error.status, error.code.as_str()), (403, "AccessDenied"));
    assert!(invited.hints[0]
        .starts_with("role missing: invited accounts have no OrganizationAccountAccessRole"));
    assert_eq!(
        (
            report.summary.ok,
            report.summary.failed,
            report.summary.skipped
        ),
        (1, 1, 1)
    );
}
