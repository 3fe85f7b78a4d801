//! Errors a server returns before any service logic: the request cannot be decoded, names no
//! operation, names an unknown one, or lacks a required parameter.
//!
//! Each constructor is specific to one protocol because STS (awsQuery), EC2 (ec2Query) and
//! Organizations (awsJson1.1) word the same failure differently. Sources are cited per function.

use super::{form::FormError, AwsError, STS_VERSION};

// ---------------------------------------------------------------------------------------------
// Undecodable body or query string (both query protocols)
// ---------------------------------------------------------------------------------------------

/// `MalformedQueryString`, HTTP 404, for a body or query string with a bad `%` escape.
///
/// Code and status: AWS common-errors documentation ("MalformedQueryString … The query string
/// contains a syntax error. HTTP Status Code: 404"). Messages: see [`FormError::message`].
pub fn malformed_query_string(err: &FormError) -> AwsError {
    AwsError::new(404, FormError::CODE, err.message())
}

// ---------------------------------------------------------------------------------------------
// STS (awsQuery)
// ---------------------------------------------------------------------------------------------

/// STS: no `Action` parameter.
///
/// `MissingAction`, HTTP 400: code and status from the AWS common-errors documentation ("The
/// request is missing an action or a required parameter."). No real body was found; the
/// message is our choice, kept short and factual.
pub fn missing_action_sts() -> AwsError {
    AwsError::new(400, "MissingAction", "Missing Action")
}

/// STS: an `Action` that STS does not have.
///
/// `InvalidAction`, HTTP 400, Type Sender, "Could not find operation {action} for version
/// {version}". This is the awsQuery front end's wording, observed for SES (bodies quoted in
/// github.com/aws/aws-cli/issues/37 and github.com/django-ses/django-ses/issues/158); no STS
/// capture was found, so applying it to STS is an inference. With no `Version`, STS's current
/// version is named.
pub fn unknown_action_sts(action: &str, version: Option<&str>) -> AwsError {
    let version = version.unwrap_or(STS_VERSION);
    AwsError::new(
        400,
        "InvalidAction",
        format!("Could not find operation {action} for version {version}"),
    )
}

/// STS: a `Version` other than 2011-06-15. The query front end resolves the operation per
/// version, so an unknown version reads as an unknown operation for that version.
pub fn bad_version_sts(action: &str, version: &str) -> AwsError {
    unknown_action_sts(action, Some(version))
}

/// STS: a required member is absent.
///
/// `ValidationError`, HTTP 400, "1 validation error detected: Value null at '{member}' failed
/// to satisfy constraint: Member must not be null". Not observed for STS: it is the
/// constraint-message format of STS's observed length, pattern and range errors (e.g.
/// github.com/newscorpaus/consigliere/issues/18) applied to the "must not be null" constraint
/// AWS's validators report for absent required members. `member` is written in lower camel
/// case as in those messages (`roleArn`, `roleSessionName`).
pub fn missing_parameter_sts(member: &str) -> AwsError {
    AwsError::new(
        400,
        "ValidationError",
        format!(
            "1 validation error detected: Value null at '{}' failed to satisfy constraint: \
             Member must not be null",
            lower_camel(member)
        ),
    )
}

// ---------------------------------------------------------------------------------------------
// EC2 (ec2Query)
// ---------------------------------------------------------------------------------------------

/// EC2: no `Action` parameter.
///
/// `MissingAction`, HTTP 400 (EC2 API reference, common client errors: "The request is missing
/// an action or a required parameter."). No real body was found; the message follows EC2's
/// observed `MissingParameter` wording.
pub fn missing_action_ec2() -> AwsError {
    AwsError::new(
        400,
        "MissingAction",
        "The request must contain the parameter Action",
    )
}

/// EC2: an `Action` that EC2 does not have.
///
/// `InvalidAction`, HTTP 400, "The action {action} is not valid for this web service." — body
/// observed from the EC2 query front end (github.com/boto/boto/issues/1282, and
/// github.com/cognitect-labs/aws-api/issues/6 for EC2 itself).
pub fn unknown_action_ec2(action: &str) -> AwsError {
    AwsError::new(
        400,
        "InvalidAction",
        format!("The action {action} is not valid for this web service."),
    )
}

/// EC2: a `Version` EC2 does not know.
///
/// `NoSuchVersion`, HTTP 400, "The requested version ({version}) of service AmazonEC2 does not
/// exist" — observed when a client sent another service's version to EC2
/// (github.com/boto/boto3/issues/1138). The status was not shown there; 400 as for every other
/// request error of the EC2 front end.
pub fn bad_version_ec2(version: &str) -> AwsError {
    AwsError::new(
        400,
        "NoSuchVersion",
        format!("The requested version ({version}) of service AmazonEC2 does not exist"),
    )
}

/// EC2: a required parameter is absent.
///
/// `MissingParameter`, HTTP 400, "The request must contain the parameter {name}" — real EC2
/// body quoted in github.com/getmoto/moto/issues/112 (CreateSecurityGroup without
/// GroupDescription).
pub fn missing_parameter_ec2(name: &str) -> AwsError {
    AwsError::new(
        400,
        "MissingParameter",
        format!("The request must contain the parameter {name}"),
    )
}

/// EC2: a parameter the operation does not define.
///
/// `UnknownParameter`, HTTP 400, "The parameter {name} is not recognized" — real EC2 body
/// quoted in github.com/aws/aws-sdk-cpp/issues/327.
pub fn unknown_parameter_ec2(name: &str) -> AwsError {
    AwsError::new(
        400,
        "UnknownParameter",
        format!("The parameter {name} is not recognized"),
    )
}

// ---------------------------------------------------------------------------------------------
// Organizations (awsJson1.1)
// ---------------------------------------------------------------------------------------------

/// Organizations: an `X-Amz-Target` that names no known operation (or none at all).
///
/// `UnknownOperationException`, HTTP 400, empty message. The code is what AWS JSON-protocol
/// services return for an unroutable `X-Amz-Target`; the status and the (absent) message were
/// not confirmed for Organizations.
pub fn unknown_operation_json() -> AwsError {
    AwsError::new(400, "UnknownOperationException", "")
}

/// Organizations: a body that is not a JSON object.
///
/// `SerializationException`, HTTP 400, the code AWS JSON-protocol services use for a body they
/// cannot deserialize; the message text is ours.
pub fn serialization_json(detail: &str) -> AwsError {
    AwsError::new(400, "SerializationException", detail.to_string())
}

/// `RoleArn` → `roleArn`: AWS validation messages name members in lower camel case.
fn lower_camel(member: &str) -> String {
    let mut chars = member.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
