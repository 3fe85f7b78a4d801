//! Calling Organizations in tests: the status, content type and parsed body of an answer.

use super::{Keys, Response, TestServer};
use serde_json::Value;

/// The one AccessDeniedException text Organizations sends.
pub const DENIED: &str = "You don't have permissions to access this resource.";

/// Calls `op` with a JSON body; the status, the parsed body and the raw response.
pub fn call(server: &TestServer, keys: &Keys, op: &str, body: Value) -> (u16, Value, Response) {
    let r = server.call_json(keys, op, &body.to_string());
    let value = serde_json::from_str(&r.body).unwrap_or(Value::Null);
    (r.status, value, r)
}

/// A successful answer's body.
pub fn ok(server: &TestServer, keys: &Keys, op: &str, body: Value) -> Value {
    let (status, value, r) = call(server, keys, op, body);
    assert_eq!(status, 200, "{op}: {}", r.body);
    assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.1"));
    value
}

/// An error answer (HTTP 400, as every Organizations error): `__type`, `Message`, the body.
pub fn err(server: &TestServer, keys: &Keys, op: &str, body: Value) -> (String, String, Value) {
    let (status, value, r) = call(server, keys, op, body);
    assert_eq!(status, 400, "{op}: {}", r.body);
    assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.1"));
    (
        value["__type"].as_str().unwrap().to_string(),
        value["Message"].as_str().unwrap().to_string(),
        value,
    )
}

/// Every item of a listing, read page by page with `MaxResults: 1`; also checks that every
/// page but the last carries a `NextToken`.
pub fn all_pages(
    server: &TestServer,
    keys: &Keys,
    op: &str,
    body: Value,
    items: &str,
) -> Vec<Value> {
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut request = body.clone();
        request["MaxResults"] = Value::from(1);
        if let Some(t) = &token {
            request["NextToken"] = Value::from(t.as_str());
        }
        let page = ok(server, keys, op, request);
        let list = page[items].as_array().unwrap();
        assert!(list.len() <= 1, "{op}: {page}");
        seen.extend(list.iter().cloned());
        match page.get("NextToken") {
            Some(t) => token = Some(t.as_str().unwrap().to_string()),
            None => return seen,
        }
    }
}
