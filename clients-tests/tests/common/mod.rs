//! Shared helpers for the SDK tests: start the real `rolecall` binary on a
//! loopback port, and build AWS SDK configurations that can only ever reach it.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_sts::config::Credentials;

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
        let bin = rolecall_bin();
        assert!(
            bin.is_file(),
            "rolecall binary not found at {} (build it with `cargo build -p rolecall` or set ROLECALL_BIN)",
            bin.display()
        );
        let home = TempDir::new("server");
        let mut child = Command::new(&bin)
            .args(["serve", "--listen", "127.0.0.1:0"])
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
            Some(port) if port.parse::<u16>().map_or(false, |p| p != 0) => port.to_string(),
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
        }
    }

    /// Everything the server printed so far (stdout and stderr lines).
    pub fn output(&self) -> Vec<String> {
        self.output.lock().unwrap().clone()
    }
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

/// Changes one character in the middle of `token`, keeping it in the same alphabet.
pub fn alter_middle(token: &str) -> String {
    let mut chars: Vec<char> = token.chars().collect();
    assert!(!chars.is_empty(), "cannot alter an empty token");
    let mid = chars.len() / 2;
    chars[mid] = if chars[mid] == 'A' { 'B' } else { 'A' };
    chars.into_iter().collect()
}
