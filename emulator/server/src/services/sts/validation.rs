//! STS's input validation messages, which come from its service model's constraints:
//! `1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint:
//! Member must …`, several joined with "; " and counted (observed AWS output collected in the
//! reference notes, §3.2 ValidationError).

use crate::services::AwsError;

/// A model pattern: its text as AWS prints it, and the test each character must pass.
/// [`Violations::string`] takes any such test, not only this pointer type, so that a named
/// test function is compiled into its loop over the value's characters, not called per
/// character.
pub type Pattern<'a> = (&'a str, fn(char) -> bool);

/// The constraint violations found in one request, in the order checked.
#[derive(Default)]
pub struct Violations(Vec<String>);

impl Violations {
    /// Records a violation of `member` (the model's lowerCamel name) holding `value`
    /// (None when the parameter was not sent).
    pub fn add(&mut self, value: Option<&str>, member: &str, constraint: &str) {
        self.0.push(violation(value, member, constraint));
    }

    /// Checks a required string as [`Violations::string`] does, and keeps it for
    /// [`Required::value`] once [`Violations::finish`] has found nothing wrong.
    pub fn required<'v>(
        &mut self,
        value: Option<&'v str>,
        member: &'static str,
        min: usize,
        max: usize,
        pattern: Option<(&str, impl Fn(char) -> bool)>,
    ) -> Required<'v> {
        self.string(value, member, min, max, pattern);
        Required { member, value }
    }

    /// Nothing recorded, or the ValidationError for everything that was.
    pub fn finish(self) -> Result<(), AwsError> {
        match self.into_error() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// Checks a required string's presence, length and character pattern.
    pub fn string(
        &mut self,
        value: Option<&str>,
        member: &str,
        min: usize,
        max: usize,
        pattern: Option<(&str, impl Fn(char) -> bool)>,
    ) {
        let Some(v) = value else {
            self.add(None, member, "not be null");
            return;
        };
        // Lengths count characters; ASCII text (nearly every value) skips decoding them.
        let ascii = v.is_ascii();
        let len = if ascii { v.len() } else { v.chars().count() };
        if let Some((shown, allowed)) = pattern {
            let all_allowed = if ascii {
                v.bytes().all(|b| allowed(char::from(b)))
            } else {
                v.chars().all(allowed)
            };
            // A `+` pattern also rejects the empty string.
            if !all_allowed || (v.is_empty() && shown.ends_with('+')) {
                self.add(
                    Some(v),
                    member,
                    &format!("satisfy regular expression pattern: {shown}"),
                );
            }
        }
        if len < min {
            self.add(
                Some(v),
                member,
                &format!("have length greater than or equal to {min}"),
            );
        }
        if len > max {
            self.add(
                Some(v),
                member,
                &format!("have length less than or equal to {max}"),
            );
        }
    }

    /// The ValidationError for everything recorded, if anything was.
    pub fn into_error(self) -> Option<AwsError> {
        let n = self.0.len();
        if n == 0 {
            return None;
        }
        let noun = if n == 1 { "error" } else { "errors" };
        Some(AwsError::new(
            400,
            "ValidationError",
            format!("{n} validation {noun} detected: {}", self.0.join("; ")),
        ))
    }
}

/// A required member's value, as sent: absent values were recorded as violations.
#[derive(Debug, Clone, Copy)]
pub struct Required<'v> {
    member: &'static str,
    value: Option<&'v str>,
}

impl<'v> Required<'v> {
    /// The value. An absent one is its own ValidationError, the one
    /// [`Violations::required`] recorded for it.
    pub fn value(self) -> Result<&'v str, AwsError> {
        self.value.ok_or_else(|| {
            AwsError::new(
                400,
                "ValidationError",
                format!(
                    "1 validation error detected: {}",
                    violation(None, self.member, "not be null")
                ),
            )
        })
    }
}

fn violation(value: Option<&str>, member: &str, constraint: &str) -> String {
    let shown = match value {
        Some(v) => format!("'{v}'"),
        None => "null".to_string(),
    };
    format!("Value {shown} at '{member}' failed to satisfy constraint: Member must {constraint}")
}

/// `[\w+=,.@-]*`: role session names and source identities.
pub fn session_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)
}

/// `[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+`: ARNs.
pub fn arn_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

pub const ARN_PATTERN: &str =
    "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+";
pub const SESSION_NAME_PATTERN: &str = "[\\w+=,.@-]*";

#[cfg(test)]
mod tests {
    use super::*;

    // Observed: "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to
    // satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*"
    #[test]
    fn one_pattern_violation_reads_as_aws_writes_it() {
        let mut v = Violations::default();
        v.string(
            Some("Session1:2"),
            "roleSessionName",
            2,
            64,
            Some((SESSION_NAME_PATTERN, session_name_char)),
        );
        assert_eq!(v.into_error().unwrap().message, "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
    }

    // Observed: "2 validation errors detected: Value '' at 'roleArn' failed to satisfy
    // constraint: Member must satisfy regular expression pattern: [...]+; Value '' at 'roleArn'
    // failed to satisfy constraint: Member must have length greater than or equal to 20"
    #[test]
    fn several_violations_are_counted_and_joined() {
        let mut v = Violations::default();
        v.string(Some(""), "roleArn", 20, 2048, Some((ARN_PATTERN, arn_char)));
        let e = v.into_error().unwrap();
        assert!(e.message.starts_with("2 validation errors detected: Value '' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009"));
        assert!(e.message.ends_with("; Value '' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20"));
    }
}
