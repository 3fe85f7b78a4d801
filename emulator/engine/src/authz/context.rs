//! The condition keys and values of one request.
//!
//! A [`Context`] holds the keys a service set explicitly and, underneath, an optional base
//! layer that answers the rest when asked. Most policies read no condition key at all, so the
//! services hand the request-wide keys (who is calling, from where, when) over as such a
//! layer: a value is worked out only if a policy reads it. The engine sees one
//! [`RequestValues`] either way and knows nothing of where the values come from.

use crate::policy::RequestValues;
use std::borrow::Cow;

/// One key's value: most keys are single-valued, a few (`aws:TagKeys`,
/// `aws:PrincipalOrgPaths`) carry a set.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
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
#[derive(Default)]
pub struct Context<'a> {
    /// Keys set explicitly, which shadow the base. Most keys are the services' string
    /// literals, kept without copying.
    entries: Vec<(Cow<'static, str>, ContextValue)>,
    /// The keys computed on demand, consulted for any key not set explicitly.
    base: Option<Box<dyn RequestValues + 'a>>,
}

impl std::fmt::Debug for Context<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("entries", &self.entries)
            .field("base", &self.base.as_ref().map(|_| ".."))
            .finish()
    }
}

impl<'a> Context<'a> {
    pub fn new() -> Self {
        Context::default()
    }

    /// A context whose keys not set explicitly are answered by `base`.
    pub fn over(base: impl RequestValues + 'a) -> Self {
        Context {
            entries: Vec::new(),
            base: Some(Box::new(base)),
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

    /// A key set explicitly (the base is not consulted).
    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        self.entries
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    }

    /// The keys set explicitly, in insertion order, with the key as first written.
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

impl RequestValues for Context<'_> {
    fn lookup(&self, key: &str) -> Option<&[String]> {
        match self.get(key) {
            Some(value) => Some(value.as_slice()),
            None => self.base.as_ref()?.lookup(key),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Base;

    impl RequestValues for Base {
        fn lookup(&self, key: &str) -> Option<&[String]> {
            static VALUE: std::sync::LazyLock<[String; 1]> =
                std::sync::LazyLock::new(|| ["from-base".to_string()]);
            key.eq_ignore_ascii_case("aws:SourceIp")
                .then_some(&VALUE[..])
        }
    }

    #[test]
    fn explicit_keys_shadow_the_base_whatever_their_case() {
        let mut ctx = Context::over(Base);
        assert_eq!(
            ctx.lookup("AWS:SOURCEIP"),
            Some(&["from-base".to_string()][..])
        );
        assert_eq!(ctx.lookup("aws:username"), None);
        ctx.insert("aws:sourceip", "explicit");
        assert_eq!(
            ctx.lookup("aws:SourceIp"),
            Some(&["explicit".to_string()][..])
        );
    }
}
