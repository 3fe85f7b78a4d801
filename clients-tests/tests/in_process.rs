//! rolecall as a library inside a test process: two emulators with different scenarios on
//! ports the system picks, each driven by the AWS SDK for Rust, each stopped by its own
//! shutdown future while the other keeps serving.

use std::net::SocketAddr;
use std::time::Duration;

use aws_sdk_sts::config::{BehaviorVersion, Credentials, Region};
use rolecall_server::Emulator;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

const DISCOVERY_KEY: &str = "AKIAIOSFODNN7EXAMPLE";
const DISCOVERY_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// A second organization: one standalone account whose user may describe EC2.
const STANDALONE: &str = r#"
accounts:
  - id: "444444444444"
    users:
      - name: auditor
        access_keys:
          - { id: AKIAAUDITORAUDITOR01, secret: auditorauditorauditorauditorauditoraudi }
        policies:
          - name: Ec2Read
            document:
              Version: "2012-10-17"
              Statement:
                - { Effect: Allow, Action: "ec2:Describe*", Resource: "*" }
    ec2:
      us-east-1:
        instances:
          - { id: i-04440000000000001, type: t3.micro }
"#;

/// An emulator serving on 127.0.0.1:0 until its stop sender fires.
struct Running {
    endpoint: String,
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn start(emulator: Emulator) -> Running {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let done = tokio::spawn(async move {
        emulator
            .serve(listener, async {
                let _ = stopped.await;
            })
            .await
    });
    Running {
        endpoint: format!("http://{addr}"),
        addr,
        stop,
        done,
    }
}

fn credentials(key: &str, secret: &str) -> Credentials {
    Credentials::new(key, secret, None, None, "in-process")
}

fn sts(endpoint: &str, credentials: Credentials) -> aws_sdk_sts::Client {
    let config = aws_sdk_sts::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(credentials)
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .build();
    aws_sdk_sts::Client::from_conf(config)
}

fn ec2(endpoint: &str, credentials: Credentials) -> aws_sdk_ec2::Client {
    let config = aws_sdk_ec2::Config::builder()
        .behavior_version(aws_sdk_ec2::config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_sdk_ec2::config::Region::new("us-east-1"))
        .credentials_provider(credentials)
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .build();
    aws_sdk_ec2::Client::from_conf(config)
}

async fn instance_ids(client: &aws_sdk_ec2::Client) -> Vec<String> {
    let out = client.describe_instances().send().await.unwrap();
    let mut ids: Vec<String> = out
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
        .filter_map(|i| i.instance_id().map(str::to_string))
        .collect();
    ids.sort();
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_emulators_serve_side_by_side_and_stop_on_their_own_signal() {
    let default = start(Emulator::with_default_scenario()).await;
    let standalone = start(Emulator::from_yaml(STANDALONE, "standalone.yaml").unwrap()).await;

    // Each answers for its own scenario.
    let who = sts(
        &default.endpoint,
        credentials(DISCOVERY_KEY, DISCOVERY_SECRET),
    )
    .get_caller_identity()
    .send()
    .await
    .unwrap();
    assert_eq!(who.arn(), Some("arn:aws:iam::111111111111:user/discovery"));
    let auditor = credentials(
        "AKIAAUDITORAUDITOR01",
        "auditorauditorauditorauditorauditoraudi",
    );
    let who = sts(&standalone.endpoint, auditor.clone())
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(who.arn(), Some("arn:aws:iam::444444444444:user/auditor"));
    assert_eq!(
        instance_ids(&ec2(&standalone.endpoint, auditor.clone())).await,
        ["i-04440000000000001"]
    );

    // A key of one scenario means nothing to the other: AWS's answer to an unknown key.
    let err = sts(
        &standalone.endpoint,
        credentials(DISCOVERY_KEY, DISCOVERY_SECRET),
    )
    .get_caller_identity()
    .send()
    .await
    .unwrap_err();
    let service_error = err.into_service_error();
    let meta = aws_sdk_sts::error::ProvideErrorMetadata::meta(&service_error);
    assert_eq!(meta.code(), Some("InvalidClientTokenId"));
    assert_eq!(
        meta.message(),
        Some("The security token included in the request is invalid.")
    );

    // The default scenario's story, from the same process: the invited member refuses.
    let err = sts(
        &default.endpoint,
        credentials(DISCOVERY_KEY, DISCOVERY_SECRET),
    )
    .assume_role()
    .role_arn("arn:aws:iam::222222222222:role/OrganizationAccountAccessRole")
    .role_session_name("discovery")
    .send()
    .await
    .unwrap_err();
    let service_error = err.into_service_error();
    let meta = aws_sdk_sts::error::ProvideErrorMetadata::meta(&service_error);
    assert_eq!(meta.code(), Some("AccessDenied"));
    assert_eq!(
        meta.message(),
        Some("User: arn:aws:iam::111111111111:user/discovery is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/OrganizationAccountAccessRole")
    );

    // Stopping one leaves the other serving.
    default.stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(15), default.done)
        .await
        .expect("the emulator stops within its drain timeout")
        .unwrap()
        .unwrap();
    assert!(tokio::net::TcpStream::connect(default.addr).await.is_err());
    assert_eq!(
        instance_ids(&ec2(&standalone.endpoint, auditor)).await,
        ["i-04440000000000001"]
    );

    standalone.stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(15), standalone.done)
        .await
        .expect("the emulator stops within its drain timeout")
        .unwrap()
        .unwrap();
    assert!(tokio::net::TcpStream::connect(standalone.addr)
        .await
        .is_err());
}
