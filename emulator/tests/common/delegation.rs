//! The organization of `tests/data/organization-delegation.yaml`: its server, the keys of
//! each of its callers, and helpers to read its ids and refusals.

use super::org::{call, err, ok, DENIED};
use super::{Keys, TestServer};
use serde_json::{json, Value};

pub const SCENARIO: &str = include_str!("../data/organization-delegation.yaml");

pub fn server() -> TestServer {
    TestServer::start(
        rolecall::scenario::load_str(SCENARIO, "organization-delegation.yaml").unwrap(),
    )
}

// The callers: the management account's root user; `tooling` in the delegated administrator
// 222222222222; `cmdb` in the plain member 444444444444; `reporting` and `no-iam` in
// 555555555555, which the delegation policy admits; `restricted` in the delegated
// administrator 666666666666, under an SCP that denies ListAccounts.
pub fn management() -> Keys {
    Keys::long_term("AKIADELEGROOT0000001", "delegation-root-secret-0001")
}
pub fn tooling() -> Keys {
    Keys::long_term("AKIADELEGTOOLING0001", "delegation-tooling-secret-01")
}
pub fn cmdb() -> Keys {
    Keys::long_term("AKIADELEGCMDB0000001", "delegation-cmdb-secret-0001")
}
pub fn reporting() -> Keys {
    Keys::long_term("AKIADELEGREPORTING01", "delegation-reporting-secret")
}
pub fn reporting_without_iam() -> Keys {
    Keys::long_term("AKIADELEGNOIAM000001", "delegation-no-iam-secret-01")
}
pub fn restricted() -> Keys {
    Keys::long_term("AKIADELEGRESTRICTED1", "delegation-restricted-secret")
}

pub const MGMT: &str = "arn:aws:organizations::111111111111";
/// 2024-01-15T12:00:00Z, when scenario accounts join unless told otherwise.
pub const JOINED: f64 = 1705320000.0;

pub fn ids(items: &[Value], key: &str) -> Vec<String> {
    items
        .iter()
        .map(|i| i[key].as_str().unwrap().to_string())
        .collect()
}

pub fn assert_denied(server: &TestServer, keys: &Keys, op: &str, body: Value) {
    let (code, message, v) = err(server, keys, op, body);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("AccessDeniedException", DENIED),
        "{op}"
    );
    assert!(v.get("Reason").is_none(), "{op}: {v}");
}

/// The engine's decision behind a refused request, from the request's decision trace: its
/// outcome and the policy type that decided.
pub fn refusal(server: &TestServer, keys: &Keys, op: &str, body: Value) -> (String, String) {
    let (status, value, r) = call(server, keys, op, body);
    assert_eq!(
        (status, value["__type"].as_str()),
        (400, Some("AccessDeniedException"))
    );
    let id = r.header("x-amzn-requestid").unwrap();
    let t = server.send("GET", &format!("/_rolecall/requests/{id}"), &[], "");
    assert_eq!(t.status, 200, "{}", t.body);
    let v: Value = serde_json::from_str(&t.body).unwrap();
    let d = &v["decisions"][0]["decision"];
    (
        d["outcome"].as_str().unwrap().to_string(),
        d["policy_type"].as_str().unwrap_or_default().to_string(),
    )
}

pub fn root_id(server: &TestServer) -> String {
    ok(server, &management(), "ListRoots", json!({}))["Roots"][0]["Id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// An OU's id, by name, as the management account lists them under the root.
pub fn ou_id(server: &TestServer, name: &str) -> String {
    let root = root_id(server);
    let ous = ok(
        server,
        &management(),
        "ListOrganizationalUnitsForParent",
        json!({ "ParentId": root }),
    );
    ous["OrganizationalUnits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|ou| ou["Name"] == name)
        .unwrap()["Id"]
        .as_str()
        .unwrap()
        .to_string()
}
