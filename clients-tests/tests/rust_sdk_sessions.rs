//! Sessions and time with the AWS SDK for Rust, on `scenarios/role-chaining-one-hour.yaml`:
//! the IAM user `discovery` (111111111111) assumes `Hop` (222222222222, sessions of up to two
//! hours), whose session assumes `Inventory` (333333333333): role chaining, capped at one hour.
//! The scenario's clock is frozen at 2026-01-01T00:00:00Z and moved through
//! `POST /_rolecall/clock`.

mod common;

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_sts::config::http::HttpResponse;
use aws_sdk_sts::config::Credentials;
use aws_sdk_sts::error::SdkError;
use aws_sdk_sts::operation::assume_role::{AssumeRoleError, AssumeRoleOutput};

use common::*;

const HUB_ACCOUNT: &str = "222222222222";
const WORKLOAD_ACCOUNT: &str = "333333333333";
const HOP: &str = "arn:aws:iam::222222222222:role/Hop";
const INVENTORY: &str = "arn:aws:iam::333333333333:role/Inventory";
const HOP_SESSION_ARN: &str = "arn:aws:sts::222222222222:assumed-role/Hop/hop";
const INVENTORY_SESSION_ARN: &str = "arn:aws:sts::333333333333:assumed-role/Inventory/inventory";
const WORKLOAD_INSTANCES: [&str; 2] = ["i-03330000000000001", "i-03330000000000002"];

const HOUR: i64 = 3600;

const EXPIRED_TOKEN: &str = "The security token included in the request is expired";
const CHAINED_LIMIT: &str =
    "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.";

fn server() -> Server {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../scenarios/role-chaining-one-hour.yaml"
    );
    Server::start_with_scenario(Path::new(path))
}

/// The session credentials of an AssumeRole result.
fn assumed_credentials(out: &AssumeRoleOutput) -> Credentials {
    session_credentials(
        out.credentials()
            .expect("Credentials in the AssumeRole result"),
    )
}

/// `caller` asks AssumeRole for a session `session_name` of `role_arn`.
async fn assume_role(
    server: &Server,
    caller: Credentials,
    role_arn: &str,
    session_name: &str,
    duration: Option<i32>,
) -> Result<AssumeRoleOutput, SdkError<AssumeRoleError, HttpResponse>> {
    sts_client(server, caller)
        .await
        .assume_role()
        .role_arn(role_arn)
        .role_session_name(session_name)
        .set_duration_seconds(duration)
        .send()
        .await
}

/// An AssumeRole that must succeed.
async fn assume(
    server: &Server,
    caller: Credentials,
    role_arn: &str,
    session_name: &str,
    duration: Option<i32>,
) -> AssumeRoleOutput {
    assume_role(server, caller, role_arn, session_name, duration)
        .await
        .unwrap_or_else(|e| panic!("AssumeRole {role_arn} as {session_name}: {e:?}"))
}

/// The first hop: discovery assumes Hop.
async fn first_hop(server: &Server, duration: Option<i32>) -> Credentials {
    assumed_credentials(&assume(server, discovery_credentials(), HOP, "hop", duration).await)
}

/// The second hop: the Hop session assumes Inventory (role chaining).
async fn chained(server: &Server, hop: Credentials) -> Credentials {
    assumed_credentials(&assume(server, hop, INVENTORY, "inventory", None).await)
}

async fn instance_ids(server: &Server, creds: Credentials) -> Vec<String> {
    sorted_instance_ids(&ec2_client(server, creds, "us-east-1").await).await
}

/// Checks what every AssumeRole success carries, for a session `session_name` of `role`
/// (`arn:aws:iam::ACCOUNT:role/NAME`) expiring `lifetime` seconds from now.
fn assert_session_shape(out: &AssumeRoleOutput, role_arn: &str, session_name: &str, lifetime: i64) {
    let c = out.credentials().expect("Credentials");
    assert!(
        c.access_key_id().starts_with("ASIA") && c.access_key_id().len() == 20,
        "AccessKeyId {:?}",
        c.access_key_id()
    );
    assert!(
        c.secret_access_key().len() >= 40,
        "SecretAccessKey {:?}",
        c.secret_access_key()
    );
    assert!(!c.session_token().is_empty(), "SessionToken is empty");
    assert_expires_in(c.expiration(), lifetime);
    assert_eq!(c.expiration().subsec_nanos(), 0);

    let (account, role_name) = role_arn
        .strip_prefix("arn:aws:iam::")
        .and_then(|rest| rest.split_once(":role/"))
        .expect("a role ARN");
    let user = out.assumed_role_user().expect("AssumedRoleUser");
    assert_eq!(
        user.arn(),
        format!("arn:aws:sts::{account}:assumed-role/{role_name}/{session_name}")
    );
    let (role_id, name) = user
        .assumed_role_id()
        .split_once(':')
        .unwrap_or_else(|| panic!("AssumedRoleId {:?}", user.assumed_role_id()));
    assert!(
        role_id.starts_with("AROA") && role_id.len() == 21,
        "role id {role_id:?}"
    );
    assert_eq!(name, session_name);
    assert_eq!(out.source_identity(), None);
}

