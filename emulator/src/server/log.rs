//! The request log: one line per request on standard output, saying who called what, how it
//! ended, and for denials which policy decided.
//!
//! The line is written straight into the locked standard output, with no intermediate strings:
//! the log is on by default, so every served request pays for it.

use crate::protocol::format_timestamp;
use std::io::Write;
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
    // RFC 3339 in UTC with whole seconds, e.g. `2026-11-23T14:00:00Z`.
    let now = format_timestamp(OffsetDateTime::now_utc());
    let mut out = std::io::stdout().lock();
    let _ = write!(
        out,
        "{now} {} {} {} {}",
        entry.request_id, entry.caller, entry.action, entry.status
    );
    if let Some(code) = entry.code {
        let _ = write!(out, " {code}");
    }
    if let Some(reason) = entry.reason {
        let _ = write!(out, " — {reason}");
    }
    let _ = writeln!(out);
    let _ = out.flush();
}
