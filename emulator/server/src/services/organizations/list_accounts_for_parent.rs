//! ListAccountsForParent: the accounts directly in a root or OU (not in its child OUs).
//! For administrators (see `admit`); authorized on the parent's ARN.

use super::errors;
use super::input::{IdPattern, Input};
use super::list_accounts::paged;
use super::shapes::{account_json, account_parent, find_ou, members, parent_arn};
use super::{admit, Callers, OrgError};
use crate::services::Call;
use serde_json::{json, Value};

pub(crate) fn handle(call: &Call, input: &Input) -> Result<Value, OrgError> {
    let parent = input.id("ParentId", IdPattern::Parent)?;
    let page = input.page("ListAccountsForParent")?;
    let org = admit(
        call,
        "organizations:ListAccountsForParent",
        Callers::Administrators,
        |org| parent_arn(org, parent),
    )?;
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
