//! Session tags: `Tags` and `TransitiveTagKeys` on AssumeRole.
//!
//! Passed tags become `aws:PrincipalTag/*` of the new session (overriding the role's tags of
//! the same key), and the caller needs `sts:TagSession` in the role's trust policy. Transitive
//! keys pass on down a role chain: a chained session inherits its caller's transitive tags,
//! and may not pass a tag with an inherited transitive key again (IAM user guide, "Passing
//! session tags in AWS STS", chaining roles with session tags).
//!
//! Texts of the three semantic errors are AWS's (InvalidParameterValue, HTTP 400; LocalStack's
//! AWS-validated STS snapshot, 2025).

use super::validation::Violations;
use crate::services::AwsError;
use rolecall_model::session::SessionClaims;
use rolecall_wire::form::Params;

/// "You can pass up to 50 session tags" (STS API reference, AssumeRole Tags).
pub(crate) const MAX_TAGS: usize = 50;

pub(crate) const DUPLICATE_KEYS: &str =
    "Duplicate tag keys found. Please note that Tag keys are case insensitive.";
pub(crate) const TRANSITIVE_NOT_IN_TAGS: &str =
    "The specified transitive tag key must be included in the requested tags.";
pub(crate) const TRANSITIVE_CONFLICT: &str = "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.";

/// A new session's tags, and which of their keys are transitive.
pub(crate) type SessionTags = (Vec<(String, String)>, Vec<String>);

/// The tags as sent: key and value may each be missing.
pub(crate) struct RequestedTags<'a> {
    pub tags: Vec<(Option<&'a str>, Option<&'a str>)>,
    pub transitive: Vec<&'a str>,
}

