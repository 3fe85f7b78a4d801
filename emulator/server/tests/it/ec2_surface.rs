//! The EC2 calls discovery tools make, over HTTP with a role session in 333333333333: each
//! action's members, filters, paging, DryRun and unknown-id errors.

use rolecall_test_support::*;

const ROLE_333: &str = "arn:aws:iam::333333333333:role/OrganizationAccountAccessRole";

/// The default scenario's accounts; 333333333333's us-east-1 inventory follows.
const HEADER: &str = r#"
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
    ec2:
      us-east-1:
"#;

/// A richer 333333333333 in us-east-1.
const SCENARIO: &str = r#"
        vpcs:
          - { id: vpc-0aaa0000000000001, cidr_block: 10.0.0.0/16, tags: { Name: prod } }
        subnets:
          - { id: subnet-0aaa0000000000001, vpc_id: vpc-0aaa0000000000001, cidr_block: 10.0.1.0/24, availability_zone: us-east-1b, tags: { Name: prod-b } }
        security_groups:
          - id: sg-0aaa0000000000001
            name: web
            vpc_id: vpc-0aaa0000000000001
            description: web servers
            ingress: [{ protocol: tcp, from_port: 443, cidr: 0.0.0.0/0 }]
        instances:
          - { id: i-0aaa0000000000001, subnet_id: subnet-0aaa0000000000001, security_groups: [sg-0aaa0000000000001], key_name: ops, tags: { Name: web-1 } }
          - { id: i-0aaa0000000000002, tags: { Name: default-1 } }
          - { id: i-0aaa0000000000003, state: terminated }
        volumes:
          - { id: vol-0aaa0000000000001, size: 100, attached_to: i-0aaa0000000000001, tags: { Name: data } }
          - { id: vol-0aaa0000000000002, type: gp2, size: 50 }
        images:
          - { id: ami-0aaa0000000000001, name: golden-web-2025, tags: { Role: web } }
        key_pairs:
          - { name: ops }
          - { name: deploy, type: ed25519 }
        addresses:
          - { public_ip: 203.0.113.10, instance_id: i-0aaa0000000000002, tags: { Name: api-eip } }
          - { public_ip: 203.0.113.11 }
"#;

/// A role session in 333333333333, calling EC2 in us-east-1.
struct Session {
    server: TestServer,
    keys: Keys,
}

/// A session in the surface scenario.
fn setup() -> Session {
    session_in(SCENARIO)
}

/// A session in the scenario whose 333333333333 has `inventory` in us-east-1.
fn session_in(inventory: &str) -> Session {
    let scenario = format!("{HEADER}{}", inventory.trim_start_matches('\n'));
    let world = rolecall_model::scenario::load_str(&scenario, "surface.yaml").unwrap();
    let server = TestServer::start(world);
    let (r, keys) = assume_role(&server, &Keys::discovery(), ROLE_333, "discovery", &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    Session {
        server,
        keys: keys.unwrap(),
    }
}

impl Session {
    fn call(&self, action: &str, extra: &[(&str, &str)]) -> Response {
        self.server.ec2("us-east-1", &self.keys, action, extra)
    }

    /// A successful answer.
    fn ok(&self, action: &str, extra: &[(&str, &str)]) -> Response {
        let r = self.call(action, extra);
        assert_eq!(r.status, 200, "{action}: {}", r.body);
        r
    }

    /// Every id across pages of `size`, asserting each page holds at most `size`.
    fn all_pages(&self, action: &str, id: &str, size: &str) -> Vec<String> {
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut extra = vec![("MaxResults", size)];
            if let Some(t) = &token {
                extra.push(("NextToken", t.as_str()));
            }
            let r = self.ok(action, &extra);
            let page = r.xml_all(id);
            assert!(page.len() <= size.parse().unwrap(), "{}", r.body);
            seen.extend(page);
            token = r.xml("nextToken");
            if token.is_none() {
                return seen;
            }
        }
    }
}

/// One filter: `Filter.1.Name` and its one value.
fn filter<'a>(name: &'a str, value: &'a str) -> [(&'a str, &'a str); 2] {
    [("Filter.1.Name", name), ("Filter.1.Value.1", value)]
}

