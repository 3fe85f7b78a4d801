//! `rolecall discover` with its base credentials in shared config files, as the AWS CLI and
//! SDKs read them: `AWS_PROFILE`, `[profile x]` in the config file, `[x]` in the credentials
//! file, the credentials file winning.

use crate::support::*;
use rolecall_discover::Env;
use rolecall_test_support::*;
use std::path::{Path, PathBuf};

/// A fresh directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rolecall-discover-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `text` to the file `name` in `dir`; the file's path.
fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Walks `region` of the default scenario with `env`: the keys must come from `profile`, and
/// the created member's instances there must be counted.
fn assert_walk_with_profile(env: &Env, profile: &str, region: &str, instances: u64) {
    let outcome = discover_default_scenario(env, &["--regions", region]);
    let report = report(&outcome);
    let source = &report.credentials_source;
    assert!(
        source.starts_with(&format!("profile {profile} (")),
        "{source}"
    );
    assert_instance_counts(report, &[("333333333333", region, instances)]);
}

#[test]
fn a_named_profile_in_the_credentials_file() {
    let dir = scratch("credentials");
    let credentials = write(
        &dir,
        "credentials",
        &format!(
            "[default]\naws_access_key_id = AKIAUNKNOWNEXAMPLE01\naws_secret_access_key = x\n\n\
             [audit]\naws_access_key_id = {DISCOVERY_KEY}\naws_secret_access_key = {DISCOVERY_SECRET}\n"
        ),
    );
    let config = write(&dir, "config", "[profile audit]\nregion = eu-west-1\n");
    let env = Env::from_pairs([
        ("AWS_PROFILE", "audit"),
        ("AWS_SHARED_CREDENTIALS_FILE", credentials.to_str().unwrap()),
        ("AWS_CONFIG_FILE", config.to_str().unwrap()),
    ]);
    assert_walk_with_profile(&env, "audit", "us-east-1", 5);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn static_keys_in_the_config_file_default_profile() {
    let dir = scratch("config");
    let config = write(
        &dir,
        "config",
        &format!(
            "[default]\nregion = us-east-1\naws_access_key_id = {DISCOVERY_KEY}\n\
             aws_secret_access_key = {DISCOVERY_SECRET}\n"
        ),
    );
    let env = Env::from_pairs([
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.join("absent").to_str().unwrap(),
        ),
        ("AWS_CONFIG_FILE", config.to_str().unwrap()),
    ]);
    assert_walk_with_profile(&env, "default", "eu-west-1", 2);
    let _ = std::fs::remove_dir_all(&dir);
}
