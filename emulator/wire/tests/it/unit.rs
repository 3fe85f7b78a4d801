//! Unit tests of the protocol layer: escaping, exact error envelopes, parameter decoding edge
//! cases, timestamps and the protocol-level errors.

use rolecall_wire::{
    aws_json, aws_query, ec2_query, errors, format_timestamp, format_timestamp_millis,
    new_request_id, AwsError, Fault, FormError, Params, Protocol, XmlWriter, EC2_NAMESPACE,
    STS_NAMESPACE,
};
use time::macros::datetime;

// ---------------------------------------------------------------------------------------------
// XML writing
// ---------------------------------------------------------------------------------------------

#[test]
fn text_escapes_markup_and_quotes() {
    let mut xml = XmlWriter::new();
    xml.element("Message", r#"a<b>&"c"'d'"#);
    assert_eq!(
        xml.into_string(),
        "<Message>a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;</Message>"
    );
}

#[test]
fn non_ascii_text_is_kept_as_utf8() {
    let mut xml = XmlWriter::new();
    xml.element("Value", "Zoë — 東京 🚀");
    assert_eq!(xml.into_string(), "<Value>Zoë — 東京 🚀</Value>");
}

#[test]
fn characters_xml_cannot_carry_are_replaced() {
    let mut xml = XmlWriter::new();
    xml.element("V", "a\u{1}b\r\n\tc");
    assert_eq!(xml.into_string(), "<V>a\u{FFFD}b&#13;\n\tc</V>");
}

#[test]
fn attribute_values_are_escaped() {
    let mut xml = XmlWriter::new();
    xml.start_with_ns("R", "x\"<&>\ny");
    xml.end();
    assert_eq!(
        xml.into_string(),
        "<R xmlns=\"x&quot;&lt;&amp;&gt;&#10;y\"></R>"
    );
}

#[test]
fn optional_nest_and_unclosed_elements() {
    let mut xml = XmlWriter::new();
    xml.nest("A", |xml| {
        xml.optional("Present", Some("1"));
        xml.optional("Absent", None);
        xml.start("Open");
    });
    xml.start("Left");
    // `nest` closes what its closure left open before its own element; `into_string` closes
    // whatever is still open.
    assert_eq!(
        xml.into_string(),
        "<A><Present>1</Present><Open></Open></A><Left></Left>"
    );
}

// ---------------------------------------------------------------------------------------------
// Envelopes
// ---------------------------------------------------------------------------------------------

#[test]
fn sts_error_envelope_exact_bytes() {
    let body = aws_query::error(
        STS_NAMESPACE,
        &AwsError::new(
            403,
            "AccessDenied",
            "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole",
        ),
        "c7e4a2a1-6b1f-4b2a-9d3a-2f0c9a1f1e11",
    );
    assert_eq!(
        body,
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>\
         <Type>Sender</Type><Code>AccessDenied</Code><Message>User: \
         arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole\
         </Message></Error><RequestId>c7e4a2a1-6b1f-4b2a-9d3a-2f0c9a1f1e11</RequestId>\
         </ErrorResponse>"
    );
}

#[test]
fn sts_receiver_fault() {
    let body = aws_query::error(
        STS_NAMESPACE,
        &AwsError::new(500, "InternalFailure", ""),
        "r",
    );
    assert!(body.contains("<Type>Receiver</Type>"));
    assert_eq!(Fault::for_status(503), Fault::Receiver);
    assert_eq!(Fault::for_status(403), Fault::Sender);
}

#[test]
fn sts_success_envelope_exact_bytes() {
    let body = aws_query::success(STS_NAMESPACE, "GetCallerIdentity", "rid", |xml| {
        xml.element("Arn", "arn:aws:iam::123456789012:user/Alice");
        xml.element("UserId", "AIDAEXAMPLE");
        xml.element("Account", "123456789012");
    });
    assert_eq!(
        body,
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
         <GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/Alice</Arn>\
         <UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult>\
         <ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata>\
         </GetCallerIdentityResponse>"
    );
}

#[test]
fn ec2_error_envelope_exact_bytes() {
    let body = ec2_query::error(
        &AwsError::new(
            401,
            "AuthFailure",
            "AWS was not able to validate the provided access credentials",
        ),
        "f2a2bccd-2150-4e41-bcf3-7577e2ce1e00",
    );
    assert_eq!(
        body,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>AuthFailure\
         </Code><Message>AWS was not able to validate the provided access credentials</Message>\
         </Error></Errors><RequestID>f2a2bccd-2150-4e41-bcf3-7577e2ce1e00</RequestID></Response>"
    );
}

#[test]
fn ec2_success_envelope_exact_bytes() {
    let body = ec2_query::success("DescribeRegions", "rid", |xml| {
        ec2_query::item_list(xml, "regionInfo", ["eu-north-1"], |xml, name| {
            xml.element("regionName", name);
        });
    });
    assert_eq!(
        body,
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeRegionsResponse xmlns=\"{EC2_NAMESPACE}\">\
             <requestId>rid</requestId><regionInfo><item><regionName>eu-north-1</regionName>\
             </item></regionInfo></DescribeRegionsResponse>"
        )
    );
}

