//! AWS STS over the awsQuery protocol (API version 2011-06-15).

mod assume_role;
pub mod authorization_message;
mod authorize;
mod decode_authorization_message;
mod get_access_key_info;
mod get_caller_identity;
mod get_session_token;
pub mod key_ids;
mod mfa_check;
mod session_policy;
mod session_tags;
pub mod validation;

pub use authorization_message::encode_authorization_message;

use super::{Call, Reply, ServiceError};
use rolecall_wire::aws_query::{self, Fault};
use rolecall_wire::STS_NAMESPACE;

/// STS answers with `text/xml` (observed response headers, see the reference notes).
const CONTENT_TYPE: &str = "text/xml";

/// The actions this emulator serves, for routing unsigned requests.
pub const ACTIONS: &[&str] = &[
    "AssumeRole",
    "DecodeAuthorizationMessage",
    "GetAccessKeyInfo",
    "GetCallerIdentity",
    "GetSessionToken",
];

pub fn handle(call: &Call, action: &str) -> Reply {
    let result = match action {
        "AssumeRole" => assume_role::handle(call),
        "DecodeAuthorizationMessage" => decode_authorization_message::handle(call),
        "GetAccessKeyInfo" => get_access_key_info::handle(call),
        "GetCallerIdentity" => Ok(get_caller_identity::handle(call)),
        "GetSessionToken" => get_session_token::handle(call),
        other => {
            Err(rolecall_wire::errors::unknown_action_sts(other, call.params.version()).into())
        }
    };
    match result {
        Ok(reply) => reply,
        Err(err) => error_reply(call.request_id, err),
    }
}

/// A successful answer: `<ActionResponse><ActionResult>…`.
fn success(
    call: &Call,
    action: &str,
    result: impl FnOnce(&mut rolecall_wire::xml::XmlWriter),
) -> Reply {
    Reply {
        status: 200,
        content_type: CONTENT_TYPE,
        body: aws_query::success(STS_NAMESPACE, action, call.request_id, result),
        error_code: None,
        reason: None,
    }
}

/// An STS error in the awsQuery envelope.
pub fn error_reply(request_id: &str, err: ServiceError) -> Reply {
    let fault = if err.status >= 500 {
        Fault::Receiver
    } else {
        Fault::Sender
    };
    Reply {
        status: err.status,
        content_type: CONTENT_TYPE,
        body: aws_query::error(STS_NAMESPACE, fault, &err.code, &err.message, request_id),
        error_code: Some(err.code),
        reason: err.reason,
    }
}
