//! A JSON reader that keeps where each value was written.
//!
//! Policy documents arrive as JSON text: session policies in STS requests, documents handed
//! to the engine by tests and tools. The parser points at `line:column` for every mistake, and
//! serde_json does not keep positions, so this reads RFC 8259 JSON into the position-aware
//! [`Node`] tree itself. Numbers keep their source text (`10` and `10.0` stay distinct, as IAM
//! compares condition values as text); repeated keys are kept in order, for the policy parser
//! to refuse at the second one.
//!
//! A property test holds this reader to serde_json: both accept the same texts and read the
//! same values.

use super::node::{Node, NodeError, NodeValue};
use crate::Location;

/// Nesting deeper than this is refused instead of read recursively without bound (serde_json
/// stops at the same depth; a policy nests six levels at most).
const MAX_DEPTH: usize = 128;

/// Reads one JSON value, with nothing but whitespace around it.
pub(crate) fn read(text: &str) -> Result<Node, NodeError> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        line: 1,
        column: 1,
        depth: 0,
    };
    let node = reader.value()?;
    reader.skip_whitespace();
    if reader.pos < reader.bytes.len() {
        return Err(reader.error_here("trailing characters"));
    }
    Ok(node)
}

struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    /// Byte offset of the next byte to read.
    pos: usize,
    /// Line and column (in characters) of `pos`.
    line: u32,
    column: u32,
    depth: usize,
}

