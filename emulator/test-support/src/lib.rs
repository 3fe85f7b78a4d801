//! What rolecall's own tests share: an [`Emulator`] serving on a loopback port in the test
//! process, and requests to it signed by the AWS SigV4 signer (the `aws-sigv4` crate, the one
//! the AWS SDKs use, independent of rolecall's verifier), with small readers for the answers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::missing_panics_doc)]

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_smithy_runtime_api::client::identity::Identity;
use rolecall_model::World;
use rolecall_server::Emulator;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, SystemTime};

pub const DISCOVERY_KEY: &str = "AKIAIOSFODNN7EXAMPLE";
pub const DISCOVERY_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

pub const STS_VERSION: &str = "2011-06-15";
pub const EC2_VERSION: &str = "2016-11-15";

/// The content type of an awsQuery / ec2Query form body.
pub const FORM_CONTENT_TYPE: (&str, &str) = (
    "content-type",
    "application/x-www-form-urlencoded; charset=utf-8",
);

/// Keys to sign with.
#[derive(Clone, Debug)]
pub struct Keys {
    pub access_key_id: String,
    pub secret: String,
    pub token: Option<String>,
}

impl Keys {
    pub fn long_term(id: &str, secret: &str) -> Keys {
        Keys {
            access_key_id: id.into(),
            secret: secret.into(),
            token: None,
        }
    }
    pub fn discovery() -> Keys {
        Keys::long_term(DISCOVERY_KEY, DISCOVERY_SECRET)
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    /// The text of the first `<name>` element.
    pub fn xml(&self, name: &str) -> Option<String> {
        let open = format!("<{name}>");
        let start = self.body.find(&open)? + open.len();
        let end = self.body[start..].find(&format!("</{name}>"))? + start;
        Some(unescape(&self.body[start..end]))
    }

    /// The text of every `<name>` element, in order.
    pub fn xml_all(&self, name: &str) -> Vec<String> {
        let open = format!("<{name}>");
        let close = format!("</{name}>");
        let mut out = Vec::new();
        let mut rest = self.body.as_str();
        while let Some(i) = rest.find(&open) {
            rest = &rest[i + open.len()..];
            let Some(j) = rest.find(&close) else { break };
            out.push(unescape(&rest[..j]));
            rest = &rest[j..];
        }
        out
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// An emulator serving on 127.0.0.1 from a runtime of its own; stopped when dropped.
pub struct TestServer {
    pub addr: SocketAddr,
    pub emulator: Emulator,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(Duration::from_secs(5));
        }
    }
}

impl TestServer {
    /// Serves `world`.
    pub fn start(world: World) -> TestServer {
        TestServer::serve(Emulator::builder().build_with_world(world, "test"))
    }

    /// Serves the scenario file at `path`; `emulator.reload()` reads it again.
    pub fn start_file(path: &std::path::Path) -> TestServer {
        TestServer::serve(Emulator::from_file(path).expect("the scenario loads"))
    }

    /// Serves the embedded default scenario.
    pub fn default_scenario() -> TestServer {
        TestServer::serve(Emulator::with_default_scenario())
    }

    /// Serves `emulator` until dropped.
    pub fn serve(emulator: Emulator) -> TestServer {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = emulator.clone();
        runtime.spawn(async move {
            let _ = serving
                .serve(listener, async {
                    let _ = stopped.await;
                })
                .await;
        });
        TestServer {
            addr,
            emulator,
            stop: Some(stop),
            runtime: Some(runtime),
        }
    }

    /// POSTs a form body signed for `service`/`region` with `keys`.
    pub fn call(
        &self,
        service: &str,
        region: &str,
        keys: &Keys,
        params: &[(&str, &str)],
    ) -> Response {
        self.post_signed(service, region, keys, &form(params), &[FORM_CONTENT_TYPE])
    }

    /// Calls an EC2 action in `region` with `Version` filled in.
    pub fn ec2(&self, region: &str, keys: &Keys, action: &str, extra: &[(&str, &str)]) -> Response {
        self.call(
            "ec2",
            region,
            keys,
            &action_params(action, EC2_VERSION, extra),
        )
    }

    /// Calls an STS action (signed for us-east-1) with `Version` filled in.
    pub fn sts(&self, keys: &Keys, action: &str, extra: &[(&str, &str)]) -> Response {
        self.call(
            "sts",
            "us-east-1",
            keys,
            &action_params(action, STS_VERSION, extra),
        )
    }

    /// Calls an Organizations operation: a JSON body signed for service `organizations`, with
    /// `X-Amz-Target: AWSOrganizationsV20161128.<operation>` and the awsJson1.1 content type.
    pub fn call_json(&self, keys: &Keys, operation: &str, body: &str) -> Response {
        let target = format!("AWSOrganizationsV20161128.{operation}");
        self.post_signed(
            "organizations",
            "us-east-1",
            keys,
            body,
            &[
                ("content-type", "application/x-amz-json-1.1"),
                ("x-amz-target", target.as_str()),
            ],
        )
    }

    /// POSTs `body` to / with `extra` headers, all signed for `service`/`region` with `keys` now.
    fn post_signed(
        &self,
        service: &str,
        region: &str,
        keys: &Keys,
        body: &str,
        extra: &[(&str, &str)],
    ) -> Response {
        let headers = self.signed_headers(service, region, keys, body, SystemTime::now(), extra);
        self.send("POST", "/", &headers, body)
    }

