//! The AWS services: one module per service, one file per action. An action reads its typed
//! parameters, asks the authorization engine, reads the world, and answers in its service's
//! protocol. Nothing here decides allow or deny by itself.

pub mod context;
pub mod decisions;
pub mod ec2;
pub mod organizations;
pub mod sts;

use crate::authz::{self, Decision};
use crate::protocol::form::Params;
use crate::world::clock::Clock;
use crate::world::sessions::SessionSigner;
use crate::world::{Principal, World};
use decisions::{DecisionLog, DecisionRecord};
use std::net::IpAddr;
use time::OffsetDateTime;

/// Everything an action may read about its request.
pub struct Call<'a> {
    pub request_id: &'a str,
    pub world: &'a World,
    pub principal: &'a Principal,
    pub params: &'a Params,
    /// The region of the SigV4 credential scope.
    pub region: &'a str,
    pub source_ip: IpAddr,
    pub signer: &'a SessionSigner,
    pub clock: &'a Clock,
    /// The emulator's "now" for this request, read once.
    pub now: OffsetDateTime,
    /// Where this request's decisions are kept for explanation.
    pub decisions: &'a DecisionLog,
}

impl Call<'_> {
    /// Asks the authorization engine, and records the decision under this request's id.
    /// Every action authorizes through here: there is no other path to allow or deny.
    pub fn authorize(&self, request: &authz::Request, show_resource: bool) -> Decision {
        let decision = authz::authorize(request);
        let (message, trace) = if decision.is_allowed() {
            (None, None)
        } else {
            // Denials are rare next to allows and are what users come to investigate, so
            // only they pay for a second, traced evaluation.
            let (_, trace) = authz::authorize_traced(request);
            (
                Some(decision.denial_message(request, show_resource)),
                Some(trace),
            )
        };
        self.decisions.record(DecisionRecord {
            request_id: self.request_id.to_string(),
            caller: self.principal.arn().to_string(),
            action: request.action.to_string(),
            resource: request.resource.to_string(),
            decision: decision.clone(),
            message,
            trace,
        });
        decision
    }
}

/// An answer ready for the wire, plus what the request log says about it.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
    /// The AWS error code, for errors.
    pub error_code: Option<String>,
    /// For denials: which policy decided, in a few words.
    pub reason: Option<String>,
}

/// An error an action answers with, before it is put in its protocol's envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    pub status: u16,
    pub code: String,
    pub message: String,
    /// For the request log (denials name the deciding policy).
    pub reason: Option<String>,
}

impl From<crate::protocol::errors::ProtocolError> for ServiceError {
    fn from(e: crate::protocol::errors::ProtocolError) -> ServiceError {
        ServiceError::new(e.status, e.code, e.message)
    }
}

impl ServiceError {
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> ServiceError {
        ServiceError {
            status,
            code: code.to_string(),
            message: message.into(),
            reason: None,
        }
    }

    pub fn with_reason(mut self, reason: String) -> ServiceError {
        self.reason = Some(reason);
        self
    }
}
