//! DescribeAccount: one account of the organization. For administrators (see `admit`);
//! authorized on the account's Organizations ARN.

use super::errors;
use super::input::{IdPattern, Input};
use super::shapes::{account_arn, account_json, find_account};
use super::{admit, AwsError, Callers};
use crate::services::{Call, Operation};
use serde_json::{json, Value};

pub(crate) fn handle(call: &Call, op: &Operation, input: &Input) -> Result<Value, AwsError> {
    let id = input.id("AccountId", IdPattern::Account)?;
    let org = admit(call, op, Callers::Administrators, |org| {
        account_arn(org, id)
    })?;
    let account = find_account(call.world, id).ok_or_else(errors::account_not_found)?;
    Ok(json!({ "Account": account_json(org, account) }))
}
