//! The request log: one line per request on standard output, saying who called what, how it
//! ended, and for denials which policy decided.
//!
//! Logging never holds up a request. A request formats its line and hands it to the log's own
//! thread through a bounded queue without waiting; when standard output is a pipe nobody
//! reads (every worker once froze after 512 requests that way) or a slow terminal, the queue
//! fills, further lines are dropped and counted, and the thread reports the count once it
//! can write again. Every value is escaped
//! (`escaped`): the action, a presigned credential's key id and the caller come from the
//! request, and a newline or a terminal escape sequence in them must not forge a line or reach
//! the terminal.

use rolecall_server::RequestRecord;
use rolecall_wire::format_timestamp;
use std::fmt::{self, Display, Write as _};
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::Arc;
use time::OffsetDateTime;

/// Lines waiting for the log thread: about a megabyte, a few seconds of a busy server.
const QUEUE: usize = 8192;

/// The sending side of the log; cheap to clone into the emulator's callback.
#[derive(Clone)]
pub(crate) struct RequestLog {
    lines: SyncSender<String>,
    dropped: Arc<AtomicU64>,
}

impl RequestLog {
    /// Starts the thread that writes the log to standard output.
    pub(crate) fn start() -> std::io::Result<RequestLog> {
        let (lines, queued) = sync_channel(QUEUE);
        let dropped = Arc::new(AtomicU64::new(0));
        let counted = dropped.clone();
        std::thread::Builder::new()
            .name("rolecall-log".into())
            .spawn(move || write_lines(&queued, &counted))?;
        Ok(RequestLog { lines, dropped })
    }

    /// Queues one request's line; drops and counts it when the queue is full.
    pub(crate) fn record(&self, record: &RequestRecord<'_>) {
        self.line(format_line(record));
    }

    /// Queues a line of the log's own (a reload's outcome).
    pub(crate) fn line(&self, line: String) {
        if let Err(TrySendError::Full(_)) = self.lines.try_send(line) {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// The log thread: writes what arrives; after writing, reports lines dropped meanwhile.
fn write_lines(queued: &Receiver<String>, dropped: &AtomicU64) {
    let stdout = std::io::stdout();
    while let Ok(line) = queued.recv() {
        let mut out = stdout.lock();
        let _ = writeln!(out, "{line}");
        // Whatever else is queued goes out in the same flush.
        while let Ok(line) = queued.try_recv() {
            let _ = writeln!(out, "{line}");
        }
        let lost = dropped.swap(0, Ordering::Relaxed);
        if lost > 0 {
            let _ = writeln!(
                out,
                "rolecall: {lost} request log lines dropped (standard output was not keeping up)"
            );
        }
        let _ = out.flush();
    }
}

/// One request's line.
fn format_line(record: &RequestRecord<'_>) -> String {
    // RFC 3339 in UTC with whole seconds, e.g. `2026-11-23T14:00:00Z`.
    let now = format_timestamp(OffsetDateTime::now_utc());
    let mut line = String::with_capacity(160);
    let _ = write!(
        line,
        "{now} {} {} {} {}",
        escaped(record.request_id),
        escaped(record.caller),
        escaped(record.action),
        record.status
    );
    if let Some(code) = record.code {
        let _ = write!(line, " {}", escaped(code));
    }
    if let Some(reason) = record.reason {
        let _ = write!(line, " — {}", escaped(reason));
    }
    line
}

/// `text` as a log shows it: control characters (a newline, an escape sequence, C1 controls),
/// the invisible marks that reorder text on a terminal, and the backslash itself are written
/// as `\u{…}` (a backslash as `\\`), so what a line says is all there is to it.
pub(crate) fn escaped(text: &str) -> Escaped<'_> {
    Escaped(text)
}

pub(crate) struct Escaped<'a>(&'a str);

fn needs_escape(c: char) -> bool {
    c == '\\'
        || c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

impl Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Nearly every value is printable ASCII: written whole.
        if self
            .0
            .bytes()
            .all(|b| (0x20..0x7f).contains(&b) && b != b'\\')
        {
            return f.write_str(self.0);
        }
        for c in self.0.chars() {
            if c == '\\' {
                f.write_str("\\\\")?;
            } else if needs_escape(c) {
                write!(f, "\\u{{{:x}}}", u32::from(c))?;
            } else {
                f.write_char(c)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::escaped;

    #[test]
    fn control_characters_cannot_forge_lines_or_reach_the_terminal() {
        for (raw, shown) in [
            ("sts:GetCallerIdentity", "sts:GetCallerIdentity"),
            (
                "sts:X\n2026-01-01T00:00:00Z forged 200",
                "sts:X\\u{a}2026-01-01T00:00:00Z forged 200",
            ),
            ("\r\u{1b}[31mred", "\\u{d}\\u{1b}[31mred"),
            ("a\\u{a}b", "a\\\\u{a}b"),
            ("\u{85}\u{9b}", "\\u{85}\\u{9b}"),
            ("evil\u{202e}txt.exe", "evil\\u{202e}txt.exe"),
            ("café", "café"),
        ] {
            assert_eq!(escaped(raw).to_string(), shown, "{raw:?}");
        }
    }
}
