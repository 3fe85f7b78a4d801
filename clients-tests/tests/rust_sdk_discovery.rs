//! The discovery surface with the AWS SDK for Rust: every EC2 Describe the emulator serves,
//! parsed by the SDK with its fields checked, the SDK's paginators with small pages, and DryRun.
//! Runs on the embedded default scenario and on a generated one with a richer 333333333333.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_ec2::operation::describe_images::DescribeImagesOutput;
use aws_sdk_ec2::operation::describe_instances::DescribeInstancesOutput;
use aws_sdk_ec2::operation::describe_network_interfaces::DescribeNetworkInterfacesOutput;
use aws_sdk_ec2::operation::describe_regions::DescribeRegionsOutput;
use aws_sdk_ec2::operation::describe_security_groups::DescribeSecurityGroupsOutput;
use aws_sdk_ec2::operation::describe_subnets::DescribeSubnetsOutput;
use aws_sdk_ec2::operation::describe_tags::DescribeTagsOutput;
use aws_sdk_ec2::operation::describe_volumes::DescribeVolumesOutput;
use aws_sdk_ec2::operation::describe_vpcs::DescribeVpcsOutput;
use aws_sdk_ec2::types::{
    ArchitectureValues, AvailabilityZoneOptInStatus, AvailabilityZoneState, DomainType, ImageState,
    InstanceStateName, KeyType, NetworkInterfaceStatus, ResourceType, SubnetState, Tag, Tenancy,
    VolumeState, VolumeType, VpcState,
};

use common::*;

const DRY_RUN_MESSAGE: &str = "Request would have succeeded, but DryRun flag is set.";

/// An EC2 client with OrganizationAccountAccessRole's session in 333333333333.
async fn member_ec2(server: &Server, region: &str) -> aws_sdk_ec2::Client {
    let creds = assume_created_member_role(server).await;
    ec2_client(server, creds, region).await
}

fn sorted(items: impl IntoIterator<Item = impl Into<String>>) -> Vec<String> {
    let mut v: Vec<String> = items.into_iter().map(Into::into).collect();
    v.sort();
    v
}

/// Asserts that `seen` (in page order) holds every id of `expected` exactly once.
fn assert_each_once(what: &str, seen: &[String], expected: &[String]) {
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(
        unique.len(),
        seen.len(),
        "{what}: an id came twice: {seen:?}"
    );
    assert_eq!(
        sorted(seen.iter().cloned()),
        sorted(expected.iter().cloned()),
        "{what}"
    );
}

/// A Describe answer, or one page of it.
trait Listing {
    /// The ids of what it lists, in order.
    fn ids(&self) -> Vec<String>;

    /// How many items it holds, as its page size counts them.
    fn items(&self) -> usize {
        self.ids().len()
    }
}

/// `Listing` for an answer whose items, under `$items`, each have an id `$id`.
macro_rules! listing {
    ($output:ty, $items:ident, $id:ident) => {
        impl Listing for $output {
            fn ids(&self) -> Vec<String> {
                self.$items()
                    .iter()
                    .map(|item| item.$id().unwrap().to_string())
                    .collect()
            }
        }
    };
}

listing!(DescribeVpcsOutput, vpcs, vpc_id);
listing!(DescribeSubnetsOutput, subnets, subnet_id);
listing!(DescribeSecurityGroupsOutput, security_groups, group_id);
listing!(DescribeVolumesOutput, volumes, volume_id);
listing!(DescribeImagesOutput, images, image_id);
listing!(
    DescribeNetworkInterfacesOutput,
    network_interfaces,
    network_interface_id
);

/// A tag is known by its resource and key.
impl Listing for DescribeTagsOutput {
    fn ids(&self) -> Vec<String> {
        self.tags()
            .iter()
            .map(|t| format!("{}/{}", t.resource_id().unwrap(), t.key().unwrap()))
            .collect()
    }
}

/// DescribeInstances lists instances, and its page size counts reservations.
impl Listing for DescribeInstancesOutput {
    fn ids(&self) -> Vec<String> {
        instance_ids_in(self)
    }

    fn items(&self) -> usize {
        self.reservations().len()
    }
}

const PAGE: i32 = 5;
const MAX_PAGES: usize = 50;

/// Drains a paginator's pages (bounded), asserting each holds at most `PAGE` items, and
/// returns the ids they list, in order, plus the number of pages.
macro_rules! all_pages {
    ($paginator:expr) => {{
        let mut stream = $paginator.page_size(PAGE).send();
        let mut seen: Vec<String> = Vec::new();
        let mut pages = 0usize;
        while let Some(page) = stream.next().await {
            let page = page.expect("a page");
            pages += 1;
            assert!(
                pages <= MAX_PAGES,
                "paging did not end within {MAX_PAGES} pages"
            );
            let n = page.items();
            assert!(n <= PAGE as usize, "a page holds {n} items");
            seen.extend(page.ids());
        }
        (seen, pages)
    }};
}

/// The names of the regions DescribeRegions answered, in order.
fn region_names(out: &DescribeRegionsOutput) -> Vec<&str> {
    out.regions()
        .iter()
        .filter_map(|r| r.region_name())
        .collect()
}

/// Region name to opt-in status, from DescribeRegions.
fn opt_in_statuses(out: &DescribeRegionsOutput) -> BTreeMap<&str, &str> {
    out.regions()
        .iter()
        .map(|r| (r.region_name().unwrap(), r.opt_in_status().unwrap()))
        .collect()
}

/// Key to value of a resource's tags.
fn tag_map(tags: &[Tag]) -> BTreeMap<&str, &str> {
    tags.iter()
        .map(|t| (t.key().unwrap(), t.value().unwrap()))
        .collect()
}

