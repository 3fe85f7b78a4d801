//! AWS's exact authentication error texts and their per-service wire form.
//!
//! Sources: SS = scratchstack-aws-signature's empirical AWS error-ordering flowchart and
//! constants; DYN = DynamoDB responses recorded in mhart/dynalite; STS-OBS = STS bodies quoted
//! in public issues (named per test); EC2-ERR = the EC2 API reference, common client errors.

use http::{HeaderMap, HeaderValue};
use rolecall_server::auth::errors::AuthError;
use rolecall_server::auth::sigv4::{self, SignedRequest};
use rolecall_wire::AwsError;
use time::macros::datetime;

const DATE: &str = "20150830T123600Z";
const CREDENTIAL: &str = "Credential=AKIDEXAMPLE/20150830/us-east-1/sts/aws4_request";

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(*name, HeaderValue::from_str(value).unwrap());
    }
    map
}

/// Parses and keeps what was parsed past the request's lifetime.
fn parse_with(
    headers: &HeaderMap,
    query: Option<&str>,
) -> Result<sigv4::Authorization<'static>, AuthError> {
    sigv4::parse(&SignedRequest {
        method: "POST",
        path: "/",
        query,
        headers,
        body: b"",
    })
    .map(sigv4::Authorization::into_owned)
}

/// Parses a request signed in its headers: `host`, `x-amz-date: date` and `authorization`.
fn parse_signed_header(
    date: &str,
    authorization: &str,
) -> Result<sigv4::Authorization<'static>, AuthError> {
    let h = headers(&[
        ("host", "h"),
        ("x-amz-date", date),
        ("authorization", authorization),
    ]);
    parse_with(&h, None)
}

fn incomplete(text: &str) -> AuthError {
    AuthError::IncompleteSignature(text.to_string())
}

fn mismatch(text: &str) -> AuthError {
    AuthError::SignatureDoesNotMatch(text.to_string())
}

#[test]
fn no_authorization_at_all_is_missing_authentication_token_ss() {
    let h = headers(&[("host", "sts.amazonaws.com"), ("x-amz-date", DATE)]);
    assert_eq!(
        parse_with(&h, Some("Action=GetCallerIdentity")),
        Err(AuthError::MissingAuthenticationToken)
    );
}

#[test]
fn header_and_query_authorization_together_is_an_empty_signature_mismatch_ss() {
    let h = headers(&[
        ("host", "h"),
        ("authorization", "AWS4-HMAC-SHA256 Credential=a"),
    ]);
    assert_eq!(
        parse_with(&h, Some("X-Amz-Algorithm=AWS4-HMAC-SHA256")),
        Err(mismatch(""))
    );
}

#[test]
fn unsupported_algorithm_text_ss() {
    let h = headers(&[("authorization", "AWS4-HMAC-SHA512 Credential=a/b/c/d/e")]);
    assert_eq!(
        parse_with(&h, None),
        Err(incomplete(
            "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'."
        ))
    );
}

#[test]
fn presigned_with_another_algorithm_counts_as_unauthenticated_ss() {
    let h = headers(&[("host", "h")]);
    assert_eq!(
        parse_with(&h, Some("X-Amz-Algorithm=AWS4-HMAC-SHA1")),
        Err(AuthError::MissingAuthenticationToken)
    );
}

#[test]
fn every_missing_header_part_listed_with_the_header_ss_reference_3_2() {
    let h = headers(&[("host", "h"), ("authorization", "AWS4-HMAC-SHA256")]);
    assert_eq!(
        parse_with(&h, None),
        Err(incomplete(
            "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256"
        ))
    );
}

#[test]
fn one_missing_part_quotes_the_whole_header_dyn() {
    let value = format!("AWS4-HMAC-SHA256 {CREDENTIAL}, SignedHeaders=host;x-amz-date");
    assert_eq!(
        parse_signed_header(DATE, &value),
        Err(incomplete(&format!(
            "Authorization header requires 'Signature' parameter. Authorization={value}"
        )))
    );
}

#[test]
fn parameter_without_equal_sign_sts_obs_jenkinsci_aws_credentials_plugin_72() {
    let value = format!("AWS4-HMAC-SHA256 {CREDENTIAL}, SignedHeaders, Signature=abc");
    assert_eq!(
        parse_signed_header(DATE, &value),
        Err(incomplete(&format!(
            "'SignedHeaders' not a valid key=value pair (missing equal-sign) in Authorization header: '{value}'."
        )))
    );
}

#[test]
fn missing_presigned_parameters_ss() {
    let h = headers(&[("host", "h")]);
    assert_eq!(
        parse_with(&h, Some("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20150830T123600Z")),
        Err(incomplete(
            "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters."
        ))
    );
}

