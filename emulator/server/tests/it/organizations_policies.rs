//! Organizations' policy listings over signed HTTP: ListPolicies, ListTargetsForPolicy, and
//! RCPs in ListRoots, ListPoliciesForTarget and DescribePolicy, in the organization of
//! `tests/data/organization-delegation.yaml` and in the default one, which has no RCPs.

use crate::delegation::*;
use crate::org::Caller;
use rolecall_test_support::*;
use serde_json::{json, Value};

#[test]
fn list_policies_lists_the_scenarios_policies_then_the_aws_managed_one() {
    let server = server();
    let caller = Caller::new(&server, tooling());
    let scps = caller.ok("ListPolicies", json!({"Filter": "SERVICE_CONTROL_POLICY"}));
    let scps = scps["Policies"].as_array().unwrap();
    assert_eq!(ids(scps, "Name"), vec!["DenyListAccounts", "FullAWSAccess"]);
    let deny_id = scps[0]["Id"].as_str().unwrap();
    assert_eq!(
        scps[0],
        json!({
            "Id": deny_id,
            "Arn": format!("{MGMT}:policy/o-delegation01/service_control_policy/{deny_id}"),
            "Name": "DenyListAccounts",
            "Description": "No account listings here",
            "Type": "SERVICE_CONTROL_POLICY",
            "AwsManaged": false,
        })
    );
    let rcps = caller.ok("ListPolicies", json!({"Filter": "RESOURCE_CONTROL_POLICY"}));
    let rcps = rcps["Policies"].as_array().unwrap();
    assert_eq!(
        ids(rcps, "Name"),
        vec!["DenyAssumeFromOutside", "RCPFullAWSAccess"]
    );
    assert_eq!(
        rcps[1],
        json!({
            "Id": "p-RCPFullAWSAccess",
            "Arn": "arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess",
            "Name": "RCPFullAWSAccess",
            "Description": "Allows access to every resource",
            "Type": "RESOURCE_CONTROL_POLICY",
            "AwsManaged": true,
        })
    );
    let tags = caller.ok("ListPolicies", json!({"Filter": "TAG_POLICY"}));
    assert_eq!(tags, json!({"Policies": []}));
    let paged = caller.all_pages(
        "ListPolicies",
        json!({"Filter": "SERVICE_CONTROL_POLICY"}),
        "Policies",
    );
    assert_eq!(
        ids(&paged, "Name"),
        vec!["DenyListAccounts", "FullAWSAccess"]
    );

    let (_, _, v) = caller.err("ListPolicies", json!({}));
    assert_eq!(v["Reason"], "INPUT_REQUIRED");
    let (code, message, v) = caller.err("ListPolicies", json!({"Filter": "SCP"}));
    assert_eq!(
        (code.as_str(), message.as_str(), v["Reason"].as_str()),
        (
            "InvalidInputException",
            "You specified an invalid value.",
            Some("INVALID_ENUM")
        )
    );
}

#[test]
fn list_targets_for_policy_lists_where_a_policy_is_attached() {
    let server = server();
    let caller = as_management(&server);
    let root = root_id(&server);
    let security = ou_id(&server, "Security");
    let workloads = ou_id(&server, "Workloads");
    let restricted = ou_id(&server, "Restricted");

    let target = |id: &str, kind: &str, name: &str, arn: String| json!({"TargetId": id, "Arn": arn, "Name": name, "Type": kind});
    let account = |id: &str, name: &str| {
        target(
            id,
            "ACCOUNT",
            name,
            format!("{MGMT}:account/o-delegation01/{id}"),
        )
    };
    let ou = |id: &str, name: &str| {
        target(
            id,
            "ORGANIZATIONAL_UNIT",
            name,
            format!("{MGMT}:ou/o-delegation01/{id}"),
        )
    };
    let root_target = target(
        &root,
        "ROOT",
        "Root",
        format!("{MGMT}:root/o-delegation01/{root}"),
    );

    // RCPFullAWSAccess is attached to every root, OU and account once RCPs are enabled.
    let everywhere = caller.ok(
        "ListTargetsForPolicy",
        json!({"PolicyId": "p-RCPFullAWSAccess"}),
    );
    assert_eq!(
        everywhere,
        json!({"Targets": [
            root_target.clone(),
            account("111111111111", "management"),
            account("222222222222", "security-tooling"),
            account("333333333333", "workload"),
            account("444444444444", "cmdb"),
            account("555555555555", "reporting"),
            account("666666666666", "restricted-admin"),
            ou(&security, "Security"),
            ou(&workloads, "Workloads"),
            ou(&restricted, "Restricted"),
        ]})
    );
    let paged = caller.all_pages(
        "ListTargetsForPolicy",
        json!({"PolicyId": "p-RCPFullAWSAccess"}),
        "Targets",
    );
    assert_eq!(paged.len(), 10);

    let scps = caller.ok("ListPolicies", json!({"Filter": "SERVICE_CONTROL_POLICY"}));
    let deny_id = scps["Policies"][0]["Id"].as_str().unwrap();
    let deny = caller.ok("ListTargetsForPolicy", json!({"PolicyId": deny_id}));
    assert_eq!(deny, json!({"Targets": [ou(&restricted, "Restricted")]}));

    let (code, message, _) = caller.err("ListTargetsForPolicy", json!({"PolicyId": "p-zzzzzzzz"}));
    assert_eq!(
        (code.as_str(), message.as_str()),
        (
            "PolicyNotFoundException",
            "We can't find a policy with the PolicyId that you specified."
        )
    );
    let (_, _, v) = caller.err("ListTargetsForPolicy", json!({"PolicyId": "FullAWSAccess"}));
    assert_eq!(v["Reason"], "INVALID_PATTERN");
}

