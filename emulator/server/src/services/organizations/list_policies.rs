//! ListPolicies: every policy of one type in the organization, AWS managed ones included, in
//! pages. `Filter` is required and must be a value of the model's `PolicyType` enum. SCPs list
//! the scenario's SCPs then FullAWSAccess (the order of the API reference's example, which
//! ends with FullAWSAccess); RCPs list the same way when the scenario enables them, and
//! nothing otherwise (whether AWS lists RCPFullAWSAccess in an organization that never
//! enabled RCPs is unconfirmed). Every other type lists nothing: the model gives ListPolicies
//! no `PolicyTypeNotEnabledException`, so an empty list is the answer for a type with no
//! policies. For administrators (see `admit`); resource `*`, with `organizations:PolicyType`
//! set to the filter (Service Authorization Reference).

use super::input::Input;
use super::list_accounts::paged;
use super::shapes::policy_summary_json;
use super::{admit_with, AwsError, Callers};
use crate::services::{Call, Operation};
use rolecall_model::{OrgPolicy, OrgPolicyType};
use serde_json::{json, Value};

pub(crate) fn handle(call: &Call, op: &Operation, input: &Input) -> Result<Value, AwsError> {
    let filter = input.policy_type_filter()?;
    let page = input.page(op.name)?;
    let org = admit_with(
        call,
        op,
        Callers::Administrators,
        |_| "*".to_string(),
        |_, context| context.insert_static("organizations:PolicyType", filter),
    )?;
    let policies: Vec<Value> = match OrgPolicyType::from_api_name(filter) {
        Some(policy_type) if org.policy_type_enabled(policy_type) => {
            let of_type = |p: &&OrgPolicy| p.policy_type == policy_type;
            let (managed, custom): (Vec<&OrgPolicy>, Vec<&OrgPolicy>) = org
                .policies
                .iter()
                .filter(of_type)
                .partition(|p| p.aws_managed);
            custom
                .into_iter()
                .chain(managed)
                .map(policy_summary_json)
                .collect()
        }
        _ => Vec::new(),
    };
    let (items, next) = page.slice(&policies)?;
    Ok(paged(json!({ "Policies": items }), next))
}
