//! The organization as Organizations shows it: ARNs, and the JSON of accounts, roots, OUs and
//! policies (shapes `Account`, `Root`, `OrganizationalUnit`, `PolicySummary` of the model).
//!
//! ARN formats: Service Authorization Reference, "Resource types defined by AWS Organizations";
//! every ARN names the management account, and the AWS managed FullAWSAccess is owned by `aws`.

use crate::world::{Account, Organization, OrganizationalUnit, ScpDetails, World};
use serde_json::{json, Value};
use std::sync::Arc;

pub fn account_arn(org: &Organization, account_id: &str) -> String {
    format!(
        "arn:aws:organizations::{}:account/{}/{account_id}",
        org.management_account, org.id
    )
}

pub fn root_arn(org: &Organization) -> String {
    format!(
        "arn:aws:organizations::{}:root/{}/{}",
        org.management_account, org.id, org.root_id
    )
}

pub fn ou_arn(org: &Organization, ou_id: &str) -> String {
    format!(
        "arn:aws:organizations::{}:ou/{}/{ou_id}",
        org.management_account, org.id
    )
}

/// The ARN of a root or OU id, for authorizing actions on a parent.
pub fn parent_arn(org: &Organization, parent_id: &str) -> String {
    if parent_id.starts_with("r-") {
        format!(
            "arn:aws:organizations::{}:root/{}/{parent_id}",
            org.management_account, org.id
        )
    } else {
        ou_arn(org, parent_id)
    }
}

/// The ARN of a root, OU or account id.
pub fn target_arn(org: &Organization, target_id: &str) -> String {
    if target_id.starts_with("r-") || target_id.starts_with("ou-") {
        parent_arn(org, target_id)
    } else {
        account_arn(org, target_id)
    }
}

/// The accounts of the organization, in scenario order.
pub fn members(world: &World) -> Vec<&Arc<Account>> {
    world.accounts().filter(|a| a.in_organization).collect()
}

/// The root or OU an account sits in: the last id of its org path (`o-…/r-…/ou-…/`).
pub fn account_parent(account: &Account) -> Option<&str> {
    account
        .org_path
        .as_deref()?
        .split('/')
        .rfind(|s| !s.is_empty())
}

pub fn find_ou<'a>(org: &'a Organization, id: &str) -> Option<&'a OrganizationalUnit> {
    org.ous.iter().find(|ou| ou.id == id)
}

/// An in-organization account by id.
pub fn find_account<'a>(world: &'a World, id: &str) -> Option<&'a Arc<Account>> {
    world.account(id).filter(|a| a.in_organization)
}

/// `ROOT` or `ORGANIZATIONAL_UNIT`, the `Type` of a parent.
pub fn parent_type(parent_id: &str) -> &'static str {
    if parent_id.starts_with("r-") {
        "ROOT"
    } else {
        "ORGANIZATIONAL_UNIT"
    }
}

/// An `Account`. The management account reads `INVITED`, as in the API reference's
/// ListAccounts example (the account that created the organization did not join through
/// CreateAccount). `Status` and `State` are both sent: AWS added `State` in 2025 and keeps
/// `Status` until its announced retirement (SDK documentation of ListAccounts).
/// `JoinedTimestamp` is epoch seconds as a JSON number, as awsJson1.1 sends timestamps
/// (observed `"JoinedTimestamp":1.631121728678E9`).
pub fn account_json(org: &Organization, account: &Account) -> Value {
    let joined = match account.joined {
        Some(crate::world::JoinedMethod::Created) => "CREATED",
        _ => "INVITED",
    };
    let timestamp = account.joined_at.unix_timestamp_nanos() as f64 / 1e9;
    json!({
        "Id": account.id,
        "Arn": account_arn(org, &account.id),
        "Email": account.email,
        "Name": account.name,
        "Status": "ACTIVE",
        "State": "ACTIVE",
        "JoinedMethod": joined,
        "JoinedTimestamp": timestamp,
    })
}

/// A `Root`: SCPs are the one policy type enabled (the scenario's organization has all
/// features and SCPs on, as AWS does for a new organization).
pub fn root_json(org: &Organization) -> Value {
    json!({
        "Id": org.root_id,
        "Arn": root_arn(org),
        "Name": "Root",
        "PolicyTypes": [{ "Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED" }],
    })
}

pub fn ou_json(org: &Organization, ou: &OrganizationalUnit) -> Value {
    json!({ "Id": ou.id, "Arn": ou_arn(org, &ou.id), "Name": ou.name })
}

/// A `PolicySummary`.
pub fn policy_summary_json(name: &str, arn: &str, details: &ScpDetails) -> Value {
    json!({
        "Id": details.id,
        "Arn": arn,
        "Name": name,
        "Description": details.description,
        "Type": "SERVICE_CONTROL_POLICY",
        "AwsManaged": details.aws_managed,
    })
}
