//! The request context: the condition keys AWS puts in every request, filled from the resolved
//! caller and the request (IAM user guide, "AWS global condition context keys").
//!
//! The keys are answered on demand ([`RequestKeys`] is the base layer of an
//! [`authz::Context`](rolecall_engine::authz::Context)): most policies read no condition key, so most
//! requests format no time, address or number for one. A value, once read, is kept for the
//! rest of the request, so every policy that reads it sees the same text.

use super::Call;
use rolecall_engine::authz::Context;
use rolecall_engine::policy::RequestValues;
use rolecall_model::{Principal, World};
use rolecall_wire::format_timestamp;
use std::cell::OnceCell;
use std::net::IpAddr;
use time::OffsetDateTime;

/// The single-valued keys [`RequestKeys`] answers, in the order AWS's documentation lists
/// them; each has a slot for its value once worked out.
const KEYS: [&str; 17] = [
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:PrincipalType",
    "aws:userid",
    "aws:username",
    "aws:PrincipalOrgID",
    "aws:SourceIp",
    "aws:CurrentTime",
    "aws:EpochTime",
    "aws:SecureTransport",
    "aws:RequestedRegion",
    "aws:ViaAWSService",
    "aws:MultiFactorAuthPresent",
    "aws:MultiFactorAuthAge",
    "aws:TokenIssueTime",
    "aws:SourceIdentity",
    "aws:ResourceAccount",
];
/// `aws:ResourceOrgID` is answered from the world without a slot, as are the multivalued
/// `aws:PrincipalOrgPaths` and the tag keys.
const RESOURCE_ORG_ID: &str = "aws:ResourceOrgID";
const PRINCIPAL_ORG_PATHS: &str = "aws:PrincipalOrgPaths";
const PRINCIPAL_TAG: &str = "aws:PrincipalTag/";
const RESOURCE_TAG: &str = "aws:ResourceTag/";

/// The global keys of one request, plus the resource-side ones, worked out when read.
pub struct RequestKeys<'a> {
    world: &'a World,
    principal: &'a Principal,
    region: &'a str,
    source_ip: IpAddr,
    now: OffsetDateTime,
    /// The account owning the resource (`aws:ResourceAccount`), if there is a resource side.
    resource_account: Option<&'a str>,
    /// The resource's tags (`aws:ResourceTag/*`), when the action names a tagged resource.
    resource_tags: &'a [(String, String)],
    /// `KEYS[i]`'s value once read; the inner `None` is a key this request does not carry.
    values: [OnceCell<Option<String>>; KEYS.len()],
}

