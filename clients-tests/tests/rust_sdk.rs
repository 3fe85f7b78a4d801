//! The AWS SDK for Rust against the real `rolecall` binary, default scenario.

mod common;

use std::collections::BTreeSet;
use std::time::{SystemTime, UNIX_EPOCH};

use common::*;

const CREATED_US_EAST_1: [&str; 5] = [
    "i-03330000000000001",
    "i-03330000000000002",
    "i-03330000000000003",
    "i-03330000000000004",
    "i-03330000000000005",
];
const CREATED_EU_WEST_1: [&str; 2] = ["i-03330000000000e01", "i-03330000000000e02"];

const AUTH_FAILURE_MESSAGE: &str = "AWS was not able to validate the provided access credentials";

fn auth_failure() -> (u16, String, String) {
    wire_error(401, "AuthFailure", AUTH_FAILURE_MESSAGE)
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test]
async fn get_caller_identity_as_discovery_user() {
    let server = Server::start();
    let out = caller_identity(&server, discovery_credentials()).await;
    assert_eq!(out.account(), Some(MANAGEMENT_ACCOUNT));
    assert_eq!(out.arn(), Some(DISCOVERY_USER_ARN));
    let user_id = out.user_id().unwrap_or_default();
    assert!(
        user_id.starts_with("AIDA"),
        "UserId {user_id:?} should start with AIDA"
    );
}

#[tokio::test]
async fn assume_role_into_created_member_returns_session_credentials() {
    let server = Server::start();
    let out = assume_organization_role(&server, CREATED_ACCOUNT)
        .await
        .expect("AssumeRole into the created member");

    let c = out.credentials().expect("Credentials");
    assert!(
        c.access_key_id().starts_with("ASIA"),
        "AccessKeyId {:?}",
        c.access_key_id()
    );
    assert!(
        !c.secret_access_key().is_empty(),
        "SecretAccessKey is empty"
    );
    assert!(!c.session_token().is_empty(), "SessionToken is empty");
    let ahead = c.expiration().secs() - now_secs();
    assert!(
        (50 * 60..=70 * 60).contains(&ahead),
        "Expiration should be about one hour ahead, is {ahead} s"
    );

    let user = out.assumed_role_user().expect("AssumedRoleUser");
    assert_eq!(
        user.arn(),
        "arn:aws:sts::333333333333:assumed-role/OrganizationAccountAccessRole/discovery"
    );
    assert!(
        user.assumed_role_id().starts_with("AROA")
            && user.assumed_role_id().ends_with(":discovery"),
        "AssumedRoleId {:?}",
        user.assumed_role_id()
    );

    let who = caller_identity(&server, session_credentials(c)).await;
    assert_eq!(who.account(), Some(CREATED_ACCOUNT));
    assert_eq!(who.arn(), Some(user.arn()));
}

#[tokio::test]
async fn role_session_describes_instances_in_each_region() {
    let server = Server::start();
    let creds = assume_created_member_role(&server).await;

    let us = ec2_client(&server, creds.clone(), "us-east-1").await;
    assert_eq!(sorted_instance_ids(&us).await, CREATED_US_EAST_1);

    let eu = ec2_client(&server, creds, "eu-west-1").await;
    assert_eq!(sorted_instance_ids(&eu).await, CREATED_EU_WEST_1);
}

#[tokio::test]
async fn role_session_describes_regions() {
    let server = Server::start();
    let creds = assume_created_member_role(&server).await;
    let ec2 = ec2_client(&server, creds, "us-east-1").await;
    let out = ec2
        .describe_regions()
        .send()
        .await
        .expect("DescribeRegions");
    for wanted in ["us-east-1", "eu-west-1"] {
        let region = out
            .regions()
            .iter()
            .find(|r| r.region_name() == Some(wanted))
            .unwrap_or_else(|| panic!("DescribeRegions lacks {wanted}: {:?}", out.regions()));
        let endpoint = region.endpoint().unwrap_or_default();
        assert!(
            endpoint.contains(wanted),
            "endpoint of {wanted} is {endpoint:?}"
        );
    }
}

