//! Temporary credentials that verify themselves.
//!
//! A session token carries its claims (who, until when) and an HMAC over them made with a key
//! that only this server process knows. Verifying a token therefore needs no lookup table: the
//! cost of a request is the same after a million AssumeRole calls as after one. The secret
//! access key is itself an HMAC of the access key id, so nothing about a session is stored.
//!
//! A token from another server process (or altered in any byte) fails the HMAC and is answered
//! as AWS answers a token it cannot read: `InvalidClientTokenId`.
//!
//! Session policies travel in the token too: the ARNs of managed ones, and the inline JSON
//! with its SHA-256 digest. The parsed inline policy is kept in a bounded cache keyed by that
//! digest, so a request with a session policy parses nothing on a cache hit, and a token whose
//! entry was evicted is still good: its text is parsed once more. The same key also seals the
//! opaque messages of [`SessionSigner::seal`] (EC2's encoded authorization failures).

use crate::slots::SlotTable;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use rolecall_engine::policy::{NamedPolicy, Policy};
use rolecall_model::session::{InlineSessionPolicy, SessionClaims, SessionPrincipal};
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

mod claims_codec;
mod verified;
pub use verified::VerifiedSession;

type HmacSha256 = Hmac<Sha256>;
const MAC_LEN: usize = 32;

/// Parsed inline session policies by digest, at most `capacity` of them.
///
/// When full, an arbitrary entry makes room: an evicted policy costs one parse when its token
/// is next used, never a failure, because the token still carries the text.
pub struct PolicyCache {
    entries: RwLock<HashMap<String, Arc<NamedPolicy>>>,
    capacity: usize,
    parses: AtomicU64,
}

/// The name session policies go by in denial reasons and traces.
pub const SESSION_POLICY_NAME: &str = "session policy";

impl PolicyCache {
    pub fn new(capacity: usize) -> PolicyCache {
        PolicyCache {
            entries: RwLock::new(HashMap::new()),
            capacity: capacity.max(1),
            parses: AtomicU64::new(0),
        }
    }

    /// The parsed policy for `inline`, parsing it only if it is not cached.
    pub fn get(&self, inline: &InlineSessionPolicy) -> Result<Arc<NamedPolicy>, TokenError> {
        if let Some(p) = self
            .entries
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&inline.digest)
        {
            return Ok(p.clone());
        }
        self.parses.fetch_add(1, Ordering::Relaxed);
        // The text was validated when the session was issued; failing now means the token
        // was not made by this server.
        let policy = Policy::from_json(&inline.text).map_err(|_| TokenError::Invalid)?;
        let parsed = Arc::new(NamedPolicy::new(SESSION_POLICY_NAME, None, policy));
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= self.capacity && !entries.contains_key(&inline.digest) {
            if let Some(victim) = entries.keys().next().cloned() {
                entries.remove(&victim);
            }
        }
        entries.insert(inline.digest.clone(), parsed.clone());
        Ok(parsed)
    }

    /// How many times a policy text was parsed (a cache miss), for tests and benchmarks.
    pub fn parse_count(&self) -> u64 {
        self.parses.load(Ordering::Relaxed)
    }

    pub fn len(&self) -> usize {
        self.entries.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl std::fmt::Debug for PolicyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PolicyCache {{ {} of {} }}", self.len(), self.capacity)
    }
}

/// The credentials handed to a client.
#[derive(Debug, Clone)]
pub struct IssuedCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
}

/// Why a presented token is not acceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Not a token this server issued, altered, or presented with another access key id.
    Invalid,
}

/// How many parsed inline session policies are kept.
const POLICY_CACHE_CAPACITY: usize = 4096;

/// Issues and verifies session tokens with one process-wide key.
pub struct SessionSigner {
    /// HMAC-SHA256 with the process key already absorbed: HMAC hashes the padded key once
    /// for the inner and once for the outer hash before any message byte, so cloning this
    /// state instead of keying afresh saves two SHA-256 blocks on every token or secret.
    keyed: HmacSha256,
    policies: PolicyCache,
    verified: SlotTable<verified::Entry>,
}

impl std::fmt::Debug for SessionSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionSigner { .. }")
    }
}

impl SessionSigner {
    /// A signer with a fresh random key: tokens die with the process, as a restart should mean.
    pub fn random() -> SessionSigner {
        SessionSigner::with_key(rand::random())
    }

    /// A signer with a fixed key, for tests and benchmarks.
    pub fn with_key(key: [u8; 32]) -> SessionSigner {
        SessionSigner {
            keyed: HmacSha256::new_from_slice(&key).expect("HMAC takes keys of any length"),
            policies: PolicyCache::new(POLICY_CACHE_CAPACITY),
            verified: SlotTable::new(verified::VERIFIED_SLOTS),
        }
    }

    /// The parsed inline session policies.
    pub fn policy_cache(&self) -> &PolicyCache {
        &self.policies
    }

