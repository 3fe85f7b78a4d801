//! The EC2 resources of an account, by region, as the Describe* actions return them.
//!
//! Everything is built once when the scenario loads: each region holds its resources in vectors
//! sorted by id (key pairs by name), so an id lookup is a binary search and a page of results
//! starts with a binary search for the previous page's last id.

mod instance;
mod network;
mod storage;

pub use instance::{Instance, InstanceState};
pub use network::{
    Address, AddressAssociation, IpPermission, NetworkInterface, SecurityGroup, Subnet, Vpc,
};
pub use storage::{
    AttachmentFacts, DeclaredVolume, Image, KeyPair, Volume, VolumeAttachment, VolumeFacts,
    VolumeSource, ROOT_DEVICE,
};

use crate::regions::{self, Zone};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// Builds the inventory of a region the scenario declares nothing in: only what AWS creates
/// by itself (given the account and the region).
pub type DefaultRegionBuilder = fn(&str, &str) -> RegionInventory;

#[derive(Debug)]
pub struct AccountInventory {
    account: String,
    /// Every region the account can use. A region the scenario declares nothing in is built the
    /// first time a request asks for it: an organization of a thousand accounts has some
    /// seventeen thousand such regions, and a discovery walk visits the few it is told to.
    regions: HashMap<&'static str, OnceLock<RegionInventory>>,
    /// The opt-in regions this account has enabled.
    enabled_opt_in: Vec<String>,
    build_default: DefaultRegionBuilder,
}

impl AccountInventory {
    /// `declared` holds the regions built from the scenario; every other region in `enabled`
    /// is built by `build_default` when first asked for.
    pub fn new(
        account: &str,
        enabled: impl IntoIterator<Item = &'static str>,
        mut declared: HashMap<&'static str, RegionInventory>,
        enabled_opt_in: Vec<String>,
        build_default: DefaultRegionBuilder,
    ) -> Self {
        let regions = enabled
            .into_iter()
            .map(|region| {
                let built = match declared.remove(region) {
                    Some(inventory) => OnceLock::from(inventory),
                    None => OnceLock::new(),
                };
                (region, built)
            })
            .collect();
        AccountInventory {
            account: account.to_string(),
            regions,
            enabled_opt_in,
            build_default,
        }
    }

    /// The region's resources; an empty inventory for a region the account cannot use.
    pub fn region(&self, region: &str) -> &RegionInventory {
        static EMPTY: RegionInventory = RegionInventory::empty();
        match self.regions.get_key_value(region) {
            Some((name, built)) => built.get_or_init(|| (self.build_default)(&self.account, name)),
            None => &EMPTY,
        }
    }

    /// True when the account may use the region: a default region, or an enabled opt-in one.
    pub fn region_enabled(&self, region: &str) -> bool {
        regions::DEFAULT_REGIONS.contains(&region)
            || self.enabled_opt_in.iter().any(|r| r == region)
    }

    /// The region's `optInStatus` for this account, as DescribeRegions reports it.
    pub fn opt_in_status(&self, region: &str) -> &'static str {
        if !regions::is_opt_in(region) {
            "opt-in-not-required"
        } else if self.region_enabled(region) {
            "opted-in"
        } else {
            "not-opted-in"
        }
    }
}

/// The kinds of resource that carry tags, in the order of [`RegionInventory`]'s vectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tagged {
    Instance,
    Vpc,
    Subnet,
    SecurityGroup,
    NetworkInterface,
    Volume,
    Image,
    KeyPair,
    Address,
}

/// One tag of one resource, as an index: which vector, which item, which of its tags. The
/// tag index holds one per tag (12 bytes) rather than copies of the resource id, key and value
/// (two hundred bytes and four allocations per tag, in a region of a million instances).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagRef {
    kind: Tagged,
    item: u32,
    tag: u32,
}

/// One resource's tag, as DescribeTags lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagEntry<'a> {
    pub resource_id: &'a str,
    /// `instance`, `vpc`, `subnet`, `security-group`, `volume`, `image`, `key-pair`,
    /// `network-interface` or `elastic-ip` (EC2 API reference, DescribeTags).
    pub resource_type: &'static str,
    pub key: &'a str,
    pub value: &'a str,
}