#[test]
fn vpcs_default_and_declared_with_filters_and_ids() {
    let ec2 = setup();
    let r = ec2.ok("DescribeVpcs", &[]);
    assert!(r.body.contains(
        "<DescribeVpcsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>"
    ));
    assert_eq!(r.xml_all("cidrBlock").len(), 4, "{}", r.body); // two VPCs, each block twice
    let default = ec2.ok("DescribeVpcs", &filter("is-default", "true"));
    assert_eq!(default.xml("cidrBlock").unwrap(), "172.31.0.0/16");
    assert_eq!(default.xml("isDefault").unwrap(), "true");
    assert_eq!(default.xml("ownerId").unwrap(), "333333333333");
    assert!(default.xml("vpcId").unwrap().starts_with("vpc-"));
    assert!(!default.body.contains("<tagSet>"));
    let tagged = ec2.ok("DescribeVpcs", &filter("tag:Name", "pr*"));
    assert_eq!(tagged.xml_all("vpcId"), vec!["vpc-0aaa0000000000001"]);
    let missing = ec2.call("DescribeVpcs", &[("VpcId.1", "vpc-0bbb0000000000009")]);
    assert_error(
        &missing,
        400,
        "InvalidVpcID.NotFound",
        "The vpc ID 'vpc-0bbb0000000000009' does not exist",
    );
    let bad_filter = ec2.call("DescribeVpcs", &filter("colour", "x"));
    assert_error(
        &bad_filter,
        400,
        "InvalidParameterValue",
        "The filter 'colour' is invalid",
    );
}

#[test]
fn subnets_one_default_per_zone_plus_declared() {
    let ec2 = setup();
    let defaults = ec2.ok("DescribeSubnets", &filter("default-for-az", "true"));
    assert_eq!(defaults.xml_all("subnetId").len(), 6);
    let mut zones = defaults.xml_all("availabilityZone");
    zones.sort();
    assert_eq!(
        zones,
        ["a", "b", "c", "d", "e", "f"].map(|l| format!("us-east-1{l}"))
    );
    assert!(defaults
        .xml_all("cidrBlock")
        .contains(&"172.31.0.0/20".to_string()));
    let declared = ec2.ok(
        "DescribeSubnets",
        &[("SubnetId.1", "subnet-0aaa0000000000001")],
    );
    assert_eq!(declared.xml("availabilityZoneId").unwrap(), "use1-az2");
    assert_eq!(declared.xml("vpcId").unwrap(), "vpc-0aaa0000000000001");
    // A /24 holds 256, less 5 reserved, less web-1's interface.
    assert_eq!(declared.xml("availableIpAddressCount").unwrap(), "250");
    assert_eq!(
        declared.xml("subnetArn").unwrap(),
        "arn:aws:ec2:us-east-1:333333333333:subnet/subnet-0aaa0000000000001"
    );
    let missing = ec2.call(
        "DescribeSubnets",
        &[("SubnetId.1", "subnet-0bbb0000000000009")],
    );
    assert_eq!(error(&missing).1, "InvalidSubnetID.NotFound");
    assert_eq!(
        error(&missing).2,
        "The subnet ID 'subnet-0bbb0000000000009' does not exist"
    );
    let pages = ec2.all_pages("DescribeSubnets", "subnetId", "5");
    let mut unique = pages.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((pages.len(), unique.len()), (7, 7));
}

#[test]
fn security_groups_default_per_vpc_by_id_name_and_filters() {
    let ec2 = setup();
    let all = ec2.ok("DescribeSecurityGroups", &[]);
    assert_eq!(
        all.xml_all("groupName")
            .iter()
            .filter(|n| *n == "default")
            .count(),
        2
    );
    let default = ec2.ok("DescribeSecurityGroups", &[("GroupName.1", "default")]);
    assert_eq!(
        default.xml("groupDescription").unwrap(),
        "default VPC security group"
    );
    assert_eq!(default.xml("ipProtocol").unwrap(), "-1");
    let web = ec2.ok(
        "DescribeSecurityGroups",
        &filter("ip-permission.from-port", "443"),
    );
    assert_eq!(web.xml_all("groupId"), vec!["sg-0aaa0000000000001"]);
    assert_eq!(web.xml("cidrIp").unwrap(), "0.0.0.0/0");
    let by_name = ec2.call("DescribeSecurityGroups", &[("GroupName.1", "web")]);
    let (status, code, message) = error(&by_name);
    assert_eq!((status, code.as_str()), (400, "InvalidGroup.NotFound"));
    assert!(
        message.starts_with("The security group 'web' does not exist in default VPC 'vpc-"),
        "{message}"
    );
    let by_id = ec2.call(
        "DescribeSecurityGroups",
        &[("GroupId.1", "sg-0bbb0000000000009")],
    );
    assert_eq!(
        error(&by_id).2,
        "The security group 'sg-0bbb0000000000009' does not exist"
    );
}

