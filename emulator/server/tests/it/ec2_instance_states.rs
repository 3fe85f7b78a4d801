//! Stopped and terminated instances as DescribeInstances shows them: why and when they stopped,
//! and no network placement once terminated (EC2 API reference, Instance and StateReason).

use rolecall_test_support::*;

const SCENARIO: &str = r#"
accounts:
  - id: "111111111111"
    users:
      - name: admin
        access_keys: [{ id: AKIAADMINEXAMPLE0001, secret: adminSecretEXAMPLEKEY000000000000000000 }]
        managed_policies: [arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess]
    ec2:
      us-east-1:
        instances:
          - { id: i-0aaa0000000000001, launch_time: "2026-03-04T05:06:07Z" }
          - { id: i-0aaa0000000000002, state: stopped, launch_time: "2026-03-04T05:06:07Z" }
          - { id: i-0aaa0000000000003, state: terminated, launch_time: "2026-03-04T05:06:07Z" }
"#;

fn describe(server: &TestServer, id: &str) -> Response {
    let admin = Keys::long_term(
        "AKIAADMINEXAMPLE0001",
        "adminSecretEXAMPLEKEY000000000000000000",
    );
    server.ec2(
        "us-east-1",
        &admin,
        "DescribeInstances",
        &[("InstanceId.1", id)],
    )
}

#[test]
fn running_stopped_and_terminated_instances_say_what_aws_says() {
    let world = rolecall_model::scenario::load_str(SCENARIO, "states").unwrap();
    let server = TestServer::start(world);

    let running = describe(&server, "i-0aaa0000000000001");
    assert_eq!(running.xml("reason").as_deref(), Some(""));
    assert!(running.xml("stateReason").is_none());
    assert!(running.xml("subnetId").is_some());

    let stopped = describe(&server, "i-0aaa0000000000002");
    assert_eq!(stopped.xml("name").as_deref(), Some("stopped"));
    assert_eq!(
        stopped.xml("reason").as_deref(),
        Some("User initiated (2026-03-04 05:06:07 GMT)")
    );
    assert!(stopped.body.contains("<stateReason><code>Client.UserInitiatedShutdown</code><message>Client.UserInitiatedShutdown: User initiated shutdown</message></stateReason>"));
    assert!(stopped.xml("subnetId").is_some());

    let terminated = describe(&server, "i-0aaa0000000000003");
    assert_eq!(terminated.xml("code").as_deref(), Some("48"));
    assert!(terminated.xml("subnetId").is_none(), "{}", terminated.body);
    assert!(terminated.xml("vpcId").is_none());
    assert!(terminated.xml("privateIpAddress").is_none());
    assert_eq!(terminated.xml("privateDnsName").as_deref(), Some(""));
}