impl TagEntry<'_> {
    /// Where the entry sorts, and names the last of a page: `resource_id`, a tab, `key` (a tab
    /// sorts before every character an id or a key may hold, so this sorts like the pair).
    pub fn position(&self) -> String {
        format!("{}\t{}", self.resource_id, self.key)
    }
}

/// What a region holds for one account. Every vector is sorted by its [`Keyed::key`].
#[derive(Debug, Default)]
pub struct RegionInventory {
    pub zones: Vec<Zone>,
    pub instances: Vec<Instance>,
    pub vpcs: Vec<Vpc>,
    pub subnets: Vec<Subnet>,
    pub security_groups: Vec<SecurityGroup>,
    pub network_interfaces: Vec<NetworkInterface>,
    pub volumes: Vec<Volume>,
    pub images: Vec<Image>,
    /// Sorted by key name, the id DescribeKeyPairs is asked by.
    pub key_pairs: Vec<KeyPair>,
    /// Sorted by allocation id.
    pub addresses: Vec<Address>,
    /// Every tag of every resource above, sorted by resource id, then key; read each with
    /// [`RegionInventory::tag`].
    pub tags: Vec<TagRef>,
    /// (instance id, device, volume id) of each declared volume attached to an instance,
    /// sorted: an instance's block device mapping lists them after its root volume.
    pub attached_volumes: Vec<(Arc<str>, Arc<str>, Arc<str>)>,
    /// Indexes into `addresses` of the Elastic IPs associated with an instance, sorted by that
    /// instance's id.
    pub elastic_ips: Vec<usize>,
}

impl RegionInventory {
    const fn empty() -> RegionInventory {
        RegionInventory {
            zones: Vec::new(),
            instances: Vec::new(),
            vpcs: Vec::new(),
            subnets: Vec::new(),
            security_groups: Vec::new(),
            network_interfaces: Vec::new(),
            volumes: Vec::new(),
            images: Vec::new(),
            key_pairs: Vec::new(),
            addresses: Vec::new(),
            tags: Vec::new(),
            attached_volumes: Vec::new(),
            elastic_ips: Vec::new(),
        }
    }

