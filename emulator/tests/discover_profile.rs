//! `rolecall discover` with its base credentials in shared config files, as the AWS CLI and
//! SDKs read them: `AWS_PROFILE`, `[profile x]` in the config file, `[x]` in the credentials
//! file, the credentials file winning.

mod common;
mod discover_support;
use common::*;
use discover_support::*;
use rolecall::discover::Env;
use std::path::PathBuf;

/// A fresh directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rolecall-discover-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_named_profile_in_the_credentials_file() {
    let dir = scratch("credentials");
    let credentials = dir.join("credentials");
    std::fs::write(
        &credentials,
        format!(
            "[default]\naws_access_key_id = AKIAUNKNOWNEXAMPLE01\naws_secret_access_key = x\n\n\
             [audit]\naws_access_key_id = {DISCOVERY_KEY}\naws_secret_access_key = {DISCOVERY_SECRET}\n"
        ),
    )
    .unwrap();
    let config = dir.join("config");
    std::fs::write(&config, "[profile audit]\nregion = eu-west-1\n").unwrap();
    let env = Env::from_pairs([
        ("AWS_PROFILE", "audit"),
        ("AWS_SHARED_CREDENTIALS_FILE", credentials.to_str().unwrap()),
        ("AWS_CONFIG_FILE", config.to_str().unwrap()),
    ]);
    let server = TestServer::default_scenario();
    let outcome = discover(&server, &env, &["--regions", "us-east-1"]);
    let report = outcome
        .report
        .unwrap_or_else(|| panic!("{}", outcome.stderr));
    assert!(report.credentials_source.starts_with("profile audit ("));
    assert_eq!(
        report.count("333333333333", "us-east-1", "instances"),
        Some(5)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn static_keys_in_the_config_file_default_profile() {
    let dir = scratch("config");
    let config = dir.join("config");
    std::fs::write(
        &config,
        format!(
            "[default]\nregion = us-east-1\naws_access_key_id = {DISCOVERY_KEY}\n\
             aws_secret_access_key = {DISCOVERY_SECRET}\n"
        ),
    )
    .unwrap();
    let env = Env::from_pairs([
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.join("absent").to_str().unwrap(),
        ),
        ("AWS_CONFIG_FILE", config.to_str().unwrap()),
    ]);
    let server = TestServer::default_scenario();
    let outcome = discover(&server, &env, &["--regions", "eu-west-1"]);
    let report = outcome
        .report
        .unwrap_or_else(|| panic!("{}", outcome.stderr));
    assert!(report.credentials_source.starts_with("profile default ("));
    assert_eq!(
        report.count("333333333333", "eu-west-1", "instances"),
        Some(2)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
