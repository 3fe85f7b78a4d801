//! The one error type every service and authentication answer with, and the one writer per
//! protocol that puts it on the wire.

use super::aws_query::{self, Fault};
use super::{aws_json, ec2_query};
use std::borrow::Cow;
use std::fmt;

/// An AWS error answer: HTTP status, AWS's error code, and AWS's message, word for word.
///
/// Codes are static text: every code rolecall answers with is written down where its
/// source is cited. Two members never reach the `Error` element itself: `reason`, which
/// awsJson services send beside the message (Organizations' `InvalidInputException`), and
/// `note`, a few words for the request log (for a denial, which policy decided).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsError {
    pub status: u16,
    pub code: &'static str,
    pub message: Cow<'static, str>,
    /// The `Reason` member of an awsJson error, when the service models one.
    pub reason: Option<&'static str>,
    /// For the request log only.
    pub note: Option<String>,
}

impl AwsError {
    pub fn new(status: u16, code: &'static str, message: impl Into<Cow<'static, str>>) -> Self {
        AwsError {
            status,
            code,
            message: message.into(),
            reason: None,
            note: None,
        }
    }

    /// The same error with the awsJson `Reason` member.
    #[must_use]
    pub fn with_reason(mut self, reason: &'static str) -> Self {
        self.reason = Some(reason);
        self
    }

    /// The same error with a note for the request log.
    #[must_use]
    pub fn with_note(mut self, note: String) -> Self {
        self.note = Some(note);
        self
    }

    /// Sender for 4xx, Receiver for 5xx (awsQuery's `Type`).
    pub fn fault(&self) -> Fault {
        Fault::for_status(self.status)
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status, self.message)
    }
}

impl std::error::Error for AwsError {}

/// The protocols rolecall speaks, each with its own envelope for answers and errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// awsQuery (STS, IAM): XML in the service's namespace.
    AwsQuery { namespace: &'static str },
    /// ec2Query (EC2).
    Ec2Query,
    /// awsJson 1.1 (Organizations).
    AwsJson11,
}

impl Protocol {
    /// The `Content-Type` of every answer: `text/xml` for awsQuery (observed STS response
    /// headers), `text/xml;charset=UTF-8` for EC2 (observed), the JSON version's own type.
    pub fn content_type(self) -> &'static str {
        match self {
            Protocol::AwsQuery { .. } => "text/xml",
            Protocol::Ec2Query => "text/xml;charset=UTF-8",
            Protocol::AwsJson11 => aws_json::CONTENT_TYPE,
        }
    }

    /// `error` as this protocol writes it.
    pub fn error_body(self, error: &AwsError, request_id: &str) -> String {
        match self {
            Protocol::AwsQuery { namespace } => aws_query::error(namespace, error, request_id),
            Protocol::Ec2Query => ec2_query::error(error, request_id),
            Protocol::AwsJson11 => aws_json::error(error),
        }
    }

    /// `error` as an answer, its note kept for the request log.
    pub fn error_reply(self, error: AwsError, request_id: &str) -> Reply {
        Reply {
            status: error.status,
            content_type: self.content_type(),
            body: self.error_body(&error, request_id),
            error_code: Some(error.code),
            note: error.note,
        }
    }

    /// A success answer with `body`.
    pub fn success_reply(self, body: String) -> Reply {
        Reply {
            status: 200,
            content_type: self.content_type(),
            body,
            error_code: None,
            note: None,
        }
    }
}

/// An answer ready for the wire, plus what the request log says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
    /// The AWS error code, for errors.
    pub error_code: Option<&'static str>,
    /// For the request log: for a denial, which policy decided.
    pub note: Option<String>,
}