    /// The tag an index entry points at.
    pub fn tag(&self, at: TagRef) -> Option<TagEntry<'_>> {
        fn entry<'a, T: Keyed>(
            items: &'a [T],
            at: TagRef,
            resource_type: &'static str,
        ) -> Option<TagEntry<'a>> {
            let item = items.get(usize::try_from(at.item).ok()?)?;
            let (key, value) = item.tags().get(usize::try_from(at.tag).ok()?)?;
            Some(TagEntry {
                resource_id: item.tag_id(),
                resource_type,
                key,
                value,
            })
        }
        match at.kind {
            Tagged::Instance => entry(&self.instances, at, "instance"),
            Tagged::Vpc => entry(&self.vpcs, at, "vpc"),
            Tagged::Subnet => entry(&self.subnets, at, "subnet"),
            Tagged::SecurityGroup => entry(&self.security_groups, at, "security-group"),
            Tagged::NetworkInterface => entry(&self.network_interfaces, at, "network-interface"),
            Tagged::Volume => entry(&self.volumes, at, "volume"),
            Tagged::Image => entry(&self.images, at, "image"),
            Tagged::KeyPair => entry(&self.key_pairs, at, "key-pair"),
            Tagged::Address => entry(&self.addresses, at, "elastic-ip"),
        }
    }

    pub fn instance(&self, id: &str) -> Option<&Instance> {
        find(&self.instances, id)
    }

    /// (id, name) of each of these security groups the region has, in the order given.
    pub fn groups<'a>(&'a self, ids: &'a [String]) -> impl Iterator<Item = (&'a str, &'a str)> {
        ids.iter()
            .filter_map(|id| find(&self.security_groups, id))
            .map(|g| (g.id.as_str(), g.name.as_str()))
    }

    /// The ids of the declared volumes attached to an instance, by device.
    pub fn attached_volumes<'a>(&'a self, instance_id: &'a str) -> impl Iterator<Item = &'a str> {
        let from = self
            .attached_volumes
            .partition_point(|(id, ..)| **id < *instance_id);
        self.attached_volumes[from..]
            .iter()
            .take_while(move |(id, ..)| **id == *instance_id)
            .map(|(.., volume)| &**volume)
    }

    /// An instance's block device mapping as DescribeInstances lists it, as (volume id,
    /// attachment): the root volume, then the declared volumes attached to it, by device (EC2
    /// API reference, InstanceBlockDeviceMapping: every block device attached to it).
    pub fn block_devices<'a>(
        &'a self,
        i: &'a Instance,
    ) -> impl Iterator<Item = (&'a str, AttachmentFacts<'a>)> {
        let root = i
            .root_volume_id
            .as_deref()
            .map(|volume_id| (volume_id, AttachmentFacts::root(&i.id, i.launch_time)));
        let attached = self.attached_volumes(&i.id).filter_map(move |volume_id| {
            let attachment = find(&self.volumes, volume_id)?.facts(self)?.attachment?;
            Some((volume_id, attachment))
        });
        root.into_iter().chain(attached)
    }

    /// The Elastic IP associated with an instance, if there is one.
    pub fn elastic_ip_of(&self, instance_id: &str) -> Option<&Address> {
        let instance_of = |at: &usize| {
            self.addresses[*at]
                .association
                .as_ref()
                .map_or("", |x| x.instance_id.as_str())
        };
        let at = self
            .elastic_ips
            .partition_point(|at| instance_of(at) < instance_id);
        self.elastic_ips
            .get(at)
            .filter(|at| instance_of(at) == instance_id)
            .map(|at| &self.addresses[*at])
    }

    /// The public IPv4 address an instance's answer shows, as its interface's association
    /// describes it; None when it has none.
    pub fn public_address<'a>(&'a self, i: &'a Instance) -> Option<PublicAddress<'a>> {
        let ip = i.public_ip.as_deref()?;
        Some(PublicAddress {
            ip,
            dns_name: i.public_dns_name.as_deref().unwrap_or(""),
            elastic: self.elastic_ip_of(&i.id),
        })
    }

    /// An instance's architecture: its image's, when the region declares the image; the
    /// emulator's own images are `x86_64` (as DescribeImages' default is).
    pub fn architecture<'a>(&'a self, i: &Instance) -> &'a str {
        find(&self.images, &i.image_id).map_or(DEFAULT_ARCHITECTURE, |image| &image.architecture)
    }

    /// The default VPC (every enabled region of every account has one).
    pub fn default_vpc(&self) -> Option<&Vpc> {
        self.vpcs.iter().find(|v| v.is_default)
    }

    /// Sorts every collection by its key and indexes every tag. Call once after filling.
    pub fn finish(&mut self) {
        sort(&mut self.instances);
        sort(&mut self.vpcs);
        sort(&mut self.subnets);
        sort(&mut self.security_groups);
        sort(&mut self.network_interfaces);
        sort(&mut self.volumes);
        sort(&mut self.images);
        sort(&mut self.key_pairs);
        sort(&mut self.addresses);
        let mut tags = Vec::new();
        collect_tags(&mut tags, Tagged::Instance, &self.instances);
        collect_tags(&mut tags, Tagged::Vpc, &self.vpcs);
        collect_tags(&mut tags, Tagged::Subnet, &self.subnets);
        collect_tags(&mut tags, Tagged::SecurityGroup, &self.security_groups);
        collect_tags(
            &mut tags,
            Tagged::NetworkInterface,
            &self.network_interfaces,
        );
        collect_tags(&mut tags, Tagged::Volume, &self.volumes);
        collect_tags(&mut tags, Tagged::Image, &self.images);
        collect_tags(&mut tags, Tagged::KeyPair, &self.key_pairs);
        collect_tags(&mut tags, Tagged::Address, &self.addresses);
        // Ids are unique across kinds (each has its own prefix) and keys within a resource,
        // so the order is total.
        let sort_key = |t: &TagRef| self.tag(*t).map(|e| (e.resource_id, e.key));
        tags.sort_unstable_by(|a, b| sort_key(a).cmp(&sort_key(b)));
        self.tags = tags;
        self.attached_volumes = self
            .volumes
            .iter()
            .filter_map(|v| match &v.source {
                VolumeSource::Declared(d) => d
                    .attachment
                    .as_ref()
                    .map(|a| (a.instance_id.clone(), a.device.clone(), v.id.clone())),
                VolumeSource::Root { .. } => None,
            })
            .collect();
        self.attached_volumes.sort();
        let mut elastic_ips: Vec<(&str, usize)> = self
            .addresses
            .iter()
            .enumerate()
            .filter_map(|(at, a)| Some((a.association.as_ref()?.instance_id.as_str(), at)))
            .collect();
        elastic_ips.sort();
        self.elastic_ips = elastic_ips.into_iter().map(|(_, at)| at).collect();
    }
}

