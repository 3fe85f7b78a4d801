//! The condition keys and values of one request.

use serde::Serialize;

/// One key's value: most keys are single-valued, a few (`aws:TagKeys`,
/// `aws:PrincipalOrgPaths`) carry a set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ContextValue {
    Single(String),
    Multi(Vec<String>),
}

impl ContextValue {
    /// The values as a slice, whether one or many.
    pub fn as_slice(&self) -> &[String] {
        match self {
            ContextValue::Single(s) => std::slice::from_ref(s),
            ContextValue::Multi(v) => v,
        }
    }
}

/// Condition keys and values of one request; key lookup is case-insensitive, as AWS
/// compares condition key names case-insensitively (IAM User Guide,
/// reference_policies_elements_condition.md).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Context {
    entries: Vec<(String, ContextValue)>,
}

impl Context {
    pub fn new() -> Self {
        Context::default()
    }

    /// Sets a single-valued key, replacing any earlier value of the same key.
    pub fn insert(&mut self, key: &str, value: impl Into<String>) {
        self.set(key, ContextValue::Single(value.into()));
    }

    /// Sets a multivalued key, replacing any earlier value of the same key.
    pub fn insert_multi(&mut self, key: &str, values: Vec<String>) {
        self.set(key, ContextValue::Multi(values));
    }

    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        self.entries
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    }

    /// All entries in insertion order, with the key as first written.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    fn set(&mut self, key: &str, value: ContextValue) {
        match self
            .entries
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
        {
            Some(entry) => entry.1 = value,
            None => self.entries.push((key.to_string(), value)),
        }
    }
}

impl crate::policy::RequestValues for Context {
    fn lookup(&self, key: &str) -> Option<&[String]> {
        self.get(key).map(ContextValue::as_slice)
    }
}
