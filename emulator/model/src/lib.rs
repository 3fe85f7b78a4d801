//! The world rolecall serves: one loaded scenario's organization, its accounts, the principals
//! in them with their already-parsed policies, the long-term access keys and the EC2
//! inventory; what a session's claims say; the clock; and [`scenario`], the loader that turns
//! a YAML file into a validated [`World`] or reports every problem as `file:line:column`.
//!
//! A `World` is immutable once built; the server swaps in a new one when a scenario is
//! reloaded, so requests read it without locks. What changes while serving (issued sessions,
//! the clock) lives outside it: sessions are self-contained tokens whose claims are a
//! [`session::SessionClaims`], and the clock is its own atomic value ([`clock`]).

pub mod clock;
pub mod ids;
pub mod inventory;
pub mod mfa;
pub mod principal;
pub mod regions;
pub mod scenario;
pub mod session;

use rolecall_engine::ascii_split;
use rolecall_engine::authz::PolicyLevel;
use rolecall_engine::policy::NamedPolicy;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use time::OffsetDateTime;

pub use principal::Principal;

/// A table by name (account id, key id, ARN, user or role name). Requests look names up in
/// these on every call, so they hash with foldhash, seeded per process: SipHash, the standard
/// default, costs several times more on short keys and guards against keys an attacker
/// inserts, and these tables take their entries from the scenario only.
pub type NameMap<V> = HashMap<String, V, foldhash::fast::RandomState>;

/// Everything one scenario declares, resolved and validated.
#[derive(Debug)]
pub struct World {
    pub description: Option<String>,
    pub organization: Option<Organization>,
    accounts: NameMap<Arc<Account>>,
    /// Account ids in the order the scenario lists them (for listings and the startup banner).
    account_order: Vec<String>,
    long_term_keys: NameMap<LongTermKey>,
    /// Where the scenario wants the clock to start, and whether it stands still.
    pub clock_start: Option<OffsetDateTime>,
    pub clock_frozen: bool,
    /// The AWS managed policies a scenario may name (`arn:aws:iam::aws:policy/…`), by ARN.
    pub aws_managed_policies: NameMap<Arc<NamedPolicy>>,
    /// Bytes of rendered response fragments (DescribeInstances reservations) this world may
    /// still keep. Keeping them saves rendering on every request, but a large organization has
    /// hundreds of thousands of instances, so the memory they may take is bounded.
    pub fragment_budget: AtomicUsize,
}

/// What [`World::fragment_budget`] starts with.
pub const FRAGMENT_BUDGET: usize = 64 * 1024 * 1024;

impl World {
    /// Takes `bytes` from [`World::fragment_budget`]; false (taking nothing) when too few are
    /// left.
    pub fn take_fragment_budget(&self, bytes: usize) -> bool {
        self.fragment_budget
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(bytes)
            })
            .is_ok()
    }

    pub(crate) fn new(
        description: Option<String>,
        organization: Option<Organization>,
        accounts: Vec<Account>,
        long_term_keys: NameMap<LongTermKey>,
    ) -> World {
        let account_order = accounts.iter().map(|a| a.id.clone()).collect();
        World {
            description,
            organization,
            accounts: accounts
                .into_iter()
                .map(|a| (a.id.clone(), Arc::new(a)))
                .collect(),
            account_order,
            long_term_keys,
            clock_start: None,
            clock_frozen: false,
            aws_managed_policies: NameMap::default(),
            fragment_budget: AtomicUsize::new(FRAGMENT_BUDGET),
        }
    }

    pub fn account(&self, id: &str) -> Option<&Arc<Account>> {
        self.accounts.get(id)
    }

    /// Accounts in scenario order.
    pub fn accounts(&self) -> impl Iterator<Item = &Arc<Account>> {
        self.account_order
            .iter()
            .filter_map(|id| self.accounts.get(id))
    }

    /// A long-term (`AKIA…`) key declared by the scenario.
    pub fn long_term_key(&self, access_key_id: &str) -> Option<&LongTermKey> {
        self.long_term_keys.get(access_key_id)
    }

    /// Every long-term key, in no particular order (for the startup banner).
    pub fn long_term_keys(&self) -> impl Iterator<Item = (&String, &LongTermKey)> {
        self.long_term_keys.iter()
    }

    /// The role an ARN names, if it exists.
    pub fn role_by_arn(&self, arn: &str) -> Option<&Arc<Role>> {
        let rest = arn.strip_prefix("arn:aws:iam::")?;
        let (account, resource) = ascii_split::split_once(rest, b':')?;
        let path_and_name = resource.strip_prefix("role/")?;
        let name = ascii_split::last_piece(path_and_name, b'/');
        let role = self.account(account)?.roles.get(name)?;
        // The path in the ARN must be the role's own path (AWS matches the whole ARN).
        (role.arn == arn).then_some(role)
    }

    /// The managed policy an ARN names: an AWS managed policy, or a customer managed policy of
    /// a scenario account.
    pub fn managed_policy(&self, arn: &str) -> Option<&Arc<NamedPolicy>> {
        if let Some(p) = self.aws_managed_policies.get(arn) {
            return Some(p);
        }
        let account = ascii_split::split(arn.strip_prefix("arn:aws:iam::")?, b':').next()?;
        self.account(account)?.managed_policies.get(arn)
    }

    /// True when both accounts belong to this scenario's organization.
    pub fn same_organization(&self, a: &str, b: &str) -> bool {
        self.account(a).is_some_and(|x| x.in_organization)
            && self.account(b).is_some_and(|x| x.in_organization)
    }
}

