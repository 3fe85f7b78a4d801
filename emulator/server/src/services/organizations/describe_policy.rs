//! DescribePolicy: one SCP's or RCP's summary and its text. `p-FullAWSAccess` and
//! `p-RCPFullAWSAccess` are the AWS managed policies (`AwsManaged: true`, ARNs owned by `aws`);
//! the scenario's policies show the document they were written with, as JSON. For
//! administrators (see `admit`); authorized on the policy's ARN (for an unknown id, the SCP ARN
//! that id would have in this organization), with `organizations:PolicyType` when the policy
//! is known.

use super::errors;
use super::input::{IdPattern, Input};
use super::shapes::policy_summary_json;
use super::{admit_with, AwsError, Callers};
use crate::services::{Call, Operation};
use rolecall_model::Organization;
use serde_json::{json, Value};

pub(crate) fn handle(call: &Call, op: &Operation, input: &Input) -> Result<Value, AwsError> {
    let id = input.id("PolicyId", IdPattern::Policy)?;
    let org = admit_for_policy(call, op, id)?;
    let policy = org.policy_by_id(id).ok_or_else(errors::policy_not_found)?;
    Ok(json!({
        "Policy": {
            "PolicySummary": policy_summary_json(policy),
            "Content": policy.content,
        }
    }))
}

/// Admits the caller to an action on one policy: authorized on the policy's ARN, with
/// `organizations:PolicyType` in the context when the policy exists.
pub(crate) fn admit_for_policy<'a>(
    call: &'a Call,
    op: &Operation,
    id: &str,
) -> Result<&'a Organization, AwsError> {
    admit_with(
        call,
        op,
        Callers::Administrators,
        |org| policy_arn(org, id),
        |org, context| {
            if let Some(policy) = org.policy_by_id(id) {
                context.insert_static("organizations:PolicyType", policy.policy_type.api_name());
            }
        },
    )
}

/// The ARN a policy id is authorized on: the policy's own, or for an id that names no policy,
/// the SCP ARN it would have here.
pub(crate) fn policy_arn(org: &Organization, id: &str) -> String {
    match org.policy_by_id(id) {
        Some(policy) => policy.arn.clone(),
        None => format!(
            "arn:aws:organizations::{}:policy/{}/service_control_policy/{id}",
            org.management_account, org.id
        ),
    }
}
