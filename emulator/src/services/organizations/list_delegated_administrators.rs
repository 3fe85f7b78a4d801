//! ListDelegatedAdministrators: the accounts registered as delegated administrators, each once,
//! in the order of their first registration; with `ServicePrincipal`, only those registered for
//! that service. A `DelegatedAdministrator` is an `Account` plus `DelegationEnabledDate`: the
//! date of the registration for the filtered service, or of the account's first registration
//! without a filter (the API reference says only "the date when the account was made a
//! delegated administrator"; which date AWS shows for an account registered for several
//! services is unconfirmed). A service principal nobody is registered for lists nothing
//! (unconfirmed: AWS may instead refuse a principal it does not recognize). Accounts admitted
//! by the delegation policy are not listed: that policy is a separate mechanism from
//! RegisterDelegatedAdministrator. For administrators (see `admit`); resource `*`, with
//! `organizations:ServicePrincipal` when a service is given (Service Authorization Reference).

use super::input::Input;
use super::list_accounts::paged;
use super::shapes::{account_json, find_account, timestamp};
use super::{admit_with, Callers, OrgError};
use crate::services::Call;
use crate::world::DelegatedAdministrator;
use serde_json::{json, Value};

pub fn handle(call: &Call, input: &Input) -> Result<Value, OrgError> {
    let service = input.service_principal()?;
    let page = input.page("ListDelegatedAdministrators")?;
    let org = admit_with(
        call,
        "organizations:ListDelegatedAdministrators",
        Callers::Administrators,
        |_| "*".to_string(),
        |_, context| {
            if let Some(service) = service {
                context.insert_static("organizations:ServicePrincipal", service);
            }
        },
    )?;
    // The first matching registration of each account, in scenario order.
    let mut first: Vec<&DelegatedAdministrator> = Vec::new();
    for d in &org.delegated_administrators {
        let wanted = service.is_none_or(|s| s == d.service_principal);
        if wanted && !first.iter().any(|f| f.account_id == d.account_id) {
            first.push(d);
        }
    }
    let admins: Vec<Value> = first
        .into_iter()
        .filter_map(|d| {
            let mut admin = account_json(org, find_account(call.world, &d.account_id)?);
            admin["DelegationEnabledDate"] = json!(timestamp(d.enabled_at));
            Some(admin)
        })
        .collect();
    let (items, next) = page.slice(&admins)?;
    Ok(paged(json!({ "DelegatedAdministrators": items }), next))
}
