//! ListAccounts: every account of the organization, the management account included, in pages
//! of `MaxResults` (1 to 20, default 20). For administrators (see `admit`); resource `*`.

use super::input::Input;
use super::shapes::{account_json, members};
use super::{admit, AwsError, Callers};
use crate::services::{Call, Operation};
use serde_json::{json, Value};

pub(crate) fn handle(call: &Call, op: &Operation, input: &Input) -> Result<Value, AwsError> {
    let page = input.page(op.name)?;
    let org = admit(call, op, Callers::Administrators, |_| "*".to_string())?;
    let accounts = members(call.world);
    let (items, next) = page.slice(&accounts)?;
    let accounts: Vec<Value> = items.iter().map(|a| account_json(org, a)).collect();
    Ok(paged(json!({ "Accounts": accounts }), next))
}

/// Adds `NextToken` to a page's answer when more items follow; the member is absent on the
/// last page.
pub(crate) fn paged(mut value: Value, next: Option<String>) -> Value {
    if let (Some(token), Value::Object(map)) = (next, &mut value) {
        map.insert("NextToken".to_string(), Value::from(token));
    }
    value
}
