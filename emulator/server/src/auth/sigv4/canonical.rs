//! The canonical request: method, path, query, headers, signed-header list, payload hash.
//!
//! Rules from the IAM user guide (`create-signed-request.md`) and the SigV4 test suites:
//! the path is normalized (dot segments removed, `//` collapsed) and URI-encoded once, query
//! parameters are encoded per RFC 3986 and sorted by key then value, header values are trimmed
//! with inner whitespace runs collapsed and repeated headers joined with `,`.

use std::borrow::Cow;

use rolecall_engine::ascii_split;

use percent_encoding::{percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::{Digest, Sha256};

use super::parse::{QUERY_SECURITY_TOKEN, QUERY_SIGNATURE, X_AMZ_DATE, X_AMZ_SECURITY_TOKEN};
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
    ascii_split::split(raw, b'&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (key, value) = ascii_split::split_once(piece, b'=').unwrap_or((piece, ""));
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
    char::from(digit)
        .to_digit(16)
        .and_then(|v| u8::try_from(v).ok())
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

/// Where a canonical request is written: a `String` (tests and explanations read it) or the
/// SHA-256 the string to sign needs, so verification hashes the pieces as they are produced
/// and never assembles the whole request in memory.
pub(super) trait Sink {
    fn put(&mut self, text: &str);

    /// Bytes of a header value as the client sent them: the hash takes them as they are, as
    /// the client's signer did; a `String` shows invalid UTF-8 as U+FFFD.
    fn put_bytes(&mut self, bytes: &[u8]);
}

impl Sink for String {
    fn put(&mut self, text: &str) {
        self.push_str(text);
    }

    fn put_bytes(&mut self, bytes: &[u8]) {
        self.push_str(&String::from_utf8_lossy(bytes));
    }
}

impl Sink for Sha256 {
    fn put(&mut self, text: &str) {
        self.update(text.as_bytes());
    }

    fn put_bytes(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

pub(super) fn canonical_request(
    req: &SignedRequest,
    auth: &Authorization,
    token: PresignedToken,
) -> String {
    let mut out = String::with_capacity(512);
    write_canonical_request(&mut out, req, auth, token);
    out
}

/// The SHA-256 of the canonical request, as the string to sign carries it.
pub(super) fn hash_canonical_request(
    req: &SignedRequest,
    auth: &Authorization,
    token: PresignedToken,
) -> [u8; 32] {
    let mut hasher = Sha256::new();
    write_canonical_request(&mut hasher, req, auth, token);
    hasher.finalize().into()
}

fn write_canonical_request(
    out: &mut impl Sink,
    req: &SignedRequest,
    auth: &Authorization,
    token: PresignedToken,
) {
    out.put(req.method);
    out.put("\n");
    out.put(&canonical_path(req.path));
    out.put("\n");
    let query = req.query.unwrap_or_default();
    // Query APIs sign a POST with no query string: nothing to decode or sort.
    if !query.is_empty() {
        out.put(&canonical_query(query, auth.style, token));
    }
    out.put("\n");
    for name in auth.signed_header_names() {
        write_header_line(out, req.headers, name);
    }
    out.put("\n");
    // The names joined by `;`: the list exactly as sent.
    out.put(&auth.signed_headers);
    out.put("\n");
    // Non-S3 services always hash the body as received; a presigned GET hashes the empty body.
    let mut hex = [0u8; 64];
    out.put(hex_lower(&Sha256::digest(req.body).into(), &mut hex));
}

/// Lowercase hex of a SHA-256, written into `buf` without allocating.
pub(super) fn hex_lower<'b>(digest: &[u8; 32], buf: &'b mut [u8; 64]) -> &'b str {
    // Cannot fail: the buffer is exactly twice the digest, and hex digits are ASCII.
    let _ = hex::encode_to_slice(digest, buf);
    std::str::from_utf8(buf).unwrap_or_default()
}

/// Normalized (RFC 3986 dot-segment removal, empty segments dropped) and encoded once.
fn canonical_path(raw: &str) -> Cow<'_, str> {
    // The query APIs' path: nothing to normalize or encode.
    if raw == "/" {
        return Cow::Borrowed(raw);
    }
    let mut segments: Vec<&str> = Vec::new();
    let mut trailing_slash = false;
    for segment in ascii_split::split(raw, b'/') {
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
        return Cow::Borrowed("/");
    }
    let mut out = String::with_capacity(raw.len() + 8);
    for segment in segments {
        out.push('/');
        out.push_str(&encode(&percent_decode_lenient(segment)));
    }
    if trailing_slash {
        out.push('/');
    }
    Cow::Owned(out)
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

/// The parsed name of a header that most signed requests list, so that looking it up skips
/// checking and lower-casing the name's text; other names are looked up by their text.
fn known_header(name: &str) -> Option<&'static http::HeaderName> {
    use http::header::{CONTENT_LENGTH, CONTENT_TYPE, HOST};
    match name {
        "host" => Some(&HOST),
        "x-amz-date" => Some(&X_AMZ_DATE),
        "x-amz-security-token" => Some(&X_AMZ_SECURITY_TOKEN),
        "content-type" => Some(&CONTENT_TYPE),
        "content-length" => Some(&CONTENT_LENGTH),
        _ => None,
    }
}

/// `name:value\n` for a signed header: all its values in arrival order, each trimmed with
/// whitespace runs collapsed to one space, joined with `,`. A header the request lacks adds no
/// line (a client that signed it cannot match). The name is looked up case-insensitively
/// without allocating, and written as listed in `SignedHeaders`.
fn write_header_line(out: &mut impl Sink, headers: &http::HeaderMap, name: &str) {
    let values = match known_header(name) {
        Some(known) => headers.get_all(known),
        None => headers.get_all(name),
    };
    let mut values = values.iter().peekable();
    if values.peek().is_none() {
        return;
    }
    out.put(name);
    out.put(":");
    for (i, value) in values.enumerate() {
        if i > 0 {
            out.put(",");
        }
        let bytes = value.as_bytes();
        // Most values (dates, hashes, session tokens of a kilobyte) hold no blank at all, and
        // go out whole without the word-by-word walk; memchr looks for one many bytes at a time.
        if memchr::memchr2(b' ', b'\t', bytes).is_none() {
            out.put_bytes(bytes);
            continue;
        }
        let mut words = bytes
            .split(|&b| b == b' ' || b == b'\t')
            .filter(|w| !w.is_empty());
        if let Some(first) = words.next() {
            out.put_bytes(first);
            for word in words {
                out.put(" ");
                out.put_bytes(word);
            }
        }
    }
    out.put("\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::sigv4::signing_key::test_authorization;

    /// A header value that is not UTF-8 (obs-text, which HTTP allows) is hashed as the bytes
    /// the client signed; the canonical request shown as text marks them with U+FFFD.
    #[test]
    fn a_header_value_is_hashed_as_its_bytes() {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            "host",
            http::HeaderValue::from_static("example.amazonaws.com"),
        );
        headers.insert(
            "x-amz-meta",
            http::HeaderValue::from_bytes(b"caf\xe9   au  lait").unwrap(),
        );
        let req = SignedRequest {
            method: "GET",
            path: "/",
            query: None,
            headers: &headers,
            body: b"",
        };
        let mut auth = test_authorization("20150830", "us-east-1", "iam");
        auth.signed_headers = "host;x-amz-meta".into();
        let shown = canonical_request(&req, &auth, PresignedToken::Signed);
        assert!(
            shown.contains("x-amz-meta:caf\u{FFFD} au lait\n"),
            "{shown}"
        );
        let mut raw =
            b"GET\n/\n\nhost:example.amazonaws.com\nx-amz-meta:caf\xe9 au lait\n\n".to_vec();
        raw.extend_from_slice(b"host;x-amz-meta\n");
        raw.extend_from_slice(hex::encode(Sha256::digest(b"")).as_bytes());
        let expected: [u8; 32] = Sha256::digest(&raw).into();
        assert_eq!(
            hash_canonical_request(&req, &auth, PresignedToken::Signed),
            expected
        );
    }
}