#[tokio::test]
async fn role_session_filters_and_pages_instances() {
    let server = Server::start();
    let creds = assume_created_member_role(&server).await;
    let ec2 = ec2_client(&server, creds, "us-east-1").await;

    let out = ec2
        .describe_instances()
        .filters(filter("instance-id", "i-03330000000000003"))
        .send()
        .await
        .expect("DescribeInstances with an instance-id filter");
    assert_eq!(instance_ids_in(&out), ["i-03330000000000003"]);

    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    for _page in 0..10 {
        let out = ec2
            .describe_instances()
            .max_results(5)
            .set_next_token(token.clone())
            .send()
            .await
            .expect("DescribeInstances page");
        let page = instance_ids_in(&out);
        assert!(page.len() <= 5, "a page holds {} instances", page.len());
        seen.extend(page);
        token = out
            .next_token()
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    assert!(token.is_none(), "paging did not end within 10 pages");
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "an id came twice: {seen:?}");
    seen.sort();
    assert_eq!(seen, CREATED_US_EAST_1);
}

#[tokio::test]
async fn assume_role_into_invited_member_is_access_denied() {
    let server = Server::start();
    assert_eq!(
        expect_service_error(assume_organization_role(&server, INVITED_ACCOUNT).await),
        wire_error(
            403,
            "AccessDenied",
            "User: arn:aws:iam::111111111111:user/discovery is not authorized to perform: \
             sts:AssumeRole on resource: arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"
        )
    );
}

#[tokio::test]
async fn discovery_user_cannot_describe_instances() {
    let server = Server::start();
    assert_eq!(
        describe_instances_error(&server, discovery_credentials()).await,
        wire_error(
            403,
            "UnauthorizedOperation",
            "You are not authorized to perform this operation. User: \
             arn:aws:iam::111111111111:user/discovery is not authorized to perform: \
             ec2:DescribeInstances because no identity-based policy allows the \
             ec2:DescribeInstances action"
        )
    );
}

#[tokio::test]
async fn ec2_with_unknown_key_is_auth_failure() {
    let server = Server::start();
    let creds = static_credentials(UNKNOWN_KEY, DISCOVERY_SECRET, None);
    assert_eq!(
        describe_instances_error(&server, creds).await,
        auth_failure()
    );
}

#[tokio::test]
async fn ec2_with_altered_session_token_is_auth_failure() {
    let server = Server::start();
    let altered = with_altered_session_token(&assume_created_member_role(&server).await);
    assert_eq!(
        describe_instances_error(&server, altered).await,
        auth_failure()
    );
}

#[tokio::test]
async fn sts_with_unknown_key_is_invalid_client_token_id() {
    let server = Server::start();
    let creds = static_credentials(UNKNOWN_KEY, DISCOVERY_SECRET, None);
    assert_eq!(
        caller_identity_error(&server, creds).await,
        wire_error(
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid."
        )
    );
}

#[tokio::test]
async fn sts_with_wrong_secret_is_signature_does_not_match() {
    let server = Server::start();
    let creds = static_credentials(
        DISCOVERY_KEY,
        "wrongSecretwrongSecretwrongSecretwrongSe",
        None,
    );
    assert_eq!(
        caller_identity_error(&server, creds).await,
        wire_error(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. \
             Check your AWS Secret Access Key and signing method. Consult the service \
             documentation for details."
        )
    );
}

#[tokio::test]
async fn sts_with_altered_session_token_is_invalid_client_token_id() {
    let server = Server::start();
    let altered = with_altered_session_token(&assume_created_member_role(&server).await);
    assert_eq!(
        caller_identity_error(&server, altered).await,
        wire_error(
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid"
        )
    );
}
