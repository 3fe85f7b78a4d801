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

/// A correctly signed HTTP/2 request failed SignatureDoesNotMatch: HTTP/2 sends the host as
/// `:authority`, which SigV4 signs as `host`.
#[test]
fn an_http2_request_signed_with_its_authority_verifies() {
    use http_body_util::{BodyExt, Full};
    use hyper_util::rt::{TokioExecutor, TokioIo};

    let server = TestServer::default_scenario();
    let authority = server.addr.to_string();
    let body = form(&[("Action", "GetCallerIdentity"), ("Version", "2011-06-15")]);
    let headers = sign_post(
        &authority,
        "sts",
        "us-east-1",
        &Keys::discovery(),
        &body,
        std::time::SystemTime::now(),
        &[FORM_CONTENT_TYPE],
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (status, answer) = runtime.block_on(async {
        let stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
        let (mut sender, connection) =
            hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(stream))
                .await
                .unwrap();
        tokio::spawn(connection);
        let mut request = http::Request::post(format!("http://{authority}/"));
        // The host travels as `:authority` only, as HTTP/2 clients send it.
        for (name, value) in headers.iter().filter(|(name, _)| name != "host") {
            request = request.header(name, value);
        }
        let response = sender
            .send_request(request.body(Full::new(bytes::Bytes::from(body))).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let answer = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8(answer.to_vec()).unwrap())
    });
    assert_eq!(status, 200, "{answer}");
    assert!(
        answer.contains("<Arn>arn:aws:iam::111111111111:user/discovery</Arn>"),
        "{answer}"
    );
}