#[test]
fn date_not_in_basic_format_ss_dyn() {
    let value =
        format!("AWS4-HMAC-SHA256 {CREDENTIAL}, SignedHeaders=host;x-amz-date, Signature=abc");
    for bad in [
        "2015-08-30T12:36:00Z",
        "Sun, 30 Aug 2015 12:36:00 GMT",
        "201",
    ] {
        assert_eq!(
            parse_signed_header(bad, &value),
            Err(incomplete(&format!(
                "Date must be in ISO-8601 'basic format'. Got '{bad}'. See http://en.wikipedia.org/wiki/ISO_8601"
            )))
        );
    }
}

#[test]
fn credential_without_five_elements_dyn() {
    let value = "AWS4-HMAC-SHA256 Credential=a/b/c/d, SignedHeaders=host, Signature=abc";
    assert_eq!(
        parse_signed_header(DATE, value),
        Err(incomplete(
            "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'a/b/c/d'"
        ))
    );
}

#[test]
fn host_must_be_signed_ss() {
    let value = format!("AWS4-HMAC-SHA256 {CREDENTIAL}, SignedHeaders=x-amz-date, Signature=abc");
    assert_eq!(
        parse_signed_header(DATE, &value),
        Err(mismatch(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
        ))
    );
}

#[test]
fn broken_percent_escapes_are_malformed_query_strings_aws_common_errors() {
    let h = headers(&[("host", "h")]);
    assert_eq!(
        parse_with(&h, Some("Action=Get%4")),
        Err(AuthError::MalformedQueryString(
            "Incomplete trailing escape % sequence".into()
        ))
    );
    assert_eq!(
        parse_with(&h, Some("Action=Get%zz")),
        Err(AuthError::MalformedQueryString(
            "Illegal hex character in escape % pattern: %zz".into()
        ))
    );
}

fn sts_auth(credential: &str, date: &str) -> sigv4::Authorization<'static> {
    let value = format!(
        "AWS4-HMAC-SHA256 Credential={credential}, SignedHeaders=host;x-amz-date, Signature=abc"
    );
    parse_signed_header(date, &value).unwrap()
}

#[test]
fn skew_texts_match_observed_sts_get_caller_identity() {
    // Observed: "Signature expired: 20200706T195306Z is now earlier than 20200707T071347Z
    // (20200707T072847Z - 15 min.)" and "Signature not yet current: 20210502T183640Z is still
    // later than 20210502T175140Z (20210502T173640Z + 15 min.)".
    let old = sts_auth(
        "AKID/20200706/us-east-1/sts/aws4_request",
        "20200706T195306Z",
    );
    assert_eq!(
        sigv4::check_scope_and_time(&old, datetime!(2020-07-07 07:28:47 UTC), Some("sts")),
        Err(mismatch("Signature expired: 20200706T195306Z is now earlier than 20200707T071347Z (20200707T072847Z - 15 min.)"))
    );
    let future = sts_auth(
        "AKID/20210502/us-east-1/sts/aws4_request",
        "20210502T183640Z",
    );
    assert_eq!(
        sigv4::check_scope_and_time(&future, datetime!(2021-05-02 17:36:40 UTC), Some("sts")),
        Err(mismatch("Signature not yet current: 20210502T183640Z is still later than 20210502T175140Z (20210502T173640Z + 15 min.)"))
    );
    // Exactly 15 minutes either way is still inside the window.
    let edge = sts_auth(
        "AKID/20150830/us-east-1/sts/aws4_request",
        "20150830T123600Z",
    );
    assert_eq!(
        sigv4::check_scope_and_time(&edge, datetime!(2015-08-30 12:51:00 UTC), Some("sts")),
        Ok(())
    );
    assert_eq!(
        sigv4::check_scope_and_time(&edge, datetime!(2015-08-30 12:21:00 UTC), Some("sts")),
        Ok(())
    );
}

#[test]
fn every_scope_defect_in_one_message_in_dyn_order() {
    let auth = sts_auth("AKID/20150829/US-EAST-1/ec2/aws4_requests", DATE);
    assert_eq!(
        sigv4::check_scope_and_time(&auth, datetime!(2015-08-30 12:36:00 UTC), Some("sts")),
        Err(mismatch(
            "Credential should be scoped to a valid region, not 'US-EAST-1'. Credential should be scoped to correct service: 'sts'. Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_requests'. Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150829' != '20150830', from '20150830T123600Z'."
        ))
    );
}

