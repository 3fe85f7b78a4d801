//! Regions that do not exist, and presigned expiries out of bounds: STS and EC2 answered 200
//! (and EC2 an empty inventory) for a credential scope naming `xx-fake-9`.

use rolecall_test_support::*;
use std::time::{Duration, SystemTime};

const ACTION: &[(&str, &str)] = &[("Action", "GetCallerIdentity"), ("Version", "2011-06-15")];

#[test]
fn a_region_aws_does_not_have_is_refused_by_every_service() {
    let server = TestServer::default_scenario();
    for region in [
        "xx-fake-9",
        "aws-global",
        "us-gov-west-1",
        "cn-north-1",
        "US-EAST-1",
    ] {
        let sts = server.call("sts", region, &Keys::discovery(), ACTION);
        assert_error(
            &sts,
            403,
            "SignatureDoesNotMatch",
            &format!("Credential should be scoped to a valid region, not '{region}'."),
        );
        let ec2 = server.call(
            "ec2",
            region,
            &Keys::discovery(),
            &[("Action", "DescribeInstances"), ("Version", "2016-11-15")],
        );
        assert_error(
            &ec2,
            401,
            "AuthFailure",
            "AWS was not able to validate the provided access credentials",
        );
    }
    // Every real region of the partition is fine, opt-in ones included.
    for region in ["us-east-1", "eu-west-1", "af-south-1", "ap-southeast-6"] {
        let sts = server.call("sts", region, &Keys::discovery(), ACTION);
        assert_eq!(sts.status, 200, "{region}: {}", sts.body);
    }
}

#[test]
fn an_organizations_request_for_a_made_up_region_is_refused_in_its_own_shape() {
    let server = TestServer::default_scenario();
    let headers = sign_post(
        &server.addr.to_string(),
        "organizations",
        "xx-fake-9",
        &Keys::discovery(),
        "{}",
        SystemTime::now(),
        &[
            ("content-type", "application/x-amz-json-1.1"),
            ("x-amz-target", "AWSOrganizationsV20161128.ListAccounts"),
        ],
    );
    let r = server.send("POST", "/", &headers, "{}");
    assert_eq!(r.status, 400, "{}", r.body);
    let body: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(body["__type"], "InvalidSignatureException");
    assert_eq!(
        body["Message"],
        "Credential should be scoped to a valid region, not 'xx-fake-9'."
    );
}

/// A presigned GetCallerIdentity URL (path and query) for `expires`.
fn presigned(server: &TestServer, expires: Duration) -> String {
    use aws_sigv4::http_request::{
        sign, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
    };
    let keys = Keys::discovery();
    let identity = aws_credential_types::Credentials::new(
        &keys.access_key_id,
        &keys.secret,
        None,
        None,
        "test",
    )
    .into();
    let mut settings = SigningSettings::default();
    settings.signature_location = SignatureLocation::QueryParams;
    settings.expires_in = Some(expires);
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("sts")
        .time(SystemTime::now())
        .settings(settings)
        .build()
        .unwrap()
        .into();
    let host = server.addr.to_string();
    let uri = format!("http://{host}/?Action=GetCallerIdentity&Version=2011-06-15");
    let headers = [("host", host.as_str())];
    let signable =
        SignableRequest::new("GET", &uri, headers.into_iter(), SignableBody::Bytes(b"")).unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let mut request = http::Request::get(&uri).body(()).unwrap();
    instructions.apply_to_request_http1x(&mut request);
    let uri = request.uri();
    format!("{}?{}", uri.path(), uri.query().unwrap_or_default())
}

#[test]
fn a_presigned_expiry_must_be_a_whole_number_of_seconds_up_to_a_week() {
    let server = TestServer::default_scenario();
    let good = presigned(&server, Duration::from_secs(604_800));
    let r = server.send("GET", &good, &[], "");
    assert_eq!(r.status, 200, "{}", r.body);

    let url = presigned(&server, Duration::from_secs(900));
    for (expires, message) in [
        ("abc", "X-Amz-Expires should be a number"),
        ("1.5", "X-Amz-Expires should be a number"),
        ("-1", "X-Amz-Expires must be non-negative"),
        ("0", "X-Amz-Expires must be at least 1 second"),
        ("604801", "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds"),
        ("99999999999999999999", "X-Amz-Expires should be a number"),
    ] {
        let altered = url.replace("X-Amz-Expires=900", &format!("X-Amz-Expires={expires}"));
        assert_ne!(altered, url);
        let r = server.send("GET", &altered, &[], "");
        assert_error(&r, 400, "IncompleteSignature", message);
    }
}