#[test]
fn instances_carry_their_groups_interface_and_root_volume() {
    let ec2 = setup();
    let r = ec2.ok(
        "DescribeInstances",
        &[("InstanceId.1", "i-0aaa0000000000001")],
    );
    assert!(
        r.xml_all("groupName").contains(&"web".to_string()),
        "{}",
        r.body
    );
    assert_eq!(r.xml("privateIpAddress").unwrap(), "10.0.1.10");
    assert!(r.xml("volumeId").unwrap().starts_with("vol-"));
    assert!(r.xml("networkInterfaceId").unwrap().starts_with("eni-"));
    assert!(r.xml("launchTime").unwrap().ends_with(".000Z"));
    let eip = ec2.ok(
        "DescribeInstances",
        &[("InstanceId.1", "i-0aaa0000000000002")],
    );
    assert_eq!(eip.xml("ipAddress").unwrap(), "203.0.113.10");
}

/// EC2 API reference, InstanceBlockDeviceMapping: an instance lists every attached volume, the
/// root volume first here, then declared ones by device.
#[test]
fn an_instance_maps_its_root_volume_and_the_volumes_attached_to_it() {
    let ec2 = setup();
    let web = ec2.ok(
        "DescribeInstances",
        &[("InstanceId.1", "i-0aaa0000000000001")],
    );
    assert_eq!(web.xml_all("deviceName"), vec!["/dev/xvda", "/dev/sdf"]);
    let volumes = web.xml_all("volumeId");
    assert!(volumes[0].starts_with("vol-"), "{}", web.body);
    assert_eq!(volumes[1], "vol-0aaa0000000000001");
    // The interface's attachment, written after the block devices, has one too.
    assert_eq!(
        web.xml_all("deleteOnTermination")[..2],
        ["true".to_string(), "false".to_string()]
    );
    let plain = ec2.ok(
        "DescribeInstances",
        &[("InstanceId.1", "i-0aaa0000000000002")],
    );
    assert_eq!(plain.xml_all("deviceName"), vec!["/dev/xvda"]);
}

#[test]
fn network_interfaces_one_per_live_instance() {
    let ec2 = setup();
    let r = ec2.ok("DescribeNetworkInterfaces", &[]);
    let mut owners = r.xml_all("instanceId");
    owners.sort();
    assert_eq!(owners, vec!["i-0aaa0000000000001", "i-0aaa0000000000002"]);
    let web = ec2.ok(
        "DescribeNetworkInterfaces",
        &filter("attachment.instance-id", "i-0aaa0000000000001"),
    );
    assert_eq!(web.xml("subnetId").unwrap(), "subnet-0aaa0000000000001");
    assert_eq!(web.xml("groupId").unwrap(), "sg-0aaa0000000000001");
    assert_eq!(web.xml("interfaceType").unwrap(), "interface");
    let public = ec2.ok(
        "DescribeNetworkInterfaces",
        &filter("association.public-ip", "203.0.113.10"),
    );
    assert_eq!(public.xml("instanceId").unwrap(), "i-0aaa0000000000002");
    // Every name the EC2 API reference documents is accepted; each matches what the answer
    // shows, and one about what these interfaces never have (zone ids) none. The public
    // address is an Elastic IP, so its owner is the account, not Amazon's pool.
    for (name, value, count) in [
        ("addresses.association.public-ip", "203.0.113.10", 1),
        ("association.ip-owner-id", "333333333333", 1),
        ("association.ip-owner-id", "amazon", 0),
        ("attachment.attach-time", "20*", 2),
        ("association.allocation-id", "eipalloc-*", 1),
        ("association.association-id", "eipassoc-*", 1),
        (
            "association.public-dns-name",
            "ec2-203-0-113-10.compute-1.amazonaws.com",
            1,
        ),
        ("availability-zone-id", "*", 0),
    ] {
        let r = ec2.ok("DescribeNetworkInterfaces", &filter(name, value));
        assert_eq!(
            r.xml_all("networkInterfaceId").len(),
            count,
            "{name}: {}",
            r.body
        );
    }
    let missing = ec2.call(
        "DescribeNetworkInterfaces",
        &[("NetworkInterfaceId.1", "eni-0bbb0000000000009")],
    );
    assert_error(
        &missing,
        400,
        "InvalidNetworkInterfaceID.NotFound",
        "The networkInterface ID 'eni-0bbb0000000000009' does not exist",
    );
}

