//! Dates in conditions: "W3C implementations of the ISO 8601 date formats" or epoch
//! seconds (reference_policies_elements_condition_operators.md, Date condition operators).

use time::{Date, Month};

/// Milliseconds since the Unix epoch, or `None` if `s` is not a date AWS accepts.
///
/// Accepted: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.fff]]` followed by
/// `Z` or `±hh:mm` (a missing zone is read as UTC), and epoch seconds. A bare number of
/// four digits or fewer is read as a year, a longer one as epoch seconds.
pub(crate) fn parse_millis(s: &str) -> Option<i64> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && s.len() > 4 {
        return s.parse::<i64>().ok()?.checked_mul(1000);
    }
    let (date_part, time_part) = match s.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut fields = date_part.split('-');
    let year: i32 = digits(fields.next()?, 4)?;
    let month: u8 = fields.next().map_or(Some(1), |m| digits(m, 2))?;
    let day: u8 = fields.next().map_or(Some(1), |d| digits(d, 2))?;
    if fields.next().is_some() {
        return None;
    }
    let date = Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()?;
    let midnight = date.midnight().assume_utc().unix_timestamp() * 1000;
    let Some(time_part) = time_part else {
        return Some(midnight);
    };
    let (clock, offset_seconds) = split_zone(time_part)?;
    let mut hms = clock.split(':');
    let hour: i64 = digits(hms.next()?, 2)?;
    let minute: i64 = digits(hms.next()?, 2)?;
    let (second, millis) = match hms.next() {
        None => (0, 0),
        Some(sec) => {
            let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
            let millis = if frac.is_empty() {
                0
            } else if frac.bytes().all(|b| b.is_ascii_digit()) {
                let padded = format!("{frac:0<3}");
                padded[..3].parse::<i64>().ok()?
            } else {
                return None;
            };
            (digits::<i64>(whole, 2)?, millis)
        }
    };
    if hms.next().is_some() || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let seconds = hour * 3600 + minute * 60 + second - offset_seconds;
    Some(midnight + seconds * 1000 + millis)
}

/// Splits `hh:mm:ssZ` / `hh:mm+02:00` into the clock text and the zone offset in seconds.
fn split_zone(t: &str) -> Option<(&str, i64)> {
    if let Some(clock) = t.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    if let Some(at) = t.rfind(['+', '-']) {
        let (clock, zone) = t.split_at(at);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let (h, m) = zone[1..].split_once(':').unwrap_or((&zone[1..], "00"));
        let offset = digits::<i64>(h, 2)? * 3600 + digits::<i64>(m, 2)? * 60;
        return Some((clock, sign * offset));
    }
    Some((t, 0))
}

fn digits<T: std::str::FromStr>(s: &str, len: usize) -> Option<T> {
    if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::parse_millis;

    #[test]
    fn formats_agree_on_the_same_instant() {
        let epoch = parse_millis("1700000000").unwrap();
        assert_eq!(parse_millis("2023-11-14T22:13:20Z"), Some(epoch));
        assert_eq!(parse_millis("2023-11-14T23:13:20+01:00"), Some(epoch));
        assert_eq!(parse_millis("2023-11-14T22:13:20.000Z"), Some(epoch));
        assert_eq!(
            parse_millis("2023-11-14"),
            parse_millis("2023-11-14T00:00Z")
        );
        assert_eq!(parse_millis("2023"), parse_millis("2023-01-01"));
        assert_eq!(parse_millis("2023-13-01"), None);
        assert_eq!(parse_millis("yesterday"), None);
    }
}
