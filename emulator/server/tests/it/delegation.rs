//! The organization of `tests/data/organization-delegation.yaml`: its server, the keys of
//! each of its callers, and helpers to read its ids and refusals.

use super::org::Caller;
use rolecall_test_support::{Keys, TestServer};
use serde_json::{json, Value};

pub(crate) const SCENARIO: &str = include_str!("../data/organization-delegation.yaml");

pub(crate) fn server() -> TestServer {
    TestServer::start(
        rolecall_model::scenario::load_str(SCENARIO, "organization-delegation.yaml").unwrap(),
    )
}

// The callers: the management account's root user; `tooling` in the delegated administrator
// 222222222222; `cmdb` in the plain member 444444444444; `reporting` and `no-iam` in
// 555555555555, which the delegation policy admits; `restricted` in the delegated
// administrator 666666666666, under an SCP that denies ListAccounts.
pub(crate) fn management() -> Keys {
    Keys::long_term("AKIADELEGROOT0000001", "delegation-root-secret-0001")
}
pub(crate) fn tooling() -> Keys {
    Keys::long_term("AKIADELEGTOOLING0001", "delegation-tooling-secret-01")
}
pub(crate) fn cmdb() -> Keys {
    Keys::long_term("AKIADELEGCMDB0000001", "delegation-cmdb-secret-0001")
}
pub(crate) fn reporting() -> Keys {
    Keys::long_term("AKIADELEGREPORTING01", "delegation-reporting-secret")
}
pub(crate) fn reporting_without_iam() -> Keys {
    Keys::long_term("AKIADELEGNOIAM000001", "delegation-no-iam-secret-01")
}
pub(crate) fn restricted() -> Keys {
    Keys::long_term("AKIADELEGRESTRICTED1", "delegation-restricted-secret")
}

pub(crate) const MGMT: &str = "arn:aws:organizations::111111111111";
/// 2024-01-15T12:00:00Z, when scenario accounts join unless told otherwise.
pub(crate) const JOINED: f64 = 1705320000.0;

pub(crate) fn ids(items: &[Value], key: &str) -> Vec<String> {
    items
        .iter()
        .map(|i| i[key].as_str().unwrap().to_string())
        .collect()
}

/// The management account's root user calling.
pub(crate) fn as_management(server: &TestServer) -> Caller<'_> {
    Caller::new(server, management())
}

pub(crate) fn root_id(server: &TestServer) -> String {
    as_management(server).root_id()
}

/// An OU's id, by name, as the management account lists them under the root.
pub(crate) fn ou_id(server: &TestServer, name: &str) -> String {
    let management = as_management(server);
    let ous = management.ok(
        "ListOrganizationalUnitsForParent",
        json!({ "ParentId": management.root_id() }),
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
