//! The authorization engine: AWS's documented decision order over typed policies.

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
    /// The action's resource has no resource-based policy concept (EC2 describes).
    NotApplicable,
    /// `sts:AssumeRole`: the role's trust policy; `None` = the role does not exist.
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
    pub context: &'a Context,
    pub identity_policies: &'a [Arc<NamedPolicy>],
    pub permissions_boundary: Option<&'a NamedPolicy>,
    /// `None` = no session policy was passed.
    pub session_policies: Option<&'a [Arc<NamedPolicy>]>,
    /// The caller's account chain root→OUs→account; empty = not subject to SCPs.
    pub scps: &'a [PolicyLevel],
    /// The resource account's chain root→OUs→account; empty = not subject to RCPs.
    pub rcps: &'a [PolicyLevel],
    pub resource_policy: ResourcePolicy<'a>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Outcome {
    Allow,
    ImplicitDeny,
    ExplicitDeny,
}

/// A statement of a policy: its 0-based index and its Sid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementRef {
    pub index: usize,
    pub sid: Option<String>,
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
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub outcome: Outcome,
    pub policy_type: Option<PolicyType>,
    pub policy: Option<String>,
    pub statement: Option<StatementRef>,
    /// The SCP/RCP level (root, OU or account id) that denied or lacked an Allow.
    pub level: Option<String>,
    pub form: MessageForm,
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
