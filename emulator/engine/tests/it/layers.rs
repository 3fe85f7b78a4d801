//! The layered decision and the exact denial sentence for each kind of denial.
//!
//! Sources: IAM User Guide "Policy evaluation logic" (EVAL), "Cross-account policy
//! evaluation logic" (XACCT), "Troubleshoot access denied error messages" (TS-AD), the STS
//! AssumeRole API reference (STS), AWS Organizations SCP guide (SCP), and captured AWS
//! output (OBSERVED). Choices where AWS is ambiguous are documented on `rolecall_engine::authz`.

use crate::support::*;
use rolecall_engine::authz::{Outcome, PolicyType};

enum Expect {
    Allow,
    Implicit(String),
    Explicit(String),
}
use Expect::*;

/// "User: <alice> is not authorized to perform: <action>[ on resource: <r>]<tail>"
fn alice_denied(action: &str, resource: Option<&str>, tail: &str) -> String {
    denied(ALICE_ARN, action, resource, tail)
}

fn denied(caller: &str, action: &str, resource: Option<&str>, tail: &str) -> String {
    let on = resource.map_or(String::new(), |r| format!(" on resource: {r}"));
    format!("User: {caller} is not authorized to perform: {action}{on}{tail}")
}

fn because(kind: &str, action: &str) -> String {
    format!(" because no {kind} allows the {action} action")
}

const ASSUME: &str = "sts:AssumeRole";
const DESCRIBE: &str = "ec2:DescribeInstances";

