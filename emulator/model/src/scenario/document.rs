//! Policy documents written in a scenario file, read into the engine's position-aware tree.
//!
//! A document in a scenario is YAML, or JSON pasted into YAML (JSON is YAML's flow syntax).
//! Either way it is read here into [`Node`]s that carry the line and column of each value in
//! the scenario file, so a policy mistake is reported where the user wrote it.

use super::spanned::Spanned;
use rolecall_engine::policy::node::{Node, NodeValue};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::ops::Deref;

/// A policy document as a scenario declares it.
#[derive(Debug, Clone, PartialEq)]
pub struct Document(pub Node);

impl Deref for Document {
    type Target = Node;

    fn deref(&self) -> &Node {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Value>::deserialize(deserializer)?;
        Ok(Document(Node {
            value: spanned.value.0,
            at: spanned.at,
        }))
    }
}

/// A node's value as read from YAML; its position is the [`Spanned`] around it.
struct Value(NodeValue);

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor).map(Value)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
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
        Value::deserialize(d).map(|v| v.0)
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
        while let Some(item) = seq.next_element::<Document>()? {
            items.push(item.0);
        }
        Ok(NodeValue::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NodeValue, A::Error> {
        let mut entries: Vec<(Node, Node)> = Vec::new();
        while let Some(key) = map.next_key::<Document>()? {
            // The YAML reader refuses a repeated key before it gets here, except where it was
            // told to pass them on (`super::unique` says when); refusing it here too sends
            // such a read back to the one that reports it.
            if entries.iter().any(|(k, _)| k.value == key.value) {
                return Err(de::Error::custom("duplicate mapping key"));
            }
            let value = map.next_value::<Document>()?;
            entries.push((key.0, value.0));
        }
        Ok(NodeValue::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rolecall_engine::policy::Policy;
    use rolecall_engine::Location;

    fn read(text: &str) -> Node {
        serde_saphyr::from_str::<Document>(text).unwrap().0
    }

    #[test]
    fn yaml_positions_are_kept_for_nested_values() {
        let n = read("Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n");
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
        assert_eq!(stmt[0].1.at, Location::new(3, 13));
    }

    #[test]
    fn json_in_yaml_is_read_with_positions() {
        let n = read("{\"Version\": \"2012-10-17\",\n \"Statement\": []}");
        let NodeValue::Map(entries) = &n.value else {
            panic!("not a map")
        };
        assert_eq!(entries[1].0.at.line, 2);
        assert_eq!(entries[0].1.as_str(), Some("2012-10-17"));
    }

    #[test]
    fn yaml_policies_evaluate_like_json() {
        let yaml = "Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n    Action: [ec2:Describe*]\n    Resource: '*'\n";
        let from_yaml = Policy::from_node(&read(yaml)).unwrap();
        let from_json = Policy::from_json(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:Describe*"],"Resource":"*"}]}"#,
        )
        .unwrap();
        assert_eq!(
            from_yaml,
            from_json_without_positions(from_json, &from_yaml)
        );
    }

    /// `json` with the positions of `yaml`, which reads the same policy from other text.
    fn from_json_without_positions(mut json: Policy, yaml: &Policy) -> Policy {
        for (j, y) in json.statements.iter_mut().zip(&yaml.statements) {
            j.at = y.at;
            j.action.at = y.action.at;
            if let (Some(jr), Some(yr)) = (&mut j.resource, &y.resource) {
                jr.at = yr.at;
            }
        }
        json
    }

    #[test]
    fn yaml_policy_mistakes_point_at_the_value() {
        for (text, at, needle) in [
            (
                "Version: '2012-10-17'\nStatement:\n  - Effect: Permit\n    Action: '*'\n    Resource: '*'\n",
                Location::new(3, 13),
                "Effect must be",
            ),
            (
                "Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n    Action: '*'\n    Resource: '*'\n    Condition:\n      StringEqual:\n        aws:username: alice\n",
                Location::new(7, 7),
                "unknown condition operator",
            ),
        ] {
            let e = Policy::from_node(&read(text)).unwrap_err();
            assert_eq!(e.at, at, "{e}");
            assert!(e.message.contains(needle), "{e}");
        }
    }
}
