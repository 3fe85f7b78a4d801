//! The request log: one line per request on standard output, saying who called what, how it
//! ended, and for denials which policy decided.

use std::io::Write;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

pub struct Entry<'a> {
    pub request_id: &'a str,
    pub caller: &'a str,
    pub action: &'a str,
    pub status: u16,
    pub code: Option<&'a str>,
    pub reason: Option<&'a str>,
}

pub fn write(entry: &Entry) {
    let now = OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .format(&Rfc3339)
        .unwrap_or_default();
    let outcome = match entry.code {
        Some(code) => format!("{} {code}", entry.status),
        None => entry.status.to_string(),
    };
    let reason = entry.reason.map(|r| format!(" — {r}")).unwrap_or_default();
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "{now} {} {} {} {outcome}{reason}",
        entry.request_id, entry.caller, entry.action
    );
    let _ = out.flush();
}
