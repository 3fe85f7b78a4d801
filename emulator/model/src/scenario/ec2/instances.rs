//! Instances, each with its primary network interface and root volume (both gone once the
//! instance is terminated, as AWS deletes them on termination by default).

use super::super::build::Problems;
use super::super::spanned::Spanned;
use super::super::spec::InstanceSpec;
use super::checks::{self, Scope};
use crate::ids::resource_hex;
use crate::inventory::{
    Instance, InstanceState, NetworkInterface, RegionInventory, Subnet, Volume, VolumeSource,
};
use crate::regions;
use ipnet::Ipv4Net;
use std::collections::{HashMap, HashSet};
use std::net::Ipv4Addr;
use std::sync::{Arc, OnceLock};

/// An image's id and the id of the snapshot behind its root device.
type ImageIds = (Arc<str>, Arc<str>);

pub(crate) fn add_instances(
    scope: &Scope,
    specs: &[InstanceSpec],
    inv: &mut RegionInventory,
    p: &mut Problems,
) {
    let mut seen: HashSet<&str> = HashSet::with_capacity(specs.len());
    let mut public_ips: HashSet<Ipv4Addr> = HashSet::new();
    // Per subnet (by index): the addresses it has handed out.
    let mut addresses_of: Vec<Option<SubnetAddresses>> = Vec::new();
    // Values shared by the instances of the region, made once: the account, the instance
    // types, and per image its id and root snapshot.
    let owner: Arc<str> = Arc::from(scope.account);
    let mut types: Shared<Arc<str>> = Shared::default();
    let mut images: Shared<ImageIds> = Shared::default();
    let mut last_groups: Option<SharedGroups> = None;
    let default_image = format!("ami-{}", resource_hex(&format!("{}/ami", scope.region), 17));
    let dns_suffix: Arc<str> = Arc::from(regions::private_dns_suffix(scope.region));
    let mut key_names: Shared<Arc<str>> = Shared::default();
    inv.instances.reserve(specs.len());
    inv.network_interfaces.reserve(specs.len());
    inv.volumes.reserve(specs.len());
    for spec in specs {
        if !checks::check_new_id(&spec.id, "i", "instance", &mut seen, scope.region, p) {
            continue;
        }
        let state = match &spec.state {
            Some(s) => match InstanceState::parse(&s.value) {
                Some(st) => st,
                None => {
                    p.at(s, format!("'{}' is not an instance state (pending, running, shutting-down, terminated, stopping, stopped)", s.value));
                    continue;
                }
            },
            None => InstanceState::Running,
        };
        let public_ip = match &spec.public_ip {
            None => None,
            Some(text) => {
                let Some(ip) = public_ip(text, state, &mut public_ips, scope, p) else {
                    continue;
                };
                Some(ip.to_string())
            }
        };
        let Some(subnet_index) = place(scope, spec, inv, p) else {
            continue;
        };
        let subnet = &inv.subnets[subnet_index];
        let security_groups = match &last_groups {
            Some(last) if last.is_for(subnet_index, &spec.security_groups) => last.ids.clone(),
            _ => {
                let Some(ids) = groups_of(scope, spec, &subnet.vpc_id, inv, p) else {
                    continue;
                };
                let last = SharedGroups {
                    subnet: subnet_index,
                    declared: &spec.security_groups,
                    ids: ids.into(),
                };
                let ids = last.ids.clone();
                last_groups = Some(last);
                ids
            }
        };
        if addresses_of.len() <= subnet_index {
            addresses_of.resize_with(subnet_index + 1, || None);
        }
        let addresses =
            addresses_of[subnet_index].get_or_insert_with(|| SubnetAddresses::of(subnet));
        let Some(private_ip) = private_ip(spec, subnet, addresses, p) else {
            continue;
        };
        if let Some(image) = &spec.image_id {
            if !checks::is_resource_id("ami", &image.value) {
                p.at(
                    image,
                    format!(
                        "'{}' is not an image id (ami- followed by 8 or 17 lowercase hex digits)",
                        image.value
                    ),
                );
                continue;
            }
        }
        // Held once by the instance, its interface and its root volume.
        let id: Arc<str> = Arc::from(spec.id.value.as_str());
        let launch_time = checks::time_or_default(spec.launch_time.as_ref(), p);
        let image = spec
            .image_id
            .as_ref()
            .map_or(default_image.as_str(), |i| &i.value);
        let (image_id, snapshot_id) = images.get(image, || {
            (Arc::from(image), Arc::from(checks::root_snapshot_id(image)))
        });
        let type_name = spec.instance_type.as_deref().unwrap_or("t3.micro");
        let instance_type = types.get(type_name, || Arc::from(type_name));
        let alive = state != InstanceState::Terminated;
        let network_interface_id =
            alive.then(|| checks::prefixed_shared_id("eni", &scope.derived_hex_of(&["eni/", &id])));
        let root_volume_id = alive
            .then(|| checks::prefixed_shared_id("vol", &scope.derived_hex_of(&["root/", &id])));
        let place = &addresses.shared;
        if let Some(eni_id) = &network_interface_id {
            inv.network_interfaces.push(NetworkInterface {
                id: eni_id.clone(),
                instance_id: id.clone(),
                tags: Vec::new(),
            });
        }
        if let Some(volume_id) = &root_volume_id {
            // All else about it is read from the instance (`Volume::facts`).
            inv.volumes.push(Volume {
                id: volume_id.clone(),
                tags: Vec::new(),
                source: VolumeSource::Root {
                    instance_id: id.clone(),
                    snapshot_id,
                },
            });
        }
        inv.instances.push(Instance {
            owner_id: owner.clone(),
            instance_type,
            state,
            image_id,
            availability_zone: place.availability_zone.clone(),
            vpc_id: place.vpc_id.clone(),
            subnet_id: place.subnet_id.clone(),
            private_ip,
            private_dns_suffix: dns_suffix.clone(),
            public_ip,
            // Named once addresses are known (`network::name_public_addresses`).
            public_dns_name: None,
            launch_time,
            key_name: spec
                .key_name
                .as_deref()
                .map(|name| key_names.get(name, || Arc::from(name))),
            security_groups,
            network_interface_id,
            root_volume_id,
            tags: checks::tags(&spec.tags),
            reservation_xml: OnceLock::new(),
            id,
        });
    }
}

