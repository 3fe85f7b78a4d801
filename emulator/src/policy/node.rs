//! A document tree that remembers where each value was written.
//!
//! Policy documents live inside scenario files (written as YAML, or as JSON pasted into YAML,
//! since JSON is YAML's flow syntax) and arrive in STS requests as JSON strings. Both are read
//! into this one tree, so the policy parser can point at `line:column` for every mistake.

use crate::scenario::spanned::Spanned;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// One value of a document, with the 1-based line and column where it starts
/// (0 when the position is not known).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: NodeValue,
    pub line: u64,
    pub column: u64,
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
    /// Keys in document order. The YAML reader refuses repeated keys; a document read as
    /// plain JSON keeps the last, as JSON does (see `Policy::from_json`).
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// A node with no known position (built in code, or from a source without positions).
    pub fn unplaced(value: NodeValue) -> Node {
        Node {
            value,
            line: 0,
            column: 0,
        }
    }

    /// Reads a document written as YAML or JSON.
    pub fn from_yaml_or_json(text: &str) -> Result<Node, NodeError> {
        serde_saphyr::from_str::<Node>(text).map_err(|e| {
            let (line, column) = e
                .location()
                .map(|l| (l.line(), l.column()))
                .unwrap_or((0, 0));
            NodeError {
                line,
                column,
                message: first_line(&e.to_string()),
            }
        })
    }

    /// The string value, if this node is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::String(s) => Some(s),
            _ => None,
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

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().to_string()
}

/// A document that could not be read at all (bad YAML/JSON syntax).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct NodeError {
    pub line: u64,
    pub column: u64,
    pub message: String,
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<NodeValue>::deserialize(deserializer)?;
        let (line, column) = (spanned.line(), spanned.column());
        Ok(Node {
            value: spanned.value,
            line,
            column,
        })
    }
}

impl<'de> Deserialize<'de> for NodeValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = NodeValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML or JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<NodeValue, E> {
        Ok(NodeValue::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<NodeValue, E> {
        Ok(NodeValue::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<NodeValue, D::Error> {
        NodeValue::deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<NodeValue, E> {
        Ok(NodeValue::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<NodeValue, E> {
        Ok(NodeValue::Number(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<NodeValue, E> {
        Ok(NodeValue::Number(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<NodeValue, E> {
        Ok(NodeValue::Number(v.to_string()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<NodeValue, E> {
        Ok(NodeValue::String(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<NodeValue, E> {
        Ok(NodeValue::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NodeValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(NodeValue::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NodeValue, A::Error> {
        let mut entries: Vec<(Node, Node)> = Vec::new();
        while let Some(key) = map.next_key::<Node>()? {
            // The YAML reader refuses a repeated key before it gets here, except where it was
            // told to pass them on (`crate::scenario::unique` says when); refusing it here too
            // sends such a read back to the one that reports it.
            if entries.iter().any(|(k, _)| k.value == key.value) {
                return Err(de::Error::custom("duplicate mapping key"));
            }
            let value = map.next_value::<Node>()?;
            entries.push((key, value));
        }
        Ok(NodeValue::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_positions_are_kept_for_nested_values() {
        let n = Node::from_yaml_or_json("Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n")
            .unwrap();
        let NodeValue::Map(entries) = &n.value else {
            panic!("not a map")
        };
        let (_, stmts) = &entries[1];
        let NodeValue::List(items) = &stmts.value else {
            panic!("not a list")
        };
        let NodeValue::Map(stmt) = &items[0].value else {
            panic!("not a map")
        };
        assert_eq!(stmt[0].1.as_str(), Some("Allow"));
        assert_eq!((stmt[0].1.line, stmt[0].1.column), (3, 13));
    }

    #[test]
    fn json_is_read_with_positions() {
        let n =
            Node::from_yaml_or_json("{\"Version\": \"2012-10-17\",\n \"Statement\": []}").unwrap();
        let NodeValue::Map(entries) = &n.value else {
            panic!("not a map")
        };
        assert_eq!(entries[1].0.line, 2);
        assert_eq!(entries[0].1.as_str(), Some("2012-10-17"));
    }

    #[test]
    fn syntax_errors_carry_a_position() {
        let e = Node::from_yaml_or_json("a: [1, 2\nb: 3").unwrap_err();
        assert!(e.line >= 1, "{e}");
    }
}
