//! AWS Signature Version 4 verification, in the order AWS checks.
//!
//! AWS answers a request with several defects with the error of the earliest failing check. The
//! empirical order (scratchstack's "AWS Auth Error Ordering" flowchart, confirmed by the
//! DynamoDB notes in mhart/dynalite) is:
//!
//! 1. [`parse`]: authorization present, algorithm, parameters, date format, credential shape;
//! 2. [`check_scope_and_time`]: clock skew, then the credential scope;
//! 3. the session token and the access key (the caller's job: they live in the world);
//! 4. [`verify`]: recompute the signature and compare.
//!
//! The header map must hold a `host` header (HTTP/2 callers copy `:authority` into it).

mod canonical;
mod key_cache;
mod parse;
mod signing_key;
mod timestamp;

use crate::constant_time;
use canonical::PresignedToken;

use sha2::{Digest, Sha256};
use std::borrow::Cow;

pub use super::errors::AuthError;
pub use key_cache::SigningKeyCache;
pub use signing_key::SigningKey;
pub use timestamp::{format_basic, ALLOWED_SKEW};

/// The only algorithm this verifier (and STS/EC2) accepts.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The fixed last element of every credential scope.
pub const TERMINATOR: &str = "aws4_request";

/// The parts of an HTTP request that SigV4 covers, as they came off the wire.
#[derive(Debug, Clone, Copy)]
pub struct SignedRequest<'a> {
    pub method: &'a str,
    /// Raw, percent-encoded as sent.
    pub path: &'a str,
    /// Raw query string without '?'.
    pub query: Option<&'a str>,
    pub headers: &'a http::HeaderMap,
    pub body: &'a [u8],
}

/// Where the signature travelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthStyle {
    /// `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
    Header,
    /// `X-Amz-Algorithm`, `X-Amz-Credential`, … in the query string (a presigned URL).
    Presigned,
}

/// What the Authorization header (or the X-Amz-* query parameters) say.
///
/// The texts borrow from the request's headers where they can (every header-signed request
/// whose headers are UTF-8), so taking a request apart copies none of them; a presigned
/// request's, percent-decoded from the query string, are owned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization<'a> {
    pub style: AuthStyle,
    pub access_key_id: Cow<'a, str>,
    /// `YYYYMMDD` as written in the credential scope (not yet checked against the timestamp).
    pub scope_date: Cow<'a, str>,
    pub region: Cow<'a, str>,
    pub service: Cow<'a, str>,
    pub terminator: Cow<'a, str>,
    /// The `SignedHeaders` list as sent: names joined by `;`, in the client's order (SigV4
    /// asks for lowercase). The canonical request carries it exactly so, so it is kept whole
    /// and split only where each name is needed ([`Authorization::signed_header_names`]).
    pub signed_headers: Cow<'a, str>,
    pub signature: Cow<'a, str>,
    pub timestamp: time::OffsetDateTime,
    /// The timestamp exactly as sent (`YYYYMMDDTHHMMSSZ`); it goes into the string to sign.
    pub timestamp_raw: Cow<'a, str>,
    /// `X-Amz-Expires` of a presigned request.
    pub expires_secs: Option<u64>,
    /// `X-Amz-Security-Token` (header or query), signed or not.
    pub security_token: Option<Cow<'a, str>>,
}

impl Authorization<'_> {
    /// The same authorization, owning its texts.
    pub fn into_owned(self) -> Authorization<'static> {
        let own = |text: Cow<'_, str>| Cow::Owned(text.into_owned());
        Authorization {
            style: self.style,
            access_key_id: own(self.access_key_id),
            scope_date: own(self.scope_date),
            region: own(self.region),
            service: own(self.service),
            terminator: own(self.terminator),
            signed_headers: own(self.signed_headers),
            signature: own(self.signature),
            timestamp: self.timestamp,
            timestamp_raw: own(self.timestamp_raw),
            expires_secs: self.expires_secs,
            security_token: self.security_token.map(own),
        }
    }

    /// The names in `SignedHeaders`, in the client's order.
    pub fn signed_header_names(&self) -> impl Iterator<Item = &str> {
        rolecall_engine::ascii_split::split(&self.signed_headers, b';')
    }

    /// `YYYYMMDD/region/service/aws4_request`, as the client wrote it.
    pub fn credential_scope(&self) -> String {
        format!(
            "{}/{}/{}/{}",
            self.scope_date, self.region, self.service, self.terminator
        )
    }
}