/// The organization: its id, management account and OU tree.
#[derive(Debug)]
pub struct Organization {
    pub id: String,
    pub arn: String,
    pub management_account: String,
    pub root_id: String,
    /// Every OU, parents before children.
    pub ous: Vec<OrganizationalUnit>,
    /// Every SCP by name (FullAWSAccess included).
    pub scps: NameMap<Arc<NamedPolicy>>,
    /// Every RCP by name (RCPFullAWSAccess included).
    pub rcps: NameMap<Arc<NamedPolicy>>,
    /// Every SCP and RCP as Organizations shows it (DescribePolicy, ListPolicies, …): the
    /// AWS managed FullAWSAccess, the scenario's SCPs, then RCPFullAWSAccess and the
    /// scenario's RCPs, each type in declaration order.
    pub policies: Vec<OrgPolicy>,
    /// Whether the RESOURCE_CONTROL_POLICY type is enabled in the root: true when the scenario
    /// declares any RCP. SCPs are always enabled.
    pub rcps_enabled: bool,
    /// The SCPs attached directly to the root.
    pub root_scps: Vec<Arc<NamedPolicy>>,
    /// The RCPs attached directly to the root, RCPFullAWSAccess first.
    pub root_rcps: Vec<Arc<NamedPolicy>>,
    /// Member accounts registered as delegated administrators for AWS services, in scenario
    /// order (RegisterDelegatedAdministrator).
    pub delegated_administrators: Vec<DelegatedAdministrator>,
    /// The resource-based delegation policy (PutResourcePolicy), if the scenario has one.
    pub delegation_policy: Option<DelegationPolicy>,
}

impl Organization {
    /// An SCP or RCP by its `p-…` id.
    pub fn policy_by_id(&self, id: &str) -> Option<&OrgPolicy> {
        self.policies.iter().find(|p| p.id == id)
    }

    /// What Organizations shows of an attached policy, found by its ARN.
    pub fn policy_by_arn(&self, arn: &str) -> Option<&OrgPolicy> {
        self.policies.iter().find(|p| p.arn == arn)
    }

    /// Whether a policy type is enabled in the root (and so can be attached and is listed).
    pub fn policy_type_enabled(&self, policy_type: OrgPolicyType) -> bool {
        match policy_type {
            OrgPolicyType::ServiceControl => true,
            OrgPolicyType::ResourceControl => self.rcps_enabled,
        }
    }

    /// Whether the account is a delegated administrator for at least one service.
    pub fn is_delegated_administrator(&self, account_id: &str) -> bool {
        self.delegated_administrators
            .iter()
            .any(|d| d.account_id == account_id)
    }
}

/// The Organizations policy types a scenario can hold: the two authorization policy types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrgPolicyType {
    ServiceControl,
    ResourceControl,
}

impl OrgPolicyType {
    pub const ALL: [OrgPolicyType; 2] = [
        OrgPolicyType::ServiceControl,
        OrgPolicyType::ResourceControl,
    ];

    /// The name the API uses (`Type`, `Filter`, `PolicyTypes`).
    pub fn api_name(self) -> &'static str {
        match self {
            OrgPolicyType::ServiceControl => "SERVICE_CONTROL_POLICY",
            OrgPolicyType::ResourceControl => "RESOURCE_CONTROL_POLICY",
        }
    }

    pub fn from_api_name(name: &str) -> Option<OrgPolicyType> {
        OrgPolicyType::ALL
            .into_iter()
            .find(|t| t.api_name() == name)
    }

    /// The segment a policy ARN names its type with (`…:policy/o-…/service_control_policy/p-…`).
    pub fn arn_segment(self) -> &'static str {
        match self {
            OrgPolicyType::ServiceControl => "service_control_policy",
            OrgPolicyType::ResourceControl => "resource_control_policy",
        }
    }
}

/// An SCP or RCP as Organizations describes it, beside the parsed form the engine evaluates.
#[derive(Debug, Clone)]
pub struct OrgPolicy {
    pub policy_type: OrgPolicyType,
    /// `p-FullAWSAccess` / `p-RCPFullAWSAccess` for the AWS managed policies, `p-` and 8
    /// characters otherwise.
    pub id: String,
    pub arn: String,
    pub name: String,
    pub description: String,
    /// The policy text DescribePolicy returns in `Content`.
    pub content: String,
    pub aws_managed: bool,
}

