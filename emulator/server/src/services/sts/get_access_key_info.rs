//! GetAccessKeyInfo: the account an access key id belongs to.
//!
//! It needs `sts:GetAccessKeyInfo` (observed denial: "User: … is not authorized to perform:
//! sts:GetAccessKeyInfo because no identity-based policy allows the sts:GetAccessKeyInfo
//! action"). The answer does not depend on the key being active or even known: AWS reads the
//! account out of the key id itself (see [`super::key_ids`]). Here a long-term key the
//! scenario declares answers with its account (scenario key ids need not follow AWS's layout),
//! and any other key id with the account its bits encode, which covers every `ASIA` key this
//! server issued.

use super::authorize::authorize_on_any;
use super::key_ids::account_of_key_id;
use super::success;
use super::validation::Violations;
use crate::services::{AwsError, Call, Operation, Reply};

pub(crate) fn handle(call: &Call, op: &Operation) -> Result<Reply, AwsError> {
    let mut v = Violations::default();
    // accessKeyIdType: 16–128 characters of `[\w]*`.
    let key_id = v.required(
        call.params.get("AccessKeyId"),
        "accessKeyId",
        16,
        128,
        Some(("[\\w]*", |c: char| c.is_ascii_alphanumeric() || c == '_')),
    );
    v.finish()?;
    let key_id = key_id.value()?;
    authorize_on_any(call, op)?;
    let account = match call.world.long_term_key(key_id) {
        Some(key) => key.account.clone(),
        None => account_of_key_id(key_id).ok_or_else(|| unknown_key(key_id))?,
    };
    Ok(success(call, op, |w| {
        w.element("Account", &account);
    }))
}

/// An old-generation key id that no scenario declares: its account cannot be read from it.
/// "Providing a deleted access key might return an error that the key doesn't exist" (STS API
/// reference); the text of that error was not found in observed output.
fn unknown_key(key_id: &str) -> AwsError {
    AwsError::new(
        400,
        "InvalidParameterValue",
        format!("The access key ID {key_id} does not exist."),
    )
}
