//! Where each service is reached, and the region each request is signed for.
//!
//! An explicit `--endpoint` sends every service to one URL (as `AWS_ENDPOINT_URL` does for the
//! SDKs); a rolecall server routes by the service named in the signature's credential scope.
//! Without one, `AWS_ENDPOINT_URL_STS` / `_ORGANIZATIONS` / `_EC2` and then `AWS_ENDPOINT_URL`
//! are honoured, and otherwise the public AWS endpoints are used: STS in the home region,
//! Organizations in us-east-1 (its only endpoint in the commercial partition), EC2 in each
//! region walked.

use super::env::Env;

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

    fn env_suffix(self) -> &'static str {
        match self {
            Service::Sts => "STS",
            Service::Organizations => "ORGANIZATIONS",
            Service::Ec2 => "EC2",
        }
    }
}

/// How endpoints are chosen for this run.
#[derive(Debug, Clone)]
pub struct Endpoints {
    sts: Option<String>,
    organizations: Option<String>,
    ec2: Option<String>,
}

impl Endpoints {
    /// `explicit` (the `--endpoint` option) wins over the environment.
    pub fn new(explicit: Option<&str>, env: &Env) -> Endpoints {
        let pick = |service: Service| {
            explicit
                .map(str::to_string)
                .or_else(|| {
                    env.get(&format!("AWS_ENDPOINT_URL_{}", service.env_suffix()))
                        .map(str::to_string)
                })
                .or_else(|| env.get("AWS_ENDPOINT_URL").map(str::to_string))
                .map(|u| u.trim_end_matches('/').to_string())
        };
        Endpoints {
            sts: pick(Service::Sts),
            organizations: pick(Service::Organizations),
            ec2: pick(Service::Ec2),
        }
    }

    /// The URL to POST to for `service` called in `region`, and the region to sign for.
    pub fn resolve(&self, service: Service, region: &str) -> (String, String) {
        match service {
            Service::Sts => (
                self.sts
                    .clone()
                    .unwrap_or_else(|| format!("https://sts.{region}.amazonaws.com")),
                region.to_string(),
            ),
            Service::Organizations => (
                self.organizations
                    .clone()
                    .unwrap_or_else(|| "https://organizations.us-east-1.amazonaws.com".into()),
                "us-east-1".to_string(),
            ),
            Service::Ec2 => (
                self.ec2
                    .clone()
                    .unwrap_or_else(|| format!("https://ec2.{region}.amazonaws.com")),
                region.to_string(),
            ),
        }
    }

    /// The overridden endpoint, if every service goes to one (used to point at rolecall's
    /// decision traces in hints).
    pub fn local(&self) -> Option<&str> {
        self.sts.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_then_per_service_then_general_then_aws() {
        let env = Env::from_pairs([
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:1/"),
            ("AWS_ENDPOINT_URL_EC2", "http://127.0.0.1:2"),
        ]);
        let e = Endpoints::new(None, &env);
        assert_eq!(e.resolve(Service::Sts, "eu-west-1").0, "http://127.0.0.1:1");
        assert_eq!(e.resolve(Service::Ec2, "eu-west-1").0, "http://127.0.0.1:2");
        let e = Endpoints::new(Some("http://127.0.0.1:3"), &env);
        assert_eq!(e.resolve(Service::Ec2, "eu-west-1").0, "http://127.0.0.1:3");
        let e = Endpoints::new(None, &Env::default());
        assert_eq!(
            e.resolve(Service::Ec2, "eu-west-1"),
            (
                "https://ec2.eu-west-1.amazonaws.com".into(),
                "eu-west-1".into()
            )
        );
        assert_eq!(
            e.resolve(Service::Organizations, "eu-west-1").1,
            "us-east-1"
        );
    }
}