    fn mac(&self) -> HmacSha256 {
        self.keyed.clone()
    }

    /// The secret that belongs to a temporary access key id.
    pub fn secret_for(&self, access_key_id: &str) -> String {
        let mut mac = self.mac();
        mac.update(b"secret\0");
        mac.update(access_key_id.as_bytes());
        let mut secret = base64_of(&mac.finalize().into_bytes());
        secret.truncate(40);
        secret
    }

    /// Seals the claims into credentials.
    pub fn issue(&self, claims: &SessionClaims) -> IssuedCredentials {
        // Room for the usual claims and the tag, so the buffer is written without regrowing.
        let mut sealed = Vec::with_capacity(128 + MAC_LEN);
        claims_codec::encode(claims, &mut sealed);
        let mut mac = self.mac();
        mac.update(b"token\0");
        mac.update(&sealed);
        sealed.extend_from_slice(&mac.finalize().into_bytes());
        IssuedCredentials {
            access_key_id: claims.access_key_id.clone(),
            secret_access_key: self.secret_for(&claims.access_key_id),
            session_token: base64_of(&sealed),
        }
    }

    /// Opens a token presented with `access_key_id`.
    pub fn verify(&self, token: &str, access_key_id: &str) -> Result<SessionClaims, TokenError> {
        let sealed = STANDARD.decode(token).map_err(|_| TokenError::Invalid)?;
        if sealed.len() <= MAC_LEN {
            return Err(TokenError::Invalid);
        }
        let (payload, tag) = sealed.split_at(sealed.len() - MAC_LEN);
        let mut mac = self.mac();
        mac.update(b"token\0");
        mac.update(payload);
        mac.verify_slice(tag).map_err(|_| TokenError::Invalid)?;
        let claims = claims_codec::decode(payload).ok_or(TokenError::Invalid)?;
        if claims.access_key_id != access_key_id {
            return Err(TokenError::Invalid);
        }
        Ok(claims)
    }

    /// Encrypts and authenticates `plaintext` into an opaque URL-safe token that only this
    /// signer can [`open`](Self::open). `purpose` separates kinds of tokens, so one kind is
    /// never accepted as another.
    ///
    /// Construction: a random 16-byte nonce; a keystream of HMAC-SHA256 blocks over
    /// (purpose, nonce, counter) XORed with the plaintext; then HMAC-SHA256 over (purpose,
    /// nonce, ciphertext) as the tag (encrypt-then-MAC).
    pub fn seal(&self, purpose: &str, plaintext: &[u8]) -> String {
        let nonce: [u8; NONCE_LEN] = rand::random();
        let mut out = Vec::with_capacity(NONCE_LEN + plaintext.len() + MAC_LEN);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(plaintext);
        self.apply_keystream(purpose, &nonce, &mut out[NONCE_LEN..]);
        let tag = self.seal_tag(purpose, &out);
        out.extend_from_slice(&tag);
        URL_SAFE_NO_PAD.encode(out)
    }

    /// The plaintext of a token [`seal`](Self::seal) made for `purpose`; None for anything
    /// else (altered, truncated, another purpose or another server's).
    pub fn open(&self, purpose: &str, token: &str) -> Option<Vec<u8>> {
        let raw = URL_SAFE_NO_PAD.decode(token.trim()).ok()?;
        if raw.len() < NONCE_LEN + MAC_LEN {
            return None;
        }
        let (body, tag) = raw.split_at(raw.len() - MAC_LEN);
        let mut mac = self.mac();
        mac.update(b"seal\0");
        mac.update(purpose.as_bytes());
        mac.update(b"\0");
        mac.update(body);
        mac.verify_slice(tag).ok()?;
        let (nonce, ciphertext) = body.split_at(NONCE_LEN);
        let mut plain = ciphertext.to_vec();
        self.apply_keystream(purpose, nonce, &mut plain);
        Some(plain)
    }

    fn seal_tag(&self, purpose: &str, body: &[u8]) -> [u8; MAC_LEN] {
        let mut mac = self.mac();
        mac.update(b"seal\0");
        mac.update(purpose.as_bytes());
        mac.update(b"\0");
        mac.update(body);
        mac.finalize().into_bytes().into()
    }

    fn apply_keystream(&self, purpose: &str, nonce: &[u8], data: &mut [u8]) {
        for (counter, chunk) in data.chunks_mut(MAC_LEN).enumerate() {
            let mut mac = self.mac();
            mac.update(b"stream\0");
            mac.update(purpose.as_bytes());
            mac.update(b"\0");
            mac.update(nonce);
            mac.update(&(counter as u64).to_be_bytes());
            let block = mac.finalize().into_bytes();
            for (byte, k) in chunk.iter_mut().zip(block.iter()) {
                *byte ^= k;
            }
        }
    }
}

const NONCE_LEN: usize = 16;