/// Step 1: find and parse the authorization.
///
/// Errors, in AWS's order: MissingAuthenticationToken (no auth at all), SignatureDoesNotMatch
/// with no message (header and query auth both present), IncompleteSignature (bad algorithm,
/// a parameter without `=`, missing parameters, bad date format, credential not 5 elements),
/// SignatureDoesNotMatch when `host` is not signed.
pub fn parse<'r>(req: &SignedRequest<'r>) -> Result<Authorization<'r>, AuthError> {
    parse::parse(req)
}

/// Step 2: clock and credential scope. `expected_service` `None` = don't check the service.
///
/// The region must be one of the `aws` partition's; use [`check_scope_and_time_in_region`] when
/// the endpoint has a fixed region.
pub fn check_scope_and_time(
    auth: &Authorization,
    now: time::OffsetDateTime,
    expected_service: Option<&str>,
) -> Result<(), AuthError> {
    check_scope_and_time_in_region(auth, now, expected_service, None)
}

/// Step 2 with an expected region as well (`None` = any region of the `aws` partition).
///
/// Skew comes first: "Signature expired" / "Signature not yet current" (observed on STS). Then
/// every scope defect, region, service, terminator, date, each sentence joined by a space into
/// one message, the way DynamoDB was observed to report them (mhart/dynalite's notes).
///
/// A presigned request gets the same ±15 minute window and no more: STS does not honour a
/// longer `X-Amz-Expires` (aws/aws-sdk-go#2167, "the requests lives only for the default 15
/// minutes"), so `expires_secs` is not consulted.
pub fn check_scope_and_time_in_region(
    auth: &Authorization,
    now: time::OffsetDateTime,
    expected_service: Option<&str>,
    expected_region: Option<&str>,
) -> Result<(), AuthError> {
    timestamp::check_skew(auth.timestamp, now)?;

    let mut problems: Vec<String> = Vec::new();
    let region_ok = match expected_region {
        Some(expected) => auth.region == expected,
        None => is_valid_region(&auth.region),
    };
    if !region_ok {
        problems.push(format!(
            "Credential should be scoped to a valid region, not '{}'.",
            auth.region
        ));
    }
    if let Some(expected) = expected_service {
        if auth.service != expected {
            problems.push(format!(
                "Credential should be scoped to correct service: '{expected}'."
            ));
        }
    }
    if auth.terminator != TERMINATOR {
        problems.push(format!(
            "Credential should be scoped with a valid terminator: '{TERMINATOR}', not '{}'.",
            auth.terminator
        ));
    }
    let timestamp_date = auth.timestamp_raw.get(..8).unwrap_or_default();
    if auth.scope_date != timestamp_date {
        problems.push(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}', from '{}'.",
            auth.scope_date, timestamp_date, auth.timestamp_raw
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(AuthError::SignatureDoesNotMatch(problems.join(" ")))
    }
}

/// A region of the `aws` partition, as its endpoints name it (lowercase, IAM user guide
/// `create-signed-request.md`). Any other scope (`xx-fake-9`, `aws-global`, another partition's
/// region) is what AWS refuses with "Credential should be scoped to a valid region" (observed
/// for `aws-global` on STS, aws/aws-sdk-java-v2#988, and GovCloud regions on commercial
/// endpoints); EC2 folds it into its 401 AuthFailure.
fn is_valid_region(region: &str) -> bool {
    rolecall_model::regions::is_known(region)
}

/// Step 4 (step 3, looking up the key and session token, is the caller's job): recompute the
/// signature with `secret_access_key` and compare in constant time.
pub fn verify(
    req: &SignedRequest,
    auth: &Authorization,
    secret_access_key: &str,
) -> Result<(), AuthError> {
    check_derivable(auth)?;
    let key = SigningKey::derive(secret_access_key, auth);
    check_signature(req, auth, &key)
}

/// [`verify`], with the signing key taken from `cache` when it holds one for this access key,
/// secret and scope. A derived key enters the cache only once it has verified a signature, so
/// only a caller that knows the secret can fill it.
pub fn verify_cached(
    req: &SignedRequest,
    auth: &Authorization,
    secret_access_key: &str,
    cache: &SigningKeyCache,
) -> Result<(), AuthError> {
    check_derivable(auth)?;
    if let Some(key) = cache.get(&auth.access_key_id, secret_access_key, auth) {
        return check_signature(req, auth, &key);
    }
    let key = SigningKey::derive(secret_access_key, auth);
    check_signature(req, auth, &key)?;
    cache.insert(&auth.access_key_id, secret_access_key, auth, key);
    Ok(())
}

