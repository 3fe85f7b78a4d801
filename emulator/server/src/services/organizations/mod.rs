//! AWS Organizations over the awsJson1.1 protocol (API version 2016-11-28), read-only.
//!
//! The operation is named by `X-Amz-Target: AWSOrganizationsV20161128.<Op>` and the input is a
//! JSON object. Each action, in its own file, follows the same steps:
//!
//! 1. read and validate its input (`input`): malformed ids are `InvalidInputException`;
//! 2. find the caller's organization: an account in none gets
//!    `AWSOrganizationsNotInUseException`;
//! 3. decide who may call (`admit`). DescribeOrganization is open to every account in the
//!    organization; every other action here is open to "the management account or a member
//!    account that is a delegated administrator" (API reference, each action's page). A member
//!    is one in two ways:
//!    - registered for any AWS service with RegisterDelegatedAdministrator, which "grants
//!      read-only access to Organizations service data" (API reference,
//!      RegisterDelegatedAdministrator): every read action here, whatever the service;
//!    - named by the organization's resource-based delegation policy (PutResourcePolicy),
//!      for the actions that policy allows it (Organizations user guide, "Delegated
//!      administrator for AWS Organizations"). The policy is handed to the engine as the
//!      resource-based policy of the request, so the cross-account rule applies: the policy
//!      must allow the member and the caller's own IAM policies must allow the action.
//!
//!    Any other member is refused with `AccessDeniedException`;
//! 4. ask the one authorization engine about `organizations:<Op>` on the resource AWS
//!    authorizes for that action (Service Authorization Reference, "Actions defined by AWS
//!    Organizations"): `*` for organization-wide listings, the ARN of the root, OU, account or
//!    policy otherwise, with the action's condition keys (`organizations:PolicyType`,
//!    `organizations:ServicePrincipal`). The management account is not governed by SCPs, so
//!    only its IAM policies decide; a member's SCPs apply to every action it calls;
//! 5. look the ids up (`…NotFoundException`) and answer.
//!
//! Sources: every action's page of the API reference, and its summary "Reference: API
//! operations by account" (<https://docs.aws.amazon.com/organizations/latest/APIReference/action-reference.html>);
//! RegisterDelegatedAdministrator
//! (<https://docs.aws.amazon.com/organizations/latest/APIReference/API_RegisterDelegatedAdministrator.html>);
//! the delegation policy and the actions it supports
//! (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_delegate_policies.html>);
//! resources and condition keys
//! (<https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsorganizations.html>).
//!
//! SCPs and RCPs are the policy types a scenario holds. SCPs are always enabled in the root;
//! RCPs are when the scenario declares one, and then RCPFullAWSAccess is attached to the root,
//! every OU and every account, as AWS attaches it.

mod describe_account;
mod describe_organization;
mod describe_organizational_unit;
mod describe_policy;
mod describe_resource_policy;
pub mod errors;
pub mod input;
mod list_accounts;
mod list_accounts_for_parent;
mod list_children;
mod list_delegated_administrators;
mod list_delegated_services_for_account;
mod list_organizational_units_for_parent;
mod list_parents;
mod list_policies;
mod list_policies_for_target;
mod list_roots;
mod list_targets_for_policy;
mod shapes;

use super::{find, Action, Ask, Authorize, Call, Operation};
use input::Input;
use rolecall_engine::authz::{Context, ResourcePolicy};
use rolecall_model::Organization;
use rolecall_wire::{aws_json, AwsError, Protocol, Reply};
use serde_json::Value;

pub(crate) const PROTOCOL: Protocol = Protocol::AwsJson11;

type Handler = fn(&Call, &Operation, &Input) -> Result<Value, AwsError>;

/// Every Organizations action served, sorted by name. Each reads its input, finds the
/// organization and decides who may call before asking the engine on the resource it names
/// (steps 1 to 4 above), so each authorizes in its handler.
pub(crate) static ACTIONS: &[Action<Handler>] = &[
    read(
        "DescribeAccount",
        "organizations:DescribeAccount",
        describe_account::handle,
    ),
    read(
        "DescribeOrganization",
        "organizations:DescribeOrganization",
        describe_organization::handle,
    ),
    read(
        "DescribeOrganizationalUnit",
        "organizations:DescribeOrganizationalUnit",
        describe_organizational_unit::handle,
    ),
    read(
        "DescribePolicy",
        "organizations:DescribePolicy",
        describe_policy::handle,
    ),
    read(
        "DescribeResourcePolicy",
        "organizations:DescribeResourcePolicy",
        describe_resource_policy::handle,
    ),
    read(
        "ListAccounts",
        "organizations:ListAccounts",
        list_accounts::handle,
    ),
    read(
        "ListAccountsForParent",
        "organizations:ListAccountsForParent",
        list_accounts_for_parent::handle,
    ),
    read(
        "ListChildren",
        "organizations:ListChildren",
        list_children::handle,
    ),
    read(
        "ListDelegatedAdministrators",
        "organizations:ListDelegatedAdministrators",
        list_delegated_administrators::handle,
    ),
    read(
        "ListDelegatedServicesForAccount",
        "organizations:ListDelegatedServicesForAccount",
        list_delegated_services_for_account::handle,
    ),
    read(
        "ListOrganizationalUnitsForParent",
        "organizations:ListOrganizationalUnitsForParent",
        list_organizational_units_for_parent::handle,
    ),
    read(
        "ListParents",
        "organizations:ListParents",
        list_parents::handle,
    ),
    read(
        "ListPolicies",
        "organizations:ListPolicies",
        list_policies::handle,
    ),
    read(
        "ListPoliciesForTarget",
        "organizations:ListPoliciesForTarget",
        list_policies_for_target::handle,
    ),
    read("ListRoots", "organizations:ListRoots", list_roots::handle),
    read(
        "ListTargetsForPolicy",
        "organizations:ListTargetsForPolicy",
        list_targets_for_policy::handle,
    ),
];

