//! Raw HTTP request files (test vectors, client captures) turned into `SignedRequest`s.
//!
//! Shared by the sigv4 test files through `#[path]`; on its own it holds no tests.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use http::{HeaderMap, HeaderName, HeaderValue};
use rolecall_server::auth::errors::AuthError;
use rolecall_server::auth::sigv4::{self, Authorization, SignedRequest};

/// A request as read from a file: method, raw target, headers in order, body.
#[derive(Debug, Clone)]
pub(crate) struct WireRequest {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

pub(crate) fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

impl WireRequest {
    /// Parses `METHOD target HTTP/1.1`, header lines (LF or CRLF, obs-fold continuation lines
    /// unfolded into the previous value), a blank line, and the body. The target may contain a
    /// raw space (`normalize-path/get-space`), so the version is taken from the right.
    pub(crate) fn parse(raw: &[u8]) -> WireRequest {
        let text_end = find(raw, b"\r\n\r\n")
            .map(|i| (i, i + 4))
            .or_else(|| find(raw, b"\n\n").map(|i| (i, i + 2)))
            .unwrap_or((raw.len(), raw.len()));
        let head = String::from_utf8(raw[..text_end.0].to_vec()).expect("request head is UTF-8");
        let mut body = raw[text_end.1..].to_vec();
        let mut lines = head.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
        let request_line = lines.next().expect("request line");
        let (method, rest) = request_line.split_once(' ').expect("method");
        let (target, _version) = rest.rsplit_once(' ').expect("version");
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_string(), Some(q.to_string())),
            None => (target.to_string(), None),
        };

        let mut fields: Vec<(String, String)> = Vec::new();
        for line in lines {
            if line.starts_with([' ', '\t']) {
                let last = fields.last_mut().expect("continuation after a header");
                last.1.push(' ');
                last.1.push_str(line.trim());
            } else if let Some((name, value)) = line.split_once(':') {
                fields.push((name.to_string(), value.trim().to_string()));
            }
        }
        let mut headers = HeaderMap::new();
        for (name, value) in fields {
            headers.append(
                HeaderName::from_bytes(name.as_bytes()).expect("header name"),
                HeaderValue::from_bytes(value.as_bytes()).expect("header value"),
            );
        }
        if let Some(length) = headers.get("content-length") {
            let length: usize = length.to_str().unwrap().parse().unwrap();
            body.truncate(length);
        }
        WireRequest {
            method: method.to_string(),
            path,
            query,
            headers,
            body,
        }
    }

    pub(crate) fn read(path: &Path) -> WireRequest {
        WireRequest::parse(&std::fs::read(path).unwrap_or_else(|e| panic!("{path:?}: {e}")))
    }

    pub(crate) fn signed(&self) -> SignedRequest<'_> {
        SignedRequest {
            method: &self.method,
            path: &self.path,
            query: self.query.as_deref(),
            headers: &self.headers,
            body: &self.body,
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The caller's step 3 in miniature: access key → (secret, session token).
pub(crate) struct Keys(pub HashMap<String, (String, Option<String>)>);

impl Keys {
    pub(crate) fn new(entries: &[(&str, &str, Option<&str>)]) -> Keys {
        Keys(
            entries
                .iter()
                .map(|(k, s, t)| (k.to_string(), (s.to_string(), t.map(str::to_string))))
                .collect(),
        )
    }
}

/// The whole pipeline in AWS's order: parse, skew and scope, token, key, signature. The
/// `tamper` hook changes the parsed authorization the way a forged request would.
pub(crate) fn authenticate(
    wire: &WireRequest,
    now: time::OffsetDateTime,
    service: Option<&str>,
    keys: &Keys,
    tamper: impl FnOnce(&mut Authorization),
) -> Result<Authorization<'static>, AuthError> {
    let req = wire.signed();
    let mut auth = sigv4::parse(&req)?;
    tamper(&mut auth);
    sigv4::check_scope_and_time(&auth, now, service)?;
    let (secret, token) = keys
        .0
        .get(&*auth.access_key_id)
        .ok_or(AuthError::UnknownAccessKey)?;
    if auth.security_token.is_some() && auth.security_token.as_deref() != token.as_deref() {
        return Err(AuthError::InvalidSessionToken);
    }
    sigv4::verify(&req, &auth, secret)?;
    Ok(auth.into_owned())
}

/// Replaces the last ASCII alphanumeric byte of `text` with another one, or appends `x`.
pub(crate) fn alter_one_byte(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    match bytes.iter().rposition(u8::is_ascii_alphanumeric) {
        Some(i) => bytes[i] = if bytes[i] == b'Q' { b'R' } else { b'Q' },
        None => bytes.push(b'x'),
    }
    String::from_utf8(bytes).unwrap()
}

pub(crate) fn mismatch() -> AuthError {
    AuthError::SignatureDoesNotMatch(
        rolecall_server::auth::errors::SIGNATURE_MISMATCH_MESSAGE.to_string(),
    )
}
