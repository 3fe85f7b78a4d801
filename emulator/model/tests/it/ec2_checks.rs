//! Scenario checks for the EC2 inventory: bad ids and broken references are reported at their
//! line and column.

#[test]
fn broken_references_are_reported_where_they_are_written() {
    let text = concat!(
        "accounts:\n",
        "  - id: \"333333333333\"\n",
        "    ec2:\n",
        "      us-east-1:\n",
        "        subnets:\n",
        "          - { id: subnet-0aaa0000000000001, vpc_id: vpc-0bbb0000000000009, cidr_block: 10.0.0.0/24 }\n",
        "        instances:\n",
        "          - { id: i-0aaa0000000000001, subnet_id: subnet-0ccc0000000000009 }\n",
        "          - { id: web-1 }\n",
        "          - { id: i-0aaa0000000000002, availability_zone: us-east-1z }\n",
        "        volumes:\n",
        "          - { id: vol-0aaa0000000000001, attached_to: i-0ddd0000000000009 }\n",
        "        addresses:\n",
        "          - { public_ip: 203.0.113.300 }\n",
    );
    let e = rolecall_model::scenario::load_str(text, "s.yaml")
        .unwrap_err()
        .to_string();
    for expected in [
        "s.yaml:6:53: no VPC 'vpc-0bbb0000000000009' in us-east-1",
        "s.yaml:8:51: no subnet 'subnet-0ccc0000000000009' in us-east-1",
        "s.yaml:9:19: 'web-1' is not a valid instance id",
        "s.yaml:10:59: 'us-east-1z' is not an Availability Zone of us-east-1",
        "s.yaml:12:55: no instance 'i-0ddd0000000000009' in us-east-1",
        "s.yaml:14:26: '203.0.113.300' is not an IPv4 address",
    ] {
        assert!(e.contains(expected), "missing {expected:?} in:\n{e}");
    }
}

/// A public address is an IPv4 address one machine of the region holds, and a stopped or
/// terminated instance holds none from launch (AWS releases it; an Elastic IP stays).
#[test]
fn public_addresses_are_checked_where_they_are_written() {
    let text = concat!(
        "accounts:\n",
        "  - id: \"333333333333\"\n",
        "    ec2:\n",
        "      us-east-1:\n",
        "        instances:\n",
        "          - { id: i-0aaa0000000000001, public_ip: 198.51.100.300 }\n",
        "          - { id: i-0aaa0000000000002, state: stopped, public_ip: 198.51.100.2 }\n",
        "          - { id: i-0aaa0000000000003, public_ip: 198.51.100.3 }\n",
        "          - { id: i-0aaa0000000000004, public_ip: 198.51.100.3 }\n",
        "          - { id: i-0aaa0000000000005, state: stopped }\n",
        "        addresses:\n",
        "          - { public_ip: 203.0.113.1, instance_id: i-0aaa0000000000003 }\n",
        "          - { public_ip: 198.51.100.3 }\n",
        "          - { public_ip: 203.0.113.5, instance_id: i-0aaa0000000000005 }\n",
    );
    let e = rolecall_model::scenario::load_str(text, "s.yaml")
        .unwrap_err()
        .to_string();
    for expected in [
        "s.yaml:6:51: '198.51.100.300' is not an IPv4 address",
        "s.yaml:7:67: a stopped instance has no public address from launch (AWS releases it); associate an Elastic IP under addresses to keep one",
        "s.yaml:9:51: the public address 198.51.100.3 is given to two instances in us-east-1",
        "s.yaml:12:52: instance i-0aaa0000000000003 already has the public address 198.51.100.3; an Elastic IP would replace it, so give it one or the other",
        "s.yaml:13:26: the address 198.51.100.3 is declared twice in us-east-1",
    ] {
        assert!(e.contains(expected), "missing {expected:?} in:\n{e}");
    }
    // The stopped instance's Elastic IP is fine.
    assert!(!e.contains("s.yaml:14"), "{e}");
}

/// A scenario of `accounts` members with `instances` instances each in us-east-1, as text; the
/// instance ids encode the account and the instance number.
fn many_accounts(accounts: usize, instances: usize) -> String {
    let mut text = String::from("accounts:\n");
    for a in 0..accounts {
        text.push_str(&format!(
            "  - id: \"{:012}\"\n    ec2:\n      us-east-1:\n        instances:\n",
            200_000_000_000u64 + a as u64
        ));
        for n in 0..instances {
            text.push_str(&format!("          - {{ id: i-{a:06x}{n:011x} }}\n"));
        }
    }
    text
}

// Files this large are read while other threads already build the inventories (see
// `scenario::pipeline`); the result must be the same as building them afterwards.
#[test]
fn a_large_scenario_builds_every_account_inventory() {
    let text = many_accounts(200, 50);
    assert!(
        text.len() > 300 * 1024,
        "large enough for the pipelined load"
    );
    let world = rolecall_model::scenario::load_str(&text, "big.yaml").expect("loads");
    assert_eq!(world.accounts().count(), 200);
    for (a, account) in world.accounts().enumerate().take(200) {
        let region = account.inventory.region("us-east-1");
        assert_eq!(region.instances.len(), 50, "account {a}");
        assert_eq!(region.network_interfaces.len(), 50);
        assert_eq!(region.volumes.len(), 50);
        // Every enabled region still has its default VPC.
        assert!(account
            .inventory
            .region("eu-north-1")
            .default_vpc()
            .is_some());
    }
}

