//! Matching one statement against one request: action, resource, principal, conditions.

use super::principal::{PrincipalMatch, Who};
use super::{Statement, Target};

/// The condition keys of a request, as the policy language reads them. Key lookup must
/// ignore case: "Condition key names are not case-sensitive"
/// (reference_policies_elements_condition.md).
pub trait RequestValues {
    /// The values of `key`, or `None` when the request does not carry it.
    fn lookup(&self, key: &str) -> Option<&[String]>;
}

/// A request without any condition keys.
pub struct NoValues;

impl RequestValues for NoValues {
    fn lookup(&self, _key: &str) -> Option<&[String]> {
        None
    }
}

/// What a statement is matched against.
#[derive(Clone, Copy)]
pub struct Probe<'a> {
    pub action: &'a str,
    pub resource: &'a str,
    /// The caller, for policies that name principals (resource-based, trust); `None` for
    /// policies attached to the caller (identity, boundary, session, SCP, RCP).
    pub principal: Option<&'a Who<'a>>,
    pub values: &'a dyn RequestValues,
}

/// Why a statement did not apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Miss {
    Action,
    Resource,
    Principal,
    /// The index of the first condition that was false.
    Condition(usize),
}

/// The result of matching one statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementMatch {
    /// The statement applies; for principal-bearing policies, how closely it names the caller.
    Applies(Option<PrincipalMatch>),
    Skipped(Miss),
}

impl Statement {
    /// Matches the statement against a request.
    pub fn evaluate(&self, probe: &Probe) -> StatementMatch {
        if !self.action.matches(probe.action, probe.values) {
            return StatementMatch::Skipped(Miss::Action);
        }
        if let Some(resource) = &self.resource {
            if !resource.matches(probe.resource, probe.values) {
                return StatementMatch::Skipped(Miss::Resource);
            }
        }
        let principal = match probe.principal {
            None => None,
            Some(who) => {
                let level = match &self.principal {
                    None => PrincipalMatch::None,
                    Some(p) if p.negated => {
                        if p.principals.exempts(who) {
                            PrincipalMatch::None
                        } else {
                            // NotPrincipal names everyone but the listed principals, like
                            // a `*` with exceptions.
                            PrincipalMatch::Direct
                        }
                    }
                    Some(p) => p.principals.match_caller(who),
                };
                if level == PrincipalMatch::None {
                    return StatementMatch::Skipped(Miss::Principal);
                }
                Some(level)
            }
        };
        // Several conditions are AND'ed (reference_policies_multi-value-conditions.md).
        if let Some(i) = self
            .conditions
            .iter()
            .position(|c| !c.evaluate(probe.values))
        {
            return StatementMatch::Skipped(Miss::Condition(i));
        }
        StatementMatch::Applies(principal)
    }
}

impl<T: TargetPattern> Target<T> {
    /// Whether the element (`Action`/`NotAction`, `Resource`/`NotResource`) covers `text`.
    pub fn matches(&self, text: &str, values: &dyn RequestValues) -> bool {
        let listed = self.patterns.iter().any(|p| p.matches_target(text, values));
        listed != self.negated
    }
}

/// A pattern usable in an `Action` or `Resource` list.
pub trait TargetPattern {
    fn matches_target(&self, text: &str, values: &dyn RequestValues) -> bool;
}

impl TargetPattern for super::pattern::Pattern {
    /// Actions compare case-insensitively: "iam:ListAccessKeys is the same as
    /// IAM:listaccesskeys" (reference_policies_elements_action.md).
    fn matches_target(&self, text: &str, values: &dyn RequestValues) -> bool {
        self.matches(text, true, values)
    }
}

impl TargetPattern for super::pattern::ArnPattern {
    fn matches_target(&self, text: &str, values: &dyn RequestValues) -> bool {
        self.matches(text, values)
    }
}
