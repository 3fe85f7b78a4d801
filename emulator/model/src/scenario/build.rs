//! Turns a parsed scenario into a [`World`], checking every reference and applying AWS's
//! defaults. Problems are collected, not returned at the first one, so a user fixes a file in
//! one pass.

use super::defaults::{
    organization_account_access_trust, ADMINISTRATOR_ACCESS, ADMINISTRATOR_ACCESS_INLINE_NAME,
    AWS_MANAGED_POLICIES, ORGANIZATION_ACCOUNT_ACCESS_ROLE,
};
use super::delegated::delegated_administrators;
use super::ec2::build_inventory;
use super::org::{build_organization, OrgContext};
use super::pipeline::Prebuilt;
use super::spanned::Spanned;
use super::spec::{
    AccessKeySpec, AccountSpec, InlinePolicySpec, Presence, RoleSpec, ScenarioSpec, UserSpec,
};
use super::Problem;
use crate::ids::derived_unique_id;
use crate::mfa::{base32_decode, MfaDevice};
use crate::{Account, JoinedMethod, KeyOwner, LongTermKey, NameMap, Role, User, World};
use rolecall_engine::policy::node::Node;
use rolecall_engine::policy::size::{self, SizeQuota};
use rolecall_engine::policy::{NamedPolicy, Policy, PolicyType};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use time::format_description::well_known::Rfc3339;
use time::macros::datetime;
use time::OffsetDateTime;

/// When accounts joined, if the scenario does not say.
const DEFAULT_JOINED_AT: OffsetDateTime = datetime!(2024-01-15 12:00 UTC);

/// The problems found so far.
#[derive(Default)]
pub(super) struct Problems(Vec<Problem>);

impl Problems {
    /// Takes in the problems found elsewhere (an inventory built on another thread).
    pub(crate) fn absorb(&mut self, other: Problems) {
        self.0.extend(other.0);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn at<T>(&mut self, spanned: &Spanned<T>, message: impl Into<String>) {
        self.0.push(Problem {
            at: spanned.at,
            message: message.into(),
        });
    }

    /// Parses a policy document of the given type, recording its problem if it is malformed.
    /// [`policy`](Self::policy), for a document that must also fit a size quota on its own.
    pub(crate) fn sized_policy(
        &mut self,
        node: &Node,
        kind: PolicyType,
        quota: SizeQuota,
    ) -> Option<Policy> {
        let fits = self.fits(node, quota.measure_node(node), quota);
        let policy = self.policy(node, kind);
        policy.filter(|_| fits)
    }

    /// Whether `size` is within `quota`; a problem at `node` when it is not.
    pub(crate) fn fits(&mut self, node: &Node, size: usize, quota: SizeQuota) -> bool {
        match quota.exceeded(size) {
            None => true,
            Some(message) => {
                self.0.push(Problem {
                    at: node.at,
                    message,
                });
                false
            }
        }
    }

    pub(crate) fn policy(&mut self, node: &Node, kind: PolicyType) -> Option<Policy> {
        match Policy::from_node(node).and_then(|p| p.check_for(kind).map(|()| p)) {
            Ok(policy) => Some(policy),
            Err(e) => {
                self.0.push(Problem {
                    at: e.at,
                    message: format!("malformed policy document: {}", e.message),
                });
                None
            }
        }
    }
}

/// Builds the world; `prebuilt` holds, by account index, the inventories already built while
/// the file was read (see [`super::pipeline`]); the others are built here.
pub(super) fn build(
    spec: ScenarioSpec,
    mut prebuilt: Vec<Option<Prebuilt>>,
) -> Result<World, Vec<Problem>> {
    let mut p = Problems::default();
    let mut seen = HashMap::new();
    for account in &spec.accounts {
        let id = &account.id;
        if id.value.len() != 12 || !id.value.bytes().all(|b| b.is_ascii_digit()) {
            p.at(
                id,
                format!(
                    "'{}' is not an account id (12 digits; quote it so YAML keeps leading zeros)",
                    id.value
                ),
            );
        } else if seen.insert(id.value.clone(), ()).is_some() {
            p.at(id, format!("account {} is declared twice", id.value));
        }
    }
    let mut org = spec
        .organization
        .as_ref()
        .map(|o| build_organization(o, &spec.accounts, &mut p));

    let mut keys = NameMap::default();
    let accounts: Vec<Account> = spec
        .accounts
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let inventory = prebuilt.get_mut(i).and_then(Option::take);
            build_account(a, inventory, org.as_ref(), &mut keys, &mut p)
        })
        .collect();
    if let (Some(ctx), Some(org_spec)) = (org.as_mut(), &spec.organization) {
        ctx.org.delegated_administrators =
            delegated_administrators(org_spec, &ctx.org, &accounts, &mut p);
    }

    let (clock_start, clock_frozen) = match &spec.clock {
        Some(clock) => (
            clock.start.as_ref().and_then(|s| parse_time(s, &mut p)),
            clock.frozen,
        ),
        None => (None, false),
    };

    if !p.0.is_empty() {
        return Err(p.0);
    }
    let mut world = World::new(spec.description, org.map(|o| o.org), accounts, keys);
    world.clock_start = clock_start;
    world.clock_frozen = clock_frozen;
    world.aws_managed_policies = AWS_MANAGED_POLICIES
        .iter()
        .map(|(arn, doc)| (arn.to_string(), aws_managed_policy(arn, doc)))
        .collect();
    Ok(world)
}

