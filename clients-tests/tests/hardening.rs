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

/// A `rolecall serve` started through `sh -c` (to set a resource limit first), its printed
/// lines collected.
struct Spawned {
    child: std::process::Child,
    address: String,
    output: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Drop for Spawned {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Spawned {
    /// `rolecall serve --listen 127.0.0.1:0 ARGS…`, after the shell command `before`.
    fn start(before: &str, args: &str) -> Spawned {
        use std::io::BufRead;
        use std::process::{Command, Stdio};
        let bin = rolecall_bin();
        let script = format!(
            "{before}; exec '{}' serve --listen 127.0.0.1:0 --quiet {args}",
            bin.display()
        );
        let mut child = Command::new("sh")
            .args(["-c", &script])
            .env("HOME", std::env::temp_dir())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start rolecall");
        let output = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let output = output.clone();
            std::thread::spawn(move || {
                for line in std::io::BufReader::new(stream).lines() {
                    let Ok(line) = line else { break };
                    output.lock().unwrap().push(line);
                }
            });
        }
        let address = wait_until(WAIT, "the banner", || {
            output.lock().unwrap().iter().find_map(|l| {
                l.strip_prefix("rolecall listening on http://")
                    .map(str::to_string)
            })
        })
        .expect("rolecall starts");
        Spawned {
            child,
            address,
            output,
        }
    }

    fn lines_with(&self, needle: &str) -> usize {
        self.output
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains(needle))
            .count()
    }
}