#[test]
fn rcps_show_in_list_roots_list_policies_for_target_and_describe_policy() {
    let server = server();
    let caller = as_management(&server);
    let roots = caller.ok("ListRoots", json!({}));
    assert_eq!(
        roots["Roots"][0]["PolicyTypes"],
        json!([
            {"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"},
            {"Type": "RESOURCE_CONTROL_POLICY", "Status": "ENABLED"},
        ])
    );
    // The deprecated AvailablePolicyTypes keeps showing SCPs alone.
    let org = caller.ok("DescribeOrganization", json!({}));
    assert_eq!(
        org["Organization"]["AvailablePolicyTypes"],
        json!([{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}])
    );

    let workloads = ou_id(&server, "Workloads");
    let attached = caller.ok(
        "ListPoliciesForTarget",
        json!({"TargetId": workloads, "Filter": "RESOURCE_CONTROL_POLICY"}),
    );
    let attached = attached["Policies"].as_array().unwrap();
    assert_eq!(
        ids(attached, "Name"),
        vec!["RCPFullAWSAccess", "DenyAssumeFromOutside"]
    );
    let rcp_id = attached[1]["Id"].as_str().unwrap();
    assert_eq!(
        attached[1]["Arn"],
        format!("{MGMT}:policy/o-delegation01/resource_control_policy/{rcp_id}")
    );
    for target in [root_id(&server), "333333333333".to_string()] {
        let only_full = caller.ok(
            "ListPoliciesForTarget",
            json!({"TargetId": target, "Filter": "RESOURCE_CONTROL_POLICY"}),
        );
        assert_eq!(
            ids(only_full["Policies"].as_array().unwrap(), "Id"),
            vec!["p-RCPFullAWSAccess"]
        );
    }

    let full = caller.ok("DescribePolicy", json!({"PolicyId": "p-RCPFullAWSAccess"}));
    assert_eq!(
        full["Policy"]["PolicySummary"]["Type"],
        "RESOURCE_CONTROL_POLICY"
    );
    assert_eq!(full["Policy"]["PolicySummary"]["AwsManaged"], true);
    let content: Value = serde_json::from_str(full["Policy"]["Content"].as_str().unwrap()).unwrap();
    assert_eq!(
        content,
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]})
    );
    let custom = caller.ok("DescribePolicy", json!({"PolicyId": rcp_id}));
    assert_eq!(custom["Policy"]["PolicySummary"], attached[1]);
    assert_eq!(
        custom["Policy"]["PolicySummary"]["Description"],
        "Only the organization assumes roles"
    );
    assert!(custom["Policy"]["Content"]
        .as_str()
        .unwrap()
        .contains(r#""Action":"sts:AssumeRole""#));
}

#[test]
fn an_organization_without_rcps_or_delegation_lists_none() {
    let server = TestServer::default_scenario();
    let caller = Caller::new(&server, Keys::discovery());
    let (code, message, _) = caller.err("DescribeResourcePolicy", json!({}));
    assert_eq!(
        (code.as_str(), message.as_str()),
        (
            "ResourcePolicyNotFoundException",
            "We can't find a resource policy request with the parameter that you specified."
        )
    );
    let rcps = caller.ok("ListPolicies", json!({"Filter": "RESOURCE_CONTROL_POLICY"}));
    assert_eq!(rcps, json!({"Policies": []}));
    let attached = caller.ok(
        "ListPoliciesForTarget",
        json!({"TargetId": "333333333333", "Filter": "RESOURCE_CONTROL_POLICY"}),
    );
    assert_eq!(attached, json!({"Policies": []}));
    let targets = caller.ok(
        "ListTargetsForPolicy",
        json!({"PolicyId": "p-RCPFullAWSAccess"}),
    );
    assert_eq!(targets, json!({"Targets": []}));
    let admins = caller.ok("ListDelegatedAdministrators", json!({}));
    assert_eq!(admins, json!({"DelegatedAdministrators": []}));
}
