//! The sentences AWS writes for a denial, and the short summary for the request log.

use super::{Decision, MessageForm, Outcome, PolicyType, Request};
use std::fmt::Write;

/// "Roles may not be assumed by root accounts." (observed, see the module documentation).
pub const ROOT_CANNOT_ASSUME_ROLES: &str = "Roles may not be assumed by root accounts.";

/// The noun phrase after "because no ... allows" (IAM troubleshooting, access denied).
fn implicit_phrase(t: PolicyType) -> &'static str {
    match t {
        PolicyType::ServiceControl => "service control policy",
        PolicyType::ResourceControl => "resource control policy",
        PolicyType::ResourceBased => "resource-based policy",
        PolicyType::RoleTrust => "role trust policy",
        PolicyType::IdentityBased => "identity-based policy",
        PolicyType::PermissionsBoundary => "permissions boundary",
        PolicyType::Session => "session policy",
    }
}

/// The noun phrase after "with an explicit deny in"; "a sessions policy" and "the role
/// trust policy" are AWS's wording.
fn explicit_phrase(t: PolicyType) -> &'static str {
    match t {
        PolicyType::ServiceControl => "a service control policy",
        PolicyType::ResourceControl => "a resource control policy",
        PolicyType::ResourceBased => "a resource-based policy",
        PolicyType::RoleTrust => "the role trust policy",
        PolicyType::IdentityBased => "an identity-based policy",
        PolicyType::PermissionsBoundary => "a permissions boundary",
        PolicyType::Session => "a sessions policy",
    }
}

/// A short name for log lines and summaries.
pub(crate) fn type_name(t: PolicyType) -> &'static str {
    implicit_phrase(t)
}

impl Decision {
    /// Whether the request was allowed.
    pub fn is_allowed(&self) -> bool {
        self.outcome == Outcome::Allow
    }

    /// AWS's sentence, e.g. "User: arn:aws:iam::111111111111:user/discovery is not
    /// authorized to perform: sts:AssumeRole on resource:
    /// arn:aws:iam::222222222222:role/OrganizationAccountAccessRole". `show_resource=false`
    /// omits " on resource: …" (EC2 Describe* calls omit it); a resource of `*` is never
    /// shown. An allowed decision has no sentence and gives an empty string.
    pub fn denial_message(&self, req: &Request, show_resource: bool) -> String {
        if self.form == MessageForm::RootCannotAssumeRoles {
            return ROOT_CANNOT_ASSUME_ROLES.to_string();
        }
        if self.is_allowed() {
            return String::new();
        }
        let mut s = String::with_capacity(160);
        let _ = write!(
            s,
            "User: {} is not authorized to perform: {}",
            req.caller.arn, req.action
        );
        if show_resource && req.resource != "*" {
            let _ = write!(s, " on resource: {}", req.resource);
        }
        if let (MessageForm::WithReason, Some(t)) = (self.form, self.policy_type) {
            let _ = match self.outcome {
                Outcome::ExplicitDeny => {
                    write!(s, " with an explicit deny in {}", explicit_phrase(t))
                }
                _ => write!(
                    s,
                    " because no {} allows the {} action",
                    implicit_phrase(t),
                    req.action
                ),
            };
        }
        s
    }

    /// A few words for the per-request log line: which policy type, policy and statement
    /// decided, e.g. `explicit deny: service control policy p-1 at ou-a stmt 0 (DenyAll)`.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        match (self.outcome, self.form, self.policy_type) {
            (_, MessageForm::RootCannotAssumeRoles, _) => {
                return "deny: the root user cannot assume roles".into()
            }
            (Outcome::Allow, _, None) => return "allow: account root user".into(),
            (Outcome::Allow, _, Some(t)) => {
                let _ = write!(s, "allow: {}", type_name(t));
            }
            (Outcome::ExplicitDeny, _, Some(t)) => {
                let _ = write!(s, "explicit deny: {}", type_name(t));
            }
            (_, _, Some(PolicyType::RoleTrust)) if self.policy.is_none() => {
                return "implicit deny: the role does not exist".into()
            }
            (_, _, Some(PolicyType::RoleTrust)) => {
                s.push_str("implicit deny: role trust policy does not allow the caller")
            }
            (_, _, Some(t)) => {
                let _ = write!(s, "implicit deny: no {} allows", type_name(t));
            }
            (_, _, None) => s.push_str("implicit deny"),
        }
        if let Some(p) = &self.policy {
            let _ = write!(s, " {p}");
        }
        if let Some(level) = &self.level {
            let _ = write!(s, " at {level}");
        }
        if let Some(st) = &self.statement {
            let _ = write!(s, " stmt {}", st.index);
            if let Some(sid) = &st.sid {
                let _ = write!(s, " ({sid})");
            }
        }
        s
    }
}
