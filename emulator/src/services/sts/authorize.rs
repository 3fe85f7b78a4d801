//! Authorization of STS actions that act on no particular resource (`Resource: *`), such as
//! GetAccessKeyInfo and DecodeAuthorizationMessage: the caller's own policies decide.

use crate::authz::ResourcePolicy;
use crate::services::{Ask, Call, ServiceError};

/// AccessDenied (403) unless the caller may perform `action`. The sentence has no
/// "on resource" part, as AWS writes it for these actions (observed: "User: … is not
/// authorized to perform: sts:DecodeAuthorizationMessage because no identity-based policy
/// allows the sts:DecodeAuthorizationMessage action").
pub fn authorize_on_any(call: &Call, action: &str) -> Result<(), ServiceError> {
    let account = call.principal.account_id();
    let context = call.context(account);
    call.decide(Ask {
        action,
        resource: "*",
        resource_account: account,
        resource_policy: ResourcePolicy::NotApplicable,
        context: &context,
        show_resource: false,
    })
    .map(drop)
    .map_err(|denial| denial.into_error("AccessDenied"))
}
