//! Organizations over awsJson1.1, end to end over HTTP with requests signed by `aws-sigv4`:
//! the shape of every action, paging, who may call, and the errors for unknown and malformed
//! ids.

use crate::org::Caller;
use rolecall_test_support::*;
use serde_json::{json, Value};

const ROLE_333: &str = "arn:aws:iam::333333333333:role/OrganizationAccountAccessRole";

/// The default scenario, whose discovery user may read the organization.
fn default_with_org_read() -> TestServer {
    TestServer::default_scenario()
}

/// The default scenario's discovery user calling.
fn discovery(server: &TestServer) -> Caller<'_> {
    Caller::new(server, Keys::discovery())
}

#[test]
fn describe_organization_names_the_management_account() {
    let server = default_with_org_read();
    let v = discovery(&server).ok("DescribeOrganization", json!({}));
    assert_eq!(
        v,
        json!({"Organization": {
            "Id": "o-exampleorgid",
            "Arn": "arn:aws:organizations::111111111111:organization/o-exampleorgid",
            "FeatureSet": "ALL",
            "MasterAccountArn": "arn:aws:organizations::111111111111:account/o-exampleorgid/111111111111",
            "MasterAccountId": "111111111111",
            "MasterAccountEmail": "management@example.com",
            "AvailablePolicyTypes": [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}],
        }})
    );
}

#[test]
fn list_accounts_shows_every_account_with_its_joined_method() {
    let server = default_with_org_read();
    let v = discovery(&server).ok("ListAccounts", json!({}));
    assert!(v.get("NextToken").is_none());
    let account = |id: &str, name: &str, email: &str, joined: &str| {
        json!({
            "Id": id,
            "Arn": format!("arn:aws:organizations::111111111111:account/o-exampleorgid/{id}"),
            "Email": email,
            "Name": name,
            "Status": "ACTIVE",
            "State": "ACTIVE",
            "JoinedMethod": joined,
            "JoinedTimestamp": 1705320000.0,
        })
    };
    assert_eq!(
        v["Accounts"],
        json!([
            account(
                "111111111111",
                "management",
                "management@example.com",
                "INVITED"
            ),
            account(
                "222222222222",
                "invited-member",
                "invited@example.com",
                "INVITED"
            ),
            account(
                "333333333333",
                "created-member",
                "created@example.com",
                "CREATED"
            ),
        ])
    );
    // A timestamp is a JSON number of epoch seconds in awsJson1.1.
    assert!(v["Accounts"][0]["JoinedTimestamp"].is_number());
}

#[test]
fn paging_with_max_results_one_returns_every_account_exactly_once() {
    let server = default_with_org_read();
    let caller = discovery(&server);
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({"MaxResults": 1});
        if let Some(t) = &token {
            body["NextToken"] = json!(t);
        }
        let v = caller.ok("ListAccounts", body);
        let page = v["Accounts"].as_array().unwrap();
        assert_eq!(page.len(), 1);
        seen.push(page[0]["Id"].as_str().unwrap().to_string());
        match v.get("NextToken") {
            Some(t) => token = Some(t.as_str().unwrap().to_string()),
            None => break,
        }
    }
    assert_eq!(seen, vec!["111111111111", "222222222222", "333333333333"]);
}

#[test]
fn max_results_and_next_token_are_checked() {
    let server = default_with_org_read();
    let caller = discovery(&server);
    let (code, message, v) = caller.err("ListAccounts", json!({"MaxResults": 21}));
    assert_eq!(code, "InvalidInputException");
    assert_eq!(
        message,
        "You provided a numeric parameter that has a larger value than allowed."
    );
    assert_eq!(v["Reason"], "MAX_VALUE_EXCEEDED");
    let (_, _, v) = caller.err("ListAccounts", json!({"MaxResults": 0}));
    assert_eq!(v["Reason"], "MIN_VALUE_EXCEEDED");
    let (code, _, v) = caller.err("ListAccounts", json!({"NextToken": "nope"}));
    assert_eq!(code, "InvalidInputException");
    assert_eq!(v["Reason"], "INVALID_NEXT_TOKEN");
    // A token from one listing is not accepted by another.
    let page = caller.ok("ListAccounts", json!({"MaxResults": 1}));
    let (_, _, v) = caller.err("ListRoots", json!({"NextToken": page["NextToken"]}));
    assert_eq!(v["Reason"], "INVALID_NEXT_TOKEN");
}

