//! Organizations beyond the management account, end to end over signed HTTP: who may read the
//! organization (delegated administrators, members the delegation policy admits, everyone
//! else), and the actions that show delegations: ListDelegatedAdministrators,
//! ListDelegatedServicesForAccount, DescribeResourcePolicy.

use crate::delegation::*;
use crate::org::Caller;
use serde_json::json;

#[test]
fn a_delegated_administrator_reads_the_whole_organization() {
    let server = server();
    let caller = Caller::new(&server, tooling());
    let accounts = caller.ok("ListAccounts", json!({}));
    assert_eq!(
        ids(accounts["Accounts"].as_array().unwrap(), "Id"),
        vec![
            "111111111111",
            "222222222222",
            "333333333333",
            "444444444444",
            "555555555555",
            "666666666666"
        ]
    );
    let root = root_id(&server);
    let roots = caller.ok("ListRoots", json!({}));
    assert_eq!(roots["Roots"][0]["Id"], root);
    let children = caller.ok(
        "ListChildren",
        json!({"ParentId": root, "ChildType": "ORGANIZATIONAL_UNIT"}),
    );
    assert_eq!(children["Children"].as_array().unwrap().len(), 3);
    let account = caller.ok("DescribeAccount", json!({"AccountId": "333333333333"}));
    assert_eq!(account["Account"]["Name"], "workload");
    let policy = caller.ok("DescribePolicy", json!({"PolicyId": "p-FullAWSAccess"}));
    assert_eq!(policy["Policy"]["PolicySummary"]["Name"], "FullAWSAccess");
    // Its read access comes from the registration; the delegation policy does not name it.
    let delegation = caller.ok("DescribeResourcePolicy", json!({}));
    assert!(delegation["ResourcePolicy"]["Content"].is_string());
}

#[test]
fn a_member_that_is_no_delegated_administrator_is_refused() {
    let server = server();
    let caller = Caller::new(&server, cmdb());
    for (op, body) in [
        ("ListAccounts", json!({})),
        ("ListRoots", json!({})),
        ("DescribeAccount", json!({"AccountId": "444444444444"})),
        ("ListDelegatedAdministrators", json!({})),
        (
            "ListDelegatedServicesForAccount",
            json!({"AccountId": "222222222222"}),
        ),
        ("ListPolicies", json!({"Filter": "SERVICE_CONTROL_POLICY"})),
        (
            "ListTargetsForPolicy",
            json!({"PolicyId": "p-FullAWSAccess"}),
        ),
        ("DescribeResourcePolicy", json!({})),
    ] {
        caller.assert_denied(op, body);
    }
    // Every account of the organization may describe it.
    let org = caller.ok("DescribeOrganization", json!({}));
    assert_eq!(org["Organization"]["MasterAccountId"], "111111111111");
}

#[test]
fn the_delegation_policy_admits_a_member_for_the_actions_it_names() {
    let server = server();
    let caller = Caller::new(&server, reporting());
    let accounts = caller.ok("ListAccounts", json!({}));
    assert_eq!(accounts["Accounts"].as_array().unwrap().len(), 6);
    let policy = caller.ok("DescribeResourcePolicy", json!({}));
    assert!(policy["ResourcePolicy"]["ResourcePolicySummary"]["Id"]
        .as_str()
        .unwrap()
        .starts_with("rp-"));
    // Actions the policy does not name stay refused: the policy, as the request's
    // resource-based policy, does not allow the cross-account caller.
    caller.assert_denied("ListRoots", json!({}));
    assert_eq!(
        caller.refusal("ListRoots", json!({})),
        ("ImplicitDeny".into(), "ResourceBased".into())
    );
    caller.assert_denied("DescribeAccount", json!({"AccountId": "555555555555"}));
    // The policy admits the account; the caller still needs its own IAM permission.
    let without_iam = Caller::new(&server, reporting_without_iam());
    without_iam.assert_denied("ListAccounts", json!({}));
    assert_eq!(
        without_iam.refusal("ListAccounts", json!({})),
        ("ImplicitDeny".into(), "IdentityBased".into())
    );
}

#[test]
fn an_scp_on_a_delegated_administrators_ou_still_denies() {
    let server = server();
    let caller = Caller::new(&server, restricted());
    caller.assert_denied("ListAccounts", json!({}));
    assert_eq!(
        caller.refusal("ListAccounts", json!({})),
        ("ExplicitDeny".into(), "ServiceControl".into())
    );
    // Only what the SCP denies: the rest of the organization stays readable.
    let roots = caller.ok("ListRoots", json!({}));
    assert_eq!(roots["Roots"].as_array().unwrap().len(), 1);
    let admins = caller.ok("ListDelegatedAdministrators", json!({}));
    assert_eq!(
        admins["DelegatedAdministrators"].as_array().unwrap().len(),
        2
    );
}