#[test]
fn skew_is_reported_before_scope_ss() {
    let auth = sts_auth("AKID/20150830/us-east-1/ec2/aws4_request", DATE);
    let err = sigv4::check_scope_and_time(&auth, datetime!(2015-08-31 12:36:00 UTC), Some("sts"))
        .unwrap_err();
    assert!(
        matches!(err, AuthError::SignatureDoesNotMatch(m) if m.starts_with("Signature expired: "))
    );
}

fn wire(status: u16, code: &'static str, message: &str) -> AwsError {
    AwsError::new(status, code, message.to_string())
}

/// Each error's wire form for one service; a failure names the error.
fn assert_wire_forms(service: fn(&AuthError) -> AwsError, cases: &[(AuthError, AwsError)]) {
    for (error, expected) in cases {
        assert_eq!(&service(error), expected, "{error:?}");
    }
}

#[test]
fn sts_wire_errors_reference_3_2() {
    assert_wire_forms(
        AuthError::for_sts,
        &[
            (
                AuthError::MissingAuthenticationToken,
                wire(
                    403,
                    "MissingAuthenticationToken",
                    "Request is missing Authentication Token",
                ),
            ),
            (
                AuthError::IncompleteSignature("x".into()),
                wire(400, "IncompleteSignature", "x"),
            ),
            (
                AuthError::SignatureDoesNotMatch(
                    rolecall_server::auth::errors::SIGNATURE_MISMATCH_MESSAGE.into(),
                ),
                wire(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."),
            ),
            (
                AuthError::SignatureDoesNotMatch(String::new()),
                wire(403, "SignatureDoesNotMatch", ""),
            ),
            // With a period for an unknown key, without one for a bad session token (SS).
            (
                AuthError::UnknownAccessKey,
                wire(
                    403,
                    "InvalidClientTokenId",
                    "The security token included in the request is invalid.",
                ),
            ),
            (
                AuthError::InvalidSessionToken,
                wire(
                    403,
                    "InvalidClientTokenId",
                    "The security token included in the request is invalid",
                ),
            ),
            // STS-OBS jenkinsci/ec2-plugin#1008.
            (
                AuthError::ExpiredSessionToken,
                wire(
                    403,
                    "ExpiredToken",
                    "The security token included in the request is expired",
                ),
            ),
            (
                AuthError::MalformedQueryString("Incomplete trailing escape % sequence".into()),
                wire(
                    404,
                    "MalformedQueryString",
                    "Incomplete trailing escape % sequence",
                ),
            ),
        ],
    );
}

#[test]
fn ec2_wire_errors_ec2_err_and_observed() {
    let auth_failure = wire(
        401,
        "AuthFailure",
        "AWS was not able to validate the provided access credentials",
    );
    assert_wire_forms(
        AuthError::for_ec2,
        &[
            (AuthError::UnknownAccessKey, auth_failure.clone()),
            (AuthError::InvalidSessionToken, auth_failure.clone()),
            (
                AuthError::SignatureDoesNotMatch("anything".into()),
                auth_failure.clone(),
            ),
            // Clock skew on EC2 is AuthFailure too (aws/aws-sdk-java#519).
            (
                AuthError::SignatureDoesNotMatch("Signature expired: …".into()),
                auth_failure,
            ),
            // jenkinsci/ec2-plugin#2011: "Request has expired. (Service: Ec2, Status Code: 400)".
            (
                AuthError::ExpiredSessionToken,
                wire(400, "RequestExpired", "Request has expired."),
            ),
            (
                AuthError::MissingAuthenticationToken,
                wire(
                    401,
                    "MissingAuthenticationToken",
                    "The request must contain valid credentials.",
                ),
            ),
            (
                AuthError::IncompleteSignature("x".into()),
                wire(400, "IncompleteSignature", "x"),
            ),
        ],
    );
}

#[test]
fn organizations_uses_the_json_protocol_exception_names_dyn() {
    assert_wire_forms(
        AuthError::for_organizations,
        &[
            (
                AuthError::UnknownAccessKey,
                wire(
                    400,
                    "UnrecognizedClientException",
                    "The security token included in the request is invalid.",
                ),
            ),
            (
                AuthError::SignatureDoesNotMatch("m".into()),
                wire(400, "InvalidSignatureException", "m"),
            ),
            (
                AuthError::MissingAuthenticationToken,
                wire(
                    400,
                    "MissingAuthenticationTokenException",
                    "Request is missing Authentication Token",
                ),
            ),
            (
                AuthError::IncompleteSignature("m".into()),
                wire(400, "IncompleteSignatureException", "m"),
            ),
            (
                AuthError::ExpiredSessionToken,
                wire(
                    400,
                    "ExpiredTokenException",
                    "The security token included in the request is expired",
                ),
            ),
        ],
    );
}
