//! awsJson1.1 responses (Organizations).
//!
//! The operation comes from the `X-Amz-Target: AWSOrganizationsV20161128.<Op>` header and the
//! body is JSON both ways. Errors are `{"__type":"<Code>","Message":"…"}` with HTTP 400 for
//! client faults: Organizations' error shapes model the member as `Message` (botocore
//! `organizations/2016-11-28/service-2.json`, e.g. `AWSOrganizationsNotInUseException`), and
//! every SDK looks the message up case-insensitively (`message` or `Message`).

use super::AwsError;
use serde_json::{json, Value};

/// Content type of awsJson1.1 requests and responses.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// The `X-Amz-Target` prefix of Organizations operations.
pub const ORGANIZATIONS_TARGET_PREFIX: &str = "AWSOrganizationsV20161128";

/// An error body: `__type` and `Message`, and `Reason` where the service models one
/// (Organizations' `InvalidInputException`, botocore's model).
pub fn error(error: &AwsError) -> String {
    let mut body = json!({ "__type": error.code, "Message": error.message });
    if let (Some(reason), Value::Object(map)) = (error.reason, &mut body) {
        map.insert("Reason".to_string(), Value::from(reason));
    }
    body.to_string()
}

/// A success body.
pub fn success(value: &Value) -> String {
    value.to_string()
}

/// The operation named by an `X-Amz-Target` value, if it has the expected service prefix.
pub fn operation_from_target<'a>(target: &'a str, prefix: &str) -> Option<&'a str> {
    target
        .strip_prefix(prefix)?
        .strip_prefix('.')
        .filter(|op| !op.is_empty())
}
