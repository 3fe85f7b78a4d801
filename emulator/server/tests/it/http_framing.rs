//! HTTP framing errors are the front end's, not a service's: a malformed chunked body is a
//! 400, not 413 RequestEntityTooLarge, and a body over the limit still is 413.

use rolecall_test_support::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Writes `request` as is and reads the answer's status line and head.
fn raw(server: &TestServer, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).to_string()
}

#[test]
fn a_malformed_chunked_body_is_a_bad_request() {
    let server = TestServer::default_scenario();
    for body in [
        &b"zz\r\nAction=GetCallerIdentity\r\n0\r\n\r\n"[..],
        b"5\r\nAction=GetCallerIdentity\r\n0\r\n\r\n",
        b"fffffffffffffffffffff\r\nx\r\n",
    ] {
        let mut request = b"POST / HTTP/1.1\r\nHost: sts\r\nTransfer-Encoding: chunked\r\n\
            Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n\r\n"
            .to_vec();
        request.extend_from_slice(body);
        let answer = raw(&server, &request);
        assert!(
            answer.starts_with("HTTP/1.1 400 "),
            "{:?}: {answer}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn a_body_over_the_limit_is_too_large() {
    let server = TestServer::default_scenario();
    let body = "a".repeat((1 << 20) + 1);
    let request = format!(
        "POST / HTTP/1.1\r\nHost: sts\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let answer = raw(&server, request.as_bytes());
    assert!(
        answer.starts_with("HTTP/1.1 413 "),
        "{}",
        &answer[..answer.len().min(200)]
    );
    assert!(answer.contains("<Code>RequestEntityTooLarge</Code>"));
}
