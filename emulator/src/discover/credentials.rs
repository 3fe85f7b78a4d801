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
use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;

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

/// Finds the base credentials, or says where it looked.
pub fn resolve(env: &Env) -> Result<Base, String> {
    let profile = env.get("AWS_PROFILE").unwrap_or("default").to_string();
    let config_path = path_of(env, "AWS_CONFIG_FILE", "config");
    let config = config_path
        .as_ref()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .map(|text| parse_ini(&text))
        .unwrap_or_default();
    let config_section = if profile == "default" {
        config.get("default")
    } else {
        config.get(&format!("profile {profile}"))
    };
    let region = env
        .get("AWS_REGION")
        .or_else(|| env.get("AWS_DEFAULT_REGION"))
        .map(str::to_string)
        .or_else(|| config_section.and_then(|s| s.get("region").cloned()));

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
        (config_section, config_path.as_ref()),
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

/// The file a variable names, else `~/.aws/<name>` when `HOME` is known.
fn path_of(env: &Env, var: &str, name: &str) -> Option<PathBuf> {
    match env.get(var) {
        Some(p) => Some(PathBuf::from(p)),
        None => env
            .get("HOME")
            .map(|home| PathBuf::from(home).join(".aws").join(name)),
    }
}

/// Sections of an INI file as the AWS shared files write them: `[name]` headers, `key = value`
/// lines, `#` and `;` comments. Keys are trimmed; nested (indented) sub-keys are ignored.
fn parse_ini(text: &str) -> HashMap<String, HashMap<String, String>> {
    let mut sections: HashMap<String, HashMap<String, String>> = HashMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let line = line.trim();
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
            sections.entry(name.clone()).or_default();
            current = Some(name);
        } else if let (Some(section), Some((key, value))) = (&current, line.split_once('=')) {
            sections
                .entry(section.clone())
                .or_default()
                .insert(key.trim().to_string(), value.trim().to_string());
        }
    }
    sections
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
        let base = resolve(&env).unwrap();
        assert_eq!(base.credentials.access_key_id, "AKIAENV");
        assert_eq!(base.source, "environment");
        assert_eq!(base.region.as_deref(), Some("eu-west-1"));
    }

    #[test]
    fn ini_sections_and_comments() {
        let ini = parse_ini("# c\n[profile  audit]\nregion = us-west-2\n  nested = x\n[default]\n; c\naws_access_key_id=AKIA\n");
        assert_eq!(ini["profile audit"]["region"], "us-west-2");
        assert!(!ini["profile audit"].contains_key("nested"));
        assert_eq!(ini["default"]["aws_access_key_id"], "AKIA");
    }

    #[test]
    fn nothing_found_says_where_to_put_keys() {
        let env = Env::from_pairs([
            ("AWS_CONFIG_FILE", "/nonexistent/config"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
        ]);
        assert!(resolve(&env).unwrap_err().contains("AWS_ACCESS_KEY_ID"));
    }
}
