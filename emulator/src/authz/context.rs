//! The condition keys and values of one request.

use serde::Serialize;
use std::borrow::Cow;

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
    /// Most keys are the services' string literals, kept without copying.
    entries: Vec<(Cow<'static, str>, ContextValue)>,
}

impl Context {
    pub fn new() -> Self {
        Context {
            entries: Vec::with_capacity(24),
        }
    }

    /// Sets a single-valued key, replacing any earlier value of the same key.
    pub fn insert(&mut self, key: &str, value: impl Into<String>) {
        self.set(
            Cow::Owned(key.to_string()),
            ContextValue::Single(value.into()),
        );
    }

    /// Sets a single-valued key named by a literal: no copy of the key is made.
    pub fn insert_static(&mut self, key: &'static str, value: impl Into<String>) {
        self.set(Cow::Borrowed(key), ContextValue::Single(value.into()));
    }

    /// Sets a multivalued key, replacing any earlier value of the same key.
    pub fn insert_multi(&mut self, key: &str, values: Vec<String>) {
        self.set(Cow::Owned(key.to_string()), ContextValue::Multi(values));
    }

    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        self.entries
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    }

    /// All entries in insertion order, with the key as first written.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.entries.iter().map(|(k, v)| (k.as_ref(), v))
    }

    fn set(&mut self, key: Cow<'static, str>, value: ContextValue) {
        match self
            .entries
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(&key))
        {
            Some(entry) => entry.1 = value,
            None => self.entries.push((key, value)),
        }
    }
}

impl crate::policy::RequestValues for Context {
    fn lookup(&self, key: &str) -> Option<&[String]> {
        self.get(key).map(ContextValue::as_slice)
    }
}