#[test]
fn the_root_holds_every_account_of_the_flat_default_organization() {
    let server = default_with_org_read();
    let caller = discovery(&server);
    let roots = caller.ok("ListRoots", json!({}));
    let root = roots["Roots"][0]["Id"].as_str().unwrap().to_string();
    assert!(root.starts_with("r-"));
    assert_eq!(
        roots,
        json!({"Roots": [{
            "Id": root,
            "Arn": format!("arn:aws:organizations::111111111111:root/o-exampleorgid/{root}"),
            "Name": "Root",
            "PolicyTypes": [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}],
        }]})
    );
    let ous = caller.ok(
        "ListOrganizationalUnitsForParent",
        json!({"ParentId": root}),
    );
    assert_eq!(ous, json!({"OrganizationalUnits": []}));
    let accounts = caller.ok("ListAccountsForParent", json!({"ParentId": root}));
    assert_eq!(accounts["Accounts"].as_array().unwrap().len(), 3);
    let children = caller.ok(
        "ListChildren",
        json!({"ParentId": root, "ChildType": "ACCOUNT"}),
    );
    assert_eq!(
        children,
        json!({"Children": [
            {"Id": "111111111111", "Type": "ACCOUNT"},
            {"Id": "222222222222", "Type": "ACCOUNT"},
            {"Id": "333333333333", "Type": "ACCOUNT"},
        ]})
    );
    let parents = caller.ok("ListParents", json!({"ChildId": "222222222222"}));
    assert_eq!(parents, json!({"Parents": [{"Id": root, "Type": "ROOT"}]}));
}

#[test]
fn describe_account_and_its_policies() {
    let server = default_with_org_read();
    let caller = discovery(&server);
    let v = caller.ok("DescribeAccount", json!({"AccountId": "333333333333"}));
    assert_eq!(v["Account"]["JoinedMethod"], "CREATED");
    assert_eq!(v["Account"]["Name"], "created-member");
    let full = json!({
        "Id": "p-FullAWSAccess",
        "Arn": "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
        "Name": "FullAWSAccess",
        "Description": "Allows access to every operation",
        "Type": "SERVICE_CONTROL_POLICY",
        "AwsManaged": true,
    });
    let root = caller.root_id();
    for target in [root.as_str(), "111111111111", "333333333333"] {
        let v = caller.ok(
            "ListPoliciesForTarget",
            json!({"TargetId": target, "Filter": "SERVICE_CONTROL_POLICY"}),
        );
        assert_eq!(v, json!({"Policies": [full.clone()]}), "{target}");
    }
    let tags = caller.ok(
        "ListPoliciesForTarget",
        json!({"TargetId": "333333333333", "Filter": "TAG_POLICY"}),
    );
    assert_eq!(tags, json!({"Policies": []}));
    let v = caller.ok("DescribePolicy", json!({"PolicyId": "p-FullAWSAccess"}));
    assert_eq!(v["Policy"]["PolicySummary"], full);
    let content: Value = serde_json::from_str(v["Policy"]["Content"].as_str().unwrap()).unwrap();
    assert_eq!(
        content,
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
    );
}

#[test]
fn unknown_ids_are_not_found() {
    let server = default_with_org_read();
    let caller = discovery(&server);
    let cases = [
        ("DescribeAccount", json!({"AccountId": "999999999999"}), "AccountNotFoundException", "You specified an account that doesn't exist."),
        ("ListAccountsForParent", json!({"ParentId": "ou-zzzz-zzzzzzzz"}), "ParentNotFoundException", "We can't find a root or OU with the ParentId that you specified."),
        ("ListOrganizationalUnitsForParent", json!({"ParentId": "r-zzzz"}), "ParentNotFoundException", "We can't find a root or OU with the ParentId that you specified."),
        ("ListChildren", json!({"ParentId": "r-zzzz", "ChildType": "ACCOUNT"}), "ParentNotFoundException", "We can't find a root or OU with the ParentId that you specified."),
        ("ListParents", json!({"ChildId": "999999999999"}), "ChildNotFoundException", "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified."),
        ("ListPoliciesForTarget", json!({"TargetId": "ou-zzzz-zzzzzzzz", "Filter": "SERVICE_CONTROL_POLICY"}), "TargetNotFoundException", "We can't find a root, OU, account, or policy with the TargetId that you specified."),
        ("DescribePolicy", json!({"PolicyId": "p-zzzzzzzz"}), "PolicyNotFoundException", "We can't find a policy with the PolicyId that you specified."),
        ("DescribeOrganizationalUnit", json!({"OrganizationalUnitId": "ou-zzzz-zzzzzzzz"}), "OrganizationalUnitNotFoundException", "We can't find an OU with the OrganizationalUnitId that you specified."),
    ];
    for (op, body, code, message) in cases {
        let (c, m, v) = caller.err(op, body);
        assert_eq!((c.as_str(), m.as_str()), (code, message), "{op}");
        assert!(v.get("Reason").is_none(), "{op}");
    }
}

