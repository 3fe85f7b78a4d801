//! The organization as Organizations shows it: ARNs, and the JSON of accounts, roots, OUs,
//! policies and policy targets (shapes `Account`, `Root`, `OrganizationalUnit`,
//! `PolicySummary`, `PolicyTargetSummary` of the model).
//!
//! ARN formats: Service Authorization Reference, "Resource types defined by AWS Organizations";
//! every ARN names the management account, and the AWS managed FullAWSAccess and
//! RCPFullAWSAccess are owned by `aws`.

use rolecall_engine::policy::NamedPolicy;
use rolecall_model::{Account, OrgPolicy, OrgPolicyType, Organization, OrganizationalUnit, World};
use serde_json::{json, Value};
use std::sync::Arc;

pub(crate) fn account_arn(org: &Organization, account_id: &str) -> String {
    format!(
        "arn:aws:organizations::{}:account/{}/{account_id}",
        org.management_account, org.id
    )
}

pub(crate) fn root_arn(org: &Organization) -> String {
    format!(
        "arn:aws:organizations::{}:root/{}/{}",
        org.management_account, org.id, org.root_id
    )
}

pub(crate) fn ou_arn(org: &Organization, ou_id: &str) -> String {
    format!(
        "arn:aws:organizations::{}:ou/{}/{ou_id}",
        org.management_account, org.id
    )
}

/// The ARN of a root or OU id, for authorizing actions on a parent.
pub(crate) fn parent_arn(org: &Organization, parent_id: &str) -> String {
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
pub(crate) fn target_arn(org: &Organization, target_id: &str) -> String {
    if target_id.starts_with("r-") || target_id.starts_with("ou-") {
        parent_arn(org, target_id)
    } else {
        account_arn(org, target_id)
    }
}

/// The accounts of the organization, in scenario order.
pub(crate) fn members(world: &World) -> Vec<&Arc<Account>> {
    world.accounts().filter(|a| a.in_organization).collect()
}

/// The root or OU an account sits in: the last id of its org path (`o-…/r-…/ou-…/`).
pub(crate) fn account_parent(account: &Account) -> Option<&str> {
    account
        .org_path
        .as_deref()?
        .split('/')
        .rfind(|s| !s.is_empty())
}

pub(crate) fn find_ou<'a>(org: &'a Organization, id: &str) -> Option<&'a OrganizationalUnit> {
    org.ous.iter().find(|ou| ou.id == id)
}

/// An in-organization account by id.
pub(crate) fn find_account<'a>(world: &'a World, id: &str) -> Option<&'a Arc<Account>> {
    world.account(id).filter(|a| a.in_organization)
}

/// `ROOT` or `ORGANIZATIONAL_UNIT`, the `Type` of a parent.
pub(crate) fn parent_type(parent_id: &str) -> &'static str {
    if parent_id.starts_with("r-") {
        "ROOT"
    } else {
        "ORGANIZATIONAL_UNIT"
    }
}

/// A timestamp as awsJson1.1 sends it: epoch seconds as a JSON number (observed
/// `"JoinedTimestamp":1.631121728678E9`).
pub(crate) fn timestamp(t: time::OffsetDateTime) -> f64 {
    t.unix_timestamp_nanos() as f64 / 1e9
}

/// An `Account`. The management account reads `INVITED`, as in the API reference's
/// ListAccounts example (the account that created the organization did not join through
/// CreateAccount). `Status` and `State` are both sent: AWS added `State` in 2025 and keeps
/// `Status` until its announced retirement (SDK documentation of ListAccounts).
pub(crate) fn account_json(org: &Organization, account: &Account) -> Value {
    let joined = match account.joined {
        Some(rolecall_model::JoinedMethod::Created) => "CREATED",
        _ => "INVITED",
    };
    json!({
        "Id": account.id,
        "Arn": account_arn(org, &account.id),
        "Email": account.email,
        "Name": account.name,
        "Status": "ACTIVE",
        "State": "ACTIVE",
        "JoinedMethod": joined,
        "JoinedTimestamp": timestamp(account.joined_at),
    })
}

/// The policy types enabled in the root, as `PolicyTypeSummary` items: SCPs always (the
/// scenario's organization has all features and SCPs on), RCPs when the scenario uses them.
pub(crate) fn enabled_policy_types(org: &Organization) -> Vec<Value> {
    OrgPolicyType::ALL
        .into_iter()
        .filter(|t| org.policy_type_enabled(*t))
        .map(|t| json!({ "Type": t.api_name(), "Status": "ENABLED" }))
        .collect()
}

