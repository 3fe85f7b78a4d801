//! Temporary credentials that verify themselves.
//!
//! A session token carries its claims (who, until when) and an HMAC over them made with a key
//! that only this server process knows. Verifying a token therefore needs no lookup table: the
//! cost of a request is the same after a million AssumeRole calls as after one. The secret
//! access key is itself an HMAC of the access key id, so nothing about a session is stored.
//!
//! A token from another server process (or altered in any byte) fails the HMAC and is answered
//! as AWS answers a token it cannot read: `InvalidClientTokenId`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;
const MAC_LEN: usize = 32;

/// What a session token asserts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionClaims {
    /// The `ASIA…` key id the token belongs to; a token presented with another key is invalid.
    #[serde(rename = "k")]
    pub access_key_id: String,
    /// The account of the principal.
    #[serde(rename = "a")]
    pub account: String,
    #[serde(rename = "p")]
    pub principal: SessionPrincipal,
    /// Issue and expiry, in Unix seconds of the emulator's clock.
    #[serde(rename = "i")]
    pub issued: i64,
    #[serde(rename = "e")]
    pub expires: i64,
    /// True when a role session assumed this one (role chaining).
    #[serde(rename = "c", default, skip_serializing_if = "std::ops::Not::not")]
    pub chained: bool,
    #[serde(rename = "s", default, skip_serializing_if = "Option::is_none")]
    pub source_identity: Option<String>,
}

/// Whose session it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionPrincipal {
    /// A role session from AssumeRole.
    #[serde(rename = "r")]
    Role { role: String, session: String },
    /// A user's session from GetSessionToken: it acts as the user.
    #[serde(rename = "u")]
    User { user: String },
    /// The root user's session from GetSessionToken.
    #[serde(rename = "root")]
    Root,
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

/// Issues and verifies session tokens with one process-wide key.
pub struct SessionSigner {
    key: [u8; 32],
}

impl std::fmt::Debug for SessionSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionSigner { .. }")
    }
}

impl SessionSigner {
    /// A signer with a fresh random key: tokens die with the process, as a restart should mean.
    pub fn random() -> SessionSigner {
        SessionSigner {
            key: rand::random(),
        }
    }

    /// A signer with a fixed key, for tests and benchmarks.
    pub fn with_key(key: [u8; 32]) -> SessionSigner {
        SessionSigner { key }
    }

    fn mac(&self) -> HmacSha256 {
        HmacSha256::new_from_slice(&self.key).expect("HMAC takes keys of any length")
    }

    /// The secret that belongs to a temporary access key id.
    pub fn secret_for(&self, access_key_id: &str) -> String {
        let mut mac = self.mac();
        mac.update(b"secret\0");
        mac.update(access_key_id.as_bytes());
        let mut secret = STANDARD.encode(mac.finalize().into_bytes());
        secret.truncate(40);
        secret
    }

    /// Seals the claims into credentials.
    pub fn issue(&self, claims: &SessionClaims) -> IssuedCredentials {
        let payload = serde_json::to_vec(claims).expect("claims serialize");
        let mut mac = self.mac();
        mac.update(b"token\0");
        mac.update(&payload);
        let mut sealed = payload;
        sealed.extend_from_slice(&mac.finalize().into_bytes());
        IssuedCredentials {
            access_key_id: claims.access_key_id.clone(),
            secret_access_key: self.secret_for(&claims.access_key_id),
            session_token: STANDARD.encode(sealed),
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
        let claims: SessionClaims =
            serde_json::from_slice(payload).map_err(|_| TokenError::Invalid)?;
        if claims.access_key_id != access_key_id {
            return Err(TokenError::Invalid);
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> SessionClaims {
        SessionClaims {
            access_key_id: "ASIAEXAMPLEEXAMPLE01".into(),
            account: "333333333333".into(),
            principal: SessionPrincipal::Role {
                role: "OrganizationAccountAccessRole".into(),
                session: "discovery".into(),
            },
            issued: 1_700_000_000,
            expires: 1_700_003_600,
            chained: false,
            source_identity: None,
        }
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
