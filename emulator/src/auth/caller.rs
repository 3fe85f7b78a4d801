//! Caller resolution: from a signed request to the one [`Principal`] it speaks for.
//!
//! The steps follow the order in which AWS reports authentication failures: the signature's
//! form and time first, then the session token (is it ours, is it intact, has it expired),
//! then the access key, and only then the signature itself.

use super::errors::AuthError;
use super::sigv4::{self, Authorization, SignedRequest};
use crate::world::clock::Clock;
use crate::world::sessions::{SessionPrincipal, SessionSigner};
use crate::world::{KeyOwner, Principal, World};
use time::OffsetDateTime;

/// An authenticated request: who signed it, and for which region and service.
#[derive(Debug)]
pub struct Authenticated {
    pub principal: Principal,
    pub authorization: Authorization,
}

/// Verifies the request's SigV4 signature and resolves its caller.
///
/// `wall_now` is the real time, which clients sign with; `clock` is the emulator's virtual time,
/// which decides whether temporary credentials have expired. `service` is the signing name the
/// request was routed to, which the credential scope must name.
pub fn authenticate(
    req: &SignedRequest,
    world: &World,
    signer: &SessionSigner,
    clock: &Clock,
    wall_now: OffsetDateTime,
    service: &str,
) -> Result<Authenticated, AuthError> {
    let authorization = sigv4::parse(req)?;
    sigv4::check_scope_and_time(&authorization, wall_now, Some(service))?;
    let key_id = authorization.access_key_id.as_str();

    let (principal, secret) = match &authorization.security_token {
        Some(token) => {
            let claims = signer
                .verify(token, key_id)
                .map_err(|_| AuthError::InvalidSessionToken)?;
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
                    Principal::role_session(account, role, claims)
                }
                SessionPrincipal::Root => Principal::Root {
                    account,
                    session: Some(claims),
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
                        session: claims,
                    }
                }
            };
            (principal, signer.secret_for(key_id))
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
            (principal, key.secret.clone())
        }
    };
    sigv4::verify(req, &authorization, &secret)?;
    Ok(Authenticated {
        principal,
        authorization,
    })
}
