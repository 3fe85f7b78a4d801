//! ListDelegatedServicesForAccount: the services one account is a delegated administrator
//! for, as `{ServicePrincipal, DelegationEnabledDate}` items in registration order. An account
//! outside the organization is `AccountNotFoundException`; one inside it but registered for
//! nothing (the management account included) is `AccountNotRegisteredException` (both in the
//! model's errors for the action). For administrators (see `admit`); authorized on the
//! account's Organizations ARN (Service Authorization Reference).

use super::errors;
use super::input::{IdPattern, Input};
use super::list_accounts::paged;
use super::shapes::{account_arn, find_account, timestamp};
use super::{admit, AwsError, Callers};
use crate::services::{Call, Operation};
use serde_json::{json, Value};

pub(crate) fn handle(call: &Call, op: &Operation, input: &Input) -> Result<Value, AwsError> {
    let id = input.id("AccountId", IdPattern::Account)?;
    let page = input.page(op.name)?;
    let org = admit(call, op, Callers::Administrators, |org| {
        account_arn(org, id)
    })?;
    find_account(call.world, id).ok_or_else(errors::account_not_found)?;
    let services: Vec<Value> = org
        .delegated_administrators
        .iter()
        .filter(|d| d.account_id == id)
        .map(|d| {
            json!({
                "ServicePrincipal": d.service_principal,
                "DelegationEnabledDate": timestamp(d.enabled_at),
            })
        })
        .collect();
    if services.is_empty() {
        return Err(errors::account_not_registered());
    }
    let (items, next) = page.slice(&services)?;
    Ok(paged(json!({ "DelegatedServices": items }), next))
}
