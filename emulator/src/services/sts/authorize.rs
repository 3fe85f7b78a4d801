//! Authorization of STS actions that act on no particular resource (`Resource: *`), such as
//! GetAccessKeyInfo and DecodeAuthorizationMessage: the caller's own policies decide.

use crate::authz::{self, ResourcePolicy};
use crate::services::context::global_context;
use crate::services::{Call, ServiceError};

/// AccessDenied (403) unless the caller may perform `action`. The sentence has no
/// "on resource" part, as AWS writes it for these actions (observed: "User: … is not
/// authorized to perform: sts:DecodeAuthorizationMessage because no identity-based policy
/// allows the sts:DecodeAuthorizationMessage action").
pub fn authorize_on_any(call: &Call, action: &str) -> Result<(), ServiceError> {
    let caller = call.principal.caller();
    let context = global_context(call);
    let request = authz::Request {
        caller: &caller,
        action,
        resource: "*",
        resource_account: Some(call.principal.account_id()),
        context: &context,
        identity_policies: call.principal.identity_policies(),
        permissions_boundary: call.principal.permissions_boundary(),
        session_policies: call.principal.session_policies(),
        scps: &call.principal.account().scp_levels,
        rcps: &[],
        resource_policy: ResourcePolicy::NotApplicable,
    };
    let decision = authz::authorize(&request);
    if decision.is_allowed() {
        return Ok(());
    }
    Err(
        ServiceError::new(403, "AccessDenied", decision.denial_message(&request, true))
            .with_reason(decision.summary()),
    )
}