#[test]
fn json_error_and_success() {
    let body = aws_json::error(&AwsError::new(
        400,
        "AWSOrganizationsNotInUseException",
        "Your \"account\"",
    ));
    let parsed: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(parsed["__type"], "AWSOrganizationsNotInUseException");
    assert_eq!(parsed["Message"], "Your \"account\"");
    assert_eq!(parsed.get("Reason"), None);
    // Organizations' InvalidInputException carries a Reason beside the message.
    let with_reason = aws_json::error(
        &AwsError::new(
            400,
            "InvalidInputException",
            "You specified an invalid value.",
        )
        .with_reason("INVALID_ENUM"),
    );
    assert_eq!(
        with_reason,
        r#"{"Message":"You specified an invalid value.","Reason":"INVALID_ENUM","__type":"InvalidInputException"}"#
    );
    assert_eq!(aws_json::success(&serde_json::json!({"A": 1})), "{\"A\":1}");
    assert_eq!(aws_json::CONTENT_TYPE, "application/x-amz-json-1.1");
    assert_eq!(
        aws_json::operation_from_target(
            "AWSOrganizationsV20161128.ListAccounts",
            aws_json::ORGANIZATIONS_TARGET_PREFIX
        ),
        Some("ListAccounts")
    );
    assert_eq!(
        aws_json::operation_from_target("Other.ListAccounts", "AWSOrganizationsV20161128"),
        None
    );
}

// ---------------------------------------------------------------------------------------------
// Params
// ---------------------------------------------------------------------------------------------

fn parse(raw: &str) -> Params {
    Params::parse(raw.as_bytes()).expect("decodes")
}

#[test]
fn plus_is_space_and_escaped_plus_is_plus() {
    let p = parse("A=a+b&B=a%2Bb&C=%20&D=x%3Dy%26z");
    assert_eq!(p.get("A"), Some("a b"));
    assert_eq!(p.get("B"), Some("a+b"));
    assert_eq!(p.get("C"), Some(" "));
    assert_eq!(p.get("D"), Some("x=y&z"));
}

#[test]
fn bad_escapes_are_errors_not_panics() {
    for raw in ["A=%zz", "A=%", "A=%4", "A=%g1", "A=b%", "%=1", "A=%%"] {
        let err = Params::parse(raw.as_bytes()).expect_err(raw);
        assert!(err.message().contains('%'), "{raw}: {err}");
    }
    assert_eq!(
        Params::parse(b"A=%zz").unwrap_err(),
        FormError::IllegalHex("zz".to_string())
    );
    assert_eq!(
        Params::parse(b"A=%4").unwrap_err(),
        FormError::IncompleteEscape
    );
    let err = errors::malformed_query_string(&FormError::IncompleteEscape);
    assert_eq!((err.status, err.code), (404, "MalformedQueryString"));
}