/// A `Root`, with the policy types enabled in it.
pub(crate) fn root_json(org: &Organization) -> Value {
    json!({
        "Id": org.root_id,
        "Arn": root_arn(org),
        "Name": "Root",
        "PolicyTypes": enabled_policy_types(org),
    })
}

pub(crate) fn ou_json(org: &Organization, ou: &OrganizationalUnit) -> Value {
    json!({ "Id": ou.id, "Arn": ou_arn(org, &ou.id), "Name": ou.name })
}

/// A `PolicySummary`.
pub(crate) fn policy_summary_json(policy: &OrgPolicy) -> Value {
    json!({
        "Id": policy.id,
        "Arn": policy.arn,
        "Name": policy.name,
        "Description": policy.description,
        "Type": policy.policy_type.api_name(),
        "AwsManaged": policy.aws_managed,
    })
}

/// Something a policy can be attached to: the root, an OU or an account.
#[derive(Clone, Copy)]
pub(crate) enum Target<'a> {
    Root,
    Ou(&'a OrganizationalUnit),
    Account(&'a Account),
}

impl<'a> Target<'a> {
    /// The root, OU or in-organization account a `TargetId` names.
    pub(crate) fn find(org: &'a Organization, world: &'a World, id: &str) -> Option<Target<'a>> {
        if id == org.root_id {
            Some(Target::Root)
        } else if id.starts_with("ou-") {
            find_ou(org, id).map(Target::Ou)
        } else if id.starts_with("r-") {
            None
        } else {
            find_account(world, id).map(|a| Target::Account(a))
        }
    }

    /// Every target of the organization: the root, then the accounts in scenario order, then
    /// the OUs parents first (the API reference's ListTargetsForPolicy example lists a root,
    /// an account, then an OU; AWS documents no order).
    pub(crate) fn all(org: &'a Organization, world: &'a World) -> Vec<Target<'a>> {
        let mut targets = vec![Target::Root];
        targets.extend(members(world).into_iter().map(|a| Target::Account(a)));
        targets.extend(org.ous.iter().map(Target::Ou));
        targets
    }

    /// The policies of one type attached directly here; none when the type is not enabled.
    pub(crate) fn attached(
        self,
        org: &'a Organization,
        policy_type: OrgPolicyType,
    ) -> &'a [Arc<NamedPolicy>] {
        if !org.policy_type_enabled(policy_type) {
            return &[];
        }
        match (self, policy_type) {
            (Target::Root, OrgPolicyType::ServiceControl) => &org.root_scps,
            (Target::Root, OrgPolicyType::ResourceControl) => &org.root_rcps,
            (Target::Ou(ou), OrgPolicyType::ServiceControl) => &ou.scps,
            (Target::Ou(ou), OrgPolicyType::ResourceControl) => &ou.rcps,
            (Target::Account(a), OrgPolicyType::ServiceControl) => &a.attached_scps,
            (Target::Account(a), OrgPolicyType::ResourceControl) => &a.attached_rcps,
        }
    }

    /// What Organizations shows of the policies of one type attached here.
    pub(crate) fn policies(
        self,
        org: &'a Organization,
        policy_type: OrgPolicyType,
    ) -> Vec<&'a OrgPolicy> {
        self.attached(org, policy_type)
            .iter()
            .filter_map(|p| org.policy_by_arn(p.arn.as_deref()?))
            .collect()
    }

    /// A `PolicyTargetSummary`.
    pub(crate) fn summary_json(self, org: &Organization) -> Value {
        let (id, arn, name, kind) = match self {
            Target::Root => (org.root_id.as_str(), root_arn(org), "Root", "ROOT"),
            Target::Ou(ou) => (
                ou.id.as_str(),
                ou_arn(org, &ou.id),
                ou.name.as_str(),
                "ORGANIZATIONAL_UNIT",
            ),
            Target::Account(a) => (
                a.id.as_str(),
                account_arn(org, &a.id),
                a.name.as_str(),
                "ACCOUNT",
            ),
        };
        json!({ "TargetId": id, "Arn": arn, "Name": name, "Type": kind })
    }
}
