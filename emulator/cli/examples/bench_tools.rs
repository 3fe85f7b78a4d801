//! Helpers for `emulator/benches/load.sh`, built from the same crate so the comparison is fair:
//!
//! - `bare-server ADDR`: a hyper server answering every request `200 OK` (the ceiling);
//! - `protocol-server ADDR [BODY_BYTES]`: a hyper server doing what any AWS-protocol answer
//!   takes and nothing else: it reads the request body, makes a request id, and answers `200`
//!   with a `text/xml` body of BODY_BYTES (default 1000, an AssumeRole answer's size) and the
//!   `x-amzn-RequestId` header. Given the size of rolecall's answer, rolecall's distance from
//!   it is rolecall's own work, and its distance from the bare server is hyper's and the
//!   kernel's share of such answers;
//! - `wrk-script --endpoint URL --service S --action A [--key K --secret S --token T]
//!   [--param K=V …]`: a wrk Lua script that sends one SigV4-signed POST (signed by the
//!   `aws-sigv4` crate, as SDKs sign);
//! - `assume --endpoint URL --role-arn ARN`: AssumeRole with the default scenario's keys and
//!   print the temporary credentials as `KEY SECRET TOKEN`;
//! - `startup BIN [RUNS]`: start `BIN serve` on port 0 RUNS times and report the time from
//!   spawn to the first signed answer (median and worst), and the server's RSS;
//! - `hammer --requests N --endpoint URL --service S --action A […as wrk-script]`: send one
//!   signed POST N times, one after another on one keep-alive connection, and report the
//!   non-200 answers and the last answer's body size. Meant for counting the server's
//!   instructions per request (e.g. under callgrind), where a fixed amount of work matters and
//!   wall-clock speed does not.
//!
//! All traffic stays on 127.0.0.1; every loop is bounded.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_smithy_runtime_api::client::identity::Identity;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

const KEY: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("bare-server") => serve_with(&args[1], "bare", None),
        Some("protocol-server") => {
            let bytes = args.get(2).map_or(DEFAULT_PROTOCOL_BODY_BYTES, |n| {
                n.parse().expect("BODY_BYTES is a number")
            });
            serve_with(&args[1], "protocol", Some(protocol_body(bytes)))
        }
        Some("wrk-script") => print!("{}", wrk_script(&args[1..])),
        Some("assume") => assume(&args[1..]),
        Some("hammer") => hammer(&args[1..]),
        Some("startup") => startup(
            &args[1],
            args.get(2).and_then(|n| n.parse().ok()).unwrap_or(20),
        ),
        _ => {
            eprintln!("usage: bench_tools bare-server ADDR | protocol-server ADDR [BODY_BYTES] | wrk-script … | hammer --requests N … | assume … | startup BIN [RUNS]");
            std::process::exit(2);
        }
    }
}

/// The body of a `protocol-server` answer unless told: as long as a typical AssumeRole answer.
const DEFAULT_PROTOCOL_BODY_BYTES: usize = 1000;

/// A `protocol-server` answer of `bytes` bytes, made once for the server's life.
fn protocol_body(bytes: usize) -> &'static [u8] {
    let filler = bytes.saturating_sub("<Response></Response>".len());
    let xml = format!("<Response>{}</Response>", "x".repeat(filler));
    Box::leak(xml.into_bytes().into_boxed_slice())
}

