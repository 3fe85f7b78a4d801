//! The authentication error catalogue: every way a request fails before any policy is consulted,
//! and how each service puts that failure on the wire.
//!
//! STS and EC2 use different codes, statuses and texts for the same failure, and Organizations
//! (a JSON-protocol service) uses a third vocabulary. The texts are AWS's, character for
//! character, including a trailing period or its absence; each mapping names its source.

use rolecall_wire::AwsError;
use thiserror::Error;

/// The long text AWS returns when the recomputed signature differs from the one sent.
/// Source: IAM user guide `signature-v4-troubleshooting.md`; observed on STS (boto/boto3#756).
pub const SIGNATURE_MISMATCH_MESSAGE: &str = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

/// Every way authentication fails, before any policy is consulted.
///
/// The variants follow the order in which AWS checks (see `sigv4`): a request that has several
/// defects gets the error of the earliest check.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AuthError {
    /// Neither an `Authorization` header nor an `X-Amz-Algorithm` query parameter (or a
    /// presigned request naming an algorithm other than `AWS4-HMAC-SHA256`).
    #[error("request is missing authentication token")]
    MissingAuthenticationToken,
    /// The authorization is present but malformed; the message is AWS's text for the defect.
    #[error("incomplete signature: {0}")]
    IncompleteSignature(String),
    /// The signature, its scope or its time is wrong. The message is the standard long text, a
    /// scope or clock-skew text, or empty (both header and query authorization present).
    #[error("signature does not match: {0}")]
    SignatureDoesNotMatch(String),
    /// The query string (or a presigned parameter) holds a broken percent escape.
    #[error("malformed query string: {0}")]
    MalformedQueryString(String),
    /// The access key id is not known.
    #[error("unknown access key")]
    UnknownAccessKey,
    /// A session token that is tampered, foreign, or does not belong to the access key.
    #[error("invalid session token")]
    InvalidSessionToken,
    /// A session token whose credentials have expired.
    #[error("expired session token")]
    ExpiredSessionToken,
}

/// STS: "The security token included in the request is invalid." — WITH a period for an
/// unknown access key, WITHOUT one for a malformed or non-intact session token (SS-ORDER; the
/// same split is observed on DynamoDB's UnrecognizedClientException).
const TOKEN_INVALID_UNKNOWN_KEY: &str = "The security token included in the request is invalid.";
const TOKEN_INVALID_BAD_TOKEN: &str = "The security token included in the request is invalid";
/// Observed on STS as ExpiredToken (jenkinsci/ec2-plugin#1008, prowler-cloud/prowler#789).
const TOKEN_EXPIRED: &str = "The security token included in the request is expired";
/// Observed on STS and documented in the AWS common-errors pages.
const MISSING_AUTH_TOKEN: &str = "Request is missing Authentication Token";
/// EC2's single text for every credential it cannot validate (EC2 API reference, common client
/// errors; observed `EC2ResponseError: 401 Unauthorized` bodies). No trailing period.
const EC2_AUTH_FAILURE: &str = "AWS was not able to validate the provided access credentials";
/// EC2 on expired temporary credentials (jenkinsci/ec2-plugin#2011, aws/aws-sdk-java#1443).
const EC2_REQUEST_EXPIRED: &str = "Request has expired.";
/// EC2's documented description for MissingAuthenticationToken (EC2 API reference, common
/// client errors). The wire text has not been observed.
const EC2_MISSING_AUTH: &str = "The request must contain valid credentials.";

impl AuthError {
    /// A few words for the request log.
    pub fn summary(&self) -> &'static str {
        match self {
            AuthError::MissingAuthenticationToken => "no signature",
            AuthError::IncompleteSignature(_) => "incomplete signature",
            AuthError::SignatureDoesNotMatch(_) => {
                "signature does not match (wrong secret, altered request, or clock skew)"
            }
            AuthError::MalformedQueryString(_) => "malformed query string",
            AuthError::UnknownAccessKey => "unknown access key",
            AuthError::InvalidSessionToken => {
                "session token invalid (altered, missing, or from another server run)"
            }
            AuthError::ExpiredSessionToken => "session expired",
        }
    }
}

