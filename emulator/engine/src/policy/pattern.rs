//! Text patterns of the policy language, compiled once: `*` and `?` wildcards and policy
//! variables (`${aws:username}`, `${aws:PrincipalTag/team, 'default'}`, `${*}`).
//!
//! A pattern is a list of pieces. Matching walks the pieces against the request text and
//! looks variables up in the request values as it meets them, so evaluation never
//! re-parses and never allocates.

use super::eval::RequestValues;

/// One piece of a compiled pattern.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    /// Text that must appear as written (after case folding, if the match folds case).
    Text(String),
    /// `*`: any run of characters, including none.
    AnyRun,
    /// `?`: exactly one character.
    AnyChar,
    /// A policy variable, by lower-case key name (key names are case-insensitive: IAM User
    /// Guide, reference_policies_variables.md), with its default value if one was given.
    Variable {
        key: String,
        default: Option<String>,
    },
}

/// What a pattern's source text may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Syntax {
    /// `*` and `?` are wildcards (otherwise they are ordinary characters).
    pub wildcards: bool,
    /// `${...}` is a policy variable (only in Version 2012-10-17 documents, and only where
    /// the language allows variables).
    pub variables: bool,
}

/// A compiled text pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    source: String,
    pieces: Vec<Piece>,
}

impl Pattern {
    /// Compiles `source`. The only error is a malformed variable default.
    pub fn compile(source: &str, syntax: Syntax) -> Result<Pattern, String> {
        let mut pieces = Vec::new();
        let mut text = String::new();
        let mut rest = source;
        while let Some(c) = rest.chars().next() {
            if syntax.variables && rest.starts_with("${") {
                if let Some(end) = rest.find('}') {
                    let inner = &rest[2..end];
                    rest = &rest[end + 1..];
                    match parse_variable(inner)? {
                        VariableOrLiteral::Literal(ch) => text.push(ch),
                        VariableOrLiteral::Variable { key, default } => {
                            flush(&mut text, &mut pieces);
                            pieces.push(Piece::Variable { key, default });
                        }
                    }
                    continue;
                }
            }
            rest = &rest[c.len_utf8()..];
            match c {
                '*' if syntax.wildcards => {
                    flush(&mut text, &mut pieces);
                    // Consecutive stars match what one star matches.
                    if pieces.last() != Some(&Piece::AnyRun) {
                        pieces.push(Piece::AnyRun);
                    }
                }
                '?' if syntax.wildcards => {
                    flush(&mut text, &mut pieces);
                    pieces.push(Piece::AnyChar);
                }
                _ => text.push(c),
            }
        }
        flush(&mut text, &mut pieces);
        Ok(Pattern {
            source: source.to_string(),
            pieces,
        })
    }

    /// The text the pattern was compiled from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the pattern is a lone `*` wildcard.
    pub fn is_any(&self) -> bool {
        self.pieces == [Piece::AnyRun]
    }

    /// Whether the pattern contains policy variables.
    pub fn has_variables(&self) -> bool {
        self.pieces
            .iter()
            .any(|p| matches!(p, Piece::Variable { .. }))
    }

    /// Matches the whole of `text`. A variable whose key is missing (and has no default) or
    /// is multivalued makes the pattern match nothing: AWS treats such a variable as null,
    /// "there is no equal or like value" (reference_policies_variables.md).
    pub fn matches(&self, text: &str, fold_case: bool, values: &dyn RequestValues) -> bool {
        let t = text.as_bytes();
        let (mut p, mut i) = (0usize, 0usize);
        // After a `*`: the piece index following it and the text index it has reached.
        let mut star: Option<(usize, usize)> = None;
        loop {
            if p < self.pieces.len() {
                let advanced = match &self.pieces[p] {
                    // A trailing `*` matches whatever is left.
                    Piece::AnyRun if p + 1 == self.pieces.len() => return true,
                    Piece::AnyRun => {
                        star = Some((p + 1, i));
                        p += 1;
                        continue;
                    }
                    Piece::AnyChar => {
                        if i < t.len() {
                            i += char_len(t[i]);
                            true
                        } else {
                            false
                        }
                    }
                    Piece::Text(s) => eat(t, &mut i, s.as_bytes(), fold_case),
                    Piece::Variable { key, default } => match resolve(values, key, default) {
                        Some(v) => eat(t, &mut i, v.as_bytes(), fold_case),
                        None => return false,
                    },
                };
                if advanced {
                    p += 1;
                    continue;
                }
            } else if i == t.len() {
                return true;
            }
            match star {
                Some((after, reached)) if reached < t.len() => {
                    let next = reached + char_len(t[reached]);
                    star = Some((after, next));
                    p = after;
                    i = next;
                }
                _ => return false,
            }
        }
    }
}

