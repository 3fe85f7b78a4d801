//! VPCs, subnets, security groups and Elastic IPs: the defaults AWS creates and the declared ones.

use super::super::build::Problems;
use super::super::spec::{AddressSpec, RuleSpec, SecurityGroupSpec, SubnetSpec, VpcSpec};
use super::checks::{self, Scope};
use crate::inventory::{
    Address, AddressAssociation, InstanceState, IpPermission, RegionInventory, SecurityGroup,
    Subnet, Vpc,
};
use crate::regions;
use ipnet::Ipv4Net;
use std::collections::{HashMap, HashSet};
use std::net::Ipv4Addr;
use std::sync::Arc;

/// The default VPC's block (VPC user guide, "Default VPCs").
const DEFAULT_VPC_BLOCK: Ipv4Net = Ipv4Net::new_assert(Ipv4Addr::new(172, 31, 0, 0), 16);

/// The default subnet of the `n`th zone: 172.31.0.0/20, 172.31.16.0/20, … (VPC user guide,
/// "Default subnets"); no region has more zones than the /16 has /20s.
fn default_subnet_block(n: usize) -> Ipv4Net {
    let third = u8::try_from(n.saturating_mul(16)).unwrap_or(0xF0);
    Ipv4Net::new_assert(Ipv4Addr::new(172, 31, third, 0), 20)
}

/// The default VPC and one default /20 subnet per zone: 172.31.0.0/20, 172.31.16.0/20, …
pub(crate) fn add_default_network(scope: &Scope, inv: &mut RegionInventory) {
    let vpc = Vpc {
        id: scope.derived_id("vpc", "default-vpc"),
        owner_id: scope.account.to_string(),
        cidr_block: DEFAULT_VPC_BLOCK,
        cidr_association_id: scope.derived_id("vpc-cidr-assoc", "default-vpc"),
        dhcp_options_id: scope.derived_id("dopt", "dhcp-options"),
        is_default: true,
        dns_hostnames: true,
        tags: Vec::new(),
    };
    for (n, zone) in inv.zones.iter().enumerate() {
        let id = scope.derived_id("subnet", &format!("default-subnet/{}", zone.name));
        inv.subnets.push(Subnet {
            arn: subnet_arn(scope, &id),
            id,
            owner_id: scope.account.to_string(),
            vpc_id: vpc.id.clone(),
            cidr_block: default_subnet_block(n),
            availability_zone: zone.name.clone(),
            availability_zone_id: zone.id.clone(),
            available_ip_address_count: 0,
            default_for_az: true,
            // Default subnets give instances a public address (VPC user guide, "Default subnets").
            map_public_ip_on_launch: true,
            tags: Vec::new(),
        });
    }
    inv.vpcs.push(vpc);
}

fn subnet_arn(scope: &Scope, id: &str) -> String {
    format!("arn:aws:ec2:{}:{}:subnet/{id}", scope.region, scope.account)
}

pub(crate) fn add_vpcs(
    scope: &Scope,
    specs: &[VpcSpec],
    inv: &mut RegionInventory,
    p: &mut Problems,
) {
    let mut seen: HashSet<String> = inv.vpcs.iter().map(|v| v.id.clone()).collect();
    for spec in specs {
        if !checks::check_new_id(&spec.id, "vpc", "VPC", &mut seen, scope.region, p) {
            continue;
        }
        let Some(block) = checks::parse_block(&spec.cidr_block, p) else {
            continue;
        };
        let id = spec.id.value.clone();
        inv.vpcs.push(Vpc {
            cidr_association_id: scope.derived_id("vpc-cidr-assoc", &id),
            dhcp_options_id: scope.derived_id("dopt", "dhcp-options"),
            owner_id: scope.account.to_string(),
            cidr_block: block,
            is_default: false,
            dns_hostnames: spec.enable_dns_hostnames,
            tags: checks::tags(&spec.tags),
            id,
        });
    }
}

pub(crate) fn add_subnets(
    scope: &Scope,
    specs: &[SubnetSpec],
    inv: &mut RegionInventory,
    p: &mut Problems,
) {
    let mut seen: HashSet<String> = inv.subnets.iter().map(|s| s.id.clone()).collect();
    for spec in specs {
        if !checks::check_new_id(&spec.id, "subnet", "subnet", &mut seen, scope.region, p) {
            continue;
        }
        let Some(vpc) = inv.vpcs.iter().find(|v| v.id == spec.vpc_id.value) else {
            p.at(
                &spec.vpc_id,
                format!("no VPC '{}' in {}", spec.vpc_id.value, scope.region),
            );
            continue;
        };
        let Some(block) = checks::parse_block(&spec.cidr_block, p) else {
            continue;
        };
        if !vpc.cidr_block.contains(&block) {
            p.at(
                &spec.cidr_block,
                format!("{block} is not inside {} ({})", vpc.id, vpc.cidr_block),
            );
            continue;
        }
        let overlapping = inv.subnets.iter().find(|s| {
            s.vpc_id == vpc.id && (s.cidr_block.contains(&block) || block.contains(&s.cidr_block))
        });
        if let Some(other) = overlapping {
            p.at(
                &spec.cidr_block,
                format!(
                    "{block} overlaps subnet {} ({})",
                    other.id, other.cidr_block
                ),
            );
            continue;
        }
        let zone = match &spec.availability_zone {
            Some(name) => match checks::check_zone(&inv.zones, name, scope.region, p) {
                Some(z) => z.clone(),
                None => continue,
            },
            None => inv.zones[0].clone(),
        };
        let id = spec.id.value.clone();
        inv.subnets.push(Subnet {
            arn: subnet_arn(scope, &id),
            owner_id: scope.account.to_string(),
            vpc_id: vpc.id.clone(),
            cidr_block: block,
            availability_zone: zone.name,
            availability_zone_id: zone.id,
            available_ip_address_count: 0,
            default_for_az: false,
            map_public_ip_on_launch: spec.map_public_ip_on_launch,
            tags: checks::tags(&spec.tags),
            id,
        });
    }
}

