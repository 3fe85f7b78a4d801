//! Step 1: find the authorization in the header or the query string and take it apart.
//!
//! Message texts and their order follow scratchstack's empirical flowchart of AWS's checks
//! (SS-ORDER) and the observed IncompleteSignature bodies quoted beside each one.

use http::header::{HeaderName, AUTHORIZATION, DATE};
use std::borrow::Cow;

use rolecall_engine::ascii_split;

use super::canonical::{decode_query, QueryPair};
use super::timestamp::parse_basic;
use super::{AuthError, AuthStyle, Authorization, SignedRequest, ALGORITHM};

// Parsed names: a lookup by `HeaderName` hashes it as it is, where a lookup by text first
// checks and lower-cases every character of the name.
pub(super) static X_AMZ_DATE: HeaderName = HeaderName::from_static("x-amz-date");
pub(super) static X_AMZ_SECURITY_TOKEN: HeaderName =
    HeaderName::from_static("x-amz-security-token");
pub(super) const QUERY_SIGNATURE: &str = "X-Amz-Signature";
pub(super) const QUERY_SECURITY_TOKEN: &str = "X-Amz-Security-Token";

pub(super) fn parse<'r>(req: &SignedRequest<'r>) -> Result<Authorization<'r>, AuthError> {
    // A broken percent escape is reported before anything about authentication (SS-ORDER).
    let query = decode_query(req.query.unwrap_or_default())?;
    let header = req.headers.get(AUTHORIZATION);
    let query_algorithm = first_query_value(&query, "X-Amz-Algorithm");

    let mut auth = match (header, query_algorithm) {
        (None, None) => return Err(AuthError::MissingAuthenticationToken),
        // Both styles at once: AWS answers SignatureDoesNotMatch with no message (SS-ORDER).
        (Some(_), Some(_)) => return Err(AuthError::SignatureDoesNotMatch(String::new())),
        (Some(value), None) => match lossy_text(value.as_bytes()) {
            Cow::Borrowed(header) => from_header(req, header)?,
            // Not UTF-8: the pieces come from a repaired copy, which they cannot borrow.
            Cow::Owned(header) => from_header(req, &header)?.into_owned(),
        },
        // Decoded from the query string: the pieces cannot borrow from the request.
        (None, Some(algorithm)) => from_query(&query, algorithm)?.into_owned(),
    };

    // SignedHeaders must cover the host; scratchstack records this text for STS.
    if !auth
        .signed_header_names()
        .any(|h| h.eq_ignore_ascii_case("host") || h == ":authority")
    {
        return Err(AuthError::SignatureDoesNotMatch(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.".to_string(),
        ));
    }
    auth.security_token = match auth.style {
        AuthStyle::Header => req
            .headers
            .get(&X_AMZ_SECURITY_TOKEN)
            .map(|v| lossy_text(v.as_bytes())),
        AuthStyle::Presigned => first_query_value(&query, QUERY_SECURITY_TOKEN)
            .map(|token| Cow::Owned(token.to_string())),
    };
    Ok(auth)
}

/// The fields every style yields before the credential is split, borrowed from the request.
struct RawAuth<'r> {
    credential: &'r str,
    signed_headers: &'r str,
    signature: &'r str,
    timestamp: Cow<'r, str>,
}

fn from_header<'a>(
    req: &SignedRequest<'a>,
    header: &'a str,
) -> Result<Authorization<'a>, AuthError> {
    let header = header.trim();
    let (algorithm, rest) = header.split_once([' ', '\t']).unwrap_or((header, ""));
    if algorithm != ALGORITHM {
        return Err(AuthError::IncompleteSignature(format!(
            "Unsupported AWS 'algorithm': '{algorithm}'."
        )));
    }

    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for parameter in ascii_split::split(rest, b',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        // Observed on STS (jenkinsci/aws-credentials-plugin#72), quoting the whole header.
        let Some((key, value)) = ascii_split::split_once(parameter, b'=') else {
            return Err(AuthError::IncompleteSignature(format!(
                "'{parameter}' not a valid key=value pair (missing equal-sign) in Authorization header: '{header}'."
            )));
        };
        // A repeated parameter: the last one wins (SS-ORDER).
        match key {
            "Credential" => credential = Some(value),
            "SignedHeaders" => signed_headers = Some(value),
            "Signature" => signature = Some(value),
            _ => {}
        }
    }
    let timestamp = header_text(req, &X_AMZ_DATE).or_else(|| header_text(req, &DATE));

    // All missing parts are listed in one message, then the header (reference 3.2; the header
    // is quoted whole, as in DynamoDB's recorded IncompleteSignatureException).
    let mut missing = Vec::new();
    if credential.is_none() {
        missing.push("Authorization header requires 'Credential' parameter.");
    }
    if signature.is_none() {
        missing.push("Authorization header requires 'Signature' parameter.");
    }
    if signed_headers.is_none() {
        missing.push("Authorization header requires 'SignedHeaders' parameter.");
    }
    if timestamp.is_none() {
        missing.push(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        );
    }
    match (credential, signed_headers, signature, timestamp) {
        (Some(credential), Some(signed_headers), Some(signature), Some(timestamp)) => build(
            AuthStyle::Header,
            RawAuth {
                credential,
                signed_headers,
                signature,
                timestamp,
            },
            None,
        ),
        _ => Err(AuthError::IncompleteSignature(format!(
            "{} Authorization={header}",
            missing.join(" ")
        ))),
    }
}

