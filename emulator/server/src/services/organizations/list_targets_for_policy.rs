//! ListTargetsForPolicy: the roots, OUs and accounts a policy is attached to directly, as
//! `PolicyTargetSummary` items (`TargetId`, `Arn`, `Name`, `Type`), root first, then accounts,
//! then OUs (see `Target::all`). RCPFullAWSAccess is attached everywhere once RCPs are
//! enabled; an RCP of an organization that has not enabled them is attached nowhere. For
//! administrators (see `admit`); authorized on the policy's ARN, with
//! `organizations:PolicyType` when the policy is known (Service Authorization Reference).

use super::describe_policy::admit_for_policy;
use super::errors;
use super::input::{IdPattern, Input};
use super::list_accounts::paged;
use super::shapes::Target;
use super::AwsError;
use crate::services::{Call, Operation};
use serde_json::{json, Value};

pub(crate) fn handle(call: &Call, op: &Operation, input: &Input) -> Result<Value, AwsError> {
    let id = input.id("PolicyId", IdPattern::Policy)?;
    let page = input.page(op.name)?;
    let org = admit_for_policy(call, op, id)?;
    let policy = org.policy_by_id(id).ok_or_else(errors::policy_not_found)?;
    let targets: Vec<Value> = Target::all(org, call.world)
        .into_iter()
        .filter(|target| {
            target
                .attached(org, policy.policy_type)
                .iter()
                .any(|p| p.arn.as_deref() == Some(policy.arn.as_str()))
        })
        .map(|target| target.summary_json(org))
        .collect();
    let (items, next) = page.slice(&targets)?;
    Ok(paged(json!({ "Targets": items }), next))
}
