//! ListPoliciesForTarget: the policies of one type attached directly to a root, OU or account
//! (not those inherited from above it). SCPs and RCPs are modelled; RCPs list nothing unless
//! the scenario enables them, and then RCPFullAWSAccess comes first at every target. The other
//! policy types of the model's `PolicyType` enum list nothing, as no policy of those types
//! exists in a scenario (the action has no `PolicyTypeNotEnabledException` in the model).
//! For administrators (see `admit`); authorized on the target's ARN, with
//! `organizations:PolicyType` set to the filter.

use super::errors;
use super::input::{IdPattern, Input};
use super::list_accounts::paged;
use super::shapes::{policy_summary_json, target_arn, Target};
use super::{admit_with, AwsError, Callers};
use crate::services::{Call, Operation};
use rolecall_model::OrgPolicyType;
use serde_json::{json, Value};

pub(crate) fn handle(call: &Call, op: &Operation, input: &Input) -> Result<Value, AwsError> {
    let target = input.id("TargetId", IdPattern::Target)?;
    let filter = input.policy_type_filter()?;
    let page = input.page(op.name)?;
    let org = admit_with(
        call,
        op,
        Callers::Administrators,
        |org| target_arn(org, target),
        |_, context| context.insert_static("organizations:PolicyType", filter),
    )?;
    let found = Target::find(org, call.world, target).ok_or_else(errors::target_not_found)?;
    let policies: Vec<Value> = match OrgPolicyType::from_api_name(filter) {
        Some(policy_type) => found
            .policies(org, policy_type)
            .into_iter()
            .map(policy_summary_json)
            .collect(),
        None => Vec::new(),
    };
    let (items, next) = page.slice(&policies)?;
    Ok(paged(json!({ "Policies": items }), next))
}
