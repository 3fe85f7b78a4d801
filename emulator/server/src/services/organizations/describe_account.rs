//! DescribeAccount: one account of the organization. For administrators (see `admit`);
//! authorized on the account's Organizations ARN.

use super::errors;
use super::input::{IdPattern, Input};
use super::shapes::{account_arn, account_json, find_account};
use super::{admit, Callers, OrgError};
use crate::services::Call;
use serde_json::{json, Value};

pub(crate) fn handle(call: &Call, input: &Input) -> Result<Value, OrgError> {
    let id = input.id("AccountId", IdPattern::Account)?;
    let org = admit(
        call,
        "organizations:DescribeAccount",
        Callers::Administrators,
        |org| account_arn(org, id),
    )?;
    let account = find_account(call.world, id).ok_or_else(errors::account_not_found)?;
    Ok(json!({ "Account": account_json(org, account) }))
}
