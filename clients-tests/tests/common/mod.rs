//! Shared helpers for the SDK tests: start the real `rolecall` binary on a
//! loopback port, and build AWS SDK configurations that can only ever reach it.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_ec2::operation::describe_instances::DescribeInstancesOutput;
use aws_sdk_ec2::types::Filter;
use aws_sdk_sts::config::http::HttpResponse;
use aws_sdk_sts::config::Credentials;
use aws_sdk_sts::error::SdkError;
use aws_sdk_sts::operation::assume_role::{AssumeRoleError, AssumeRoleOutput};
use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput;

pub const MANAGEMENT_ACCOUNT: &str = "111111111111";
pub const INVITED_ACCOUNT: &str = "222222222222";
pub const CREATED_ACCOUNT: &str = "333333333333";
pub const DISCOVERY_USER_ARN: &str = "arn:aws:iam::111111111111:user/discovery";
pub const DISCOVERY_KEY: &str = "AKIAIOSFODNN7EXAMPLE";
pub const DISCOVERY_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
pub const UNKNOWN_KEY: &str = "AKIAUNKNOWNEXAMPLE01";
pub const ROLE_NAME: &str = "OrganizationAccountAccessRole";

pub fn role_arn(account: &str) -> String {
    format!("arn:aws:iam::{account}:role/{ROLE_NAME}")
}

const START_TIMEOUT: Duration = Duration::from_secs(10);
const BANNER: &str = "rolecall listening on http://127.0.0.1:";

/// Where the server binary is: `$ROLECALL_BIN`, or `rolecall` beside the
/// directory holding this test executable (`target/<profile>/deps/..`).
pub fn rolecall_bin() -> PathBuf {
    if let Some(path) = std::env::var_os("ROLECALL_BIN") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().expect("path of the test executable");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("test executable lives in target/<profile>/deps");
    profile_dir.join(format!("rolecall{}", std::env::consts::EXE_SUFFIX))
}

static TEMP_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A private directory removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        let n = TEMP_COUNTER.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!(
            "rolecall-clients-{label}-{}-{n}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A running `rolecall serve` on 127.0.0.1; killed when dropped.
pub struct Server {
    child: Child,
    pub endpoint: String,
    output: Arc<Mutex<Vec<String>>>,
    home: TempDir,
    /// The scenario file served, if not the embedded default.
    scenario: Option<PathBuf>,
}

fn drain<R: Read + Send + 'static>(
    stream: R,
    output: Arc<Mutex<Vec<String>>>,
    first_line: Option<mpsc::Sender<String>>,
) {
    thread::spawn(move || {
        let mut first_line = first_line;
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if let Some(tx) = first_line.take() {
                let _ = tx.send(line.clone());
            }
            output.lock().unwrap().push(line);
        }
    });
}

impl Server {
    /// Starts the server with the embedded default scenario and waits (bounded)
    /// for its `rolecall listening on http://127.0.0.1:PORT` line.
    pub fn start() -> Server {
        Server::spawn(TempDir::new("server"), None)
    }

    /// Starts the server on the scenario file at `path`.
    pub fn start_with_scenario(path: &Path) -> Server {
        Server::spawn(TempDir::new("server"), Some(path.to_path_buf()))
    }

    /// Writes `yaml` to a scenario file in the server's private directory (removed with the
    /// server) and serves it.
    pub fn start_with_scenario_text(yaml: &str) -> Server {
        let home = TempDir::new("server");
        let path = home.path().join("scenario.yaml");
        std::fs::write(&path, yaml).expect("write the scenario file");
        Server::spawn(home, Some(path))
    }