/// A reference server: without `protocol_body`, the bare one (`200 OK`, the request unread);
/// with it, the protocol one (see `protocol-server` above), which copies that body into a
/// fresh buffer per request, as a server writes each answer anew.
fn serve_with(addr: &str, name: &str, protocol_body: Option<&'static [u8]>) {
    use http_body_util::{BodyExt, Full, Limited};
    use hyper::service::service_fn;
    use hyper_util::rt::{TokioExecutor, TokioIo};
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr).await.expect("bind");
        println!(
            "{name} server listening on http://{}",
            listener.local_addr().unwrap()
        );
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let _ = stream.set_nodelay(true);
            tokio::spawn(async move {
                let service = service_fn(
                    move |req: hyper::Request<hyper::body::Incoming>| async move {
                        let response = match protocol_body {
                            None => {
                                hyper::Response::new(Full::new(bytes::Bytes::from_static(b"OK")))
                            }
                            Some(template) => {
                                // Read as rolecall reads a body, then dropped.
                                let _ = Limited::new(req.into_body(), 1 << 20).collect().await;
                                let body = bytes::Bytes::copy_from_slice(template);
                                let mut r = hyper::Response::new(Full::new(body));
                                let headers = r.headers_mut();
                                headers.insert(
                                    http::header::CONTENT_TYPE,
                                    http::HeaderValue::from_static("text/xml"),
                                );
                                // Made as rolecall makes its request ids.
                                let id = rolecall_wire::new_request_id();
                                headers.insert(
                                    http::HeaderName::from_static("x-amzn-requestid"),
                                    http::HeaderValue::from_str(&id)
                                        .expect("a UUID is a header value"),
                                );
                                r
                            }
                        };
                        Ok::<_, std::convert::Infallible>(response)
                    },
                );
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
}

/// `--name value` pairs and repeated `--param K=V`.
struct Opts {
    endpoint: String,
    service: String,
    region: String,
    key: String,
    secret: String,
    token: Option<String>,
    params: Vec<(String, String)>,
}

fn opts(args: &[String]) -> Opts {
    let mut o = Opts {
        endpoint: String::new(),
        service: "sts".into(),
        region: "us-east-1".into(),
        key: KEY.into(),
        secret: SECRET.into(),
        token: None,
        params: Vec::new(),
    };
    let mut it = args.iter();
    while let (Some(flag), Some(value)) = (it.next(), it.next()) {
        match flag.as_str() {
            "--endpoint" => o.endpoint = value.clone(),
            "--service" => o.service = value.clone(),
            "--region" => o.region = value.clone(),
            "--key" => o.key = value.clone(),
            "--secret" => o.secret = value.clone(),
            "--token" => o.token = Some(value.clone()),
            "--action" => o.params.push(("Action".into(), value.clone())),
            "--param" => {
                let (k, v) = value.split_once('=').expect("--param K=V");
                o.params.push((k.into(), v.into()));
            }
            other => panic!("unknown option {other}"),
        }
    }
    let version = if o.service == "ec2" {
        "2016-11-15"
    } else {
        "2011-06-15"
    };
    o.params
        .insert(1.min(o.params.len()), ("Version".into(), version.into()));
    o
}

fn form(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| {
            let enc = |s: &str| {
                percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC)
                    .to_string()
            };
            format!("{}={}", enc(k), enc(v))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The headers of a signed POST of `body` to `o.endpoint`.
fn signed_headers(o: &Opts, body: &str) -> Vec<(String, String)> {
    let host = o
        .endpoint
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut headers = vec![
        ("host".to_string(), host),
        (
            "content-type".to_string(),
            "application/x-www-form-urlencoded; charset=utf-8".to_string(),
        ),
    ];
    let identity: Identity =
        Credentials::new(&o.key, &o.secret, o.token.clone(), None, "bench").into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(&o.region)
        .name(&o.service)
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .expect("signing params")
        .into();
    let signable = SignableRequest::new(
        "POST",
        format!("{}/", o.endpoint.trim_end_matches('/')),
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        SignableBody::Bytes(body.as_bytes()),
    )
    .expect("signable");
    let (instructions, _) = sign(signable, &params).expect("sign").into_parts();
    for (k, v) in instructions.headers() {
        headers.push((k.to_string(), v.to_string()));
    }
    headers
}

fn lua_string(s: &str) -> String {
    format!("{s:?}")
}

fn wrk_script(args: &[String]) -> String {
    let o = opts(args);
    let body = form(&o.params);
    let mut script = String::from("wrk.method = \"POST\"\n");
    script.push_str(&format!("wrk.body = {}\n", lua_string(&body)));
    for (k, v) in signed_headers(&o, &body) {
        if k != "host" {
            script.push_str(&format!(
                "wrk.headers[{}] = {}\n",
                lua_string(&k),
                lua_string(&v)
            ));
        }
    }
    // No `response` callback: wrk counts answers that are not 2xx or 3xx itself, and a Lua
    // callback would make it copy every answer's headers and body into Lua, a load-generator
    // cost that grows with the answer and would be charged to the server under test.
    script
}

/// One signed POST over a fresh connection; returns (status, body).
fn post(o: &Opts) -> std::io::Result<(u16, String)> {
    let body = form(&o.params);
    let headers = signed_headers(o, &body);
    let host = o
        .endpoint
        .trim_start_matches("http://")
        .trim_end_matches('/');
    let mut stream = TcpStream::connect(host)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut req = String::from("POST / HTTP/1.1\r\n");
    for (k, v) in &headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    ));
    stream.write_all(req.as_bytes())?;
    let mut raw = String::new();
    stream.read_to_string(&mut raw)?;
    let status = raw
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok((status, raw))
}