#[test]
fn malformed_input_is_invalid_input() {
    let server = default_with_org_read();
    let caller = discovery(&server);
    for (op, body) in [
        ("DescribeAccount", json!({"AccountId": "12345"})),
        (
            "ListChildren",
            json!({"ParentId": "111111111111", "ChildType": "ACCOUNT"}),
        ),
        ("ListParents", json!({"ChildId": "r-abcd"})),
        ("DescribePolicy", json!({"PolicyId": "FullAWSAccess"})),
    ] {
        let (code, message, v) = caller.err(op, body);
        assert_eq!(code, "InvalidInputException", "{op}");
        assert_eq!(
            message,
            "You provided a value that does not match the required pattern."
        );
        assert_eq!(v["Reason"], "INVALID_PATTERN", "{op}");
    }
    let (code, _, v) = caller.err("DescribeAccount", json!({}));
    assert_eq!(code, "InvalidInputException");
    assert_eq!(v["Reason"], "INPUT_REQUIRED");
    let root = caller.root_id();
    let (_, _, v) = caller.err(
        "ListChildren",
        json!({"ParentId": root, "ChildType": "POLICY"}),
    );
    assert_eq!(v["Reason"], "INVALID_ENUM");
}

#[test]
fn an_unknown_operation_is_unknown_operation_exception() {
    let server = default_with_org_read();
    let (code, _, _) = discovery(&server).err("ListPets", json!({}));
    assert_eq!(code, "UnknownOperationException");
}