    fn spawn(home: TempDir, scenario: Option<PathBuf>) -> Server {
        let bin = rolecall_bin();
        assert!(
            bin.is_file(),
            "rolecall binary not found at {} (build it with `cargo build -p rolecall` or set ROLECALL_BIN)",
            bin.display()
        );
        let mut command = Command::new(&bin);
        command.args(["serve", "--listen", "127.0.0.1:0"]);
        if let Some(path) = &scenario {
            command.arg("--scenario").arg(path);
        }
        let mut child = command
            .env("HOME", home.path())
            .env_remove("AWS_ENDPOINT_URL")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));

        let output = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        drain(child.stdout.take().unwrap(), output.clone(), Some(tx));
        drain(child.stderr.take().unwrap(), output.clone(), None);

        let first = match rx.recv_timeout(START_TIMEOUT) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "rolecall printed no first line within {START_TIMEOUT:?}; output so far: {:?}",
                    output.lock().unwrap()
                );
            }
        };
        let port = match first.strip_prefix(BANNER) {
            Some(port) if port.parse::<u16>().is_ok_and(|p| p != 0) => port.to_string(),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("first stdout line is {first:?}, expected `{BANNER}PORT`");
            }
        };
        Server {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            output,
            home,
            scenario,
        }
    }

    /// The scenario file the server reads (and reads again on a reload).
    pub fn scenario_file(&self) -> &Path {
        self.scenario
            .as_deref()
            .expect("the server was started on a scenario file")
    }

    /// Everything the server printed so far (stdout and stderr lines).
    pub fn output(&self) -> Vec<String> {
        self.output.lock().unwrap().clone()
    }

    /// `host:port` of the server, for plain HTTP to its own endpoints.
    pub fn address(&self) -> &str {
        self.endpoint
            .strip_prefix("http://")
            .expect("the endpoint is plain HTTP")
    }

    /// One HTTP/1.1 request to the server's own `/_rolecall/…` endpoints with a bounded wait;
    /// returns the status and the body.
    pub fn admin_request(&self, method: &str, path: &str, body: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(self.address()).expect("connect to rolecall");
        stream.set_read_timeout(Some(ADMIN_TIMEOUT)).unwrap();
        stream.set_write_timeout(Some(ADMIN_TIMEOUT)).unwrap();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.address(),
            body.len()
        );
        stream
            .write_all(request.as_bytes())
            .expect("send the admin request");
        let mut response = Vec::new();
        stream
            .read_to_end(&mut response)
            .expect("read the admin response");
        let response = String::from_utf8(response).expect("the admin response is UTF-8");
        let (head, body) = response
            .split_once("\r\n\r\n")
            .unwrap_or_else(|| panic!("no end of headers in {response:?}"));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status in {head:?}"));
        let chunked = head
            .lines()
            .any(|l| l.eq_ignore_ascii_case("transfer-encoding: chunked"));
        let body = if chunked {
            dechunk(body)
        } else {
            body.to_string()
        };
        (status, body)
    }

    /// Sends the signal named `name` (`INT`, `TERM`, `HUP`) to the server process.
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args(["-s", name, &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -s {name} failed: {status}");
    }

    /// Waits (bounded) for the server process to end and returns how it ended.
    pub fn wait_for_exit(&mut self, timeout: Duration) -> std::process::ExitStatus {
        let child = &mut self.child;
        let output = &self.output;
        wait_until(timeout, "rolecall to exit", || {
            child.try_wait().expect("poll the server process")
        })
        .unwrap_or_else(|| panic!("output: {:?}", output.lock().unwrap()))
    }

    /// Waits (bounded) until the server has printed, after its first `skip` lines, a line
    /// containing `needle`; returns that line.
    pub fn wait_for_output(&self, skip: usize, needle: &str, timeout: Duration) -> String {
        wait_until(timeout, needle, || {
            self.output()
                .into_iter()
                .skip(skip)
                .find(|l| l.contains(needle))
        })
        .unwrap_or_else(|| panic!("output: {:?}", self.output()))
    }

    /// The emulator's clock as `{"clock": "…", "frozen": …}`.
    pub fn clock(&self) -> String {
        let (status, body) = self.admin_request("GET", "/_rolecall/clock", "");
        assert_eq!(status, 200, "GET /_rolecall/clock: {body}");
        body
    }

    /// Moves the emulator's clock forward by `seconds`; returns the answer's body.
    pub fn advance_clock(&self, seconds: i64) -> String {
        let (status, body) = self.admin_request(
            "POST",
            "/_rolecall/clock",
            &format!("{{\"advance_seconds\": {seconds}}}"),
        );
        assert_eq!(status, 200, "POST /_rolecall/clock: {body}");
        body
    }
}