/// The architecture of an image that does not say otherwise.
pub const DEFAULT_ARCHITECTURE: &str = "x86_64";

/// An instance's public IPv4 address, as the `association` of its network interface shows it
/// (EC2 API reference, InstanceNetworkInterfaceAssociation and NetworkInterfaceAssociation).
#[derive(Debug, Clone, Copy)]
pub struct PublicAddress<'a> {
    pub ip: &'a str,
    /// Empty when the instance's VPC gives no DNS hostnames.
    pub dns_name: &'a str,
    /// The Elastic IP it is, when it is one.
    pub elastic: Option<&'a Address>,
}

impl PublicAddress<'_> {
    /// `ipOwnerId`: the account that allocated an Elastic IP; `amazon` for an address from
    /// Amazon's pool, given at launch.
    pub fn owner(&self) -> &str {
        self.elastic.map_or("amazon", |a| a.owner_id.as_str())
    }
}

/// A resource kept in a sorted vector: the key it is sorted and looked up by, the id its tags
/// are listed under, and its tags.
pub trait Keyed {
    fn key(&self) -> &str;
    /// The id DescribeTags names (the key, except for key pairs, which are named by id).
    fn tag_id(&self) -> &str {
        self.key()
    }
    fn tags(&self) -> &[(String, String)];
}

/// Binary search of a vector sorted by [`Keyed::key`].
pub fn find<'a, T: Keyed>(sorted: &'a [T], key: &str) -> Option<&'a T> {
    sorted
        .binary_search_by(|item| item.key().cmp(key))
        .ok()
        .map(|at| &sorted[at])
}

fn sort<T: Keyed>(items: &mut Vec<T>) {
    // Generated scenarios usually list resources in id order already; checking is a read.
    if items.is_sorted_by(|a, b| a.key() <= b.key()) {
        return;
    }
    // Records are large (and derived ids come in random order): sorting their positions and
    // then moving each record once costs less than sorting the records themselves. Keys are
    // unique, so any sort gives the same order.
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_unstable_by(|&a, &b| items[a].key().cmp(items[b].key()));
    let mut slots: Vec<Option<T>> = std::mem::take(items).into_iter().map(Some).collect();
    items.reserve_exact(slots.len());
    items.extend(order.into_iter().filter_map(|at| slots[at].take()));
}

fn collect_tags<T: Keyed>(out: &mut Vec<TagRef>, kind: Tagged, items: &[T]) {
    // A region holds fewer than 2^32 resources and a resource at most 50 tags.
    for (item, resource) in (0u32..).zip(items) {
        for (tag, _) in (0u32..).zip(resource.tags()) {
            out.push(TagRef { kind, item, tag });
        }
    }
}

macro_rules! keyed_by {
    ($type:ty, $field:ident) => {
        impl Keyed for $type {
            fn key(&self) -> &str {
                &self.$field
            }
            fn tags(&self) -> &[(String, String)] {
                &self.tags
            }
        }
    };
}

keyed_by!(Instance, id);
keyed_by!(Vpc, id);
keyed_by!(Subnet, id);
keyed_by!(SecurityGroup, id);
keyed_by!(NetworkInterface, id);
keyed_by!(Volume, id);
keyed_by!(Image, id);
keyed_by!(Address, allocation_id);

impl Keyed for KeyPair {
    fn key(&self) -> &str {
        &self.name
    }
    fn tag_id(&self) -> &str {
        &self.id
    }
    fn tags(&self) -> &[(String, String)] {
        &self.tags
    }
}
