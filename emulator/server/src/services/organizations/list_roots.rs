//! ListRoots: the organization's one root. The management account and delegated administrators; resource `*`.

use super::input::Input;
use super::list_accounts::paged;
use super::shapes::root_json;
use super::{admit, Callers, OrgError};
use crate::services::Call;
use serde_json::{json, Value};

pub(crate) fn handle(call: &Call, input: &Input) -> Result<Value, OrgError> {
    let page = input.page("ListRoots")?;
    let org = admit(
        call,
        "organizations:ListRoots",
        Callers::Administrators,
        |_| "*".to_string(),
    )?;
    let roots = [root_json(org)];
    let (items, next) = page.slice(&roots)?;
    Ok(paged(json!({ "Roots": items }), next))
}
