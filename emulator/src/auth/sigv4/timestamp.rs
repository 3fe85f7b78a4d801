//! The SigV4 timestamp: ISO 8601 basic format and the ±15 minute window.

use std::time::SystemTime;

use time::{
    format_description::FormatItem, macros::format_description, Date, Duration, OffsetDateTime,
    PrimitiveDateTime,
};

use super::AuthError;

/// How far the request time may be from the server's clock, either way. 15 minutes on STS
/// (observed "(… - 15 min.)" on STS GetCallerIdentity) and in the RequestExpired docs.
pub const ALLOWED_SKEW: Duration = Duration::minutes(15);

const BASIC: &[FormatItem<'static>] =
    format_description!("[year][month][day]T[hour][minute][second]Z");
const BASIC_DATE: &[FormatItem<'static>] = format_description!("[year][month][day]");

/// Parses `YYYYMMDDTHHMMSSZ`, the only form AWS accepts here.
pub(super) fn parse_basic(raw: &str) -> Result<OffsetDateTime, AuthError> {
    // The `time` parser would accept a few widths the strict 16-character form does not.
    let strict = raw.len() == 16 && raw.is_ascii();
    strict
        .then(|| PrimitiveDateTime::parse(raw, BASIC).ok())
        .flatten()
        .map(PrimitiveDateTime::assume_utc)
        .ok_or_else(|| {
            AuthError::IncompleteSignature(format!(
                "Date must be in ISO-8601 'basic format'. Got '{raw}'. See http://en.wikipedia.org/wiki/ISO_8601"
            ))
        })
}

/// Formats a time as `YYYYMMDDTHHMMSSZ` (UTC).
pub fn format_basic(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .format(BASIC)
        .unwrap_or_default()
}

/// The scope date as the instant the signing-key derivation formats back to the same `YYYYMMDD`.
pub(super) fn parse_scope_date(raw: &str) -> Option<SystemTime> {
    if raw.len() != 8 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let day = Date::parse(raw, BASIC_DATE).ok()?;
    Some(day.midnight().assume_utc().into())
}

/// AWS's two skew messages. Each names the request time, the edge of the window and the
/// server's clock, e.g. "Signature expired: 20200706T195306Z is now earlier than
/// 20200707T071347Z (20200707T072847Z - 15 min.)" (observed on STS).
pub(super) fn check_skew(signed_at: OffsetDateTime, now: OffsetDateTime) -> Result<(), AuthError> {
    let earliest = now - ALLOWED_SKEW;
    let latest = now + ALLOWED_SKEW;
    if signed_at < earliest {
        return Err(AuthError::SignatureDoesNotMatch(format!(
            "Signature expired: {} is now earlier than {} ({} - 15 min.)",
            format_basic(signed_at),
            format_basic(earliest),
            format_basic(now)
        )));
    }
    if signed_at > latest {
        return Err(AuthError::SignatureDoesNotMatch(format!(
            "Signature not yet current: {} is still later than {} ({} + 15 min.)",
            format_basic(signed_at),
            format_basic(latest),
            format_basic(now)
        )));
    }
    Ok(())
}
