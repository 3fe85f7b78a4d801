//! The shared config file (`AWS_CONFIG_FILE`, else `~/.aws/config`) as the AWS CLI and SDKs
//! read it, seen from the active profile (`AWS_PROFILE`, else `default`).
//!
//! The walk reads a handful of its settings: `region`, static keys, `ca_bundle`,
//! `endpoint_url`, and `services`, which names a `[services NAME]` section holding per-service
//! settings nested under the service's key:
//!
//! ```ini
//! [profile audit]
//! region = eu-west-1
//! services = local
//!
//! [services local]
//! ec2 =
//!   endpoint_url = http://127.0.0.1:4566
//! ```
//!
//! A missing or unreadable file is an empty one, as for the SDKs.

use super::env::Env;
use std::collections::HashMap;
use std::path::PathBuf;

/// One `[section]`: its `key = value` lines, and nested lines stored as `parent.key`
/// (AWS setting names never contain a dot, so the two cannot collide).
pub type Section = HashMap<String, String>;

/// The shared config file, and which profile of it is in force.
#[derive(Debug, Clone, Default)]
pub struct SharedConfig {
    /// The active profile's name.
    pub profile: String,
    /// The file read, when one was looked for.
    pub path: Option<PathBuf>,
    sections: HashMap<String, Section>,
}

impl SharedConfig {
    /// Reads the config file `env` points at.
    pub fn load(env: &Env) -> SharedConfig {
        let path = path_of(env, "AWS_CONFIG_FILE", "config");
        let sections = path
            .as_ref()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .map(|text| parse_ini(&text))
            .unwrap_or_default();
        SharedConfig {
            profile: profile_name(env),
            path,
            sections,
        }
    }

    /// A config of already parsed sections, as if read from a file.
    #[cfg(test)]
    pub(crate) fn from_sections(profile: &str, sections: HashMap<String, Section>) -> SharedConfig {
        SharedConfig {
            profile: profile.to_string(),
            path: None,
            sections,
        }
    }

    /// The active profile's section: `[default]`, or `[profile NAME]`.
    pub fn profile_section(&self) -> Option<&Section> {
        if self.profile == "default" {
            self.sections.get("default")
        } else {
            self.sections.get(&format!("profile {}", self.profile))
        }
    }

    /// A top-level setting of the active profile.
    pub fn setting(&self, key: &str) -> Option<&str> {
        self.profile_section()?
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// `key` nested under `service` in the `[services NAME]` section the profile names.
    /// `Err` when the profile names a services section that does not exist (the AWS CLI
    /// refuses such a configuration too).
    pub fn service_setting(&self, service: &str, key: &str) -> Result<Option<&str>, String> {
        let Some(name) = self.setting("services") else {
            return Ok(None);
        };
        let Some(section) = self.sections.get(&format!("services {name}")) else {
            return Err(format!(
                "profile '{}' uses services section '{name}', which {} does not define",
                self.profile,
                self.describe_path()
            ));
        };
        Ok(section
            .get(&format!("{service}.{key}"))
            .map(String::as_str)
            .filter(|v| !v.is_empty()))
    }

    /// `profile NAME (FILE)`: where a setting came from, for messages.
    pub fn describe_source(&self) -> String {
        format!("profile {} ({})", self.profile, self.describe_path())
    }

    fn describe_path(&self) -> String {
        self.path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "the shared config file".into())
    }
}

/// The active profile: `AWS_PROFILE`, else `default`.
pub fn profile_name(env: &Env) -> String {
    env.get("AWS_PROFILE").unwrap_or("default").to_string()
}

/// The file a variable names, else `~/.aws/<name>` when `HOME` is known.
pub fn path_of(env: &Env, var: &str, name: &str) -> Option<PathBuf> {
    match env.get(var) {
        Some(p) => Some(PathBuf::from(p)),
        None => env
            .get("HOME")
            .map(|home| PathBuf::from(home).join(".aws").join(name)),
    }
}

/// Sections of an INI file as the AWS shared files write them: `[name]` headers, `key = value`
/// lines, `#` and `;` comments. Keys and values are trimmed. An indented `key = value` under a
/// key with an empty value is a nested setting, kept as `parent.key`; other indented lines (the
/// AWS CLI reads them as continuations of the value above) are ignored.
pub fn parse_ini(text: &str) -> HashMap<String, Section> {
    let mut sections: HashMap<String, Section> = HashMap::new();
    let mut current: Option<String> = None;
    // The key whose empty value opens a block of nested settings.
    let mut parent: Option<String> = None;
    for raw in text.lines() {
        let indented = raw.starts_with([' ', '\t']);
        let line = raw.trim();
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if indented {
            if let (Some(section), Some(parent), Some((key, value))) =
                (&current, &parent, line.split_once('='))
            {
                sections
                    .entry(section.clone())
                    .or_default()
                    .insert(format!("{parent}.{}", key.trim()), value.trim().to_string());
            }
            continue;
        }
        parent = None;
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
            sections.entry(name.clone()).or_default();
            current = Some(name);
        } else if let (Some(section), Some((key, value))) = (&current, line.split_once('=')) {
            let (key, value) = (key.trim(), value.trim());
            if value.is_empty() {
                parent = Some(key.to_string());
            }
            sections
                .entry(section.clone())
                .or_default()
                .insert(key.to_string(), value.to_string());
        }
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ini_sections_and_comments() {
        let ini = parse_ini("# c\n[profile  audit]\nregion = us-west-2\n  nested = x\n[default]\n; c\naws_access_key_id=AKIA\n");
        assert_eq!(ini["profile audit"]["region"], "us-west-2");
        assert!(!ini["profile audit"].keys().any(|k| k.contains("nested")));
        assert_eq!(ini["default"]["aws_access_key_id"], "AKIA");
    }

    #[test]
    fn nested_settings_under_an_empty_key() {
        let ini = parse_ini(
            "[services local]\nec2 =\n  endpoint_url = http://127.0.0.1:1\n\
             sts=\n\tendpoint_url=http://127.0.0.1:2\n",
        );
        assert_eq!(
            ini["services local"]["ec2.endpoint_url"],
            "http://127.0.0.1:1"
        );
        assert_eq!(
            ini["services local"]["sts.endpoint_url"],
            "http://127.0.0.1:2"
        );
    }

    #[test]
    fn the_profile_names_its_services_section() {
        let config = SharedConfig::from_sections(
            "audit",
            parse_ini(
                "[profile audit]\nservices = local\nca_bundle = /ca.pem\n\
                 [services local]\nec2 =\n  endpoint_url = http://127.0.0.1:1\n\
                 [profile broken]\nservices = nowhere\n",
            ),
        );
        assert_eq!(config.setting("ca_bundle"), Some("/ca.pem"));
        assert_eq!(
            config.service_setting("ec2", "endpoint_url"),
            Ok(Some("http://127.0.0.1:1"))
        );
        assert_eq!(config.service_setting("sts", "endpoint_url"), Ok(None));
        let broken = SharedConfig {
            profile: "broken".into(),
            ..config
        };
        assert!(broken
            .service_setting("ec2", "endpoint_url")
            .unwrap_err()
            .contains("'nowhere'"));
    }
}