/// A member account registered as the delegated administrator of one AWS service.
#[derive(Debug, Clone)]
pub struct DelegatedAdministrator {
    pub account_id: String,
    /// e.g. `securityhub.amazonaws.com`.
    pub service_principal: String,
    /// When it was registered (`DelegationEnabledDate`).
    pub enabled_at: OffsetDateTime,
}

/// The organization's resource-based delegation policy: which member accounts may call which
/// Organizations actions (Organizations user guide, "Delegated administrator for AWS
/// Organizations").
#[derive(Debug)]
pub struct DelegationPolicy {
    /// `rp-` and 8 characters.
    pub id: String,
    pub arn: String,
    /// The policy text DescribeResourcePolicy returns in `Content`.
    pub content: String,
    /// The parsed document, which the engine evaluates as a resource-based policy.
    pub policy: NamedPolicy,
}

#[derive(Debug)]
pub struct OrganizationalUnit {
    pub id: String,
    pub name: String,
    /// The `/`-joined names from the root, e.g. `Workloads/Prod`.
    pub path: String,
    /// The parent's id: the root's id for top-level OUs.
    pub parent_id: String,
    pub scps: Vec<Arc<NamedPolicy>>,
    /// RCPs attached here besides RCPFullAWSAccess.
    pub rcps: Vec<Arc<NamedPolicy>>,
}

/// How a member account came into the organization (Organizations' `JoinedMethod`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinedMethod {
    /// Created through Organizations: gets OrganizationAccountAccessRole automatically.
    Created,
    /// Invited to join: has no OrganizationAccountAccessRole unless someone made one.
    Invited,
}

#[derive(Debug)]
pub struct Account {
    pub id: String,
    pub name: String,
    pub email: String,
    pub root_arn: String,
    /// Whether the account is in the scenario's organization.
    pub in_organization: bool,
    pub joined: Option<JoinedMethod>,
    pub joined_at: OffsetDateTime,
    /// The OU path for `aws:PrincipalOrgPaths`, e.g. `o-abc/r-ab12/ou-ab12-11111111/`.
    pub org_path: Option<String>,
    /// The SCPs that govern this account's principals, one level per node from the root down to
    /// the account itself. Empty when SCPs do not apply (management account, no organization).
    pub scp_levels: Vec<PolicyLevel>,
    /// The RCPs that govern this account's resources, root down to the account. Empty when
    /// none apply: the management account, no organization, or no RCP attached anywhere (then
    /// only RCPFullAWSAccess would be, which allows everything).
    pub rcp_levels: Vec<PolicyLevel>,
    /// The SCPs attached directly to this account (ListPoliciesForTarget), kept even for the
    /// management account, which SCPs do not govern.
    pub attached_scps: Vec<Arc<NamedPolicy>>,
    /// The RCPs attached directly to this account, RCPFullAWSAccess first; kept even for the
    /// management account, which RCPs do not govern.
    pub attached_rcps: Vec<Arc<NamedPolicy>>,
    pub users: NameMap<Arc<User>>,
    pub roles: NameMap<Arc<Role>>,
    /// The account's customer managed policies, by ARN (session policies name them).
    pub managed_policies: NameMap<Arc<NamedPolicy>>,
    pub inventory: inventory::AccountInventory,
}

#[derive(Debug)]
pub struct User {
    pub name: String,
    pub arn: String,
    /// The unique id (`AIDA…`), what `aws:userid` and GetCallerIdentity's UserId show.
    pub id: String,
    pub account: String,
    /// Inline, attached managed, and group policies, flattened at load.
    pub policies: Vec<Arc<NamedPolicy>>,
    pub permissions_boundary: Option<Arc<NamedPolicy>>,
    pub tags: Vec<(String, String)>,
    /// Virtual MFA devices assigned to the user.
    pub mfa_devices: Vec<mfa::MfaDevice>,
}

#[derive(Debug)]
pub struct Role {
    pub name: String,
    pub arn: String,
    /// The unique id (`AROA…`), the first half of an AssumedRoleId.
    pub id: String,
    pub account: String,
    pub trust_policy: Arc<NamedPolicy>,
    pub policies: Vec<Arc<NamedPolicy>>,
    pub permissions_boundary: Option<Arc<NamedPolicy>>,
    /// Seconds (3600–43200).
    pub max_session_duration: u32,
    pub tags: Vec<(String, String)>,
}

/// Who a long-term access key belongs to, and its secret.
#[derive(Debug)]
pub struct LongTermKey {
    pub secret: String,
    pub account: String,
    pub owner: KeyOwner,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyOwner {
    Root,
    User(String),
}

#[cfg(test)]
mod fragment_budget_tests {
    use super::*;

    #[test]
    fn the_fragment_budget_is_taken_whole_or_not_at_all() {
        let world = crate::scenario::default_world();
        assert!(world.take_fragment_budget(FRAGMENT_BUDGET - 10));
        assert!(!world.take_fragment_budget(20));
        assert!(world.take_fragment_budget(10));
        assert!(!world.take_fragment_budget(1));
    }
}
