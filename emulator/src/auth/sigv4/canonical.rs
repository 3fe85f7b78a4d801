//! The canonical request: method, path, query, headers, signed-header list, payload hash.
//!
//! Rules from the IAM user guide (`create-signed-request.md`) and the SigV4 test suites:
//! the path is normalized (dot segments removed, `//` collapsed) and URI-encoded once, query
//! parameters are encoded per RFC 3986 and sorted by key then value, header values are trimmed
//! with inner whitespace runs collapsed and repeated headers joined with `,`.

use http::HeaderName;
use percent_encoding::{percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::{Digest, Sha256};

use super::parse::{QUERY_SECURITY_TOKEN, QUERY_SIGNATURE};
use super::{AuthError, AuthStyle, Authorization, SignedRequest};

/// Everything but the RFC 3986 unreserved characters `A-Z a-z 0-9 - _ . ~` is encoded.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// One `key=value` of a query string, percent-decoded.
pub(super) struct QueryPair {
    pub key: String,
    pub value: String,
    key_bytes: Vec<u8>,
    value_bytes: Vec<u8>,
}

/// Splits and decodes a raw query string. `+` is a literal plus, not a space: SigV4 encodes
/// what the URI carries, and every SDK sends a space as `%20`.
pub(super) fn decode_query(raw: &str) -> Result<Vec<QueryPair>, AuthError> {
    raw.split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (key, value) = piece.split_once('=').unwrap_or((piece, ""));
            let key_bytes = percent_decode_strict(key)?;
            let value_bytes = percent_decode_strict(value)?;
            Ok(QueryPair {
                key: String::from_utf8_lossy(&key_bytes).into_owned(),
                value: String::from_utf8_lossy(&value_bytes).into_owned(),
                key_bytes,
                value_bytes,
            })
        })
        .collect()
}

/// Percent-decoding that rejects broken escapes with AWS's MalformedQueryString texts
/// (AWS common-errors pages).
fn percent_decode_strict(text: &str) -> Result<Vec<u8>, AuthError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        let Some(pair) = bytes.get(i + 1..i + 3) else {
            return Err(AuthError::MalformedQueryString(
                "Incomplete trailing escape % sequence".to_string(),
            ));
        };
        match (hex_value(pair[0]), hex_value(pair[1])) {
            (Some(high), Some(low)) => out.push(high << 4 | low),
            _ => {
                return Err(AuthError::MalformedQueryString(format!(
                    "Illegal hex character in escape % pattern: %{}",
                    String::from_utf8_lossy(pair)
                )))
            }
        }
        i += 3;
    }
    Ok(out)
}

fn hex_value(digit: u8) -> Option<u8> {
    (digit as char).to_digit(16).map(|v| v as u8)
}

/// Lenient decoding for path segments: a `%` that starts no valid escape stays a literal `%`
/// (and is then encoded as `%25`).
fn percent_decode_lenient(text: &str) -> Vec<u8> {
    percent_encoding::percent_decode_str(text).collect()
}

fn encode(bytes: &[u8]) -> String {
    percent_encode(bytes, ENCODE).to_string()
}

/// Which query parameters a presigned request leaves out of its canonical query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PresignedToken {
    /// The session token was added before signing (botocore and most SDKs).
    Signed,
    /// The session token was appended after signing; some services require this form
    /// (IAM user guide, `create-signed-request.md`; the `post-sts-header-after` vector).
    AppendedAfterSigning,
}

pub(super) fn canonical_request(
    req: &SignedRequest,
    auth: &Authorization,
    token: PresignedToken,
) -> String {
    let mut out = String::with_capacity(512);
    out.push_str(req.method);
    out.push('\n');
    out.push_str(&canonical_path(req.path));
    out.push('\n');
    out.push_str(&canonical_query(
        req.query.unwrap_or_default(),
        auth.style,
        token,
    ));
    out.push('\n');
    for name in &auth.signed_headers {
        if let Some(value) = canonical_header_value(req.headers, name) {
            out.push_str(name);
            out.push(':');
            out.push_str(&value);
            out.push('\n');
        }
    }
    out.push('\n');
    out.push_str(&auth.signed_headers.join(";"));
    out.push('\n');
    // Non-S3 services always hash the body as received; a presigned GET hashes the empty body.
    out.push_str(&hex::encode(Sha256::digest(req.body)));
    out
}

/// Normalized (RFC 3986 dot-segment removal, empty segments dropped) and encoded once.
fn canonical_path(raw: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    let mut trailing_slash = false;
    for segment in raw.split('/') {
        trailing_slash = matches!(segment, "" | "." | "..");
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            _ => segments.push(segment),
        }
    }
    if segments.is_empty() {
        return "/".to_string();
    }
    let mut out = String::with_capacity(raw.len() + 8);
    for segment in segments {
        out.push('/');
        out.push_str(&encode(&percent_decode_lenient(segment)));
    }
    if trailing_slash {
        out.push('/');
    }
    out
}

/// Every parameter but a presigned request's own signature, encoded, sorted by key then value.
fn canonical_query(raw: &str, style: AuthStyle, token: PresignedToken) -> String {
    let Ok(pairs) = decode_query(raw) else {
        // `parse` has already rejected broken escapes; this request cannot verify anyway.
        return raw.to_string();
    };
    let mut encoded: Vec<(String, String)> = pairs
        .iter()
        .filter(|p| {
            let presigned = style == AuthStyle::Presigned;
            let left_out = p.key == QUERY_SIGNATURE
                || (token == PresignedToken::AppendedAfterSigning && p.key == QUERY_SECURITY_TOKEN);
            !(presigned && left_out)
        })
        .map(|p| (encode(&p.key_bytes), encode(&p.value_bytes)))
        .collect();
    encoded.sort();
    let mut out = String::with_capacity(raw.len() + 16);
    for (i, (key, value)) in encoded.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(key);
        out.push('=');
        out.push_str(value);
    }
    out
}

/// All values of a header in arrival order, each trimmed with whitespace runs collapsed to one
/// space, joined with `,`. `None` when the request lacks the header (it then adds no line, and
/// a client that signed it cannot match).
fn canonical_header_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    let name = HeaderName::from_bytes(name.to_ascii_lowercase().as_bytes()).ok()?;
    let mut values = headers.get_all(name).iter().peekable();
    values.peek()?;
    let mut out = String::new();
    for (i, value) in values.enumerate() {
        if i > 0 {
            out.push(',');
        }
        let text = String::from_utf8_lossy(value.as_bytes());
        let mut words = text.split([' ', '\t']).filter(|w| !w.is_empty());
        if let Some(first) = words.next() {
            out.push_str(first);
            for word in words {
                out.push(' ');
                out.push_str(word);
            }
        }
    }
    Some(out)
}
