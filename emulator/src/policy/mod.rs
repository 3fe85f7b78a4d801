//! The IAM policy language: a position-aware document tree ([`node`]) parsed once, at scenario
//! load, into a typed [`Policy`] that the authorization engine evaluates without re-parsing.

pub mod node;

use serde::Serialize;

/// Where a policy is used. The same grammar serves every kind; which elements a kind
/// requires or forbids (a `Principal` in a trust policy, a `Resource` in an identity
/// policy) is checked by [`Policy::check_for`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum PolicyType {
    ServiceControl,
    ResourceControl,
    ResourceBased,
    RoleTrust,
    IdentityBased,
    PermissionsBoundary,
    Session,
}

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub version: Version,
    pub id: Option<String>,
    pub statements: Vec<Statement>,
}

/// The policy language version. Without a `Version` element AWS applies 2008 semantics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Version {
    V2008_10_17,
    V2012_10_17,
}

/// One statement of a policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sid: Option<String>,
    pub effect: Effect,
    pub line: u64,
    pub column: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Effect {
    Allow,
    Deny,
}

/// A policy document that could not be parsed, with the position of the offending value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct PolicyError {
    pub line: u64,
    pub column: u64,
    pub message: String,
}

/// A policy with the name it is known by in explanations: for managed policies and SCPs, the ARN.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedPolicy {
    pub name: String,
    pub arn: Option<String>,
    pub policy: Policy,
}

impl Policy {
    /// Parses a document tree (from a scenario file) into the typed form.
    pub fn from_node(node: &node::Node) -> Result<Policy, PolicyError> {
        Err(PolicyError {
            line: node.line,
            column: node.column,
            message: "not yet parsed".into(),
        })
    }

    /// Parses a JSON text (session policies, tests).
    pub fn from_json(text: &str) -> Result<Policy, PolicyError> {
        let node = node::Node::from_yaml_or_json(text).map_err(|e| PolicyError {
            line: e.line,
            column: e.column,
            message: e.message,
        })?;
        Policy::from_node(&node)
    }

    /// Whether any statement has a `Principal` or `NotPrincipal` element.
    pub fn has_principal(&self) -> bool {
        false
    }

    /// Checks the elements a policy of type `kind` requires or forbids.
    pub fn check_for(&self, _kind: PolicyType) -> Result<(), PolicyError> {
        Ok(())
    }
}
