//! The invited-member-account story end to end over HTTP, on the embedded default scenario:
//! 403 AccessDenied from STS, 401 AuthFailure from EC2, and the success path.

use rolecall_test_support::*;

const ROLE_333: &str = "arn:aws:iam::333333333333:role/OrganizationAccountAccessRole";
const ROLE_222: &str = "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole";

fn describe_instances(
    server: &TestServer,
    region: &str,
    keys: &Keys,
    extra: &[(&str, &str)],
) -> Response {
    server.ec2(region, keys, "DescribeInstances", extra)
}

fn caller_identity(server: &TestServer, keys: &Keys) -> Response {
    server.sts(keys, "GetCallerIdentity", &[])
}

#[test]
fn get_caller_identity_names_the_discovery_user() {
    let server = TestServer::default_scenario();
    let r = caller_identity(&server, &Keys::discovery());
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.xml("Arn").unwrap(),
        "arn:aws:iam::111111111111:user/discovery"
    );
    assert_eq!(r.xml("Account").unwrap(), "111111111111");
    assert!(r.xml("UserId").unwrap().starts_with("AIDA"));
    assert!(r.body.contains(
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
    ));
    // The request id in the body is the one in the header.
    assert_eq!(r.xml("RequestId").as_deref(), r.header("x-amzn-requestid"));
}