#[test]
fn volumes_declared_and_root_volumes_with_paging_rules() {
    let ec2 = setup();
    let r = ec2.ok("DescribeVolumes", &[]);
    // Two root volumes (the terminated instance's is gone) and two declared ones.
    let mut volumes = r.xml_all("volumeId");
    volumes.dedup();
    assert_eq!(volumes.len(), 4, "{}", r.body);
    let data = ec2.ok(
        "DescribeVolumes",
        &[("VolumeId.1", "vol-0aaa0000000000001")],
    );
    assert_eq!(data.xml("status").unwrap(), "in-use");
    assert_eq!(data.xml("device").unwrap(), "/dev/sdf");
    assert_eq!(data.xml("size").unwrap(), "100");
    assert_eq!(data.xml("throughput").unwrap(), "125");
    let free = ec2.ok("DescribeVolumes", &filter("status", "available"));
    assert_eq!(free.xml_all("volumeId"), vec!["vol-0aaa0000000000002"]);
    assert_eq!(free.xml("iops").unwrap(), "150");
    let missing = ec2.call(
        "DescribeVolumes",
        &[("VolumeId.1", "vol-0bbb0000000000009")],
    );
    assert_error(
        &missing,
        400,
        "InvalidVolume.NotFound",
        "The volume 'vol-0bbb0000000000009' does not exist.",
    );
    let both = ec2.call(
        "DescribeVolumes",
        &[("VolumeId.1", "vol-0aaa0000000000001"), ("MaxResults", "5")],
    );
    assert_eq!(error(&both).1, "InvalidParameterCombination");
    let small = ec2.call("DescribeVolumes", &[("MaxResults", "4")]);
    assert_eq!(
        error(&small).2,
        "Value ( 4 ) for parameter maxResults is invalid. Expecting a value greater than 5."
    );
    // Above 1000, DescribeVolumes returns at most 1000 instead of failing.
    ec2.ok("DescribeVolumes", &[("MaxResults", "5000")]);
}

/// Every DescribeInstances filter the EC2 API reference documents is accepted; each matches
/// as the value the answer shows would, and one about something the emulated instances never
/// have (Spot, Dedicated Hosts) matches none.
#[test]
fn describe_instances_answers_the_documented_filters_from_what_it_shows() {
    let ec2 = setup();
    let web = "i-0aaa0000000000001";
    let plain = "i-0aaa0000000000002";
    let gone = "i-0aaa0000000000003";
    let eni_of_plain = ec2
        .ok("DescribeInstances", &[("InstanceId.1", plain)])
        .xml("networkInterfaceId")
        .unwrap();
    let launch_day = ec2
        .ok("DescribeInstances", &[("InstanceId.1", web)])
        .xml("launchTime")
        .unwrap()[..10]
        .to_string();
    let launched_that_day = format!("{launch_day}*");
    let cases: &[(&str, &str, &[&str])] = &[
        ("instance.group-id", "sg-0aaa0000000000001", &[web]),
        ("instance.group-name", "web", &[web]),
        (
            "block-device-mapping.volume-id",
            "vol-0aaa0000000000001",
            &[web],
        ),
        ("block-device-mapping.device-name", "/dev/sdf", &[web]),
        (
            "block-device-mapping.device-name",
            "/dev/xvda",
            &[web, plain],
        ),
        (
            "block-device-mapping.delete-on-termination",
            "false",
            &[web],
        ),
        ("block-device-mapping.status", "attached", &[web, plain]),
        ("launch-time", &launched_that_day, &[web, plain, gone]),
        ("architecture", "x86_64", &[web, plain, gone]),
        ("root-device-type", "ebs", &[web, plain, gone]),
        ("root-device-name", "/dev/xvda", &[web, plain, gone]),
        ("virtualization-type", "hvm", &[web, plain, gone]),
        ("tenancy", "default", &[web, plain, gone]),
        ("platform-details", "Linux/UNIX", &[web, plain, gone]),
        ("usage-operation", "RunInstances", &[web, plain, gone]),
        (
            "usage-operation-update-time",
            &launched_that_day,
            &[web, plain, gone],
        ),
        ("ena-support", "true", &[web, plain, gone]),
        (
            "capacity-reservation-specification.capacity-reservation-preference",
            "open",
            &[web, plain, gone],
        ),
        ("hibernation-options.configured", "true", &[]),
        (
            "maintenance-options.auto-recovery",
            "default",
            &[web, plain, gone],
        ),
        (
            "private-dns-name-options.hostname-type",
            "ip-name",
            &[web, plain, gone],
        ),
        ("monitoring-state", "disabled", &[web, plain, gone]),
        ("state-reason-code", "Client.UserInitiatedShutdown", &[gone]),
        (
            "network-interface.network-interface-id",
            &eni_of_plain,
            &[plain],
        ),
        (
            "network-interface.subnet-id",
            "subnet-0aaa0000000000001",
            &[web],
        ),
        ("network-interface.group-name", "web", &[web]),
        (
            "network-interface.association.public-ip",
            "203.0.113.10",
            &[plain],
        ),
        (
            "network-interface.attachment.device-index",
            "0",
            &[web, plain],
        ),
        ("tag-value", "web-1", &[web]),
        // The terminated instance's answer shows no placement, so these pass it by.
        ("vpc-id", "vpc-0aaa0000000000001", &[web]),
        ("private-dns-name", "", &[gone]),
        (
            "network-interface.attachment.attach-time",
            &launched_that_day,
            &[web, plain],
        ),
        (
            "network-interface.addresses.association.public-ip",
            "203.0.113.10",
            &[plain],
        ),
        ("spot-instance-request-id", "*", &[]),
        ("affinity", "host", &[]),
    ];
    for (name, value, expected) in cases {
        let r = ec2.ok("DescribeInstances", &filter(name, value));
        let mut ids = r.xml_all("instanceId");
        ids.sort();
        assert_eq!(ids, *expected, "{name}={value}");
    }
    for bogus in ["instance-colour", "network-interface.colour"] {
        let r = ec2.call("DescribeInstances", &filter(bogus, "x"));
        assert_error(
            &r,
            400,
            "InvalidParameterValue",
            &format!("The filter '{bogus}' is invalid"),
        );
    }
}

