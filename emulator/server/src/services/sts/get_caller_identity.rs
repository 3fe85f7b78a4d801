//! GetCallerIdentity: who signed this request.
//!
//! It needs no permission and cannot be denied: "No permissions are required to perform this
//! operation. If an administrator attaches a policy to your identity that explicitly denies
//! access to the sts:GetCallerIdentity action, you can still perform this operation."
//! (STS API reference, GetCallerIdentity.) So it does not consult the engine.

use super::success;
use crate::services::{Call, Operation};
use rolecall_wire::{AwsError, Reply};

pub(crate) fn handle(call: &Call, op: &Operation) -> Result<Reply, AwsError> {
    let p = call.principal;
    Ok(success(call, op, |w| {
        w.element("Arn", p.arn());
        w.element("UserId", &p.user_id());
        w.element("Account", p.account_id());
    }))
}
