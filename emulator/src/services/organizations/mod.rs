//! AWS Organizations over the awsJson1.1 protocol (API version 2016-11-28), read-only.
//!
//! The operation is named by `X-Amz-Target: AWSOrganizationsV20161128.<Op>` and the input is a
//! JSON object. Each action, in its own file, follows the same steps:
//!
//! 1. read and validate its input ([`input`]): malformed ids are `InvalidInputException`;
//! 2. find the caller's organization: an account in none gets
//!    `AWSOrganizationsNotInUseException`;
//! 3. for management-only actions, refuse member accounts with `AccessDeniedException`
//!    (delegated administrators are not modelled: a member account is always refused);
//! 4. ask the one authorization engine about `organizations:<Op>` on the resource AWS
//!    authorizes for that action (Service Authorization Reference, "Actions defined by AWS
//!    Organizations"): `*` for organization-wide listings, the ARN of the root, OU, account or
//!    policy otherwise. The management account is not governed by SCPs, so only its IAM
//!    policies decide; a member's SCPs apply to the actions members may call;
//! 5. look the ids up (`…NotFoundException`) and answer.

mod describe_account;
mod describe_organization;
mod describe_organizational_unit;
mod describe_policy;
pub mod errors;
mod input;
mod list_accounts;
mod list_accounts_for_parent;
mod list_children;
mod list_organizational_units_for_parent;
mod list_parents;
mod list_policies_for_target;
mod list_roots;
mod shapes;

use super::Ask;
use super::{Call, Reply, ServiceError};
use crate::authz::ResourcePolicy;
use crate::protocol::aws_json;
use crate::world::Organization;
use errors::OrgError;
use input::Input;
use serde_json::{json, Value};

/// The operations this emulator serves.
pub const OPERATIONS: &[&str] = &[
    "DescribeAccount",
    "DescribeOrganization",
    "DescribeOrganizationalUnit",
    "DescribePolicy",
    "ListAccounts",
    "ListAccountsForParent",
    "ListChildren",
    "ListOrganizationalUnitsForParent",
    "ListParents",
    "ListPoliciesForTarget",
    "ListRoots",
];

/// Answers one Organizations request. `target` is the `X-Amz-Target` header, if any.
pub fn handle(call: &Call, target: Option<&str>, body: &[u8]) -> Reply {
    let operation = target
        .and_then(|t| aws_json::operation_from_target(t, aws_json::ORGANIZATIONS_TARGET_PREFIX))
        .filter(|op| OPERATIONS.contains(op));
    let Some(operation) = operation else {
        return error_reply(
            ServiceError::from(crate::protocol::errors::unknown_operation_json()).into(),
        );
    };
    let result = Input::parse(body).and_then(|input| match operation {
        "DescribeAccount" => describe_account::handle(call, &input),
        "DescribeOrganization" => describe_organization::handle(call, &input),
        "DescribeOrganizationalUnit" => describe_organizational_unit::handle(call, &input),
        "DescribePolicy" => describe_policy::handle(call, &input),
        "ListAccounts" => list_accounts::handle(call, &input),
        "ListAccountsForParent" => list_accounts_for_parent::handle(call, &input),
        "ListChildren" => list_children::handle(call, &input),
        "ListOrganizationalUnitsForParent" => {
            list_organizational_units_for_parent::handle(call, &input)
        }
        "ListParents" => list_parents::handle(call, &input),
        "ListPoliciesForTarget" => list_policies_for_target::handle(call, &input),
        "ListRoots" => list_roots::handle(call, &input),
        _ => Err(ServiceError::from(crate::protocol::errors::unknown_operation_json()).into()),
    });
    match result {
        Ok(value) => Reply {
            status: 200,
            content_type: aws_json::CONTENT_TYPE,
            body: aws_json::success(&value),
            error_code: None,
            reason: None,
        },
        Err(e) => error_reply(e),
    }
}

/// An Organizations error in the awsJson1.1 envelope, with `Reason` when there is one.
pub fn error_reply(e: OrgError) -> Reply {
    let mut body = json!({ "__type": e.error.code, "Message": e.error.message });
    if let (Some(reason), Value::Object(map)) = (e.reason, &mut body) {
        map.insert("Reason".to_string(), Value::from(reason));
    }
    Reply {
        status: e.error.status,
        content_type: aws_json::CONTENT_TYPE,
        body: body.to_string(),
        error_code: Some(e.error.code),
        reason: e.error.reason,
    }
}

/// The caller's organization, or `AWSOrganizationsNotInUseException` when its account is in
/// none.
fn organization<'a>(call: &'a Call) -> Result<&'a Organization, OrgError> {
    match &call.world.organization {
        Some(org) if call.principal.account().in_organization => Ok(org),
        _ => Err(errors::not_in_use()),
    }
}

/// Who may call the action: the management account only, or every account in the
/// organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Callers {
    Management,
    AnyMember,
}

/// Steps 2 to 4 of every action: the organization, the caller's account, the engine.
fn admit<'a>(
    call: &'a Call,
    action: &str,
    callers: Callers,
    resource: impl FnOnce(&Organization) -> String,
) -> Result<&'a Organization, OrgError> {
    let org = organization(call)?;
    if callers == Callers::Management && call.principal.account_id() != org.management_account {
        return Err(errors::access_denied());
    }
    let resource = resource(org);
    let context = call.context(&org.management_account);
    match call.decide(Ask {
        action,
        resource: &resource,
        resource_account: &org.management_account,
        resource_policy: ResourcePolicy::NotApplicable,
        context: &context,
        show_resource: resource != "*",
    }) {
        Ok(_) => Ok(org),
        Err(denial) => {
            // The response carries Organizations' own sentence (see `errors::ACCESS_DENIED`);
            // the IAM sentence, which names the deciding policy, goes to the request log.
            let mut e = errors::access_denied();
            e.error = e.error.with_reason(format!(
                "{} ({})",
                denial.decision.summary(),
                denial.message
            ));
            Err(e)
        }
    }
}