/// A root volume is what EC2 makes at launch: 8 GiB of gp3 at its baseline, in the instance's
/// zone, created and attached at launch at /dev/xvda, deleted with the instance.
#[test]
fn a_root_volume_reads_its_zone_times_and_attachment_from_its_instance() {
    let ec2 = setup();
    let instance = ec2.ok(
        "DescribeInstances",
        &[("InstanceId.1", "i-0aaa0000000000002")],
    );
    let root = ec2.ok(
        "DescribeVolumes",
        &filter("attachment.instance-id", "i-0aaa0000000000002"),
    );
    assert_eq!(root.xml_all("volumeId").len(), 2, "{}", root.body); // volume and attachment
    assert_eq!(root.xml("volumeId"), instance.xml("volumeId"));
    assert_eq!(root.xml("size").unwrap(), "8");
    assert_eq!(root.xml("volumeType").unwrap(), "gp3");
    assert_eq!(root.xml("iops").unwrap(), "3000");
    assert_eq!(root.xml("throughput").unwrap(), "125");
    assert_eq!(root.xml("encrypted").unwrap(), "false");
    assert_eq!(root.xml("status").unwrap(), "in-use");
    assert_eq!(root.xml("device").unwrap(), "/dev/xvda");
    assert_eq!(root.xml("deleteOnTermination").unwrap(), "true");
    assert!(root.xml("snapshotId").unwrap().starts_with("snap-"));
    assert_eq!(
        root.xml("availabilityZone"),
        instance.xml("availabilityZone")
    );
    assert_eq!(root.xml("createTime"), instance.xml("launchTime"));
    assert_eq!(root.xml("attachTime"), instance.xml("launchTime"));
    let by_device = ec2.ok("DescribeVolumes", &filter("attachment.device", "/dev/xvda"));
    assert_eq!(by_device.xml_all("device").len(), 2, "{}", by_device.body);
}

#[test]
fn images_are_the_accounts_own_only() {
    let ec2 = setup();
    for extra in [
        vec![],
        vec![("Owner.1", "self")],
        vec![("Owner.1", "333333333333")],
    ] {
        let r = ec2.ok("DescribeImages", &extra);
        assert_eq!(r.xml_all("imageId"), vec!["ami-0aaa0000000000001"]);
        assert_eq!(
            r.xml("imageLocation").unwrap(),
            "333333333333/golden-web-2025"
        );
        assert_eq!(r.xml("isPublic").unwrap(), "false");
    }
    let amazon = ec2.ok("DescribeImages", &[("Owner.1", "amazon")]);
    assert!(amazon.xml_all("imageId").is_empty());
    assert!(amazon.body.contains("<imagesSet></imagesSet>"));
    let missing = ec2.call("DescribeImages", &[("ImageId.1", "ami-0bbb0000000000009")]);
    assert_error(
        &missing,
        400,
        "InvalidAMIID.NotFound",
        "The image id '[ami-0bbb0000000000009]' does not exist",
    );
    let both = ec2.call(
        "DescribeImages",
        &[("ImageId.1", "ami-0aaa0000000000001"), ("MaxResults", "5")],
    );
    assert_error(
        &both,
        400,
        "InvalidParameterCombination",
        "The parameter imageIdsSet cannot be used with the parameter maxResults",
    );
}

