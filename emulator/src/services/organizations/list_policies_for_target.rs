//! ListPoliciesForTarget: the policies of one type attached directly to a root, OU or account
//! (not those inherited from above it). Only `SERVICE_CONTROL_POLICY` is modelled; the other
//! policy types of the model's `PolicyType` enum list nothing, as no policy of those types
//! exists in a scenario. Management account only; authorized on the target's ARN.

use super::errors;
use super::input::{IdPattern, Input};
use super::list_accounts::paged;
use super::shapes::{find_account, find_ou, policy_summary_json, target_arn};
use super::{admit, Callers, OrgError};
use crate::policy::NamedPolicy;
use crate::services::Call;
use serde_json::{json, Value};
use std::sync::Arc;

/// The model's `PolicyType` enum.
const POLICY_TYPES: &[&str] = &[
    "SERVICE_CONTROL_POLICY",
    "RESOURCE_CONTROL_POLICY",
    "DECLARATIVE_POLICY_EC2",
    "BACKUP_POLICY",
    "TAG_POLICY",
    "CHATBOT_POLICY",
    "AISERVICES_OPT_OUT_POLICY",
];

pub fn handle(call: &Call, input: &Input) -> Result<Value, OrgError> {
    let target = input.id("TargetId", IdPattern::Target)?;
    let filter = match input.string("Filter")? {
        None => return Err(errors::input_required()),
        Some(f) if POLICY_TYPES.contains(&f) => f,
        Some(_) => return Err(errors::invalid_enum()),
    };
    let page = input.page("ListPoliciesForTarget")?;
    let org = admit(
        call,
        "organizations:ListPoliciesForTarget",
        Callers::Management,
        |org| target_arn(org, target),
    )?;
    let attached: &[Arc<NamedPolicy>] = if target == org.root_id {
        &org.root_scps
    } else if target.starts_with("ou-") {
        &find_ou(org, target)
            .ok_or_else(errors::target_not_found)?
            .scps
    } else if target.starts_with("r-") {
        return Err(errors::target_not_found());
    } else {
        &find_account(call.world, target)
            .ok_or_else(errors::target_not_found)?
            .attached_scps
    };
    let policies: Vec<Value> = if filter == "SERVICE_CONTROL_POLICY" {
        attached
            .iter()
            .filter_map(|p| {
                let details = org.scp_details.get(&p.name)?;
                Some(policy_summary_json(&p.name, p.arn.as_deref()?, details))
            })
            .collect()
    } else {
        Vec::new()
    };
    let (items, next) = page.slice(&policies)?;
    Ok(paged(json!({ "Policies": items }), next))
}
