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

use super::{find, Action, Authorize, Call, Operation};
use rolecall_wire::{aws_query, AwsError, Protocol, Reply, STS_NAMESPACE};

/// STS speaks awsQuery in its own namespace.
pub(crate) const PROTOCOL: Protocol = Protocol::AwsQuery {
    namespace: STS_NAMESPACE,
};

type Handler = fn(&Call, &Operation) -> Result<Reply, AwsError>;

/// Every STS action served, sorted by name. GetCallerIdentity and GetSessionToken need no
/// permission (STS API reference: "No permissions are required to perform this operation";
/// GetSessionToken likewise). GetAccessKeyInfo and DecodeAuthorizationMessage validate their
/// input before asking the engine, and AssumeRole asks on the role it names.
pub(crate) static ACTIONS: &[Action<Handler>] = &[
    Action::new(
        "AssumeRole",
        "sts:AssumeRole",
        Authorize::InHandler,
        assume_role::handle,
    ),
    Action::new(
        "DecodeAuthorizationMessage",
        "sts:DecodeAuthorizationMessage",
        Authorize::InHandler,
        decode_authorization_message::handle,
    ),
    Action::new(
        "GetAccessKeyInfo",
        "sts:GetAccessKeyInfo",
        Authorize::InHandler,
        get_access_key_info::handle,
    ),
    Action::new(
        "GetCallerIdentity",
        "sts:GetCallerIdentity",
        Authorize::Never,
        get_caller_identity::handle,
    ),
    Action::new(
        "GetSessionToken",
        "sts:GetSessionToken",
        Authorize::Never,
        get_session_token::handle,
    ),
];

/// The actions served, in the table's order: name, IAM action, how each is authorized.
pub fn operations() -> impl Iterator<Item = &'static Operation> {
    ACTIONS.iter().map(|a| &a.operation)
}

pub(crate) fn handle(call: &Call, action: &str) -> Reply {
    let result = match find(ACTIONS, action) {
        Some(a) => (a.handler)(call, &a.operation),
        None => Err(rolecall_wire::errors::unknown_action_sts(
            action,
            call.params.version(),
        )),
    };
    match result {
        Ok(reply) => reply,
        Err(err) => PROTOCOL.error_reply(err, call.request_id),
    }
}

/// A successful answer: `<ActionResponse><ActionResult>…`.
fn success(
    call: &Call,
    op: &Operation,
    result: impl FnOnce(&mut rolecall_wire::xml::XmlWriter),
) -> Reply {
    PROTOCOL.success_reply(aws_query::success(
        STS_NAMESPACE,
        op.name,
        call.request_id,
        result,
    ))
}