#[test]
fn key_pairs_by_name_and_not_found() {
    let ec2 = setup();
    let r = ec2.ok("DescribeKeyPairs", &[]);
    assert_eq!(r.xml_all("keyName"), vec!["deploy", "ops"]);
    assert_eq!(r.xml_all("keyType"), vec!["ed25519", "rsa"]);
    assert_eq!(r.xml_all("keyFingerprint")[1].matches(':').count(), 19);
    let missing = ec2.call("DescribeKeyPairs", &[("KeyName.1", "nope")]);
    assert_error(
        &missing,
        400,
        "InvalidKeyPair.NotFound",
        "The key pair 'nope' does not exist",
    );
    let id = r.xml_all("keyPairId")[0].clone();
    let by_id = ec2.ok("DescribeKeyPairs", &[("KeyPairId.1", &id)]);
    assert_eq!(by_id.xml_all("keyName"), vec!["deploy"]);
}

#[test]
fn addresses_and_their_associations() {
    let ec2 = setup();
    let r = ec2.ok("DescribeAddresses", &[]);
    let mut ips = r.xml_all("publicIp");
    ips.sort();
    assert_eq!(ips, vec!["203.0.113.10", "203.0.113.11"]);
    let bound = ec2.ok("DescribeAddresses", &[("PublicIp.1", "203.0.113.10")]);
    assert_eq!(bound.xml("instanceId").unwrap(), "i-0aaa0000000000002");
    assert_eq!(bound.xml("domain").unwrap(), "vpc");
    assert!(bound.xml("associationId").unwrap().starts_with("eipassoc-"));
    let missing = ec2.call(
        "DescribeAddresses",
        &[("AllocationId.1", "eipalloc-0bbb0000000000009")],
    );
    assert_error(
        &missing,
        400,
        "InvalidAllocationID.NotFound",
        "The allocation ID 'eipalloc-0bbb0000000000009' does not exist",
    );
}

#[test]
fn availability_zones_of_the_request_region() {
    let ec2 = setup();
    let r = ec2.ok("DescribeAvailabilityZones", &[("ZoneName.1", "us-east-1c")]);
    assert_eq!(r.xml("zoneId").unwrap(), "use1-az3");
    assert_eq!(r.xml("zoneState").unwrap(), "available");
    assert_eq!(r.xml("regionName").unwrap(), "us-east-1");
    assert_eq!(r.xml("zoneType").unwrap(), "availability-zone");
    assert_eq!(r.xml("optInStatus").unwrap(), "opt-in-not-required");
    let bad = ec2.call("DescribeAvailabilityZones", &[("ZoneName.1", "us-east-1z")]);
    assert_error(
        &bad,
        400,
        "InvalidParameterValue",
        "Invalid availability zone: [us-east-1z]",
    );
}

#[test]
fn tags_of_every_resource_paged_once_each() {
    let ec2 = setup();
    let all = ec2.ok("DescribeTags", &[]);
    let types = all.xml_all("resourceType");
    for t in ["vpc", "subnet", "instance", "volume", "image", "elastic-ip"] {
        assert!(types.contains(&t.to_string()), "{t}: {}", all.body);
    }
    let every = all.xml_all("resourceId");
    let paged = ec2.all_pages("DescribeTags", "resourceId", "5");
    assert_eq!(paged, every);
    let names = ec2.ok(
        "DescribeTags",
        &[
            ("Filter.1.Name", "resource-type"),
            ("Filter.1.Value.1", "instance"),
            ("Filter.2.Name", "key"),
            ("Filter.2.Value.1", "Name"),
        ],
    );
    assert_eq!(names.xml_all("value"), vec!["web-1", "default-1"]);
}