/// The value of a variable in this request, or `None` when it cannot be substituted.
fn resolve<'v>(
    values: &'v dyn RequestValues,
    key: &str,
    default: &'v Option<String>,
) -> Option<&'v str> {
    match values.lookup(key) {
        Some([one]) => Some(one.as_str()),
        Some([]) | None => default.as_deref(),
        Some(_) => None,
    }
}

/// Consumes `want` at `t[*i..]` if it is there.
fn eat(t: &[u8], i: &mut usize, want: &[u8], fold_case: bool) -> bool {
    let Some(have) = t.get(*i..*i + want.len()) else {
        return false;
    };
    let equal = if fold_case {
        have.eq_ignore_ascii_case(want)
    } else {
        have == want
    };
    if equal {
        *i += want.len();
    }
    equal
}

/// The length of the UTF-8 character starting with byte `b`.
fn char_len(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

fn flush(text: &mut String, pieces: &mut Vec<Piece>) {
    if !text.is_empty() {
        pieces.push(Piece::Text(std::mem::take(text)));
    }
}

enum VariableOrLiteral {
    Literal(char),
    Variable {
        key: String,
        default: Option<String>,
    },
}

/// Reads the inside of `${...}`: a key, optionally `, 'default'`; or one of the escapes
/// `${*}`, `${?}`, `${$}` that stand for the literal character.
fn parse_variable(inner: &str) -> Result<VariableOrLiteral, String> {
    let trimmed = inner.trim();
    match trimmed {
        "*" => return Ok(VariableOrLiteral::Literal('*')),
        "?" => return Ok(VariableOrLiteral::Literal('?')),
        "$" => return Ok(VariableOrLiteral::Literal('$')),
        _ => {}
    }
    let (key, default) = match trimmed.split_once(',') {
        None => (trimmed, None),
        Some((key, default)) => {
            let default = default.trim();
            let quoted = default
                .strip_prefix('\'')
                .and_then(|d| d.strip_suffix('\''))
                .filter(|_| default.len() >= 2);
            match quoted {
                Some(d) => (key.trim(), Some(d.to_string())),
                None => {
                    return Err(format!(
                        "the default value of policy variable ${{{inner}}} must be in single quotes"
                    ))
                }
            }
        }
    };
    if key.is_empty() {
        return Err(format!("policy variable ${{{inner}}} has no key name"));
    }
    Ok(VariableOrLiteral::Variable {
        key: key.to_ascii_lowercase(),
        default,
    })
}

/// A pattern over an ARN, compared segment by segment: a wildcard never crosses a `:` in
/// the first five segments ("Each of the six colon-delimited components of the ARN is
/// checked separately", reference_policies_elements_condition_operators.md), while the
/// resource part (the last segment) may hold `/` and `:` and its `*` spans both
/// (reference_policies_elements_resource.md). A pattern with fewer than six segments,
/// such as `*` or `arn:aws:s3:*`, lets its last segment match the rest of the ARN.
#[derive(Debug, Clone, PartialEq)]
pub struct ArnPattern {
    segments: Vec<Pattern>,
}

impl ArnPattern {
    pub fn compile(source: &str, syntax: Syntax) -> Result<ArnPattern, String> {
        let segments = split_segments(source, syntax.variables)
            .into_iter()
            .map(|s| Pattern::compile(s, syntax))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ArnPattern { segments })
    }

    /// The text the pattern was compiled from.
    pub fn source(&self) -> String {
        let parts: Vec<&str> = self.segments.iter().map(Pattern::source).collect();
        parts.join(":")
    }

    /// Whether the pattern is a lone `*`.
    pub fn is_any(&self) -> bool {
        self.segments.len() == 1 && self.segments[0].is_any()
    }

    /// ARNs are compared case-sensitively (reference_policies_elements_resource.md).
    pub fn matches(&self, arn: &str, values: &dyn RequestValues) -> bool {
        let mut parts = crate::ascii_split::splitn(arn, self.segments.len(), b':');
        self.segments.iter().all(|segment| match parts.next() {
            Some(part) => segment.matches(part, false, values),
            None => false,
        })
    }
}

/// Splits an ARN pattern into at most six segments at the colons outside `${...}`
/// (variable names such as `aws:username` contain colons themselves).
fn split_segments(source: &str, variables: bool) -> Vec<&str> {
    let mut segments = Vec::with_capacity(6);
    let mut start = 0;
    let mut in_variable = false;
    let bytes = source.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if segments.len() == 5 {
            break;
        }
        match b {
            b'{' if variables && i > 0 && bytes[i - 1] == b'$' => in_variable = true,
            b'}' if in_variable => in_variable = false,
            b':' if !in_variable => {
                segments.push(&source[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    segments.push(&source[start..]);
    segments
}
