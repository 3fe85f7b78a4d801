//! DescribePolicy: one SCP's summary and its text. `p-FullAWSAccess` is the AWS managed policy
//! (`AwsManaged: true`, ARN owned by `aws`); the scenario's SCPs show the document they were
//! written with, as JSON. Management account only; authorized on the policy's ARN (for an
//! unknown id, the ARN that id would have in this organization).

use super::errors;
use super::input::{IdPattern, Input};
use super::shapes::policy_summary_json;
use super::{admit, Callers, OrgError};
use crate::services::Call;
use serde_json::{json, Value};

pub fn handle(call: &Call, input: &Input) -> Result<Value, OrgError> {
    let id = input.id("PolicyId", IdPattern::Policy)?;
    let known = |org: &crate::world::Organization| {
        org.scp_details
            .iter()
            .find(|(_, d)| d.id == id)
            .and_then(|(name, d)| Some((name.clone(), org.scps.get(name)?.arn.clone()?, d.clone())))
    };
    let org = admit(
        call,
        "organizations:DescribePolicy",
        Callers::Management,
        |org| {
            known(org).map(|(_, arn, _)| arn).unwrap_or_else(|| {
                format!(
                    "arn:aws:organizations::{}:policy/{}/service_control_policy/{id}",
                    org.management_account, org.id
                )
            })
        },
    )?;
    let (name, arn, details) = known(org).ok_or_else(errors::policy_not_found)?;
    Ok(json!({
        "Policy": {
            "PolicySummary": policy_summary_json(&name, &arn, &details),
            "Content": details.content,
        }
    }))
}
