//! ListParents: the one root or OU directly above an account or OU (an organization has one
//! level of parent per child). For administrators (see `admit`); authorized on the child's ARN.

use super::errors;
use super::input::{IdPattern, Input};
use super::list_accounts::paged;
use super::shapes::{account_arn, account_parent, find_account, find_ou, ou_arn, parent_type};
use super::{admit, AwsError, Callers};
use crate::services::{Call, Operation};
use serde_json::{json, Value};

pub(crate) fn handle(call: &Call, op: &Operation, input: &Input) -> Result<Value, AwsError> {
    let child = input.id("ChildId", IdPattern::Child)?;
    let page = input.page(op.name)?;
    let org = admit(call, op, Callers::Administrators, |org| {
        if child.starts_with("ou-") {
            ou_arn(org, child)
        } else {
            account_arn(org, child)
        }
    })?;
    let parent = if child.starts_with("ou-") {
        find_ou(org, child).map(|ou| ou.parent_id.as_str())
    } else {
        find_account(call.world, child).and_then(|a| account_parent(a))
    };
    let parent = parent.ok_or_else(errors::child_not_found)?;
    let parents = [json!({ "Id": parent, "Type": parent_type(parent) })];
    let (items, next) = page.slice(&parents)?;
    Ok(paged(json!({ "Parents": items }), next))
}
