//! Role chaining and the life of temporary credentials, on the shipped scenario
//! `scenarios/role-chaining-one-hour.yaml`: discovery (111111111111) → Hop (222222222222) →
//! Inventory (333333333333), with the clock moved through the admin endpoint.

use crate::sts_support::*;
use rolecall_test_support::*;

const HOP: &str = "arn:aws:iam::222222222222:role/Hop";
const INVENTORY: &str = "arn:aws:iam::333333333333:role/Inventory";

fn server() -> TestServer {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/role-chaining-one-hour.yaml"
    );
    let world = rolecall_model::scenario::load_file(std::path::Path::new(path))
        .unwrap_or_else(|e| panic!("{e}"));
    TestServer::start(world)
}

fn first_hop(server: &TestServer, extra: &[(&str, &str)]) -> Keys {
    let (r, keys) = assume_role(server, &Keys::discovery(), HOP, "hop", extra);
    assert_eq!(r.status, 200, "{}", r.body);
    keys.unwrap()
}

#[test]
fn a_chained_session_is_capped_at_one_hour() {
    let server = server();
    let hop = first_hop(&server, &[("DurationSeconds", "7200")]);
    let (r, _) = assume_role(
        &server,
        &hop,
        INVENTORY,
        "inventory",
        &[("DurationSeconds", "7200")],
    );
    assert_error(&r, 400, "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
    // 3600 is allowed, and so is the default, which is one hour.
    let (r, _) = assume_role(
        &server,
        &hop,
        INVENTORY,
        "inventory",
        &[("DurationSeconds", "3600")],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let (r, _) = assume_role(&server, &hop, INVENTORY, "inventory", &[]);
    assert_expires_in(&r, 3600);
}

#[test]
fn the_first_hop_may_use_the_roles_max_session_duration_but_not_more() {
    let server = server();
    let (r, _) = assume_role(
        &server,
        &Keys::discovery(),
        HOP,
        "hop",
        &[("DurationSeconds", "7200")],
    );
    assert_expires_in(&r, 7200);
    let (r, _) = assume_role(
        &server,
        &Keys::discovery(),
        HOP,
        "hop",
        &[("DurationSeconds", "7201")],
    );
    assert_error(
        &r,
        400,
        "ValidationError",
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    );
}

#[test]
fn after_an_hour_the_chained_credentials_expire_while_a_two_hour_first_hop_lives_on() {
    let server = server();
    let hop = first_hop(&server, &[("DurationSeconds", "7200")]);
    let (r, chained) = assume_role(&server, &hop, INVENTORY, "inventory", &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    let chained = chained.unwrap();
    let who = server.sts(&chained, "GetCallerIdentity", &[]);
    assert_eq!(
        who.xml("Arn").as_deref(),
        Some("arn:aws:sts::333333333333:assumed-role/Inventory/inventory")
    );
    let listed = ec2(&server, &chained, "DescribeInstances");
    assert_eq!(
        listed.xml_all("instanceId"),
        ["i-03330000000000001", "i-03330000000000002"]
    );

    advance_clock(&server, 3601);

    let r = server.sts(&chained, "GetCallerIdentity", &[]);
    assert_error(
        &r,
        403,
        "ExpiredToken",
        "The security token included in the request is expired",
    );
    let r = ec2(&server, &chained, "DescribeInstances");
    assert_error(&r, 400, "RequestExpired", "Request has expired.");

    // The first hop asked for two hours and still works, on STS and on EC2.
    let who = server.sts(&hop, "GetCallerIdentity", &[]);
    assert_eq!(
        who.xml("Arn").as_deref(),
        Some("arn:aws:sts::222222222222:assumed-role/Hop/hop"),
        "{}",
        who.body
    );
    assert_eq!(ec2(&server, &hop, "DescribeInstances").status, 200);
    // ... and may chain again, for a fresh hour.
    let (r, _) = assume_role(&server, &hop, INVENTORY, "inventory", &[]);
    assert_expires_in(&r, 3600);
}

#[test]
fn a_first_hop_with_the_default_duration_expires_after_an_hour() {
    let server = server();
    let hop = first_hop(&server, &[]);
    advance_clock(&server, 3599);
    assert_eq!(server.sts(&hop, "GetCallerIdentity", &[]).status, 200);
    advance_clock(&server, 2);
    let r = server.sts(&hop, "GetCallerIdentity", &[]);
    assert_error(
        &r,
        403,
        "ExpiredToken",
        "The security token included in the request is expired",
    );
    let r = ec2(&server, &hop, "DescribeInstances");
    assert_error(&r, 400, "RequestExpired", "Request has expired.");
}

#[test]
fn tampered_and_foreign_tokens_are_invalid() {
    let server = server();
    let hop = first_hop(&server, &[]);
    let mut tampered = hop.clone();
    let token = tampered.token.take().unwrap();
    let mut bytes = token.into_bytes();
    let i = bytes.len() / 3;
    bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
    tampered.token = Some(String::from_utf8(bytes).unwrap());
    let r = server.sts(&tampered, "GetCallerIdentity", &[]);
    assert_error(
        &r,
        403,
        "InvalidClientTokenId",
        "The security token included in the request is invalid",
    );

    // A token from another server (another key) is as unreadable.
    let other = self::server();
    let r = other.sts(&hop, "GetCallerIdentity", &[]);
    assert_error(
        &r,
        403,
        "InvalidClientTokenId",
        "The security token included in the request is invalid",
    );
}
