//! DecodeAuthorizationMessage: the JSON behind an "Encoded authorization failure message" of
//! an EC2 denial (see [`super::authorization_message`]).
//!
//! It needs `sts:DecodeAuthorizationMessage` ("To decode an authorization status message, a
//! user must be granted permissions through an IAM policy to request the
//! DecodeAuthorizationMessage (sts:DecodeAuthorizationMessage) action", STS API reference).
//! A message this server did not encode, or one altered in any character, is
//! `InvalidAuthorizationMessageException` (HTTP 400, STS model).

use super::authorization_message::decode;
use super::authorize::authorize_on_any;
use super::success;
use super::validation::{Pattern, Violations};
use crate::services::{AwsError, Call, Operation, Reply};

pub(crate) fn handle(call: &Call, op: &Operation) -> Result<Reply, AwsError> {
    let mut v = Violations::default();
    // encodedMessageType: 1–10240 characters.
    let encoded = v.required(
        call.params.get("EncodedMessage"),
        "encodedMessage",
        1,
        10_240,
        None::<Pattern>,
    );
    v.finish()?;
    let encoded = encoded.value()?;
    authorize_on_any(call, op)?;
    let Some(decoded) = decode(call.signer, encoded) else {
        // The model gives the code; AWS's message text for it was not found in observed
        // output.
        return Err(AwsError::new(
            400,
            "InvalidAuthorizationMessageException",
            "The encoded authorization message is invalid.",
        ));
    };
    Ok(success(call, op, |w| {
        w.element("DecodedMessage", &decoded);
    }))
}