pub(super) fn parse_time(s: &Spanned<String>, p: &mut Problems) -> Option<OffsetDateTime> {
    match OffsetDateTime::parse(&s.value, &Rfc3339) {
        Ok(t) if crate::clock::in_range(t).is_err() => {
            p.at(s, format!("'{}': {}", s.value, crate::clock::OutOfRange));
            None
        }
        Ok(t) => Some(t),
        Err(_) => {
            p.at(
                s,
                format!(
                    "'{}' is not an RFC 3339 time such as 2026-01-01T00:00:00Z",
                    s.value
                ),
            );
            None
        }
    }
}

/// What an account's principals can refer to while it is being built.
struct AccountScope<'a> {
    id: &'a str,
    managed: HashMap<String, Arc<NamedPolicy>>,
    groups: HashMap<String, Vec<Arc<NamedPolicy>>>,
}

fn build_account(
    spec: &AccountSpec,
    prebuilt: Option<Prebuilt>,
    org: Option<&OrgContext>,
    keys: &mut NameMap<LongTermKey>,
    p: &mut Problems,
) -> Account {
    let id = spec.id.value.as_str();
    let is_management = org.is_some_and(|o| o.org.management_account == id);
    let outside = spec.in_organization.as_ref().filter(|m| !m.value);
    if let Some(flag) = outside {
        if org.is_none() {
            p.at(flag, "'in_organization' needs an organization section");
        } else if is_management {
            p.at(flag, "the management account is in its organization");
        }
        for (present, what) in [
            (spec.joined.is_some(), "joined"),
            (spec.ou.is_some(), "ou"),
            (spec.scps.is_some(), "scps"),
            (!spec.rcps.is_empty(), "rcps"),
            (
                spec.organization_account_access_role.is_some(),
                "organization_account_access_role",
            ),
        ] {
            if present {
                p.at(
                    flag,
                    format!("an account outside the organization has no '{what}'"),
                );
            }
        }
    }
    // From here on, an account outside the organization is treated as if there were none.
    let org = if outside.is_some() { None } else { org };
    if is_management {
        if let Some(j) = &spec.joined {
            p.at(
                j,
                "the management account did not join the organization; remove 'joined'",
            );
        }
    } else if org.is_none() {
        if let Some(j) = &spec.joined {
            p.at(j, "'joined' needs an organization section");
        }
        if let Some(ou) = &spec.ou {
            p.at(ou, "'ou' needs an organization section");
        }
    }
    // Members default to `created`, the way most organizations grow.
    let joined = match (org, is_management) {
        (Some(_), false) => Some(
            spec.joined
                .as_ref()
                .map_or(JoinedMethod::Created, |j| j.value.into()),
        ),
        _ => None,
    };
    let placement = org.map(|o| o.place(spec, p));
    let joined_at = spec
        .joined_at
        .as_ref()
        .and_then(|t| parse_time(t, p))
        .unwrap_or(DEFAULT_JOINED_AT);

    let mut scope = AccountScope {
        id,
        managed: HashMap::new(),
        groups: HashMap::new(),
    };
    for mp in &spec.policies {
        let name = &mp.name.value;
        check_name(&mp.name, "policy", 128, p);
        let path = mp.path.as_ref().map_or("/", |s| s.value.as_str());
        if let Some(path_spec) = &mp.path {
            check_path(path_spec, p);
        }
        if scope.managed.contains_key(name) {
            p.at(
                &mp.name,
                format!("a policy named '{name}' is already declared in account {id}"),
            );
            continue;
        }
        if let Some(policy) = p.sized_policy(
            &mp.document,
            PolicyType::IdentityBased,
            size::MANAGED_POLICY,
        ) {
            let arn = format!("arn:aws:iam::{id}:policy{path}{name}");
            scope.managed.insert(
                name.clone(),
                Arc::new(NamedPolicy {
                    name: name.clone(),
                    arn: Some(arn),
                    policy,
                }),
            );
        }
    }
    for group in &spec.groups {
        check_name(&group.name, "group", 128, p);
        let mut policies = inline_policies(&group.policies, size::GROUP_INLINE_POLICIES, p);
        policies.extend(resolve_managed(&scope, &group.managed_policies, p));
        if scope
            .groups
            .insert(group.name.value.clone(), policies)
            .is_some()
        {
            p.at(
                &group.name,
                format!("a group named '{}' is already declared", group.name.value),
            );
        }
    }

    let root_arn = format!("arn:aws:iam::{id}:root");
    for key in &spec.root_access_keys {
        add_key(key, id, KeyOwner::Root, keys, p);
    }
    let mut users = NameMap::default();
    for u in &spec.users {
        if let Some(user) = build_user(u, &scope, keys, p) {
            if users.contains_key(&user.name) {
                p.at(
                    &u.name,
                    format!("a user named '{}' is already declared", user.name),
                );
            }
            users.insert(user.name.clone(), Arc::new(user));
        }
    }
    let mut roles = NameMap::default();
    for r in &spec.roles {
        if let Some(role) = build_role(r, &scope, p) {
            if roles.contains_key(&role.name) {
                p.at(
                    &r.name,
                    format!("a role named '{}' is already declared", role.name),
                );
            }
            roles.insert(role.name.clone(), Arc::new(role));
        }
    }
    if let Some(role) = organization_account_access_role(spec, org, joined, &roles, p) {
        roles.insert(role.name.clone(), Arc::new(role));
    }

    Account {
        id: id.to_string(),
        name: spec.name.clone().unwrap_or_else(|| format!("account-{id}")),
        email: spec
            .email
            .clone()
            .unwrap_or_else(|| format!("aws+{id}@example.com")),
        root_arn,
        in_organization: org.is_some(),
        joined,
        joined_at,
        org_path: placement.as_ref().map(|pl| pl.org_path.clone()),
        attached_scps: placement
            .as_ref()
            .and_then(|pl| pl.scp_levels.last())
            .map(|level| level.policies.clone())
            .unwrap_or_default(),
        attached_rcps: placement
            .as_ref()
            .map(|pl| pl.attached_rcps.clone())
            .unwrap_or_default(),
        // SCPs do not affect the management account (Organizations user guide, "SCPs").
        // Neither SCPs nor RCPs apply to the management account (Organizations user guide).
        scp_levels: match &placement {
            Some(pl) if !is_management => pl.scp_levels.clone(),
            _ => Vec::new(),
        },
        rcp_levels: match placement {
            Some(pl) if !is_management => pl.rcp_levels,
            _ => Vec::new(),
        },
        users,
        roles,
        managed_policies: scope
            .managed
            .values()
            .filter_map(|mp| Some((mp.arn.clone()?, mp.clone())))
            .collect(),
        inventory: match prebuilt {
            Some((inventory, problems)) => {
                p.absorb(problems);
                inventory
            }
            None => build_inventory(id, &spec.ec2, &spec.opt_in_regions, p),
        },
    }
}

