//! ListDelegatedAdministrators: the accounts registered as delegated administrators, each once,
//! in the order the scenario first registers them; with `ServicePrincipal`, only those
//! registered for that service. A `DelegatedAdministrator` is an `Account` plus
//! `DelegationEnabledDate`: the date of the registration for the filtered service, or of the
//! account's earliest registration without a filter (the API reference says only "the date
//! when the account was made a delegated administrator"; which date AWS shows for an account
//! registered for several services is unconfirmed). A service principal nobody is registered
//! for lists nothing (unconfirmed: AWS may instead refuse a principal it does not recognize).
//! Accounts admitted by the delegation policy are not listed: that policy is a separate
//! mechanism from RegisterDelegatedAdministrator. For administrators (see `admit`); resource
//! `*`, with `organizations:ServicePrincipal` when a service is given (Service Authorization
//! Reference).

use super::input::Input;
use super::list_accounts::paged;
use super::shapes::{account_json, find_account, timestamp};
use super::{admit_with, AwsError, Callers};
use crate::services::{Call, Operation};
use serde_json::{json, Value};
use time::OffsetDateTime;

pub(crate) fn handle(call: &Call, op: &Operation, input: &Input) -> Result<Value, AwsError> {
    let service = input.service_principal()?;
    let page = input.page(op.name)?;
    let org = admit_with(
        call,
        op,
        Callers::Administrators,
        |_| "*".to_string(),
        |_, context| {
            if let Some(service) = service {
                context.insert_static("organizations:ServicePrincipal", service);
            }
        },
    )?;
    // Each account once, where it is first registered in the scenario, dated by its earliest
    // matching registration.
    let mut listed: Vec<(&str, OffsetDateTime)> = Vec::new();
    for d in &org.delegated_administrators {
        if service.is_some_and(|s| s != d.service_principal) {
            continue;
        }
        match listed.iter_mut().find(|(id, _)| *id == d.account_id) {
            Some((_, date)) => *date = (*date).min(d.enabled_at),
            None => listed.push((&d.account_id, d.enabled_at)),
        }
    }
    let admins: Vec<Value> = listed
        .into_iter()
        .filter_map(|(id, date)| {
            let mut admin = account_json(org, find_account(call.world, id)?);
            admin["DelegationEnabledDate"] = json!(timestamp(date));
            Some(admin)
        })
        .collect();
    let (items, next) = page.slice(&admins)?;
    Ok(paged(json!({ "DelegatedAdministrators": items }), next))
}
