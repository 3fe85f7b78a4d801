//! The organization: its id, the OU tree, the SCPs, and which SCPs govern each account.

use super::build::Problems;
use super::defaults::{
    FULL_AWS_ACCESS, FULL_AWS_ACCESS_ARN, FULL_AWS_ACCESS_CONTENT, FULL_AWS_ACCESS_DESCRIPTION,
    FULL_AWS_ACCESS_NAME,
};
use super::spec::{AccountSpec, OrganizationSpec, OuSpec};
use crate::authz::PolicyLevel;
use crate::policy::node::{Node, NodeValue};
use crate::policy::{NamedPolicy, Policy, PolicyType};
use crate::world::ids::derived_lower_alnum;
use crate::world::{Organization, OrganizationalUnit, ScpDetails};
use serde_saphyr::Spanned;
use std::collections::HashMap;
use std::sync::Arc;

/// The built organization plus what is needed to place accounts in it.
pub(super) struct OrgContext {
    pub org: Organization,
    ou_index_by_path: HashMap<String, usize>,
    root_scps: Vec<Arc<NamedPolicy>>,
}

/// Where an account sits: the SCP levels above (and at) it, and its `aws:PrincipalOrgPaths`.
pub(super) struct Placement {
    pub scp_levels: Vec<PolicyLevel>,
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

    let mut scps: HashMap<String, Arc<NamedPolicy>> = HashMap::new();
    let mut scp_details: HashMap<String, ScpDetails> = HashMap::new();
    scp_details.insert(
        FULL_AWS_ACCESS_NAME.to_string(),
        ScpDetails {
            id: "p-FullAWSAccess".to_string(),
            description: FULL_AWS_ACCESS_DESCRIPTION.to_string(),
            content: FULL_AWS_ACCESS_CONTENT.to_string(),
            aws_managed: true,
        },
    );
    let full = Policy::from_json(FULL_AWS_ACCESS).expect("FullAWSAccess parses");
    scps.insert(
        FULL_AWS_ACCESS_NAME.to_string(),
        Arc::new(NamedPolicy {
            name: FULL_AWS_ACCESS_NAME.to_string(),
            arn: Some(FULL_AWS_ACCESS_ARN.to_string()),
            policy: full,
        }),
    );
    for scp in &spec.service_control_policies {
        let name = &scp.name.value;
        if scps.contains_key(name) {
            p.at(
                &scp.name,
                format!("a service control policy named '{name}' is already declared"),
            );
            continue;
        }
        let Some(policy) = p.policy(&scp.document, PolicyType::ServiceControl) else {
            continue;
        };
        let policy_id = format!("p-{}", derived_lower_alnum(&format!("{id}/{name}"), 8));
        scp_details.insert(
            name.clone(),
            ScpDetails {
                id: policy_id.clone(),
                description: scp.description.clone().unwrap_or_default(),
                content: node_json(&scp.document),
                aws_managed: false,
            },
        );
        scps.insert(
            name.clone(),
            Arc::new(NamedPolicy {
                name: name.clone(),
                arn: Some(format!(
                    "arn:aws:organizations::{management}:policy/{id}/service_control_policy/{policy_id}"
                )),
                policy,
            }),
        );
    }

    let mut ctx = OrgContext {
        org: Organization {
            arn: format!("arn:aws:organizations::{management}:organization/{id}"),
            id: id.clone(),
            management_account: management,
            root_id: root_id.clone(),
            ous: Vec::new(),
            scps,
            scp_details,
            root_scps: Vec::new(),
        },
        ou_index_by_path: HashMap::new(),
        root_scps: Vec::new(),
    };
    ctx.root_scps = ctx.resolve_scps(spec.root_scps.as_deref(), p);
    ctx.org.root_scps = ctx.root_scps.clone();
    for ou in &spec.ous {
        ctx.add_ou(ou, "", &root_id, p);
    }
    ctx
}

/// A scenario's policy document as JSON text, keys in the order they were written, which is
/// what DescribePolicy shows as the SCP's `Content`. Numbers keep their source text.
fn node_json(node: &Node) -> String {
    let mut out = String::new();
    write_node_json(node, &mut out);
    out
}

fn write_node_json(node: &Node, out: &mut String) {
    match &node.value {
        NodeValue::Null => out.push_str("null"),
        NodeValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        NodeValue::Number(n) => out.push_str(n),
        NodeValue::String(s) => out.push_str(&serde_json::Value::from(s.as_str()).to_string()),
        NodeValue::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_node_json(item, out);
            }
            out.push(']');
        }
        NodeValue::Map(entries) => {
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let key = key.as_str().map_or_else(
                    || node_json(key),
                    |k| serde_json::Value::from(k).to_string(),
                );
                out.push_str(&key);
                out.push(':');
                write_node_json(value, out);
            }
            out.push('}');
        }
    }
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
        self.ou_index_by_path
            .insert(path.clone(), self.org.ous.len());
        self.org.ous.push(OrganizationalUnit {
            id: id.clone(),
            name: name.clone(),
            path: path.clone(),
            parent_id: parent_id.to_string(),
            scps,
        });
        for child in &spec.ous {
            self.add_ou(child, &path, &id, p);
        }
    }

    /// The account's SCP chain (root → OUs → account) and its org path.
    pub fn place(&self, account: &AccountSpec, p: &mut Problems) -> Placement {
        let mut levels = vec![PolicyLevel {
            target: format!("root {}", self.org.root_id),
            policies: self.root_scps.clone(),
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
        Placement {
            scp_levels: levels,
            org_path,
        }
    }
}
