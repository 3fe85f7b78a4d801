//! Tokens that have verified, kept so a session's later requests skip opening them again.
//!
//! A discovery client signs every EC2 call of a member account with the same session token.
//! Opening it (base64, HMAC over the claims, decoding them, and a second HMAC for the secret)
//! costs more than the rest of a small request's authentication; comparing it with the token
//! that verified last time under the same access key id costs one pass over its bytes.
//!
//! What a token yields depends only on its bytes, the access key id and this process's key,
//! never on the scenario, so entries stay right across reloads; the caller still checks expiry
//! against the clock and looks the principal up in the current world on every request. A
//! lookup must present the whole token, compared in constant time, so a client that knows an
//! access key id learns nothing about its token from how fast a wrong one is refused.

use super::{SessionClaims, SessionSigner, TokenError};
use crate::constant_time;
use std::sync::Arc;

/// How many verified tokens are kept: a discovery run's sessions across a large organization;
/// a session that lost its slot is simply opened again.
pub(crate) const VERIFIED_SLOTS: usize = 2048;

/// An opened token: what it claims and the secret its access key id signs with.
#[derive(Debug)]
pub struct VerifiedSession {
    pub claims: Arc<SessionClaims>,
    pub secret: String,
}

pub(super) struct Entry {
    token: Box<[u8]>,
    session: Arc<VerifiedSession>,
}

impl SessionSigner {
    /// Opens a token presented with `access_key_id`, from the verified tokens when it verified
    /// before, and keeps it there when it verifies now.
    pub fn open_session(
        &self,
        token: &str,
        access_key_id: &str,
    ) -> Result<Arc<VerifiedSession>, TokenError> {
        let cached = self.verified.read(access_key_id, |e| {
            constant_time::equal(&e.token, token.as_bytes()).then(|| e.session.clone())
        });
        if let Some(session) = cached {
            // The claims name the access key id they were issued for, so an entry found under
            // another id's slot never matches: its token would not equal this one.
            if session.claims.access_key_id == access_key_id {
                return Ok(session);
            }
        }
        let claims = self.verify(token, access_key_id)?;
        let session = Arc::new(VerifiedSession {
            secret: self.secret_for(access_key_id),
            claims: Arc::new(claims),
        });
        self.verified.insert(
            access_key_id,
            Entry {
                token: token.as_bytes().into(),
                session: session.clone(),
            },
        );
        Ok(session)
    }

    /// How many verified tokens are kept (for tests).
    pub fn verified_len(&self) -> usize {
        self.verified.len()
    }
}

#[cfg(test)]
mod tests {
    use super::super::SessionPrincipal;
    use super::*;

    fn claims(key: &str) -> SessionClaims {
        SessionClaims::new(
            key.into(),
            "333333333333".into(),
            SessionPrincipal::Role {
                role: "OrganizationAccountAccessRole".into(),
                session: "s".into(),
            },
            1_700_000_000,
            1_700_003_600,
        )
    }

    #[test]
    fn a_verified_token_is_opened_once_and_matches_only_itself() {
        let signer = SessionSigner::with_key([7; 32]);
        let creds = signer.issue(&claims("ASIAEXAMPLEEXAMPLE01"));
        let first = signer
            .open_session(&creds.session_token, &creds.access_key_id)
            .unwrap();
        assert_eq!(*first.claims, claims("ASIAEXAMPLEEXAMPLE01"));
        assert_eq!(first.secret, creds.secret_access_key);
        let again = signer
            .open_session(&creds.session_token, &creds.access_key_id)
            .unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!(signer.verified_len(), 1);

        // One altered byte misses the cache and fails verification.
        let mut bytes = creds.session_token.clone().into_bytes();
        let mid = bytes.len() / 2;
        bytes[mid] = if bytes[mid] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(bytes).unwrap();
        assert_eq!(
            signer.open_session(&altered, &creds.access_key_id).err(),
            Some(TokenError::Invalid)
        );
        // The right token under another access key id is refused, cached or not.
        assert_eq!(
            signer
                .open_session(&creds.session_token, "ASIAOTHEROTHEROTHER1")
                .err(),
            Some(TokenError::Invalid)
        );
    }
}