#[test]
fn list_delegated_administrators_shows_each_account_once_with_its_delegation_date() {
    let server = server();
    let caller = as_management(&server);
    let admin = |id: &str, name: &str, delegated: f64| {
        json!({
            "Id": id,
            "Arn": format!("{MGMT}:account/o-delegation01/{id}"),
            "Email": format!("aws+{id}@example.com"),
            "Name": name,
            "Status": "ACTIVE",
            "State": "ACTIVE",
            "JoinedMethod": "CREATED",
            "JoinedTimestamp": JOINED,
            "DelegationEnabledDate": delegated,
        })
    };
    // 222222222222's guardduty registration dates from when it joined, before securityhub's.
    let all = caller.ok("ListDelegatedAdministrators", json!({}));
    assert_eq!(
        all,
        json!({"DelegatedAdministrators": [
            admin("222222222222", "security-tooling", JOINED),
            admin("666666666666", "restricted-admin", 1714521600.0),
        ]})
    );
    let securityhub = caller.ok(
        "ListDelegatedAdministrators",
        json!({"ServicePrincipal": "securityhub.amazonaws.com"}),
    );
    assert_eq!(
        securityhub,
        json!({"DelegatedAdministrators": [admin("222222222222", "security-tooling", 1709251200.0)]})
    );
    let nobody = caller.ok(
        "ListDelegatedAdministrators",
        json!({"ServicePrincipal": "backup.amazonaws.com"}),
    );
    assert_eq!(nobody, json!({"DelegatedAdministrators": []}));
    let paged = caller.all_pages(
        "ListDelegatedAdministrators",
        json!({}),
        "DelegatedAdministrators",
    );
    assert_eq!(ids(&paged, "Id"), vec!["222222222222", "666666666666"]);

    for (principal, reason, message) in [
        (
            "",
            "MIN_LENGTH_EXCEEDED",
            "You provided a string parameter that is shorter than allowed.",
        ),
        (
            "not a principal",
            "INVALID_PATTERN",
            "You provided a value that does not match the required pattern.",
        ),
    ] {
        let (code, m, v) = caller.err(
            "ListDelegatedAdministrators",
            json!({ "ServicePrincipal": principal }),
        );
        assert_eq!(
            (code.as_str(), m.as_str(), v["Reason"].as_str()),
            ("InvalidInputException", message, Some(reason))
        );
    }
}

#[test]
fn list_delegated_services_for_account_names_each_service_and_its_date() {
    let server = server();
    let caller = Caller::new(&server, tooling());
    let services = caller.ok(
        "ListDelegatedServicesForAccount",
        json!({"AccountId": "222222222222"}),
    );
    assert_eq!(
        services,
        json!({"DelegatedServices": [
            {"ServicePrincipal": "securityhub.amazonaws.com", "DelegationEnabledDate": 1709251200.0},
            {"ServicePrincipal": "guardduty.amazonaws.com", "DelegationEnabledDate": JOINED},
        ]})
    );
    let paged = caller.all_pages(
        "ListDelegatedServicesForAccount",
        json!({"AccountId": "222222222222"}),
        "DelegatedServices",
    );
    assert_eq!(
        ids(&paged, "ServicePrincipal"),
        vec!["securityhub.amazonaws.com", "guardduty.amazonaws.com"]
    );

    let not_registered = "The specified account is not a delegated administrator for this Amazon Web Services service.";
    for (account, code, message) in [
        (
            "444444444444",
            "AccountNotRegisteredException",
            not_registered,
        ),
        (
            "111111111111",
            "AccountNotRegisteredException",
            not_registered,
        ),
        (
            "999999999999",
            "AccountNotFoundException",
            "You specified an account that doesn't exist.",
        ),
    ] {
        let (c, m, _) = caller.err(
            "ListDelegatedServicesForAccount",
            json!({ "AccountId": account }),
        );
        assert_eq!((c.as_str(), m.as_str()), (code, message), "{account}");
    }
    let (code, _, v) = caller.err("ListDelegatedServicesForAccount", json!({}));
    assert_eq!(
        (code.as_str(), v["Reason"].as_str()),
        ("InvalidInputException", Some("INPUT_REQUIRED"))
    );
    let (_, _, v) = caller.err(
        "ListDelegatedServicesForAccount",
        json!({"AccountId": "2222"}),
    );
    assert_eq!(v["Reason"], "INVALID_PATTERN");
}

#[test]
fn describe_resource_policy_shows_the_delegation_policy() {
    let server = server();
    let v = as_management(&server).ok("DescribeResourcePolicy", json!({}));
    let id = v["ResourcePolicy"]["ResourcePolicySummary"]["Id"]
        .as_str()
        .unwrap();
    assert!(id.len() > 3 && id.starts_with("rp-"), "{id}");
    assert_eq!(
        v,
        json!({"ResourcePolicy": {
            "ResourcePolicySummary": {
                "Id": id,
                "Arn": format!("{MGMT}:resourcepolicy/o-delegation01/{id}"),
            },
            "Content": r#"{"Version":"2012-10-17","Statement":[{"Sid":"ReportingReadsAccounts","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::555555555555:root"},"Action":["organizations:ListAccounts","organizations:DescribeResourcePolicy"],"Resource":"*"}]}"#,
        }})
    );
}