fn mismatch() -> AuthError {
    AuthError::SignatureDoesNotMatch(super::errors::SIGNATURE_MISMATCH_MESSAGE.to_string())
}

/// The signing key is derived from the scope as written; a scope that cannot be a key
/// derivation input (bad date, wrong terminator) cannot have produced a valid signature.
fn check_derivable(auth: &Authorization) -> Result<(), AuthError> {
    if auth.terminator != TERMINATOR || !timestamp::is_scope_date(&auth.scope_date) {
        return Err(mismatch());
    }
    Ok(())
}

/// Compares the signature with the one `key` makes over every candidate canonical request.
/// Each candidate is hashed as it is written; the string to sign goes straight into the HMAC.
fn check_signature(
    req: &SignedRequest,
    auth: &Authorization,
    key: &SigningKey,
) -> Result<(), AuthError> {
    let mut matched = false;
    for token in candidates(auth) {
        let hashed = canonical::hash_canonical_request(req, auth, token);
        let (mut hashed_hex, mut signature_hex) = ([0u8; 64], [0u8; 64]);
        let hashed_hex = canonical::hex_lower(&hashed, &mut hashed_hex);
        let expected = key.sign_hex(auth, hashed_hex, &mut signature_hex);
        // Hex digits are compared as sent: AWS signatures are lowercase hex.
        matched |= constant_time::equal(expected, auth.signature.as_bytes());
    }
    if matched {
        Ok(())
    } else {
        Err(mismatch())
    }
}

/// Which canonical requests a signature may cover, the standard one first (see
/// [`candidate_canonical_requests`]).
fn candidates(auth: &Authorization) -> impl Iterator<Item = PresignedToken> {
    let appended = auth.style == AuthStyle::Presigned && auth.security_token.is_some();
    std::iter::once(PresignedToken::Signed)
        .chain(appended.then_some(PresignedToken::AppendedAfterSigning))
}

/// The canonical request this verifier hashes, exposed for tests and explanations. As text:
/// a header value's bytes that are not UTF-8 (HTTP's obs-text) show as U+FFFD here, while the
/// hash takes them as sent, as a signer over the raw bytes does.
pub fn canonical_request(req: &SignedRequest, auth: &Authorization) -> String {
    canonical::canonical_request(req, auth, PresignedToken::Signed)
}

/// Every canonical request [`verify`] accepts a signature over, the standard one first.
///
/// A presigned request carrying `X-Amz-Security-Token` may have signed it or appended it after
/// signing: AWS documents both ("Some services require that you add X-Amz-Security-Token to the
/// canonical request. Other services require only that you add X-Amz-Security-Token at the
/// end", IAM user guide `create-signed-request.md`), and which one STS and EC2 use is not
/// documented, so both are accepted. For the header style an unsigned token header simply
/// stays out of the canonical request.
pub fn candidate_canonical_requests(req: &SignedRequest, auth: &Authorization) -> Vec<String> {
    candidates(auth)
        .map(|token| canonical::canonical_request(req, auth, token))
        .collect()
}

/// `AWS4-HMAC-SHA256\n<timestamp>\n<scope>\n<hex sha256(canonical request)>`, no trailing newline.
pub fn string_to_sign(auth: &Authorization, canonical_request: &str) -> String {
    let mut hex = [0u8; 64];
    let hashed = canonical::hex_lower(
        &Sha256::digest(canonical_request.as_bytes()).into(),
        &mut hex,
    );
    string_to_sign_pieces(auth, hashed).concat()
}

/// The string to sign in pieces, as [`string_to_sign`] joins them and the signature HMAC
/// reads them (one definition, so the two cannot drift apart).
fn string_to_sign_pieces<'a>(auth: &'a Authorization, hashed_hex: &'a str) -> [&'a str; 13] {
    [
        ALGORITHM,
        "\n",
        &auth.timestamp_raw,
        "\n",
        &auth.scope_date,
        "/",
        &auth.region,
        "/",
        &auth.service,
        "/",
        &auth.terminator,
        "\n",
        hashed_hex,
    ]
}
