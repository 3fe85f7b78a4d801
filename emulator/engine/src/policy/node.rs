//! A document tree that remembers where each value was written.
//!
//! Policy documents arrive in STS requests as JSON strings (read by [`Node::from_json`]) and
//! live inside scenario files as YAML (read into the same tree by the scenario loader), so the
//! policy parser can point at `line:column` for every mistake, whatever the source.

use crate::Location;

/// One value of a document, with the 1-based line and column where it starts
/// (0 when the position is not known).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: NodeValue,
    pub at: Location,
}

/// The value of a [`Node`]. Numbers keep their source text so `10` and `10.0` stay distinct,
/// as AWS compares condition values as text before converting them.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    List(Vec<Node>),
    /// Keys in document order, repeated ones included: the policy parser refuses them with
    /// the position of the second.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// A node with no known position (built in code, or from a source without positions).
    pub fn unplaced(value: NodeValue) -> Node {
        Node {
            value,
            at: Location::UNKNOWN,
        }
    }

    /// Reads a JSON document (RFC 8259), keeping each value's position.
    pub fn from_json(text: &str) -> Result<Node, NodeError> {
        super::json::read(text)
    }

    /// The string value, if this node is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The document as compact JSON text, keys in the order they were written and numbers as
    /// their source text: what AWS shows of a policy written in a scenario, and what its size
    /// is measured on.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        match &self.value {
            NodeValue::Null => out.push_str("null"),
            NodeValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            NodeValue::Number(n) => out.push_str(n),
            NodeValue::String(s) => write_json_string(s, out),
            NodeValue::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            NodeValue::Map(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    match key.as_str() {
                        Some(k) => write_json_string(k, out),
                        // JSON keys are strings; a YAML key of another kind is written as
                        // the text of its value, quoted.
                        None => write_json_string(&key.to_json(), out),
                    }
                    out.push(':');
                    value.write_json(out);
                }
                out.push('}');
            }
        }
    }

    /// A short name of the node's kind, for error messages.
    pub fn kind(&self) -> &'static str {
        match self.value {
            NodeValue::Null => "null",
            NodeValue::Bool(_) => "a boolean",
            NodeValue::Number(_) => "a number",
            NodeValue::String(_) => "a string",
            NodeValue::List(_) => "a list",
            NodeValue::Map(_) => "a map",
        }
    }
}

/// `s` as a JSON string (RFC 8259 section 7: the quote, the backslash and control characters
/// escaped, everything else as it is).
fn write_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A document that could not be read at all (bad JSON or YAML syntax).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{at}: {message}")]
pub struct NodeError {
    pub at: Location,
    pub message: String,
}
