//! The IAM policy language: a position-aware document tree ([`node`]) parsed once, at scenario
//! load, into a typed [`Policy`] that the authorization engine evaluates without re-parsing.
//!
//! Layout: `parse` reads a tree into the typed form below; [`pattern`] compiles wildcards
//! and policy variables; [`principal`] and [`condition`] hold those elements; [`eval`]
//! matches one statement against one request.

pub mod condition;
mod date;
pub mod eval;
mod json;
pub mod node;
mod parse;
pub mod pattern;
pub mod principal;
pub mod size;

use crate::Location;
use pattern::{ArnPattern, Pattern};
use principal::Principals;
use serde::Serialize;

pub use condition::{Condition, Operator, SetQualifier};
pub use eval::{Miss, NoValues, Probe, RequestValues, StatementMatch};
pub use principal::{AwsPrincipal, PrincipalMatch, Who};

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

/// The policy language version. Without a `Version` element AWS applies 2008 semantics,
/// where `${...}` is literal text (reference_policies_variables.md).
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
    pub principal: Option<PrincipalElement>,
    pub action: Target<Pattern>,
    /// `None` when the statement has neither `Resource` nor `NotResource` (trust
    /// policies): it then applies to any resource.
    pub resource: Option<Target<ArnPattern>>,
    /// AND'ed.
    pub conditions: Vec<Condition>,
    pub at: Location,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Effect {
    Allow,
    Deny,
}

/// A `Principal` (or, negated, `NotPrincipal`) element.
#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalElement {
    pub negated: bool,
    pub principals: Principals,
    pub at: Location,
}

/// An `Action`/`NotAction` or `Resource`/`NotResource` element: a list of patterns,
/// any of which may match (or, negated, none of which may).
#[derive(Debug, Clone, PartialEq)]
pub struct Target<T> {
    pub negated: bool,
    pub patterns: Vec<T>,
    pub at: Location,
}

/// A policy document that could not be parsed, with the position of the offending value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{at}: {message}")]
pub struct PolicyError {
    pub at: Location,
    pub message: String,
}

/// A policy with the name it is known by in explanations: for managed policies and SCPs, the ARN.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedPolicy {
    pub name: String,
    pub arn: Option<String>,
    pub policy: Policy,
}

impl NamedPolicy {
    pub fn new(name: impl Into<String>, arn: Option<String>, policy: Policy) -> NamedPolicy {
        NamedPolicy {
            name: name.into(),
            arn,
            policy,
        }
    }
}

impl Policy {
    /// Parses a document tree (from a scenario file) into the typed form; errors carry the
    /// line and column of the offending value.
    pub fn from_node(node: &node::Node) -> Result<Policy, PolicyError> {
        parse::policy(node)
    }

    /// Parses a JSON text (session policies, tests, tools); errors carry the line and column
    /// of the offending value, syntax errors included.
    pub fn from_json(text: &str) -> Result<Policy, PolicyError> {
        let node = node::Node::from_json(text).map_err(|e| PolicyError {
            at: e.at,
            message: e.message,
        })?;
        Policy::from_node(&node)
    }

    /// Whether any statement has a `Principal` or `NotPrincipal` element (which identity
    /// policies must not have).
    pub fn has_principal(&self) -> bool {
        self.statements.iter().any(|s| s.principal.is_some())
    }

    /// Checks the elements a policy used as `kind` requires or forbids:
    /// - identity policies, boundaries and session policies: no `Principal`/`NotPrincipal`,
    ///   and a `Resource`/`NotResource` in every statement;
    /// - SCPs: no `Principal`/`NotPrincipal`;
    /// - RCPs and resource-based policies: a `Principal` or `NotPrincipal` in every statement;
    /// - trust policies: a `Principal` in every statement, no `NotPrincipal` ("You cannot use
    ///   the NotPrincipal element in an IAM identity-based policy or in an IAM role trust
    ///   policy", reference_policies_elements_notprincipal.md) and no `Resource`.
    pub fn check_for(&self, kind: PolicyType) -> Result<(), PolicyError> {
        let at = |at, message: String| PolicyError { at, message };
        for s in &self.statements {
            match kind {
                PolicyType::IdentityBased
                | PolicyType::PermissionsBoundary
                | PolicyType::Session
                | PolicyType::ServiceControl => {
                    if let Some(p) = &s.principal {
                        return Err(at(
                            p.at,
                            format!(
                                "{} cannot have a Principal or NotPrincipal",
                                kind_name(kind)
                            ),
                        ));
                    }
                    if s.resource.is_none() && kind != PolicyType::ServiceControl {
                        return Err(at(
                            s.at,
                            "the statement has neither Resource nor NotResource".into(),
                        ));
                    }
                }
                PolicyType::ResourceControl | PolicyType::ResourceBased => {
                    if s.principal.is_none() {
                        return Err(at(
                            s.at,
                            format!("every statement of {} needs a Principal", kind_name(kind)),
                        ));
                    }
                }
                PolicyType::RoleTrust => match (&s.principal, &s.resource) {
                    (None, _) => {
                        return Err(at(
                            s.at,
                            "every statement of a role trust policy needs a Principal".into(),
                        ))
                    }
                    (Some(p), _) if p.negated => {
                        return Err(at(
                            p.at,
                            "a role trust policy cannot use NotPrincipal".into(),
                        ))
                    }
                    (_, Some(r)) => {
                        return Err(at(
                            r.at,
                            "a role trust policy cannot have a Resource or NotResource".into(),
                        ))
                    }
                    _ => {}
                },
            }
        }
        Ok(())
    }
}

fn kind_name(kind: PolicyType) -> &'static str {
    match kind {
        PolicyType::ServiceControl => "a service control policy",
        PolicyType::ResourceControl => "a resource control policy",
        PolicyType::ResourceBased => "a resource-based policy",
        PolicyType::RoleTrust => "a role trust policy",
        PolicyType::IdentityBased => "an identity-based policy",
        PolicyType::PermissionsBoundary => "a permissions boundary",
        PolicyType::Session => "a session policy",
    }
}