impl AuthError {
    /// The STS (query protocol, `ErrorResponse` body) form of this failure.
    pub fn for_sts(&self) -> AwsError {
        match self {
            // The AWS common-errors pages give 403 for MissingAuthenticationToken.
            AuthError::MissingAuthenticationToken => {
                AwsError::new(403, "MissingAuthenticationToken", MISSING_AUTH_TOKEN)
            }
            // 400 on the service common-errors pages (SS-ORDER agrees).
            AuthError::IncompleteSignature(message) => {
                AwsError::new(400, "IncompleteSignature", message.clone())
            }
            AuthError::SignatureDoesNotMatch(message) => {
                AwsError::new(403, "SignatureDoesNotMatch", message.clone())
            }
            // 404 on the AWS common-errors pages.
            AuthError::MalformedQueryString(message) => {
                AwsError::new(404, "MalformedQueryString", message.clone())
            }
            AuthError::UnknownAccessKey => {
                AwsError::new(403, "InvalidClientTokenId", TOKEN_INVALID_UNKNOWN_KEY)
            }
            AuthError::InvalidSessionToken => {
                AwsError::new(403, "InvalidClientTokenId", TOKEN_INVALID_BAD_TOKEN)
            }
            AuthError::ExpiredSessionToken => AwsError::new(403, "ExpiredToken", TOKEN_EXPIRED),
        }
    }

    /// The EC2 (`Response/Errors/Error` body) form of this failure.
    ///
    /// EC2 folds every "who are you" failure into 401 AuthFailure, clock skew included
    /// (aws/aws-sdk-java#519: "it returns AuthFailure instead of RequestTimeTooSkewed"), and
    /// reports expired temporary credentials as 400 RequestExpired.
    pub fn for_ec2(&self) -> AwsError {
        match self {
            AuthError::MissingAuthenticationToken => {
                AwsError::new(401, "MissingAuthenticationToken", EC2_MISSING_AUTH)
            }
            AuthError::IncompleteSignature(message) => {
                AwsError::new(400, "IncompleteSignature", message.clone())
            }
            AuthError::MalformedQueryString(message) => {
                AwsError::new(400, "MalformedQueryString", message.clone())
            }
            AuthError::SignatureDoesNotMatch(_)
            | AuthError::UnknownAccessKey
            | AuthError::InvalidSessionToken => AwsError::new(401, "AuthFailure", EC2_AUTH_FAILURE),
            AuthError::ExpiredSessionToken => {
                AwsError::new(400, "RequestExpired", EC2_REQUEST_EXPIRED)
            }
        }
    }

    /// The Organizations (AWS JSON 1.1 protocol) form of this failure.
    ///
    /// JSON-protocol services answer with the `…Exception` family instead of the query-protocol
    /// codes, with the same message texts: UnrecognizedClientException for an unknown key,
    /// InvalidSignatureException for signature/scope/skew, IncompleteSignatureException,
    /// MissingAuthenticationTokenException (all 400 on DynamoDB, observed and recorded in
    /// mhart/dynalite's validation notes), ExpiredTokenException for expired credentials
    /// (botocore's Organizations model lists no auth errors; the code is the JSON-family one).
    pub fn for_organizations(&self) -> AwsError {
        match self {
            AuthError::MissingAuthenticationToken => AwsError::new(
                400,
                "MissingAuthenticationTokenException",
                MISSING_AUTH_TOKEN,
            ),
            AuthError::IncompleteSignature(message) => {
                AwsError::new(400, "IncompleteSignatureException", message.clone())
            }
            AuthError::SignatureDoesNotMatch(message) => {
                AwsError::new(400, "InvalidSignatureException", message.clone())
            }
            AuthError::MalformedQueryString(message) => {
                AwsError::new(404, "MalformedQueryString", message.clone())
            }
            AuthError::UnknownAccessKey => AwsError::new(
                400,
                "UnrecognizedClientException",
                TOKEN_INVALID_UNKNOWN_KEY,
            ),
            AuthError::InvalidSessionToken => {
                AwsError::new(400, "UnrecognizedClientException", TOKEN_INVALID_BAD_TOKEN)
            }
            AuthError::ExpiredSessionToken => {
                AwsError::new(400, "ExpiredTokenException", TOKEN_EXPIRED)
            }
        }
    }
}