/// (resource id, resource type, key, value) of each tag DescribeTags answered, in order.
fn tag_rows(out: &DescribeTagsOutput) -> Vec<(String, String, String, String)> {
    out.tags()
        .iter()
        .map(|t| {
            (
                t.resource_id().unwrap().to_string(),
                t.resource_type()
                    .map(ResourceType::as_str)
                    .unwrap()
                    .to_string(),
                t.key().unwrap().to_string(),
                t.value().unwrap().to_string(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The embedded default scenario: 333333333333 holds five instances in us-east-1 and what AWS
// creates in every region by itself (a default VPC, its subnets and security group).
// ---------------------------------------------------------------------------------------------

const DEFAULT_INSTANCES: [(&str, &str, &str, &str); 5] = [
    ("i-03330000000000001", "t3.micro", "web-1", "prod"),
    ("i-03330000000000002", "t3.micro", "web-2", "prod"),
    ("i-03330000000000003", "t3.small", "worker-1", "prod"),
    ("i-03330000000000004", "m5.large", "db-1", "prod"),
    ("i-03330000000000005", "t3.micro", "bastion", "ops"),
];

#[tokio::test]
async fn default_scenario_regions_enabled_and_all() {
    let server = Server::start();
    let ec2 = member_ec2(&server, "us-east-1").await;

    let enabled = ec2
        .describe_regions()
        .send()
        .await
        .expect("DescribeRegions");
    let names = region_names(&enabled);
    assert!(
        names.contains(&"us-east-1") && names.contains(&"eu-west-1"),
        "{names:?}"
    );
    assert!(
        !names.contains(&"af-south-1"),
        "an opt-in region is listed: {names:?}"
    );
    for r in enabled.regions() {
        let name = r.region_name().expect("RegionName");
        assert_eq!(r.opt_in_status(), Some("opt-in-not-required"), "{name}");
        assert_eq!(
            r.endpoint(),
            Some(format!("ec2.{name}.amazonaws.com").as_str())
        );
    }

    let all = ec2
        .describe_regions()
        .all_regions(true)
        .send()
        .await
        .expect("DescribeRegions AllRegions");
    assert!(all.regions().len() > enabled.regions().len());
    let status = opt_in_statuses(&all);
    assert_eq!(
        status.len(),
        all.regions().len(),
        "a region is listed twice"
    );
    assert_eq!(status.get("af-south-1"), Some(&"not-opted-in"));
    assert_eq!(status.get("us-east-1"), Some(&"opt-in-not-required"));
    for name in &names {
        assert_eq!(status.get(name), Some(&"opt-in-not-required"), "{name}");
    }

    let named = ec2
        .describe_regions()
        .region_names("eu-west-1")
        .send()
        .await
        .expect("DescribeRegions RegionName.1");
    assert_eq!(region_names(&named), ["eu-west-1"]);
}

#[tokio::test]
async fn default_scenario_availability_zones() {
    let server = Server::start();
    for (region, letters, prefix) in [
        ("us-east-1", "abcdef", "use1-az"),
        ("eu-west-1", "abc", "euw1-az"),
    ] {
        let ec2 = member_ec2(&server, region).await;
        let out = ec2
            .describe_availability_zones()
            .send()
            .await
            .expect("DescribeAvailabilityZones");
        let zones = out.availability_zones();
        let names: Vec<String> = zones
            .iter()
            .map(|z| z.zone_name().unwrap().to_string())
            .collect();
        let expected: Vec<String> = letters.chars().map(|l| format!("{region}{l}")).collect();
        assert_eq!(sorted(names), expected, "{region}");
        let ids: BTreeSet<&str> = zones.iter().filter_map(|z| z.zone_id()).collect();
        assert_eq!(ids.len(), zones.len(), "zone ids are distinct in {region}");
        for z in zones {
            let name = z.zone_name().unwrap();
            assert!(z.zone_id().unwrap().starts_with(prefix), "{z:?}");
            assert_eq!(z.state(), Some(&AvailabilityZoneState::Available), "{name}");
            assert_eq!(z.region_name(), Some(region), "{name}");
            assert_eq!(z.zone_type(), Some("availability-zone"), "{name}");
            assert_eq!(
                z.opt_in_status(),
                Some(&AvailabilityZoneOptInStatus::OptInNotRequired),
                "{name}"
            );
            assert_eq!(z.group_name(), Some(region), "{name}");
            assert_eq!(z.network_border_group(), Some(region), "{name}");
            assert!(z.messages().is_empty(), "{name}");
        }
    }
}

#[tokio::test]
async fn default_scenario_network_of_the_default_vpc() {
    let server = Server::start();
    let ec2 = member_ec2(&server, "us-east-1").await;

    let vpcs = ec2.describe_vpcs().send().await.expect("DescribeVpcs");
    assert_eq!(vpcs.vpcs().len(), 1, "{vpcs:?}");
    let vpc = &vpcs.vpcs()[0];
    let vpc_id = vpc.vpc_id().expect("VpcId");
    assert!(vpc_id.starts_with("vpc-"), "{vpc_id}");
    assert_eq!(vpc.is_default(), Some(true));
    assert_eq!(vpc.cidr_block(), Some("172.31.0.0/16"));
    assert_eq!(vpc.state(), Some(&VpcState::Available));
    assert_eq!(vpc.owner_id(), Some(CREATED_ACCOUNT));
    assert_eq!(vpc.instance_tenancy(), Some(&Tenancy::Default));
    assert!(vpc
        .dhcp_options_id()
        .unwrap_or_default()
        .starts_with("dopt-"));
    let assoc = vpc.cidr_block_association_set();
    assert_eq!(assoc.len(), 1);
    assert_eq!(assoc[0].cidr_block(), Some("172.31.0.0/16"));
    assert!(assoc[0]
        .association_id()
        .unwrap_or_default()
        .starts_with("vpc-cidr-assoc-"));
    assert!(vpc.tags().is_empty());

    let subnets = ec2
        .describe_subnets()
        .send()
        .await
        .expect("DescribeSubnets");
    let subnets = subnets.subnets();
    assert_eq!(subnets.len(), 6, "one default subnet per zone");
    let zones = sorted(subnets.iter().map(|s| s.availability_zone().unwrap()));
    assert_eq!(
        zones,
        "abcdef"
            .chars()
            .map(|l| format!("us-east-1{l}"))
            .collect::<Vec<_>>()
    );
    for s in subnets {
        let id = s.subnet_id().unwrap();
        assert!(id.starts_with("subnet-"), "{id}");
        assert_eq!(s.vpc_id(), Some(vpc_id), "{id}");
        assert_eq!(s.default_for_az(), Some(true), "{id}");
        assert_eq!(s.map_public_ip_on_launch(), Some(true), "{id}");
        assert_eq!(s.state(), Some(&SubnetState::Available), "{id}");
        assert_eq!(s.owner_id(), Some(CREATED_ACCOUNT), "{id}");
        assert!(s.cidr_block().unwrap().starts_with("172.31."), "{id}");
        assert!(s.cidr_block().unwrap().ends_with("/20"), "{id}");
        assert_eq!(
            s.subnet_arn(),
            Some(format!("arn:aws:ec2:us-east-1:{CREATED_ACCOUNT}:subnet/{id}").as_str())
        );
        assert!(s.available_ip_address_count().unwrap() > 4000, "{s:?}");
        assert!(
            s.availability_zone_id().unwrap().starts_with("use1-az"),
            "{id}"
        );
    }

    let groups = ec2
        .describe_security_groups()
        .send()
        .await
        .expect("DescribeSecurityGroups");
    let groups = groups.security_groups();
    assert_eq!(groups.len(), 1, "{groups:?}");
    let default = &groups[0];
    assert_eq!(default.group_name(), Some("default"));
    assert_eq!(default.description(), Some("default VPC security group"));
    assert_eq!(default.vpc_id(), Some(vpc_id));
    assert_eq!(default.owner_id(), Some(CREATED_ACCOUNT));
    let sg_id = default.group_id().unwrap();
    assert!(sg_id.starts_with("sg-"), "{sg_id}");
    // AWS's default group: all traffic from the group itself, all traffic out to anywhere.
    let inbound = default.ip_permissions();
    assert_eq!(inbound.len(), 1, "{inbound:?}");
    assert_eq!(inbound[0].ip_protocol(), Some("-1"));
    let pairs = inbound[0].user_id_group_pairs();
    assert_eq!(pairs.len(), 1, "{inbound:?}");
    assert_eq!(pairs[0].group_id(), Some(sg_id));
    let outbound = default.ip_permissions_egress();
    assert_eq!(outbound.len(), 1, "{outbound:?}");
    assert_eq!(outbound[0].ip_protocol(), Some("-1"));
    assert_eq!(outbound[0].ip_ranges()[0].cidr_ip(), Some("0.0.0.0/0"));
}

#[tokio::test]
async fn default_scenario_instances_and_what_hangs_off_them() {
    let server = Server::start();
    let ec2 = member_ec2(&server, "us-east-1").await;

    let out = ec2
        .describe_instances()
        .send()
        .await
        .expect("DescribeInstances");
    let reservations = out.reservations();
    assert_eq!(reservations.len(), 5, "one reservation per instance");
    let reservation_ids: BTreeSet<&str> = reservations
        .iter()
        .map(|r| r.reservation_id().unwrap())
        .collect();
    assert_eq!(reservation_ids.len(), 5);
    let mut root_volumes = Vec::new();
    let mut interfaces = Vec::new();
    for ((id, instance_type, name, env), r) in DEFAULT_INSTANCES.iter().zip(reservations) {
        assert!(r.reservation_id().unwrap().starts_with("r-"), "{r:?}");
        assert_eq!(r.owner_id(), Some(CREATED_ACCOUNT));
        assert_eq!(r.instances().len(), 1);
        let i = &r.instances()[0];
        assert_eq!(i.instance_id(), Some(*id));
        assert_eq!(i.instance_type().map(|t| t.as_str()), Some(*instance_type));
        let state = i.state().expect("State");
        assert_eq!(state.name(), Some(&InstanceStateName::Running), "{id}");
        assert_eq!(state.code(), Some(16), "{id}");
        assert_eq!(
            tag_map(i.tags()),
            BTreeMap::from([("Name", *name), ("env", *env)]),
            "{id}"
        );
        let placement = i.placement().expect("Placement");
        assert_eq!(placement.availability_zone(), Some("us-east-1a"), "{id}");
        assert_eq!(placement.tenancy(), Some(&Tenancy::Default), "{id}");
        assert!(i.image_id().unwrap().starts_with("ami-"), "{id}");
        assert!(i.vpc_id().unwrap().starts_with("vpc-"), "{id}");
        assert!(i.subnet_id().unwrap().starts_with("subnet-"), "{id}");
        assert!(
            i.private_ip_address().unwrap().starts_with("172.31."),
            "{id}"
        );
        assert!(
            i.private_dns_name().unwrap().ends_with(".ec2.internal"),
            "{i:?}"
        );
        assert!(i.launch_time().is_some(), "{id}");
        assert_eq!(i.architecture(), Some(&ArchitectureValues::X8664));
        assert_eq!(i.root_device_name(), Some("/dev/xvda"));
        assert_eq!(i.security_groups().len(), 1);
        assert_eq!(i.security_groups()[0].group_name(), Some("default"));
        let bdm = i.block_device_mappings();
        assert_eq!(bdm.len(), 1, "{id}");
        root_volumes.push(bdm[0].ebs().unwrap().volume_id().unwrap().to_string());
        let enis = i.network_interfaces();
        assert_eq!(enis.len(), 1, "{id}");
        assert_eq!(enis[0].private_ip_address(), i.private_ip_address());
        interfaces.push(enis[0].network_interface_id().unwrap().to_string());
    }

    let volumes = ec2
        .describe_volumes()
        .send()
        .await
        .expect("DescribeVolumes");
    assert_each_once("root volumes", &volumes.ids(), &root_volumes);
    for v in volumes.volumes() {
        assert_eq!(v.state(), Some(&VolumeState::InUse));
        assert_eq!(v.attachments().len(), 1);
        assert_eq!(v.attachments()[0].device(), Some("/dev/xvda"));
        assert_eq!(v.attachments()[0].delete_on_termination(), Some(true));
    }

    let enis = ec2
        .describe_network_interfaces()
        .send()
        .await
        .expect("DescribeNetworkInterfaces");
    assert_each_once("interfaces", &enis.ids(), &interfaces);

    let images = ec2
        .describe_images()
        .owners("self")
        .send()
        .await
        .expect("DescribeImages");
    assert!(images.images().is_empty(), "{images:?}");
    let keys = ec2
        .describe_key_pairs()
        .send()
        .await
        .expect("DescribeKeyPairs");
    assert!(keys.key_pairs().is_empty(), "{keys:?}");
    let addresses = ec2
        .describe_addresses()
        .send()
        .await
        .expect("DescribeAddresses");
    assert!(addresses.addresses().is_empty(), "{addresses:?}");

    let tags = ec2.describe_tags().send().await.expect("DescribeTags");
    let tags: BTreeSet<(String, String, String, String)> = tag_rows(&tags).into_iter().collect();
    let expected: BTreeSet<(String, String, String, String)> = DEFAULT_INSTANCES
        .iter()
        .flat_map(|(id, _, name, env)| {
            [("Name", *name), ("env", *env)].map(|(k, v)| {
                (
                    id.to_string(),
                    "instance".to_string(),
                    k.to_string(),
                    v.to_string(),
                )
            })
        })
        .collect();
    assert_eq!(tags, expected);
}

#[tokio::test]
async fn default_scenario_dry_run_of_every_describe() {
    let server = Server::start();
    let ec2 = member_ec2(&server, "us-east-1").await;
    let dry = wire_error(412, "DryRunOperation", DRY_RUN_MESSAGE);
    // The service error of `$request` sent with DryRun.
    macro_rules! dry_run {
        ($request:expr) => {
            expect_service_error($request.dry_run(true).send().await)
        };
    }
    assert_eq!(dry_run!(ec2.describe_regions()), dry, "DescribeRegions");
    assert_eq!(
        dry_run!(ec2.describe_availability_zones()),
        dry,
        "DescribeAvailabilityZones"
    );
    assert_eq!(dry_run!(ec2.describe_vpcs()), dry, "DescribeVpcs");
    assert_eq!(dry_run!(ec2.describe_subnets()), dry, "DescribeSubnets");
    assert_eq!(
        dry_run!(ec2.describe_security_groups()),
        dry,
        "DescribeSecurityGroups"
    );
    assert_eq!(dry_run!(ec2.describe_volumes()), dry, "DescribeVolumes");
    assert_eq!(
        dry_run!(ec2.describe_images().owners("self")),
        dry,
        "DescribeImages"
    );
    assert_eq!(
        dry_run!(ec2.describe_network_interfaces()),
        dry,
        "DescribeNetworkInterfaces"
    );
    assert_eq!(dry_run!(ec2.describe_key_pairs()), dry, "DescribeKeyPairs");
    assert_eq!(dry_run!(ec2.describe_tags()), dry, "DescribeTags");
    assert_eq!(dry_run!(ec2.describe_addresses()), dry, "DescribeAddresses");
    assert_eq!(dry_run!(ec2.describe_instances()), dry, "DescribeInstances");

    // Without the permission, DryRun answers what the call itself would.
    let user = ec2_client(&server, discovery_credentials(), "us-east-1").await;
    let (status, code, message) = dry_run!(user.describe_instances());
    assert_eq!((status, code.as_str()), (403, "UnauthorizedOperation"));
    assert!(
        message
            .ends_with("because no identity-based policy allows the ec2:DescribeInstances action"),
        "{message}"
    );
}

#[tokio::test]
async fn default_scenario_paginated_instances() {
    let server = Server::start();
    let ec2 = member_ec2(&server, "us-east-1").await;
    let (seen, pages) = all_pages!(ec2.describe_instances().into_paginator());
    let expected: Vec<String> = DEFAULT_INSTANCES.iter().map(|i| i.0.to_string()).collect();
    assert_each_once("instances", &seen, &expected);
    assert_eq!(pages, 1, "five instances fit one page of five");
}

// ---------------------------------------------------------------------------------------------
// A generated scenario: 333333333333 with more of everything in us-east-1, and af-south-1
// enabled.
// ---------------------------------------------------------------------------------------------

fn hex_id(prefix: &str, n: usize) -> String {
    format!("{prefix}-0dcc{n:013x}")
}

const EXTRA_VPCS: usize = 6;
const IMAGES: usize = 6;
const INSTANCES: usize = 7; // the sixth is stopped, the seventh terminated

fn generated_scenario() -> String {
    let mut y = String::from(
        r#"description: generated for the SDK discovery tests
organization: { management_account: "111111111111" }
accounts:
  - id: "111111111111"
    users:
      - name: discovery
        access_keys: [{ id: AKIAIOSFODNN7EXAMPLE, secret: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY }]
        policies:
          - name: assume
            document:
              Version: "2012-10-17"
              Statement: [{ Effect: Allow, Action: sts:AssumeRole, Resource: "*" }]
  - id: "333333333333"
    opt_in_regions: [af-south-1]
    ec2:
      af-south-1:
        key_pairs:
          - { name: cpt-ops }
      us-east-1:
        vpcs:
"#,
    );
    for n in 1..=EXTRA_VPCS {
        y.push_str(&format!(
            "          - {{ id: {}, cidr_block: 10.{n}.0.0/16, tags: {{ Name: vpc-{n} }} }}\n",
            hex_id("vpc", n)
        ));
    }
    let vpc1 = hex_id("vpc", 1);
    let (subnet1, subnet2) = (hex_id("subnet", 1), hex_id("subnet", 2));
    let (web, db) = (hex_id("sg", 1), hex_id("sg", 2));
    y.push_str(&format!(
        r#"        subnets:
          - {{ id: {subnet1}, vpc_id: {vpc1}, cidr_block: 10.1.1.0/24, availability_zone: us-east-1a, map_public_ip_on_launch: true, tags: {{ Name: app-a }} }}
          - {{ id: {subnet2}, vpc_id: {vpc1}, cidr_block: 10.1.2.0/24, availability_zone: us-east-1b, tags: {{ Name: app-b }} }}
        security_groups:
          - id: {web}
            name: web
            vpc_id: {vpc1}
            description: web servers
            ingress: [{{ protocol: tcp, from_port: 443, cidr: 0.0.0.0/0 }}]
            tags: {{ Name: web }}
          - id: {db}
            name: db
            vpc_id: {vpc1}
            description: databases
            ingress: [{{ protocol: tcp, from_port: 5432, source_group: {web} }}]
            tags: {{ Name: db }}
        instances:
          - {{ id: {i1}, type: m5.large, subnet_id: {subnet1}, security_groups: [{web}], key_name: ops, tags: {{ Name: web-1, env: prod }} }}
          - {{ id: {i2}, subnet_id: {subnet2}, security_groups: [{db}], tags: {{ Name: db-1, env: prod }} }}
          - {{ id: {i3}, tags: {{ Name: worker-3 }} }}
          - {{ id: {i4}, tags: {{ Name: worker-4 }} }}
          - {{ id: {i5}, tags: {{ Name: worker-5 }} }}
          - {{ id: {i6}, state: stopped, tags: {{ Name: stopped-6 }} }}
          - {{ id: {i7}, state: terminated }}
        volumes:
          - {{ id: {v1}, size: 100, attached_to: {i1}, tags: {{ Name: data }} }}
          - {{ id: {v2}, type: gp2, size: 50, encrypted: true }}
        key_pairs:
          - {{ name: ops }}
          - {{ name: deploy, type: ed25519, tags: {{ team: platform }} }}
        addresses:
          - {{ public_ip: 203.0.113.10, instance_id: {i3}, tags: {{ Name: api-eip }} }}
          - {{ public_ip: 203.0.113.11 }}
        images:
"#,
        i1 = hex_id("i", 1),
        i2 = hex_id("i", 2),
        i3 = hex_id("i", 3),
        i4 = hex_id("i", 4),
        i5 = hex_id("i", 5),
        i6 = hex_id("i", 6),
        i7 = hex_id("i", 7),
        v1 = hex_id("vol", 1),
        v2 = hex_id("vol", 2),
    ));
    for n in 1..=IMAGES {
        let extra = match n {
            1 => ", tags: { Role: golden }, description: the golden image",
            2 => ", architecture: arm64",
            _ => "",
        };
        y.push_str(&format!(
            "          - {{ id: {}, name: golden-{n}{extra} }}\n",
            hex_id("ami", n)
        ));
    }
    y
}

fn generated_server() -> Server {
    Server::start_with_scenario_text(&generated_scenario())
}

/// The (resource id, type, key, value) of every tag the generated scenario declares, with
/// the ids the emulator made for key pairs and addresses passed in.
fn generated_tags(
    deploy_key_id: &str,
    api_allocation_id: &str,
) -> BTreeSet<(String, String, String, String)> {
    let mut tags = BTreeSet::new();
    let mut add = |id: &str, kind: &str, key: &str, value: &str| {
        tags.insert((
            id.to_string(),
            kind.to_string(),
            key.to_string(),
            value.to_string(),
        ));
    };
    for n in 1..=EXTRA_VPCS {
        add(&hex_id("vpc", n), "vpc", "Name", &format!("vpc-{n}"));
    }
    add(&hex_id("subnet", 1), "subnet", "Name", "app-a");
    add(&hex_id("subnet", 2), "subnet", "Name", "app-b");
    add(&hex_id("sg", 1), "security-group", "Name", "web");
    add(&hex_id("sg", 2), "security-group", "Name", "db");
    add(&hex_id("i", 1), "instance", "Name", "web-1");
    add(&hex_id("i", 1), "instance", "env", "prod");
    add(&hex_id("i", 2), "instance", "Name", "db-1");
    add(&hex_id("i", 2), "instance", "env", "prod");
    for n in 3..=5 {
        add(&hex_id("i", n), "instance", "Name", &format!("worker-{n}"));
    }
    add(&hex_id("i", 6), "instance", "Name", "stopped-6");
    add(&hex_id("vol", 1), "volume", "Name", "data");
    add(&hex_id("ami", 1), "image", "Role", "golden");
    add(deploy_key_id, "key-pair", "team", "platform");
    add(api_allocation_id, "elastic-ip", "Name", "api-eip");
    tags
}

#[tokio::test]
async fn generated_regions_with_an_enabled_opt_in_region() {
    let server = generated_server();
    let ec2 = member_ec2(&server, "us-east-1").await;
    let enabled = ec2
        .describe_regions()
        .send()
        .await
        .expect("DescribeRegions");
    let status = opt_in_statuses(&enabled);
    assert_eq!(status.get("af-south-1"), Some(&"opted-in"), "{status:?}");
    assert_eq!(status.get("us-east-1"), Some(&"opt-in-not-required"));
    assert!(status.values().all(|s| *s != "not-opted-in"), "{status:?}");

    let all = ec2
        .describe_regions()
        .all_regions(true)
        .filters(filter("opt-in-status", "not-opted-in"))
        .send()
        .await
        .expect("DescribeRegions AllRegions not-opted-in");
    let not_opted = region_names(&all);
    assert!(!not_opted.is_empty());
    assert!(!not_opted.contains(&"af-south-1"), "{not_opted:?}");
    for r in all.regions() {
        assert_eq!(r.opt_in_status(), Some("not-opted-in"), "{r:?}");
    }

    // EC2 answers in the enabled opt-in region.
    let cpt = member_ec2(&server, "af-south-1").await;
    let keys = cpt
        .describe_key_pairs()
        .send()
        .await
        .expect("DescribeKeyPairs in af-south-1");
    let names: Vec<&str> = keys
        .key_pairs()
        .iter()
        .filter_map(|k| k.key_name())
        .collect();
    assert_eq!(names, ["cpt-ops"]);
    let zones = cpt
        .describe_availability_zones()
        .send()
        .await
        .expect("DescribeAvailabilityZones in af-south-1");
    assert!(!zones.availability_zones().is_empty());
    for z in zones.availability_zones() {
        assert_eq!(z.region_name(), Some("af-south-1"));
        assert!(z.zone_name().unwrap().starts_with("af-south-1"), "{z:?}");
    }
}

#[tokio::test]
async fn generated_vpcs_subnets_and_security_groups() {
    let server = generated_server();
    let ec2 = member_ec2(&server, "us-east-1").await;
    let vpc1 = hex_id("vpc", 1);

    let vpcs = ec2
        .describe_vpcs()
        .vpc_ids(&vpc1)
        .send()
        .await
        .expect("DescribeVpcs VpcId.1");
    assert_eq!(vpcs.vpcs().len(), 1);
    let v = &vpcs.vpcs()[0];
    assert_eq!(v.vpc_id(), Some(vpc1.as_str()));
    assert_eq!(v.cidr_block(), Some("10.1.0.0/16"));
    assert_eq!(v.is_default(), Some(false));
    assert_eq!(v.state(), Some(&VpcState::Available));
    assert_eq!(v.owner_id(), Some(CREATED_ACCOUNT));
    assert_eq!(v.tags().len(), 1);
    assert_eq!(v.tags()[0].key(), Some("Name"));
    assert_eq!(v.tags()[0].value(), Some("vpc-1"));

    let subnets = ec2
        .describe_subnets()
        .filters(filter("vpc-id", &vpc1))
        .send()
        .await
        .expect("DescribeSubnets vpc-id");
    let mut subnets = subnets.subnets().to_vec();
    subnets.sort_by(|a, b| a.subnet_id().cmp(&b.subnet_id()));
    assert_eq!(subnets.len(), 2);
    let a = &subnets[0];
    assert_eq!(a.subnet_id(), Some(hex_id("subnet", 1).as_str()));
    assert_eq!(a.cidr_block(), Some("10.1.1.0/24"));
    assert_eq!(a.availability_zone(), Some("us-east-1a"));
    assert_eq!(a.default_for_az(), Some(false));
    assert_eq!(a.map_public_ip_on_launch(), Some(true));
    // 256 addresses, 5 reserved by AWS, 1 held by web-1's interface.
    assert_eq!(a.available_ip_address_count(), Some(250));
    let b = &subnets[1];
    assert_eq!(b.availability_zone(), Some("us-east-1b"));
    assert_eq!(b.map_public_ip_on_launch(), Some(false));
    assert_eq!(b.available_ip_address_count(), Some(250));
    assert_eq!(b.tags()[0].value(), Some("app-b"));

    let groups = ec2
        .describe_security_groups()
        .filters(filter("vpc-id", &vpc1))
        .send()
        .await
        .expect("DescribeSecurityGroups vpc-id");
    let by_name: BTreeMap<&str, _> = groups
        .security_groups()
        .iter()
        .map(|g| (g.group_name().unwrap(), g))
        .collect();
    assert_eq!(
        by_name.keys().copied().collect::<Vec<_>>(),
        ["db", "default", "web"]
    );
    let web = by_name["web"];
    assert_eq!(web.group_id(), Some(hex_id("sg", 1).as_str()));
    assert_eq!(web.description(), Some("web servers"));
    assert_eq!(web.vpc_id(), Some(vpc1.as_str()));
    let rule = &web.ip_permissions()[0];
    assert_eq!(web.ip_permissions().len(), 1);
    assert_eq!(rule.ip_protocol(), Some("tcp"));
    assert_eq!((rule.from_port(), rule.to_port()), (Some(443), Some(443)));
    assert_eq!(rule.ip_ranges()[0].cidr_ip(), Some("0.0.0.0/0"));
    assert_eq!(web.ip_permissions_egress()[0].ip_protocol(), Some("-1"));
    assert_eq!(web.tags()[0].value(), Some("web"));
    let db = by_name["db"];
    let rule = &db.ip_permissions()[0];
    assert_eq!((rule.from_port(), rule.to_port()), (Some(5432), Some(5432)));
    assert!(rule.ip_ranges().is_empty());
    assert_eq!(
        rule.user_id_group_pairs()[0].group_id(),
        Some(hex_id("sg", 1).as_str())
    );
    assert_eq!(
        rule.user_id_group_pairs()[0].user_id(),
        Some(CREATED_ACCOUNT)
    );
}

#[tokio::test]
async fn generated_instances_states_placement_tags_and_ids() {
    let server = generated_server();
    let ec2 = member_ec2(&server, "us-east-1").await;
    let out = ec2
        .describe_instances()
        .send()
        .await
        .expect("DescribeInstances");
    let instances: BTreeMap<String, &aws_sdk_ec2::types::Instance> = out
        .reservations()
        .iter()
        .flat_map(|r| {
            assert_eq!(r.owner_id(), Some(CREATED_ACCOUNT));
            r.instances()
        })
        .map(|i| (i.instance_id().unwrap().to_string(), i))
        .collect();
    assert_eq!(
        instances.keys().cloned().collect::<Vec<_>>(),
        (1..=INSTANCES).map(|n| hex_id("i", n)).collect::<Vec<_>>()
    );

    let web = instances[&hex_id("i", 1)];
    assert_eq!(web.instance_type().map(|t| t.as_str()), Some("m5.large"));
    assert_eq!(
        web.state().unwrap().name(),
        Some(&InstanceStateName::Running)
    );
    assert_eq!(web.subnet_id(), Some(hex_id("subnet", 1).as_str()));
    assert_eq!(web.vpc_id(), Some(hex_id("vpc", 1).as_str()));
    assert_eq!(
        web.placement().unwrap().availability_zone(),
        Some("us-east-1a")
    );
    assert_eq!(web.key_name(), Some("ops"));
    assert_eq!(web.private_ip_address(), Some("10.1.1.10"));
    let groups: Vec<(&str, &str)> = web
        .security_groups()
        .iter()
        .map(|g| (g.group_id().unwrap(), g.group_name().unwrap()))
        .collect();
    assert_eq!(groups, [(hex_id("sg", 1).as_str(), "web")]);
    assert_eq!(
        tag_map(web.tags()),
        BTreeMap::from([("Name", "web-1"), ("env", "prod")])
    );
    // Its root volume, then the declared volume attached to it (InstanceBlockDeviceMapping).
    let devices: Vec<(&str, &str, bool)> = web
        .block_device_mappings()
        .iter()
        .map(|m| {
            let ebs = m.ebs().unwrap();
            (
                m.device_name().unwrap(),
                ebs.volume_id().unwrap(),
                ebs.delete_on_termination().unwrap(),
            )
        })
        .collect();
    assert_eq!(devices.len(), 2, "{web:?}");
    assert_eq!(devices[0].0, "/dev/xvda");
    assert!(devices[0].1.starts_with("vol-") && devices[0].2);
    assert_eq!(devices[1], ("/dev/sdf", hex_id("vol", 1).as_str(), false));

    let db = instances[&hex_id("i", 2)];
    assert_eq!(
        db.placement().unwrap().availability_zone(),
        Some("us-east-1b")
    );
    assert_eq!(db.key_name(), None);

    let worker = instances[&hex_id("i", 3)];
    assert_eq!(worker.public_ip_address(), Some("203.0.113.10"));
    // An Elastic IP in the default VPC, which gives DNS hostnames: the account owns the
    // address, and the interface and its primary private address both show the association.
    assert_eq!(
        worker.public_dns_name(),
        Some("ec2-203-0-113-10.compute-1.amazonaws.com")
    );
    let interface = &worker.network_interfaces()[0];
    let association = interface.association().unwrap();
    assert_eq!(association.public_ip(), Some("203.0.113.10"));
    assert_eq!(association.public_dns_name(), worker.public_dns_name());
    assert_eq!(association.ip_owner_id(), Some(CREATED_ACCOUNT));
    let primary = &interface.private_ip_addresses()[0];
    assert_eq!(primary.primary(), Some(true));
    assert_eq!(primary.association(), Some(association));
    assert_eq!(worker.instance_type().map(|t| t.as_str()), Some("t3.micro"));

    let stopped = instances[&hex_id("i", 6)];
    let state = stopped.state().unwrap();
    assert_eq!(
        (state.name(), state.code()),
        (Some(&InstanceStateName::Stopped), Some(80))
    );

    let gone = instances[&hex_id("i", 7)];
    let state = gone.state().unwrap();
    assert_eq!(
        (state.name(), state.code()),
        (Some(&InstanceStateName::Terminated), Some(48))
    );
    assert!(gone.tags().is_empty());
    assert!(gone.block_device_mappings().is_empty(), "{gone:?}");
    assert!(gone.network_interfaces().is_empty(), "{gone:?}");

    let running = ec2
        .describe_instances()
        .filters(filter("instance-state-name", "running"))
        .send()
        .await
        .expect("DescribeInstances instance-state-name");
    assert_eq!(
        instance_ids_in(&running),
        (1..=5).map(|n| hex_id("i", n)).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn generated_volumes_images_interfaces_keys_and_addresses() {
    let server = generated_server();
    let ec2 = member_ec2(&server, "us-east-1").await;

    let data = ec2
        .describe_volumes()
        .volume_ids(hex_id("vol", 1))
        .send()
        .await
        .expect("DescribeVolumes VolumeId.1");
    let v = &data.volumes()[0];
    assert_eq!(v.size(), Some(100));
    assert_eq!(v.volume_type(), Some(&VolumeType::Gp3));
    assert_eq!(v.state(), Some(&VolumeState::InUse));
    assert_eq!(v.availability_zone(), Some("us-east-1a"));
    assert_eq!(v.encrypted(), Some(false));
    assert_eq!(v.iops(), Some(3000));
    assert_eq!(v.throughput(), Some(125));
    assert!(v.create_time().is_some());
    let a = &v.attachments()[0];
    assert_eq!(a.instance_id(), Some(hex_id("i", 1).as_str()));
    assert_eq!(a.device(), Some("/dev/sdf"));
    assert_eq!(a.volume_id(), Some(hex_id("vol", 1).as_str()));
    let free = ec2
        .describe_volumes()
        .filters(filter("status", "available"))
        .send()
        .await
        .expect("DescribeVolumes status");
    assert_eq!(free.volumes().len(), 1);
    let v = &free.volumes()[0];
    assert_eq!(v.volume_id(), Some(hex_id("vol", 2).as_str()));
    assert_eq!(v.volume_type(), Some(&VolumeType::Gp2));
    assert_eq!(v.encrypted(), Some(true));
    assert_eq!(v.iops(), Some(150));
    assert_eq!(v.throughput(), None);
    assert!(v.attachments().is_empty());

    let images = ec2
        .describe_images()
        .owners("self")
        .send()
        .await
        .expect("DescribeImages Owners self");
    let mut images = images.images().to_vec();
    images.sort_by(|a, b| a.image_id().cmp(&b.image_id()));
    assert_eq!(images.len(), IMAGES);
    for (n, image) in (1..).zip(&images) {
        assert_eq!(image.image_id(), Some(hex_id("ami", n).as_str()));
        assert_eq!(image.name(), Some(format!("golden-{n}").as_str()));
        assert_eq!(image.owner_id(), Some(CREATED_ACCOUNT));
        assert_eq!(
            image.image_location(),
            Some(format!("{CREATED_ACCOUNT}/golden-{n}").as_str())
        );
        assert_eq!(image.state(), Some(&ImageState::Available));
        assert_eq!(image.public(), Some(false));
        assert!(image.creation_date().is_some());
        let arch = if n == 2 {
            ArchitectureValues::Arm64
        } else {
            ArchitectureValues::X8664
        };
        assert_eq!(image.architecture(), Some(&arch), "{image:?}");
    }
    assert_eq!(images[0].description(), Some("the golden image"));
    assert_eq!(images[0].tags()[0].key(), Some("Role"));
    let amazon = ec2
        .describe_images()
        .owners("amazon")
        .send()
        .await
        .expect("DescribeImages Owners amazon");
    assert!(amazon.images().is_empty());

    let enis = ec2
        .describe_network_interfaces()
        .filters(filter("attachment.instance-id", hex_id("i", 1)))
        .send()
        .await
        .expect("DescribeNetworkInterfaces attachment.instance-id");
    assert_eq!(enis.network_interfaces().len(), 1);
    let e = &enis.network_interfaces()[0];
    assert!(e.network_interface_id().unwrap().starts_with("eni-"));
    assert_eq!(e.subnet_id(), Some(hex_id("subnet", 1).as_str()));
    assert_eq!(e.vpc_id(), Some(hex_id("vpc", 1).as_str()));
    assert_eq!(e.availability_zone(), Some("us-east-1a"));
    assert_eq!(e.private_ip_address(), Some("10.1.1.10"));
    assert_eq!(e.status(), Some(&NetworkInterfaceStatus::InUse));
    assert_eq!(e.owner_id(), Some(CREATED_ACCOUNT));
    assert_eq!(e.groups()[0].group_id(), Some(hex_id("sg", 1).as_str()));
    let attachment = e.attachment().expect("Attachment");
    assert_eq!(attachment.instance_id(), Some(hex_id("i", 1).as_str()));
    assert_eq!(attachment.device_index(), Some(0));
    assert_eq!(e.private_ip_addresses()[0].primary(), Some(true));

    let keys = ec2
        .describe_key_pairs()
        .send()
        .await
        .expect("DescribeKeyPairs");
    let keys = keys.key_pairs();
    let names: Vec<&str> = keys.iter().filter_map(|k| k.key_name()).collect();
    assert_eq!(sorted(names), ["deploy", "ops"]);
    let deploy = keys
        .iter()
        .find(|k| k.key_name() == Some("deploy"))
        .unwrap();
    let ops = keys.iter().find(|k| k.key_name() == Some("ops")).unwrap();
    assert_eq!(deploy.key_type(), Some(&KeyType::Ed25519));
    assert_eq!(ops.key_type(), Some(&KeyType::Rsa));
    assert!(deploy.key_pair_id().unwrap().starts_with("key-"));
    assert_eq!(ops.key_fingerprint().unwrap().matches(':').count(), 19);
    assert!(ops.create_time().is_some());
    assert_eq!(deploy.tags()[0].key(), Some("team"));

    let addresses = ec2
        .describe_addresses()
        .send()
        .await
        .expect("DescribeAddresses");
    let by_ip: BTreeMap<&str, _> = addresses
        .addresses()
        .iter()
        .map(|a| (a.public_ip().unwrap(), a))
        .collect();
    assert_eq!(
        by_ip.keys().copied().collect::<Vec<_>>(),
        ["203.0.113.10", "203.0.113.11"]
    );
    let api = by_ip["203.0.113.10"];
    assert_eq!(api.instance_id(), Some(hex_id("i", 3).as_str()));
    assert_eq!(api.domain(), Some(&DomainType::Vpc));
    assert!(api.allocation_id().unwrap().starts_with("eipalloc-"));
    assert!(api.association_id().unwrap().starts_with("eipassoc-"));
    assert!(api.network_interface_id().unwrap().starts_with("eni-"));
    assert_eq!(api.network_interface_owner_id(), Some(CREATED_ACCOUNT));
    assert_eq!(api.network_border_group(), Some("us-east-1"));
    assert_eq!(api.tags()[0].value(), Some("api-eip"));
    let spare = by_ip["203.0.113.11"];
    assert_eq!(spare.instance_id(), None);
    assert_eq!(spare.association_id(), None);
    assert!(spare.allocation_id().unwrap().starts_with("eipalloc-"));
}

#[tokio::test]
async fn generated_tags_of_every_resource_type() {
    let server = generated_server();
    let ec2 = member_ec2(&server, "us-east-1").await;
    let keys = ec2
        .describe_key_pairs()
        .key_names("deploy")
        .send()
        .await
        .expect("DescribeKeyPairs");
    let deploy_id = keys.key_pairs()[0].key_pair_id().unwrap().to_string();
    let addresses = ec2
        .describe_addresses()
        .public_ips("203.0.113.10")
        .send()
        .await
        .expect("DescribeAddresses PublicIp.1");
    let allocation = addresses.addresses()[0]
        .allocation_id()
        .unwrap()
        .to_string();

    let out = ec2.describe_tags().send().await.expect("DescribeTags");
    let tags = tag_rows(&out);
    let unique: BTreeSet<_> = tags.iter().cloned().collect();
    assert_eq!(unique.len(), tags.len(), "a tag came twice");
    assert_eq!(unique, generated_tags(&deploy_id, &allocation));

    let instance_names = ec2
        .describe_tags()
        .filters(filter("resource-type", "instance"))
        .filters(filter("key", "Name"))
        .send()
        .await
        .expect("DescribeTags filtered");
    let values = sorted(instance_names.tags().iter().map(|t| t.value().unwrap()));
    assert_eq!(
        values,
        [
            "db-1",
            "stopped-6",
            "web-1",
            "worker-3",
            "worker-4",
            "worker-5"
        ]
    );
}

#[tokio::test]
async fn generated_paginators_return_every_item_once() {
    let server = generated_server();
    let ec2 = member_ec2(&server, "us-east-1").await;

    // Each paginator against the whole list, unpaged.
    let vpc_ids = ec2.describe_vpcs().send().await.unwrap().ids();
    assert_eq!(vpc_ids.len(), EXTRA_VPCS + 1);
    let (seen, pages) = all_pages!(ec2.describe_vpcs().into_paginator());
    assert_each_once("DescribeVpcs", &seen, &vpc_ids);
    assert_eq!(pages, 2);

    let subnet_ids = ec2.describe_subnets().send().await.unwrap().ids();
    assert_eq!(subnet_ids.len(), 6 + 2);
    let (seen, pages) = all_pages!(ec2.describe_subnets().into_paginator());
    assert_each_once("DescribeSubnets", &seen, &subnet_ids);
    assert_eq!(pages, 2);

    let group_ids = ec2.describe_security_groups().send().await.unwrap().ids();
    assert_eq!(
        group_ids.len(),
        EXTRA_VPCS + 1 + 2,
        "a default group per VPC, and two"
    );
    let (seen, pages) = all_pages!(ec2.describe_security_groups().into_paginator());
    assert_each_once("DescribeSecurityGroups", &seen, &group_ids);
    assert_eq!(pages, 2);

    let volume_ids = ec2.describe_volumes().send().await.unwrap().ids();
    assert_eq!(
        volume_ids.len(),
        6 + 2,
        "a root volume per live instance, and two"
    );
    let (seen, pages) = all_pages!(ec2.describe_volumes().into_paginator());
    assert_each_once("DescribeVolumes", &seen, &volume_ids);
    assert_eq!(pages, 2);

    let image_ids: Vec<String> = (1..=IMAGES).map(|n| hex_id("ami", n)).collect();
    let (seen, pages) = all_pages!(ec2.describe_images().owners("self").into_paginator());
    assert_each_once("DescribeImages", &seen, &image_ids);
    assert_eq!(pages, 2);

    let eni_ids = ec2
        .describe_network_interfaces()
        .send()
        .await
        .unwrap()
        .ids();
    assert_eq!(eni_ids.len(), 6, "an interface per live instance");
    let (seen, pages) = all_pages!(ec2.describe_network_interfaces().into_paginator());
    assert_each_once("DescribeNetworkInterfaces", &seen, &eni_ids);
    assert_eq!(pages, 2);

    let instance_ids: Vec<String> = (1..=INSTANCES).map(|n| hex_id("i", n)).collect();
    let (seen, pages) = all_pages!(ec2.describe_instances().into_paginator());
    assert_each_once("DescribeInstances", &seen, &instance_ids);
    assert_eq!(pages, 2);

    let tag_keys = ec2.describe_tags().send().await.unwrap().ids();
    let (seen, pages) = all_pages!(ec2.describe_tags().into_paginator());
    assert_each_once("DescribeTags", &seen, &tag_keys);
    assert_eq!(pages, tag_keys.len().div_ceil(PAGE as usize));
}