#[test]
fn assume_role_into_the_created_member_succeeds_and_ec2_lists_its_instances() {
    let server = TestServer::default_scenario();
    let (r, keys) = assume_role(&server, &Keys::discovery(), ROLE_333, "discovery", &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    let keys = keys.unwrap();
    assert!(keys.access_key_id.starts_with("ASIA"));
    assert_eq!(
        r.xml("Arn").unwrap(),
        "arn:aws:sts::333333333333:assumed-role/OrganizationAccountAccessRole/discovery"
    );
    let id = r.xml("AssumedRoleId").unwrap();
    assert!(id.starts_with("AROA") && id.ends_with(":discovery"), "{id}");

    let who = caller_identity(&server, &keys);
    assert_eq!(
        who.xml("Arn").unwrap(),
        "arn:aws:sts::333333333333:assumed-role/OrganizationAccountAccessRole/discovery"
    );
    assert_eq!(who.xml("Account").unwrap(), "333333333333");
    assert_eq!(who.xml("UserId").unwrap(), id);

    let east = describe_instances(&server, "us-east-1", &keys, &[]);
    assert_eq!(east.status, 200, "{}", east.body);
    assert_eq!(
        east.xml_all("instanceId"),
        (1..=5)
            .map(|n| format!("i-0333000000000000{n}"))
            .collect::<Vec<_>>()
    );
    let west = describe_instances(&server, "eu-west-1", &keys, &[]);
    assert_eq!(
        west.xml_all("instanceId"),
        vec!["i-03330000000000e01", "i-03330000000000e02"]
    );
    assert!(east
        .body
        .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert!(east.body.contains(
        "<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
    ));
}

#[test]
fn assume_role_into_the_invited_member_is_access_denied() {
    let server = TestServer::default_scenario();
    let (r, keys) = assume_role(&server, &Keys::discovery(), ROLE_222, "discovery", &[]);
    assert!(keys.is_none());
    assert_eq!(r.status, 403);
    assert_eq!(r.xml("Type").unwrap(), "Sender");
    assert_eq!(r.xml("Code").unwrap(), "AccessDenied");
    assert_eq!(
        r.xml("Message").unwrap(),
        "User: arn:aws:iam::111111111111:user/discovery is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"
    );
    assert!(r
        .body
        .starts_with("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"));
}

#[test]
fn ec2_with_the_discovery_users_own_keys_is_unauthorized_operation() {
    let server = TestServer::default_scenario();
    let r = describe_instances(&server, "us-east-1", &Keys::discovery(), &[]);
    assert_eq!(r.status, 403);
    assert_eq!(r.xml("Code").unwrap(), "UnauthorizedOperation");
    assert_eq!(
        r.xml("Message").unwrap(),
        "You are not authorized to perform this operation. User: arn:aws:iam::111111111111:user/discovery is not authorized to perform: ec2:DescribeInstances because no identity-based policy allows the ec2:DescribeInstances action"
    );
    assert!(r
        .body
        .contains("<Response><Errors><Error><Code>UnauthorizedOperation</Code>"));
    assert_eq!(r.xml("RequestID").as_deref(), r.header("x-amzn-requestid"));
}

#[test]
fn ec2_with_credentials_the_client_does_not_validly_hold_is_auth_failure() {
    let server = TestServer::default_scenario();
    let (_, assumed) = assume_role(&server, &Keys::discovery(), ROLE_333, "discovery", &[]);
    let assumed = assumed.unwrap();
    let mut tampered = assumed.clone();
    let token = tampered.token.take().unwrap();
    let mid = token.len() / 2;
    let swapped = if &token[mid..mid + 1] == "A" {
        "B"
    } else {
        "A"
    };
    tampered.token = Some(format!("{}{swapped}{}", &token[..mid], &token[mid + 1..]));
    let mut no_token = assumed.clone();
    no_token.token = None;
    let cases = [
        (
            "unknown key",
            Keys::long_term("AKIAUNKNOWNEXAMPLE01", DISCOVERY_SECRET),
        ),
        (
            "wrong secret",
            Keys::long_term(DISCOVERY_KEY, "wrongSecretwrongSecretwrongSecretwrongSe"),
        ),
        ("altered session token", tampered),
        ("temporary key without its token", no_token),
    ];
    for (what, keys) in cases {
        let r = describe_instances(&server, "us-east-1", &keys, &[]);
        assert_eq!(r.status, 401, "{what}: {}", r.body);
        assert_eq!(r.xml("Code").unwrap(), "AuthFailure", "{what}");
        assert_eq!(
            r.xml("Message").unwrap(),
            "AWS was not able to validate the provided access credentials",
            "{what}"
        );
    }
}

#[test]
fn sts_authentication_failures_carry_awss_codes_and_texts() {
    let server = TestServer::default_scenario();
    let r = caller_identity(
        &server,
        &Keys::long_term("AKIAUNKNOWNEXAMPLE01", DISCOVERY_SECRET),
    );
    assert_eq!(
        (r.status, r.xml("Code").unwrap().as_str()),
        (403, "InvalidClientTokenId")
    );
    assert_eq!(
        r.xml("Message").unwrap(),
        "The security token included in the request is invalid."
    );

    let r = caller_identity(
        &server,
        &Keys::long_term(DISCOVERY_KEY, "wrongSecretwrongSecretwrongSecretwrongSe"),
    );
    assert_eq!(
        (r.status, r.xml("Code").unwrap().as_str()),
        (403, "SignatureDoesNotMatch")
    );
    assert_eq!(r.xml("Message").unwrap(), "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");

    let (_, assumed) = assume_role(&server, &Keys::discovery(), ROLE_333, "s", &[]);
    // "s" is one character: below roleSessionName's minimum of 2.
    assert!(assumed.is_none());
    let (_, assumed) = assume_role(&server, &Keys::discovery(), ROLE_333, "session", &[]);
    let mut tampered = assumed.unwrap();
    tampered.token = Some(format!("x{}", tampered.token.unwrap()));
    let r = caller_identity(&server, &tampered);
    assert_eq!(
        (r.status, r.xml("Code").unwrap().as_str()),
        (403, "InvalidClientTokenId")
    );
    assert_eq!(
        r.xml("Message").unwrap(),
        "The security token included in the request is invalid"
    );
}

#[test]
fn expired_credentials_are_expired_token_on_sts_and_request_expired_on_ec2() {
    let server = TestServer::default_scenario();
    let (_, keys) = assume_role(
        &server,
        &Keys::discovery(),
        ROLE_333,
        "discovery",
        &[("DurationSeconds", "900")],
    );
    let keys = keys.unwrap();
    assert_eq!(
        describe_instances(&server, "us-east-1", &keys, &[]).status,
        200
    );
    server.emulator.clock().advance(901).unwrap();
    let r = caller_identity(&server, &keys);
    assert_eq!(
        (r.status, r.xml("Code").unwrap().as_str()),
        (403, "ExpiredToken")
    );
    assert_eq!(
        r.xml("Message").unwrap(),
        "The security token included in the request is expired"
    );
    let r = describe_instances(&server, "us-east-1", &keys, &[]);
    assert_eq!(
        (r.status, r.xml("Code").unwrap().as_str()),
        (400, "RequestExpired")
    );
    assert_eq!(r.xml("Message").unwrap(), "Request has expired.");
}

#[test]
fn assume_role_validates_its_parameters_with_awss_messages() {
    let server = TestServer::default_scenario();
    let (r, _) = assume_role(&server, &Keys::discovery(), ROLE_333, "bad:name", &[]);
    assert_eq!(
        (r.status, r.xml("Code").unwrap().as_str()),
        (400, "ValidationError")
    );
    assert_eq!(r.xml("Message").unwrap(), "1 validation error detected: Value 'bad:name' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
    let (r, _) = assume_role(
        &server,
        &Keys::discovery(),
        ROLE_333,
        "ok-name",
        &[("DurationSeconds", "86400")],
    );
    assert_eq!(r.xml("Message").unwrap(), "1 validation error detected: Value '86400' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200");
    let (r, _) = assume_role(
        &server,
        &Keys::discovery(),
        ROLE_333,
        "ok-name",
        &[("DurationSeconds", "7200")],
    );
    assert_eq!(
        r.xml("Message").unwrap(),
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
    );
    let (r, _) = assume_role(
        &server,
        &Keys::discovery(),
        "nothing-valid-in-here",
        "ok-name",
        &[],
    );
    assert_eq!(
        r.xml("Message").unwrap(),
        "nothing-valid-in-here is invalid"
    );
}

#[test]
fn describe_instances_filters_and_pages() {
    let server = TestServer::default_scenario();
    let (_, keys) = assume_role(&server, &Keys::discovery(), ROLE_333, "discovery", &[]);
    let keys = keys.unwrap();
    let r = describe_instances(
        &server,
        "us-east-1",
        &keys,
        &[
            ("Filter.1.Name", "instance-id"),
            ("Filter.1.Value.1", "i-03330000000000003"),
        ],
    );
    assert_eq!(r.xml_all("instanceId"), vec!["i-03330000000000003"]);
    let r = describe_instances(
        &server,
        "us-east-1",
        &keys,
        &[("Filter.1.Name", "tag:Name"), ("Filter.1.Value.1", "web-*")],
    );
    assert_eq!(
        r.xml_all("instanceId"),
        vec!["i-03330000000000001", "i-03330000000000002"]
    );
    let r = describe_instances(&server, "us-east-1", &keys, &[("MaxResults", "3")]);
    assert_eq!(
        r.xml("Message").unwrap(),
        "Value ( 3 ) for parameter maxResults is invalid. Expecting a value greater than 5."
    );

    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..10 {
        let mut extra = vec![("MaxResults", "5")];
        if let Some(t) = &token {
            extra.push(("NextToken", t.as_str()));
        }
        let r = describe_instances(&server, "us-east-1", &keys, &extra);
        assert_eq!(r.status, 200, "{}", r.body);
        seen.extend(r.xml_all("instanceId"));
        token = r.xml("nextToken");
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen.len(), 5);
    let r = describe_instances(
        &server,
        "us-east-1",
        &keys,
        &[("InstanceId.1", "i-0333000000000dead")],
    );
    assert_eq!(
        (r.status, r.xml("Code").unwrap().as_str()),
        (400, "InvalidInstanceID.NotFound")
    );
    assert_eq!(
        r.xml("Message").unwrap(),
        "The instance ID 'i-0333000000000dead' does not exist"
    );
}

#[test]
fn describe_regions_lists_regions_with_endpoints() {
    let server = TestServer::default_scenario();
    let (_, keys) = assume_role(&server, &Keys::discovery(), ROLE_333, "discovery", &[]);
    let r = server.ec2("us-east-1", &keys.unwrap(), "DescribeRegions", &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    let names = r.xml_all("regionName");
    assert!(names.contains(&"us-east-1".to_string()) && names.contains(&"eu-west-1".to_string()));
    assert!(r
        .xml_all("regionEndpoint")
        .contains(&"ec2.eu-west-1.amazonaws.com".to_string()));
}

#[test]
fn an_unsigned_request_is_missing_authentication_token() {
    let server = TestServer::default_scenario();
    let body = form(&[("Action", "GetCallerIdentity"), ("Version", "2011-06-15")]);
    let r = server.send(
        "POST",
        "/",
        &[(
            "content-type".into(),
            "application/x-www-form-urlencoded".into(),
        )],
        &body,
    );
    assert_eq!(
        r.xml("Code").unwrap(),
        "MissingAuthenticationToken",
        "{}",
        r.body
    );
}

#[test]
fn a_signature_from_twenty_minutes_ago_has_expired() {
    let server = TestServer::default_scenario();
    let body = form(&[("Action", "GetCallerIdentity"), ("Version", "2011-06-15")]);
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(20 * 60);
    let headers = server.signed_headers(
        "sts",
        "us-east-1",
        &Keys::discovery(),
        &body,
        then,
        &[FORM_CONTENT_TYPE],
    );
    let r = server.send("POST", "/", &headers, &body);
    assert_eq!(
        (r.status, r.xml("Code").unwrap().as_str()),
        (403, "SignatureDoesNotMatch")
    );
    assert!(
        r.xml("Message").unwrap().starts_with("Signature expired: "),
        "{}",
        r.body
    );
}

#[test]
fn an_unknown_action_is_invalid_action() {
    let server = TestServer::default_scenario();
    let r = server.sts(&Keys::discovery(), "FlyToTheMoon", &[]);
    assert_eq!(
        (r.status, r.xml("Code").unwrap().as_str()),
        (400, "InvalidAction")
    );
}

#[test]
fn a_denials_trace_can_be_read_by_its_request_id() {
    let server = TestServer::default_scenario();
    let (r, _) = assume_role(&server, &Keys::discovery(), ROLE_222, "discovery", &[]);
    let id = r.header("x-amzn-requestid").unwrap().to_string();
    let t = server.send("GET", &format!("/_rolecall/requests/{id}"), &[], "");
    assert_eq!(t.status, 200, "{}", t.body);
    let v: serde_json::Value = serde_json::from_str(&t.body).unwrap();
    let d = &v["decisions"][0];
    assert_eq!(d["action"], "sts:AssumeRole");
    assert_eq!(d["resource"], ROLE_222);
    assert_eq!(d["decision"]["outcome"], "ImplicitDeny");
    assert_eq!(d["message"], r.xml("Message").unwrap());
    // The identity policy that allowed the caller's side is in the trace, statement by statement.
    let policies = d["trace"]["policies"].as_array().unwrap();
    assert!(policies
        .iter()
        .any(|p| p["policy"] == "AssumeOrganizationAccountAccessRole"));

    let missing = server.send("GET", "/_rolecall/requests/no-such-request", &[], "");
    assert_eq!(missing.status, 404);
}

#[test]
fn the_clock_endpoint_moves_virtual_time() {
    let server = TestServer::default_scenario();
    let before = server.send("GET", "/_rolecall/clock", &[], "");
    let before: serde_json::Value = serde_json::from_str(&before.body).unwrap();
    let json = [("content-type".to_string(), "application/json".to_string())];
    let moved = server.send(
        "POST",
        "/_rolecall/clock",
        &json,
        r#"{"set": "2030-01-01T00:00:00Z", "frozen": true}"#,
    );
    assert_eq!(moved.status, 200, "{}", moved.body);
    let v: serde_json::Value = serde_json::from_str(&moved.body).unwrap();
    assert_eq!(v["clock"], "2030-01-01T00:00:00Z");
    assert_eq!(v["frozen"], true);
    assert_ne!(before["clock"], v["clock"]);
    let bad = server.send("POST", "/_rolecall/clock", &json, r#"{"advance": 1}"#);
    assert_eq!(bad.status, 400);
}

/// A presigned GET, as `aws-iam-authenticator`-style tokens use for GetCallerIdentity: the
/// signature travels in the query string (`X-Amz-Signature`), signed by aws-sigv4.
#[test]
fn a_presigned_get_caller_identity_is_served() {
    use aws_credential_types::Credentials;
    use aws_sigv4::http_request::{
        sign, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
    };
    use aws_smithy_runtime_api::client::identity::Identity;
    use std::time::{Duration, SystemTime};

    let server = TestServer::default_scenario();
    let identity: Identity =
        Credentials::new(DISCOVERY_KEY, DISCOVERY_SECRET, None, None, "test").into();
    let mut settings = SigningSettings::default();
    settings.signature_location = SignatureLocation::QueryParams;
    settings.expires_in = Some(Duration::from_secs(60));
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
    let url = format!("http://{host}/?Action=GetCallerIdentity&Version=2011-06-15");
    let signable = SignableRequest::new(
        "GET",
        url.as_str(),
        [("host", host.as_str())].into_iter(),
        SignableBody::Bytes(b""),
    )
    .unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let mut path = "/?Action=GetCallerIdentity&Version=2011-06-15".to_string();
    for (k, v) in instructions.params() {
        let v = percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC);
        path.push_str(&format!("&{k}={v}"));
    }
    let r = server.send("GET", &path, &[], "");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.xml("Arn").unwrap(),
        "arn:aws:iam::111111111111:user/discovery"
    );

    // One altered character of the signature is SignatureDoesNotMatch.
    let at = path.find("X-Amz-Signature=").unwrap() + "X-Amz-Signature=".len();
    let flipped = if &path[at..at + 1] == "a" { "b" } else { "a" };
    let altered = format!("{}{flipped}{}", &path[..at], &path[at + 1..]);
    let r = server.send("GET", &altered, &[], "");
    assert_eq!(
        (r.status, r.xml("Code").unwrap().as_str()),
        (403, "SignatureDoesNotMatch")
    );
}

/// A request whose Authorization header cannot be taken apart (here it has no Signature) is
/// still answered by the service its credential scope names, in that service's envelope:
/// GetCallerIdentity under an `ec2` scope gets EC2's `<Response><Errors>`, where the action alone
/// would have sent it to STS. The message lists what is missing, then quotes the header
/// (SigV4 reference: IncompleteSignature, 400 on both services' common-errors pages).
#[test]
fn an_authorization_that_cannot_be_parsed_is_answered_by_its_scopes_service() {
    let server = TestServer::default_scenario();
    let body = form(&[("Action", "GetCallerIdentity"), ("Version", "2011-06-15")]);
    for (service, envelope) in [("ec2", "<Response><Errors>"), ("sts", "<ErrorResponse")] {
        let authorization = format!(
            "AWS4-HMAC-SHA256 Credential={DISCOVERY_KEY}/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host;x-amz-date"
        );
        let r = server.send(
            "POST",
            "/",
            &[
                (
                    "content-type".into(),
                    "application/x-www-form-urlencoded".into(),
                ),
                ("x-amz-date".into(), "20260101T000000Z".into()),
                ("authorization".into(), authorization.clone()),
            ],
            &body,
        );
        assert!(r.body.contains(envelope), "{service}: {}", r.body);
        assert_error(
            &r,
            400,
            "IncompleteSignature",
            &format!(
                "Authorization header requires 'Signature' parameter. Authorization={authorization}"
            ),
        );
    }
}