/// OrganizationAccountAccessRole as AWS leaves it: present in accounts created through
/// Organizations, absent in invited ones, unless the scenario says otherwise.
fn organization_account_access_role(
    spec: &AccountSpec,
    org: Option<&OrgContext>,
    joined: Option<JoinedMethod>,
    declared: &NameMap<Arc<Role>>,
    p: &mut Problems,
) -> Option<Role> {
    let org = org?;
    let wanted = match &spec.organization_account_access_role {
        Some(presence) => {
            if joined.is_none() {
                p.at(
                    presence,
                    "only member accounts get OrganizationAccountAccessRole",
                );
                return None;
            }
            presence.value == Presence::Present
        }
        None => joined == Some(JoinedMethod::Created),
    };
    // A management account that is no account id has been reported already, and cannot be
    // named in the role's trust policy.
    if !wanted
        || declared.contains_key(ORGANIZATION_ACCOUNT_ACCESS_ROLE)
        || !rolecall_engine::arn::is_account_id(&org.org.management_account)
    {
        return None;
    }
    let id = &spec.id.value;
    let (trust, admin) = org.access_role_policies.get_or_init(|| {
        let trust = Policy::from_json(&organization_account_access_trust(
            &org.org.management_account,
        ))
        .expect("the built-in trust policy parses");
        let admin = Policy::from_json(ADMINISTRATOR_ACCESS).expect("the built-in policy parses");
        (
            Arc::new(NamedPolicy {
                name: format!("{ORGANIZATION_ACCOUNT_ACCESS_ROLE} trust policy"),
                arn: None,
                policy: trust,
            }),
            Arc::new(NamedPolicy {
                name: ADMINISTRATOR_ACCESS_INLINE_NAME.to_string(),
                arn: None,
                policy: admin,
            }),
        )
    });
    let arn = format!("arn:aws:iam::{id}:role/{ORGANIZATION_ACCOUNT_ACCESS_ROLE}");
    Some(Role {
        name: ORGANIZATION_ACCOUNT_ACCESS_ROLE.to_string(),
        id: derived_unique_id("AROA", &arn),
        arn,
        account: id.clone(),
        trust_policy: trust.clone(),
        policies: vec![admin.clone()],
        permissions_boundary: None,
        max_session_duration: 3600,
        tags: Vec::new(),
    })
}

