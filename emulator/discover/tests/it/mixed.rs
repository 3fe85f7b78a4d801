//! `rolecall discover` on `scenarios/mixed-discovery-verdicts.yaml`: one verdict per account,
//! each with the hint that fits its cause.

use crate::support::*;
use rolecall_discover::report::{AccountReport, Report, Verdict};
use rolecall_test_support::*;

const SCENARIO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../scenarios/mixed-discovery-verdicts.yaml"
);

fn server() -> TestServer {
    TestServer::start(rolecall_model::scenario::load_file(std::path::Path::new(SCENARIO)).unwrap())
}

fn account<'a>(report: &'a Report, id: &str) -> &'a AccountReport {
    report.account(id).unwrap()
}

/// Every account's region failures as `region code`, in order.
fn failures(a: &AccountReport) -> Vec<String> {
    a.regions
        .iter()
        .filter_map(|r| {
            r.error
                .as_ref()
                .map(|e| format!("{} {}", r.region, e.error.code))
        })
        .collect()
}

#[test]
fn a_fixed_region_list_gives_one_verdict_per_account() {
    let outcome = discover(
        &server(),
        &discovery_env(),
        &[
            "--regions",
            "us-east-1,eu-west-1,af-south-1",
            "--scenario",
            "mixed.yaml",
        ],
    );
    assert_eq!(outcome.exit, 1);
    let report = outcome.report.unwrap();
    assert_eq!(report.accounts.len(), 7);

    // Works: counted in every region, af-south-1 included (enabled, empty).
    let payments = account(&report, "333333333333");
    assert_eq!(payments.verdict, Verdict::Ok);
    assert_instance_counts(
        &report,
        &[
            ("333333333333", "us-east-1", 2),
            ("333333333333", "eu-west-1", 1),
            ("333333333333", "af-south-1", 0),
            ("777777777777", "af-south-1", 1),
        ],
    );
    assert_eq!(account(&report, "777777777777").verdict, Verdict::Ok);

    // Invited: the role is missing.
    let invited = account(&report, "222222222222");
    assert_eq!(invited.verdict, Verdict::Failed);
    assert_eq!(invited.assume_role, "AccessDenied");
    assert!(invited.hints[0].starts_with("role missing: invited accounts"));

    // Quarantined: AssumeRole works, the OU's SCP denies EC2 in every region.
    let quarantined = account(&report, "444444444444");
    assert_eq!(quarantined.verdict, Verdict::Failed);
    assert_eq!(quarantined.assume_role, "ok");
    assert_eq!(
        failures(quarantined),
        [
            "us-east-1 UnauthorizedOperation",
            "eu-west-1 UnauthorizedOperation",
            "af-south-1 UnauthorizedOperation"
        ]
    );
    let message = &quarantined.regions[0].error.as_ref().unwrap().error.message;
    assert!(
        message.ends_with("with an explicit deny in a service control policy"),
        "{message}"
    );
    assert_eq!(
        quarantined.hints[0],
        "us-east-1, eu-west-1, af-south-1: an SCP on account 444444444444 or one of its OUs \
         denies ec2:DescribeInstances — run `rolecall explain --scenario mixed.yaml --principal \
         arn:aws:sts::444444444444:assumed-role/OrganizationAccountAccessRole/rolecall-discover \
         --action ec2:DescribeInstances --region us-east-1`"
    );

    // Acquired: the role exists but trusts another organization's management account.
    let acquired = account(&report, "555555555555");
    assert_eq!(acquired.verdict, Verdict::Failed);
    assert_eq!(acquired.joined_method, "CREATED");
    assert_eq!(acquired.assume_role, "AccessDenied");
    assert_eq!(
        acquired.hints[0],
        "the role's trust policy does not trust the caller, or an SCP/the caller's policy \
         blocks sts:AssumeRole — run `rolecall explain --scenario mixed.yaml --principal \
         arn:aws:iam::111111111111:user/discovery --action sts:AssumeRole --resource \
         arn:aws:iam::555555555555:role/OrganizationAccountAccessRole`"
    );

    // Opt-in region not enabled: fine in us-east-1 and eu-west-1, AuthFailure in af-south-1.
    let us_eu = account(&report, "666666666666");
    assert_eq!(us_eu.verdict, Verdict::Failed);
    assert_eq!(us_eu.assume_role, "ok");
    assert_instance_counts(&report, &[("666666666666", "us-east-1", 1)]);
    assert_eq!(failures(us_eu), ["af-south-1 AuthFailure"]);
    assert_eq!(
        us_eu.regions[2].opt_in_status.as_deref(),
        Some("not-opted-in")
    );
    assert!(us_eu.hints[0].starts_with("af-south-1: opt-in region not enabled"));

    assert_eq!(report.summary.ok, 2);
    assert_eq!(report.summary.failed, 4);
    assert_eq!(report.summary.skipped, 1);
}

#[test]
fn the_explain_command_in_a_hint_reaches_the_same_verdict() {
    let world = rolecall_model::scenario::load_file(std::path::Path::new(SCENARIO)).unwrap();
    let question = rolecall_server::explain::Question {
        principal_arn: "arn:aws:iam::111111111111:user/discovery",
        action: "sts:AssumeRole",
        resource: "arn:aws:iam::555555555555:role/OrganizationAccountAccessRole",
        region: "us-east-1",
        context: &[],
        session_policies: &[],
        default_context: true,
    };
    let answer = rolecall_server::explain::explain(&world, &question).unwrap();
    assert!(!answer.allowed);
    assert!(
        answer.summary.contains("trust policy"),
        "{}",
        answer.summary
    );
}

#[test]
fn regions_from_describe_regions_leave_out_the_region_an_account_never_enabled() {
    let outcome = discover(&server(), &discovery_env(), &["--concurrency", "2"]);
    let report = outcome.report.unwrap();
    let us_eu = account(&report, "666666666666");
    assert_eq!(us_eu.verdict, Verdict::Ok);
    assert!(us_eu.regions.iter().all(|r| r.region != "af-south-1"));
    assert_instance_counts(&report, &[("777777777777", "af-south-1", 1)]);
    // The quarantined account cannot even list its regions.
    let quarantined = account(&report, "444444444444");
    let failure = quarantined.regions[0].error.as_ref().unwrap();
    assert_eq!(failure.action, "DescribeRegions");
    assert_eq!(failure.error.code, "UnauthorizedOperation");
}