#[tokio::test]
async fn the_scenario_clock_starts_frozen_at_new_year_2026() {
    let server = server();
    let clock = server.clock();
    assert!(
        clock.contains("\"2026-01-01T00:00:00Z\"") && clock.contains("\"frozen\":true"),
        "{clock}"
    );
    let moved = server.advance_clock(90);
    assert!(moved.contains("\"2026-01-01T00:01:30Z\""), "{moved}");
}

/// `expiration` is `lifetime` seconds from now by the wall clock: STS reports expiry in the
/// client's time (the wall clock plus what the emulator's clock leaves), though the scenario's
/// clock stands at 2026-01-01.
fn assert_expires_in(expiration: &aws_sdk_sts::primitives::DateTime, lifetime: i64) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let ahead = expiration.secs() - i64::try_from(now).unwrap();
    assert!(
        (lifetime - 30..=lifetime).contains(&ahead),
        "Expiration {expiration} is {ahead} s ahead, not {lifetime}"
    );
    assert_eq!(expiration.subsec_nanos(), 0);
}

#[tokio::test]
async fn assume_role_success_shape_and_durations() {
    let server = server();

    let default = assume(&server, discovery_credentials(), HOP, "hop", None).await;
    assert_session_shape(&default, HOP, "hop", HOUR);

    let two_hours = assume(&server, discovery_credentials(), HOP, "hop", Some(7200)).await;
    assert_session_shape(&two_hours, HOP, "hop", 2 * HOUR);
    // Two sessions, two key pairs; the role id is the role's, so it is the same.
    let (a, b) = (
        default.credentials().unwrap(),
        two_hours.credentials().unwrap(),
    );
    assert_ne!(a.access_key_id(), b.access_key_id());
    assert_eq!(
        default.assumed_role_user().unwrap().assumed_role_id(),
        two_hours.assumed_role_user().unwrap().assumed_role_id()
    );

    let too_long = assume_role(&server, discovery_credentials(), HOP, "hop", Some(7201)).await;
    assert_eq!(
        expect_service_error(too_long),
        wire_error(
            400,
            "ValidationError",
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
        )
    );
}

#[tokio::test]
async fn chaining_into_the_second_role_with_the_first_roles_credentials() {
    let server = server();
    let hop = first_hop(&server, Some(7200)).await;

    let out = assume(&server, hop.clone(), INVENTORY, "inventory", None).await;
    // Without DurationSeconds a chained session gets one hour.
    assert_session_shape(&out, INVENTORY, "inventory", HOUR);
    let inventory = assumed_credentials(&out);

    let who = caller_identity(&server, inventory.clone()).await;
    assert_eq!(who.account(), Some(WORKLOAD_ACCOUNT));
    assert_eq!(who.arn(), Some(INVENTORY_SESSION_ARN));
    assert_eq!(
        who.user_id(),
        Some(out.assumed_role_user().unwrap().assumed_role_id())
    );
    assert_eq!(instance_ids(&server, inventory).await, WORKLOAD_INSTANCES);

    // Exactly one hour is allowed when chaining.
    let hour = assume(&server, hop, INVENTORY, "inventory", Some(3600)).await;
    assert_session_shape(&hour, INVENTORY, "inventory", HOUR);
}

#[tokio::test]
async fn a_chained_session_cannot_ask_for_two_hours() {
    let server = server();
    let hop = first_hop(&server, Some(7200)).await;
    let result = assume_role(&server, hop, INVENTORY, "inventory", Some(7200)).await;
    assert_eq!(
        expect_service_error(result),
        wire_error(400, "ValidationError", CHAINED_LIMIT)
    );
}

#[tokio::test]
async fn after_an_hour_and_a_second_the_chained_credentials_are_rejected() {
    let server = server();
    let hop = first_hop(&server, Some(7200)).await;
    let inventory = chained(&server, hop.clone()).await;
    // Alive at the last second of its hour.
    server.advance_clock(HOUR - 1);
    assert_eq!(
        instance_ids(&server, inventory.clone()).await,
        WORKLOAD_INSTANCES
    );

    let clock = server.advance_clock(2);
    assert!(clock.contains("\"2026-01-01T01:00:01Z\""), "{clock}");

    assert_eq!(
        caller_identity_error(&server, inventory.clone()).await,
        wire_error(403, "ExpiredToken", EXPIRED_TOKEN)
    );
    let ec2 = ec2_client(&server, inventory, "us-east-1").await;
    assert_eq!(
        expect_service_error(ec2.describe_instances().send().await),
        wire_error(400, "RequestExpired", "Request has expired.")
    );
    assert_eq!(
        expect_service_error(ec2.describe_regions().send().await),
        wire_error(400, "RequestExpired", "Request has expired.")
    );

    // The two-hour first hop lives on, on STS and on EC2, and may chain again for a new hour.
    let who = caller_identity(&server, hop.clone()).await;
    assert_eq!(who.arn(), Some(HOP_SESSION_ARN));
    assert_eq!(
        instance_ids(&server, hop.clone()).await,
        ["i-02220000000000001"]
    );
    let again = assume(&server, hop, INVENTORY, "inventory", None).await;
    assert_session_shape(&again, INVENTORY, "inventory", HOUR);
}

