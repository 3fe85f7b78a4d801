//! ListOrganizationalUnitsForParent: the OUs directly under a root or OU. For administrators
//! (see `admit`); authorized on the parent's ARN.

use super::errors;
use super::input::{IdPattern, Input};
use super::list_accounts::paged;
use super::shapes::{find_ou, ou_json, parent_arn};
use super::{admit, AwsError, Callers};
use crate::services::{Call, Operation};
use serde_json::{json, Value};

pub(crate) fn handle(call: &Call, op: &Operation, input: &Input) -> Result<Value, AwsError> {
    let parent = input.id("ParentId", IdPattern::Parent)?;
    let page = input.page(op.name)?;
    let org = admit(call, op, Callers::Administrators, |org| {
        parent_arn(org, parent)
    })?;
    if parent != org.root_id && find_ou(org, parent).is_none() {
        return Err(errors::parent_not_found());
    }
    let ous: Vec<Value> = org
        .ous
        .iter()
        .filter(|ou| ou.parent_id == parent)
        .map(|ou| ou_json(org, ou))
        .collect();
    let (items, next) = page.slice(&ous)?;
    Ok(paged(json!({ "OrganizationalUnits": items }), next))
}
