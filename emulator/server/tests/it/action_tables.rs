//! Every row of every service's action table, walked: each action is served, authorized as its
//! row says (a caller without permissions is refused with the service's own error naming the
//! row's IAM action; an action that needs no permission is not), and every EC2 action honours
//! DryRun. An action added to a table without a sample request here fails
//! `every_action_has_a_sample`, so none escapes.

use rolecall_server::services::{ec2, organizations, sts, Authorize, Operation};
use rolecall_test_support::*;
use serde_json::{json, Value};

const SCENARIO: &str = r#"
organization:
  id: o-tablewalk1
  management_account: "111111111111"
  ous:
    - name: Workloads
  delegated_administrators:
    - { account: "222222222222", service_principal: securityhub.amazonaws.com }
accounts:
  - id: "111111111111"
    users:
      - name: allowed
        access_keys:
          - { id: AKIAALLOWEDALLOWED01, secret: allowedallowedallowedallowedallowedallo }
        policies:
          - name: Everything
            document:
              Version: "2012-10-17"
              Statement:
                - { Effect: Allow, Action: "*", Resource: "*" }
      - name: nobody
        access_keys:
          - { id: AKIANOBODYNOBODY0001, secret: nobodynobodynobodynobodynobodynobodynobo }
  - id: "222222222222"
    joined: invited
    ou: Workloads
    roles:
      - name: Target
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: { AWS: "arn:aws:iam::111111111111:root" }
              Action: sts:AssumeRole
"#;

fn allowed() -> Keys {
    Keys::long_term(
        "AKIAALLOWEDALLOWED01",
        "allowedallowedallowedallowedallowedallo",
    )
}

fn nobody() -> Keys {
    Keys::long_term(
        "AKIANOBODYNOBODY0001",
        "nobodynobodynobodynobodynobodynobodynobo",
    )
}

fn server() -> TestServer {
    TestServer::start(rolecall_model::scenario::load_str(SCENARIO, "table-walk.yaml").unwrap())
}

/// A valid request's parameters for each STS action.
fn sts_sample(name: &str) -> Option<Vec<(&'static str, &'static str)>> {
    Some(match name {
        "AssumeRole" => vec![
            ("RoleArn", "arn:aws:iam::222222222222:role/Target"),
            ("RoleSessionName", "walk"),
        ],
        "DecodeAuthorizationMessage" => vec![("EncodedMessage", "not-a-message")],
        "GetAccessKeyInfo" => vec![("AccessKeyId", "AKIAALLOWEDALLOWED01")],
        "GetCallerIdentity" | "GetSessionToken" => vec![],
        _ => return None,
    })
}

/// The organization's ids a sample names.
struct OrgIds {
    root: String,
    ou: String,
}

/// A valid request body for each Organizations action.
fn organizations_sample(name: &str, ids: &OrgIds) -> Option<Value> {
    Some(match name {
        "DescribeAccount" | "ListDelegatedServicesForAccount" => {
            json!({ "AccountId": "222222222222" })
        }
        "DescribeOrganizationalUnit" => json!({ "OrganizationalUnitId": ids.ou }),
        "DescribePolicy" | "ListTargetsForPolicy" => json!({ "PolicyId": "p-FullAWSAccess" }),
        "ListAccountsForParent" | "ListOrganizationalUnitsForParent" => {
            json!({ "ParentId": ids.root })
        }
        "ListChildren" => json!({ "ParentId": ids.root, "ChildType": "ACCOUNT" }),
        "ListParents" => json!({ "ChildId": "222222222222" }),
        "ListPolicies" => json!({ "Filter": "SERVICE_CONTROL_POLICY" }),
        "ListPoliciesForTarget" => {
            json!({ "TargetId": "222222222222", "Filter": "SERVICE_CONTROL_POLICY" })
        }
        "DescribeOrganization"
        | "DescribeResourcePolicy"
        | "ListAccounts"
        | "ListDelegatedAdministrators"
        | "ListRoots" => json!({}),
        _ => return None,
    })
}

fn org_ids(server: &TestServer) -> OrgIds {
    let roots = server.call_json(&allowed(), "ListRoots", "{}");
    let roots: Value = serde_json::from_str(&roots.body).unwrap();
    let root = roots["Roots"][0]["Id"].as_str().unwrap().to_string();
    let ous = server.call_json(
        &allowed(),
        "ListOrganizationalUnitsForParent",
        &json!({ "ParentId": root }).to_string(),
    );
    let ous: Value = serde_json::from_str(&ous.body).unwrap();
    let ou = ous["OrganizationalUnits"][0]["Id"]
        .as_str()
        .unwrap()
        .to_string();
    OrgIds { root, ou }
}