#[tokio::test]
async fn expired_role_credentials_cannot_assume_a_role() {
    let server = server();
    let hop = first_hop(&server, None).await;
    server.advance_clock(HOUR + 1);
    let result = assume_role(&server, hop, INVENTORY, "inventory", None).await;
    assert_eq!(
        expect_service_error(result),
        wire_error(403, "ExpiredToken", EXPIRED_TOKEN)
    );
}

#[tokio::test]
async fn get_caller_identity_for_every_kind_of_principal() {
    let server = server();

    // The IAM user, with its long-term keys.
    let user = caller_identity(&server, discovery_credentials()).await;
    assert_eq!(user.account(), Some(MANAGEMENT_ACCOUNT));
    assert_eq!(user.arn(), Some(DISCOVERY_USER_ARN));
    let user_id = user.user_id().unwrap_or_default().to_string();
    assert!(
        user_id.starts_with("AIDA") && user_id.len() == 21,
        "UserId {user_id:?}"
    );

    // A role session.
    let hop_out = assume(&server, discovery_credentials(), HOP, "hop", None).await;
    let hop = assumed_credentials(&hop_out);
    let who = caller_identity(&server, hop.clone()).await;
    assert_eq!(who.account(), Some(HUB_ACCOUNT));
    assert_eq!(who.arn(), Some(HOP_SESSION_ARN));
    assert_eq!(
        who.user_id(),
        Some(hop_out.assumed_role_user().unwrap().assumed_role_id())
    );

    // A chained role session.
    let chained_out = assume(&server, hop, INVENTORY, "inventory", None).await;
    let who = caller_identity(&server, assumed_credentials(&chained_out)).await;
    assert_eq!(who.account(), Some(WORKLOAD_ACCOUNT));
    assert_eq!(who.arn(), Some(INVENTORY_SESSION_ARN));
    assert_eq!(
        who.user_id(),
        Some(chained_out.assumed_role_user().unwrap().assumed_role_id())
    );

    // A GetSessionToken session is the user itself.
    let token = sts_client(&server, discovery_credentials())
        .await
        .get_session_token()
        .send()
        .await
        .expect("GetSessionToken");
    let c = token.credentials().expect("Credentials");
    assert!(c.access_key_id().starts_with("ASIA"), "{c:?}");
    // The default is 12 hours.
    assert_expires_in(c.expiration(), 12 * HOUR);
    let who = caller_identity(&server, session_credentials(c)).await;
    assert_eq!(who.account(), Some(MANAGEMENT_ACCOUNT));
    assert_eq!(who.arn(), Some(DISCOVERY_USER_ARN));
    assert_eq!(who.user_id(), Some(user_id.as_str()));
}

#[tokio::test]
async fn a_get_session_token_session_outlives_the_hour_and_is_not_role_chaining() {
    let server = server();
    let out = sts_client(&server, discovery_credentials())
        .await
        .get_session_token()
        .duration_seconds(2 * HOUR as i32)
        .send()
        .await
        .expect("GetSessionToken for two hours");
    let c = out.credentials().expect("Credentials");
    assert_expires_in(c.expiration(), 2 * HOUR);
    let session = session_credentials(c);

    // A session from GetSessionToken may call AssumeRole, and that is not chaining: the
    // role's two-hour maximum applies.
    let hop = assume(&server, session.clone(), HOP, "hop", Some(7200)).await;
    assert_session_shape(&hop, HOP, "hop", 2 * HOUR);

    // It may not call GetSessionToken again.
    let again = sts_client(&server, session.clone())
        .await
        .get_session_token()
        .send()
        .await;
    assert_eq!(
        expect_service_error(again),
        wire_error(
            403,
            "AccessDenied",
            "Cannot call GetSessionToken with session credentials"
        )
    );

    server.advance_clock(HOUR + 1);
    let who = caller_identity(&server, session.clone()).await;
    assert_eq!(who.arn(), Some(DISCOVERY_USER_ARN));

    server.advance_clock(HOUR);
    assert_eq!(
        caller_identity_error(&server, session).await,
        wire_error(403, "ExpiredToken", EXPIRED_TOKEN)
    );
}
