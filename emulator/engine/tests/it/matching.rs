//! Action, Resource and their Not* forms: wildcards, case rules, ARN segments, policy
//! variables and the policy version. Facts: IAM User Guide
//! reference_policies_elements_action.md (actions are case-insensitive),
//! reference_policies_elements_resource.md (resource ARNs are case-sensitive, `*` spans
//! `/`), reference_policies_elements_condition_operators.md (each ARN segment separately),
//! reference_policies_variables.md (variables need Version 2012-10-17).

use crate::support::*;

/// (name, statement members after Effect, request action, request resource, context, allowed?)
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    bool,
);

const ROLE_X: &str = "arn:aws:iam::222222222222:role/X";

#[rustfmt::skip]
const ROWS: &[Row] = &[
    ("action_exact", r#""Action":"sts:AssumeRole","Resource":"*""#, "sts:AssumeRole", ROLE_X, &[], true),
    ("action_ignores_case", r#""Action":"STS:assumerole","Resource":"*""#, "sts:AssumeRole", ROLE_X, &[], true),
    ("action_service_star", r#""Action":"sts:*","Resource":"*""#, "sts:AssumeRole", ROLE_X, &[], true),
    ("action_prefix_star", r#""Action":"sts:Assume*","Resource":"*""#, "sts:AssumeRole", ROLE_X, &[], true),
    ("action_question_mark", r#""Action":"sts:Assume?ole","Resource":"*""#, "sts:AssumeRole", ROLE_X, &[], true),
    ("action_other_prefix", r#""Action":"sts:Get*","Resource":"*""#, "sts:AssumeRole", ROLE_X, &[], false),
    ("action_star", r#""Action":"*","Resource":"*""#, "sts:AssumeRole", ROLE_X, &[], true),
    ("action_list_is_ored", r#""Action":["ec2:Describe*","sts:AssumeRole"],"Resource":"*""#, "sts:AssumeRole", ROLE_X, &[], true),
    ("action_other_service", r#""Action":"ec2:*","Resource":"*""#, "sts:AssumeRole", ROLE_X, &[], false),
    ("action_longer_name", r#""Action":"sts:AssumeRole","Resource":"*""#, "sts:AssumeRoleWithSAML", ROLE_X, &[], false),
    ("action_star_suffix_longer_name", r#""Action":"sts:AssumeRole*","Resource":"*""#, "sts:AssumeRoleWithSAML", ROLE_X, &[], true),
    ("not_action_other_service", r#""NotAction":"ec2:*","Resource":"*""#, "sts:AssumeRole", ROLE_X, &[], true),
    ("not_action_listed", r#""NotAction":"sts:*","Resource":"*""#, "sts:AssumeRole", ROLE_X, &[], false),
    ("not_action_list", r#""NotAction":["iam:*","sts:Get*"],"Resource":"*""#, "sts:AssumeRole", ROLE_X, &[], true),
    ("not_action_ignores_case", r#""NotAction":"STS:ASSUMEROLE","Resource":"*""#, "sts:AssumeRole", ROLE_X, &[], false),
    ("resource_star", r#""Action":"*","Resource":"*""#, "sts:AssumeRole", ROLE_X, &[], true),
    ("resource_exact", r#""Action":"*","Resource":"arn:aws:iam::222222222222:role/X""#, "sts:AssumeRole", ROLE_X, &[], true),
    ("resource_name_star", r#""Action":"*","Resource":"arn:aws:iam::222222222222:role/*""#, "sts:AssumeRole", ROLE_X, &[], true),
    ("resource_account_star", r#""Action":"*","Resource":"arn:aws:iam::*:role/X""#, "sts:AssumeRole", ROLE_X, &[], true),
    ("resource_is_case_sensitive", r#""Action":"*","Resource":"arn:aws:iam::222222222222:role/x""#, "sts:AssumeRole", ROLE_X, &[], false),
    ("resource_star_spans_slashes", r#""Action":"*","Resource":"arn:aws:iam::222222222222:role/path/*""#, "sts:AssumeRole", "arn:aws:iam::222222222222:role/path/sub/R", &[], true),
    ("resource_region_star", r#""Action":"*","Resource":"arn:aws:iam:*:222222222222:role/X""#, "sts:AssumeRole", ROLE_X, &[], true),
    ("resource_star_does_not_cross_colons", r#""Action":"*","Resource":"arn:*:role/X""#, "sts:AssumeRole", ROLE_X, &[], false),
    ("resource_question_mark", r#""Action":"*","Resource":"arn:aws:iam::222222222222:role/?""#, "sts:AssumeRole", ROLE_X, &[], true),
    ("resource_other_account", r#""Action":"*","Resource":"arn:aws:iam::111111111111:role/X""#, "sts:AssumeRole", ROLE_X, &[], false),
    ("resource_arn_against_star_request", r#""Action":"*","Resource":"arn:aws:iam::222222222222:role/X""#, "ec2:DescribeInstances", "*", &[], false),
    ("resource_star_against_star_request", r#""Action":"*","Resource":"*""#, "ec2:DescribeInstances", "*", &[], true),
    ("resource_list_is_ored", r#""Action":"*","Resource":["arn:aws:iam::222222222222:role/A","arn:aws:iam::222222222222:role/X"]"#, "sts:AssumeRole", ROLE_X, &[], true),
    ("resource_ec2_instance", r#""Action":"*","Resource":"arn:aws:ec2:*:111111111111:instance/*""#, "ec2:StartInstances", "arn:aws:ec2:us-east-1:111111111111:instance/i-1", &[], true),
    ("resource_part_with_colons", r#""Action":"*","Resource":"arn:aws:logs:us-east-1:111111111111:log-group:app:*""#, "logs:PutLogEvents", "arn:aws:logs:us-east-1:111111111111:log-group:app:log-stream:s", &[], true),
    ("resource_prefix_star_pattern", r#""Action":"*","Resource":"arn:aws:s3:::*""#, "s3:GetObject", "arn:aws:s3:::bucket/key", &[], true),
    ("not_resource_other", r#""Action":"*","NotResource":"arn:aws:iam::222222222222:role/Y""#, "sts:AssumeRole", ROLE_X, &[], true),
    ("not_resource_listed", r#""Action":"*","NotResource":"arn:aws:iam::222222222222:role/X""#, "sts:AssumeRole", ROLE_X, &[], false),
    ("not_resource_star", r#""Action":"*","NotResource":"*""#, "sts:AssumeRole", ROLE_X, &[], false),
    ("resource_variable", r#""Action":"*","Resource":"arn:aws:iam::111111111111:user/${aws:username}""#, "iam:GetUser", ALICE_ARN, &[("aws:username", "alice")], true),
    ("resource_variable_other_user", r#""Action":"*","Resource":"arn:aws:iam::111111111111:user/${aws:username}""#, "iam:GetUser", ALICE_ARN, &[("aws:username", "bob")], false),
    ("resource_variable_missing", r#""Action":"*","Resource":"arn:aws:iam::111111111111:user/${aws:username}""#, "iam:GetUser", ALICE_ARN, &[], false),
    ("resource_variable_default", r#""Action":"*","Resource":"arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'shared'}/*""#, "s3:GetObject", "arn:aws:s3:::bucket/shared/x", &[], true),
    ("resource_variable_in_account_segment", r#""Action":"*","Resource":"arn:aws:iam::${aws:PrincipalAccount}:role/*""#, "sts:AssumeRole", TARGET_ROLE_A, &[("aws:PrincipalAccount", "111111111111")], true),
    ("resource_variable_case_insensitive_key", r#""Action":"*","Resource":"arn:aws:iam::111111111111:user/${AWS:USERNAME}""#, "iam:GetUser", ALICE_ARN, &[("aws:username", "alice")], true),
];

#[test]
fn matching_table() {
    let mut failures = Vec::new();
    for (name, members, action, resource, ctx, expected) in ROWS {
        let policy =
            format!(r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow",{members}}}}}"#);
        let mut case = Case {
            action,
            resource,
            identity: vec![policy],
            context: ctx.to_vec(),
            ..Case::default()
        };
        if *action == "sts:AssumeRole" {
            // A trust policy that trusts the account leaves the decision to the identity policy.
            case.side = Side::Trust(Some(trust("\"111111111111\"")));
            case.resource_account = Some(A);
        }
        if case.run().0.is_allowed() != *expected {
            failures.push(format!("{name}: expected {expected}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Without Version 2012-10-17, `${...}` is literal text (reference_policies_variables.md).
#[test]
fn variables_are_literal_in_2008_and_without_version() {
    for version in [r#""Version":"2008-10-17","#, ""] {
        let policy = format!(
            r#"{{{version}"Statement":{{"Effect":"Allow","Action":"*","Resource":"arn:aws:iam::111111111111:user/${{aws:username}}"}}}}"#
        );
        let literal = Case {
            action: "iam:GetUser",
            resource: "arn:aws:iam::111111111111:user/${aws:username}",
            identity: vec![policy.clone()],
            context: vec![("aws:username", "alice")],
            ..Case::default()
        };
        assert!(literal.run().0.is_allowed(), "{policy}");
        let substituted = Case {
            resource: ALICE_ARN,
            ..literal
        };
        assert!(!substituted.run().0.is_allowed(), "{policy}");
    }
}

#[test]
fn condition_variables_are_literal_in_2008() {
    let policy = r#"{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"who":"${aws:username}"}}}}"#;
    let case = |who| Case {
        identity: vec![policy.to_string()],
        context: vec![("who", who), ("aws:username", "alice")],
        ..Case::default()
    };
    assert!(case("${aws:username}").run().0.is_allowed());
    assert!(!case("alice").run().0.is_allowed());
}

#[test]
fn a_single_statement_object_is_accepted() {
    let policy = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:*","Resource":"*"}}"#;
    let case = Case {
        identity: vec![policy.to_string()],
        ..Case::default()
    };
    assert!(case.run().0.is_allowed());
}
