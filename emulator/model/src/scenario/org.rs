//! The organization: its id, the OU tree, the SCPs, and which SCPs govern each account.

use super::build::Problems;
use super::defaults::{
    FULL_AWS_ACCESS, FULL_AWS_ACCESS_ARN, FULL_AWS_ACCESS_CONTENT, FULL_AWS_ACCESS_DESCRIPTION,
    FULL_AWS_ACCESS_NAME, RCP_FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS_ARN,
    RCP_FULL_AWS_ACCESS_CONTENT, RCP_FULL_AWS_ACCESS_DESCRIPTION, RCP_FULL_AWS_ACCESS_NAME,
};
use super::spanned::Spanned;
use super::spec::{AccountSpec, OrganizationSpec, OuSpec, ScpSpec};
use crate::ids::derived_lower_alnum;
use crate::{
    DelegationPolicy, NameMap, OrgPolicy, OrgPolicyType, Organization, OrganizationalUnit,
};
use rolecall_engine::authz::PolicyLevel;
use rolecall_engine::policy::node::Node;
use rolecall_engine::policy::size;
use rolecall_engine::policy::{NamedPolicy, Policy, PolicyType};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// The built organization plus what is needed to place accounts in it.
pub(super) struct OrgContext {
    pub org: Organization,
    ou_index_by_path: HashMap<String, usize>,
    root_scps: Vec<Arc<NamedPolicy>>,
    root_rcps: Vec<Arc<NamedPolicy>>,
    /// The trust and permission policies of OrganizationAccountAccessRole, the same in every
    /// member that has it: read once, held by every such role.
    pub access_role_policies: OnceLock<(Arc<NamedPolicy>, Arc<NamedPolicy>)>,
}

/// Where an account sits: the SCP levels above (and at) it, and its `aws:PrincipalOrgPaths`.
pub(super) struct Placement {
    pub scp_levels: Vec<PolicyLevel>,
    pub rcp_levels: Vec<PolicyLevel>,
    /// The RCPs attached to the account itself, RCPFullAWSAccess first.
    pub attached_rcps: Vec<Arc<NamedPolicy>>,
    pub org_path: String,
}

pub(super) fn build_organization(
    spec: &OrganizationSpec,
    accounts: &[AccountSpec],
    p: &mut Problems,
) -> OrgContext {
    let management = spec.management_account.value.clone();
    if !accounts.iter().any(|a| a.id.value == management) {
        p.at(
            &spec.management_account,
            format!("the management account {management} is not among the scenario's accounts"),
        );
    }
    let id = match &spec.id {
        Some(id) => {
            if !is_org_id(&id.value) {
                p.at(id, format!("'{}' is not an organization id (o- followed by 10 to 32 lowercase letters or digits)", id.value));
            }
            id.value.clone()
        }
        None => format!("o-{}", derived_lower_alnum(&management, 10)),
    };
    let root_id = format!("r-{}", derived_lower_alnum(&id, 4));

    let mut policies = Vec::new();
    let scps = build_policies(
        OrgPolicyType::ServiceControl,
        &spec.service_control_policies,
        &id,
        &management,
        &mut policies,
        p,
    );
    let rcps = build_policies(
        OrgPolicyType::ResourceControl,
        &spec.resource_control_policies,
        &id,
        &management,
        &mut policies,
        p,
    );
    let delegation_policy = spec
        .delegation_policy
        .as_ref()
        .and_then(|doc| build_delegation_policy(doc, &id, &management, p));
    let mut ctx = OrgContext {
        org: Organization {
            arn: format!("arn:aws:organizations::{management}:organization/{id}"),
            id: id.clone(),
            management_account: management,
            root_id: root_id.clone(),
            ous: Vec::new(),
            scps,
            rcps,
            policies,
            rcps_enabled: !spec.resource_control_policies.is_empty(),
            root_scps: Vec::new(),
            root_rcps: Vec::new(),
            // Filled in once the accounts are built (`delegated_administrators`).
            delegated_administrators: Vec::new(),
            delegation_policy,
        },
        ou_index_by_path: HashMap::new(),
        root_scps: Vec::new(),
        root_rcps: Vec::new(),
        access_role_policies: OnceLock::new(),
    };
    ctx.root_scps = ctx.resolve_scps(spec.root_scps.as_deref(), p);
    ctx.root_rcps = ctx.resolve_rcps(&spec.root_rcps, p);
    ctx.org.root_scps = ctx.root_scps.clone();
    ctx.org.root_rcps = ctx.root_rcps.clone();
    for ou in &spec.ous {
        ctx.add_ou(ou, "", &root_id, p);
    }
    ctx
}

