//! What a session is: the claims a temporary credential carries (whose session, until when,
//! chained or not, source identity, tags, MFA, session policies).
//!
//! How those claims travel and are verified (sealed tokens, the process key) is the credential
//! store's business, in the server; the world only needs to know what they say.

use sha2::{Digest, Sha256};

/// What a session token asserts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionClaims {
    /// The `ASIA…` key id the token belongs to; a token presented with another key is invalid.
    pub access_key_id: String,
    /// The account of the principal.
    pub account: String,
    pub principal: SessionPrincipal,
    /// Issue and expiry, in Unix seconds of the emulator's clock.
    pub issued: i64,
    pub expires: i64,
    /// True when a role session assumed this one (role chaining).
    pub chained: bool,
    /// Set once in a chain and never changed (STS API reference, AssumeRole SourceIdentity).
    pub source_identity: Option<String>,
    /// Session tags, passed or inherited as transitive; they are `aws:PrincipalTag/*` of the
    /// session and override the role's tags of the same key (case-insensitively).
    pub tags: Vec<(String, String)>,
    /// The keys of `tags` that pass on to sessions this one assumes (role chaining).
    pub transitive_tag_keys: Vec<String>,
    /// When MFA was verified for the credentials the chain started from (Unix seconds); None
    /// when no MFA code was given. Feeds `aws:MultiFactorAuthPresent` and `…Age`.
    pub mfa_authenticated_at: Option<i64>,
    /// The inline session policy (`Policy` parameter), if one was passed.
    pub session_policy: Option<InlineSessionPolicy>,
    /// Managed session policies (`PolicyArns`), by ARN.
    pub policy_arns: Vec<String>,
}

impl SessionClaims {
    /// Claims with no tags, policies, MFA, source identity or chaining.
    pub fn new(
        access_key_id: String,
        account: String,
        principal: SessionPrincipal,
        issued: i64,
        expires: i64,
    ) -> SessionClaims {
        SessionClaims {
            access_key_id,
            account,
            principal,
            issued,
            expires,
            chained: false,
            source_identity: None,
            tags: Vec::new(),
            transitive_tag_keys: Vec::new(),
            mfa_authenticated_at: None,
            session_policy: None,
            policy_arns: Vec::new(),
        }
    }

    /// The role session name; empty for a user's or root's session.
    pub fn session_name(&self) -> &str {
        match &self.principal {
            SessionPrincipal::Role { session, .. } => session,
            SessionPrincipal::User { .. } | SessionPrincipal::Root => "",
        }
    }

    /// Whether the session carries any session policy (inline or managed).
    pub fn has_session_policies(&self) -> bool {
        self.session_policy.is_some() || !self.policy_arns.is_empty()
    }
}

/// An inline session policy as the token carries it: the JSON text, and the hex SHA-256 of
/// that text, which keys the parsed-policy cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineSessionPolicy {
    pub digest: String,
    pub text: String,
}

impl InlineSessionPolicy {
    pub fn new(text: &str) -> InlineSessionPolicy {
        InlineSessionPolicy {
            digest: hex::encode(Sha256::digest(text.as_bytes())),
            text: text.to_string(),
        }
    }
}

/// Whose session it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionPrincipal {
    /// A role session from AssumeRole.
    Role { role: String, session: String },
    /// A user's session from GetSessionToken: it acts as the user.
    User { user: String },
    /// The root user's session from GetSessionToken.
    Root,
}