/// Values made once per name and shared by every instance that names them. Consecutive
/// instances nearly always name the same type and image, so the last name is compared before
/// the map is hashed.
struct Shared<'s, V> {
    made: HashMap<&'s str, V>,
    last: Option<(&'s str, V)>,
}

impl<V> Default for Shared<'_, V> {
    fn default() -> Self {
        Shared {
            made: HashMap::new(),
            last: None,
        }
    }
}

impl<'s, V: Clone> Shared<'s, V> {
    fn get(&mut self, name: &'s str, make: impl FnOnce() -> V) -> V {
        if let Some((last, value)) = &self.last {
            if *last == name {
                return value.clone();
            }
        }
        let value = self.made.entry(name).or_insert_with(make).clone();
        self.last = Some((name, value.clone()));
        value
    }
}

/// The groups of the last instance placed, which the next one shares when it is in the same
/// subnet and declares the same groups (consecutive instances nearly always do): the lists
/// depend on nothing else.
struct SharedGroups<'s> {
    subnet: usize,
    declared: &'s [Spanned<String>],
    ids: Arc<[String]>,
}

impl SharedGroups<'_> {
    fn is_for(&self, subnet: usize, declared: &[Spanned<String>]) -> bool {
        self.subnet == subnet
            && self.declared.len() == declared.len()
            && self
                .declared
                .iter()
                .zip(declared)
                .all(|(a, b)| a.value == b.value)
    }
}

/// A subnet's address block, the addresses its instances hold (one bit per address: a subnet
/// is at most a /16), the next host number to hand out by default, and the names its
/// instances and interfaces share.
struct SubnetAddresses {
    block: Ipv4Net,
    taken: Vec<u64>,
    next_host: u32,
    shared: SharedPlace,
}

/// Where an instance is, held once per subnet.
struct SharedPlace {
    subnet_id: Arc<str>,
    vpc_id: Arc<str>,
    availability_zone: Arc<str>,
}

impl SubnetAddresses {
    fn of(subnet: &Subnet) -> SubnetAddresses {
        let block = subnet.cidr_block;
        let size = 1usize << (32 - block.prefix_len());
        SubnetAddresses {
            block,
            taken: vec![0; size.div_ceil(64)],
            next_host: 10,
            shared: SharedPlace {
                subnet_id: Arc::from(subnet.id.as_str()),
                vpc_id: Arc::from(subnet.vpc_id.as_str()),
                availability_zone: Arc::from(subnet.availability_zone.as_str()),
            },
        }
    }

    /// Marks `ip` (inside the block) as held; false when it already was.
    fn take(&mut self, ip: Ipv4Addr) -> bool {
        let offset = (u32::from(ip) - u32::from(self.block.network())) as usize;
        let (word, bit) = (offset / 64, 1u64 << (offset % 64));
        let free = self.taken[word] & bit == 0;
        self.taken[word] |= bit;
        free
    }
}

