//! The authorization engine: AWS's documented decision order over typed policies.
//!
//! [`authorize`] takes a [`Request`] (the caller, the action, the resource, the request's
//! condition keys and every policy that applies) and returns a [`Decision`]: allowed or
//! not, which policy type decided, which policy and statement. [`Decision::denial_message`]
//! turns a denial into AWS's sentence; [`authorize_traced`] also returns a [`Trace`] of
//! every policy and statement considered.
//!
//! # Decision order
//!
//! From the IAM User Guide, "Policy evaluation logic" (current page, with RCPs):
//! 1. an explicit `Deny` in any applicable policy wins: SCPs, RCPs, the resource-based or
//!    trust policy, identity policies, the permissions boundary, session policies;
//! 2. RCPs of the resource's account, then 3. SCPs of the caller's account: an `Allow` is
//!    needed at every level (root, each OU, the account), any policy of a level sufficing;
//!    an empty chain means the account is not subject to them (management account,
//!    outside an organization, service-linked roles);
//! 4. the resource-based or trust policy; 5. identity policies; 6. the permissions
//!    boundary; 7. session policies (a session without one is not limited).
//!
//! Same account, a resource-based or trust policy that names the caller itself (user,
//! session or federated-user ARN, or `*`) allows on its own; one that names the caller's
//! role is still limited by the boundary and the session policy; one that names only the
//! account needs the identity policy too (same page, "resource-based policies"; STS
//! AssumeRole reference). Cross-account, both sides must allow ("Cross-account policy
//! evaluation logic"). When the service presents a role trust policy
//! ([`ResourcePolicy::RoleTrust`], as STS does for `sts:AssumeRole`, `sts:TagSession` and
//! `sts:SetSourceIdentity`), it must allow: an identity allow never bypasses it, and a missing
//! role is an implicit deny at the trust layer. The account root user has full access in its
//! own account but remains subject to SCPs, and cannot pass a role's trust ("Roles may not be
//! assumed by root accounts.", observed AWS output).
//!
//! # Choices where AWS is ambiguous
//!
//! - **Which policy type a message names when several deny.** AWS "includes only one of
//!   those policy types in the error message" without saying which (IAM troubleshooting,
//!   access denied). The engine names the first in evaluation order: for explicit denies
//!   SCP, RCP, resource-based/trust, identity, boundary, session; for implicit ones RCP,
//!   SCP, resource-based/trust, identity, boundary, session.
//! - **Trust-policy non-matches and missing roles give the bare sentence**
//!   (`User: … is not authorized to perform: sts:AssumeRole on resource: …`), in the same
//!   account too: that is what every captured AWS output shows; the documented
//!   "because no role trust policy allows" form has not been seen live, so it is not used.
//!   An explicit deny in a trust policy gives "with an explicit deny in the role trust
//!   policy" (documented form).
//! - **Reasons are withheld across organizations.** A denial names its policy type only
//!   when the resource is in the caller's account or organization; otherwise the bare
//!   sentence is used (observed cross-organization AssumeRole failures carry no reason;
//!   the policy-ARN announcement limits details to "same-account and same-organization
//!   scenarios"). Whether the two are in one organization is a fact of the request
//!   ([`Request::same_organization`]), stated by the service that knows the accounts.
//! - **No policy-ARN suffix.** AWS began appending the denying policy's ARN around January
//!   2026, but its shape for inline policies is undocumented and nearly all captured
//!   output predates it, so messages end after the reason.
//! - **Implicit RCP denials** say "because no resource control policy allows the … action",
//!   by analogy with SCPs (AWS shows no example; with `RCPFullAWSAccess` always attached
//!   it cannot happen in a real organization).
//! - **The resource `*` is never shown** after "on resource:" (AWS omits it when "the
//!   resource is * or not applicable").
//! - **`Principal: "*"`, and a `NotPrincipal` that does not exempt the caller, name the
//!   caller directly**, so in the same account they allow without an identity policy, as
//!   a public resource policy does for anonymous callers.
//! - **A resource policy naming a role session ARN is not limited by the session policy**,
//!   following the 2023 guide text (`access_policies.md`, session policies) rather than a
//!   third-party evaluator's test that says otherwise.
//! - **An empty list of session policies** is treated like none passed.
//! - **The root user's refusal to assume roles** is an implicit deny with no policy type.
//! - **`sts:AssumeRole` always goes through the trust layer**: a request for it with
//!   `ResourcePolicy::NotApplicable` is judged as a missing role, and one with
//!   `ResourceBased(p)` treats `p` as the trust policy.
//! - **`ResourcePolicy::NotApplicable` across accounts** is decided by the caller's side
//!   alone: services only use it for actions on the caller's own account.

mod context;
mod decision;
mod evaluate;
mod message;
mod trace;

pub use crate::policy::PolicyType;
pub use context::{Context, ContextValue};
pub use message::ROOT_CANNOT_ASSUME_ROLES;
pub use trace::{PolicyTrace, StatementTrace, Trace};

use crate::policy::NamedPolicy;
use serde::Serialize;
use std::sync::Arc;

