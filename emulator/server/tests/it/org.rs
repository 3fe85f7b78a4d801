//! Calling Organizations in tests: the status, content type and parsed body of an answer.

use rolecall_test_support::{Keys, Response, TestServer};
use serde_json::{json, Value};

/// The one AccessDeniedException text Organizations sends.
pub(crate) const DENIED: &str = "You don't have permissions to access this resource.";

/// One caller of Organizations: the server, and the keys that sign each of its requests.
pub(crate) struct Caller<'a> {
    pub server: &'a TestServer,
    pub keys: Keys,
}

impl<'a> Caller<'a> {
    pub(crate) fn new(server: &'a TestServer, keys: Keys) -> Caller<'a> {
        Caller { server, keys }
    }

    /// Calls `op` with a JSON body; the status, the parsed body and the raw response.
    pub(crate) fn call(&self, op: &str, body: Value) -> (u16, Value, Response) {
        let r = self.server.call_json(&self.keys, op, &body.to_string());
        let value = serde_json::from_str(&r.body).unwrap_or(Value::Null);
        (r.status, value, r)
    }

    /// A successful answer's body.
    pub(crate) fn ok(&self, op: &str, body: Value) -> Value {
        let (status, value, r) = self.call(op, body);
        assert_eq!(status, 200, "{op}: {}", r.body);
        assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.1"));
        value
    }

    /// An error answer (HTTP 400, as every Organizations error): `__type`, `Message`, the body.
    pub(crate) fn err(&self, op: &str, body: Value) -> (String, String, Value) {
        let (status, value, r) = self.call(op, body);
        assert_eq!(status, 400, "{op}: {}", r.body);
        assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.1"));
        (
            value["__type"].as_str().unwrap().to_string(),
            value["Message"].as_str().unwrap().to_string(),
            value,
        )
    }

    /// An AccessDeniedException with Organizations' one text and no `Reason`.
    pub(crate) fn assert_denied(&self, op: &str, body: Value) {
        let (code, message, v) = self.err(op, body);
        assert_eq!(
            (code.as_str(), message.as_str()),
            ("AccessDeniedException", DENIED),
            "{op}"
        );
        assert!(v.get("Reason").is_none(), "{op}: {v}");
    }

    /// The engine's decision behind a refused request, from the request's decision trace: its
    /// outcome and the policy type that decided.
    pub(crate) fn refusal(&self, op: &str, body: Value) -> (String, String) {
        let (status, value, r) = self.call(op, body);
        assert_eq!(
            (status, value["__type"].as_str()),
            (400, Some("AccessDeniedException"))
        );
        let id = r.header("x-amzn-requestid").unwrap();
        let t = self
            .server
            .send("GET", &format!("/_rolecall/requests/{id}"), &[], "");
        assert_eq!(t.status, 200, "{}", t.body);
        let v: Value = serde_json::from_str(&t.body).unwrap();
        let d = &v["decisions"][0]["decision"];
        (
            d["outcome"].as_str().unwrap().to_string(),
            d["policy_type"].as_str().unwrap_or_default().to_string(),
        )
    }

    /// Every item of a listing, read page by page with `MaxResults: 1`; also checks that every
    /// page but the last carries a `NextToken`.
    pub(crate) fn all_pages(&self, op: &str, body: Value, items: &str) -> Vec<Value> {
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut request = body.clone();
            request["MaxResults"] = Value::from(1);
            if let Some(t) = &token {
                request["NextToken"] = Value::from(t.as_str());
            }
            let page = self.ok(op, request);
            let list = page[items].as_array().unwrap();
            assert!(list.len() <= 1, "{op}: {page}");
            seen.extend(list.iter().cloned());
            match page.get("NextToken") {
                Some(t) => token = Some(t.as_str().unwrap().to_string()),
                None => return seen,
            }
        }
    }

    /// The id of the organization's root, as this caller lists it.
    pub(crate) fn root_id(&self) -> String {
        self.ok("ListRoots", json!({}))["Roots"][0]["Id"]
            .as_str()
            .unwrap()
            .to_string()
    }
}
