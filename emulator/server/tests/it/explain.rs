//! `explain` decides as the server does: it allowed nothing it should not and denied what
//! the server allows, in five ways outside testing found.

use rolecall_server::explain::{explain, Answer, Question};

const SCENARIO: &str = r#"
organization:
  management_account: "111111111111"
accounts:
  - id: "111111111111"
    users:
      - name: everything
        policies:
          - name: All
            document: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "*", Resource: "*" }] }
      - name: denied
        policies:
          - name: DenyAll
            document: { Version: "2012-10-17", Statement: [{ Effect: Deny, Action: "*", Resource: "*" }] }
      - name: nothing
      - name: from-somewhere
        policies:
          - name: WithSourceIp
            document:
              Version: "2012-10-17"
              Statement:
                - { Effect: Allow, Action: "ec2:*", Resource: "*", Condition: { "Null": { "aws:SourceIp": "false" } } }
    roles:
      - name: Worker
        trust_policy: { Version: "2012-10-17", Statement: [{ Effect: Allow, Principal: { AWS: "111111111111" }, Action: "sts:AssumeRole" }] }
        policies:
          - name: All
            document: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "*", Resource: "*" }] }
  - id: "222222222222"
"#;

fn ask(principal: &str, action: &str, resource: &str) -> Answer {
    ask_with(principal, action, resource, &[], true)
}

fn ask_with(
    principal: &str,
    action: &str,
    resource: &str,
    session_policies: &[String],
    default_context: bool,
) -> Answer {
    let world = rolecall_model::scenario::load_str(SCENARIO, "explain.yaml").unwrap();
    explain(
        &world,
        &Question {
            principal_arn: principal,
            action,
            resource,
            region: "us-east-1",
            context: &[],
            session_policies,
            default_context,
        },
    )
    .unwrap()
}

const EVERYTHING: &str = "arn:aws:iam::111111111111:user/everything";

#[test]
fn an_action_that_needs_no_permission_is_allowed_whatever_the_policies_say() {
    let answer = ask(
        "arn:aws:iam::111111111111:user/denied",
        "sts:GetCallerIdentity",
        "*",
    );
    assert!(answer.allowed, "{}", answer.summary);
    assert_eq!(
        answer.summary,
        "allow: sts:GetCallerIdentity needs no permission"
    );
}

#[test]
fn another_accounts_resource_without_a_resource_policy_is_out_of_reach() {
    let queue = "arn:aws:sqs:us-east-1:222222222222:work";
    let answer = ask(EVERYTHING, "sqs:SendMessage", queue);
    assert!(!answer.allowed);
    // Both accounts are in the organization: the reason is named.
    assert_eq!(
        answer.message.as_deref(),
        Some("User: arn:aws:iam::111111111111:user/everything is not authorized to perform: sqs:SendMessage on resource: arn:aws:sqs:us-east-1:222222222222:work because no resource-based policy allows the sqs:SendMessage action")
    );
    // In its own account, the identity policy reaches it.
    assert!(
        ask(
            EVERYTHING,
            "sqs:SendMessage",
            "arn:aws:sqs:us-east-1:111111111111:work"
        )
        .allowed
    );
}

#[test]
fn an_aws_owned_resource_is_reached_by_an_identity_allow_and_its_denial_is_not_cross_account() {
    let policy = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    assert!(ask(EVERYTHING, "iam:GetPolicy", policy).allowed);
    let answer = ask(
        "arn:aws:iam::111111111111:user/nothing",
        "iam:GetPolicy",
        policy,
    );
    assert!(!answer.allowed);
    assert_eq!(
        answer.message.as_deref(),
        Some("User: arn:aws:iam::111111111111:user/nothing is not authorized to perform: iam:GetPolicy on resource: arn:aws:iam::aws:policy/ReadOnlyAccess because no identity-based policy allows the iam:GetPolicy action")
    );
}

#[test]
fn a_kms_key_without_a_key_policy_admits_no_one() {
    let key = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let answer = ask(EVERYTHING, "kms:Decrypt", key);
    assert!(!answer.allowed);
    assert_eq!(
        answer.message.as_deref(),
        Some("User: arn:aws:iam::111111111111:user/everything is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab because no resource-based policy allows the kms:Decrypt action")
    );
}

#[test]
fn a_sessions_policies_limit_it() {
    let session = "arn:aws:sts::111111111111:assumed-role/Worker/batch";
    assert!(ask(session, "ec2:DescribeInstances", "*").allowed);
    let regions_only = vec![r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:DescribeRegions","Resource":"*"}]}"#.to_string()];
    assert!(ask_with(session, "ec2:DescribeRegions", "*", &regions_only, true).allowed);
    let answer = ask_with(session, "ec2:DescribeInstances", "*", &regions_only, true);
    assert!(!answer.allowed);
    assert_eq!(
        answer.message.as_deref(),
        Some("User: arn:aws:sts::111111111111:assumed-role/Worker/batch is not authorized to perform: ec2:DescribeInstances because no session policy allows the ec2:DescribeInstances action")
    );
}

#[test]
fn the_default_context_can_be_left_out() {
    let user = "arn:aws:iam::111111111111:user/from-somewhere";
    assert!(ask(user, "ec2:DescribeInstances", "*").allowed);
    let answer = ask_with(user, "ec2:DescribeInstances", "*", &[], false);
    assert!(
        !answer.allowed,
        "without aws:SourceIp the condition does not hold"
    );
}
