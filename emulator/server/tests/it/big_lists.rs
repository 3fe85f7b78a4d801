//! Requests with huge lists are read in one pass and refused by AWS's limits: AssumeRole with
//! 44,000 tags took 11.7 s of CPU, and DescribeInstances with 19,000 filters 9.9 s (then 200),
//! while other connections waited. The test server's client gives up after 10 s, so a
//! quadratic read fails these tests as well as a missing limit does.

use rolecall_test_support::*;

/// A form body of `count` list entries made by `entry(n)`, after the action's parameters.
fn body_with(head: &str, count: usize, entry: impl Fn(usize) -> String) -> String {
    let mut body = String::from(head);
    for n in 1..=count {
        body.push('&');
        body.push_str(&entry(n));
    }
    body
}

fn post(server: &TestServer, service: &str, body: &str) -> Response {
    post_as(server, &Keys::discovery(), service, body)
}

fn post_as(server: &TestServer, keys: &Keys, service: &str, body: &str) -> Response {
    let headers = server.signed_headers(
        service,
        "us-east-1",
        keys,
        body,
        std::time::SystemTime::now(),
        &[FORM_CONTENT_TYPE],
    );
    server.send("POST", "/", &headers, body)
}

#[test]
fn forty_thousand_session_tags_are_one_validation_error() {
    let server = TestServer::default_scenario();
    let body = body_with(
        "Action=AssumeRole&Version=2011-06-15&RoleSessionName=big&RoleArn=arn%3Aaws%3Aiam%3A%3A333333333333%3Arole%2FOrganizationAccountAccessRole",
        40_000,
        |n| format!("Tags.member.{n}.Key=k"),
    );
    assert!(body.len() < 1 << 20, "{} bytes", body.len());
    let r = post(&server, "sts", &body);
    assert_error(
        &r,
        400,
        "ValidationError",
        "1 validation error detected: Value '40000 tags' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50",
    );
}

#[test]
fn nineteen_thousand_filters_exceed_the_filter_value_limit() {
    let server = TestServer::default_scenario();
    // The created member's administrator role may describe EC2.
    let (r, admin) = assume_role(
        &server,
        &Keys::discovery(),
        "arn:aws:iam::333333333333:role/OrganizationAccountAccessRole",
        "big",
        &[],
    );
    let admin = admin.unwrap_or_else(|| panic!("{}", r.body));
    let post =
        |server: &TestServer, service: &str, body: &str| post_as(server, &admin, service, body);
    let head = "Action=DescribeInstances&Version=2016-11-15";
    let body = body_with(head, 19_000, |n| {
        format!("Filter.{n}.Name=tag-key&Filter.{n}.Value.1=x")
    });
    assert!(body.len() < 1 << 20, "{} bytes", body.len());
    let r = post(&server, "ec2", &body);
    assert_error(
        &r,
        400,
        "FilterLimitExceeded",
        "The maximum number of filter values specified on a single call is 200",
    );
    // 200 values is the limit, not over it; a value of 256 characters is.
    let body = body_with(head, 200, |n| {
        format!("Filter.1.Value.{n}=i-{n}&Filter.1.Name=tag-key")
    });
    assert_eq!(post(&server, "ec2", &body).status, 200);
    let long = "a".repeat(256);
    let body = format!("{head}&Filter.1.Name=tag-key&Filter.1.Value.1={long}");
    assert_error(
        &post(&server, "ec2", &body),
        400,
        "FilterLimitExceeded",
        "The maximum length for a filter value is 255 characters",
    );
}