/// The AWS managed policy of a type: its name, ARN, document, content and description.
fn aws_managed(
    policy_type: OrgPolicyType,
) -> (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
) {
    match policy_type {
        OrgPolicyType::ServiceControl => (
            FULL_AWS_ACCESS_NAME,
            FULL_AWS_ACCESS_ARN,
            FULL_AWS_ACCESS,
            FULL_AWS_ACCESS_CONTENT,
            FULL_AWS_ACCESS_DESCRIPTION,
        ),
        OrgPolicyType::ResourceControl => (
            RCP_FULL_AWS_ACCESS_NAME,
            RCP_FULL_AWS_ACCESS_ARN,
            RCP_FULL_AWS_ACCESS,
            RCP_FULL_AWS_ACCESS_CONTENT,
            RCP_FULL_AWS_ACCESS_DESCRIPTION,
        ),
    }
}

/// The organization's policies of one type by name, the AWS managed one included; what
/// Organizations shows of each is appended to `shown`.
fn build_policies(
    policy_type: OrgPolicyType,
    specs: &[ScpSpec],
    org_id: &str,
    management: &str,
    shown: &mut Vec<OrgPolicy>,
    p: &mut Problems,
) -> NameMap<Arc<NamedPolicy>> {
    let (kind, what, id_seed, quota) = match policy_type {
        OrgPolicyType::ServiceControl => (
            PolicyType::ServiceControl,
            "a service control policy",
            "",
            size::SERVICE_CONTROL_POLICY,
        ),
        OrgPolicyType::ResourceControl => (
            PolicyType::ResourceControl,
            "a resource control policy",
            "rcp/",
            size::RESOURCE_CONTROL_POLICY,
        ),
    };
    let (name, arn, document, content, description) = aws_managed(policy_type);
    let mut by_name = NameMap::default();
    by_name.insert(
        name.to_string(),
        Arc::new(NamedPolicy {
            name: name.to_string(),
            arn: Some(arn.to_string()),
            policy: Policy::from_json(document).expect("the AWS managed policy parses"),
        }),
    );
    shown.push(OrgPolicy {
        policy_type,
        id: format!("p-{name}"),
        arn: arn.to_string(),
        name: name.to_string(),
        description: description.to_string(),
        content: content.to_string(),
        aws_managed: true,
    });
    for spec in specs {
        let name = &spec.name.value;
        if by_name.contains_key(name) {
            p.at(
                &spec.name,
                format!("{what} named '{name}' is already declared"),
            );
            continue;
        }
        let Some(policy) = p.sized_policy(&spec.document, kind, quota) else {
            continue;
        };
        let policy_id = format!(
            "p-{}",
            derived_lower_alnum(&format!("{org_id}/{id_seed}{name}"), 8)
        );
        let arn = format!(
            "arn:aws:organizations::{management}:policy/{org_id}/{}/{policy_id}",
            policy_type.arn_segment()
        );
        shown.push(OrgPolicy {
            policy_type,
            id: policy_id,
            arn: arn.clone(),
            name: name.clone(),
            description: spec.description.clone().unwrap_or_default(),
            content: spec.document.to_json(),
            aws_managed: false,
        });
        by_name.insert(
            name.clone(),
            Arc::new(NamedPolicy {
                name: name.clone(),
                arn: Some(arn),
                policy,
            }),
        );
    }
    by_name
}

/// The delegation policy: a resource-based policy (every statement names a principal), kept
/// with the text DescribeResourcePolicy shows. Its id and ARN follow the model's
/// `ResourcePolicyId` (`rp-` and 4 to 128 characters) and the Service Authorization
/// Reference's `resourcepolicy` resource type
/// (`arn:aws:organizations::ACCOUNT:resourcepolicy/o-…/rp-…`).
fn build_delegation_policy(
    document: &Node,
    org_id: &str,
    management: &str,
    p: &mut Problems,
) -> Option<DelegationPolicy> {
    let policy = p.sized_policy(
        document,
        PolicyType::ResourceBased,
        size::ORGANIZATION_RESOURCE_POLICY,
    )?;
    let id = format!(
        "rp-{}",
        derived_lower_alnum(&format!("{org_id}/resourcepolicy"), 8)
    );
    let arn = format!("arn:aws:organizations::{management}:resourcepolicy/{org_id}/{id}");
    Some(DelegationPolicy {
        content: document.to_json(),
        policy: NamedPolicy::new("organization delegation policy", Some(arn.clone()), policy),
        id,
        arn,
    })
}

