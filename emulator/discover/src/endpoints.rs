//! Where each service is reached, and the region each request is signed for.
//!
//! A configured endpoint wins, looked up in the order the AWS SDKs use (the SDKs and Tools
//! reference, "Service-specific endpoints"; botocore's `ConfiguredEndpointProvider` reads the
//! same four places in the same order):
//!
//! 1. `--endpoint`, for every service (what `--endpoint-url` or an endpoint set in code is to
//!    the SDKs); a rolecall server routes by the service named in the credential scope;
//! 2. `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL_ORGANIZATIONS`, `AWS_ENDPOINT_URL_EC2`;
//! 3. `AWS_ENDPOINT_URL`;
//! 4. `endpoint_url` nested under `sts`, `organizations` or `ec2` in the `[services NAME]`
//!    section that the active profile's `services` setting names;
//! 5. `endpoint_url` in the active profile.
//!
//! `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` (or `ignore_configured_endpoint_urls = true` in
//! the profile, the variable winning) skips 2–5; `--endpoint` still applies.
//!
//! Otherwise the public endpoints, as AWS's endpoint rule sets (the `endpoint-rule-set-1.json`
//! the SDKs are generated from) resolve them without FIPS or dual-stack:
//!
//! - STS: the regional endpoint `https://sts.{region}.{dnsSuffix}`, signed for that region.
//!   Regional endpoints are AWS's recommendation and the default of current SDKs; their
//!   session tokens are valid in every region, where the legacy global endpoint's are not
//!   valid in opt-in regions. The pseudo-region `aws-global` is that global endpoint,
//!   `https://sts.amazonaws.com`, signed for us-east-1.
//! - Organizations: one endpoint per partition, signed for that partition's Organizations
//!   region: `organizations.us-east-1.amazonaws.com` (us-east-1) in `aws`,
//!   `organizations.cn-northwest-1.amazonaws.com.cn` in `aws-cn`,
//!   `organizations.us-gov-west-1.amazonaws.com` in `aws-us-gov`, and likewise in the ISO
//!   partitions. The partition is the home region's.
//! - EC2: `https://ec2.{region}.{dnsSuffix}` for each region walked, signed for it.
//!
//! The home region itself is `AWS_REGION`, `AWS_DEFAULT_REGION` or the profile's `region`
//! (see [`super::credentials`]); where none is set the walk uses us-east-1, the `aws`
//! partition's default, where the SDKs would refuse to run.

use super::env::Env;
use super::profile::SharedConfig;

/// The three services the walk calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Sts,
    Organizations,
    Ec2,
}

impl Service {
    /// The SigV4 signing name.
    pub fn signing_name(self) -> &'static str {
        match self {
            Service::Sts => "sts",
            Service::Organizations => "organizations",
            Service::Ec2 => "ec2",
        }
    }

    /// The service's key in a `[services]` section: its service id in snake case.
    fn config_key(self) -> &'static str {
        self.signing_name()
    }

    /// The suffix of its `AWS_ENDPOINT_URL_<SERVICE>` variable: its service id in upper snake
    /// case.
    fn env_suffix(self) -> &'static str {
        match self {
            Service::Sts => "STS",
            Service::Organizations => "ORGANIZATIONS",
            Service::Ec2 => "EC2",
        }
    }
}

/// The DNS suffix of a region's partition, and where that partition's Organizations endpoint
/// lives (`None`: in each region, the rule set's generic `organizations.{region}.{dnsSuffix}`).
struct Partition {
    dns_suffix: &'static str,
    organizations_region: Option<&'static str>,
}

/// The partition a region belongs to (botocore's `partitions.json`: its region patterns and
/// `dnsSuffix`; the per-partition Organizations endpoints from Organizations' rule set).
fn partition(region: &str) -> Partition {
    let (dns_suffix, organizations_region) =
        if region.starts_with("cn-") || region == "aws-cn-global" {
            ("amazonaws.com.cn", Some("cn-northwest-1"))
        } else if region.starts_with("us-gov-") || region == "aws-us-gov-global" {
            ("amazonaws.com", Some("us-gov-west-1"))
        } else if region.starts_with("us-isob-") || region == "aws-iso-b-global" {
            ("sc2s.sgov.gov", Some("us-isob-east-1"))
        } else if region.starts_with("us-isof-") {
            ("csp.hci.ic.gov", Some("us-isof-south-1"))
        } else if region.starts_with("us-iso-") || region == "aws-iso-global" {
            ("c2s.ic.gov", Some("us-iso-east-1"))
        } else if region.starts_with("eu-isoe-") {
            ("cloud.adc-e.uk", None)
        } else {
            ("amazonaws.com", Some("us-east-1"))
        };
    Partition {
        dns_suffix,
        organizations_region,
    }
}