/// An unsigned GetCallerIdentity on a kept-alive connection: STS's 403 says it was served.
fn served_on(stream: &mut TcpStream) -> bool {
    let body = "Action=GetCallerIdentity&Version=2011-06-15";
    let request = format!(
        "POST / HTTP/1.1\r\nHost: sts\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut answer = [0u8; 4096];
    let n = stream.read(&mut answer).unwrap_or(0);
    String::from_utf8_lossy(&answer[..n]).starts_with("HTTP/1.1 403")
}

/// With the descriptor limit reached, the accept loop retried `accept` at once, forever: most
/// of a core, and warnings as fast as it could write them. Now it pauses, says so once, and
/// keeps serving the connections it has.
#[test]
fn out_of_descriptors_the_server_pauses_reports_once_and_keeps_serving() {
    let server = Spawned::start("ulimit -n 48", "");
    let mut first = TcpStream::connect(&server.address).unwrap();
    first.set_read_timeout(Some(WAIT)).unwrap();
    assert!(served_on(&mut first));
    // More connections than descriptors are left: the kernel queues them, accept fails.
    let mut held = Vec::new();
    for _ in 0..80 {
        if let Ok(stream) = TcpStream::connect(&server.address) {
            held.push(stream);
        }
    }
    wait_until(WAIT, "the report", || {
        (server.lines_with("cannot accept connections") > 0).then_some(())
    })
    .expect("running out of descriptors is reported");
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(server.lines_with("cannot accept connections"), 1);
    assert_eq!(server.lines_with("accept failed"), 0);
    // The connection it has is still served.
    assert!(served_on(&mut first));
    // Descriptors come back; so does accepting.
    drop(held);
    let again = wait_until(WAIT, "a new connection served", || {
        let mut stream = TcpStream::connect(&server.address).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
        served_on(&mut stream).then_some(())
    });
    assert!(again.is_some());
}

/// Reads until the server closes the connection or `within` passes; true if it closed.
fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    stream.set_read_timeout(Some(within)).unwrap();
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

/// Nothing closed idle, trickling or half-sent connections: 1,500 connections holding
/// half-sent headers kept hundreds of megabytes. Each now has its bound, and a normal request
/// is served promptly alongside them.
#[test]
fn idle_trickling_and_half_sent_connections_are_closed() {
    let server = Spawned::start(
        "true",
        "--idle-timeout 3 --header-timeout 1 --body-timeout 1",
    );
    // Half-sent heads, one of them trickling a byte every half second.
    let mut half_sent: Vec<TcpStream> = (0..200)
        .map(|_| {
            let mut s = TcpStream::connect(&server.address).unwrap();
            s.write_all(b"POST / HTTP/1.1\r\nHost: sts\r\nX-Slow: ")
                .unwrap();
            s
        })
        .collect();
    let mut trickle = TcpStream::connect(&server.address).unwrap();
    trickle.write_all(b"GET / HTTP/1.1\r\n").unwrap();
    let mut idle = TcpStream::connect(&server.address).unwrap();

    // A normal request is answered meanwhile.
    let mut normal = TcpStream::connect(&server.address).unwrap();
    normal.set_read_timeout(Some(WAIT)).unwrap();
    assert!(served_on(&mut normal));

    for _ in 0..4 {
        std::thread::sleep(Duration::from_millis(500));
        let _ = trickle.write_all(b"X");
    }
    assert!(
        closed_within(&mut trickle, WAIT),
        "the trickling head is cut off"
    );
    for stream in &mut half_sent {
        assert!(closed_within(stream, WAIT), "a half-sent head is cut off");
    }
    assert!(
        closed_within(&mut idle, WAIT),
        "the idle connection is closed"
    );

    // A body that stops coming: 408, and the connection closed.
    let mut slow_body = TcpStream::connect(&server.address).unwrap();
    slow_body
        .write_all(b"POST / HTTP/1.1\r\nHost: sts\r\nContent-Length: 100\r\n\r\nAction=")
        .unwrap();
    slow_body.set_read_timeout(Some(WAIT)).unwrap();
    let mut answer = Vec::new();
    let _ = slow_body.read_to_end(&mut answer);
    assert!(
        String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 408 "),
        "{}",
        String::from_utf8_lossy(&answer)
    );
}

#[test]
fn past_the_connection_limit_new_connections_are_closed() {
    let server = Spawned::start("true", "--max-connections 4");
    let mut open: Vec<TcpStream> = (0..4)
        .map(|_| TcpStream::connect(&server.address).unwrap())
        .collect();
    for stream in &mut open {
        stream.set_read_timeout(Some(WAIT)).unwrap();
        assert!(served_on(stream));
    }
    let mut fifth = TcpStream::connect(&server.address).unwrap();
    assert!(
        closed_within(&mut fifth, WAIT),
        "the fifth is closed at once"
    );
    let reported = wait_until(WAIT, "the report", || {
        (server.lines_with("closing new ones until one ends") > 0).then_some(())
    });
    assert!(reported.is_some());
    let mut sixth = TcpStream::connect(&server.address).unwrap();
    assert!(closed_within(&mut sixth, WAIT));
    assert_eq!(
        server.lines_with("closing new ones until one ends"),
        1,
        "once per episode"
    );
    drop(open);
    let served = wait_until(WAIT, "a connection served again", || {
        let mut stream = TcpStream::connect(&server.address).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
        served_on(&mut stream).then_some(())
    });
    assert!(served.is_some());
}

/// With standard output a pipe nobody reads, every worker froze after 512 requests: the
/// request log wrote into the full pipe from the serving threads. Now lines are dropped and
/// counted instead, and serving goes on.
#[test]
fn a_server_whose_output_nobody_reads_keeps_serving() {
    use std::process::{Command, Stdio};
    let mut child = Command::new(rolecall_bin())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("HOME", std::env::temp_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start rolecall");
    // Only the banner's first line is read; the pipe then fills and is never read again.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = Vec::new();
    let mut byte = [0u8; 1];
    while stdout.read(&mut byte).unwrap_or(0) == 1 && byte[0] != b'\n' {
        first.push(byte[0]);
    }
    let first = String::from_utf8(first).unwrap();
    let address = first
        .strip_prefix("rolecall listening on http://")
        .expect("the banner")
        .to_string();
    let mut stream = TcpStream::connect(&address).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    let mut served = 0;
    for _ in 0..5000 {
        if !served_on(&mut stream) {
            break;
        }
        served += 1;
    }
    let _ = child.kill();
    let _ = child.wait();
    drop(stdout);
    assert_eq!(served, 5000);
}

/// `rolecall explain` decides as the server does, from the command line too.
#[test]
fn explain_on_the_command_line_decides_as_the_server_does() {
    let dir = TempDir::new("explain");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(rolecall_bin())
            .arg("explain")
            .args(args)
            .env("HOME", dir.path())
            .output()
            .expect("run rolecall explain");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .to_string(),
        )
    };
    // GetCallerIdentity needs no permission; the discovery user has none for it.
    assert_eq!(
        run(&[
            "--principal",
            DISCOVERY_USER_ARN,
            "--action",
            "sts:GetCallerIdentity"
        ]),
        (Some(0), "ALLOW".to_string())
    );
    // A session policy file narrows a role session.
    let policy = dir.path().join("session.json");
    std::fs::write(
        &policy,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:DescribeRegions","Resource":"*"}]}"#,
    )
    .unwrap();
    let session = "arn:aws:sts::333333333333:assumed-role/OrganizationAccountAccessRole/s";
    assert_eq!(
        run(&["--principal", session, "--action", "ec2:DescribeInstances"]),
        (Some(0), "ALLOW".to_string())
    );
    let narrowed = run(&[
        "--principal",
        session,
        "--action",
        "ec2:DescribeInstances",
        "--session-policy",
        policy.to_str().unwrap(),
    ]);
    assert_eq!(narrowed, (Some(1), "DENY".to_string()));
}
