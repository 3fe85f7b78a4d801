//! The base credentials, found the way the AWS CLI and SDKs look for static keys:
//!
//! 1. `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (with `AWS_SESSION_TOKEN` when set);
//! 2. the profile named by `AWS_PROFILE` (else `default`) in the shared credentials file
//!    (`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`, sections `[name]`), then in
//!    the shared config file (`AWS_CONFIG_FILE`, else `~/.aws/config`, sections
//!    `[profile name]`, and `[default]`), keys `aws_access_key_id`, `aws_secret_access_key`,
//!    `aws_session_token`.
//!
//! Only static keys are read: profiles that assume a role (`role_arn`/`source_profile`), SSO,
//! `credential_process` and instance metadata are not followed. The home region comes from
//! `AWS_REGION`, `AWS_DEFAULT_REGION`, or the profile's `region` in the config file.

use super::env::Env;
use super::profile::{parse_ini, path_of, SharedConfig};
use std::fmt;

/// A set of AWS keys.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

impl fmt::Debug for Credentials {
    // Never print a secret, even in a debug dump.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("session_token", &self.session_token.as_ref().map(|_| "…"))
            .finish_non_exhaustive()
    }
}

/// The base identity's keys, where they came from, and the region to call home in.
#[derive(Debug, Clone)]
pub struct Base {
    pub credentials: Credentials,
    /// `environment` or `profile NAME (FILE)`, for the opening line of the report.
    pub source: String,
    pub region: Option<String>,
}

/// Finds the base credentials in the environment, then in the shared files, or says where it
/// looked.
pub fn resolve(env: &Env, config: &SharedConfig) -> Result<Base, String> {
    let profile = config.profile.clone();
    let config_section = config.profile_section();
    let region = env
        .get("AWS_REGION")
        .or_else(|| env.get("AWS_DEFAULT_REGION"))
        .or_else(|| config.setting("region"))
        .map(str::to_string);

    if let (Some(id), Some(secret)) = (
        env.get("AWS_ACCESS_KEY_ID"),
        env.get("AWS_SECRET_ACCESS_KEY"),
    ) {
        return Ok(Base {
            credentials: Credentials {
                access_key_id: id.to_string(),
                secret_access_key: secret.to_string(),
                session_token: env.get("AWS_SESSION_TOKEN").map(str::to_string),
            },
            source: "environment".into(),
            region,
        });
    }

    let credentials_path = path_of(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
    let credentials_file = credentials_path
        .as_ref()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .map(|text| parse_ini(&text))
        .unwrap_or_default();
    let candidates = [
        (credentials_file.get(&profile), credentials_path.as_ref()),
        (config_section, config.path.as_ref()),
    ];
    for (section, path) in candidates {
        let Some(section) = section else { continue };
        if let (Some(id), Some(secret)) = (
            section.get("aws_access_key_id"),
            section.get("aws_secret_access_key"),
        ) {
            let file = path.map(|p| p.display().to_string()).unwrap_or_default();
            return Ok(Base {
                credentials: Credentials {
                    access_key_id: id.clone(),
                    secret_access_key: secret.clone(),
                    session_token: section.get("aws_session_token").cloned(),
                },
                source: format!("profile {profile} ({file})"),
                region,
            });
        }
    }
    Err(format!(
        "no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give profile \
         '{profile}' static keys (aws_access_key_id, aws_secret_access_key) in the shared \
         credentials or config file"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_wins_over_files() {
        let env = Env::from_pairs([
            ("AWS_ACCESS_KEY_ID", "AKIAENV"),
            ("AWS_SECRET_ACCESS_KEY", "s"),
            ("AWS_REGION", "eu-west-1"),
            ("AWS_CONFIG_FILE", "/nonexistent/config"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
        ]);
        let base = resolve(&env, &SharedConfig::load(&env)).unwrap();
        assert_eq!(base.credentials.access_key_id, "AKIAENV");
        assert_eq!(base.source, "environment");
        assert_eq!(base.region.as_deref(), Some("eu-west-1"));
    }

    #[test]
    fn nothing_found_says_where_to_put_keys() {
        let env = Env::from_pairs([
            ("AWS_CONFIG_FILE", "/nonexistent/config"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
        ]);
        assert!(resolve(&env, &SharedConfig::load(&env))
            .unwrap_err()
            .contains("AWS_ACCESS_KEY_ID"));
    }
}