fn build_user(
    spec: &UserSpec,
    scope: &AccountScope,
    keys: &mut NameMap<LongTermKey>,
    p: &mut Problems,
) -> Option<User> {
    let name = &spec.name.value;
    check_name(&spec.name, "user", 64, p);
    let path = path_of(spec.path.as_ref(), p);
    let arn = format!("arn:aws:iam::{}:user{path}{name}", scope.id);
    let mut policies = inline_policies(&spec.policies, size::USER_INLINE_POLICIES, p);
    policies.extend(resolve_managed(scope, &spec.managed_policies, p));
    for g in &spec.groups {
        match scope.groups.get(&g.value) {
            Some(group_policies) => policies.extend(group_policies.iter().cloned()),
            None => p.at(
                g,
                format!("no group named '{}' in account {}", g.value, scope.id),
            ),
        }
    }
    for key in &spec.access_keys {
        add_key(key, scope.id, KeyOwner::User(name.clone()), keys, p);
    }
    Some(User {
        name: name.clone(),
        id: derived_unique_id("AIDA", &arn),
        arn,
        account: scope.id.to_string(),
        policies,
        permissions_boundary: boundary(scope, spec.permissions_boundary.as_ref(), p),
        tags: tags(&spec.tags),
        mfa_devices: mfa_devices(spec, scope.id, p),
    })
}