fn full_chain(targets: &[&'static str]) -> Vec<(&'static str, Vec<String>)> {
    targets.iter().map(|t| (*t, vec![allow("*")])).collect()
}

#[rustfmt::skip]
fn cases() -> Vec<(&'static str, Case, Expect)> {
    let a_root = || trust(&format!("\"{ROOT_A}\""));
    let assume_b = |trust: Option<String>| Case::assume(OAAR_B, B, trust);
    let assume_a = |trust: Option<String>| Case::assume(TARGET_ROLE_A, A, trust);
    let bare_b = alice_denied(ASSUME, Some(OAAR_B), "");
    let bare_a = alice_denied(ASSUME, Some(TARGET_ROLE_A), "");
    let identity_b = alice_denied(ASSUME, Some(OAAR_B), &because("identity-based policy", ASSUME));
    let identity_a = alice_denied(ASSUME, Some(TARGET_ROLE_A), &because("identity-based policy", ASSUME));
    let session_assume = |tail: &str| denied(DEPLOYER_SESSION, ASSUME, Some(TARGET_ROLE_A), tail);
    let describe = |tail: &str| alice_denied(DESCRIBE, None, tail);
    let ec2_only = || allow("ec2:*");
    let s3_get = "s3:GetObject";
    let object_a = "arn:aws:s3:::bucket-a/key";
    let resource_policy = |principal: &str, effect: &str| {
        format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"{effect}","Principal":{principal},"Action":"s3:*","Resource":"*"}}]}}"#)
    };
    let s3 = |account: &'static str, side: String| Case {
        action: s3_get,
        resource: object_a,
        resource_account: Some(account),
        side: Side::Based(side),
        show_resource: true,
        ..Case::default()
    };
    let s3_denied = |tail: &str| alice_denied(s3_get, Some(object_a), tail);

    vec![
        // --- sts:AssumeRole across accounts (STS, XACCT) ---
        ("xacct_trust_names_account_and_identity_allows", Case { identity: vec![allow(ASSUME)], ..assume_b(Some(a_root())) }, Allow),
        ("xacct_trust_bare_account_id_same_as_root_arn", Case { identity: vec![allow(ASSUME)], ..assume_b(Some(trust("\"111111111111\""))) }, Allow),
        ("xacct_no_identity_policy_outside_org_is_bare_observed", assume_b(Some(a_root())), Implicit(bare_b.clone())),
        ("xacct_no_identity_policy_same_org_names_identity_observed", assume_b(Some(a_root())).same_org(), Implicit(identity_b.clone())),
        ("xacct_trust_names_management_only_is_bare_observed", Case { identity: vec![allow("*")], ..assume_b(Some(trust(&format!("\"arn:aws:iam::{MGMT}:root\"")))) }, Implicit(bare_b.clone())),
        ("xacct_trust_mismatch_same_org_still_bare_observed", Case { identity: vec![allow("*")], ..assume_b(Some(trust(&format!("\"{MGMT}\"")))).same_org() }, Implicit(bare_b.clone())),
        ("missing_role_is_bare_observed", Case { identity: vec![allow("*")], ..assume_b(None) }, Implicit(bare_b.clone())),
        ("missing_role_same_org_is_bare", Case { identity: vec![allow("*")], ..assume_b(None).same_org() }, Implicit(bare_b.clone())),
        ("xacct_trust_names_user_still_needs_identity_xacct", assume_b(Some(trust(&format!("\"{ALICE_ARN}\"")))).same_org(), Implicit(identity_b.clone())),
        ("xacct_trust_names_user_and_identity_allows", Case { identity: vec![allow(ASSUME)], ..assume_b(Some(trust(&format!("\"{ALICE_ARN}\"")))) }, Allow),
        ("xacct_identity_allows_other_role_only", Case { identity: vec![doc(&[&stmt("Allow", "\"sts:AssumeRole\"", "\"arn:aws:iam::222222222222:role/Other\"", "")])], ..assume_b(Some(a_root())).same_org() }, Implicit(identity_b.clone())),
        ("xacct_identity_allows_this_role", Case { identity: vec![doc(&[&stmt("Allow", "\"sts:AssumeRole\"", &format!("\"{OAAR_B}\""), "")])], ..assume_b(Some(a_root())) }, Allow),
        ("xacct_trust_principal_star_needs_identity", assume_b(Some(trust("\"*\""))).same_org(), Implicit(identity_b.clone())),
        ("xacct_trust_external_id_missing_is_bare", Case { identity: vec![allow(ASSUME)], ..assume_b(Some(format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{A}"}},"Action":"sts:AssumeRole","Condition":{{"StringEquals":{{"sts:ExternalId":"x-1"}}}}}}]}}"#))) }, Implicit(bare_b.clone())),
        ("xacct_trust_external_id_present", Case { identity: vec![allow(ASSUME)], context: vec![("sts:ExternalId", "x-1")], ..assume_b(Some(format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{A}"}},"Action":"sts:AssumeRole","Condition":{{"StringEquals":{{"sts:ExternalId":"x-1"}}}}}}]}}"#))) }, Allow),
        ("trust_with_only_a_service_principal_is_bare", Case { identity: vec![allow("*")], ..assume_b(Some(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#.into())) }, Implicit(bare_b.clone())),
        ("trust_for_another_action_is_bare", Case { identity: vec![allow("*")], ..assume_b(Some(format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{A}"}},"Action":"sts:TagSession"}}]}}"#))) }, Implicit(bare_b.clone())),
        ("xacct_explicit_deny_in_identity_same_org", Case { identity: vec![allow("*"), deny(ASSUME)], ..assume_b(Some(a_root())).same_org() }, Explicit(alice_denied(ASSUME, Some(OAAR_B), " with an explicit deny in an identity-based policy"))),
        ("xacct_explicit_deny_outside_org_is_bare", Case { identity: vec![allow("*"), deny(ASSUME)], ..assume_b(Some(a_root())) }, Explicit(bare_b.clone())),
        ("xacct_explicit_deny_in_trust_same_org_ts_ad", Case { identity: vec![allow("*")], ..assume_b(Some(format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{A}"}},"Action":"sts:AssumeRole"}},{{"Effect":"Deny","Principal":{{"AWS":"{ALICE_ARN}"}},"Action":"sts:AssumeRole"}}]}}"#))).same_org() }, Explicit(alice_denied(ASSUME, Some(OAAR_B), " with an explicit deny in the role trust policy"))),
        // --- sts:AssumeRole within one account (STS: a trust policy naming the user suffices) ---
        ("same_account_trust_names_user_needs_no_identity_sts", assume_a(Some(trust(&format!("\"{ALICE_ARN}\"")))), Allow),
        ("same_account_trust_names_account_needs_identity_sts", assume_a(Some(a_root())), Implicit(identity_a.clone())),
        ("same_account_trust_bare_id_needs_identity_sts", assume_a(Some(trust("\"111111111111\""))), Implicit(identity_a.clone())),
        ("same_account_trust_names_account_identity_allows", Case { identity: vec![allow(ASSUME)], ..assume_a(Some(a_root())) }, Allow),
        ("same_account_identity_never_bypasses_trust_eval", Case { identity: vec![allow("*")], ..assume_a(Some(trust(&format!("\"arn:aws:iam::{A}:user/someone-else\"")))) }, Implicit(bare_a.clone())),
        ("same_account_missing_role", Case { identity: vec![allow("*")], ..assume_a(None) }, Implicit(bare_a.clone())),
        ("same_account_trust_principal_star_allows", assume_a(Some(trust("\"*\""))), Allow),
        ("same_account_trust_names_user_boundary_does_not_limit_eval", Case { boundary: Some(ec2_only()), ..assume_a(Some(trust(&format!("\"{ALICE_ARN}\"")))) }, Allow),
        ("same_account_trust_names_account_boundary_limits", Case { identity: vec![allow(ASSUME)], boundary: Some(ec2_only()), ..assume_a(Some(a_root())) }, Implicit(alice_denied(ASSUME, Some(TARGET_ROLE_A), &because("permissions boundary", ASSUME)))),
        ("same_account_explicit_deny_in_trust_ts_ad", assume_a(Some(format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{ALICE_ARN}"}},"Action":"sts:AssumeRole"}},{{"Sid":"NoAlice","Effect":"Deny","Principal":{{"AWS":"{ALICE_ARN}"}},"Action":"sts:AssumeRole"}}]}}"#))), Explicit(alice_denied(ASSUME, Some(TARGET_ROLE_A), " with an explicit deny in the role trust policy"))),
        ("same_account_explicit_deny_in_identity_beats_trust", Case { identity: vec![deny(ASSUME)], ..assume_a(Some(trust(&format!("\"{ALICE_ARN}\"")))) }, Explicit(alice_denied(ASSUME, Some(TARGET_ROLE_A), " with an explicit deny in an identity-based policy"))),
        // --- role sessions (EVAL: a role ARN principal matches its sessions) ---
        ("session_trust_names_role_allows", Case { caller: deployer_session(), ..assume_a(Some(trust(&format!("\"{DEPLOYER_ROLE}\"")))) }, Allow),
        ("session_trust_names_other_role_is_bare", Case { caller: deployer_session(), identity: vec![allow("*")], ..assume_a(Some(trust("\"arn:aws:iam::111111111111:role/Other\""))) }, Implicit(session_assume(""))),
        ("session_trust_names_role_session_policy_limits_eval", Case { caller: deployer_session(), session: Some(vec![ec2_only()]), ..assume_a(Some(trust(&format!("\"{DEPLOYER_ROLE}\"")))) }, Implicit(session_assume(&because("session policy", ASSUME)))),
        ("session_trust_names_role_boundary_limits_eval", Case { caller: deployer_session(), boundary: Some(ec2_only()), ..assume_a(Some(trust(&format!("\"{DEPLOYER_ROLE}\"")))) }, Implicit(session_assume(&because("permissions boundary", ASSUME)))),
        ("session_trust_names_session_arn_not_limited_by_session_policy_eval", Case { caller: deployer_session(), session: Some(vec![ec2_only()]), ..assume_a(Some(trust(&format!("\"{DEPLOYER_SESSION}\"")))) }, Allow),
        ("session_trust_names_account_needs_identity", Case { caller: deployer_session(), ..assume_a(Some(a_root())) }, Implicit(session_assume(&because("identity-based policy", ASSUME)))),
        ("session_cross_account_role_principal_with_identity", Case { caller: deployer_session(), identity: vec![allow(ASSUME)], ..assume_b(Some(trust(&format!("\"{DEPLOYER_ROLE}\"")))) }, Allow),
        ("session_cross_account_without_identity_same_org", Case { caller: deployer_session(), ..assume_b(Some(trust(&format!("\"{DEPLOYER_ROLE}\"")))).same_org() }, Implicit(denied(DEPLOYER_SESSION, ASSUME, Some(OAAR_B), &because("identity-based policy", ASSUME)))),
        ("session_explicit_deny_in_session_policy_sic", Case { caller: deployer_session(), identity: vec![allow("*")], session: Some(vec![allow("*"), deny(ASSUME)]), ..assume_a(Some(a_root())) }, Explicit(session_assume(" with an explicit deny in a sessions policy"))),
        // --- federated users ---
        ("federated_user_named_in_trust", Case { caller: bob_federated(), ..assume_a(Some(trust(&format!("\"{BOB_FEDERATED}\"")))) }, Allow),
        ("federated_user_not_named", Case { caller: bob_federated(), identity: vec![allow("*")], ..assume_a(Some(trust(&format!("\"{ALICE_ARN}\"")))) }, Implicit(denied(BOB_FEDERATED, ASSUME, Some(TARGET_ROLE_A), ""))),
        // --- the account root user ---
        ("root_cannot_assume_roles_observed", Case { caller: root_a(), ..assume_b(Some(a_root())) }, Implicit("Roles may not be assumed by root accounts.".into())),
        ("root_cannot_assume_even_own_account_roles", Case { caller: root_a(), identity: vec![allow("*")], ..assume_a(Some(trust("\"*\""))) }, Implicit("Roles may not be assumed by root accounts.".into())),
        ("root_has_full_access_eval", Case { caller: root_a(), ..Case::default() }, Allow),
        ("root_of_member_account_is_subject_to_scps_scp", Case { caller: root_a(), scps: vec![("r-root", vec![allow("*"), deny("ec2:*")])], ..Case::default() }, Explicit(denied(ROOT_A, DESCRIBE, None, " with an explicit deny in a service control policy"))),
        ("root_needs_scp_allow_at_every_level", Case { caller: root_a(), scps: vec![("r-root", vec![allow("*")]), ("111111111111", vec![allow("sts:*")])], ..Case::default() }, Implicit(denied(ROOT_A, DESCRIBE, None, &because("service control policy", DESCRIBE)))),
        // --- identity, boundary and session layers on EC2 (no resource policy) ---
        ("ec2_identity_allows", Case { identity: vec![ec2_only()], ..Case::default() }, Allow),
        ("ec2_no_identity_policy_observed", Case::default(), Implicit(describe(&because("identity-based policy", DESCRIBE)))),
        ("ec2_identity_allows_other_service", Case { identity: vec![allow("s3:*")], ..Case::default() }, Implicit(describe(&because("identity-based policy", DESCRIBE)))),
        ("ec2_identity_explicit_deny", Case { identity: vec![allow("*"), deny("ec2:Describe*")], ..Case::default() }, Explicit(describe(" with an explicit deny in an identity-based policy"))),
        ("ec2_identity_union_of_policies", Case { identity: vec![allow("s3:*"), ec2_only()], ..Case::default() }, Allow),
        ("ec2_identity_condition_false", Case { identity: vec![doc(&[&stmt("Allow", "\"*\"", "\"*\"", r#""Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}"#)])], context: vec![("aws:RequestedRegion", "eu-west-1")], ..Case::default() }, Implicit(describe(&because("identity-based policy", DESCRIBE)))),
        ("ec2_boundary_allows", Case { identity: vec![allow("*")], boundary: Some(ec2_only()), ..Case::default() }, Allow),
        ("ec2_boundary_lacks_allow_ts_ad", Case { identity: vec![allow("*")], boundary: Some(allow("s3:*")), ..Case::default() }, Implicit(describe(&because("permissions boundary", DESCRIBE)))),
        ("ec2_boundary_explicit_deny_ts_ad", Case { identity: vec![allow("*")], boundary: Some(doc(&[&stmt("Allow", "\"*\"", "\"*\"", ""), &stmt("Deny", "\"ec2:*\"", "\"*\"", "")])), ..Case::default() }, Explicit(describe(" with an explicit deny in a permissions boundary"))),
        ("ec2_boundary_alone_grants_nothing_eval", Case { boundary: Some(allow("*")), ..Case::default() }, Implicit(describe(&because("identity-based policy", DESCRIBE)))),
        ("ec2_session_policy_allows", Case { caller: deployer_session(), identity: vec![allow("*")], session: Some(vec![ec2_only()]), ..Case::default() }, Allow),
        ("ec2_session_policy_lacks_allow_ts_ad", Case { caller: deployer_session(), identity: vec![allow("*")], session: Some(vec![allow("s3:*")]), ..Case::default() }, Implicit(denied(DEPLOYER_SESSION, DESCRIBE, None, &because("session policy", DESCRIBE)))),
        ("ec2_session_policy_explicit_deny_sic_ts_ad", Case { caller: deployer_session(), identity: vec![allow("*")], session: Some(vec![deny("ec2:*")]), ..Case::default() }, Explicit(denied(DEPLOYER_SESSION, DESCRIBE, None, " with an explicit deny in a sessions policy"))),
        ("ec2_session_policies_are_a_union", Case { caller: deployer_session(), identity: vec![allow("*")], session: Some(vec![allow("s3:*"), ec2_only()]), ..Case::default() }, Allow),
        ("ec2_empty_session_policy_list_is_none", Case { caller: deployer_session(), identity: vec![allow("*")], session: Some(vec![]), ..Case::default() }, Allow),
        ("ec2_session_policy_alone_grants_nothing_eval", Case { caller: deployer_session(), session: Some(vec![allow("*")]), ..Case::default() }, Implicit(denied(DEPLOYER_SESSION, DESCRIBE, None, &because("identity-based policy", DESCRIBE)))),
        ("ec2_identity_boundary_session_all_allow", Case { caller: deployer_session(), identity: vec![ec2_only()], boundary: Some(ec2_only()), session: Some(vec![ec2_only()]), ..Case::default() }, Allow),
        ("ec2_identity_checked_before_boundary", Case { boundary: Some(allow("s3:*")), ..Case::default() }, Implicit(describe(&because("identity-based policy", DESCRIBE)))),
        ("ec2_boundary_checked_before_session", Case { caller: deployer_session(), identity: vec![allow("*")], boundary: Some(allow("s3:*")), session: Some(vec![allow("s3:*")]), ..Case::default() }, Implicit(denied(DEPLOYER_SESSION, DESCRIBE, None, &because("permissions boundary", DESCRIBE)))),
        ("ec2_resource_star_never_shown", Case { show_resource: true, ..Case::default() }, Implicit(describe(&because("identity-based policy", DESCRIBE)))),
        // --- SCP hierarchy (SCP: an Allow at every level; union within a level) ---
        ("scp_full_chain_three_levels", Case { identity: vec![allow("*")], scps: full_chain(&["r-root", "ou-a", "111111111111"]), ..Case::default() }, Allow),
        ("scp_full_chain_four_levels", Case { identity: vec![allow("*")], scps: full_chain(&["r-root", "ou-a", "ou-b", "111111111111"]), ..Case::default() }, Allow),
        ("scp_root_lacks_allow", Case { identity: vec![allow("*")], scps: vec![("r-root", vec![allow("s3:*")]), ("ou-a", vec![allow("*")]), ("111111111111", vec![allow("*")])], ..Case::default() }, Implicit(describe(&because("service control policy", DESCRIBE)))),
        ("scp_ou_lacks_allow", Case { identity: vec![allow("*")], scps: vec![("r-root", vec![allow("*")]), ("ou-a", vec![allow("s3:*")]), ("111111111111", vec![allow("*")])], ..Case::default() }, Implicit(describe(&because("service control policy", DESCRIBE)))),
        ("scp_account_lacks_allow", Case { identity: vec![allow("*")], scps: vec![("r-root", vec![allow("*")]), ("ou-a", vec![allow("*")]), ("111111111111", vec![])], ..Case::default() }, Implicit(describe(&because("service control policy", DESCRIBE)))),
        ("scp_deny_in_nested_ou", Case { identity: vec![allow("*")], scps: vec![("r-root", vec![allow("*")]), ("ou-a", vec![allow("*")]), ("ou-b", vec![allow("*"), deny("ec2:*")]), ("111111111111", vec![allow("*")])], ..Case::default() }, Explicit(describe(" with an explicit deny in a service control policy"))),
        ("scp_union_within_a_level", Case { identity: vec![allow("*")], scps: vec![("r-root", vec![allow("*")]), ("ou-a", vec![allow("s3:*"), ec2_only()]), ("111111111111", vec![allow("*")])], ..Case::default() }, Allow),
        ("scp_grants_nothing_by_itself_scp", Case { scps: full_chain(&["r-root", "111111111111"]), ..Case::default() }, Implicit(describe(&because("identity-based policy", DESCRIBE)))),
        ("scp_empty_chain_means_not_subject", Case { identity: vec![allow("*")], ..Case::default() }, Allow),
        ("scp_deny_all_but_sts_with_not_action", Case { identity: vec![allow("*")], scps: vec![("r-root", vec![allow("*"), doc(&[&stmt("Deny", "\"*\"", "\"*\"", "").replace(r#""Action":"*""#, r#""NotAction":"sts:*""#)])])], ..Case::default() }, Explicit(describe(" with an explicit deny in a service control policy"))),
        ("scp_region_deny_applies", Case { identity: vec![allow("*")], context: vec![("aws:RequestedRegion", "eu-west-1")], scps: vec![("r-root", vec![allow("*"), doc(&[&stmt("Deny", "\"*\"", "\"*\"", r#""Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1"]}}"#)])])], ..Case::default() }, Explicit(describe(" with an explicit deny in a service control policy"))),
        ("scp_region_deny_spares_allowed_region", Case { identity: vec![allow("*")], context: vec![("aws:RequestedRegion", "us-east-1")], scps: vec![("r-root", vec![allow("*"), doc(&[&stmt("Deny", "\"*\"", "\"*\"", r#""Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1"]}}"#)])])], ..Case::default() }, Allow),
        ("scp_applies_to_role_sessions", Case { caller: deployer_session(), identity: vec![allow("*")], scps: vec![("r-root", vec![allow("*"), deny("ec2:*")])], ..Case::default() }, Explicit(denied(DEPLOYER_SESSION, DESCRIBE, None, " with an explicit deny in a service control policy"))),
        ("scp_deny_on_assume_role_same_org", Case { identity: vec![allow("*")], scps: vec![("r-root", vec![allow("*"), deny(ASSUME)])], ..assume_b(Some(a_root())).same_org() }, Explicit(alice_denied(ASSUME, Some(OAAR_B), " with an explicit deny in a service control policy"))),
        ("scp_deny_wins_over_trust_naming_user", Case { scps: vec![("r-root", vec![allow("*"), deny(ASSUME)])], ..assume_a(Some(trust(&format!("\"{ALICE_ARN}\"")))) }, Explicit(alice_denied(ASSUME, Some(TARGET_ROLE_A), " with an explicit deny in a service control policy"))),
        ("scp_lacking_allow_limits_trust_naming_user", Case { scps: vec![("r-root", vec![allow("ec2:*")])], ..assume_a(Some(trust(&format!("\"{ALICE_ARN}\"")))) }, Implicit(alice_denied(ASSUME, Some(TARGET_ROLE_A), &because("service control policy", ASSUME)))),
        ("scp_explicit_deny_reported_before_identity_deny", Case { identity: vec![deny("*")], scps: vec![("r-root", vec![deny("*")])], ..Case::default() }, Explicit(describe(" with an explicit deny in a service control policy"))),
        // --- RCPs (EVAL: an Allow needed at every level of the resource's account) ---
        ("rcp_full_chain_allows", Case { identity: vec![allow(ASSUME)], rcps: full_chain(&["r-root", "222222222222"]), ..assume_b(Some(a_root())) }, Allow),
        ("rcp_explicit_deny_same_account", Case { rcps: vec![("r-root", vec![allow("*"), deny(ASSUME)])], ..assume_a(Some(trust(&format!("\"{ALICE_ARN}\"")))) }, Explicit(alice_denied(ASSUME, Some(TARGET_ROLE_A), " with an explicit deny in a resource control policy"))),
        ("rcp_explicit_deny_outside_org_is_bare", Case { identity: vec![allow("*")], rcps: vec![("r-root", vec![allow("*"), deny(ASSUME)])], ..assume_b(Some(a_root())) }, Explicit(bare_b.clone())),
        ("rcp_level_lacking_allow", Case { rcps: vec![("r-root", vec![allow("*")]), ("111111111111", vec![allow("s3:*")])], ..assume_a(Some(trust(&format!("\"{ALICE_ARN}\"")))) }, Implicit(alice_denied(ASSUME, Some(TARGET_ROLE_A), &because("resource control policy", ASSUME)))),
        // --- resource-based policies (EVAL same-account rules; XACCT) ---
        ("rbp_same_account_names_user_needs_no_identity_eval", s3(A, resource_policy(&format!(r#"{{"AWS":"{ALICE_ARN}"}}"#), "Allow")), Allow),
        ("rbp_same_account_names_account_needs_identity", s3(A, resource_policy(&format!(r#"{{"AWS":"{A}"}}"#), "Allow")), Implicit(s3_denied(&because("identity-based policy", s3_get)))),
        ("rbp_same_account_not_named_identity_allows", Case { identity: vec![allow("s3:*")], ..s3(A, resource_policy(r#"{"AWS":"arn:aws:iam::111111111111:user/other"}"#, "Allow")) }, Allow),
        ("rbp_same_account_neither_allows", s3(A, resource_policy(r#"{"AWS":"arn:aws:iam::111111111111:user/other"}"#, "Allow")), Implicit(s3_denied(&because("identity-based policy", s3_get)))),
        ("rbp_same_account_user_grant_ignores_boundary_eval", Case { boundary: Some(ec2_only()), ..s3(A, resource_policy(&format!(r#"{{"AWS":"{ALICE_ARN}"}}"#), "Allow")) }, Allow),
        ("rbp_same_account_role_grant_limited_by_boundary_eval", Case { caller: deployer_session(), boundary: Some(ec2_only()), ..s3(A, resource_policy(&format!(r#"{{"AWS":"{DEPLOYER_ROLE}"}}"#), "Allow")) }, Implicit(denied(DEPLOYER_SESSION, s3_get, Some(object_a), &because("permissions boundary", s3_get)))),
        ("rbp_same_account_role_grant_needs_no_identity_eval", Case { caller: deployer_session(), ..s3(A, resource_policy(&format!(r#"{{"AWS":"{DEPLOYER_ROLE}"}}"#), "Allow")) }, Allow),
        ("rbp_cross_account_names_account_with_identity", Case { identity: vec![allow("s3:*")], ..s3(B, resource_policy(&format!(r#"{{"AWS":"{A}"}}"#), "Allow")) }, Allow),
        ("rbp_cross_account_names_user_without_identity_xacct", s3(B, resource_policy(&format!(r#"{{"AWS":"{ALICE_ARN}"}}"#), "Allow")).same_org(), Implicit(s3_denied(&because("identity-based policy", s3_get)))),
        ("rbp_cross_account_not_named_same_org", Case { identity: vec![allow("s3:*")], ..s3(B, resource_policy(r#"{"AWS":"333333333333"}"#, "Allow")).same_org() }, Implicit(s3_denied(&because("resource-based policy", s3_get)))),
        ("rbp_cross_account_not_named_outside_org", Case { identity: vec![allow("s3:*")], ..s3(B, resource_policy(r#"{"AWS":"333333333333"}"#, "Allow")) }, Implicit(s3_denied(""))),
        ("rbp_explicit_deny_ts_ad", Case { identity: vec![allow("s3:*")], ..s3(A, resource_policy("\"*\"", "Deny")) }, Explicit(s3_denied(" with an explicit deny in a resource-based policy"))),
        ("rbp_principal_star_same_account", s3(A, resource_policy("\"*\"", "Allow")), Allow),
        ("rbp_not_principal_deny_exempts_listed_user_and_account", Case { identity: vec![allow("s3:*")], ..s3(A, format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","NotPrincipal":{{"AWS":["{ALICE_ARN}","{A}"]}},"Action":"s3:*","Resource":"*"}}]}}"#)) }, Allow),
        ("rbp_not_principal_without_account_denies_notprincipal_doc", Case { identity: vec![allow("s3:*")], ..s3(A, format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","NotPrincipal":{{"AWS":["{ALICE_ARN}"]}},"Action":"s3:*","Resource":"*"}}]}}"#)) }, Explicit(s3_denied(" with an explicit deny in a resource-based policy"))),
        ("rbp_not_principal_session_needs_account_role_and_session", Case { caller: deployer_session(), identity: vec![allow("s3:*")], ..s3(A, format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","NotPrincipal":{{"AWS":["{A}","{DEPLOYER_ROLE}","{DEPLOYER_SESSION}"]}},"Action":"s3:*","Resource":"*"}}]}}"#)) }, Allow),
        ("rbp_not_principal_session_without_role_is_denied", Case { caller: deployer_session(), identity: vec![allow("s3:*")], ..s3(A, format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","NotPrincipal":{{"AWS":["{A}","{DEPLOYER_SESSION}"]}},"Action":"s3:*","Resource":"*"}}]}}"#)) }, Explicit(denied(DEPLOYER_SESSION, s3_get, Some(object_a), " with an explicit deny in a resource-based policy"))),
        ("rbp_deny_for_other_principal_does_not_apply", Case { identity: vec![allow("s3:*")], ..s3(A, resource_policy(r#"{"AWS":"arn:aws:iam::111111111111:user/other"}"#, "Deny")) }, Allow),
    ]
}

#[test]
fn decision_table() {
    let cases = cases();
    let mut failures = Vec::new();
    for (name, case, expected) in &cases {
        let (decision, message) = case.run();
        let problem = match expected {
            Allow if decision.is_allowed() => None,
            Implicit(m) if decision.outcome == Outcome::ImplicitDeny && message == *m => None,
            Explicit(m) if decision.outcome == Outcome::ExplicitDeny && message == *m => None,
            _ => Some(format!(
                "{name}: got {:?} {:?} \"{message}\"",
                decision.outcome, decision.policy_type
            )),
        };
        failures.extend(problem);
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(cases.len() >= 95, "{} cases", cases.len());
}

#[test]
fn decisions_name_the_policy_statement_and_level() {
    let case = Case {
        identity: vec![allow("*")],
        scps: vec![
            ("r-root", vec![allow("*")]),
            (
                "ou-a",
                vec![
                    allow("*"),
                    doc(&[&stmt("Deny", "\"ec2:*\"", "\"*\"", r#""Sid":"NoEc2""#)]),
                ],
            ),
        ],
        ..Case::default()
    };
    let (d, _) = case.run();
    assert_eq!(d.policy_type, Some(PolicyType::ServiceControl));
    assert_eq!(d.policy.as_deref(), Some("scp@ou-a-1"));
    assert_eq!(d.level.as_deref(), Some("ou-a"));
    let statement = d.statement.as_ref().unwrap();
    assert_eq!(
        (statement.index, statement.sid.as_deref()),
        (0, Some("NoEc2"))
    );
    assert_eq!(
        d.summary(),
        "explicit deny: service control policy scp@ou-a-1 at ou-a stmt 0 (NoEc2)"
    );
}

#[test]
fn implicit_scp_denial_names_the_level_lacking_an_allow() {
    let case = Case {
        identity: vec![allow("*")],
        scps: vec![
            ("r-root", vec![allow("*")]),
            ("ou-a", vec![allow("s3:*")]),
            ("111111111111", vec![]),
        ],
        ..Case::default()
    };
    let (d, _) = case.run();
    assert_eq!(d.level.as_deref(), Some("ou-a"));
    assert_eq!(
        d.summary(),
        "implicit deny: no service control policy allows at ou-a"
    );
}

#[test]
fn allowed_decisions_say_which_layer_granted() {
    let (d, m) = Case::assume(TARGET_ROLE_A, A, Some(trust(&format!("\"{ALICE_ARN}\"")))).run();
    assert!(d.is_allowed());
    assert_eq!(m, "");
    assert_eq!(d.policy_type, Some(PolicyType::RoleTrust));
    assert_eq!(d.summary(), "allow: role trust policy trust stmt 0");
    let (d, _) = Case {
        identity: vec![allow(ASSUME)],
        ..Case::assume(TARGET_ROLE_A, A, Some(trust("\"111111111111\"")))
    }
    .run();
    assert_eq!(d.policy_type, Some(PolicyType::IdentityBased));
    assert_eq!(d.policy.as_deref(), Some("identity-0"));
    let (d, _) = Case {
        caller: root_a(),
        ..Case::default()
    }
    .run();
    assert_eq!(d.summary(), "allow: account root user");
}

#[test]
fn summaries_of_trust_denials() {
    let (d, _) = Case::assume(OAAR_B, B, None).run();
    assert_eq!(d.summary(), "implicit deny: the role does not exist");
    let (d, _) = Case::assume(OAAR_B, B, Some(trust("\"333333333333\""))).run();
    assert_eq!(
        d.summary(),
        "implicit deny: role trust policy does not allow the caller trust"
    );
    let (d, _) = Case {
        caller: root_a(),
        ..Case::assume(OAAR_B, B, None)
    }
    .run();
    assert_eq!(d.summary(), "deny: the root user cannot assume roles");
}

#[test]
fn the_trace_lists_every_layer_and_the_reasoning() {
    let case = Case {
        caller: deployer_session(),
        identity: vec![allow("*")],
        boundary: Some(allow("*")),
        session: Some(vec![allow("s3:*")]),
        scps: full_chain(&["r-root", "ou-a", "111111111111"]),
        ..Case::assume(OAAR_B, B, Some(trust(&format!("\"{A}\""))))
    };
    let (d, _, trace) = case.run_traced();
    assert_eq!(d.policy_type, Some(PolicyType::Session));
    let types: Vec<PolicyType> = trace.policies.iter().map(|p| p.policy_type).collect();
    use PolicyType::*;
    assert_eq!(
        types,
        [
            ServiceControl,
            ServiceControl,
            ServiceControl,
            RoleTrust,
            IdentityBased,
            PermissionsBoundary,
            Session
        ]
    );
    assert_eq!(
        trace.policies[3].statements[0].principal_match,
        Some(rolecall_engine::policy::PrincipalMatch::Account)
    );
    assert_eq!(
        trace.policies[6].statements[0].failed.as_deref(),
        Some("Action does not match the action")
    );
    assert!(
        trace.steps.iter().any(|s| s.contains("cross-account")),
        "{:?}",
        trace.steps
    );
    let json = serde_json::to_value(&trace).unwrap();
    assert_eq!(json["policies"][0]["level"], "r-root");
}

/// The engine reads no action name to choose its layers: a role's trust is judged when the
/// service presents it (STS does for sts:AssumeRole), and a missing role is then an implicit
/// deny at the trust layer (IAM evaluation logic: role trust policies "must explicitly allow
/// access"); the same request presented without one is decided by the caller's side.
#[test]
fn the_trust_layer_is_the_one_the_service_presents() {
    let missing_role = Case {
        identity: vec![allow("*")],
        ..Case::assume(TARGET_ROLE_A, A, None)
    };
    let (d, m) = missing_role.run();
    assert_eq!(d.policy_type, Some(PolicyType::RoleTrust));
    assert_eq!(m, format!("User: {ALICE_ARN} is not authorized to perform: sts:AssumeRole on resource: {TARGET_ROLE_A}"));

    let without_trust = Case {
        side: Side::NotApplicable,
        ..missing_role.clone()
    };
    assert!(without_trust.run().0.is_allowed());

    // The root user never passes a role's trust, whatever the action is called.
    let root = Case {
        caller: root_a(),
        action: "sts:TagSession",
        ..Case::assume(TARGET_ROLE_A, A, Some(trust("\"*\"")))
    };
    assert_eq!(root.run().1, "Roles may not be assumed by root accounts.");
}

/// A resource that may carry a resource-based policy and carries none: the caller's own policy
/// reaches it in its own account; across accounts nothing on the resource's side allows
/// (IAM user guide, "Cross-account policy evaluation logic").
#[test]
fn a_resource_without_a_resource_policy_is_out_of_reach_across_accounts() {
    const BUCKET_B: &str = "arn:aws:s3:::bucket-in-b";
    let own = Case {
        identity: vec![allow("s3:GetObject")],
        action: "s3:GetObject",
        resource: "arn:aws:s3:::bucket-in-a",
        resource_account: Some(A),
        side: Side::NoneAttached,
        show_resource: true,
        ..Case::default()
    };
    assert!(own.run().0.is_allowed());
    let other = Case {
        resource: BUCKET_B,
        resource_account: Some(B),
        ..own.clone()
    };
    let (d, m) = other.run();
    assert_eq!(d.policy_type, Some(PolicyType::ResourceBased));
    // Outside the caller's organization the reason is withheld.
    assert_eq!(
        m,
        format!(
            "User: {ALICE_ARN} is not authorized to perform: s3:GetObject on resource: {BUCKET_B}"
        )
    );
    let (_, m) = other.clone().same_org().run();
    assert_eq!(m, format!("User: {ALICE_ARN} is not authorized to perform: s3:GetObject on resource: {BUCKET_B} because no resource-based policy allows the s3:GetObject action"));
}

/// A policy the resource admits callers by alone (a KMS key policy) must allow in the caller's
/// own account too; naming the account delegates to the caller's identity policy.
#[test]
fn a_required_resource_policy_must_allow_even_in_the_same_account() {
    const KEY_A: &str =
        "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let case = |side: Side| Case {
        identity: vec![allow("kms:Decrypt")],
        action: "kms:Decrypt",
        resource: KEY_A,
        resource_account: Some(A),
        side,
        show_resource: true,
        ..Case::default()
    };
    let (d, m) = case(Side::Required(None)).run();
    assert_eq!(d.policy_type, Some(PolicyType::ResourceBased));
    assert_eq!(m, format!("User: {ALICE_ARN} is not authorized to perform: kms:Decrypt on resource: {KEY_A} because no resource-based policy allows the kms:Decrypt action"));
    let delegating = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"kms:*","Resource":"*"}]}"#;
    assert!(case(Side::Required(Some(delegating.into())))
        .run()
        .0
        .is_allowed());
    let other = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"kms:*","Resource":"*"}]}"#;
    assert!(!case(Side::Required(Some(other.into())))
        .run()
        .0
        .is_allowed());
    // Without its identity allow, a policy naming only the account is not enough.
    let no_identity = Case {
        identity: vec![],
        ..case(Side::Required(Some(delegating.into())))
    };
    assert!(!no_identity.run().0.is_allowed());
}