impl<'a> RequestKeys<'a> {
    /// The keys for a caller, a region, a source address and a time; `rolecall explain`
    /// builds its context here too, so offline answers match served ones.
    pub fn new(
        world: &'a World,
        principal: &'a Principal,
        region: &'a str,
        source_ip: IpAddr,
        now: OffsetDateTime,
    ) -> RequestKeys<'a> {
        RequestKeys {
            world,
            principal,
            region,
            source_ip,
            now,
            resource_account: None,
            resource_tags: &[],
            values: Default::default(),
        }
    }

    /// The global keys of a call.
    pub fn of_call(call: &Call<'a>) -> RequestKeys<'a> {
        RequestKeys::new(
            call.world,
            call.principal,
            call.region,
            call.source_ip,
            call.now,
        )
    }

    /// Adds the resource-side keys: `aws:ResourceAccount`, and `aws:ResourceOrgID` when the
    /// resource's account is in the scenario's organization. The engine reads the org ids on
    /// both sides to tell a same-organization request (whose denials name the failing policy
    /// type) from a cross-organization one (whose denials do not).
    pub fn with_resource(mut self, resource_account: &'a str) -> RequestKeys<'a> {
        self.resource_account = Some(resource_account);
        self
    }

    /// Adds `aws:ResourceTag/*` for a resource with these tags.
    pub fn with_resource_tags(mut self, tags: &'a [(String, String)]) -> RequestKeys<'a> {
        self.resource_tags = tags;
        self
    }

    /// The value of `KEYS[slot]`, as the eager context used to insert it.
    fn compute(&self, slot: usize) -> Option<String> {
        let principal = self.principal;
        let account = principal.account();
        let session = principal.session();
        Some(match KEYS[slot] {
            "aws:PrincipalArn" => principal.principal_arn().to_string(),
            "aws:PrincipalAccount" => account.id.clone(),
            "aws:PrincipalType" => principal.principal_type().to_string(),
            "aws:userid" => principal.user_id().to_string(),
            // aws:username is present for IAM users only.
            "aws:username" => match principal {
                Principal::User { user, .. } | Principal::UserSession { user, .. } => {
                    user.name.clone()
                }
                _ => return None,
            },
            "aws:PrincipalOrgID" => self.principal_org()?.0.to_string(),
            "aws:SourceIp" => self.source_ip.to_string(),
            "aws:CurrentTime" => format_timestamp(self.now),
            "aws:EpochTime" => self.now.unix_timestamp().to_string(),
            // The emulator listens on plain HTTP.
            "aws:SecureTransport" => "false".to_string(),
            "aws:RequestedRegion" => self.region.to_string(),
            "aws:ViaAWSService" => "false".to_string(),
            // MFA keys are present only for temporary credentials (IAM user guide,
            // aws:MultiFactorAuthPresent); the age counts from when the code was checked.
            "aws:MultiFactorAuthPresent" => session?.mfa_authenticated_at.is_some().to_string(),
            "aws:MultiFactorAuthAge" => {
                let at = session?.mfa_authenticated_at?;
                (self.now.unix_timestamp() - at).max(0).to_string()
            }
            "aws:TokenIssueTime" => {
                format_timestamp(OffsetDateTime::from_unix_timestamp(session?.issued).ok()?)
            }
            "aws:SourceIdentity" => session?.source_identity.clone()?,
            "aws:ResourceAccount" => self.resource_account?.to_string(),
            _ => return None,
        })
    }

    /// The organization id and the caller account's path in it, when the caller's account
    /// belongs to the scenario's organization.
    fn principal_org(&self) -> Option<(&'a str, &'a String)> {
        let account = self.principal.account();
        match (&self.world.organization, &account.org_path) {
            (Some(org), Some(path)) if account.in_organization => Some((&org.id, path)),
            _ => None,
        }
    }

    fn resource_org_id(&self) -> Option<&'a String> {
        let org = self.world.organization.as_ref()?;
        let account = self.world.account(self.resource_account?)?;
        account.in_organization.then_some(&org.id)
    }
}

/// The last tag whose key matches, ignoring case: as in the eager context, where a later
/// insert of the same key replaced an earlier one.
fn tag<'t>(tags: &'t [(String, String)], key: &str) -> Option<&'t [String]> {
    tags.iter()
        .rev()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| std::slice::from_ref(v))
}

/// `key` without `prefix`, compared ignoring case.
fn strip_prefix_ignore_case<'k>(key: &'k str, prefix: &str) -> Option<&'k str> {
    let head = key.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &key[prefix.len()..])
}

impl RequestValues for RequestKeys<'_> {
    fn lookup(&self, key: &str) -> Option<&[String]> {
        if let Some(slot) = KEYS.iter().position(|k| k.eq_ignore_ascii_case(key)) {
            return self.values[slot]
                .get_or_init(|| self.compute(slot))
                .as_ref()
                .map(std::slice::from_ref);
        }
        if key.eq_ignore_ascii_case(RESOURCE_ORG_ID) {
            return self.resource_org_id().map(std::slice::from_ref);
        }
        if key.eq_ignore_ascii_case(PRINCIPAL_ORG_PATHS) {
            return self
                .principal_org()
                .map(|(_, path)| std::slice::from_ref(path));
        }
        if let Some(name) = strip_prefix_ignore_case(key, PRINCIPAL_TAG) {
            return tag(self.principal.tags(), name);
        }
        if let Some(name) = strip_prefix_ignore_case(key, RESOURCE_TAG) {
            return tag(self.resource_tags, name);
        }
        None
    }
}