/// The user's virtual MFA devices, with their secrets decoded.
fn mfa_devices(spec: &UserSpec, account: &str, p: &mut Problems) -> Vec<MfaDevice> {
    let mut devices: Vec<MfaDevice> = Vec::new();
    for d in &spec.mfa_devices {
        check_name(&d.name, "MFA device", 128, p);
        let serial = format!("arn:aws:iam::{account}:mfa/{}", d.name.value);
        if devices.iter().any(|x| x.serial == serial) {
            p.at(
                &d.name,
                format!("the MFA device '{}' is declared twice", d.name.value),
            );
            continue;
        }
        match base32_decode(&d.secret_base32.value) {
            // RFC 4226 asks for at least 128 bits of shared secret.
            Some(secret) if secret.len() >= 16 => devices.push(MfaDevice { serial, secret }),
            _ => p.at(
                &d.secret_base32,
                "an MFA secret is base32 (A-Z, 2-7) of at least 16 bytes, e.g. 32 characters",
            ),
        }
    }
    devices
}

fn build_role(spec: &RoleSpec, scope: &AccountScope, p: &mut Problems) -> Option<Role> {
    let name = &spec.name.value;
    check_name(&spec.name, "role", 64, p);
    let path = path_of(spec.path.as_ref(), p);
    let arn = format!("arn:aws:iam::{}:role{path}{name}", scope.id);
    let trust = p.sized_policy(
        &spec.trust_policy,
        PolicyType::RoleTrust,
        size::TRUST_POLICY,
    );
    let max_session_duration = match &spec.max_session_duration {
        Some(d) if !(3600..=43200).contains(&d.value) => {
            p.at(
                d,
                format!(
                    "max_session_duration {} is outside 3600 to 43200 seconds (IAM's range)",
                    d.value
                ),
            );
            3600
        }
        Some(d) => d.value,
        None => 3600,
    };
    let mut policies = inline_policies(&spec.policies, size::ROLE_INLINE_POLICIES, p);
    policies.extend(resolve_managed(scope, &spec.managed_policies, p));
    Some(Role {
        name: name.clone(),
        id: derived_unique_id("AROA", &arn),
        account: scope.id.to_string(),
        trust_policy: Arc::new(NamedPolicy {
            name: format!("{name} trust policy"),
            arn: None,
            policy: trust?,
        }),
        arn,
        policies,
        permissions_boundary: boundary(scope, spec.permissions_boundary.as_ref(), p),
        max_session_duration,
        tags: tags(&spec.tags),
    })
}

/// An identity-based policy (also what a permissions boundary is written as).
fn identity_policy(node: &Node, p: &mut Problems) -> Option<Policy> {
    p.policy(node, PolicyType::IdentityBased)
}

/// A principal's inline policies; together they must fit `quota` (IAM counts them as one).
fn inline_policies(
    specs: &[InlinePolicySpec],
    quota: SizeQuota,
    p: &mut Problems,
) -> Vec<Arc<NamedPolicy>> {
    let mut names = HashMap::new();
    let mut total = 0;
    let mut fits = true;
    specs
        .iter()
        .filter_map(|s| {
            check_name(&s.name, "policy", 128, p);
            if names.insert(s.name.value.clone(), ()).is_some() {
                p.at(
                    &s.name,
                    format!(
                        "an inline policy named '{}' is already declared here",
                        s.name.value
                    ),
                );
            }
            // Reported once, at the policy that goes past the quota.
            total += quota.measure_node(&s.document);
            if fits && total > quota.max {
                fits = p.fits(&s.document, total, quota);
            }
            identity_policy(&s.document, p).map(|policy| {
                Arc::new(NamedPolicy {
                    name: s.name.value.clone(),
                    arn: None,
                    policy,
                })
            })
        })
        .collect()
}

/// Managed policies by name (in the same account) or ARN (the account's, or AWS managed).
fn resolve_managed(
    scope: &AccountScope,
    refs: &[Spanned<String>],
    p: &mut Problems,
) -> Vec<Arc<NamedPolicy>> {
    refs.iter()
        .filter_map(|r| resolve_one_managed(scope, r, p))
        .collect()
}