impl Reader<'_> {
    fn here(&self) -> Location {
        Location::new(self.line, self.column)
    }

    fn error_here(&self, message: &str) -> NodeError {
        NodeError {
            at: self.here(),
            message: message.to_string(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Steps over one ASCII byte on the current line.
    fn bump(&mut self) {
        self.pos += 1;
        self.column = self.column.saturating_add(1);
    }

    fn skip_whitespace(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\r' => self.bump(),
                b'\n' => {
                    self.pos += 1;
                    self.line = self.line.saturating_add(1);
                    self.column = 1;
                }
                _ => break,
            }
        }
    }

    fn value(&mut self) -> Result<Node, NodeError> {
        self.skip_whitespace();
        let at = self.here();
        let value = match self.peek() {
            None => return Err(self.error_here("EOF while parsing a value")),
            Some(b'{') => self.nested(Self::object)?,
            Some(b'[') => self.nested(Self::array)?,
            Some(b'"') => NodeValue::String(self.string()?),
            Some(b't') => self.literal("true", NodeValue::Bool(true))?,
            Some(b'f') => self.literal("false", NodeValue::Bool(false))?,
            Some(b'n') => self.literal("null", NodeValue::Null)?,
            Some(b'-' | b'0'..=b'9') => NodeValue::Number(self.number()?),
            Some(_) => return Err(self.error_here("expected value")),
        };
        Ok(Node { value, at })
    }

    /// Reads a list or map one level deeper, refusing documents nested too deeply.
    fn nested(
        &mut self,
        read: fn(&mut Self) -> Result<NodeValue, NodeError>,
    ) -> Result<NodeValue, NodeError> {
        if self.depth == MAX_DEPTH {
            return Err(self.error_here("recursion limit exceeded"));
        }
        self.depth += 1;
        let value = read(self);
        self.depth -= 1;
        value
    }

    fn literal(&mut self, word: &str, value: NodeValue) -> Result<NodeValue, NodeError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            for _ in 0..word.len() {
                self.bump();
            }
            Ok(value)
        } else {
            Err(self.error_here("expected ident"))
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, kept as written.
    fn number(&mut self) -> Result<String, NodeError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.bump();
        }
        match self.peek() {
            Some(b'0') => self.bump(),
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error_here("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.bump();
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error_here("invalid number"));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.bump();
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.bump();
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error_here("invalid number"));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'0'..=b'9')) {
            // A leading zero followed by more digits.
            return Err(self.error_here("invalid number"));
        }
        Ok(self.text[start..self.pos].to_string())
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.bump();
        }
    }

    /// A string, from its opening quote to past its closing one, escapes decoded.
    fn string(&mut self) -> Result<String, NodeError> {
        self.bump();
        let mut out = String::new();
        loop {
            // The run up to the next quote, backslash or control character is copied as is;
            // those three are ASCII, so the run ends on a character boundary.
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
                // Columns count characters: every byte but UTF-8 continuation bytes.
                if b & 0xC0 != 0x80 {
                    self.column = self.column.saturating_add(1);
                }
            }
            out.push_str(&self.text[run_start..self.pos]);
            match self.peek() {
                None => return Err(self.error_here("EOF while parsing a string")),
                Some(b'"') => {
                    self.bump();
                    return Ok(out);
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(_) => {
                    return Err(self.error_here(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ))
                }
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), NodeError> {
        let at = self.here();
        self.bump();
        let simple = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.bump();
                let first = self.hex4()?;
                let c = match first {
                    0xD800..=0xDBFF => {
                        // A leading surrogate must be followed by an escaped trailing one.
                        if !self.bytes[self.pos..].starts_with(b"\\u") {
                            return Err(NodeError {
                                at,
                                message: "lone leading surrogate in hex escape".into(),
                            });
                        }
                        self.bump();
                        self.bump();
                        let second = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&second) {
                            return Err(NodeError {
                                at,
                                message: "lone leading surrogate in hex escape".into(),
                            });
                        }
                        0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                    }
                    other => other,
                };
                let Some(c) = char::from_u32(c) else {
                    return Err(NodeError {
                        at,
                        message: "invalid unicode code point".into(),
                    });
                };
                out.push(c);
                return Ok(());
            }
            None => return Err(self.error_here("EOF while parsing a string")),
            Some(_) => {
                return Err(NodeError {
                    at,
                    message: "invalid escape".into(),
                })
            }
        };
        self.bump();
        out.push(simple);
        Ok(())
    }

    /// Four hex digits of a `\u` escape.
    fn hex4(&mut self) -> Result<u32, NodeError> {
        let mut value = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                None => return Err(self.error_here("EOF while parsing a string")),
                Some(_) => return Err(self.error_here("invalid escape")),
            };
            value = value * 16 + u32::from(digit);
            self.bump();
        }
        Ok(value)
    }

    fn array(&mut self) -> Result<NodeValue, NodeError> {
        self.bump();
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.bump();
            return Ok(NodeValue::List(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    self.bump();
                    self.skip_whitespace();
                    if self.peek() == Some(b']') {
                        return Err(self.error_here("trailing comma"));
                    }
                }
                Some(b']') => {
                    self.bump();
                    return Ok(NodeValue::List(items));
                }
                None => return Err(self.error_here("EOF while parsing a list")),
                Some(_) => return Err(self.error_here("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self) -> Result<NodeValue, NodeError> {
        self.bump();
        let mut entries = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.bump();
            return Ok(NodeValue::Map(entries));
        }
        loop {
            self.skip_whitespace();
            let at = self.here();
            let key = match self.peek() {
                Some(b'"') => self.string()?,
                None => return Err(self.error_here("EOF while parsing an object")),
                Some(_) => return Err(self.error_here("key must be a string")),
            };
            self.skip_whitespace();
            match self.peek() {
                Some(b':') => self.bump(),
                None => return Err(self.error_here("EOF while parsing an object")),
                Some(_) => return Err(self.error_here("expected `:`")),
            }
            let value = self.value()?;
            entries.push((
                Node {
                    value: NodeValue::String(key),
                    at,
                },
                value,
            ));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    self.bump();
                    self.skip_whitespace();
                    if self.peek() == Some(b'}') {
                        return Err(self.error_here("trailing comma"));
                    }
                }
                Some(b'}') => {
                    self.bump();
                    return Ok(NodeValue::Map(entries));
                }
                None => return Err(self.error_here("EOF while parsing an object")),
                Some(_) => return Err(self.error_here("expected `,` or `}`")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(node: &Node) -> (u32, u32) {
        (node.at.line, node.at.column)
    }

    #[test]
    fn values_keys_and_containers_keep_their_first_character() {
        let n = read("{\"Version\": \"2012-10-17\",\n \"Statement\": [ {\"é\": 1.50} ]}").unwrap();
        assert_eq!(at(&n), (1, 1));
        let NodeValue::Map(entries) = &n.value else {
            panic!("not a map")
        };
        assert_eq!(at(&entries[0].0), (1, 2));
        assert_eq!(at(&entries[0].1), (1, 13));
        assert_eq!(at(&entries[1].0), (2, 2));
        let NodeValue::List(items) = &entries[1].1.value else {
            panic!("not a list")
        };
        assert_eq!(at(&items[0]), (2, 17));
        let NodeValue::Map(inner) = &items[0].value else {
            panic!("not a map")
        };
        // Columns count characters: "é" is one, though two bytes.
        assert_eq!(at(&inner[0].1), (2, 23));
        assert_eq!(inner[0].1.value, NodeValue::Number("1.50".into()));
    }

    #[test]
    fn repeated_keys_are_kept_for_the_parser_to_refuse() {
        let n = read(r#"{"a": 1, "a": 2}"#).unwrap();
        let NodeValue::Map(entries) = &n.value else {
            panic!("not a map")
        };
        assert_eq!(entries.len(), 2);
        assert_eq!(at(&entries[1].0), (1, 10));
    }

    #[test]
    fn mistakes_are_reported_where_they_are() {
        for (text, line, column, message) in [
            ("", 1, 1, "EOF while parsing a value"),
            ("{\"a\": [1, 2}", 1, 12, "expected `,` or `]`"),
            ("{\"a\" 1}", 1, 6, "expected `:`"),
            ("{\"a\": 1,}", 1, 9, "trailing comma"),
            ("[1]\n x", 2, 2, "trailing characters"),
            (
                "\"a\u{1}\"",
                1,
                3,
                "control character (\\u0000-\\u001F) found while parsing a string",
            ),
            ("\"\\x\"", 1, 2, "invalid escape"),
            ("\"\\ud800\"", 1, 2, "lone leading surrogate in hex escape"),
            ("01", 1, 2, "invalid number"),
            ("-", 1, 2, "invalid number"),
            ("tru", 1, 1, "expected ident"),
            ("{1: 2}", 1, 2, "key must be a string"),
        ] {
            let e = read(text).unwrap_err();
            assert_eq!(
                (e.at.line, e.at.column, e.message.as_str()),
                (line, column, message),
                "{text:?}"
            );
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = "[".repeat(MAX_DEPTH + 1);
        assert_eq!(read(&deep).unwrap_err().message, "recursion limit exceeded");
        let fine = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(read(&fine).is_ok());
    }

    #[test]
    fn escapes_decode_to_their_characters() {
        let n = read(r#""\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#).unwrap();
        assert_eq!(
            n.value,
            NodeValue::String("\"\\/\u{8}\u{c}\n\r\t\u{e9}\u{1F600}".into())
        );
    }

    /// The value serde_json reads, as a node without positions; numbers as serde_json
    /// writes them.
    fn from_serde(value: &serde_json::Value) -> NodeValue {
        match value {
            serde_json::Value::Null => NodeValue::Null,
            serde_json::Value::Bool(b) => NodeValue::Bool(*b),
            serde_json::Value::Number(n) => NodeValue::Number(n.to_string()),
            serde_json::Value::String(s) => NodeValue::String(s.clone()),
            serde_json::Value::Array(items) => NodeValue::List(
                items
                    .iter()
                    .map(|v| Node::unplaced(from_serde(v)))
                    .collect(),
            ),
            serde_json::Value::Object(map) => NodeValue::Map(
                map.iter()
                    .map(|(k, v)| {
                        (
                            Node::unplaced(NodeValue::String(k.clone())),
                            Node::unplaced(from_serde(v)),
                        )
                    })
                    .collect(),
            ),
        }
    }

    /// The node without positions. Numbers stay as written, which is as serde_json wrote them.
    fn unplaced(node: &Node) -> NodeValue {
        match &node.value {
            NodeValue::List(items) => {
                NodeValue::List(items.iter().map(|i| Node::unplaced(unplaced(i))).collect())
            }
            NodeValue::Map(entries) => NodeValue::Map(
                entries
                    .iter()
                    .map(|(k, v)| (Node::unplaced(unplaced(k)), Node::unplaced(unplaced(v))))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::Bool),
            any::<i64>().prop_map(serde_json::Value::from),
            (-1.0e9f64..1.0e9).prop_map(serde_json::Value::from),
            any::<String>().prop_map(serde_json::Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
                proptest::collection::btree_map(any::<String>(), inner, 0..6)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// Bytes that are mostly JSON punctuation, for texts both readers must agree to refuse.
    fn json_soup() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            proptest::sample::select(
                &[
                    "{", "}", "[", "]", ":", ",", "\"a\"", "\"\\u", "d83d", "\\", "1", "-", ".",
                    "e", "0", "true", "nul", " ", "\n", "\"", "é",
                ][..],
            ),
            0..24,
        )
        .prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn reads_what_serde_json_writes(value in json_value(), pretty in any::<bool>()) {
            let text = if pretty {
                serde_json::to_string_pretty(&value).unwrap()
            } else {
                serde_json::to_string(&value).unwrap()
            };
            let node = read(&text).unwrap();
            prop_assert_eq!(unplaced(&node), from_serde(&value));
        }

        #[test]
        fn accepts_exactly_what_serde_json_accepts(text in json_soup()) {
            // serde_json keeps the last of repeated keys where this reader keeps both; only
            // acceptance is compared.
            let serde = serde_json::from_str::<serde_json::Value>(&text).is_ok();
            prop_assert_eq!(read(&text).is_ok(), serde, "{:?}", text);
        }
    }
}
