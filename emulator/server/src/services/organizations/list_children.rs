//! ListChildren: the accounts or the OUs directly in a root or OU, as `{Id, Type}` pairs.
//! `ChildType` is required and is `ACCOUNT` or `ORGANIZATIONAL_UNIT`. For administrators (see
//! `admit`); authorized on the parent's ARN.

use super::errors;
use super::input::{IdPattern, Input};
use super::list_accounts::paged;
use super::shapes::{account_parent, find_ou, members, parent_arn};
use super::{admit, AwsError, Callers};
use crate::services::{Call, Operation};
use serde_json::{json, Value};

pub(crate) fn handle(call: &Call, op: &Operation, input: &Input) -> Result<Value, AwsError> {
    let parent = input.id("ParentId", IdPattern::Parent)?;
    let child_type = match input.string("ChildType")? {
        None => return Err(errors::input_required()),
        Some(t @ ("ACCOUNT" | "ORGANIZATIONAL_UNIT")) => t,
        Some(_) => return Err(errors::invalid_enum()),
    };
    let page = input.page(op.name)?;
    let org = admit(call, op, Callers::Administrators, |org| {
        parent_arn(org, parent)
    })?;
    if parent != org.root_id && find_ou(org, parent).is_none() {
        return Err(errors::parent_not_found());
    }
    let ids: Vec<&str> = if child_type == "ACCOUNT" {
        members(call.world)
            .into_iter()
            .filter(|a| account_parent(a) == Some(parent))
            .map(|a| a.id.as_str())
            .collect()
    } else {
        org.ous
            .iter()
            .filter(|ou| ou.parent_id == parent)
            .map(|ou| ou.id.as_str())
            .collect()
    };
    let (items, next) = page.slice(&ids)?;
    let children: Vec<Value> = items
        .iter()
        .map(|id| json!({ "Id": id, "Type": child_type }))
        .collect();
    Ok(paged(json!({ "Children": children }), next))
}
