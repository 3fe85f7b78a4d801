//! `rolecall discover` over HTTPS, as it reaches real AWS: the default scenario behind a TLS
//! front on 127.0.0.1 whose certificate comes from a CA made for the test. Given that CA
//! (by `--ca-bundle`, `AWS_CA_BUNDLE` or the profile's `ca_bundle`) the walk reports exactly
//! what it reports over plain HTTP; without it, the walk stops on a certificate error.

use crate::support::*;
use crate::tls_support::TlsFront;
use rolecall_discover::EXIT_SETUP;
use rolecall_test_support::*;

/// The default scenario behind a fresh TLS front; the server must outlive the walk.
fn https_server(name: &str) -> (TestServer, TlsFront) {
    let server = TestServer::default_scenario();
    let front = TlsFront::start(server.addr, name);
    (server, front)
}

#[test]
fn the_walk_over_https_trusts_the_ca_given_by_flag() {
    let (_server, front) = https_server("flag");
    let ca = front.ca_file.to_str().unwrap();
    let outcome = discover_at(&front.url(), &discovery_env(), &["--ca-bundle", ca]);
    assert_default_verdicts(&outcome);
    // Every region DescribeRegions named was walked, over the same TLS front.
    let created = report(&outcome).account("333333333333").unwrap();
    assert!(created.regions.len() > 2);
    assert!(created.regions.iter().all(|r| r.error.is_none()));
}

#[test]
fn the_walk_over_https_trusts_the_ca_given_by_aws_ca_bundle() {
    let (_server, front) = https_server("env");
    let env = discovery_env_with(&[("AWS_CA_BUNDLE", front.ca_file.to_str().unwrap())]);
    let outcome = discover_at(&front.url(), &env, &["--regions", "us-east-1,eu-west-1"]);
    assert_default_verdicts(&outcome);
}

#[test]
fn the_walk_over_https_trusts_the_ca_bundle_of_the_profile() {
    let (_server, front) = https_server("profile");
    let config = std::env::temp_dir().join(format!("rolecall-https-config-{}", std::process::id()));
    std::fs::write(
        &config,
        format!("[profile audit]\nca_bundle = {}\n", front.ca_file.display()),
    )
    .unwrap();
    let env = discovery_env_with(&[
        ("AWS_PROFILE", "audit"),
        ("AWS_CONFIG_FILE", config.to_str().unwrap()),
    ]);
    let outcome = discover_at(&front.url(), &env, &["--regions", "us-east-1,eu-west-1"]);
    let _ = std::fs::remove_file(&config);
    assert_default_verdicts(&outcome);
}

#[test]
fn without_the_ca_the_walk_stops_on_a_certificate_error() {
    let (_server, front) = https_server("none");
    let outcome = discover_at(&front.url(), &discovery_env(), &[]);
    assert_eq!(outcome.exit, EXIT_SETUP, "{}", outcome.stderr);
    assert!(outcome.report.is_none());
    let stderr = &outcome.stderr;
    assert!(
        stderr.starts_with("rolecall discover: GetCallerIdentity failed: CertificateError: "),
        "{stderr}"
    );
    // rustls's reason, what was trusted, and the way out.
    assert!(
        stderr.contains("invalid peer certificate: UnknownIssuer"),
        "{stderr}"
    );
    assert!(
        stderr.contains("not trusted by the system trust store"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--ca-bundle FILE or AWS_CA_BUNDLE"),
        "{stderr}"
    );
}

#[test]
fn a_bundle_that_is_not_pem_is_refused_by_name() {
    let (_server, front) = https_server("bad");
    let bad = std::env::temp_dir().join(format!("rolecall-not-a-ca-{}.pem", std::process::id()));
    std::fs::write(&bad, "this is not a certificate\n").unwrap();
    let outcome = discover_at(
        &front.url(),
        &discovery_env(),
        &["--ca-bundle", bad.to_str().unwrap()],
    );
    let _ = std::fs::remove_file(&bad);
    assert_eq!(outcome.exit, EXIT_SETUP);
    assert_eq!(
        outcome.stderr,
        format!(
            "rolecall discover: the CA bundle {} (from --ca-bundle) holds no PEM certificate \
             (no -----BEGIN CERTIFICATE----- block)\n",
            bad.display()
        )
    );
}