#[test]
fn empty_values_names_and_segments() {
    let p = parse("&A=&B&&=x&C=1&");
    assert_eq!(p.get("A"), Some(""));
    assert_eq!(p.get("B"), Some(""));
    assert_eq!(p.get(""), Some("x"));
    assert_eq!(p.get("C"), Some("1"));
    assert_eq!(p.len(), 4);
    assert!(parse("").is_empty());
}

#[test]
fn repeated_keys_first_wins() {
    let p = parse("Action=GetCallerIdentity&Action=AssumeRole&Version=2011-06-15");
    assert_eq!(p.action(), Some("GetCallerIdentity"));
    assert_eq!(p.version(), Some("2011-06-15"));
    assert_eq!(p.names().filter(|n| *n == "Action").count(), 2);
}

#[test]
fn invalid_utf8_is_replaced() {
    let p = Params::parse(b"A=%FF%FE&B=\xff").expect("decodes");
    assert_eq!(p.get("A"), Some("\u{FFFD}\u{FFFD}"));
    assert_eq!(p.get("B"), Some("\u{FFFD}"));
}

#[test]
fn flat_lists_order_by_index_with_gaps() {
    let p = parse("InstanceId.10=j&InstanceId.2=b&InstanceId.1=a&InstanceId.x=bad&InstanceId.0=z&InstanceId.-1=n&InstanceId.2=dup");
    assert_eq!(p.flat_list("InstanceId"), vec!["a", "b", "j"]);
    assert!(p.flat_list("Missing").is_empty());
}

#[test]
fn member_lists_and_structs() {
    let p = parse(
        "TransitiveTagKeys.member.2=b&TransitiveTagKeys.member.1=a\
         &Tags.member.2.Key=k2&Tags.member.1.Key=k1&Tags.member.1.Value=v1\
         &Filter.3.Name=zone&Filter.3.Value.2=b&Filter.3.Value.1=a&Filter.1.Name=state",
    );
    assert_eq!(p.member_list("TransitiveTagKeys"), vec!["a", "b"]);
    let tags = p.structs("Tags.member");
    assert_eq!(tags.len(), 2);
    assert_eq!(tags[0].get("Key"), Some("k1"));
    assert_eq!(tags[0].get("Value"), Some("v1"));
    assert_eq!(tags[1].get("Key"), Some("k2"));
    assert_eq!(tags[1].get("Value"), None);
    let filters = p.structs("Filter");
    assert_eq!(filters.len(), 2);
    assert_eq!(filters[0].get("Name"), Some("state"));
    assert!(filters[0].flat_list("Value").is_empty());
    assert_eq!(filters[1].get("Name"), Some("zone"));
    assert_eq!(filters[1].flat_list("Value"), vec!["a", "b"]);
    assert_eq!(filters[1].prefix(), "Filter.3");
}