/// Every VPC's `default` group: members may reach each other, and everything may go out.
pub(crate) fn add_default_security_groups(scope: &Scope, inv: &mut RegionInventory) {
    for vpc in &inv.vpcs {
        let id = scope.derived_id("sg", &format!("default-sg/{}", vpc.id));
        inv.security_groups.push(SecurityGroup {
            arn: group_arn(scope, &id),
            name: "default".to_string(),
            description: "default VPC security group".to_string(),
            owner_id: scope.account.to_string(),
            vpc_id: vpc.id.clone(),
            ingress: vec![IpPermission {
                protocol: "-1".to_string(),
                from_port: None,
                to_port: None,
                cidrs: Vec::new(),
                groups: vec![(id.clone(), scope.account.to_string())],
            }],
            egress: vec![allow_all_out()],
            tags: Vec::new(),
            id,
        });
    }
}

/// The outbound rule every new group starts with (VPC user guide, "Security group rules").
fn allow_all_out() -> IpPermission {
    IpPermission {
        protocol: "-1".to_string(),
        from_port: None,
        to_port: None,
        cidrs: vec!["0.0.0.0/0".to_string()],
        groups: Vec::new(),
    }
}

fn group_arn(scope: &Scope, id: &str) -> String {
    format!(
        "arn:aws:ec2:{}:{}:security-group/{id}",
        scope.region, scope.account
    )
}

pub(crate) fn add_security_groups(
    scope: &Scope,
    specs: &[SecurityGroupSpec],
    inv: &mut RegionInventory,
    p: &mut Problems,
) {
    let mut seen: HashSet<String> = inv.security_groups.iter().map(|g| g.id.clone()).collect();
    // Every declared id first, so rules may name groups declared after them.
    let declared: HashSet<&str> = specs.iter().map(|s| s.id.value.as_str()).collect();
    let default_vpc = inv.default_vpc().map(|v| v.id.clone()).unwrap_or_default();
    let mut names: HashMap<(String, String), ()> = inv
        .security_groups
        .iter()
        .map(|g| ((g.vpc_id.clone(), g.name.clone()), ()))
        .collect();
    let mut built = Vec::new();
    for spec in specs {
        if !checks::check_new_id(&spec.id, "sg", "security group", &mut seen, scope.region, p) {
            continue;
        }
        let vpc_id = match &spec.vpc_id {
            Some(v) if inv.vpcs.iter().any(|x| x.id == v.value) => v.value.clone(),
            Some(v) => {
                p.at(v, format!("no VPC '{}' in {}", v.value, scope.region));
                continue;
            }
            None => default_vpc.clone(),
        };
        let name = &spec.name.value;
        if name.is_empty() || name.len() > 255 || name.starts_with("sg-") {
            p.at(&spec.name, format!("'{name}' is not a security group name (1 to 255 characters, not starting with sg-)"));
            continue;
        }
        if names.insert((vpc_id.clone(), name.clone()), ()).is_some() {
            p.at(
                &spec.name,
                format!("{vpc_id} already has a security group named '{name}'"),
            );
            continue;
        }
        let ingress = spec
            .ingress
            .iter()
            .filter_map(|rule| build_rule(scope, rule, &declared, inv, p))
            .collect();
        let id = spec.id.value.clone();
        built.push(SecurityGroup {
            arn: group_arn(scope, &id),
            name: name.clone(),
            description: spec.description.clone().unwrap_or_else(|| name.clone()),
            owner_id: scope.account.to_string(),
            vpc_id,
            ingress,
            egress: vec![allow_all_out()],
            tags: checks::tags(&spec.tags),
            id,
        });
    }
    inv.security_groups.extend(built);
}

