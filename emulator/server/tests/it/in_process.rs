//! `Emulator::handle`: a request in memory, no socket, answered exactly as over a connection;
//! and the library's face for tests (clock, decisions, explain).

use bytes::Bytes;
use rolecall_server::explain::Question;
use rolecall_server::Emulator;
use rolecall_test_support::*;

const INVITED_ROLE: &str = "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole";
const DENIAL: &str = "User: arn:aws:iam::111111111111:user/discovery is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/OrganizationAccountAccessRole";

fn text(response: &http::Response<Bytes>) -> String {
    String::from_utf8(response.body().to_vec()).unwrap()
}

/// The text of the first `<name>` element of an XML answer.
fn element(body: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = body.find(&open)? + open.len();
    let end = body[start..].find(&format!("</{name}>"))? + start;
    Some(body[start..end].to_string())
}

fn sts(emulator: &Emulator, keys: &Keys, params: &[(&str, &str)]) -> http::Response<Bytes> {
    let mut all = vec![("Version", "2011-06-15")];
    all.extend_from_slice(params);
    emulator.handle(signed_form_request(
        "sts.us-east-1.amazonaws.com",
        "sts",
        keys,
        &all,
    ))
}

#[test]
fn handle_answers_without_a_socket_as_a_connection_would() {
    let emulator = Emulator::with_default_scenario();

    let who = sts(
        &emulator,
        &Keys::discovery(),
        &[("Action", "GetCallerIdentity")],
    );
    assert_eq!(who.status(), 200);
    assert_eq!(
        who.headers()["content-type"],
        "text/xml",
        "STS's content type"
    );
    assert!(who.headers().contains_key("x-amzn-requestid"));
    let body = text(&who);
    assert_eq!(
        element(&body, "Arn").as_deref(),
        Some("arn:aws:iam::111111111111:user/discovery")
    );

    let refused = sts(
        &emulator,
        &Keys::discovery(),
        &[
            ("Action", "AssumeRole"),
            ("RoleArn", INVITED_ROLE),
            ("RoleSessionName", "discovery"),
        ],
    );
    assert_eq!(refused.status(), 403);
    let body = text(&refused);
    assert_eq!(element(&body, "Code").as_deref(), Some("AccessDenied"));
    assert_eq!(element(&body, "Message").as_deref(), Some(DENIAL));

    // The denial was recorded under its request id, with the engine's reason.
    let request_id = refused.headers()["x-amzn-requestid"].to_str().unwrap();
    let decisions = emulator.decisions(request_id);
    assert_eq!(decisions.len(), 1);
    let recorded = serde_json::to_value(&decisions[0]).unwrap();
    assert_eq!(recorded["message"], DENIAL);

    // EC2 with a key no scenario has: its 401, in its own envelope and headers.
    let unknown = Keys::long_term(
        "AKIAUNKNOWNEXAMPLE01",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    );
    let ec2 = emulator.handle(signed_form_request(
        "ec2.us-east-1.amazonaws.com",
        "ec2",
        &unknown,
        &[("Action", "DescribeInstances"), ("Version", "2016-11-15")],
    ));
    assert_eq!(ec2.status(), 401);
    assert_eq!(ec2.headers()["server"], "AmazonEC2");
    let body = text(&ec2);
    assert!(body.starts_with("<?xml"), "{body}");
    assert_eq!(element(&body, "Code").as_deref(), Some("AuthFailure"));
}

#[test]
fn the_clock_and_the_admin_endpoints_answer_in_process_too() {
    let emulator = Emulator::builder()
        .scenario_text(
            "clock: { start: \"2026-01-01T00:00:00Z\", frozen: true }\naccounts:\n  - id: \"111111111111\"\n",
            "frozen.yaml",
        )
        .build()
        .unwrap();
    assert_eq!(emulator.scenario_name(), "frozen.yaml");
    assert_eq!(emulator.clock().now().unix_timestamp(), 1_767_225_600);
    emulator.clock().advance(60).unwrap();
    let clock = emulator.handle(
        http::Request::get("/_rolecall/clock")
            .body(Bytes::new())
            .unwrap(),
    );
    assert_eq!(clock.status(), 200);
    let clock: serde_json::Value = serde_json::from_slice(clock.body()).unwrap();
    assert_eq!(clock["clock"], "2026-01-01T00:01:00Z");
    assert_eq!(clock["frozen"], true);
}

/// `advance_seconds` of i64::MAX once wrapped the clock round to 1734, so credentials that had
/// expired were good again. Now it is refused with the clock's range, and nothing moves.
#[test]
fn a_clock_move_out_of_range_is_refused_and_changes_nothing() {
    let emulator = Emulator::builder()
        .scenario_text(
            "clock: { start: \"2026-01-01T00:00:00Z\", frozen: true }\naccounts:\n  - id: \"111111111111\"\n",
            "frozen.yaml",
        )
        .build()
        .unwrap();
    for body in [
        r#"{"advance_seconds": 9223372036854775807}"#,
        r#"{"advance_seconds": -9223372036854775808}"#,
        r#"{"advance_seconds": -1800000000}"#,
        r#"{"set": "2300-01-01T00:00:00Z"}"#,
        r#"{"set": "2262-04-11T00:00:00Z", "advance_seconds": 86400}"#,
        r#"{"frozen": false, "advance_seconds": 9223372036854775807}"#,
    ] {
        let refused = emulator.handle(
            http::Request::post("/_rolecall/clock")
                .header("content-type", "application/json")
                .body(Bytes::from(body))
                .unwrap(),
        );
        assert_eq!(refused.status(), 400, "{body}");
        let answer: serde_json::Value = serde_json::from_slice(refused.body()).unwrap();
        assert_eq!(
            answer["error"],
            "the clock can show times from 1970-01-01T00:00:00Z to 2262-04-11T23:47:16Z only",
            "{body}"
        );
        assert_eq!(
            emulator.clock().now().unix_timestamp(),
            1_767_225_600,
            "{body}"
        );
        assert!(emulator.clock().is_frozen(), "{body}");
    }
}

#[test]
fn explain_decides_as_the_server_does() {
    let emulator = Emulator::with_default_scenario();
    let answer = emulator
        .explain(&Question {
            principal_arn: "arn:aws:iam::111111111111:user/discovery",
            action: "sts:AssumeRole",
            resource: INVITED_ROLE,
            region: "us-east-1",
            context: &[],
            session_policies: &[],
            default_context: true,
        })
        .unwrap();
    assert!(!answer.allowed);
    assert_eq!(answer.message.as_deref(), Some(DENIAL));
}
