//! DescribeOrganizationalUnit: one OU's id, ARN and name (not its parent: that is ListParents).
//! For administrators (see `admit`); authorized on the OU's ARN.

use super::errors;
use super::input::{IdPattern, Input};
use super::shapes::{find_ou, ou_arn, ou_json};
use super::{admit, AwsError, Callers};
use crate::services::{Call, Operation};
use serde_json::{json, Value};

pub(crate) fn handle(call: &Call, op: &Operation, input: &Input) -> Result<Value, AwsError> {
    let id = input.id("OrganizationalUnitId", IdPattern::Ou)?;
    let org = admit(call, op, Callers::Administrators, |org| ou_arn(org, id))?;
    let ou = find_ou(org, id).ok_or_else(errors::ou_not_found)?;
    Ok(json!({ "OrganizationalUnit": ou_json(org, ou) }))
}