/// Who is calling.
#[derive(Debug, Clone, PartialEq)]
pub struct Caller<'a> {
    pub arn: &'a str,
    pub account: &'a str,
    pub kind: CallerKind<'a>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CallerKind<'a> {
    /// `arn:aws:iam::ACCT:root`
    Root,
    /// `arn:aws:iam::ACCT:user/path/name`
    User { name: &'a str },
    /// Caller ARN `arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`; `role_arn` is the role's IAM ARN.
    RoleSession { role_arn: &'a str },
    /// `arn:aws:sts::ACCT:federated-user/NAME`
    FederatedUser,
}

/// The SCPs (or RCPs) attached at one level of the OU path: root, each OU, the account.
#[derive(Debug, Clone)]
pub struct PolicyLevel {
    pub target: String,
    pub policies: Vec<Arc<NamedPolicy>>,
}

/// The resource-side policy of a request.
#[derive(Debug, Clone, Copy)]
pub enum ResourcePolicy<'a> {
    /// The action's resource has no resource-based policy concept (EC2 describes): the
    /// caller's side decides, in whatever account.
    NotApplicable,
    /// The resource may carry a resource-based policy and carries none: in the caller's own
    /// account its side decides; across accounts nothing on the resource's side allows, an
    /// implicit deny ("Cross-account policy evaluation logic": both sides must allow).
    NoneAttached,
    /// A policy the resource admits callers by alone, such as a KMS key policy ("no
    /// principal has any permission to a KMS key unless the key policy allows it", KMS
    /// developer guide, "Key policies"): it must allow, in the same account too; `None` = the
    /// resource has none, an implicit deny.
    Required(Option<&'a NamedPolicy>),
    /// A role's trust policy (`sts:AssumeRole` and the actions checked with it); `None` =
    /// the role does not exist. It must allow, and the root user never passes it.
    RoleTrust(Option<&'a NamedPolicy>),
    ResourceBased(&'a NamedPolicy),
}

/// Everything the engine needs to decide one request.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub caller: &'a Caller<'a>,
    pub action: &'a str,
    pub resource: &'a str,
    pub resource_account: Option<&'a str>,
    pub context: &'a Context<'a>,
    pub identity_policies: &'a [Arc<NamedPolicy>],
    pub permissions_boundary: Option<&'a NamedPolicy>,
    /// `None` = no session policy was passed.
    pub session_policies: Option<&'a [Arc<NamedPolicy>]>,
    /// The caller's account chain root→OUs→account; empty = not subject to SCPs.
    pub scps: &'a [PolicyLevel],
    /// The resource account's chain root→OUs→account; empty = not subject to RCPs.
    pub rcps: &'a [PolicyLevel],
    pub resource_policy: ResourcePolicy<'a>,
    /// Whether the caller's and the resource's accounts belong to one organization. A denial
    /// names its reason only within the caller's account or organization.
    pub same_organization: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Outcome {
    Allow,
    ImplicitDeny,
    ExplicitDeny,
}

/// A statement of a policy: its 0-based index and its Sid.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct StatementRef {
    pub index: usize,
    pub sid: Option<String>,
}

impl Clone for StatementRef {
    fn clone(&self) -> Self {
        StatementRef {
            index: self.index,
            sid: self.sid.clone(),
        }
    }

    /// Reuses the Sid's buffer (the decision log overwrites its records in place).
    fn clone_from(&mut self, source: &Self) {
        self.index = source.index;
        self.sid.clone_from(&source.sid);
    }
}

/// How the denial sentence is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MessageForm {
    /// The request was allowed: there is no sentence.
    Allowed,
    /// `... because no <type> allows ...` or `... with an explicit deny in <type>`.
    WithReason,
    /// `User: ... is not authorized to perform: ... on resource: ...` with no reason.
    Bare,
    /// `Roles may not be assumed by root accounts.`
    RootCannotAssumeRoles,
}

/// The engine's answer.
#[derive(Debug, PartialEq, Serialize)]
pub struct Decision {
    pub outcome: Outcome,
    pub policy_type: Option<PolicyType>,
    pub policy: Option<String>,
    pub statement: Option<StatementRef>,
    /// The SCP/RCP level (root, OU or account id) that denied or lacked an Allow.
    pub level: Option<String>,
    pub form: MessageForm,
}

impl Clone for Decision {
    fn clone(&self) -> Self {
        Decision {
            outcome: self.outcome,
            policy_type: self.policy_type,
            policy: self.policy.clone(),
            statement: self.statement.clone(),
            level: self.level.clone(),
            form: self.form,
        }
    }

    /// Reuses the texts' buffers (the decision log overwrites its records in place).
    fn clone_from(&mut self, source: &Self) {
        self.outcome = source.outcome;
        self.policy_type = source.policy_type;
        self.policy.clone_from(&source.policy);
        self.statement.clone_from(&source.statement);
        self.level.clone_from(&source.level);
        self.form = source.form;
    }
}

/// Decides one request. The hot path: policies were parsed at load, evaluation does not
/// allocate; only the returned names are copied.
pub fn authorize(req: &Request) -> Decision {
    decision::decide(req, &mut trace::Silent)
}

/// Decides one request and records every policy and statement considered.
pub fn authorize_traced(req: &Request) -> (Decision, Trace) {
    let mut trace = Trace::default();
    let decision = decision::decide(req, &mut trace);
    (decision, trace)
}