fn resolve_one_managed(
    scope: &AccountScope,
    r: &Spanned<String>,
    p: &mut Problems,
) -> Option<Arc<NamedPolicy>> {
    let text = r.value.as_str();
    if let Some((arn, doc)) = AWS_MANAGED_POLICIES.iter().find(|(arn, _)| *arn == text) {
        return Some(aws_managed_policy(arn, doc));
    }
    if text.starts_with("arn:aws:iam::aws:policy/") {
        let offered: Vec<&str> = AWS_MANAGED_POLICIES.iter().map(|(a, _)| *a).collect();
        p.at(r, format!("the AWS managed policy '{text}' is not built in; declare its document under 'policies' or use one of: {}", offered.join(", ")));
        return None;
    }
    let own_prefix = format!("arn:aws:iam::{}:policy/", scope.id);
    let name = match text.strip_prefix(&own_prefix) {
        Some(rest) => rest.rsplit('/').next().unwrap_or(rest),
        None if text.starts_with("arn:") => {
            p.at(r, format!("'{text}' is not a policy of account {} (managed policies are attached within their account)", scope.id));
            return None;
        }
        None => text,
    };
    match scope.managed.get(name) {
        Some(policy) if !text.starts_with("arn:") || policy.arn.as_deref() == Some(text) => {
            Some(policy.clone())
        }
        _ => {
            p.at(
                r,
                format!("no managed policy '{text}' in account {}", scope.id),
            );
            None
        }
    }
}

fn aws_managed_policy(arn: &str, doc: &str) -> Arc<NamedPolicy> {
    let name = arn.rsplit('/').next().unwrap_or(arn);
    Arc::new(NamedPolicy {
        name: name.to_string(),
        arn: Some(arn.to_string()),
        policy: Policy::from_json(doc).expect("built-in AWS managed policies parse"),
    })
}

fn boundary(
    scope: &AccountScope,
    r: Option<&Spanned<String>>,
    p: &mut Problems,
) -> Option<Arc<NamedPolicy>> {
    resolve_one_managed(scope, r?, p)
}

fn add_key(
    key: &AccessKeySpec,
    account: &str,
    owner: KeyOwner,
    keys: &mut NameMap<LongTermKey>,
    p: &mut Problems,
) {
    let id = &key.id.value;
    let well_formed = id.starts_with("AKIA")
        && (16..=128).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric());
    if !well_formed {
        p.at(&key.id, format!("'{id}' is not a long-term access key id (AKIA followed by letters and digits, 16 to 128 in all)"));
        return;
    }
    if key.secret.value.len() < 16 {
        p.at(
            &key.secret,
            "a secret access key has at least 16 characters (AWS's are 40)",
        );
        return;
    }
    if keys.contains_key(id) {
        p.at(&key.id, format!("the access key id {id} is used twice"));
        return;
    }
    keys.insert(
        id.clone(),
        LongTermKey {
            secret: key.secret.value.clone(),
            account: account.to_string(),
            owner,
        },
    );
}

/// IAM names: letters, digits and `+=,.@_-` (IAM API reference, CreateUser/CreateRole).
fn check_name(name: &Spanned<String>, what: &str, max: usize, p: &mut Problems) {
    let n = &name.value;
    let valid = !n.is_empty()
        && n.len() <= max
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    if !valid {
        p.at(
            name,
            format!("'{n}' is not a valid {what} name (1 to {max} of letters, digits and +=,.@_-)"),
        );
    }
}

fn check_path(path: &Spanned<String>, p: &mut Problems) {
    let s = &path.value;
    let valid = s.starts_with('/')
        && s.ends_with('/')
        && s.len() <= 512
        && s.bytes().all(|b| (0x21..=0x7e).contains(&b));
    if !valid {
        p.at(
            path,
            format!("'{s}' is not an IAM path (it starts and ends with '/')"),
        );
    }
}

fn path_of<'a>(path: Option<&'a Spanned<String>>, p: &mut Problems) -> &'a str {
    match path {
        Some(s) => {
            check_path(s, p);
            &s.value
        }
        None => "/",
    }
}

fn tags(map: &BTreeMap<String, String>) -> Vec<(String, String)> {
    map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}
