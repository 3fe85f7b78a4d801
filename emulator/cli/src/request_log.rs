//! The request log: one line per request on standard output, saying who called what, how it
//! ended, and for denials which policy decided.
//!
//! The line is written straight into the locked standard output, with no intermediate strings:
//! the log is on by default, so every served request pays for it. Every value is escaped
//! (`escaped`): the action, a presigned credential's key id and the caller come from the
//! request, and a newline or a terminal escape sequence in them must not forge a line or reach
//! the terminal.

use rolecall_server::RequestRecord;
use rolecall_wire::format_timestamp;
use std::fmt::{self, Display, Write as _};
use std::io::Write;
use time::OffsetDateTime;

pub(crate) fn write(record: &RequestRecord<'_>) {
    // RFC 3339 in UTC with whole seconds, e.g. `2026-11-23T14:00:00Z`.
    let now = format_timestamp(OffsetDateTime::now_utc());
    let mut out = std::io::stdout().lock();
    let _ = write!(
        out,
        "{now} {} {} {} {}",
        escaped(record.request_id),
        escaped(record.caller),
        escaped(record.action),
        record.status
    );
    if let Some(code) = record.code {
        let _ = write!(out, " {}", escaped(code));
    }
    if let Some(reason) = record.reason {
        let _ = write!(out, " — {}", escaped(reason));
    }
    let _ = writeln!(out);
    let _ = out.flush();
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
