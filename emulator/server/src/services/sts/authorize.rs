//! Authorization of STS actions that act on no particular resource (`Resource: *`), such as
//! GetAccessKeyInfo and DecodeAuthorizationMessage: the caller's own policies decide.

use crate::services::{Call, Operation};
use rolecall_wire::AwsError;

/// AccessDenied (403) unless the caller may perform the operation. The sentence has no
/// "on resource" part, as AWS writes it for these actions (observed: "User: … is not
/// authorized to perform: sts:DecodeAuthorizationMessage because no identity-based policy
/// allows the sts:DecodeAuthorizationMessage action").
pub(crate) fn authorize_on_any(call: &Call, op: &Operation) -> Result<(), AwsError> {
    call.decide_in_own_account(op.iam_action, |_| {})
        .map(drop)
        .map_err(|denial| denial.into_error("AccessDenied"))
}
