//! DescribeResourcePolicy: the organization's resource-based delegation policy, as
//! `{ResourcePolicySummary: {Id, Arn}, Content}`; `ResourcePolicyNotFoundException` when the
//! scenario has none. The action takes no input. For administrators (see `admit`); resource
//! `*` (the Service Authorization Reference names no resource type for it).

use super::errors;
use super::input::Input;
use super::{admit, AwsError, Callers};
use crate::services::{Call, Operation};
use serde_json::{json, Value};

pub(crate) fn handle(call: &Call, op: &Operation, _input: &Input) -> Result<Value, AwsError> {
    let org = admit(call, op, Callers::Administrators, |_| "*".to_string())?;
    let policy = org
        .delegation_policy
        .as_ref()
        .ok_or_else(errors::resource_policy_not_found)?;
    Ok(json!({
        "ResourcePolicy": {
            "ResourcePolicySummary": { "Id": policy.id, "Arn": policy.arn },
            "Content": policy.content,
        }
    }))
}