/// The subnet the instance is in: the one named, else a subnet of the named VPC in the named
/// (or first) zone, else the default subnet of that zone.
fn place(
    scope: &Scope,
    spec: &InstanceSpec,
    inv: &RegionInventory,
    p: &mut Problems,
) -> Option<usize> {
    let zone = match &spec.availability_zone {
        Some(name) => Some(
            checks::check_zone(&inv.zones, name, scope.region, p)?
                .name
                .clone(),
        ),
        None => None,
    };
    let index = if let Some(wanted) = &spec.subnet_id {
        let Some(found) = inv.subnets.iter().position(|s| s.id == wanted.value) else {
            p.at(
                wanted,
                format!("no subnet '{}' in {}", wanted.value, scope.region),
            );
            return None;
        };
        found
    } else {
        let vpc = match &spec.vpc_id {
            Some(v) => {
                let Some(found) = inv.vpcs.iter().find(|x| x.id == v.value) else {
                    p.at(v, format!("no VPC '{}' in {}", v.value, scope.region));
                    return None;
                };
                found
            }
            None => inv.default_vpc()?,
        };
        // Instances in the default VPC default to the region's first zone, as before.
        let zone_name = zone
            .clone()
            .or_else(|| vpc.is_default.then(|| inv.zones[0].name.clone()));
        let candidate = inv.subnets.iter().position(|s| {
            s.vpc_id == vpc.id && zone_name.as_ref().is_none_or(|z| *z == s.availability_zone)
        });
        let Some(found) = candidate else {
            let at = spec.vpc_id.as_ref().unwrap_or(&spec.id);
            p.at(
                at,
                format!(
                    "{} has no subnet for instance {}; give it a subnet_id",
                    vpc.id, spec.id.value
                ),
            );
            return None;
        };
        found
    };
    let subnet = &inv.subnets[index];
    if let Some(v) = &spec.vpc_id {
        if v.value != subnet.vpc_id {
            p.at(
                v,
                format!(
                    "subnet {} is in {}, not {}",
                    subnet.id, subnet.vpc_id, v.value
                ),
            );
            return None;
        }
    }
    if let (Some(z), Some(name)) = (&zone, &spec.availability_zone) {
        if *z != subnet.availability_zone {
            p.at(
                name,
                format!(
                    "subnet {} is in {}, not {z}",
                    subnet.id, subnet.availability_zone
                ),
            );
            return None;
        }
    }
    Some(index)
}

/// The ids of the instance's groups, which must be in its VPC.
fn groups_of(
    scope: &Scope,
    spec: &InstanceSpec,
    vpc_id: &str,
    inv: &RegionInventory,
    p: &mut Problems,
) -> Option<Vec<String>> {
    if spec.security_groups.is_empty() {
        let default = inv
            .security_groups
            .iter()
            .find(|g| g.vpc_id == vpc_id && g.name == "default")?;
        return Some(vec![default.id.clone()]);
    }
    let mut out = Vec::new();
    for wanted in &spec.security_groups {
        match inv.security_groups.iter().find(|g| g.id == wanted.value) {
            Some(g) if g.vpc_id == vpc_id => out.push(g.id.clone()),
            Some(g) => {
                p.at(
                    wanted,
                    format!(
                        "security group {} is in {}, not in the instance's VPC {vpc_id}",
                        g.id, g.vpc_id
                    ),
                );
                return None;
            }
            None => {
                p.at(
                    wanted,
                    format!("no security group '{}' in {}", wanted.value, scope.region),
                );
                return None;
            }
        }
    }
    Some(out)
}

/// The declared address (inside the subnet), or the subnet's next free one from `.10` up.
fn private_ip(
    spec: &InstanceSpec,
    subnet: &Subnet,
    addresses: &mut SubnetAddresses,
    p: &mut Problems,
) -> Option<Ipv4Addr> {
    let block = addresses.block;
    if let Some(text) = &spec.private_ip {
        let ip = checks::parse_ip(text, p)?;
        if !block.contains(&ip) {
            p.at(
                text,
                format!(
                    "{ip} is not inside subnet {} ({})",
                    subnet.id, subnet.cidr_block
                ),
            );
            return None;
        }
        if !addresses.take(ip) {
            p.at(text, format!("{ip} is already used by another instance"));
            return None;
        }
        return Some(ip);
    }
    let base = u32::from(block.network());
    let last = u32::from(block.broadcast()).saturating_sub(1);
    loop {
        let candidate = base + addresses.next_host;
        addresses.next_host += 1;
        if candidate > last {
            p.at(
                &spec.id,
                format!(
                    "subnet {} ({}) has no free address left for {}",
                    subnet.id, subnet.cidr_block, spec.id.value
                ),
            );
            return None;
        }
        let ip = Ipv4Addr::from(candidate);
        if addresses.take(ip) {
            return Some(ip);
        }
    }
}

/// An instance's declared public address: an IPv4 address no other instance of the region
/// has, on an instance that still holds one. AWS releases the public address an instance was
/// launched with when it stops or terminates (EC2 user guide, "Public IPv4 addresses"); only an
/// Elastic IP stays with a stopped instance.
fn public_ip(
    text: &Spanned<String>,
    state: InstanceState,
    taken: &mut HashSet<Ipv4Addr>,
    scope: &Scope,
    p: &mut Problems,
) -> Option<Ipv4Addr> {
    let ip = checks::parse_ip(text, p)?;
    if matches!(state, InstanceState::Stopped | InstanceState::Terminated) {
        p.at(
            text,
            format!(
                "a {} instance has no public address from launch (AWS releases it); associate an Elastic IP under addresses to keep one",
                state.name()
            ),
        );
        return None;
    }
    if !taken.insert(ip) {
        p.at(
            text,
            format!(
                "the public address {ip} is given to two instances in {}",
                scope.region
            ),
        );
        return None;
    }
    Some(ip)
}
