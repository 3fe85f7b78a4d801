//! ListAccountsForParent: the accounts directly in a root or OU (not in its child OUs).
//! For administrators (see `admit`); authorized on the parent's ARN.

use super::errors;
use super::input::{IdPattern, Input};
use super::list_accounts::paged;
use super::shapes::{account_json, account_parent, find_ou, members, parent_arn};
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
    let accounts: Vec<Value> = members(call.world)
        .into_iter()
        .filter(|a| account_parent(a) == Some(parent))
        .map(|a| account_json(org, a))
        .collect();
    let (items, next) = page.slice(&accounts)?;
    Ok(paged(json!({ "Accounts": items }), next))
}