/// The actions served, in the table's order: name, IAM action, how each is authorized.
pub fn operations() -> impl Iterator<Item = &'static Operation> {
    ACTIONS.iter().map(|a| &a.operation)
}

const fn read(name: &'static str, iam_action: &'static str, handler: Handler) -> Action<Handler> {
    Action::new(name, iam_action, Authorize::InHandler, handler)
}

/// Answers one Organizations request. `target` is the `X-Amz-Target` header, if any.
pub(crate) fn handle(call: &Call, target: Option<&str>, body: &[u8]) -> Reply {
    let action = target
        .and_then(|t| aws_json::operation_from_target(t, aws_json::ORGANIZATIONS_TARGET_PREFIX))
        .and_then(|name| find(ACTIONS, name));
    let Some(action) = action else {
        return PROTOCOL.error_reply(
            rolecall_wire::errors::unknown_operation_json(),
            call.request_id,
        );
    };
    let result =
        Input::parse(body).and_then(|input| (action.handler)(call, &action.operation, &input));
    match result {
        Ok(value) => PROTOCOL.success_reply(aws_json::success(&value)),
        Err(e) => PROTOCOL.error_reply(e, call.request_id),
    }
}

/// The caller's organization, or `AWSOrganizationsNotInUseException` when its account is in
/// none.
fn organization<'a>(call: &'a Call) -> Result<&'a Organization, AwsError> {
    match &call.world.organization {
        Some(org) if call.principal.account().in_organization => Ok(org),
        _ => Err(errors::not_in_use()),
    }
}

/// Who may call an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Callers {
    /// Every account in the organization (DescribeOrganization).
    AnyMember,
    /// The management account, a delegated administrator of any service, or a member the
    /// delegation policy admits: every other read action.
    Administrators,
}

/// Steps 2 to 4 of every action: the organization, the caller's account, the engine.
fn admit<'a>(
    call: &'a Call,
    op: &Operation,
    callers: Callers,
    resource: impl FnOnce(&Organization) -> String,
) -> Result<&'a Organization, AwsError> {
    admit_with(call, op, callers, resource, |_, _| {})
}

/// [`admit`], with the action's own condition keys added to the request context by `keys`.
fn admit_with<'a>(
    call: &'a Call,
    op: &Operation,
    callers: Callers,
    resource: impl FnOnce(&Organization) -> String,
    keys: impl FnOnce(&Organization, &mut Context),
) -> Result<&'a Organization, AwsError> {
    let org = organization(call)?;
    let caller = call.principal.account_id();
    let resource_policy = resource_side(org, caller, callers).map_err(refused)?;
    let resource = resource(org);
    let mut context = call.context(&org.management_account);
    keys(org, &mut context);
    match call.decide(Ask {
        action: op.iam_action,
        resource: &resource,
        resource_account: &org.management_account,
        resource_policy,
        context: &context,
        show_resource: resource != "*",
    }) {
        Ok(_) => Ok(org),
        // The response carries Organizations' own sentence (see `errors::ACCESS_DENIED`);
        // the IAM sentence, which names the deciding policy, goes to the request log.
        Err(denial) => Err(refused(&format!(
            "{} ({})",
            denial.decision.summary(),
            denial.message
        ))),
    }
}

/// Who the caller is decides which policies speak: the management account's and a delegated
/// administrator's own IAM policies (and a member's SCPs), or, for any other member, the
/// delegation policy too, as the request's resource-based policy. Err: why a member the
/// organization admits in no way is refused before the engine is asked.
pub(crate) fn resource_side<'o>(
    org: &'o Organization,
    caller_account: &str,
    callers: Callers,
) -> Result<ResourcePolicy<'o>, &'static str> {
    Ok(match callers {
        Callers::AnyMember => ResourcePolicy::NotApplicable,
        Callers::Administrators if caller_account == org.management_account => {
            ResourcePolicy::NotApplicable
        }
        // A registration for any service is enough to read the organization: the API
        // reference says "a member account that is a delegated administrator" without naming
        // a service, and RegisterDelegatedAdministrator "grants read-only access to
        // Organizations service data". The delegation policy is not consulted for such a
        // member (its read access does not come from that policy; whether an explicit Deny
        // there would still bind it is undocumented, unconfirmed).
        Callers::Administrators if org.is_delegated_administrator(caller_account) => {
            ResourcePolicy::NotApplicable
        }
        Callers::Administrators => match &org.delegation_policy {
            Some(delegation) => ResourcePolicy::ResourceBased(&delegation.policy),
            None => return Err("the caller's account is neither the management account nor a delegated administrator, and the organization has no delegation policy"),
        },
    })
}

/// Who may call an Organizations action named `iam_action` (`organizations:…`).
pub(crate) fn callers_of(iam_action: &str) -> Callers {
    if iam_action.eq_ignore_ascii_case("organizations:DescribeOrganization") {
        Callers::AnyMember
    } else {
        Callers::Administrators
    }
}

/// `AccessDeniedException`, with why in the request log.
fn refused(why: &str) -> AwsError {
    errors::access_denied().with_note(why.to_string())
}