fn xml(body: &str, name: &str) -> String {
    let open = format!("<{name}>");
    let start = body.find(&open).map(|i| i + open.len()).unwrap_or(0);
    let end = body[start..].find('<').map(|i| i + start).unwrap_or(start);
    body[start..end].to_string()
}

fn assume(args: &[String]) {
    let mut o = opts(args);
    o.params = vec![
        ("Action".into(), "AssumeRole".into()),
        ("Version".into(), "2011-06-15".into()),
        (
            "RoleArn".into(),
            "arn:aws:iam::333333333333:role/OrganizationAccountAccessRole".into(),
        ),
        ("RoleSessionName".into(), "bench".into()),
    ];
    let (status, body) = post(&o).expect("AssumeRole");
    assert_eq!(status, 200, "{body}");
    println!(
        "{} {} {}",
        xml(&body, "AccessKeyId"),
        xml(&body, "SecretAccessKey"),
        xml(&body, "SessionToken")
    );
}

fn startup(bin: &str, runs: usize) {
    let mut times = Vec::with_capacity(runs);
    let mut rss_kb = 0;
    for _ in 0..runs.clamp(1, 200) {
        let started = Instant::now();
        let mut child = Command::new(bin)
            .args(["serve", "--listen", "127.0.0.1:0", "--quiet"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn rolecall");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut first)
            .expect("ready line");
        let endpoint = first
            .trim()
            .rsplit(' ')
            .next()
            .unwrap_or_default()
            .to_string();
        let o = Opts {
            endpoint,
            service: "sts".into(),
            region: "us-east-1".into(),
            key: KEY.into(),
            secret: SECRET.into(),
            token: None,
            params: vec![
                ("Action".into(), "GetCallerIdentity".into()),
                ("Version".into(), "2011-06-15".into()),
            ],
        };
        let deadline = started + Duration::from_secs(5);
        while Instant::now() < deadline {
            if matches!(post(&o), Ok((200, _))) {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        times.push(started.elapsed());
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{}/status", child.id())) {
            rss_kb = status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
                .unwrap_or(0);
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    times.sort();
    println!(
        "start to first signed answer: median {:.1} ms, worst {:.1} ms over {} runs; RSS after it {:.1} MB",
        times[times.len() / 2].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        times.len(),
        rss_kb as f64 / 1024.0
    );
}

/// Sends the same signed request `--requests N` times over one keep-alive connection.
fn hammer(args: &[String]) {
    let (count, rest) = match args {
        [flag, n, rest @ ..] if flag == "--requests" => {
            (n.parse::<usize>().expect("--requests N"), rest)
        }
        _ => panic!("hammer needs --requests N first"),
    };
    let o = opts(rest);
    let body = form(&o.params);
    let mut request = String::from("POST / HTTP/1.1\r\n");
    for (k, v) in signed_headers(&o, &body) {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str(&format!("content-length: {}\r\n\r\n{body}", body.len()));
    let host = o
        .endpoint
        .trim_start_matches("http://")
        .trim_end_matches('/');
    let stream = TcpStream::connect(host).expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let mut writer = stream.try_clone().expect("clone");
    let mut reader = BufReader::new(stream);
    let (mut bad, mut last_bad, mut last_size) = (0usize, String::new(), 0);
    let started = Instant::now();
    for _ in 0..count {
        writer.write_all(request.as_bytes()).expect("send");
        let (status, answer) = read_response(&mut reader).expect("answer");
        last_size = answer.len();
        if status != 200 {
            bad += 1;
            last_bad = answer;
        }
    }
    println!(
        "{count} requests in {:.2} s, {bad} not 200, last answer {last_size} bytes",
        started.elapsed().as_secs_f64()
    );
    if bad > 0 {
        println!("last non-200 answer: {last_bad}");
        std::process::exit(1);
    }
}

/// One HTTP/1.1 response with a `content-length` body: (status, body).
fn read_response(reader: &mut impl BufRead) -> std::io::Result<(u16, String)> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut length = 0;
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}