const ADMIN_TIMEOUT: Duration = Duration::from_secs(10);

/// Polls `probe` every 20 ms until it yields a value or `timeout` has passed; on a timeout
/// prints what was awaited and returns None, for the caller to panic with its own context.
pub fn wait_until<T>(
    timeout: Duration,
    awaited: &str,
    mut probe: impl FnMut() -> Option<T>,
) -> Option<T> {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        if let Some(value) = probe() {
            return Some(value);
        }
        if std::time::Instant::now() >= deadline {
            eprintln!("waited {timeout:?} for {awaited} in vain");
            return None;
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// The payload of a chunked HTTP/1.1 body.
fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 || after.len() < size {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    out
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn static_credentials(key: &str, secret: &str, token: Option<&str>) -> Credentials {
    Credentials::new(
        key,
        secret,
        token.map(str::to_string),
        None,
        "rolecall-tests",
    )
}

pub fn discovery_credentials() -> Credentials {
    static_credentials(DISCOVERY_KEY, DISCOVERY_SECRET, None)
}

/// Static credentials holding the temporary credentials an STS call returned.
pub fn session_credentials(c: &aws_sdk_sts::types::Credentials) -> Credentials {
    static_credentials(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
    )
}

/// `credentials` with one character in the middle of their session token changed.
pub fn with_altered_session_token(credentials: &Credentials) -> Credentials {
    let token = credentials.session_token().expect("session token");
    static_credentials(
        credentials.access_key_id(),
        credentials.secret_access_key(),
        Some(&alter_middle(token)),
    )
}

/// An SDK configuration isolated from the host: no environment variables, empty
/// profile files, one attempt per call, plain HTTP to the emulator.
pub async fn sdk_config(server: &Server, credentials: Credentials, region: &str) -> SdkConfig {
    #[allow(deprecated)]
    use aws_config::profile::profile_file::{ProfileFileKind, ProfileFiles};

    let config_file = server.home.path().join("aws-config");
    let credentials_file = server.home.path().join("aws-credentials");
    std::fs::write(&config_file, "").unwrap();
    std::fs::write(&credentials_file, "").unwrap();
    #[allow(deprecated)]
    let profile_files = ProfileFiles::builder()
        .with_file(ProfileFileKind::Config, &config_file)
        .with_file(ProfileFileKind::Credentials, &credentials_file)
        .build();

    aws_config::defaults(BehaviorVersion::latest())
        .empty_test_environment()
        .profile_files(profile_files)
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .region(Region::new(region.to_string()))
        .credentials_provider(credentials)
        .endpoint_url(server.endpoint.clone())
        .retry_config(RetryConfig::standard().with_max_attempts(1))
        .load()
        .await
}

pub async fn sts_client(server: &Server, credentials: Credentials) -> aws_sdk_sts::Client {
    aws_sdk_sts::Client::new(&sdk_config(server, credentials, "us-east-1").await)
}

pub async fn ec2_client(
    server: &Server,
    credentials: Credentials,
    region: &str,
) -> aws_sdk_ec2::Client {
    aws_sdk_ec2::Client::new(&sdk_config(server, credentials, region).await)
}

/// The discovery user asks AssumeRole for OrganizationAccountAccessRole in `account`, session
/// name `discovery`.
pub async fn assume_organization_role(
    server: &Server,
    account: &str,
) -> Result<AssumeRoleOutput, SdkError<AssumeRoleError, HttpResponse>> {
    sts_client(server, discovery_credentials())
        .await
        .assume_role()
        .role_arn(role_arn(account))
        .role_session_name("discovery")
        .send()
        .await
}

/// The credentials of the discovery user's session in OrganizationAccountAccessRole of the
/// created member (333333333333), session name `discovery`.
pub async fn assume_created_member_role(server: &Server) -> Credentials {
    let out = assume_organization_role(server, CREATED_ACCOUNT)
        .await
        .expect("AssumeRole into the created member");
    session_credentials(
        out.credentials()
            .expect("Credentials in the AssumeRole result"),
    )
}

/// GetCallerIdentity with `credentials`, which must succeed.
pub async fn caller_identity(server: &Server, credentials: Credentials) -> GetCallerIdentityOutput {
    let key = credentials.access_key_id().to_string();
    sts_client(server, credentials)
        .await
        .get_caller_identity()
        .send()
        .await
        .unwrap_or_else(|e| panic!("GetCallerIdentity with {key}: {e:?}"))
}

/// The service error of GetCallerIdentity with `credentials`, which must fail.
pub async fn caller_identity_error(
    server: &Server,
    credentials: Credentials,
) -> (u16, String, String) {
    expect_service_error(
        sts_client(server, credentials)
            .await
            .get_caller_identity()
            .send()
            .await,
    )
}

/// The service error of DescribeInstances in us-east-1 with `credentials`, which must fail.
pub async fn describe_instances_error(
    server: &Server,
    credentials: Credentials,
) -> (u16, String, String) {
    let ec2 = ec2_client(server, credentials, "us-east-1").await;
    expect_service_error(ec2.describe_instances().send().await)
}

/// The instance ids of a DescribeInstances answer (or page), in order.
pub fn instance_ids_in(out: &DescribeInstancesOutput) -> Vec<String> {
    out.reservations()
        .iter()
        .flat_map(|r| r.instances())
        .map(|i| i.instance_id().expect("InstanceId").to_string())
        .collect()
}

/// The instance ids DescribeInstances (unfiltered, which must succeed) answers, sorted.
pub async fn sorted_instance_ids(ec2: &aws_sdk_ec2::Client) -> Vec<String> {
    let out = ec2
        .describe_instances()
        .send()
        .await
        .expect("DescribeInstances");
    let mut ids = instance_ids_in(&out);
    ids.sort();
    ids
}

/// An EC2 filter with one value.
pub fn filter(name: &str, value: impl Into<String>) -> Filter {
    Filter::builder().name(name).values(value).build()
}

/// Changes one character in the middle of `token`, keeping it in the same alphabet.
pub fn alter_middle(token: &str) -> String {
    let mut chars: Vec<char> = token.chars().collect();
    assert!(!chars.is_empty(), "cannot alter an empty token");
    let mid = chars.len() / 2;
    chars[mid] = if chars[mid] == 'A' { 'B' } else { 'A' };
    chars.into_iter().collect()
}

/// (HTTP status, error code, error message) of a service error; panics on any other failure
/// (a transport or construction error has no HTTP response to compare).
pub fn service_error<E>(
    err: &aws_sdk_sts::error::SdkError<E, aws_sdk_sts::config::http::HttpResponse>,
) -> (u16, String, String)
where
    E: aws_sdk_sts::error::ProvideErrorMetadata + std::fmt::Debug,
{
    use aws_sdk_sts::error::ProvideErrorMetadata;
    let raw = err
        .raw_response()
        .unwrap_or_else(|| panic!("expected a service error with an HTTP response, got {err:?}"));
    (
        raw.status().as_u16(),
        err.code().unwrap_or_default().to_string(),
        err.message().unwrap_or_default().to_string(),
    )
}

/// The service error of a call that must fail.
pub fn expect_service_error<T: std::fmt::Debug, E>(
    result: Result<T, aws_sdk_sts::error::SdkError<E, aws_sdk_sts::config::http::HttpResponse>>,
) -> (u16, String, String)
where
    E: aws_sdk_sts::error::ProvideErrorMetadata + std::fmt::Debug,
{
    match result {
        Ok(ok) => panic!("expected an error, got {ok:?}"),
        Err(err) => service_error(&err),
    }
}

/// The triple `service_error` returns, from literals.
pub fn wire_error(status: u16, code: &str, message: &str) -> (u16, String, String) {
    (status, code.to_string(), message.to_string())
}
