//! ListRoots: the organization's one root. The management account and delegated administrators; resource `*`.

use super::input::Input;
use super::list_accounts::paged;
use super::shapes::root_json;
use super::{admit, AwsError, Callers};
use crate::services::{Call, Operation};
use serde_json::{json, Value};

pub(crate) fn handle(call: &Call, op: &Operation, input: &Input) -> Result<Value, AwsError> {
    let page = input.page(op.name)?;
    let org = admit(call, op, Callers::Administrators, |_| "*".to_string())?;
    let roots = [root_json(org)];
    let (items, next) = page.slice(&roots)?;
    Ok(paged(json!({ "Roots": items }), next))
}
