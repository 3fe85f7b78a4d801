//! Splitting request text at an ASCII separator with a plain byte loop.
//!
//! `str::split(char)` starts a vectorised search for every piece it yields. On the short texts
//! a signed request is taken apart into (a credential scope, the Authorization header's
//! parameters, its list of signed headers, an ARN's six parts) starting that search costs more
//! than the search itself, and a request splits some thirty such pieces. An ASCII separator
//! never falls inside a multi-byte character, so the pieces are exactly those of `str::split`
//! (the property tests below check it against the standard library).

/// The pieces of `text` between occurrences of `separator`, like `text.split(separator)`.
pub fn split(text: &str, separator: u8) -> Split<'_> {
    debug_assert!(separator.is_ascii());
    Split {
        rest: Some(text),
        separator,
        pieces_left: usize::MAX,
    }
}

/// At most `n` pieces, the last holding the rest of `text`, like `text.splitn(n, separator)`.
pub fn splitn(text: &str, n: usize, separator: u8) -> Split<'_> {
    debug_assert!(separator.is_ascii());
    Split {
        rest: (n > 0).then_some(text),
        separator,
        pieces_left: n,
    }
}

/// The text before and after the first `separator`, like `text.split_once(separator)`.
pub fn split_once(text: &str, separator: u8) -> Option<(&str, &str)> {
    debug_assert!(separator.is_ascii());
    let at = find(text, separator)?;
    Some((&text[..at], &text[at + 1..]))
}

/// The text after the last `separator`, or all of it: `text.rsplit(separator).next()`.
pub fn last_piece(text: &str, separator: u8) -> &str {
    debug_assert!(separator.is_ascii());
    match text.bytes().rposition(|b| b == separator) {
        Some(at) => &text[at + 1..],
        None => text,
    }
}

fn find(text: &str, separator: u8) -> Option<usize> {
    text.bytes().position(|b| b == separator)
}

/// The iterator of [`split`] and [`splitn`].
#[derive(Debug, Clone)]
pub struct Split<'a> {
    /// What is left to split; `None` once the last piece was yielded.
    rest: Option<&'a str>,
    separator: u8,
    /// How many more pieces may be yielded; the last one is the whole rest.
    pieces_left: usize,
}

impl<'a> Iterator for Split<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        self.pieces_left -= 1;
        match find(rest, self.separator).filter(|_| self.pieces_left > 0) {
            Some(at) => {
                self.rest = Some(&rest[at + 1..]);
                Some(&rest[..at])
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Text made of separators, ASCII letters and multi-byte characters.
    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            proptest::sample::select(vec!["a", "b", ":", "/", ";", "é", "∂", "𝄞", ""]),
            0..16,
        )
        .prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn pieces_are_those_of_the_standard_split(text in text(), n in 0usize..5) {
            for separator in [b':', b'/', b';'] {
                let c = char::from(separator);
                prop_assert_eq!(split(&text, separator).collect::<Vec<_>>(), text.split(c).collect::<Vec<_>>());
                prop_assert_eq!(splitn(&text, n, separator).collect::<Vec<_>>(), text.splitn(n, c).collect::<Vec<_>>());
                prop_assert_eq!(split_once(&text, separator), text.split_once(c));
                prop_assert_eq!(Some(last_piece(&text, separator)), text.rsplit(c).next());
            }
        }
    }

    #[test]
    fn an_arn_splits_into_its_six_parts() {
        let arn = "arn:aws:iam::111111111111:role/path/Name";
        assert_eq!(
            splitn(arn, 6, b':').collect::<Vec<_>>(),
            ["arn", "aws", "iam", "", "111111111111", "role/path/Name"]
        );
        assert_eq!(last_piece(arn, b'/'), "Name");
        assert_eq!(split("", b':').collect::<Vec<_>>(), [""]);
    }
}