#[test]
fn a_member_account_is_denied_management_actions_but_may_describe_its_organization() {
    let server = default_with_org_read();
    let (r, keys) = assume_role(&server, &Keys::discovery(), ROLE_333, "discovery", &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    let member = Caller::new(&server, keys.unwrap());
    for op in ["ListAccounts", "ListRoots"] {
        member.assert_denied(op, json!({}));
    }
    member.assert_denied("DescribeAccount", json!({"AccountId": "333333333333"}));
    let v = member.ok("DescribeOrganization", json!({}));
    assert_eq!(v["Organization"]["MasterAccountId"], "111111111111");
}

#[test]
fn without_an_iam_permission_the_management_account_user_is_denied() {
    // The embedded scenario without its ReadOrganization policy: the discovery user may only
    // assume roles.
    let start = rolecall_model::scenario::DEFAULT_SCENARIO
        .find("          - name: ReadOrganization\n")
        .unwrap();
    let end = rolecall_model::scenario::DEFAULT_SCENARIO[start..]
        .find("\n\n")
        .unwrap()
        + start;
    let text = format!(
        "{}{}",
        &rolecall_model::scenario::DEFAULT_SCENARIO[..start],
        &rolecall_model::scenario::DEFAULT_SCENARIO[end + 1..]
    );
    let server =
        TestServer::start(rolecall_model::scenario::load_str(&text, "default-no-read").unwrap());
    discovery(&server).assert_denied("ListAccounts", json!({}));
}

#[test]
fn an_account_outside_any_organization_is_told_so() {
    let world = rolecall_model::scenario::load_str(
        r#"
accounts:
  - id: "777777777777"
    users:
      - name: admin
        access_keys: [{ id: AKIASTANDALONE000001, secret: standalone-secret-0000000000 }]
        managed_policies: [arn:aws:iam::aws:policy/AdministratorAccess]
"#,
        "standalone",
    )
    .unwrap();
    let server = TestServer::start(world);
    let caller = Caller::new(
        &server,
        Keys::long_term("AKIASTANDALONE000001", "standalone-secret-0000000000"),
    );
    for op in ["DescribeOrganization", "ListAccounts"] {
        let (code, message, _) = caller.err(op, json!({}));
        assert_eq!(
            (code.as_str(), message.as_str()),
            (
                "AWSOrganizationsNotInUseException",
                "Your account is not a member of an organization."
            )
        );
    }
}

const NESTED: &str = r#"
organization:
  id: o-nestedorg123
  management_account: "111111111111"
  service_control_policies:
    - name: DenyLeavingTheOrganization
      description: Members stay
      document:
        Version: "2012-10-17"
        Statement:
          - Sid: Stay
            Effect: Deny
            Action: organizations:LeaveOrganization
            Resource: "*"
  ous:
    - name: Workloads
      ous:
        - name: Prod
          scps: [FullAWSAccess, DenyLeavingTheOrganization]
        - name: Dev
    - name: Security
accounts:
  - id: "111111111111"
    root_access_keys: [{ id: AKIANESTEDROOT000001, secret: nested-root-secret-000000 }]
  - id: "444444444444"
    ou: Workloads/Prod
  - id: "555555555555"
    ou: Workloads/Dev
    joined: invited
  - id: "666666666666"
    ou: Security
"#;

#[test]
fn a_nested_ou_tree_is_walked_from_the_root() {
    let world = rolecall_model::scenario::load_str(NESTED, "nested").unwrap();
    let server = TestServer::start(world);
    let caller = Caller::new(
        &server,
        Keys::long_term("AKIANESTEDROOT000001", "nested-root-secret-000000"),
    );
    let root = caller.root_id();

    let top = caller.ok(
        "ListOrganizationalUnitsForParent",
        json!({"ParentId": root}),
    );
    let names: Vec<&str> = top["OrganizationalUnits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|ou| ou["Name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Workloads", "Security"]);
    let workloads = top["OrganizationalUnits"][0]["Id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        workloads.starts_with(&format!("ou-{}-", &root[2..])),
        "{workloads}"
    );
    assert_eq!(
        top["OrganizationalUnits"][0]["Arn"],
        format!("arn:aws:organizations::111111111111:ou/o-nestedorg123/{workloads}")
    );

    let children = caller.ok(
        "ListChildren",
        json!({"ParentId": workloads, "ChildType": "ORGANIZATIONAL_UNIT"}),
    );
    let kids = children["Children"].as_array().unwrap();
    assert_eq!(kids.len(), 2);
    assert!(kids.iter().all(|c| c["Type"] == "ORGANIZATIONAL_UNIT"));
    let prod = kids[0]["Id"].as_str().unwrap().to_string();
    // Workloads holds OUs but no accounts directly.
    let direct = caller.ok(
        "ListChildren",
        json!({"ParentId": workloads, "ChildType": "ACCOUNT"}),
    );
    assert_eq!(direct, json!({"Children": []}));

    let ou = caller.ok(
        "DescribeOrganizationalUnit",
        json!({"OrganizationalUnitId": prod}),
    );
    assert_eq!(ou["OrganizationalUnit"]["Name"], "Prod");
    let in_prod = caller.ok("ListAccountsForParent", json!({"ParentId": prod}));
    assert_eq!(in_prod["Accounts"][0]["Id"], "444444444444");
    assert_eq!(in_prod["Accounts"].as_array().unwrap().len(), 1);

    let up = caller.ok("ListParents", json!({"ChildId": "444444444444"}));
    assert_eq!(
        up,
        json!({"Parents": [{"Id": prod, "Type": "ORGANIZATIONAL_UNIT"}]})
    );
    let up = caller.ok("ListParents", json!({"ChildId": prod}));
    assert_eq!(
        up,
        json!({"Parents": [{"Id": workloads, "Type": "ORGANIZATIONAL_UNIT"}]})
    );
    let up = caller.ok("ListParents", json!({"ChildId": workloads}));
    assert_eq!(up, json!({"Parents": [{"Id": root, "Type": "ROOT"}]}));
    let all_root = caller.ok("ListAccountsForParent", json!({"ParentId": root}));
    assert_eq!(all_root["Accounts"][0]["Id"], "111111111111");
    assert_eq!(all_root["Accounts"].as_array().unwrap().len(), 1);

    // The SCPs attached to Prod, and the scenario's SCP as DescribePolicy shows it.
    let policies = caller.ok(
        "ListPoliciesForTarget",
        json!({"TargetId": prod, "Filter": "SERVICE_CONTROL_POLICY"}),
    );
    let list = policies["Policies"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["Id"], "p-FullAWSAccess");
    let deny = &list[1];
    assert_eq!(deny["Name"], "DenyLeavingTheOrganization");
    assert_eq!(deny["Description"], "Members stay");
    assert_eq!(deny["AwsManaged"], false);
    let id = deny["Id"].as_str().unwrap();
    assert_eq!(
        deny["Arn"],
        format!(
            "arn:aws:organizations::111111111111:policy/o-nestedorg123/service_control_policy/{id}"
        )
    );
    let described = caller.ok("DescribePolicy", json!({"PolicyId": id}));
    assert_eq!(&described["Policy"]["PolicySummary"], deny);
    assert_eq!(
        described["Policy"]["Content"],
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"Stay","Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}]}"#
    );
    let dev_account = caller.ok("DescribeAccount", json!({"AccountId": "555555555555"}));
    assert_eq!(dev_account["Account"]["JoinedMethod"], "INVITED");
}