impl<'a> RequestedTags<'a> {
    /// Reads `Tags.member.N.Key`/`.Value` and `TransitiveTagKeys.member.N`.
    pub(crate) fn read(params: &'a Params) -> RequestedTags<'a> {
        RequestedTags {
            tags: params
                .structs("Tags.member")
                .iter()
                .map(|t| (t.get("Key"), t.get("Value")))
                .collect(),
            transitive: params.member_list("TransitiveTagKeys"),
        }
    }

    /// The model's constraints: at most 50 of each; keys 1–128 and values 0–256 characters of
    /// `[\p{L}\p{Z}\p{N}_.:/=+\-@]`.
    /// A list over its length is that one violation: its members are not checked one by one,
    /// so a request with tens of thousands of tags costs no more than one with fifty.
    pub(crate) fn validate(&self, v: &mut Violations) {
        if self.tags.len() > MAX_TAGS {
            v.add(
                Some(&format!("{} tags", self.tags.len())),
                "tags",
                &format!("have length less than or equal to {MAX_TAGS}"),
            );
        }
        let tags = if self.tags.len() > MAX_TAGS {
            &[][..]
        } else {
            &self.tags[..]
        };
        for (i, (key, value)) in tags.iter().enumerate() {
            let at = format!("tags.{}.member", i + 1);
            v.string(
                *key,
                &format!("{at}.key"),
                1,
                128,
                Some((KEY_PATTERN, tag_char)),
            );
            v.string(
                *value,
                &format!("{at}.value"),
                0,
                256,
                Some((VALUE_PATTERN, tag_char)),
            );
        }
        if self.transitive.len() > MAX_TAGS {
            v.add(
                Some(&format!("[{}]", self.transitive.join(", "))),
                "transitiveTagKeys",
                &format!("have length less than or equal to {MAX_TAGS}"),
            );
        }
        let transitive = if self.transitive.len() > MAX_TAGS {
            &[][..]
        } else {
            &self.transitive[..]
        };
        for (i, key) in transitive.iter().enumerate() {
            v.string(
                Some(key),
                &format!("transitiveTagKeys.{}.member", i + 1),
                1,
                128,
                Some((KEY_PATTERN, tag_char)),
            );
        }
    }

    /// The tags of the new session once the request is known to be well-formed: inherited
    /// transitive tags first, then the passed ones; and the transitive keys.
    pub(crate) fn resolve(
        &self,
        caller_session: Option<&SessionClaims>,
    ) -> Result<SessionTags, AwsError> {
        let passed: Vec<(&str, &str)> = self
            .tags
            .iter()
            .map(|(k, v)| (k.unwrap_or_default(), v.unwrap_or_default()))
            .collect();
        for (i, (key, _)) in passed.iter().enumerate() {
            if passed[..i].iter().any(|(k, _)| k.eq_ignore_ascii_case(key)) {
                return Err(invalid(DUPLICATE_KEYS));
            }
        }
        for key in &self.transitive {
            if !passed.iter().any(|(k, _)| k.eq_ignore_ascii_case(key)) {
                return Err(invalid(TRANSITIVE_NOT_IN_TAGS));
            }
        }
        let (inherited, inherited_keys) = match caller_session {
            Some(s) => (
                s.tags
                    .iter()
                    .filter(|(k, _)| {
                        s.transitive_tag_keys
                            .iter()
                            .any(|t| t.eq_ignore_ascii_case(k))
                    })
                    .cloned()
                    .collect::<Vec<_>>(),
                s.transitive_tag_keys.clone(),
            ),
            None => (Vec::new(), Vec::new()),
        };
        if passed
            .iter()
            .any(|(k, _)| inherited_keys.iter().any(|t| t.eq_ignore_ascii_case(k)))
        {
            return Err(invalid(TRANSITIVE_CONFLICT));
        }
        let mut tags = inherited;
        tags.extend(passed.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let mut keys = inherited_keys;
        keys.extend(self.transitive.iter().map(|k| k.to_string()));
        Ok((tags, keys))
    }
}

const KEY_PATTERN: &str = "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+";
const VALUE_PATTERN: &str = "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*";

/// `[\p{L}\p{Z}\p{N}_.:/=+\-@]`: letters, separators (spaces), numbers and `_.:/=+-@`.
fn tag_char(c: char) -> bool {
    c.is_alphanumeric() || (c.is_whitespace() && !c.is_control()) || "_.:/=+-@".contains(c)
}

fn invalid(message: impl Into<std::borrow::Cow<'static, str>>) -> AwsError {
    AwsError::new(400, "InvalidParameterValue", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims_with(tags: &[(&str, &str)], transitive: &[&str]) -> SessionClaims {
        let mut c = SessionClaims::new(
            "ASIAX".into(),
            "111111111111".into(),
            rolecall_model::session::SessionPrincipal::Role {
                role: "A".into(),
                session: "s".into(),
            },
            0,
            1,
        );
        c.tags = tags
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        c.transitive_tag_keys = transitive.iter().map(|k| k.to_string()).collect();
        c
    }

    #[test]
    fn keys_are_case_insensitive_and_transitive_keys_must_be_passed() {
        let dup = RequestedTags {
            tags: vec![(Some("Team"), Some("a")), (Some("team"), Some("b"))],
            transitive: vec![],
        };
        assert_eq!(dup.resolve(None).unwrap_err().message, DUPLICATE_KEYS);
        let missing = RequestedTags {
            tags: vec![(Some("Team"), Some("a"))],
            transitive: vec!["Project"],
        };
        assert_eq!(
            missing.resolve(None).unwrap_err().message,
            TRANSITIVE_NOT_IN_TAGS
        );
    }

    #[test]
    fn transitive_tags_are_inherited_and_cannot_be_passed_again() {
        let caller = claims_with(&[("Project", "blue"), ("Team", "x")], &["Project"]);
        let none = RequestedTags {
            tags: vec![],
            transitive: vec![],
        };
        let (tags, keys) = none.resolve(Some(&caller)).unwrap();
        assert_eq!(tags, vec![("Project".to_string(), "blue".to_string())]);
        assert_eq!(keys, vec!["Project".to_string()]);
        let again = RequestedTags {
            tags: vec![(Some("project"), Some("red"))],
            transitive: vec![],
        };
        assert_eq!(
            again.resolve(Some(&caller)).unwrap_err().message,
            TRANSITIVE_CONFLICT
        );
    }
}