fn build_rule(
    scope: &Scope,
    rule: &RuleSpec,
    declared: &HashSet<&str>,
    inv: &RegionInventory,
    p: &mut Problems,
) -> Option<IpPermission> {
    let protocol = match &rule.protocol {
        None => "-1".to_string(),
        Some(proto) if matches!(proto.value.as_str(), "tcp" | "udp" | "icmp" | "-1") => {
            proto.value.clone()
        }
        Some(proto) => {
            p.at(
                proto,
                format!(
                    "'{}' is not a protocol (tcp, udp, icmp, or -1 for all)",
                    proto.value
                ),
            );
            return None;
        }
    };
    let (from_port, to_port) = if protocol == "-1" {
        (None, None)
    } else {
        let from = rule.from_port.or(rule.to_port);
        (from, rule.to_port.or(from))
    };
    let mut out = IpPermission {
        protocol,
        from_port,
        to_port,
        cidrs: Vec::new(),
        groups: Vec::new(),
    };
    if let Some(cidr) = &rule.cidr {
        out.cidrs
            .push(checks::parse_any_block(cidr, p)?.to_string());
    }
    if let Some(group) = &rule.source_group {
        let known = declared.contains(group.value.as_str())
            || inv.security_groups.iter().any(|g| g.id == group.value);
        if !known {
            p.at(
                group,
                format!("no security group '{}' in {}", group.value, scope.region),
            );
            return None;
        }
        out.groups
            .push((group.value.clone(), scope.account.to_string()));
    }
    Some(out)
}

pub(crate) fn add_addresses(
    scope: &Scope,
    specs: &[AddressSpec],
    inv: &mut RegionInventory,
    p: &mut Problems,
) {
    // An address is one machine's: an instance's own public address is taken too.
    let mut seen: HashSet<Ipv4Addr> = inv
        .instances
        .iter()
        .filter_map(|i| i.public_ip.as_deref()?.parse().ok())
        .collect();
    for spec in specs {
        let Some(ip) = checks::parse_ip(&spec.public_ip, p) else {
            continue;
        };
        if !seen.insert(ip) {
            p.at(
                &spec.public_ip,
                format!("the address {ip} is declared twice in {}", scope.region),
            );
            continue;
        }
        let allocation_id = scope.derived_id("eipalloc", &format!("eip/{ip}"));
        let association = match &spec.instance_id {
            None => None,
            Some(target) => {
                let Some(instance) = inv.instances.iter_mut().find(|i| *i.id == *target.value)
                else {
                    p.at(
                        target,
                        format!("no instance '{}' in {}", target.value, scope.region),
                    );
                    continue;
                };
                let Some(eni_id) = instance.network_interface_id.clone() else {
                    p.at(
                        target,
                        format!(
                            "instance {} is terminated; an address cannot point at it",
                            target.value
                        ),
                    );
                    continue;
                };
                // An Elastic IP replaces the address an instance was launched with, so a
                // scenario that names both would show one it did not mean.
                if let Some(own) = &instance.public_ip {
                    p.at(
                        target,
                        format!(
                            "instance {} already has the public address {own}; an Elastic IP would replace it, so give it one or the other",
                            target.value
                        ),
                    );
                    continue;
                }
                // Its interface reads the address from the instance.
                instance.public_ip = Some(ip.to_string());
                Some(AddressAssociation {
                    association_id: scope.derived_id("eipassoc", &format!("eip/{ip}")),
                    instance_id: instance.id.to_string(),
                    network_interface_id: eni_id.to_string(),
                    private_ip: instance.private_ip.to_string(),
                })
            }
        };
        inv.addresses.push(Address {
            allocation_id,
            public_ip: ip.to_string(),
            owner_id: scope.account.to_string(),
            network_border_group: scope.region.to_string(),
            association,
            tags: checks::tags(&spec.tags),
        });
    }
}

/// Gives each instance with a public address its public DNS name, when its VPC gives DNS
/// hostnames and the instance has been running: the name "is not available until the instance
/// enters the running state" (EC2 API reference, Instance publicDnsName).
pub(crate) fn name_public_addresses(scope: &Scope, inv: &mut RegionInventory) {
    let RegionInventory {
        vpcs, instances, ..
    } = inv;
    let named: HashSet<&str> = vpcs
        .iter()
        .filter(|v| v.dns_hostnames)
        .map(|v| v.id.as_str())
        .collect();
    for i in instances.iter_mut() {
        if i.state == InstanceState::Pending || !named.contains(&*i.vpc_id) {
            continue;
        }
        if let Some(ip) = &i.public_ip {
            i.public_dns_name = Some(Arc::from(regions::public_dns_name(ip, scope.region)));
        }
    }
}

/// Each subnet's free addresses: its size, less the five AWS reserves (VPC user guide,
/// "Subnet CIDR blocks"), less one per network interface in it (each instance that is not
/// terminated has one, in its subnet).
pub(crate) fn count_free_addresses(inv: &mut RegionInventory) {
    // The two collections are separate fields, so the counts can borrow the instances'
    // subnet ids while the subnets are updated.
    let mut used: HashMap<&str, u32> = HashMap::new();
    for instance in inv
        .instances
        .iter()
        .filter(|i| i.network_interface_id.is_some())
    {
        *used.entry(&*instance.subnet_id).or_default() += 1;
    }
    for subnet in &mut inv.subnets {
        let size = 1u32 << (32 - subnet.cidr_block.prefix_len());
        let taken = used.get(subnet.id.as_str()).copied().unwrap_or(0);
        subnet.available_ip_address_count = size.saturating_sub(5).saturating_sub(taken);
    }
}