/// A context over a call's keys for an action on a resource owned by `resource_account`.
pub fn for_call<'c>(call: &Call<'c>, resource_account: &'c str) -> Context<'c> {
    Context::over(RequestKeys::of_call(call).with_resource(resource_account))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rolecall_model::session::{SessionClaims, SessionPrincipal};
    use std::net::Ipv4Addr;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-03-04 05:06:07 UTC);
    const IP: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7));

    fn one(keys: &RequestKeys, key: &str) -> Option<String> {
        match keys.lookup(key) {
            Some([value]) => Some(value.clone()),
            Some(other) => panic!("{key} has {} values", other.len()),
            None => None,
        }
    }

    #[test]
    fn a_user_gets_the_global_and_resource_keys() {
        let world = rolecall_model::scenario::default_world();
        let account = world.account("111111111111").unwrap().clone();
        let user = account.users.get("discovery").unwrap().clone();
        let principal = Principal::User { account, user };
        let keys = RequestKeys::new(&world, &principal, "eu-west-1", IP, NOW)
            .with_resource("333333333333");
        let expect = [
            (
                "aws:PrincipalArn",
                "arn:aws:iam::111111111111:user/discovery",
            ),
            ("aws:PrincipalAccount", "111111111111"),
            ("AWS:PRINCIPALTYPE", "User"),
            ("aws:username", "discovery"),
            ("aws:PrincipalOrgID", "o-exampleorgid"),
            ("aws:SourceIp", "192.0.2.7"),
            ("aws:CurrentTime", "2026-03-04T05:06:07Z"),
            ("aws:EpochTime", "1772600767"),
            ("aws:SecureTransport", "false"),
            ("aws:RequestedRegion", "eu-west-1"),
            ("aws:ViaAWSService", "false"),
            ("aws:ResourceAccount", "333333333333"),
            ("aws:ResourceOrgID", "o-exampleorgid"),
        ];
        for (key, value) in expect {
            assert_eq!(one(&keys, key).as_deref(), Some(value), "{key}");
        }
        assert!(one(&keys, "aws:userid").is_some_and(|id| id.starts_with("AIDA")));
        assert!(one(&keys, "aws:PrincipalOrgPaths")
            .is_some_and(|path| path.starts_with("o-exampleorgid/")));
        // Long-term credentials carry no MFA or session keys.
        for key in [
            "aws:MultiFactorAuthPresent",
            "aws:MultiFactorAuthAge",
            "aws:TokenIssueTime",
            "aws:SourceIdentity",
            "aws:PrincipalTag/Team",
            "aws:ResourceTag/Team",
            "aws:NoSuchKey",
        ] {
            assert_eq!(one(&keys, key), None, "{key}");
        }
    }

    #[test]
    fn a_role_session_gets_its_session_keys_and_merged_tags() {
        let world = rolecall_model::scenario::default_world();
        let account = world.account("333333333333").unwrap().clone();
        let role = account
            .roles
            .get("OrganizationAccountAccessRole")
            .unwrap()
            .clone();
        let issued = NOW.unix_timestamp() - 600;
        let mut claims = SessionClaims::new(
            "ASIAEXAMPLEEXAMPLE01".into(),
            account.id.clone(),
            SessionPrincipal::Role {
                role: role.name.clone(),
                session: "audit".into(),
            },
            issued,
            issued + 3600,
        );
        claims.tags = vec![
            ("Team".into(), "blue".into()),
            ("team".into(), "red".into()),
        ];
        claims.mfa_authenticated_at = Some(NOW.unix_timestamp() - 30);
        claims.source_identity = Some("alice".into());
        let role_arn = role.arn.clone();
        let principal = Principal::role_session(account, role, claims.into(), None);
        let tags = [("Stage".to_string(), "prod".to_string())];
        let keys = RequestKeys::new(&world, &principal, "us-east-1", IP, NOW)
            .with_resource("333333333333")
            .with_resource_tags(&tags);
        assert_eq!(one(&keys, "aws:PrincipalArn"), Some(role_arn));
        assert_eq!(
            one(&keys, "aws:PrincipalType").as_deref(),
            Some("AssumedRole")
        );
        assert!(one(&keys, "aws:userid").is_some_and(|id| id.ends_with(":audit")));
        assert_eq!(one(&keys, "aws:username"), None);
        // The later of two tags with the same key (ignoring case) wins.
        assert_eq!(one(&keys, "aws:principaltag/TEAM").as_deref(), Some("red"));
        assert_eq!(one(&keys, "aws:ResourceTag/stage").as_deref(), Some("prod"));
        assert_eq!(
            one(&keys, "aws:MultiFactorAuthPresent").as_deref(),
            Some("true")
        );
        assert_eq!(one(&keys, "aws:MultiFactorAuthAge").as_deref(), Some("30"));
        assert_eq!(
            one(&keys, "aws:TokenIssueTime").as_deref(),
            Some("2026-03-04T04:56:07Z")
        );
        assert_eq!(one(&keys, "aws:SourceIdentity").as_deref(), Some("alice"));
        // A value is worked out once: every later read sees the same text.
        let first = keys.lookup("aws:CurrentTime").unwrap();
        assert!(std::ptr::eq(first, keys.lookup("aws:currenttime").unwrap()));
    }
}