fn from_query<'q>(query: &'q [QueryPair], algorithm: &str) -> Result<Authorization<'q>, AuthError> {
    // A presigned request naming another algorithm is treated as unauthenticated (SS-ORDER).
    if algorithm != ALGORITHM {
        return Err(AuthError::MissingAuthenticationToken);
    }
    let credential = first_query_value(query, "X-Amz-Credential");
    let signature = first_query_value(query, QUERY_SIGNATURE);
    let signed_headers = first_query_value(query, "X-Amz-SignedHeaders");
    let timestamp = first_query_value(query, "X-Amz-Date");
    let mut missing = Vec::new();
    if credential.is_none() {
        missing.push("AWS query-string parameters must include 'X-Amz-Credential'.");
    }
    if signature.is_none() {
        missing.push("AWS query-string parameters must include 'X-Amz-Signature'.");
    }
    if signed_headers.is_none() {
        missing.push("AWS query-string parameters must include 'X-Amz-SignedHeaders'.");
    }
    if timestamp.is_none() {
        missing.push("AWS query-string parameters must include 'X-Amz-Date'.");
    }
    match (credential, signed_headers, signature, timestamp) {
        (Some(credential), Some(signed_headers), Some(signature), Some(timestamp)) => {
            let expires = match first_query_value(query, "X-Amz-Expires") {
                Some(text) => Some(expires_secs(text)?),
                None => None,
            };
            build(
                AuthStyle::Presigned,
                RawAuth {
                    credential,
                    signed_headers,
                    signature,
                    timestamp: Cow::Borrowed(timestamp),
                },
                expires,
            )
        }
        _ => Err(AuthError::IncompleteSignature(format!(
            "{} Re-examine the query-string parameters.",
            missing.join(" ")
        ))),
    }
}

/// `X-Amz-Expires`: a whole number of seconds from 1 to 604800, a week, the longest a SigV4
/// signing key lives (S3 API reference, "Authenticating Requests: Using Query Parameters":
/// "The minimum value you can set is 1, and the maximum is 604800"). The texts are the ones S3
/// answers with (observed, as AuthorizationQueryParametersError); the query services, which
/// have no error of that name, report them as the other malformed query-string
/// authorizations, IncompleteSignature.
fn expires_secs(text: &str) -> Result<u64, AuthError> {
    let bad = |message: &str| Err(AuthError::IncompleteSignature(message.to_string()));
    match text.parse::<i64>() {
        Err(_) => bad("X-Amz-Expires should be a number"),
        Ok(n) if n < 0 => bad("X-Amz-Expires must be non-negative"),
        Ok(0) => bad("X-Amz-Expires must be at least 1 second"),
        Ok(n) if n > 604_800 => bad(
            "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds",
        ),
        Ok(n) => Ok(n.unsigned_abs()),
    }
}

/// Date format, then the credential's shape, in that order (SS-ORDER).
fn build(
    style: AuthStyle,
    raw: RawAuth<'_>,
    expires_secs: Option<u64>,
) -> Result<Authorization<'_>, AuthError> {
    let timestamp = parse_basic(&raw.timestamp)?;
    // Trailing slashes do not count as elements (DynamoDB, recorded in mhart/dynalite).
    let mut parts = ascii_split::split(raw.credential.trim_end_matches('/'), b'/');
    let (
        Some(access_key_id),
        Some(scope_date),
        Some(region),
        Some(service),
        Some(terminator),
        None,
    ) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    )
    else {
        return Err(AuthError::IncompleteSignature(format!(
            "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{}'",
            raw.credential
        )));
    };
    Ok(Authorization {
        style,
        access_key_id: Cow::Borrowed(access_key_id),
        scope_date: Cow::Borrowed(scope_date),
        region: Cow::Borrowed(region),
        service: Cow::Borrowed(service),
        terminator: Cow::Borrowed(terminator),
        signed_headers: Cow::Borrowed(raw.signed_headers),
        signature: Cow::Borrowed(raw.signature),
        timestamp,
        timestamp_raw: raw.timestamp,
        expires_secs,
        security_token: None,
    })
}

/// The first value of a header, as text; a repeated header: the first one counts (SS-ORDER).
fn header_text<'r>(req: &SignedRequest<'r>, name: &HeaderName) -> Option<Cow<'r, str>> {
    req.headers.get(name).map(|v| lossy_text(v.as_bytes()))
}

/// Header bytes as text, invalid UTF-8 replaced; borrowed when valid (a plain `from_utf8`
/// check is several times cheaper than the lossy decoder's).
fn lossy_text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// A repeated query parameter: the first one counts (SS-ORDER).
fn first_query_value<'q>(query: &'q [QueryPair], key: &str) -> Option<&'q str> {
    query
        .iter()
        .find(|p| p.key == key)
        .map(|p| p.value.as_str())
}