    /// The headers of a POST / carrying `extra` headers, all signed with `keys` at `time`.
    pub fn signed_headers(
        &self,
        service: &str,
        region: &str,
        keys: &Keys,
        body: &str,
        time: SystemTime,
        extra: &[(&str, &str)],
    ) -> Vec<(String, String)> {
        sign_post(
            &self.addr.to_string(),
            service,
            region,
            keys,
            body,
            time,
            extra,
        )
    }

    /// Sends a raw HTTP/1.1 request and reads the whole response.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(String, String)],
        body: &str,
    ) -> Response {
        let mut stream = TcpStream::connect(self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut req = format!("{method} {path} HTTP/1.1\r\n");
        let mut has_host = false;
        for (k, v) in headers {
            has_host |= k.eq_ignore_ascii_case("host");
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        if !has_host {
            req.push_str(&format!("host: {}\r\n", self.addr));
        }
        req.push_str(&format!(
            "content-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        ));
        stream.write_all(req.as_bytes()).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        parse_response(&raw)
    }
}

fn parse_response(raw: &[u8]) -> Response {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_string()
    };
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// The headers of a `POST /` to `host` carrying `extra` headers and `body`, all signed for
/// `service` in `region` with `keys` at `time`, as the AWS SDKs sign.
pub fn sign_post(
    host: &str,
    service: &str,
    region: &str,
    keys: &Keys,
    body: &str,
    time: SystemTime,
    extra: &[(&str, &str)],
) -> Vec<(String, String)> {
    let mut headers = vec![("host".to_string(), host.to_string())];
    headers.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let identity: Identity = Credentials::new(
        &keys.access_key_id,
        &keys.secret,
        keys.token.clone(),
        None,
        "test",
    )
    .into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let uri = format!("http://{host}/");
    let signable = SignableRequest::new(
        "POST",
        uri,
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        SignableBody::Bytes(body.as_bytes()),
    )
    .unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    for (name, value) in instructions.headers() {
        headers.push((name.to_string(), value.to_string()));
    }
    headers
}

/// A form `POST /` to `host` for `service`, signed now with `keys`, as an in-memory request
/// for [`Emulator::handle`].
pub fn signed_form_request(
    host: &str,
    service: &str,
    keys: &Keys,
    params: &[(&str, &str)],
) -> http::Request<bytes::Bytes> {
    let body = form(params);
    let headers = sign_post(
        host,
        service,
        "us-east-1",
        keys,
        &body,
        SystemTime::now(),
        &[FORM_CONTENT_TYPE],
    );
    let mut request = http::Request::builder().method("POST").uri("/");
    for (name, value) in &headers {
        request = request.header(name, value);
    }
    request.body(bytes::Bytes::from(body)).unwrap()
}

/// `Action` and `Version`, then `extra`.
fn action_params<'a>(
    action: &'a str,
    version: &'a str,
    extra: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut params = vec![("Action", action), ("Version", version)];
    params.extend_from_slice(extra);
    params
}

/// An `application/x-www-form-urlencoded` body.
pub fn form(params: &[(&str, &str)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// Status, `<Code>` and `<Message>` of an XML error answer (empty where absent).
pub fn error(r: &Response) -> (u16, String, String) {
    (
        r.status,
        r.xml("Code").unwrap_or_default(),
        r.xml("Message").unwrap_or_default(),
    )
}

/// An XML error answer with exactly this status, code and message.
pub fn assert_error(r: &Response, status: u16, code: &str, message: &str) {
    assert_eq!(
        error(r),
        (status, code.to_string(), message.to_string()),
        "{}",
        r.body
    );
}

/// Asserts that the answer's `Expiration` is `seconds` after now by the wall clock (the
/// client's time, in which STS reports it), give or take the test's own running time.
pub fn assert_expires_in(r: &Response, seconds: i64) {
    use time::format_description::well_known::Rfc3339;
    let text = r
        .xml("Expiration")
        .unwrap_or_else(|| panic!("no Expiration: {}", r.body));
    let expiration = time::OffsetDateTime::parse(&text, &Rfc3339).unwrap();
    let ahead = (expiration - time::OffsetDateTime::now_utc()).whole_seconds();
    assert!(
        (seconds - 30..=seconds).contains(&ahead),
        "Expiration {text} is {ahead} s ahead, not {seconds}"
    );
}

/// AssumeRole with `keys`; returns the response and, on success, the new keys.
pub fn assume_role(
    server: &TestServer,
    keys: &Keys,
    role_arn: &str,
    session: &str,
    extra: &[(&str, &str)],
) -> (Response, Option<Keys>) {
    let mut params = vec![("RoleArn", role_arn), ("RoleSessionName", session)];
    params.extend_from_slice(extra);
    let r = server.sts(keys, "AssumeRole", &params);
    let keys = (r.status == 200).then(|| Keys {
        access_key_id: r.xml("AccessKeyId").unwrap(),
        secret: r.xml("SecretAccessKey").unwrap(),
        token: r.xml("SessionToken"),
    });
    (r, keys)
}
