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

/// A document that could not be read at all (bad JSON or YAML syntax).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{at}: {message}")]
pub struct NodeError {
    pub at: Location,
    pub message: String,
}
