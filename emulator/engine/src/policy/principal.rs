//! The `Principal` and `NotPrincipal` elements of resource-based and trust policies.
//!
//! Facts from the IAM User Guide, reference_policies_elements_principal.md:
//! `"AWS": "123456789012"` and `"AWS": "arn:aws:iam::123456789012:root"` both delegate to
//! the account (not just its root user); a role ARN matches the sessions of that role; a
//! wildcard cannot match part of a principal ARN, only a bare `*` is allowed;
//! `"Principal": "*"` is the same as `{"AWS": "*"}`.

use crate::arn::{is_account_id, Arn};
use serde::Serialize;

/// One entry of the `AWS` list of a principal element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AwsPrincipal {
    /// `*`
    Any,
    /// A 12-digit account id or `arn:aws:iam::ACCOUNT:root`.
    Account(String),
    /// `arn:aws:iam::ACCOUNT:user/...`
    User(String),
    /// `arn:aws:iam::ACCOUNT:role/...`
    Role(String),
    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`
    AssumedRole(String),
    /// `arn:aws:sts::ACCOUNT:federated-user/NAME`
    FederatedUser(String),
    /// A unique id (`AIDA...`, `AROA...`) left in a policy whose principal was deleted;
    /// it matches nobody (reference_policies_elements_principal.md, "unique ID").
    UniqueId(String),
}

impl AwsPrincipal {
    /// Reads one `AWS` principal string, or says why it is not one.
    pub fn parse(s: &str) -> Result<AwsPrincipal, String> {
        if s == "*" {
            return Ok(AwsPrincipal::Any);
        }
        if is_account_id(s) {
            return Ok(AwsPrincipal::Account(s.to_string()));
        }
        if s.len() > 4
            && (s.starts_with("AIDA") || s.starts_with("AROA"))
            && s.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Ok(AwsPrincipal::UniqueId(s.to_string()));
        }
        let invalid = || format!("invalid principal in policy: \"{s}\"");
        if s.contains('*') || s.contains('?') {
            return Err(format!(
                "invalid principal in policy: \"{s}\" (a wildcard may only be a bare \"*\")"
            ));
        }
        let Some(arn) = Arn::parse(s) else {
            return Err(invalid());
        };
        if !arn.region.is_empty() || !arn.has_account_id() {
            return Err(invalid());
        }
        let owned = s.to_string();
        match (arn.service, arn.typed_resource()) {
            ("iam", None) if arn.resource == "root" => {
                Ok(AwsPrincipal::Account(arn.account.to_string()))
            }
            ("iam", Some(("user", name))) if !name.is_empty() => Ok(AwsPrincipal::User(owned)),
            ("iam", Some(("role", name))) if !name.is_empty() => Ok(AwsPrincipal::Role(owned)),
            ("sts", Some(("assumed-role", rest))) if rest.split('/').count() == 2 => {
                Ok(AwsPrincipal::AssumedRole(owned))
            }
            ("sts", Some(("federated-user", name))) if !name.is_empty() => {
                Ok(AwsPrincipal::FederatedUser(owned))
            }
            _ => Err(invalid()),
        }
    }
}

/// The principals one `Principal`/`NotPrincipal` element names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Principals {
    pub aws: Vec<AwsPrincipal>,
    pub service: Vec<String>,
    pub federated: Vec<String>,
    pub canonical_user: Vec<String>,
}

/// The caller, as principal elements see it.
#[derive(Debug, Clone, Copy)]
pub struct Who<'a> {
    pub account: &'a str,
    /// The caller's own ARN (user, session, federated user, or the account root).
    pub arn: &'a str,
    /// For a role session, the role's ARN.
    pub role_arn: Option<&'a str>,
    pub is_root: bool,
    pub is_user: bool,
}

/// How closely a policy names the caller; the order matters (stronger is greater).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum PrincipalMatch {
    /// The caller is not named.
    None,
    /// Only the caller's account is named: the caller's own identity policy must also
    /// allow (reference_policies_elements_principal.md).
    Account,
    /// The caller's role is named: a boundary and a session policy still limit the
    /// session (IAM evaluation logic, same-account resource-based policies).
    Role,
    /// The caller itself is named (user, session or federated-user ARN, or `*`).
    Direct,
}

impl Principals {
    /// The strongest way any entry names the caller. Only `AWS` principals can name the
    /// callers this emulator knows; `Service`, `Federated` and `CanonicalUser` never do.
    pub fn match_caller(&self, who: &Who) -> PrincipalMatch {
        self.aws
            .iter()
            .map(|p| match p {
                AwsPrincipal::Any => PrincipalMatch::Direct,
                AwsPrincipal::Account(a) if a == who.account => {
                    if who.is_root {
                        PrincipalMatch::Direct
                    } else {
                        PrincipalMatch::Account
                    }
                }
                AwsPrincipal::User(arn)
                | AwsPrincipal::AssumedRole(arn)
                | AwsPrincipal::FederatedUser(arn)
                    if arn == who.arn =>
                {
                    PrincipalMatch::Direct
                }
                AwsPrincipal::Role(arn) if Some(arn.as_str()) == who.role_arn => {
                    PrincipalMatch::Role
                }
                _ => PrincipalMatch::None,
            })
            .max()
            .unwrap_or(PrincipalMatch::None)
    }

    /// Whether a `NotPrincipal` list exempts the caller. AWS "might validate the account
    /// first, then the role, and then the assumed-role user", so a caller is exempt only
    /// when every level of its identity is listed: the account, then the user, or the role
    /// and the session (reference_policies_elements_notprincipal.md).
    pub fn exempts(&self, who: &Who) -> bool {
        let listed = |test: &dyn Fn(&AwsPrincipal) -> bool| {
            self.aws
                .iter()
                .any(|p| matches!(p, AwsPrincipal::Any) || test(p))
        };
        let account = listed(&|p| matches!(p, AwsPrincipal::Account(a) if a == who.account));
        if !account {
            return false;
        }
        if who.is_root {
            return true;
        }
        if let Some(role) = who.role_arn {
            let role_listed = listed(&|p| matches!(p, AwsPrincipal::Role(r) if r == role));
            let session_listed =
                listed(&|p| matches!(p, AwsPrincipal::AssumedRole(a) if a == who.arn));
            return role_listed && session_listed;
        }
        listed(
            &|p| matches!(p, AwsPrincipal::User(a) | AwsPrincipal::FederatedUser(a) if a == who.arn),
        )
    }
}
