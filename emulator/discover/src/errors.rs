//! What an AWS service said when it refused a request, reduced to the three things a user acts
//! on: the HTTP status, the error code and the message.
//!
//! The three protocols put them in different places:
//!
//! - awsQuery (STS): `<ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse>`;
//! - ec2Query (EC2): `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`;
//! - awsJson1.1 (Organizations): `{"__type": "Code", "Message": "…"}` with the request id in the
//!   `x-amzn-RequestId` header; some services write `message` in lower case, or prefix the
//!   code with a namespace and `#`.

use super::xml;
use serde::Serialize;
use std::fmt;

/// One refused (or failed) request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiError {
    /// The HTTP status; 0 when no answer arrived at all.
    pub status: u16,
    /// AWS's error code (`AccessDenied`, `AuthFailure`, …), or, when the request never got
    /// an answer, `ConnectionError` (`CertificateError` when TLS refused the server).
    pub code: String,
    pub message: String,
    /// The id AWS gave the request, which its support (or rolecall's
    /// `/_rolecall/requests/<id>` trace) can look up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl ApiError {
    /// A request that got no HTTP answer (refused connection, timeout, TLS failure).
    pub fn transport(message: impl Into<String>) -> ApiError {
        ApiError {
            status: 0,
            code: "ConnectionError".into(),
            message: message.into(),
            request_id: None,
        }
    }

    /// A TLS handshake that failed because the server's certificate did not verify: the
    /// same connection fails the same way, so it is never retried.
    pub fn certificate(message: impl Into<String>) -> ApiError {
        ApiError {
            code: "CertificateError".into(),
            ..ApiError::transport(message)
        }
    }

    /// Reads an XML error body (awsQuery or ec2Query); a body that is not one keeps its status
    /// and says what arrived instead.
    pub fn from_xml(status: u16, body: &str) -> ApiError {
        let mut code = None;
        let mut message = None;
        let mut request_id = None;
        let walked = xml::walk(body, |path, text| {
            let Some(text) = text else { return };
            match path.last().map(String::as_str) {
                Some("Code") if path.iter().any(|p| p == "Error") => code = Some(text.to_string()),
                Some("Message") if path.iter().any(|p| p == "Error") => {
                    message = Some(text.to_string())
                }
                Some("RequestId" | "RequestID") => request_id = Some(text.to_string()),
                _ => {}
            }
        });
        match (walked, code) {
            (Ok(()), Some(code)) => ApiError {
                status,
                code,
                message: message.unwrap_or_default(),
                request_id,
            },
            _ => ApiError::unreadable(status, body),
        }
    }

    /// Reads an awsJson1.1 error body.
    pub fn from_json(status: u16, body: &str, request_id: Option<String>) -> ApiError {
        let value: serde_json::Value = match serde_json::from_str(body) {
            Ok(v) => v,
            Err(_) => return ApiError::unreadable(status, body),
        };
        let Some(raw_code) = value.get("__type").and_then(|v| v.as_str()) else {
            return ApiError::unreadable(status, body);
        };
        // `com.amazonaws.organizations#AccessDeniedException` → `AccessDeniedException`.
        let code = raw_code.rsplit('#').next().unwrap_or(raw_code).to_string();
        let message = ["Message", "message"]
            .iter()
            .find_map(|k| value.get(*k).and_then(|v| v.as_str()))
            .unwrap_or_default()
            .to_string();
        ApiError {
            status,
            code,
            message,
            request_id,
        }
    }

    fn unreadable(status: u16, body: &str) -> ApiError {
        let snippet: String = body.chars().take(200).collect();
        ApiError {
            status,
            code: format!("HTTP{status}"),
            message: format!("unreadable error body: {snippet}"),
            request_id: None,
        }
    }

    /// Whether trying again may help: throttling (STS `Throttling`, EC2
    /// `RequestLimitExceeded`, JSON services' `ThrottlingException`/`TooManyRequestsException`),
    /// any 5xx, and a request that got no answer. Authentication and authorization failures
    /// never are, nor an untrusted certificate: the same request gets the same answer.
    pub fn is_retryable(&self) -> bool {
        (self.status == 0 && self.code != "CertificateError")
            || self.status >= 500
            || matches!(
                self.code.as_str(),
                "Throttling"
                    | "ThrottlingException"
                    | "RequestLimitExceeded"
                    | "TooManyRequestsException"
                    | "RequestThrottled"
            )
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            write!(f, "{}", self.code)
        } else {
            write!(f, "{}: {}", self.code, self.message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_protocol() {
        let sts = "<ErrorResponse xmlns=\"x\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: a &amp; b</Message></Error><RequestId>r1</RequestId></ErrorResponse>";
        let e = ApiError::from_xml(403, sts);
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("AccessDenied", "User: a & b")
        );
        assert_eq!(e.request_id.as_deref(), Some("r1"));
        let ec2 = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>AuthFailure</Code><Message>no</Message></Error></Errors><RequestID>r2</RequestID></Response>";
        let e = ApiError::from_xml(401, ec2);
        assert_eq!(
            (e.code.as_str(), e.request_id.as_deref()),
            ("AuthFailure", Some("r2"))
        );
        let json = r#"{"__type":"ns#AccessDeniedException","message":"nope"}"#;
        let e = ApiError::from_json(400, json, None);
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("AccessDeniedException", "nope")
        );
        assert_eq!(ApiError::from_xml(502, "<html>").code, "HTTP502");
    }

    #[test]
    fn retries_only_what_may_change() {
        let e = |status, code: &str| ApiError {
            status,
            code: code.into(),
            message: String::new(),
            request_id: None,
        };
        assert!(e(400, "Throttling").is_retryable());
        assert!(e(503, "RequestLimitExceeded").is_retryable());
        assert!(e(500, "InternalError").is_retryable());
        assert!(!e(401, "AuthFailure").is_retryable());
        assert!(!e(403, "AccessDenied").is_retryable());
        assert!(ApiError::transport("refused").is_retryable());
        assert!(!ApiError::certificate("UnknownIssuer").is_retryable());
    }
}
