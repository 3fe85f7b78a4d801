//! The SigV4 timestamp: ISO 8601 basic format and the ±15 minute window.

use time::{
    format_description::FormatItem, macros::format_description, Date, Duration, Month,
    OffsetDateTime, PrimitiveDateTime, Time,
};

use super::AuthError;

/// How far the request time may be from the server's clock, either way. 15 minutes on STS
/// (observed "(… - 15 min.)" on STS GetCallerIdentity) and in the RequestExpired docs.
pub const ALLOWED_SKEW: Duration = Duration::minutes(15);

const BASIC: &[FormatItem<'static>] =
    format_description!("[year][month][day]T[hour][minute][second]Z");

/// Parses `YYYYMMDDTHHMMSSZ`, the only form AWS accepts here.
pub(super) fn parse_basic(raw: &str) -> Result<OffsetDateTime, AuthError> {
    // Fields read digit by digit: the strict 16-character form leaves no room for the signs
    // or widths a format-description parser would also consider, and this is every request.
    parse_basic_digits(raw.as_bytes()).ok_or_else(|| {
        AuthError::IncompleteSignature(format!(
            "Date must be in ISO-8601 'basic format'. Got '{raw}'. See http://en.wikipedia.org/wiki/ISO_8601"
        ))
    })
}

fn parse_basic_digits(raw: &[u8]) -> Option<OffsetDateTime> {
    if raw.len() != 16 || raw[8] != b'T' || raw[15] != b'Z' {
        return None;
    }
    let date = date_digits(&raw[..8])?;
    let hour = u8::try_from(number(&raw[9..11])?).ok()?;
    let minute = u8::try_from(number(&raw[11..13])?).ok()?;
    let second = u8::try_from(number(&raw[13..15])?).ok()?;
    let time = Time::from_hms(hour, minute, second).ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_utc())
}

/// `YYYYMMDD`, a real calendar day.
fn date_digits(raw: &[u8]) -> Option<Date> {
    if raw.len() != 8 {
        return None;
    }
    let year = i32::from(number(&raw[0..4])?);
    let month = Month::try_from(u8::try_from(number(&raw[4..6])?).ok()?).ok()?;
    let day = u8::try_from(number(&raw[6..8])?).ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

/// A run of at most four ASCII digits as a number.
fn number(digits: &[u8]) -> Option<u16> {
    digits.iter().try_fold(0u16, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + u16::from(b - b'0'))
    })
}

/// Formats a time as `YYYYMMDDTHHMMSSZ` (UTC).
pub fn format_basic(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .format(BASIC)
        .unwrap_or_default()
}

/// Whether a credential scope's date is a real `YYYYMMDD` day, which a signing key can be
/// derived for.
pub(super) fn is_scope_date(raw: &str) -> bool {
    date_digits(raw.as_bytes()).is_some()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What the format-description parser accepted before: the digit-by-digit parser must
    /// agree with it on every input.
    fn described(raw: &str) -> Option<OffsetDateTime> {
        let strict = raw.len() == 16 && raw.is_ascii();
        strict
            .then(|| PrimitiveDateTime::parse(raw, BASIC).ok())
            .flatten()
            .map(PrimitiveDateTime::assume_utc)
    }

    #[test]
    fn scope_dates_are_real_days_in_eight_digits() {
        let described = time::macros::format_description!("[year][month][day]");
        for raw in [
            "20150830",
            "20240229",
            "20230229",
            "20151301",
            "20150800",
            "00000101",
            "2015083",
            "201508300",
            "2015-830",
            "+2015083",
            "2015083a",
            "",
        ] {
            let all_digits = raw.len() == 8 && raw.bytes().all(|b| b.is_ascii_digit());
            let expected = all_digits && Date::parse(raw, described).is_ok();
            assert_eq!(is_scope_date(raw), expected, "{raw:?}");
        }
    }

    #[test]
    fn the_basic_format_parses_as_the_format_description_does() {
        for raw in [
            "20150830T123600Z",
            "00000101T000000Z",
            "99991231T235959Z",
            "20240229T000000Z",
            "20230229T000000Z",
            "20151330T123600Z",
            "20150800T123600Z",
            "20150830T243600Z",
            "20150830T126000Z",
            "20150830T123660Z",
            "20150830T123600",
            "20150830 123600Z",
            "2015083T0123600Z",
            "+2015083T123600Z",
            "-0150830T123600Z",
            "2015-830T123600Z",
            "20150830T1236+0Z",
            "20150830t123600Z",
            "20150830T123600z",
            "2015083\u{e9}T12360Z",
            "",
        ] {
            assert_eq!(parse_basic(raw).ok(), described(raw), "{raw:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_near_miss_parses_as_the_format_description_does(
            raw in "[0-9]{8}T[0-9]{6}Z|[0-9T:+ Z-]{14,17}"
        ) {
            proptest::prop_assert_eq!(parse_basic(&raw).ok(), described(&raw));
        }
    }
}
