//! `rolecall discover` on the default scenario: the created member is inventoried, the
//! invited one fails with the role-missing hint, and a client that carries on meets EC2's
//! answers to credentials it does not validly hold.

use crate::support::*;
use rolecall_discover::report::Verdict;
use rolecall_test_support::*;

#[test]
fn the_created_member_is_counted_and_the_invited_one_fails_with_the_role_missing_hint() {
    let server = TestServer::default_scenario();
    let outcome = discover(&server, &discovery_env(), &[]);
    assert_default_verdicts(&outcome);
    let report = report(&outcome);
    assert_eq!(
        report.caller.arn,
        "arn:aws:iam::111111111111:user/discovery"
    );

    let created = report.account("333333333333").unwrap();
    assert_eq!(created.assume_role, "ok");
    // Regions came from DescribeRegions in the account: every enabled one was walked.
    assert!(created.regions.len() > 2);
    assert!(created.regions.iter().all(|r| r.error.is_none()));

    let invited = report.account("222222222222").unwrap();
    assert_eq!(invited.joined_method, "INVITED");
    let error = invited.assume_role_error.as_ref().unwrap();
    assert_eq!(
        error.message,
        "User: arn:aws:iam::111111111111:user/discovery is not authorized to perform: \
         sts:AssumeRole on resource: arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"
    );
    assert!(invited.regions.is_empty(), "no EC2 call without --carry-on");
    // On a loopback endpoint the hint points at the emulator's trace of that very request.
    let trace = format!(
        "decision trace: curl -s http://{}/_rolecall/requests/{}",
        server.addr,
        error.request_id.as_deref().unwrap()
    );
    assert!(invited.hints.contains(&trace), "{:?}", invited.hints);

    let management = report.account("111111111111").unwrap();
    assert_eq!(management.verdict, Verdict::Skipped);

    // The table says the same.
    let table = &outcome.stdout;
    let row = |id: &str| {
        table
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap()
            .to_string()
    };
    assert!(row("333333333333").contains("us-east-1: 5"), "{table}");
    assert!(row("333333333333").contains("eu-west-1: 2"), "{table}");
    assert!(row("222222222222").contains("AccessDenied"), "{table}");
    assert!(table
        .contains("hint: role missing: invited accounts have no OrganizationAccountAccessRole"));
    assert!(table.contains("3 accounts: 1 ok, 1 failed, 1 skipped"));
}

#[test]
fn json_carries_the_same_report() {
    let outcome = discover_default_scenario(
        &discovery_env(),
        &["--json", "--regions", "us-east-1,eu-west-1"],
    );
    assert_eq!(outcome.exit, 1);
    let v: serde_json::Value = serde_json::from_str(&outcome.stdout).unwrap();
    let account = |id: &str| {
        v["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .unwrap()
            .clone()
    };
    let created = account("333333333333");
    assert_eq!(created["regions"][0]["region"], "us-east-1");
    assert_eq!(created["regions"][0]["counts"]["instances"], 5);
    assert_eq!(created["regions"][1]["counts"]["instances"], 2);
    let invited = account("222222222222");
    assert_eq!(invited["verdict"], "failed");
    assert_eq!(invited["assume_role"], "AccessDenied");
    assert_eq!(invited["assume_role_error"]["status"], 403);
    assert_eq!(v["summary"]["failed"], 1);
}

#[test]
fn carrying_on_with_an_empty_session_meets_auth_failure() {
    let outcome =
        discover_default_scenario(&discovery_env(), &["--carry-on", "--regions", "us-east-1"]);
    assert_eq!(outcome.exit, 1);
    let report = outcome.report.unwrap();
    let invited = report.account("222222222222").unwrap();
    assert_eq!(invited.assume_role, "AccessDenied");
    let failure = invited.regions[0].error.as_ref().unwrap();
    assert_eq!(failure.action, "DescribeInstances");
    assert_eq!(failure.error.status, 401);
    assert_eq!(failure.error.code, "AuthFailure");
    assert_eq!(
        failure.error.message,
        "AWS was not able to validate the provided access credentials"
    );
    assert!(invited
        .hints
        .iter()
        .any(|h| h
            .starts_with("us-east-1: EC2 rejected the credentials: AWS was not able to validate")));
    // The healthy member is unaffected.
    assert_instance_counts(&report, &[("333333333333", "us-east-1", 5)]);
}

#[test]
fn carrying_on_with_the_base_credentials_meets_unauthorized_operation() {
    let outcome = discover_default_scenario(
        &discovery_env(),
        &["--carry-on=base", "--regions", "us-east-1"],
    );
    let report = outcome.report.unwrap();
    let invited = report.account("222222222222").unwrap();
    let failure = invited.regions[0].error.as_ref().unwrap();
    assert_eq!(failure.error.status, 403);
    assert_eq!(failure.error.code, "UnauthorizedOperation");
    assert!(failure
        .error
        .message
        .contains("User: arn:aws:iam::111111111111:user/discovery is not authorized"));
    assert!(invited
        .hints
        .iter()
        .any(|h| h.contains("EC2 judged the caller's own identity")));
}

#[test]
fn other_resources_are_counted_too() {
    let outcome = discover_default_scenario(
        &discovery_env(),
        &[
            "--regions",
            "us-east-1",
            "--resources",
            "instances,vpcs,subnets,security-groups,volumes",
        ],
    );
    let report = outcome.report.unwrap();
    let count = |r| report.count("333333333333", "us-east-1", r).unwrap();
    assert_eq!(count("instances"), 5);
    // The default VPC, its default security group and a root volume per instance.
    assert_eq!(count("vpcs"), 1);
    assert_eq!(count("security-groups"), 1);
    assert_eq!(count("volumes"), 5);
    assert!(count("subnets") >= 1);
}

#[test]
fn bad_base_credentials_stop_the_walk_before_it_starts() {
    let env = rolecall_discover::Env::from_pairs(isolated(&[
        ("AWS_ACCESS_KEY_ID", "AKIAUNKNOWNEXAMPLE01"),
        ("AWS_SECRET_ACCESS_KEY", "nope"),
    ]));
    let outcome = discover_default_scenario(&env, &[]);
    assert_eq!(outcome.exit, rolecall_discover::EXIT_SETUP);
    assert!(outcome.report.is_none());
    assert!(
        outcome
            .stderr
            .contains("GetCallerIdentity failed: InvalidClientTokenId"),
        "{}",
        outcome.stderr
    );
}
