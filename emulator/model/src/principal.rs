//! The caller of one request, resolved once from the credential store.
//!
//! The same `Principal` is what the signature was checked for, what the authorization engine
//! evaluates, and what GetCallerIdentity reports: there is no second notion of "who".

use super::{Account, Role, User};
use crate::session::SessionClaims;
use rolecall_engine::authz::{Caller, CallerKind};
use rolecall_engine::policy::NamedPolicy;
use std::borrow::Cow;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub enum Principal {
    /// The account's root user, signing with root access keys (or a GetSessionToken session
    /// made with them).
    Root {
        account: Arc<Account>,
        session: Option<Arc<SessionClaims>>,
    },
    /// An IAM user with long-term keys.
    User {
        account: Arc<Account>,
        user: Arc<User>,
    },
    /// An IAM user with GetSessionToken credentials: acts as the user.
    UserSession {
        account: Arc<Account>,
        user: Arc<User>,
        session: Arc<SessionClaims>,
    },
    /// A role session from AssumeRole.
    RoleSession {
        account: Arc<Account>,
        role: Arc<Role>,
        session: Arc<SessionClaims>,
        /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`
        arn: String,
        /// The role's tags overridden by the session tags, when the session has tags.
        merged_tags: Option<Vec<(String, String)>>,
        /// The session policies (inline first, then managed in request order), resolved
        /// when the token was read; None when the session was given none.
        session_policies: Option<Vec<Arc<NamedPolicy>>>,
    },
}

impl Principal {
    /// A role session principal; builds its ARN and tags once. `session_policies` are the
    /// session's policies already resolved (see `auth::caller`).
    pub fn role_session(
        account: Arc<Account>,
        role: Arc<Role>,
        session: Arc<SessionClaims>,
        session_policies: Option<Vec<Arc<NamedPolicy>>>,
    ) -> Self {
        let arn = assumed_role_arn(&role.account, &role.name, session.session_name());
        let merged_tags = (!session.tags.is_empty()).then(|| merge_tags(&role.tags, &session.tags));
        Principal::RoleSession {
            account,
            role,
            session,
            arn,
            merged_tags,
            session_policies,
        }
    }

    pub fn account(&self) -> &Arc<Account> {
        match self {
            Principal::Root { account, .. }
            | Principal::User { account, .. }
            | Principal::UserSession { account, .. }
            | Principal::RoleSession { account, .. } => account,
        }
    }

    pub fn account_id(&self) -> &str {
        &self.account().id
    }

    /// The ARN AWS shows for this caller (GetCallerIdentity's Arn, "User: …" in denials).
    pub fn arn(&self) -> &str {
        match self {
            Principal::Root { account, .. } => &account.root_arn,
            Principal::User { user, .. } | Principal::UserSession { user, .. } => &user.arn,
            Principal::RoleSession { arn, .. } => arn,
        }
    }

    /// GetCallerIdentity's UserId and `aws:userid`: the account id for root, `AIDA…` for users,
    /// `AROA…:session` for role sessions (STS API reference, GetCallerIdentity examples).
    /// A role session's is `AROA…:SESSION`, made when asked for: most requests never ask
    /// (GetCallerIdentity and `aws:userid` do).
    pub fn user_id(&self) -> Cow<'_, str> {
        match self {
            Principal::Root { account, .. } => Cow::Borrowed(&account.id),
            Principal::User { user, .. } | Principal::UserSession { user, .. } => {
                Cow::Borrowed(&user.id)
            }
            Principal::RoleSession { role, session, .. } => {
                Cow::Owned(assumed_role_id(&role.id, session.session_name()))
            }
        }
    }

    /// `aws:PrincipalArn`: for a role session, the role's ARN, not the session's
    /// (IAM user guide, global condition context keys).
    pub fn principal_arn(&self) -> &str {
        match self {
            Principal::RoleSession { role, .. } => &role.arn,
            other => other.arn(),
        }
    }

    /// `aws:PrincipalType`.
    pub fn principal_type(&self) -> &'static str {
        match self {
            Principal::Root { .. } => "Account",
            Principal::User { .. } | Principal::UserSession { .. } => "User",
            Principal::RoleSession { .. } => "AssumedRole",
        }
    }

    /// The view of this caller the authorization engine needs.
    pub fn caller(&self) -> Caller<'_> {
        let kind = match self {
            Principal::Root { .. } => CallerKind::Root,
            Principal::User { user, .. } | Principal::UserSession { user, .. } => {
                CallerKind::User { name: &user.name }
            }
            Principal::RoleSession { role, .. } => CallerKind::RoleSession {
                role_arn: &role.arn,
            },
        };
        Caller {
            arn: self.arn(),
            account: self.account_id(),
            kind,
        }
    }

    /// The caller's identity-based policies: the user's (with groups) or the role's.
    pub fn identity_policies(&self) -> &[Arc<NamedPolicy>] {
        match self {
            Principal::Root { .. } => &[],
            Principal::User { user, .. } | Principal::UserSession { user, .. } => &user.policies,
            Principal::RoleSession { role, .. } => &role.policies,
        }
    }

    pub fn permissions_boundary(&self) -> Option<&NamedPolicy> {
        match self {
            Principal::Root { .. } => None,
            Principal::User { user, .. } | Principal::UserSession { user, .. } => {
                user.permissions_boundary.as_deref()
            }
            Principal::RoleSession { role, .. } => role.permissions_boundary.as_deref(),
        }
    }

    /// The temporary-credential session, if the caller signed with one.
    pub fn session(&self) -> Option<&SessionClaims> {
        match self {
            Principal::UserSession { session, .. } | Principal::RoleSession { session, .. } => {
                Some(session)
            }
            Principal::Root { session, .. } => session.as_deref(),
            Principal::User { .. } => None,
        }
    }

    /// Tags that `aws:PrincipalTag/*` reads: the user's, or for a role session the role's
    /// with the session tags taking precedence ("If you pass a session tag with the same key
    /// as a tag that is already attached to the role, the value you pass overrides the role
    /// tag value", IAM user guide, "Passing session tags in AWS STS").
    pub fn tags(&self) -> &[(String, String)] {
        match self {
            Principal::Root { .. } => &[],
            Principal::User { user, .. } | Principal::UserSession { user, .. } => &user.tags,
            Principal::RoleSession {
                merged_tags: Some(tags),
                ..
            } => tags,
            Principal::RoleSession { role, .. } => &role.tags,
        }
    }

    /// The session policies that limit this caller, for `authz::Request::session_policies`.
    /// None when none were passed (then they do not limit anything).
    pub fn session_policies(&self) -> Option<&[Arc<NamedPolicy>]> {
        match self {
            Principal::RoleSession {
                session_policies, ..
            } => session_policies.as_deref(),
            _ => None,
        }
    }

    /// Whether the caller is a role session: an AssumeRole it makes is role chaining.
    pub fn is_role_session(&self) -> bool {
        matches!(self, Principal::RoleSession { .. })
    }
}

/// The role's tags with the session's tags replacing those of the same key, compared
/// case-insensitively as IAM compares tag keys.
fn merge_tags(role: &[(String, String)], session: &[(String, String)]) -> Vec<(String, String)> {
    let mut merged: Vec<(String, String)> = role
        .iter()
        .filter(|(k, _)| !session.iter().any(|(s, _)| s.eq_ignore_ascii_case(k)))
        .cloned()
        .collect();
    merged.extend(session.iter().cloned());
    merged
}

/// `AROA…:SESSION`: an assumed role's user id (AssumeRole's AssumedRoleId, GetCallerIdentity's
/// UserId, `aws:userid`).
pub fn assumed_role_id(role_id: &str, session_name: &str) -> String {
    [role_id, ":", session_name].concat()
}

/// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`: the role's path is not part of it
/// (IAM user guide, "IAM identifiers").
pub fn assumed_role_arn(account: &str, role_name: &str, session_name: &str) -> String {
    // `concat` allocates the exact length once; `format!` regrows as it writes.
    [
        "arn:aws:sts::",
        account,
        ":assumed-role/",
        role_name,
        "/",
        session_name,
    ]
    .concat()
}