// A region the scenario declares nothing in is built the first time it is asked for; threads
// asking at once get the one inventory, with what AWS creates in every region.
#[test]
fn an_undeclared_region_is_built_once_when_first_asked() {
    let world = rolecall_model::scenario::load_str(&many_accounts(2, 3), "s.yaml").expect("loads");
    let account = world.accounts().next().expect("an account");
    let addresses: Vec<usize> = std::thread::scope(|s| {
        let asks: Vec<_> = (0..4)
            .map(|_| s.spawn(|| account.inventory.region("ap-south-1") as *const _ as usize))
            .collect();
        asks.into_iter().map(|a| a.join().unwrap()).collect()
    });
    assert!(addresses.windows(2).all(|w| w[0] == w[1]), "{addresses:?}");
    let region = account.inventory.region("ap-south-1");
    let vpc = region.default_vpc().expect("a default VPC");
    assert_eq!(vpc.cidr_block.to_string(), "172.31.0.0/16");
    assert_eq!(
        region.subnets.len(),
        region.zones.len(),
        "a default subnet per zone"
    );
    assert!(region.subnets.iter().all(|s| s.vpc_id == vpc.id));
    assert_eq!(region.security_groups.len(), 1);
    assert!(region.instances.is_empty());
    // A region the account cannot use stays empty.
    assert!(account
        .inventory
        .region("af-south-1")
        .default_vpc()
        .is_none());
}

#[test]
fn problems_in_a_large_scenario_are_reported_at_their_place() {
    let mut text = many_accounts(150, 50);
    // A bad instance id in the last account and a duplicate in the first one.
    text.push_str("          - { id: web-9 }\n");
    let first = "          - { id: i-00000000000000000 }\n";
    let at = text.find(first).expect("first instance") + first.len();
    text.insert_str(at, first);
    assert!(text.len() > 256 * 1024);
    let e = rolecall_model::scenario::load_str(&text, "big.yaml")
        .unwrap_err()
        .to_string();
    let last_line = text.lines().count();
    let lines: Vec<&str> = e.lines().collect();
    assert_eq!(
        lines,
        [
            "big.yaml:7:19: instance i-00000000000000000 is declared twice in us-east-1",
            &format!("big.yaml:{last_line}:19: 'web-9' is not a valid instance id (i- followed by 8 or 17 lowercase hex digits)"),
        ]
    );
}

#[test]
fn private_addresses_are_unique_within_a_subnet_but_may_repeat_across_vpcs() {
    let text = concat!(
        "accounts:\n",
        "  - id: \"333333333333\"\n",
        "    ec2:\n",
        "      us-east-1:\n",
        "        vpcs:\n",
        "          - { id: vpc-0aaa0000000000001, cidr_block: 10.0.0.0/16 }\n",
        "          - { id: vpc-0aaa0000000000002, cidr_block: 10.0.0.0/16 }\n",
        "        subnets:\n",
        "          - { id: subnet-0aaa0000000000001, vpc_id: vpc-0aaa0000000000001, cidr_block: 10.0.1.0/24 }\n",
        "          - { id: subnet-0aaa0000000000002, vpc_id: vpc-0aaa0000000000002, cidr_block: 10.0.1.0/24 }\n",
        "        instances:\n",
        "          - { id: i-0aaa0000000000001, subnet_id: subnet-0aaa0000000000001, private_ip: 10.0.1.10 }\n",
        "          - { id: i-0aaa0000000000002, subnet_id: subnet-0aaa0000000000002, private_ip: 10.0.1.10 }\n",
        "          - { id: i-0aaa0000000000003, subnet_id: subnet-0aaa0000000000001 }\n",
        "          - { id: i-0aaa0000000000004, subnet_id: subnet-0aaa0000000000001, private_ip: 10.0.1.11 }\n",
    );
    // The third instance took 10.0.1.11, the first free address from .10 up, in its subnet.
    let e = rolecall_model::scenario::load_str(text, "s.yaml")
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "s.yaml:15:89: 10.0.1.11 is already used by another instance"
    );
    let ok = text.replace(", private_ip: 10.0.1.11 }", " }");
    let world = rolecall_model::scenario::load_str(&ok, "s.yaml").expect("loads");
    let region = world
        .account("333333333333")
        .unwrap()
        .inventory
        .region("us-east-1");
    let ip = |id: &str| region.instance(id).unwrap().private_ip.to_string();
    assert_eq!(ip("i-0aaa0000000000001"), "10.0.1.10");
    assert_eq!(ip("i-0aaa0000000000002"), "10.0.1.10");
    assert_eq!(ip("i-0aaa0000000000003"), "10.0.1.11");
    assert_eq!(ip("i-0aaa0000000000004"), "10.0.1.12");
}