/// Standard base64 of a token or secret. Either fits a buffer on the stack, which the engine
/// fills in one call; `Engine::encode` zeroes a heap buffer of its own first, and
/// `encode_string` goes through a chunked writer, both several times the cost for so few bytes.
fn base64_of(bytes: &[u8]) -> String {
    let mut buf = [0u8; 512];
    match STANDARD.encode_slice(bytes, &mut buf) {
        // Base64 is ASCII, so the check cannot fail; it is cheap next to the encoding.
        Ok(n) => std::str::from_utf8(&buf[..n])
            .unwrap_or_default()
            .to_string(),
        Err(_) => STANDARD.encode(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A role session's claims with nothing optional (the codec's tests use it too).
    pub(super) fn claims() -> SessionClaims {
        SessionClaims::new(
            "ASIAEXAMPLEEXAMPLE01".into(),
            "333333333333".into(),
            SessionPrincipal::Role {
                role: "OrganizationAccountAccessRole".into(),
                session: "discovery".into(),
            },
            1_700_000_000,
            1_700_003_600,
        )
    }

    #[test]
    fn tags_policies_and_mfa_survive_the_round_trip() {
        let signer = SessionSigner::with_key([7; 32]);
        let mut c = claims();
        c.tags = vec![("Project".into(), "blue".into())];
        c.transitive_tag_keys = vec!["Project".into()];
        c.mfa_authenticated_at = Some(1_700_000_000);
        c.session_policy = Some(InlineSessionPolicy::new(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]}"#,
        ));
        c.policy_arns = vec!["arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess".into()];
        let creds = signer.issue(&c);
        assert_eq!(
            signer.verify(&creds.session_token, &creds.access_key_id),
            Ok(c)
        );
    }

    #[test]
    fn the_policy_cache_parses_each_text_once_and_stays_bounded() {
        let cache = PolicyCache::new(2);
        let text = |n: u32| {
            format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"S{n}","Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}}]}}"#
            )
        };
        let a = InlineSessionPolicy::new(&text(1));
        let first = cache.get(&a).unwrap();
        let again = cache.get(&a).unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!(cache.parse_count(), 1);
        for n in 2..10 {
            cache.get(&InlineSessionPolicy::new(&text(n))).unwrap();
        }
        assert_eq!(cache.len(), 2);
        let bad = InlineSessionPolicy {
            digest: "x".into(),
            text: "{".into(),
        };
        assert_eq!(cache.get(&bad), Err(TokenError::Invalid));
    }

    #[test]
    fn sealed_messages_open_only_with_the_same_key_and_purpose() {
        let signer = SessionSigner::with_key([7; 32]);
        let long = vec![b'x'; 1000];
        let token = signer.seal("authz", &long);
        assert!(token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(signer.open("authz", &token), Some(long));
        assert_eq!(signer.open("other", &token), None);
        assert_eq!(SessionSigner::with_key([8; 32]).open("authz", &token), None);
        let mut altered = token.clone().into_bytes();
        altered[30] = if altered[30] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            signer.open("authz", &String::from_utf8(altered).unwrap()),
            None
        );
        assert_eq!(signer.open("authz", "short"), None);
    }

    #[test]
    fn a_token_too_long_for_the_stack_buffer_still_verifies() {
        let signer = SessionSigner::with_key([7; 32]);
        let mut c = claims();
        c.tags = (0..40)
            .map(|i| (format!("Key{i}"), "v".repeat(30)))
            .collect();
        let creds = signer.issue(&c);
        assert!(creds.session_token.len() > 512);
        assert_eq!(
            signer.verify(&creds.session_token, &creds.access_key_id),
            Ok(c)
        );
        assert_eq!(creds.secret_access_key.len(), 40);
    }

    #[test]
    fn an_issued_token_verifies_and_yields_its_claims() {
        let signer = SessionSigner::with_key([7; 32]);
        let creds = signer.issue(&claims());
        assert_eq!(creds.secret_access_key.len(), 40);
        let back = signer
            .verify(&creds.session_token, &creds.access_key_id)
            .unwrap();
        assert_eq!(back, claims());
    }

    #[test]
    fn any_altered_byte_or_foreign_key_is_invalid() {
        let signer = SessionSigner::with_key([7; 32]);
        let creds = signer.issue(&claims());
        let mut bytes = creds.session_token.clone().into_bytes();
        let mid = bytes.len() / 2;
        bytes[mid] = if bytes[mid] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(bytes).unwrap();
        assert_eq!(
            signer.verify(&altered, &creds.access_key_id),
            Err(TokenError::Invalid)
        );
        assert_eq!(
            signer.verify(&creds.session_token, "ASIAOTHEROTHEROTHER1"),
            Err(TokenError::Invalid)
        );
        let other = SessionSigner::with_key([8; 32]);
        assert_eq!(
            other.verify(&creds.session_token, &creds.access_key_id),
            Err(TokenError::Invalid)
        );
        assert_eq!(signer.verify("not base64 !", "x"), Err(TokenError::Invalid));
    }
}
