//! The scenario file's schema, exactly as users write it.
//!
//! Every struct denies unknown keys, so a typo is a load error with its line and column instead
//! of a silently ignored setting. Values that are checked after parsing (ids, ARNs, names) are
//! kept `Spanned` so those checks can point at them too.

use super::document::Document;
use super::spanned::Spanned;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

/// A whole scenario: the organization, its accounts and what is in them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSpec {
    /// Free text shown by `rolecall check` and at startup.
    #[serde(default)]
    pub description: Option<String>,
    /// The clock settings; absent means real time.
    #[serde(default)]
    pub clock: Option<ClockSpec>,
    #[serde(default)]
    pub organization: Option<OrganizationSpec>,
    /// Read by `pipeline::accounts`, which can hand each account's EC2 sections to a
    /// worker thread as soon as the account is read.
    #[serde(deserialize_with = "super::pipeline::accounts")]
    pub accounts: Vec<AccountSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockSpec {
    /// Where the emulator's clock starts (RFC 3339), e.g. `2026-01-01T00:00:00Z`.
    #[serde(default)]
    pub start: Option<Spanned<String>>,
    /// A frozen clock moves only when told to (`POST /_rolecall/clock`).
    #[serde(default)]
    pub frozen: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationSpec {
    /// `o-` followed by 10 to 32 lowercase letters or digits; derived when absent.
    #[serde(default)]
    pub id: Option<Spanned<String>>,
    pub management_account: Spanned<String>,
    /// SCPs attached to the root; absent means `[FullAWSAccess]`, as AWS attaches it by default.
    #[serde(default)]
    pub root_scps: Option<Vec<Spanned<String>>>,
    /// The OU tree below the root.
    #[serde(default)]
    pub ous: Vec<OuSpec>,
    /// The organization's service control policies, referred to by name.
    #[serde(default)]
    pub service_control_policies: Vec<ScpSpec>,
    /// Resource control policies, referred to by name. RCPFullAWSAccess is attached at every
    /// level and cannot be detached; the ones named here are attached beside it.
    #[serde(default)]
    pub resource_control_policies: Vec<ScpSpec>,
    /// RCPs attached to the root (besides RCPFullAWSAccess).
    #[serde(default)]
    pub root_rcps: Vec<Spanned<String>>,
    /// Member accounts registered as delegated administrators for AWS services. Each may read
    /// the organization (ListAccounts, ListRoots, DescribePolicy, …), as on AWS.
    #[serde(default)]
    pub delegated_administrators: Vec<DelegatedAdministratorSpec>,
    /// The resource-based delegation policy (what AWS stores with PutResourcePolicy): a
    /// resource-based policy naming the member accounts that may call Organizations actions.
    #[serde(default)]
    pub delegation_policy: Option<Document>,
}

/// One registration of a member account as the delegated administrator of a service.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DelegatedAdministratorSpec {
    /// A member account of the organization (not the management account).
    pub account: Spanned<String>,
    /// The service's principal, e.g. `securityhub.amazonaws.com`.
    pub service_principal: Spanned<String>,
    /// When it was registered (RFC 3339); absent means when the account joined.
    #[serde(default)]
    pub registered_at: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OuSpec {
    pub name: Spanned<String>,
    /// SCPs attached to this OU; absent means `[FullAWSAccess]`.
    #[serde(default)]
    pub scps: Option<Vec<Spanned<String>>>,
    /// RCPs attached to this OU (besides RCPFullAWSAccess).
    #[serde(default)]
    pub rcps: Vec<Spanned<String>>,
    #[serde(default)]
    pub ous: Vec<OuSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScpSpec {
    pub name: Spanned<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub document: Document,
}

/// `joined:` of an account, as the world's [`JoinedMethod`](crate::JoinedMethod).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JoinedSpec {
    Created,
    Invited,
}

impl From<JoinedSpec> for crate::JoinedMethod {
    fn from(spec: JoinedSpec) -> crate::JoinedMethod {
        match spec {
            JoinedSpec::Created => crate::JoinedMethod::Created,
            JoinedSpec::Invited => crate::JoinedMethod::Invited,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Presence {
    Present,
    Absent,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSpec {
    pub id: Spanned<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// False for an account outside the scenario's organization (a partner's, a customer's):
    /// no SCPs or RCPs govern it, Organizations does not list it, and requests between it and
    /// the organization are cross-organization.
    #[serde(default)]
    pub in_organization: Option<Spanned<bool>>,
    /// How a member joined the organization; not given for the management account.
    #[serde(default)]
    pub joined: Option<Spanned<JoinedSpec>>,
    /// When it joined (RFC 3339); a fixed default keeps scenarios short.
    #[serde(default)]
    pub joined_at: Option<Spanned<String>>,
    /// The OU path below the root, names joined by `/` (e.g. `Workloads/Prod`); absent = root.
    #[serde(default)]
    pub ou: Option<Spanned<String>>,
    /// SCPs attached to the account itself; absent means `[FullAWSAccess]`.
    #[serde(default)]
    pub scps: Option<Vec<Spanned<String>>>,
    /// RCPs attached to the account itself (besides RCPFullAWSAccess).
    #[serde(default)]
    pub rcps: Vec<Spanned<String>>,
    /// Overrides what `joined` implies for OrganizationAccountAccessRole.
    #[serde(default)]
    pub organization_account_access_role: Option<Spanned<Presence>>,
    /// Access keys of the account's root user (AWS discourages them; scenarios may need them).
    #[serde(default)]
    pub root_access_keys: Vec<AccessKeySpec>,
    #[serde(default)]
    pub policies: Vec<ManagedPolicySpec>,
    #[serde(default)]
    pub groups: Vec<GroupSpec>,
    #[serde(default)]
    pub users: Vec<UserSpec>,
    #[serde(default)]
    pub roles: Vec<RoleSpec>,
    /// EC2 inventory by region name.
    #[serde(default, deserialize_with = "super::unique::regions")]
    pub ec2: HashMap<Spanned<String>, RegionInventorySpec>,
    /// The opt-in regions this account has enabled (e.g. `[af-south-1]`); none by default.
    #[serde(default)]
    pub opt_in_regions: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessKeySpec {
    pub id: Spanned<String>,
    pub secret: Spanned<String>,
}

/// A customer managed policy of the account; attached by name or ARN.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManagedPolicySpec {
    pub name: Spanned<String>,
    #[serde(default)]
    pub path: Option<Spanned<String>>,
    pub document: Document,
}

/// An inline policy embedded in a user, group or role.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InlinePolicySpec {
    pub name: Spanned<String>,
    pub document: Document,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    pub name: Spanned<String>,
    #[serde(default)]
    pub policies: Vec<InlinePolicySpec>,
    #[serde(default)]
    pub managed_policies: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSpec {
    pub name: Spanned<String>,
    #[serde(default)]
    pub path: Option<Spanned<String>>,
    #[serde(default)]
    pub access_keys: Vec<AccessKeySpec>,
    #[serde(default)]
    pub policies: Vec<InlinePolicySpec>,
    #[serde(default)]
    pub managed_policies: Vec<Spanned<String>>,
    #[serde(default)]
    pub groups: Vec<Spanned<String>>,
    #[serde(default)]
    pub permissions_boundary: Option<Spanned<String>>,
    #[serde(default, deserialize_with = "super::unique::tags")]
    pub tags: BTreeMap<String, String>,
    /// Virtual MFA devices assigned to the user.
    #[serde(default)]
    pub mfa_devices: Vec<MfaDeviceSpec>,
}

/// A virtual MFA device: its serial number is `arn:aws:iam::ACCOUNT:mfa/NAME`, and its
/// secret is the base32 seed an authenticator app is given (AWS's `Base32StringSeed`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MfaDeviceSpec {
    pub name: Spanned<String>,
    pub secret_base32: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleSpec {
    pub name: Spanned<String>,
    #[serde(default)]
    pub path: Option<Spanned<String>>,
    pub trust_policy: Document,
    #[serde(default)]
    pub policies: Vec<InlinePolicySpec>,
    #[serde(default)]
    pub managed_policies: Vec<Spanned<String>>,
    /// Seconds, 3600 to 43200; AWS's default is 3600.
    #[serde(default)]
    pub max_session_duration: Option<Spanned<u32>>,
    #[serde(default)]
    pub permissions_boundary: Option<Spanned<String>>,
    #[serde(default, deserialize_with = "super::unique::tags")]
    pub tags: BTreeMap<String, String>,
}

/// One region's EC2 resources. Each region also gets what AWS creates by itself: a default VPC
/// with a default subnet per Availability Zone and a default security group per VPC.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionInventorySpec {
    #[serde(default)]
    pub instances: Vec<InstanceSpec>,
    #[serde(default)]
    pub vpcs: Vec<VpcSpec>,
    #[serde(default)]
    pub subnets: Vec<SubnetSpec>,
    #[serde(default)]
    pub security_groups: Vec<SecurityGroupSpec>,
    #[serde(default)]
    pub volumes: Vec<VolumeSpec>,
    #[serde(default)]
    pub images: Vec<ImageSpec>,
    #[serde(default)]
    pub key_pairs: Vec<KeyPairSpec>,
    #[serde(default)]
    pub addresses: Vec<AddressSpec>,
}

/// An instance; everything but the id has a default (running t3.micro in the default VPC's
/// subnet of the region's first zone).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceSpec {
    pub id: Spanned<String>,
    #[serde(default, rename = "type")]
    pub instance_type: Option<String>,
    #[serde(default)]
    pub state: Option<Spanned<String>>,
    #[serde(default)]
    pub image_id: Option<Spanned<String>>,
    #[serde(default)]
    pub availability_zone: Option<Spanned<String>>,
    #[serde(default)]
    pub vpc_id: Option<Spanned<String>>,
    #[serde(default)]
    pub subnet_id: Option<Spanned<String>>,
    #[serde(default)]
    pub private_ip: Option<Spanned<String>>,
    /// The public IPv4 address it was launched with (an Elastic IP goes under `addresses`).
    #[serde(default)]
    pub public_ip: Option<Spanned<String>>,
    #[serde(default)]
    pub launch_time: Option<Spanned<String>>,
    #[serde(default)]
    pub key_name: Option<String>,
    /// Security group ids in the instance's VPC; absent means the VPC's default group.
    #[serde(default)]
    pub security_groups: Vec<Spanned<String>>,
    #[serde(default, deserialize_with = "super::unique::tags")]
    pub tags: BTreeMap<String, String>,
}

/// A VPC besides the default one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VpcSpec {
    pub id: Spanned<String>,
    /// An IPv4 block from /16 to /28, e.g. `10.0.0.0/16`.
    pub cidr_block: Spanned<String>,
    /// `enableDnsHostnames`, off unless turned on, as for a VPC made with CreateVpc.
    #[serde(default)]
    pub enable_dns_hostnames: bool,
    #[serde(default, deserialize_with = "super::unique::tags")]
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubnetSpec {
    pub id: Spanned<String>,
    pub vpc_id: Spanned<String>,
    /// Inside the VPC's block, /16 to /28.
    pub cidr_block: Spanned<String>,
    /// Absent means the region's first zone.
    #[serde(default)]
    pub availability_zone: Option<Spanned<String>>,
    #[serde(default)]
    pub map_public_ip_on_launch: bool,
    #[serde(default, deserialize_with = "super::unique::tags")]
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityGroupSpec {
    pub id: Spanned<String>,
    pub name: Spanned<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Absent means the default VPC.
    #[serde(default)]
    pub vpc_id: Option<Spanned<String>>,
    /// Inbound rules; outbound is AWS's default for a new group (all traffic anywhere).
    #[serde(default)]
    pub ingress: Vec<RuleSpec>,
    #[serde(default, deserialize_with = "super::unique::tags")]
    pub tags: BTreeMap<String, String>,
}

/// One inbound rule: a protocol, a port range and one source.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// `tcp`, `udp`, `icmp`, or `-1` for all traffic (the default).
    #[serde(default)]
    pub protocol: Option<Spanned<String>>,
    #[serde(default)]
    pub from_port: Option<i32>,
    /// Defaults to `from_port`.
    #[serde(default)]
    pub to_port: Option<i32>,
    /// An IPv4 block such as `0.0.0.0/0`.
    #[serde(default)]
    pub cidr: Option<Spanned<String>>,
    /// Or another group of the same region, by id.
    #[serde(default)]
    pub source_group: Option<Spanned<String>>,
}

/// An EBS volume besides the instances' root volumes, which exist by themselves.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VolumeSpec {
    pub id: Spanned<String>,
    /// GiB; 8 by default.
    #[serde(default)]
    pub size: Option<u32>,
    /// `gp3` by default.
    #[serde(default, rename = "type")]
    pub volume_type: Option<Spanned<String>>,
    /// Absent means the attached instance's zone, or the region's first zone.
    #[serde(default)]
    pub availability_zone: Option<Spanned<String>>,
    #[serde(default)]
    pub encrypted: bool,
    /// An instance of the same region and zone.
    #[serde(default)]
    pub attached_to: Option<Spanned<String>>,
    /// `/dev/sdf` by default.
    #[serde(default)]
    pub device: Option<String>,
    #[serde(default)]
    pub create_time: Option<Spanned<String>>,
    #[serde(default, deserialize_with = "super::unique::tags")]
    pub tags: BTreeMap<String, String>,
}

/// An AMI the account owns.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageSpec {
    pub id: Spanned<String>,
    pub name: Spanned<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// `x86_64` by default, or `arm64`, `i386`.
    #[serde(default)]
    pub architecture: Option<Spanned<String>>,
    #[serde(default)]
    pub creation_date: Option<Spanned<String>>,
    #[serde(default, deserialize_with = "super::unique::tags")]
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyPairSpec {
    pub name: Spanned<String>,
    /// `rsa` (default) or `ed25519`.
    #[serde(default, rename = "type")]
    pub key_type: Option<Spanned<String>>,
    #[serde(default, deserialize_with = "super::unique::tags")]
    pub tags: BTreeMap<String, String>,
}

/// An Elastic IP address, optionally associated with an instance of the region.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddressSpec {
    pub public_ip: Spanned<String>,
    #[serde(default)]
    pub instance_id: Option<Spanned<String>>,
    #[serde(default, deserialize_with = "super::unique::tags")]
    pub tags: BTreeMap<String, String>,
}