fn all_operations() -> Vec<(&'static str, Vec<&'static Operation>)> {
    vec![
        ("sts", sts::operations().collect()),
        ("ec2", ec2::operations().collect()),
        ("organizations", organizations::operations().collect()),
    ]
}

#[test]
fn tables_are_sorted_unique_and_name_their_own_service() {
    for (service, ops) in all_operations() {
        assert!(!ops.is_empty(), "{service}");
        for pair in ops.windows(2) {
            assert!(
                pair[0].name < pair[1].name,
                "{service}: {} before {} (lookup is a binary search)",
                pair[0].name,
                pair[1].name
            );
        }
        for op in ops {
            assert!(
                op.iam_action.starts_with(&format!("{service}:")),
                "{service}: {} is authorized as {}",
                op.name,
                op.iam_action
            );
        }
    }
}

#[test]
fn every_action_has_a_sample() {
    let ids = OrgIds {
        root: "r-0000".into(),
        ou: "ou-0000-00000000".into(),
    };
    for op in sts::operations() {
        assert!(
            sts_sample(op.name).is_some(),
            "no sample for sts {}",
            op.name
        );
    }
    for op in organizations::operations() {
        assert!(
            organizations_sample(op.name, &ids).is_some(),
            "no sample for organizations {}",
            op.name
        );
    }
    // EC2's actions all read without required parameters.
    assert!(ec2::operations().all(|op| op.authorize == Authorize::First));
}

#[test]
fn every_sts_action_is_authorized_as_its_row_says() {
    let server = server();
    for op in sts::operations() {
        let params = sts_sample(op.name).unwrap();
        let ok = server.sts(&allowed(), op.name, &params);
        let refused = server.sts(&nobody(), op.name, &params);
        match op.authorize {
            Authorize::Never => {
                assert_eq!(ok.status, 200, "{}: {}", op.name, ok.body);
                assert_eq!(refused.status, 200, "{}: {}", op.name, refused.body);
            }
            Authorize::First | Authorize::InHandler => {
                // DecodeAuthorizationMessage's sample is no message of ours: past the engine it
                // is refused as invalid, which still shows the engine let it through.
                let past_the_engine = ok.status == 200
                    || ok.xml("Code").as_deref() == Some("InvalidAuthorizationMessageException");
                assert!(past_the_engine, "{}: {}", op.name, ok.body);
                assert_eq!(refused.status, 403, "{}: {}", op.name, refused.body);
                assert_eq!(
                    refused.xml("Code").as_deref(),
                    Some("AccessDenied"),
                    "{}",
                    op.name
                );
                let message = refused.xml("Message").unwrap();
                assert!(
                    message.contains(&format!("not authorized to perform: {}", op.iam_action)),
                    "{}: {message}",
                    op.name
                );
            }
        }
    }
}

#[test]
fn every_ec2_action_is_authorized_first_and_honours_dry_run() {
    let server = server();
    for op in ec2::operations() {
        let ok = server.ec2("us-east-1", &allowed(), op.name, &[]);
        assert_eq!(ok.status, 200, "{}: {}", op.name, ok.body);
        let dry = server.ec2("us-east-1", &allowed(), op.name, &[("DryRun", "true")]);
        assert_error(
            &dry,
            412,
            "DryRunOperation",
            "Request would have succeeded, but DryRun flag is set.",
        );
        for extra in [&[][..], &[("DryRun", "true")][..]] {
            let refused = server.ec2("us-east-1", &nobody(), op.name, extra);
            assert_error(
                &refused,
                403,
                "UnauthorizedOperation",
                &format!(
                    "You are not authorized to perform this operation. User: arn:aws:iam::111111111111:user/nobody is not authorized to perform: {0} because no identity-based policy allows the {0} action",
                    op.iam_action
                ),
            );
        }
    }
}

#[test]
fn every_organizations_action_is_authorized_as_its_row_says() {
    let server = server();
    let ids = org_ids(&server);
    for op in organizations::operations() {
        let body = organizations_sample(op.name, &ids).unwrap().to_string();
        let ok = server.call_json(&allowed(), op.name, &body);
        // The organization has no delegation policy: DescribeResourcePolicy's answer is its
        // not-found error, past the engine.
        let past_the_engine =
            ok.status == 200 || ok.body.contains("ResourcePolicyNotFoundException");
        assert!(past_the_engine, "{}: {}", op.name, ok.body);
        let refused = server.call_json(&nobody(), op.name, &body);
        let refused_body: Value = serde_json::from_str(&refused.body).unwrap();
        assert_eq!(
            (refused.status, refused_body["__type"].as_str()),
            (400, Some("AccessDeniedException")),
            "{}: {}",
            op.name,
            refused.body
        );
    }
}
