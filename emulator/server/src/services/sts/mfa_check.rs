//! `SerialNumber` and `TokenCode` on AssumeRole and GetSessionToken: the caller proves it holds
//! one of its MFA devices by sending the device's current code.
//!
//! The code is checked against the emulator's clock (RFC 6238, one step either side), so a
//! test computes the code for the virtual time it set. Both failure texts are AWS's, observed
//! with code AccessDenied (HTTP 403):
//! - a wrong or stale code: "MultiFactorAuthentication failed with invalid MFA one time pass
//!   code." (github.com/aws/aws-cli/issues/2279);
//! - a serial number that is not one of the caller's devices: "MultiFactorAuthentication
//!   failed, unable to validate MFA code.  Please verify your MFA serial number is valid and
//!   associated with this user." — with two spaces after "code." (aws/aws-cli#6325,
//!   99designs/aws-vault#676).
//!
//! A serial number without a code (or a code without a serial number) proves nothing: the
//! request proceeds without MFA, and a trust policy that requires it denies ("If the role
//! being assumed requires MFA and if the TokenCode value is missing or expired, the
//! AssumeRole call returns an "access denied" error", STS API reference, AssumeRole).

use super::validation::Violations;
use crate::services::{AwsError, Call};
use rolecall_model::Principal;

pub(crate) const INVALID_CODE: &str =
    "MultiFactorAuthentication failed with invalid MFA one time pass code.";
pub(crate) const UNKNOWN_DEVICE: &str = "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.";

/// `[\w+=/:,.@-]*`: MFA serial numbers.
fn serial_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_+=/:,.@-".contains(c)
}

/// Records the model's constraints on the two parameters (serialNumberType: 9–256,
/// `[\w+=/:,.@-]*`; tokenCodeType: exactly 6, `[\d]*`).
pub(crate) fn validate(v: &mut Violations, serial: Option<&str>, code: Option<&str>) {
    if let Some(serial) = serial {
        v.string(
            Some(serial),
            "serialNumber",
            9,
            256,
            Some(("[\\w+=/:,.@-]*", serial_char)),
        );
    }
    if let Some(code) = code {
        v.string(
            Some(code),
            "tokenCode",
            6,
            6,
            Some(("[\\d]*", |c: char| c.is_ascii_digit())),
        );
    }
}

/// Verifies the code when both parameters are present: Ok(Some(now)) when MFA was proven,
/// Ok(None) when the request did not try.
pub(crate) fn verify(
    call: &Call,
    serial: Option<&str>,
    code: Option<&str>,
) -> Result<Option<i64>, AwsError> {
    let (Some(serial), Some(code)) = (serial, code) else {
        return Ok(None);
    };
    // Only IAM users have devices here; a role session or the root user has none to match.
    let device = match call.principal {
        Principal::User { user, .. } | Principal::UserSession { user, .. } => {
            user.mfa_devices.iter().find(|d| d.serial == serial)
        }
        _ => None,
    };
    let Some(device) = device else {
        return Err(AwsError::new(403, "AccessDenied", UNKNOWN_DEVICE));
    };
    let now = call.now.unix_timestamp();
    if device.accepts(code, now) {
        Ok(Some(now))
    } else {
        Err(AwsError::new(403, "AccessDenied", INVALID_CODE))
    }
}