/// How endpoints are chosen for this run: the configured URL of each service, if any.
#[derive(Debug, Clone)]
pub struct Endpoints {
    sts: Option<String>,
    organizations: Option<String>,
    ec2: Option<String>,
}

impl Endpoints {
    /// `explicit` (the `--endpoint` option) wins over the environment and the config file.
    pub fn new(
        explicit: Option<&str>,
        env: &Env,
        config: &SharedConfig,
    ) -> Result<Endpoints, String> {
        let ignore_configured = match env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") {
            Some(v) => v.eq_ignore_ascii_case("true"),
            None => config
                .setting("ignore_configured_endpoint_urls")
                .is_some_and(|v| v.eq_ignore_ascii_case("true")),
        };
        let pick = |service: Service| -> Result<Option<String>, String> {
            let configured = if let Some(url) = explicit {
                Some(url.to_string())
            } else if ignore_configured {
                None
            } else if let Some(url) = env
                .get(&format!("AWS_ENDPOINT_URL_{}", service.env_suffix()))
                .or_else(|| env.get("AWS_ENDPOINT_URL"))
            {
                Some(url.to_string())
            } else {
                config
                    .service_setting(service.config_key(), "endpoint_url")?
                    .or_else(|| config.setting("endpoint_url"))
                    .map(str::to_string)
            };
            Ok(configured.map(|u| u.trim_end_matches('/').to_string()))
        };
        Ok(Endpoints {
            sts: pick(Service::Sts)?,
            organizations: pick(Service::Organizations)?,
            ec2: pick(Service::Ec2)?,
        })
    }

    /// The URL to POST to for `service` called in `region`, and the region to sign for.
    /// Organizations is called with the home region, which picks the partition.
    pub fn resolve(&self, service: Service, region: &str) -> (String, String) {
        let partition = partition(region);
        let suffix = partition.dns_suffix;
        match service {
            Service::Sts => {
                let (default, signing) = if region == "aws-global" {
                    ("https://sts.amazonaws.com".to_string(), "us-east-1")
                } else {
                    (format!("https://sts.{region}.{suffix}"), region)
                };
                (self.sts.clone().unwrap_or(default), signing.to_string())
            }
            Service::Organizations => {
                let home = partition.organizations_region.unwrap_or(region);
                let default = format!("https://organizations.{home}.{suffix}");
                (
                    self.organizations.clone().unwrap_or(default),
                    home.to_string(),
                )
            }
            Service::Ec2 => (
                self.ec2
                    .clone()
                    .unwrap_or_else(|| format!("https://ec2.{region}.{suffix}")),
                region.to_string(),
            ),
        }
    }

    /// The configured STS endpoint, if any (used to point at rolecall's decision traces in
    /// hints when it is on loopback).
    pub fn local(&self) -> Option<&str> {
        self.sts.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::parse_ini;

    fn aws() -> Endpoints {
        Endpoints::new(None, &Env::default(), &SharedConfig::default()).unwrap()
    }

    fn config(profile: &str, ini: &str) -> SharedConfig {
        SharedConfig::from_sections(profile, parse_ini(ini))
    }

    #[test]
    fn explicit_then_per_service_then_general() {
        let env = Env::from_pairs([
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:1/"),
            ("AWS_ENDPOINT_URL_EC2", "http://127.0.0.1:2"),
        ]);
        let none = SharedConfig::default();
        let e = Endpoints::new(None, &env, &none).unwrap();
        assert_eq!(e.resolve(Service::Sts, "eu-west-1").0, "http://127.0.0.1:1");
        assert_eq!(e.resolve(Service::Ec2, "eu-west-1").0, "http://127.0.0.1:2");
        let e = Endpoints::new(Some("http://127.0.0.1:3"), &env, &none).unwrap();
        assert_eq!(e.resolve(Service::Ec2, "eu-west-1").0, "http://127.0.0.1:3");
    }

    #[test]
    fn the_environment_then_the_services_section_then_the_profile() {
        let shared = config(
            "audit",
            "[profile audit]\nendpoint_url = http://127.0.0.1:10\nservices = local\n\
             [services local]\nec2 =\n  endpoint_url = http://127.0.0.1:11\n",
        );
        let e = Endpoints::new(None, &Env::default(), &shared).unwrap();
        assert_eq!(
            e.resolve(Service::Ec2, "us-east-1").0,
            "http://127.0.0.1:11"
        );
        assert_eq!(
            e.resolve(Service::Sts, "us-east-1").0,
            "http://127.0.0.1:10"
        );
        let env = Env::from_pairs([("AWS_ENDPOINT_URL", "http://127.0.0.1:12")]);
        let e = Endpoints::new(None, &env, &shared).unwrap();
        assert_eq!(
            e.resolve(Service::Ec2, "us-east-1").0,
            "http://127.0.0.1:12"
        );
    }

    #[test]
    fn ignoring_configured_endpoints_keeps_only_the_flag() {
        let env = Env::from_pairs([
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:1"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE"),
        ]);
        let shared = config("default", "[default]\nendpoint_url = http://127.0.0.1:2\n");
        let e = Endpoints::new(None, &env, &shared).unwrap();
        assert_eq!(
            e.resolve(Service::Sts, "eu-west-1").0,
            "https://sts.eu-west-1.amazonaws.com"
        );
        assert!(e.local().is_none());
        let e = Endpoints::new(Some("http://127.0.0.1:3"), &env, &shared).unwrap();
        assert_eq!(e.resolve(Service::Sts, "eu-west-1").0, "http://127.0.0.1:3");
        // The profile's own switch, which the variable overrides.
        let shared = config(
            "default",
            "[default]\nendpoint_url = http://127.0.0.1:2\nignore_configured_endpoint_urls = true\n",
        );
        assert!(Endpoints::new(None, &Env::default(), &shared)
            .unwrap()
            .local()
            .is_none());
        let env = Env::from_pairs([("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false")]);
        assert_eq!(
            Endpoints::new(None, &env, &shared).unwrap().local(),
            Some("http://127.0.0.1:2")
        );
    }

    #[test]
    fn a_missing_services_section_is_an_error() {
        let shared = config("default", "[default]\nservices = nowhere\n");
        assert!(Endpoints::new(None, &Env::default(), &shared).is_err());
    }

    #[test]
    fn sts_and_ec2_are_regional() {
        let e = aws();
        assert_eq!(
            e.resolve(Service::Sts, "eu-west-1"),
            (
                "https://sts.eu-west-1.amazonaws.com".into(),
                "eu-west-1".into()
            )
        );
        assert_eq!(
            e.resolve(Service::Ec2, "ap-southeast-3"),
            (
                "https://ec2.ap-southeast-3.amazonaws.com".into(),
                "ap-southeast-3".into()
            )
        );
        assert_eq!(
            e.resolve(Service::Sts, "aws-global"),
            ("https://sts.amazonaws.com".into(), "us-east-1".into())
        );
    }

    #[test]
    fn organizations_has_one_endpoint_per_partition() {
        let e = aws();
        assert_eq!(
            e.resolve(Service::Organizations, "eu-west-1"),
            (
                "https://organizations.us-east-1.amazonaws.com".into(),
                "us-east-1".into()
            )
        );
        assert_eq!(
            e.resolve(Service::Organizations, "cn-north-1"),
            (
                "https://organizations.cn-northwest-1.amazonaws.com.cn".into(),
                "cn-northwest-1".into()
            )
        );
        assert_eq!(
            e.resolve(Service::Organizations, "us-gov-east-1"),
            (
                "https://organizations.us-gov-west-1.amazonaws.com".into(),
                "us-gov-west-1".into()
            )
        );
    }

    #[test]
    fn other_partitions_have_their_own_dns_suffix() {
        let e = aws();
        assert_eq!(
            e.resolve(Service::Sts, "cn-northwest-1").0,
            "https://sts.cn-northwest-1.amazonaws.com.cn"
        );
        assert_eq!(
            e.resolve(Service::Ec2, "cn-north-1").0,
            "https://ec2.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            e.resolve(Service::Ec2, "us-gov-west-1").0,
            "https://ec2.us-gov-west-1.amazonaws.com"
        );
        assert_eq!(
            e.resolve(Service::Ec2, "us-iso-east-1").0,
            "https://ec2.us-iso-east-1.c2s.ic.gov"
        );
        assert_eq!(
            e.resolve(Service::Ec2, "us-isob-east-1").0,
            "https://ec2.us-isob-east-1.sc2s.sgov.gov"
        );
        assert_eq!(
            e.resolve(Service::Organizations, "eu-isoe-west-1"),
            (
                "https://organizations.eu-isoe-west-1.cloud.adc-e.uk".into(),
                "eu-isoe-west-1".into()
            )
        );
    }
}