fn is_org_id(s: &str) -> bool {
    s.strip_prefix("o-").is_some_and(|rest| {
        (10..=32).contains(&rest.len())
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

impl OrgContext {
    /// The named SCPs, or `[FullAWSAccess]` when the scenario names none at that level.
    fn resolve_scps(
        &self,
        names: Option<&[Spanned<String>]>,
        p: &mut Problems,
    ) -> Vec<Arc<NamedPolicy>> {
        let Some(names) = names else {
            return vec![self.org.scps[FULL_AWS_ACCESS_NAME].clone()];
        };
        names
            .iter()
            .filter_map(|n| match self.org.scps.get(&n.value) {
                Some(scp) => Some(scp.clone()),
                None => {
                    p.at(n, format!("no service control policy named '{}' is declared under organization.service_control_policies", n.value));
                    None
                }
            })
            .collect()
    }

    /// RCPFullAWSAccess plus the named RCPs: AWS attaches the former at every level and it
    /// cannot be detached.
    fn resolve_rcps(&self, names: &[Spanned<String>], p: &mut Problems) -> Vec<Arc<NamedPolicy>> {
        let mut level = vec![self.org.rcps[RCP_FULL_AWS_ACCESS_NAME].clone()];
        for n in names {
            match self.org.rcps.get(&n.value) {
                Some(rcp) => level.push(rcp.clone()),
                None => p.at(n, format!("no resource control policy named '{}' is declared under organization.resource_control_policies", n.value)),
            }
        }
        level
    }

    fn add_ou(&mut self, spec: &OuSpec, parent_path: &str, parent_id: &str, p: &mut Problems) {
        let name = &spec.name.value;
        if name.is_empty() || name.contains('/') {
            p.at(
                &spec.name,
                "an OU name must be non-empty and cannot contain '/'",
            );
            return;
        }
        let path = if parent_path.is_empty() {
            name.clone()
        } else {
            format!("{parent_path}/{name}")
        };
        if self.ou_index_by_path.contains_key(&path) {
            p.at(&spec.name, format!("the OU '{path}' is declared twice"));
            return;
        }
        let root_suffix = self.org.root_id.trim_start_matches("r-").to_string();
        let id = format!(
            "ou-{root_suffix}-{}",
            derived_lower_alnum(&format!("{}/{path}", self.org.id), 8)
        );
        let scps = self.resolve_scps(spec.scps.as_deref(), p);
        let rcps = self.resolve_rcps(&spec.rcps, p);
        self.ou_index_by_path
            .insert(path.clone(), self.org.ous.len());
        self.org.ous.push(OrganizationalUnit {
            id: id.clone(),
            name: name.clone(),
            path: path.clone(),
            parent_id: parent_id.to_string(),
            scps,
            rcps,
        });
        for child in &spec.ous {
            self.add_ou(child, &path, &id, p);
        }
    }

    /// The account's SCP chain (root → OUs → account) and its org path.
    pub(crate) fn place(&self, account: &AccountSpec, p: &mut Problems) -> Placement {
        let mut levels = vec![PolicyLevel {
            target: format!("root {}", self.org.root_id),
            policies: self.root_scps.clone(),
        }];
        let mut rcp_levels = vec![PolicyLevel {
            target: format!("root {}", self.org.root_id),
            policies: self.root_rcps.clone(),
        }];
        let mut org_path = format!("{}/{}/", self.org.id, self.org.root_id);
        if let Some(ou_path) = &account.ou {
            let wanted = ou_path.value.trim_matches('/');
            if self.ou_index_by_path.contains_key(wanted) {
                let mut prefix = String::new();
                for part in wanted.split('/') {
                    if !prefix.is_empty() {
                        prefix.push('/');
                    }
                    prefix.push_str(part);
                    let ou = &self.org.ous[self.ou_index_by_path[&prefix]];
                    levels.push(PolicyLevel {
                        target: format!("ou {} ({})", ou.id, ou.path),
                        policies: ou.scps.clone(),
                    });
                    rcp_levels.push(PolicyLevel {
                        target: format!("ou {} ({})", ou.id, ou.path),
                        policies: ou.rcps.clone(),
                    });
                    org_path.push_str(&ou.id);
                    org_path.push('/');
                }
            } else {
                p.at(
                    ou_path,
                    format!("no OU '{wanted}' is declared under organization.ous"),
                );
            }
        }
        levels.push(PolicyLevel {
            target: format!("account {}", account.id.value),
            policies: self.resolve_scps(account.scps.as_deref(), p),
        });
        let attached_rcps = self.resolve_rcps(&account.rcps, p);
        rcp_levels.push(PolicyLevel {
            target: format!("account {}", account.id.value),
            policies: attached_rcps.clone(),
        });
        // With nothing but RCPFullAWSAccess at every level the chain allows everything, which
        // an empty chain says more cheaply.
        if rcp_levels.iter().all(|l| l.policies.len() == 1) {
            rcp_levels.clear();
        }
        Placement {
            scp_levels: levels,
            rcp_levels,
            attached_rcps,
            org_path,
        }
    }
}
