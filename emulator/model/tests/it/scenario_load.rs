//! Scenario files: the embedded default loads with AWS's defaults applied, and every kind of
//! mistake is reported with its line and column.

use rolecall_model::scenario::{self, load_str};

#[test]
fn the_default_scenario_applies_awss_organization_defaults() {
    let world = scenario::default_world();
    let created = world.account("333333333333").unwrap();
    let invited = world.account("222222222222").unwrap();
    // Created accounts get OrganizationAccountAccessRole; invited ones do not.
    assert!(created.roles.contains_key("OrganizationAccountAccessRole"));
    assert!(!invited.roles.contains_key("OrganizationAccountAccessRole"));
    // SCPs govern members (root level + account level, FullAWSAccess at each) but not the
    // management account.
    assert_eq!(created.scp_levels.len(), 2);
    assert!(created
        .scp_levels
        .iter()
        .all(|l| l.policies[0].name == "FullAWSAccess"));
    assert!(world.account("111111111111").unwrap().scp_levels.is_empty());
    assert_eq!(
        world.long_term_key("AKIAIOSFODNN7EXAMPLE").unwrap().account,
        "111111111111"
    );
    assert_eq!(created.inventory.region("us-east-1").instances.len(), 5);
    assert_eq!(created.inventory.region("eu-west-1").instances.len(), 2);
    assert_eq!(invited.inventory.region("us-east-1").instances.len(), 3);
}

#[test]
fn every_shipped_scenario_loads() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            scenario::load_file(&path).unwrap_or_else(|e| panic!("{e}"));
            count += 1;
        }
    }
    assert!(count >= 1);
}

fn problems(text: &str) -> String {
    load_str(text, "s.yaml").unwrap_err().to_string()
}

#[test]
fn an_unknown_key_is_reported_where_it_stands() {
    let e = problems("accounts:\n  - id: \"111111111111\"\n    userz: []\n");
    assert!(e.starts_with("s.yaml:3:5: "), "{e}");
    assert!(e.contains("userz"), "{e}");
}

#[test]
fn a_bad_account_id_and_a_missing_management_account_are_both_reported() {
    let e = problems(
        "organization:\n  management_account: \"999999999999\"\naccounts:\n  - id: \"12345\"\n",
    );
    let lines: Vec<&str> = e.lines().collect();
    assert_eq!(lines.len(), 2, "{e}");
    assert!(
        lines[0].starts_with("s.yaml:2:23: the management account 999999999999"),
        "{e}"
    );
    assert!(
        lines[1].starts_with("s.yaml:4:9: '12345' is not an account id"),
        "{e}"
    );
}

#[test]
fn a_malformed_policy_points_into_the_document() {
    let e = problems(concat!(
        "accounts:\n",
        "  - id: \"111111111111\"\n",
        "    users:\n",
        "      - name: u\n",
        "        policies:\n",
        "          - name: p\n",
        "            document:\n",
        "              Version: \"2012-10-17\"\n",
        "              Statement:\n",
        "                - Effect: Permit\n",
        "                  Action: \"*\"\n",
        "                  Resource: \"*\"\n",
    ));
    assert!(e.starts_with("s.yaml:10:"), "{e}");
    assert!(e.contains("Permit"), "{e}");
}

#[test]
fn duplicate_keys_and_dangling_references_are_reported() {
    let e = problems(concat!(
        "accounts:\n",
        "  - id: \"111111111111\"\n",
        "    users:\n",
        "      - name: a\n",
        "        access_keys: [{ id: AKIAAAAAAAAAAAAAAAAA, secret: sssssssssssssssssssss }]\n",
        "        groups: [nope]\n",
        "      - name: b\n",
        "        access_keys: [{ id: AKIAAAAAAAAAAAAAAAAA, secret: sssssssssssssssssssss }]\n",
    ));
    assert!(e.contains("s.yaml:6:18: no group named 'nope'"), "{e}");
    assert!(
        e.contains("s.yaml:8:29: the access key id AKIAAAAAAAAAAAAAAAAA is used twice"),
        "{e}"
    );
}

#[test]
fn unknown_ous_scps_and_regions_are_reported() {
    let e = problems(concat!(
        "organization:\n",
        "  management_account: \"111111111111\"\n",
        "  ous:\n",
        "    - name: Workloads\n",
        "      scps: [Missing]\n",
        "accounts:\n",
        "  - id: \"111111111111\"\n",
        "  - id: \"222222222222\"\n",
        "    ou: Workload\n",
        "    ec2:\n",
        "      mars-north-1:\n",
        "        instances: []\n",
    ));
    assert!(
        e.contains("s.yaml:5:14: no service control policy named 'Missing'"),
        "{e}"
    );
    assert!(e.contains("s.yaml:9:9: no OU 'Workload'"), "{e}");
    assert!(
        e.contains("s.yaml:11:7: 'mars-north-1' is not a region"),
        "{e}"
    );
}

