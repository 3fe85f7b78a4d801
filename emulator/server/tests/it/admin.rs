//! The `/_rolecall/` endpoints refuse what a web page can send: a cross-site `text/plain` POST
//! moved the clock, and a foreign `Host` (DNS rebinding) read decision traces.

use bytes::Bytes;
use rolecall_server::Emulator;

const SCENARIO: &str =
    "clock: { start: \"2026-01-01T00:00:00Z\", frozen: true }\naccounts:\n  - id: \"111111111111\"\n";

fn emulator() -> Emulator {
    Emulator::from_yaml(SCENARIO, "frozen.yaml").unwrap()
}

fn send(emulator: &Emulator, request: http::request::Builder, body: &str) -> (u16, String) {
    let response = emulator.handle(request.body(Bytes::from(body.to_string())).unwrap());
    let text = String::from_utf8(response.body().to_vec()).unwrap();
    (response.status().as_u16(), text)
}

fn post_clock() -> http::request::Builder {
    http::Request::post("/_rolecall/clock").header("host", "127.0.0.1:4566")
}

const ADVANCE: &str = r#"{"advance_seconds": 3600}"#;

#[test]
fn a_state_change_must_be_json_so_a_cross_site_form_cannot_send_it() {
    let emulator = emulator();
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
    ] {
        let mut request = post_clock();
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let (status, body) = send(&emulator, request, ADVANCE);
        assert_eq!(status, 415, "{content_type:?}: {body}");
        assert!(body.contains("Content-Type: application/json"), "{body}");
    }
    let (status, _) = send(&emulator, http::Request::post("/_rolecall/reload"), "");
    assert_eq!(status, 415);
    assert_eq!(emulator.clock().now().unix_timestamp(), 1_767_225_600);

    let json = post_clock().header("content-type", "application/json; charset=utf-8");
    assert_eq!(send(&emulator, json, ADVANCE).0, 200);
    assert_eq!(
        emulator.clock().now().unix_timestamp(),
        1_767_225_600 + 3600
    );
}

#[test]
fn a_foreign_origin_is_refused_even_with_json() {
    let emulator = emulator();
    for origin in [
        "http://evil.example",
        "https://127.0.0.1.evil.example",
        "null",
    ] {
        let request = post_clock()
            .header("content-type", "application/json")
            .header("origin", origin);
        let (status, body) = send(&emulator, request, ADVANCE);
        assert_eq!(status, 403, "{origin}: {body}");
    }
    assert_eq!(emulator.clock().now().unix_timestamp(), 1_767_225_600);
    let local = post_clock()
        .header("content-type", "application/json")
        .header("origin", "http://localhost:4566");
    assert_eq!(send(&emulator, local, ADVANCE).0, 200);
}

#[test]
fn a_foreign_host_cannot_read_the_endpoints() {
    let emulator = emulator();
    for host in [
        "evil.example",
        "evil.example:4566",
        "rebind.127.0.0.1.nip.io:4566",
    ] {
        for path in ["/_rolecall/clock", "/_rolecall/requests/0000"] {
            let request = http::Request::get(path).header("host", host);
            let (status, body) = send(&emulator, request, "");
            assert_eq!(status, 403, "{host}{path}: {body}");
            assert!(body.contains("loopback host"), "{body}");
        }
    }
    for host in ["localhost:4566", "127.0.0.1:4566", "[::1]:4566"] {
        let request = http::Request::get("/_rolecall/clock").header("host", host);
        assert_eq!(send(&emulator, request, "").0, 200, "{host}");
    }
}