#[test]
fn every_action_honours_dry_run_both_ways() {
    let ec2 = setup();
    let actions = [
        "DescribeAddresses",
        "DescribeAvailabilityZones",
        "DescribeImages",
        "DescribeInstances",
        "DescribeKeyPairs",
        "DescribeNetworkInterfaces",
        "DescribeRegions",
        "DescribeSecurityGroups",
        "DescribeSubnets",
        "DescribeTags",
        "DescribeVolumes",
        "DescribeVpcs",
    ];
    for action in actions {
        let allowed = ec2.call(action, &[("DryRun", "true")]);
        assert_eq!(
            error(&allowed),
            (
                412,
                "DryRunOperation".into(),
                "Request would have succeeded, but DryRun flag is set.".into()
            ),
            "{action}"
        );
        let denied = ec2.server.ec2(
            "us-east-1",
            &Keys::discovery(),
            action,
            &[("DryRun", "true")],
        );
        let (status, code, message) = error(&denied);
        assert_eq!(
            (status, code.as_str()),
            (403, "UnauthorizedOperation"),
            "{action}"
        );
        assert!(
            message.ends_with(&format!(
                "because no identity-based policy allows the ec2:{action} action"
            )),
            "{message}"
        );
    }
}

#[test]
fn paging_returns_every_item_exactly_once() {
    let mut yaml = String::from(SCENARIO);
    yaml = yaml.replace("        instances:\n", &{
        let mut more = String::from("        instances:\n");
        for n in 0..23 {
            more.push_str(&format!("          - {{ id: i-0ccc00000000000{n:02} }}\n"));
        }
        more
    });
    let ec2 = session_in(&yaml);
    let instances = ec2.all_pages("DescribeInstances", "instanceId", "7");
    assert_eq!(instances.len(), 26);
    let mut sorted = instances.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, instances);
    let enis = ec2.all_pages("DescribeNetworkInterfaces", "networkInterfaceId", "5");
    assert_eq!(enis.len(), 25);
    let foreign = ec2.call("DescribeVpcs", &[("NextToken", "bm90LWEtdG9rZW4")]);
    assert_eq!(error(&foreign).1, "InvalidParameterValue");
}

/// Instances with public addresses: one launched with it in the default VPC (which gives DNS
/// hostnames), one in a VPC that gives none, a stopped one holding an Elastic IP, and a pending
/// one, whose public DNS name is not given until it runs.
const PUBLIC: &str = r#"
        vpcs:
          - { id: vpc-0ccc0000000000001, cidr_block: 10.2.0.0/16 }
        subnets:
          - { id: subnet-0ccc0000000000001, vpc_id: vpc-0ccc0000000000001, cidr_block: 10.2.1.0/24 }
        instances:
          - { id: i-0ccc0000000000001, public_ip: 198.51.100.7 }
          - { id: i-0ccc0000000000002, subnet_id: subnet-0ccc0000000000001, public_ip: 198.51.100.8 }
          - { id: i-0ccc0000000000003, state: stopped }
          - { id: i-0ccc0000000000004, state: pending, public_ip: 198.51.100.9 }
        addresses:
          - { public_ip: 203.0.113.20, instance_id: i-0ccc0000000000003 }
"#;