#[test]
fn yaml_syntax_errors_have_a_position() {
    let e = problems("accounts: [\n");
    assert!(e.starts_with("s.yaml:"), "{e}");
    assert!(!e.starts_with("s.yaml:0:0"), "{e}");
}

#[test]
fn delegated_administrators_are_checked_against_the_organization() {
    let e = problems(concat!(
        "organization:\n",
        "  management_account: \"111111111111\"\n",
        "  delegated_administrators:\n",
        "    - { account: \"999999999999\", service_principal: securityhub.amazonaws.com }\n",
        "    - { account: \"111111111111\", service_principal: securityhub.amazonaws.com }\n",
        "    - { account: \"333333333333\", service_principal: securityhub.amazonaws.com }\n",
        "    - { account: \"222222222222\", service_principal: securityhub }\n",
        "    - { account: \"222222222222\", service_principal: guardduty.amazonaws.com }\n",
        "    - { account: \"222222222222\", service_principal: guardduty.amazonaws.com }\n",
        "    - account: \"222222222222\"\n",
        "      service_principal: config.amazonaws.com\n",
        "      registered_at: 2020-01-01T00:00:00Z\n",
        "accounts:\n",
        "  - id: \"111111111111\"\n",
        "  - id: \"222222222222\"\n",
        "    joined_at: 2021-06-01T00:00:00Z\n",
        "  - id: \"333333333333\"\n",
        "    in_organization: false\n",
    ));
    let lines: Vec<&str> = e.lines().collect();
    assert_eq!(
        lines,
        vec![
            "s.yaml:4:18: no account 999999999999 is declared under accounts",
            "s.yaml:5:18: the management account cannot be registered as a delegated administrator",
            "s.yaml:6:18: account 333333333333 is outside the organization, so it cannot be a delegated administrator",
            "s.yaml:7:53: 'securityhub' is not a service principal such as securityhub.amazonaws.com",
            "s.yaml:9:18: account 222222222222 is already registered as a delegated administrator for guardduty.amazonaws.com",
            "s.yaml:12:22: account 222222222222 joined the organization at 2021-06-01T00:00:00Z; it cannot have been registered before that",
        ],
        "{e}"
    );
}

#[test]
fn a_malformed_delegation_policy_is_reported_in_place() {
    // A resource-based policy: every statement names a principal.
    let e = problems(concat!(
        "organization:\n",
        "  management_account: \"111111111111\"\n",
        "  delegation_policy:\n",
        "    Version: \"2012-10-17\"\n",
        "    Statement:\n",
        "      - Effect: Allow\n",
        "        Action: organizations:ListAccounts\n",
        "        Resource: \"*\"\n",
        "accounts:\n",
        "  - id: \"111111111111\"\n",
    ));
    assert_eq!(
        e,
        "s.yaml:6:9: malformed policy document: every statement of a resource-based policy needs a Principal"
    );
}

/// A clock the emulator cannot show would wrap around; the scenario says where it starts.
#[test]
fn a_clock_start_outside_the_clocks_range_is_a_problem() {
    assert_eq!(
        problems("clock: { start: \"1900-01-01T00:00:00Z\" }\naccounts:\n  - id: \"111111111111\"\n"),
        "s.yaml:1:17: '1900-01-01T00:00:00Z': the clock can show times from 1970-01-01T00:00:00Z to 2262-04-11T23:47:16Z only"
    );
}

/// An unknown key stopped the reader, so the other problems appeared only once it was fixed:
/// every problem is now reported at once, in file order.
#[test]
fn every_problem_is_reported_at_once() {
    let text = "\
organization:
  management_account: \"999999999999\"
accounts:
  - id: \"12345\"
    userz: []
  - id: \"222222222222\"
    users:
      - { name: alice, acces_keys: [] }
    ec2:
      us-east-1:
        instances:
          - { id: i-0aaa0000000000001, type: t3.micro, ami: ami-1 }
";
    let e = load_str(text, "s.yaml").unwrap_err();
    let shown: Vec<String> = e
        .problems
        .iter()
        .map(|p| format!("{}: {}", p.at, p.message.split(',').next().unwrap_or("")))
        .collect();
    assert_eq!(e.problems.len(), 5, "{e}");
    assert!(shown[0].starts_with("2:23: "), "{shown:?}");
    assert!(shown[1].starts_with("4:9: "), "{shown:?}");
    assert_eq!(shown[2], "5:5: unknown field `userz`");
    assert_eq!(shown[3], "8:24: unknown field `acces_keys`");
    assert_eq!(shown[4], "12:56: unknown field `ami`");
}

