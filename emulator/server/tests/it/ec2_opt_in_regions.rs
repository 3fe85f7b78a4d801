//! Opt-in regions over HTTP: DescribeRegions with and without AllRegions, and EC2 in a region
//! the account has not enabled answering 401 AuthFailure to valid credentials.

use rolecall_test_support::*;

const SCENARIO: &str = include_str!("../../../../scenarios/opt-in-region-not-enabled.yaml");

fn server() -> TestServer {
    TestServer::start(rolecall_model::scenario::load_str(SCENARIO, "opt-in.yaml").unwrap())
}

fn member(server: &TestServer, account: &str) -> Keys {
    let arn = format!("arn:aws:iam::{account}:role/OrganizationAccountAccessRole");
    let (r, keys) = assume_role(server, &Keys::discovery(), &arn, "discovery", &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    keys.unwrap()
}

fn statuses(r: &Response) -> Vec<(String, String)> {
    r.xml_all("regionName")
        .into_iter()
        .zip(r.xml_all("optInStatus"))
        .collect()
}

#[test]
fn describe_regions_lists_enabled_regions_and_all_regions_on_request() {
    let server = server();
    let keys = member(&server, "444444444444");
    let enabled = server.ec2("us-east-1", &keys, "DescribeRegions", &[]);
    assert_eq!(enabled.status, 200, "{}", enabled.body);
    assert_eq!(enabled.xml_all("regionName").len(), 17);
    assert!(statuses(&enabled)
        .iter()
        .all(|(_, s)| s == "opt-in-not-required"));

    let all = server.ec2(
        "us-east-1",
        &keys,
        "DescribeRegions",
        &[("AllRegions", "true")],
    );
    let all = statuses(&all);
    assert_eq!(all.len(), 34);
    assert!(all.contains(&("af-south-1".into(), "not-opted-in".into())));
    assert!(all.contains(&("mx-central-1".into(), "not-opted-in".into())));

    let opted = member(&server, "333333333333");
    let theirs = server.ec2("us-east-1", &opted, "DescribeRegions", &[]);
    let theirs = statuses(&theirs);
    assert_eq!(theirs.len(), 18);
    assert!(theirs.contains(&("af-south-1".into(), "opted-in".into())));

    let filtered = server.ec2(
        "us-east-1",
        &keys,
        "DescribeRegions",
        &[
            ("AllRegions", "true"),
            ("Filter.1.Name", "opt-in-status"),
            ("Filter.1.Value.1", "not-opted-in"),
        ],
    );
    assert_eq!(filtered.xml_all("regionName").len(), 17);
    let named = server.ec2(
        "us-east-1",
        &keys,
        "DescribeRegions",
        &[("RegionName.1", "af-south-1")],
    );
    assert_eq!(
        statuses(&named),
        vec![("af-south-1".into(), "not-opted-in".into())]
    );
}

#[test]
fn ec2_in_a_region_the_account_has_not_enabled_is_auth_failure() {
    let server = server();
    let keys = member(&server, "444444444444");
    let home = server.ec2("us-east-1", &keys, "DescribeInstances", &[]);
    assert_eq!(home.status, 200, "{}", home.body);
    for action in [
        "DescribeInstances",
        "DescribeRegions",
        "DescribeVpcs",
        "DescribeKeyPairs",
    ] {
        let r = server.ec2("af-south-1", &keys, action, &[]);
        assert_eq!(r.status, 401, "{action}: {}", r.body);
        assert_eq!(r.xml("Code").unwrap(), "AuthFailure");
        assert_eq!(
            r.xml("Message").unwrap(),
            "AWS was not able to validate the provided access credentials"
        );
    }
}

#[test]
fn ec2_in_an_enabled_opt_in_region_answers_from_its_inventory() {
    let server = server();
    let keys = member(&server, "333333333333");
    let r = server.ec2("af-south-1", &keys, "DescribeInstances", &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.xml_all("instanceId"),
        vec!["i-03330000000000a01", "i-03330000000000a02"]
    );
    assert_eq!(r.xml("availabilityZone").unwrap(), "af-south-1a");
    let zones = server.ec2("af-south-1", &keys, "DescribeAvailabilityZones", &[]);
    assert_eq!(
        zones.xml_all("zoneId"),
        vec!["afs1-az1", "afs1-az2", "afs1-az3"]
    );
    assert!(zones
        .xml_all("optInStatus")
        .iter()
        .all(|s| s == "opt-in-not-required"));
    let keys_r = server.ec2("af-south-1", &keys, "DescribeKeyPairs", &[]);
    assert_eq!(keys_r.xml_all("keyName"), vec!["cpt-ops"]);
}

#[test]
fn scenarios_cannot_put_resources_in_a_region_the_account_has_not_enabled() {
    let text = concat!(
        "accounts:\n",
        "  - id: \"444444444444\"\n",
        "    opt_in_regions: [us-east-1, af-south-1, af-south-1]\n",
        "    ec2:\n",
        "      me-south-1:\n",
        "        instances: []\n",
    );
    let e = rolecall_model::scenario::load_str(text, "s.yaml")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("s.yaml:3:22: 'us-east-1' is enabled in every account"),
        "{e}"
    );
    assert!(
        e.contains("s.yaml:3:45: 'af-south-1' is listed twice"),
        "{e}"
    );
    assert!(e.contains("s.yaml:5:7: 'me-south-1' is an opt-in region that account 444444444444 has not enabled"), "{e}");
}
