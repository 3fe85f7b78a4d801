//! GetSessionToken: temporary credentials for an IAM user (or root) that act as that user.
//!
//! No IAM permission governs it ("No permissions are required for users to perform this
//! operation", STS API reference, GetSessionToken), but it must be called with long-term
//! credentials. With `SerialNumber` and `TokenCode` the session records that MFA was used,
//! which policies read as `aws:MultiFactorAuthPresent` and `aws:MultiFactorAuthAge`.

use super::key_ids::temporary_key_id;
use super::mfa_check;
use super::success;
use super::validation::Violations;
use crate::services::{AwsError, Call, Operation, Reply};
use rolecall_model::session::{SessionClaims, SessionPrincipal};
use rolecall_model::Principal;
use rolecall_wire::format_timestamp;

/// Duration bounds (STS API reference, GetSessionToken: 900–129600 s, default 43200; the
/// root user 900–3600, default 3600).
const MIN: i64 = 900;
const MAX_USER: i64 = 129_600;
const DEFAULT_USER: i64 = 43_200;
const MAX_ROOT: i64 = 3_600;

pub(crate) fn handle(call: &Call, op: &Operation) -> Result<Reply, AwsError> {
    let (account, principal, is_root) = match call.principal {
        Principal::User { user, .. } => (
            &user.account,
            SessionPrincipal::User {
                user: user.name.clone(),
            },
            false,
        ),
        Principal::Root {
            account,
            session: None,
        } => (&account.id, SessionPrincipal::Root, true),
        _ => {
            // Observed AWS text for session credentials.
            return Err(AwsError::new(
                403,
                "AccessDenied",
                "Cannot call GetSessionToken with session credentials",
            ));
        }
    };
    let serial = call.params.get("SerialNumber");
    let code = call.params.get("TokenCode");
    let mut v = Violations::default();
    let requested = match call.params.get("DurationSeconds") {
        None => None,
        Some(text) => {
            let d: i64 = text.parse().map_err(|_| malformed_integer(text))?;
            if d < MIN {
                v.add(
                    Some(text),
                    "durationSeconds",
                    "have value greater than or equal to 900",
                );
            } else if d > MAX_USER {
                v.add(
                    Some(text),
                    "durationSeconds",
                    "have value less than or equal to 129600",
                );
            }
            Some(d)
        }
    };
    mfa_check::validate(&mut v, serial, code);
    if let Some(err) = v.into_error() {
        return Err(err);
    }
    let duration = match requested {
        None if is_root => MAX_ROOT,
        None => DEFAULT_USER,
        // "If the duration is longer than one hour, the session for AWS account owners
        // defaults to one hour." (STS API reference, GetSessionToken)
        Some(d) if is_root => d.min(MAX_ROOT),
        Some(d) => d,
    };
    let mfa_at = mfa_check::verify(call, serial, code)?;
    let issued = call.now.unix_timestamp();
    let mut claims = SessionClaims::new(
        temporary_key_id(account),
        account.clone(),
        principal,
        issued,
        issued + duration,
    );
    claims.mfa_authenticated_at = mfa_at;
    let creds = call.signer.issue(&claims);
    let expiration = call.expiration_for_client(duration);
    Ok(success(call, op, |w| {
        w.nest("Credentials", |w| {
            w.element("AccessKeyId", &creds.access_key_id);
            w.element("SecretAccessKey", &creds.secret_access_key);
            w.element("SessionToken", &creds.session_token);
            w.element("Expiration", &format_timestamp(expiration));
        });
    }))
}

/// A parameter that should be an integer but is not. AWS's exact text for this case was not
/// found in observed output; the code is the one awsQuery services use for undecodable input.
pub(crate) fn malformed_integer(text: &str) -> AwsError {
    AwsError::new(
        400,
        "MalformedInput",
        format!("Unable to parse '{text}' as an integer"),
    )
}