/// A policy whose compact JSON is `size` characters long, white space left aside: the padding
/// is the statement's Sid.
fn policy_of_size(size: usize) -> String {
    let empty = r#"{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    let sid = "A".repeat(size - empty.len());
    empty.replace(r#""Sid":"""#, &format!(r#""Sid":"{sid}""#))
}

/// The same policy spread over lines and indented, as people write it: IAM does not count the
/// white space, Organizations does.
fn spread(policy: &str) -> String {
    policy
        .replace('{', "{\n          ")
        .replace(',', ",\n          ")
}

fn one_account(body: &str) -> String {
    format!("accounts:\n  - id: \"111111111111\"\n{body}")
}

// IAM and AWS STS quotas (IAM User Guide): a managed policy 6,144 characters, white space not
// counted.
#[test]
fn a_managed_policy_larger_than_iams_quota_is_refused_where_it_is_written() {
    let at_quota = spread(&policy_of_size(6_144));
    let text = |doc: &str| {
        one_account(&format!(
            "    policies:\n      - name: Big\n        document: {doc}\n"
        ))
    };
    load_str(&text(&at_quota), "s.yaml").expect("6,144 characters fit, however spread out");
    let e = problems(&text(&policy_of_size(6_145)));
    assert_eq!(
        e,
        "s.yaml:5:19: a managed policy: 6145 characters (white space not counted); AWS allows at most 6144 (PolicySizeQuota)"
    );
}

// A user's inline policies count together against 2,048 characters.
#[test]
fn a_users_inline_policies_together_are_held_to_iams_quota() {
    let first = policy_of_size(1_024);
    let text = |second: usize| {
        one_account(&format!(
            "    users:\n      - name: u\n        policies:\n          - name: a\n            document: {first}\n          - name: b\n            document: {}\n",
            policy_of_size(second)
        ))
    };
    load_str(&text(1_024), "s.yaml").expect("2,048 in all fit");
    let e = problems(&text(1_025));
    assert_eq!(
        e,
        "s.yaml:9:23: the inline policies of a user, together: 2049 characters (white space not counted); AWS allows at most 2048 (UserPolicySizeQuota)"
    );
}

#[test]
fn a_trust_policy_larger_than_iams_quota_is_refused() {
    let trust = |size: usize| {
        let empty = r#"{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole"}]}"#;
        let sid = "A".repeat(size - empty.len());
        one_account(&format!(
            "    roles:\n      - name: r\n        trust_policy: {}\n",
            empty.replace(r#""Sid":"""#, &format!(r#""Sid":"{sid}""#))
        ))
    };
    load_str(&trust(2_048), "s.yaml").expect("2,048 characters fit");
    let e = problems(&trust(2_049));
    assert!(
        e.ends_with("a role's trust policy: 2049 characters (white space not counted); AWS allows at most 2048 (AssumeRolePolicySizeQuota)"),
        "{e}"
    );
}

// Organizations counts every character of an SCP's text, 5,120 at most. The text of a policy
// written in a scenario is its compact JSON, which DescribePolicy shows as its Content.
#[test]
fn a_service_control_policy_is_held_to_organizations_quota() {
    let text = |doc: &str| {
        format!(
            "organization:\n  management_account: \"111111111111\"\n  service_control_policies:\n    - name: Big\n      document: {doc}\naccounts:\n  - id: \"111111111111\"\n"
        )
    };
    load_str(&text(&spread(&policy_of_size(5_120))), "s.yaml").expect("5,120 characters fit");
    let e = problems(&text(&policy_of_size(5_121)));
    assert_eq!(
        e,
        "s.yaml:5:17: a service control policy: 5121 characters; AWS allows at most 5120 (maximum size of a policy document)"
    );
}

// Found by fuzzing the loader: a management account that is no account id, with a member
// created through Organizations, panicked while writing OrganizationAccountAccessRole's trust
// policy instead of reporting the id.
#[test]
fn a_management_account_that_is_no_account_id_is_reported_not_a_panic() {
    for id in ["x", "12345", "1234567890ab", "\\\"}]"] {
        let text = format!(
            "organization:\n  management_account: \"{id}\"\naccounts:\n  - id: \"222222222222\"\n    joined: created\n"
        );
        let e = problems(&text);
        assert!(e.contains("is not among the scenario's accounts"), "{e}");
    }
}