#[test]
fn policy_document_survives_decoding() {
    let p = parse("Policy=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D");
    assert_eq!(
        p.get("Policy"),
        Some(r#"{"Version":"2012-10-17","Statement":[]}"#)
    );
}

// ---------------------------------------------------------------------------------------------
// Ids, timestamps, protocol errors
// ---------------------------------------------------------------------------------------------

#[test]
fn request_ids_are_lowercase_uuid_v4() {
    let id = new_request_id();
    assert_eq!(id.len(), 36);
    assert_eq!(id, id.to_lowercase());
    assert_eq!(id.as_bytes()[14], b'4');
    assert_ne!(id, new_request_id());
}

#[test]
fn timestamps_are_utc() {
    let t = datetime!(2026-11-23 15:00:00.123 +01:00);
    assert_eq!(format_timestamp(t), "2026-11-23T14:00:00Z");
    assert_eq!(format_timestamp_millis(t), "2026-11-23T14:00:00.123Z");
}

/// Each error's status, code and message; a failure names the call that made the error.
fn assert_protocol_errors(cases: &[(&str, AwsError, u16, &str, &str)]) {
    for (call, error, status, code, message) in cases {
        assert_eq!(
            (error.status, error.code, &*error.message),
            (*status, *code, *message),
            "{call}"
        );
    }
}

#[test]
fn sts_protocol_errors() {
    let missing_role_arn = errors::missing_parameter_sts("RoleArn");
    assert_protocol_errors(&[
        (
            "unknown_action_sts",
            errors::unknown_action_sts("Frobnicate", Some("2011-06-15")),
            400,
            "InvalidAction",
            "Could not find operation Frobnicate for version 2011-06-15",
        ),
        (
            "bad_version_sts",
            errors::bad_version_sts("AssumeRole", "2099-01-01"),
            400,
            "InvalidAction",
            "Could not find operation AssumeRole for version 2099-01-01",
        ),
        (
            "missing_parameter_sts",
            missing_role_arn.clone(),
            400,
            "ValidationError",
            "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: \
             Member must not be null",
        ),
        (
            "missing_action_sts",
            errors::missing_action_sts(),
            400,
            "MissingAction",
            "Missing Action",
        ),
    ]);
    let body = sts().error_body(&missing_role_arn, "rid");
    assert!(body.starts_with("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"));
}

#[test]
fn ec2_protocol_errors() {
    let unknown_foo = errors::unknown_parameter_ec2("Foo");
    assert_protocol_errors(&[
        (
            "unknown_action_ec2",
            errors::unknown_action_ec2("DescribeNothing"),
            400,
            "InvalidAction",
            "The action DescribeNothing is not valid for this web service.",
        ),
        (
            "bad_version_ec2",
            errors::bad_version_ec2("2099-01-01"),
            400,
            "NoSuchVersion",
            "The requested version (2099-01-01) of service AmazonEC2 does not exist",
        ),
        (
            "missing_parameter_ec2",
            errors::missing_parameter_ec2("InstanceId"),
            400,
            "MissingParameter",
            "The request must contain the parameter InstanceId",
        ),
        (
            "unknown_parameter_ec2",
            unknown_foo.clone(),
            400,
            "UnknownParameter",
            "The parameter Foo is not recognized",
        ),
        (
            "missing_action_ec2",
            errors::missing_action_ec2(),
            400,
            "MissingAction",
            "The request must contain the parameter Action",
        ),
    ]);
    assert!(Protocol::Ec2Query
        .error_body(&unknown_foo, "rid")
        .contains("<Code>UnknownParameter</Code>"));
}

#[test]
fn json_protocol_errors() {
    let e = errors::unknown_operation_json();
    assert_eq!((e.status, e.code), (400, "UnknownOperationException"));
    assert!(Protocol::AwsJson11
        .error_body(&e, "rid")
        .contains("\"__type\":\"UnknownOperationException\""));
}

fn sts() -> Protocol {
    Protocol::AwsQuery {
        namespace: STS_NAMESPACE,
    }
}

/// One writer per protocol: the reply carries the status, the protocol's content type, the
/// code for the log, and the note, which never reaches the body.
#[test]
fn every_protocol_writes_the_one_error_type() {
    let error = AwsError::new(403, "AccessDenied", "no").with_note("explicit deny: scp".into());
    for (protocol, content_type) in [
        (sts(), "text/xml"),
        (Protocol::Ec2Query, "text/xml;charset=UTF-8"),
        (Protocol::AwsJson11, "application/x-amz-json-1.1"),
    ] {
        let reply = protocol.error_reply(error.clone(), "rid");
        assert_eq!(reply.status, 403);
        assert_eq!(reply.content_type, content_type);
        assert_eq!(reply.error_code, Some("AccessDenied"));
        assert_eq!(reply.note.as_deref(), Some("explicit deny: scp"));
        assert_eq!(reply.body, protocol.error_body(&error, "rid"));
        assert!(!reply.body.contains("scp"), "{}", reply.body);
    }
}
