//! What outside testing broke, reproduced against the real binary: each test sends what a
//! careless client or a hostile web page sent, and checks the answer a well-run AWS front end
//! gives.

mod common;

use common::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

/// One raw HTTP/1.1 exchange (the request as written, `Connection: close` expected in it):
/// the status, the head and the body.
fn exchange(address: &str, request: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

fn header<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then_some(value.trim())
    })
}

/// A form POST to `/` carrying `body`, unsigned.
fn form_post(address: &str, body: &str) -> String {
    format!(
        "POST / HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// A `%0A` in the action forged whole log lines, and an escape sequence reached the terminal.
#[test]
fn request_values_cannot_forge_log_lines() {
    let server = Server::start();
    let address = server.address().to_string();
    let forged = "Get%0A2026-01-01T00:00:00Z%20forged%20sts:AssumeRole%20200%1B%5B31m";
    let (status, head, _) = exchange(
        &address,
        &form_post(&address, &format!("Action={forged}&Version=2011-06-15")),
    );
    assert_eq!(status, 403);
    let request_id = header(&head, "x-amzn-requestid").unwrap().to_string();
    let line = wait_until(WAIT, "the request's log line", || {
        server
            .output()
            .into_iter()
            .find(|line| line.contains(&request_id))
    })
    .expect("the request is logged");
    assert!(
        line.contains("sts:Get\\u{a}2026-01-01T00:00:00Z forged sts:AssumeRole 200\\u{1b}[31m"),
        "{line}"
    );
    let output = server.output();
    assert!(
        output
            .iter()
            .all(|l| !l.starts_with("2026-01-01T00:00:00Z forged")),
        "{output:?}"
    );
    assert!(output.iter().all(|l| !l.contains('\u{1b}')), "{output:?}");
}
