//! The request log: one line per request on standard output, saying who called what, how it
//! ended, and for denials which policy decided.
//!
//! The line is written straight into the locked standard output, with no intermediate strings:
//! the log is on by default, so every served request pays for it.

use rolecall_server::RequestRecord;
use rolecall_wire::format_timestamp;
use std::io::Write;
use time::OffsetDateTime;

pub(crate) fn write(record: &RequestRecord<'_>) {
    // RFC 3339 in UTC with whole seconds, e.g. `2026-11-23T14:00:00Z`.
    let now = format_timestamp(OffsetDateTime::now_utc());
    let mut out = std::io::stdout().lock();
    let _ = write!(
        out,
        "{now} {} {} {} {}",
        record.request_id, record.caller, record.action, record.status
    );
    if let Some(code) = record.code {
        let _ = write!(out, " {code}");
    }
    if let Some(reason) = record.reason {
        let _ = write!(out, " — {reason}");
    }
    let _ = writeln!(out);
    let _ = out.flush();
}