#[test]
fn public_addresses_their_dns_names_and_owners() {
    let ec2 = session_in(PUBLIC);
    let instance = |id: &str| ec2.ok("DescribeInstances", &[("InstanceId.1", id)]);

    // Launched with an address from Amazon's pool, in a VPC with DNS hostnames: the instance,
    // its interface and its primary private address each show it (EC2 API reference,
    // Instance, InstanceNetworkInterface, InstancePrivateIpAddress).
    let own = instance("i-0ccc0000000000001");
    let dns = "ec2-198-51-100-7.compute-1.amazonaws.com";
    assert_eq!(own.xml("dnsName").unwrap(), dns);
    assert_eq!(own.xml("ipAddress").unwrap(), "198.51.100.7");
    assert_eq!(own.xml_all("publicIp"), vec!["198.51.100.7"; 2]);
    assert_eq!(own.xml_all("publicDnsName"), vec![dns; 2]);
    assert_eq!(own.xml_all("ipOwnerId"), vec!["amazon"; 2]);
    assert_eq!(own.xml("primary").unwrap(), "true");

    // A VPC made without DNS hostnames gives no public DNS name.
    let bare = instance("i-0ccc0000000000002");
    assert_eq!(bare.xml("dnsName").unwrap(), "");
    assert_eq!(bare.xml_all("publicDnsName"), vec![""; 2]);
    assert_eq!(bare.xml("ipOwnerId").unwrap(), "amazon");

    // A stopped instance keeps its Elastic IP; the account owns the address. The instance's
    // association has no allocation members; the interface's does.
    let eip = instance("i-0ccc0000000000003");
    assert_eq!(eip.xml("ipAddress").unwrap(), "203.0.113.20");
    assert_eq!(
        eip.xml("dnsName").unwrap(),
        "ec2-203-0-113-20.compute-1.amazonaws.com"
    );
    assert_eq!(eip.xml_all("ipOwnerId"), vec!["333333333333"; 2]);
    assert_eq!(eip.xml("allocationId"), None);
    let address = ec2.ok("DescribeAddresses", &[("PublicIp.1", "203.0.113.20")]);
    let interface = ec2.ok(
        "DescribeNetworkInterfaces",
        &filter("attachment.instance-id", "i-0ccc0000000000003"),
    );
    assert_eq!(interface.xml_all("ipOwnerId"), vec!["333333333333"; 2]);
    assert_eq!(
        interface.xml_all("allocationId"),
        vec![address.xml("allocationId").unwrap(); 2]
    );
    assert_eq!(
        interface.xml_all("associationId"),
        vec![address.xml("associationId").unwrap(); 2]
    );

    // Not until it runs (EC2 API reference, Instance publicDnsName).
    let pending = instance("i-0ccc0000000000004");
    assert_eq!(pending.xml("ipAddress").unwrap(), "198.51.100.9");
    assert_eq!(pending.xml("dnsName").unwrap(), "");

    // The filters read the same values.
    let allocation = address.xml("allocationId").unwrap();
    let cases: &[(&str, &str, &[&str])] = &[
        ("dns-name", dns, &["i-0ccc0000000000001"]),
        (
            "network-interface.addresses.association.ip-owner-id",
            "333333333333",
            &["i-0ccc0000000000003"],
        ),
        (
            "network-interface.association.ip-owner-id",
            "amazon",
            &[
                "i-0ccc0000000000001",
                "i-0ccc0000000000002",
                "i-0ccc0000000000004",
            ],
        ),
        (
            "network-interface.association.allocation-id",
            &allocation,
            &["i-0ccc0000000000003"],
        ),
        (
            "network-interface.public-dns-name",
            "ec2-*",
            &["i-0ccc0000000000001", "i-0ccc0000000000003"],
        ),
    ];
    for (name, value, expected) in cases {
        let r = ec2.ok("DescribeInstances", &filter(name, value));
        let mut ids = r.xml_all("instanceId");
        ids.sort();
        assert_eq!(ids, *expected, "{name}={value}");
    }
}

/// The launch options every emulated instance has, as AWS writes them for an instance launched
/// with its defaults from a Linux image (EC2 API reference, Instance).
#[test]
fn instances_show_their_launch_options() {
    let ec2 = setup();
    let r = ec2.ok(
        "DescribeInstances",
        &[("InstanceId.1", "i-0aaa0000000000001")],
    );
    for (member, value) in [
        ("enaSupport", "true"),
        ("capacityReservationPreference", "open"),
        ("configured", "false"),
        ("enabled", "false"),
        ("platformDetails", "Linux/UNIX"),
        ("usageOperation", "RunInstances"),
        ("hostnameType", "ip-name"),
        ("enableResourceNameDnsARecord", "false"),
        ("enableResourceNameDnsAAAARecord", "false"),
        ("autoRecovery", "default"),
    ] {
        assert_eq!(r.xml(member).as_deref(), Some(value), "{member}");
    }
    assert_eq!(r.xml("usageOperationUpdateTime"), r.xml("launchTime"));
}

/// An instance has its image's architecture; the emulator's own images are x86_64.
#[test]
fn instances_have_their_images_architecture() {
    let ec2 = session_in(
        r#"
        images:
          - { id: ami-0ddd0000000000001, name: graviton-base, architecture: arm64 }
        instances:
          - { id: i-0ddd0000000000001, type: t4g.micro, image_id: ami-0ddd0000000000001 }
          - { id: i-0ddd0000000000002 }
"#,
    );
    for (architecture, expected) in [
        ("arm64", vec!["i-0ddd0000000000001"]),
        ("x86_64", vec!["i-0ddd0000000000002"]),
    ] {
        let r = ec2.ok("DescribeInstances", &filter("architecture", architecture));
        assert_eq!(r.xml_all("instanceId"), expected, "{architecture}");
        assert_eq!(r.xml("architecture").as_deref(), Some(architecture));
    }
}
