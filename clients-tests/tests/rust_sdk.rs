//! The AWS SDK for Rust against the real `rolecall` binary, default scenario.

mod common;

use std::collections::BTreeSet;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_ec2::types::Filter;
use aws_sdk_sts::config::http::HttpResponse;
use aws_sdk_sts::config::Credentials;
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};

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

/// (HTTP status, error code, error message) of a service error.
fn error_parts<E>(err: &SdkError<E, HttpResponse>) -> (u16, String, String)
where
    E: ProvideErrorMetadata + std::fmt::Debug,
{
    let raw = err
        .raw_response()
        .unwrap_or_else(|| panic!("expected a service error with an HTTP response, got {err:?}"));
    (
        raw.status().as_u16(),
        err.code().unwrap_or_default().to_string(),
        err.message().unwrap_or_default().to_string(),
    )
}

fn expect_error<T: std::fmt::Debug, E>(
    result: Result<T, SdkError<E, HttpResponse>>,
) -> (u16, String, String)
where
    E: ProvideErrorMetadata + std::fmt::Debug,
{
    match result {
        Ok(ok) => panic!("expected an error, got {ok:?}"),
        Err(err) => error_parts(&err),
    }
}

fn parts(status: u16, code: &str, message: &str) -> (u16, String, String) {
    (status, code.to_string(), message.to_string())
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Assumes OrganizationAccountAccessRole in the created member as the discovery user.
async fn assume_created_member_role(server: &Server) -> Credentials {
    let sts = sts_client(server, discovery_credentials()).await;
    let out = sts
        .assume_role()
        .role_arn(role_arn(CREATED_ACCOUNT))
        .role_session_name("discovery")
        .send()
        .await
        .expect("AssumeRole into the created member");
    let c = out
        .credentials()
        .expect("Credentials in the AssumeRole result");
    static_credentials(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
    )
}

async fn instance_ids(ec2: &aws_sdk_ec2::Client) -> Vec<String> {
    let out = ec2
        .describe_instances()
        .send()
        .await
        .expect("DescribeInstances");
    let mut ids: Vec<String> = out
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
        .map(|i| i.instance_id().unwrap_or_default().to_string())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn get_caller_identity_as_discovery_user() {
    let server = Server::start();
    let sts = sts_client(&server, discovery_credentials()).await;
    let out = sts
        .get_caller_identity()
        .send()
        .await
        .expect("GetCallerIdentity");
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
    let sts = sts_client(&server, discovery_credentials()).await;
    let out = sts
        .assume_role()
        .role_arn(role_arn(CREATED_ACCOUNT))
        .role_session_name("discovery")
        .send()
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

    let role_creds = static_credentials(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
    );
    let member_sts = sts_client(&server, role_creds).await;
    let who = member_sts
        .get_caller_identity()
        .send()
        .await
        .expect("GetCallerIdentity with the role session");
    assert_eq!(who.account(), Some(CREATED_ACCOUNT));
    assert_eq!(who.arn(), Some(user.arn()));
}

#[tokio::test]
async fn role_session_describes_instances_in_each_region() {
    let server = Server::start();
    let creds = assume_created_member_role(&server).await;

    let us = ec2_client(&server, creds.clone(), "us-east-1").await;
    assert_eq!(instance_ids(&us).await, CREATED_US_EAST_1);

    let eu = ec2_client(&server, creds, "eu-west-1").await;
    assert_eq!(instance_ids(&eu).await, CREATED_EU_WEST_1);
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
        .filters(
            Filter::builder()
                .name("instance-id")
                .values("i-03330000000000003")
                .build(),
        )
        .send()
        .await
        .expect("DescribeInstances with an instance-id filter");
    let ids: Vec<&str> = out
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
        .filter_map(|i| i.instance_id())
        .collect();
    assert_eq!(ids, ["i-03330000000000003"]);

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
        let page: Vec<String> = out
            .reservations()
            .iter()
            .flat_map(|r| r.instances())
            .filter_map(|i| i.instance_id().map(str::to_string))
            .collect();
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
    let sts = sts_client(&server, discovery_credentials()).await;
    let result = sts
        .assume_role()
        .role_arn(role_arn(INVITED_ACCOUNT))
        .role_session_name("discovery")
        .send()
        .await;
    assert_eq!(
        expect_error(result),
        parts(
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
    let ec2 = ec2_client(&server, discovery_credentials(), "us-east-1").await;
    assert_eq!(
        expect_error(ec2.describe_instances().send().await),
        parts(
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
    let ec2 = ec2_client(&server, creds, "us-east-1").await;
    assert_eq!(
        expect_error(ec2.describe_instances().send().await),
        parts(401, "AuthFailure", AUTH_FAILURE_MESSAGE)
    );
}

#[tokio::test]
async fn ec2_with_altered_session_token_is_auth_failure() {
    let server = Server::start();
    let good = assume_created_member_role(&server).await;
    let token = good.session_token().expect("session token");
    let altered = static_credentials(
        good.access_key_id(),
        good.secret_access_key(),
        Some(&alter_middle(token)),
    );
    let ec2 = ec2_client(&server, altered, "us-east-1").await;
    assert_eq!(
        expect_error(ec2.describe_instances().send().await),
        parts(401, "AuthFailure", AUTH_FAILURE_MESSAGE)
    );
}

#[tokio::test]
async fn sts_with_unknown_key_is_invalid_client_token_id() {
    let server = Server::start();
    let sts = sts_client(
        &server,
        static_credentials(UNKNOWN_KEY, DISCOVERY_SECRET, None),
    )
    .await;
    assert_eq!(
        expect_error(sts.get_caller_identity().send().await),
        parts(
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
    let sts = sts_client(&server, creds).await;
    assert_eq!(
        expect_error(sts.get_caller_identity().send().await),
        parts(
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
    let good = assume_created_member_role(&server).await;
    let altered = static_credentials(
        good.access_key_id(),
        good.secret_access_key(),
        Some(&alter_middle(good.session_token().unwrap())),
    );
    let sts = sts_client(&server, altered).await;
    assert_eq!(
        expect_error(sts.get_caller_identity().send().await),
        parts(
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid"
        )
    );
}
