//! Caller resolution: from a signed request to the one [`Principal`] it speaks for.
//!
//! The steps follow the order in which AWS reports authentication failures: the signature's
//! form and time first, then the session token (is it ours, is it intact, has it expired),
//! then the access key, and only then the signature itself.

use super::errors::AuthError;
use super::sigv4::{self, Authorization, SignedRequest, SigningKeyCache};
use crate::auth::sessions::SessionSigner;
use rolecall_engine::policy::NamedPolicy;
use rolecall_model::clock::Clock;
use rolecall_model::session::{SessionClaims, SessionPrincipal};
use rolecall_model::{KeyOwner, Principal, World};
use std::sync::Arc;
use time::OffsetDateTime;

/// An authenticated request: who signed it, and for which region and service.
#[derive(Debug)]
pub struct Authenticated<'r> {
    pub principal: Principal,
    /// Borrows from the request's headers.
    pub authorization: Authorization<'r>,
}

/// Where callers are resolved from.
pub struct CredentialStore<'a> {
    /// Long-term keys and the principals they and session tokens name.
    pub world: &'a World,
    /// Opens the temporary credentials this process issued.
    pub signer: &'a SessionSigner,
    /// Derived signing keys; consulted only with the secret the store holds now.
    pub signing_keys: &'a SigningKeyCache,
    /// The emulator's virtual time, which decides whether temporary credentials have expired.
    pub clock: &'a Clock,
}

/// Verifies the request's SigV4 signature, as `authorization` (the request's own, from
/// [`sigv4::parse`]) states it, and resolves its caller from `store`.
///
/// `wall_now` is the real time, which clients sign with. `service` is the signing name the
/// request was routed to, which the credential scope must name.
pub fn authenticate<'r>(
    req: &SignedRequest<'r>,
    authorization: Authorization<'r>,
    store: &CredentialStore,
    wall_now: OffsetDateTime,
    service: &str,
) -> Result<Authenticated<'r>, AuthError> {
    let CredentialStore {
        world,
        signer,
        signing_keys: keys,
        clock,
    } = *store;
    sigv4::check_scope_and_time(&authorization, wall_now, Some(service))?;
    let key_id = &*authorization.access_key_id;

    // Outlives the match, so the secret can be borrowed from it.
    let opened;
    let (principal, secret) = match &authorization.security_token {
        Some(token) => {
            opened = signer
                .open_session(token, key_id)
                .map_err(|_| AuthError::InvalidSessionToken)?;
            let claims = &opened.claims;
            if claims.expires <= clock.now().unix_timestamp() {
                return Err(AuthError::ExpiredSessionToken);
            }
            // A session whose account or principal a reloaded scenario no longer has cannot be
            // honoured: AWS answers such tokens as invalid.
            let account = world
                .account(&claims.account)
                .ok_or(AuthError::InvalidSessionToken)?
                .clone();
            let principal = match &claims.principal {
                SessionPrincipal::Role { role, .. } => {
                    let role = account
                        .roles
                        .get(role)
                        .ok_or(AuthError::InvalidSessionToken)?
                        .clone();
                    let policies = session_policies(claims, world, signer)?;
                    Principal::role_session(account, role, claims.clone(), policies)
                }
                SessionPrincipal::Root => Principal::Root {
                    account,
                    session: Some(claims.clone()),
                },
                SessionPrincipal::User { user } => {
                    let user = account
                        .users
                        .get(user)
                        .ok_or(AuthError::InvalidSessionToken)?
                        .clone();
                    Principal::UserSession {
                        account,
                        user,
                        session: claims.clone(),
                    }
                }
            };
            (principal, opened.secret.as_str())
        }
        None => {
            let key = world
                .long_term_key(key_id)
                .ok_or(AuthError::UnknownAccessKey)?;
            let account = world
                .account(&key.account)
                .ok_or(AuthError::UnknownAccessKey)?
                .clone();
            let principal = match &key.owner {
                KeyOwner::Root => Principal::Root {
                    account,
                    session: None,
                },
                KeyOwner::User(name) => {
                    let user = account
                        .users
                        .get(name)
                        .ok_or(AuthError::UnknownAccessKey)?
                        .clone();
                    Principal::User { account, user }
                }
            };
            (principal, key.secret.as_str())
        }
    };
    sigv4::verify_cached(req, &authorization, secret, keys)?;
    Ok(Authenticated {
        principal,
        authorization,
    })
}

/// The session policies a token names, parsed: the inline one from the signer's cache (parsed
/// only on a miss), the managed ones looked up by ARN. A managed policy a reloaded scenario no
/// longer has makes the token unusable, like a vanished role.
fn session_policies(
    claims: &SessionClaims,
    world: &World,
    signer: &SessionSigner,
) -> Result<Option<Vec<Arc<NamedPolicy>>>, AuthError> {
    if !claims.has_session_policies() {
        return Ok(None);
    }
    let mut policies = Vec::with_capacity(1 + claims.policy_arns.len());
    if let Some(inline) = &claims.session_policy {
        let parsed = signer
            .policy_cache()
            .get(inline)
            .map_err(|_| AuthError::InvalidSessionToken)?;
        policies.push(parsed);
    }
    for arn in &claims.policy_arns {
        let managed = world
            .managed_policy(arn)
            .ok_or(AuthError::InvalidSessionToken)?;
        policies.push(managed.clone());
    }
    Ok(Some(policies))
}
