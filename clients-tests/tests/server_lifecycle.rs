//! The server process's life under signals, driven from outside as a user drives it: Ctrl-C
//! (SIGINT) and SIGTERM let a request already in flight finish before the process exits with
//! success; SIGHUP and `POST /_rolecall/reload` read the scenario file again and swap in the
//! new world only if the file is sound.

mod common;

use common::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

/// An unsigned GetCallerIdentity: STS answers it 403 MissingAuthenticationToken, which is
/// enough to show the request was read to its end and served.
const BODY: &str = "Action=GetCallerIdentity&Version=2011-06-15";

/// Sends a request's head with `Expect: 100-continue` and waits for the server's
/// `100 Continue`, which hyper sends once the handler starts reading the body: from then on the
/// request is in flight. Then it signals the server and, only once the server has stopped
/// listening (it has seen the signal and is draining), sends the body: the answer must still
/// come, whole, and the process must then end with success.
fn in_flight_request_survives(signal: &str) {
    let mut server = Server::start();
    let address = server.address().to_string();
    let mut stream = TcpStream::connect(&address).expect("connect");
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: {address}\r\n\
         Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n\
         Content-Length: {}\r\nExpect: 100-continue\r\n\r\n",
        BODY.len()
    )
    .unwrap();
    // Nothing else can arrive before the body is sent, so reading up to the blank line takes
    // exactly the interim answer.
    let mut interim = Vec::new();
    let mut byte = [0u8; 1];
    while !interim.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).expect("the interim answer");
        interim.push(byte[0]);
    }
    assert!(
        interim.starts_with(b"HTTP/1.1 100 Continue\r\n"),
        "{:?}",
        String::from_utf8_lossy(&interim)
    );

    server.signal(signal);
    wait_until(WAIT, "the port to refuse connections", || {
        TcpStream::connect(&address).is_err().then_some(())
    })
    .expect("rolecall stopped listening");
    stream.write_all(BODY.as_bytes()).unwrap();

    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .expect("the answer to the in-flight request");
    let (head, body) = response
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no whole answer after SIG{signal}: {response:?}"));
    assert!(head.starts_with("HTTP/1.1 403 "), "{head}");
    assert!(
        body.contains("<Code>MissingAuthenticationToken</Code>"),
        "{body}"
    );
    let status = server.wait_for_exit(WAIT);
    assert!(
        status.success(),
        "rolecall ended with {status} after SIG{signal}"
    );
}

#[test]
fn ctrl_c_lets_an_in_flight_request_finish_then_exits_with_success() {
    in_flight_request_survives("INT");
}

#[test]
fn sigterm_lets_an_in_flight_request_finish_then_exits_with_success() {
    in_flight_request_survives("TERM");
}

const OLD_KEY: &str = "AKIAOLDKEYEXAMPLE001";
const NEW_KEY: &str = "AKIANEWKEYEXAMPLE001";
const SECRET: &str = "reloadtestsecretreloadtestsecret00000000";

/// One account whose one user holds the access key `key`.
fn scenario_with_key(key: &str) -> String {
    format!(
        r#"description: one user whose access key changes between reloads
organization:
  management_account: "111111111111"
accounts:
  - id: "111111111111"
    name: management
    users:
      - name: discovery
        access_keys:
          - {{ id: {key}, secret: {SECRET} }}
"#
    )
}

#[tokio::test]
async fn sighup_swaps_in_a_sound_file_and_keeps_the_world_when_the_file_is_broken() {
    let server = Server::start_with_scenario_text(&scenario_with_key(OLD_KEY));
    let path = server.scenario_file().to_path_buf();
    let out = caller_identity(&server, static_credentials(OLD_KEY, SECRET, None)).await;
    assert_eq!(out.arn(), Some("arn:aws:iam::111111111111:user/discovery"));

    // A sound file: the new key works, the old one is gone, as on AWS after a key rotation.
    std::fs::write(&path, scenario_with_key(NEW_KEY)).unwrap();
    let seen = server.output().len();
    server.signal("HUP");
    server.wait_for_output(seen, "rolecall reloaded", WAIT);
    let out = caller_identity(&server, static_credentials(NEW_KEY, SECRET, None)).await;
    assert_eq!(out.arn(), Some("arn:aws:iam::111111111111:user/discovery"));
    assert_eq!(
        caller_identity_error(&server, static_credentials(OLD_KEY, SECRET, None)).await,
        wire_error(
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid."
        )
    );

    // A broken file: the server says where, and serves the world it had.
    std::fs::write(&path, "accounts: [ {").unwrap();
    let seen = server.output().len();
    server.signal("HUP");
    server.wait_for_output(seen, "rolecall kept the previous scenario", WAIT);
    server.wait_for_output(seen, "scenario.yaml:", WAIT);
    let out = caller_identity(&server, static_credentials(NEW_KEY, SECRET, None)).await;
    assert_eq!(out.arn(), Some("arn:aws:iam::111111111111:user/discovery"));
}

#[tokio::test]
async fn post_reload_answers_what_it_did_and_keeps_the_world_when_the_file_is_broken() {
    let server = Server::start_with_scenario_text(&scenario_with_key(OLD_KEY));
    let path = server.scenario_file().to_path_buf();

    std::fs::write(&path, scenario_with_key(NEW_KEY)).unwrap();
    let (status, body) = server.admin_request("POST", "/_rolecall/reload", "");
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, format!("{{\"reloaded\":\"{}\"}}", path.display()));
    let out = caller_identity(&server, static_credentials(NEW_KEY, SECRET, None)).await;
    assert_eq!(out.arn(), Some("arn:aws:iam::111111111111:user/discovery"));

    std::fs::write(&path, "accounts: [ {").unwrap();
    let (status, body) = server.admin_request("POST", "/_rolecall/reload", "");
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("the previous one is still served"), "{body}");
    assert!(
        body.contains(&format!("{}:1:13: unclosed bracket", path.display())),
        "{body}"
    );
    let out = caller_identity(&server, static_credentials(NEW_KEY, SECRET, None)).await;
    assert_eq!(out.arn(), Some("arn:aws:iam::111111111111:user/discovery"));
}
