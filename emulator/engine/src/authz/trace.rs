//! The record of one evaluation: every policy considered, every statement, and why each
//! did or did not apply. Built only by `authorize_traced`; the hot path uses a tracer that
//! records nothing and compiles away.

use super::PolicyType;
use crate::policy::{Effect, Miss, NamedPolicy, PrincipalMatch, Statement, StatementMatch};
use serde::Serialize;

/// Everything one decision looked at, in evaluation order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Trace {
    pub policies: Vec<PolicyTrace>,
    /// The decision procedure's steps, in order, in words.
    pub steps: Vec<String>,
}

/// One policy and its statements.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyTrace {
    pub policy_type: PolicyType,
    /// The SCP/RCP level (root, OU or account) the policy is attached to.
    pub level: Option<String>,
    pub policy: String,
    pub statements: Vec<StatementTrace>,
}

/// One statement: whether it applied, and if not, the first element that did not match.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatementTrace {
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    pub matched: bool,
    /// For trust and resource-based policies: how closely the statement names the caller.
    pub principal_match: Option<PrincipalMatch>,
    /// Why the statement did not apply.
    pub failed: Option<String>,
}

/// Receives the evaluation as it happens.
pub(crate) trait Tracer {
    fn policy(&mut self, policy_type: PolicyType, level: Option<&str>, policy: &NamedPolicy);
    fn statement(&mut self, index: usize, statement: &Statement, result: StatementMatch);
    fn step(&mut self, note: impl FnOnce() -> String);
}

/// The hot path's tracer: records nothing.
pub(crate) struct Silent;

impl Tracer for Silent {
    #[inline(always)]
    fn policy(&mut self, _: PolicyType, _: Option<&str>, _: &NamedPolicy) {}
    #[inline(always)]
    fn statement(&mut self, _: usize, _: &Statement, _: StatementMatch) {}
    #[inline(always)]
    fn step(&mut self, _: impl FnOnce() -> String) {}
}

impl Tracer for Trace {
    fn policy(&mut self, policy_type: PolicyType, level: Option<&str>, policy: &NamedPolicy) {
        self.policies.push(PolicyTrace {
            policy_type,
            level: level.map(str::to_string),
            policy: policy.name.clone(),
            statements: Vec::new(),
        });
    }

    fn statement(&mut self, index: usize, statement: &Statement, result: StatementMatch) {
        let (matched, principal_match, failed) = match result {
            StatementMatch::Applies(level) => (true, level, None),
            StatementMatch::Skipped(miss) => (false, None, Some(describe_miss(statement, miss))),
        };
        if let Some(current) = self.policies.last_mut() {
            current.statements.push(StatementTrace {
                index,
                sid: statement.sid.clone(),
                effect: statement.effect,
                matched,
                principal_match,
                failed,
            });
        }
    }

    fn step(&mut self, note: impl FnOnce() -> String) {
        self.steps.push(note());
    }
}

fn describe_miss(statement: &Statement, miss: Miss) -> String {
    match miss {
        Miss::Action if statement.action.negated => "NotAction lists the action".into(),
        Miss::Action => "Action does not match the action".into(),
        Miss::Resource => match &statement.resource {
            Some(r) if r.negated => "NotResource lists the resource".into(),
            _ => "Resource does not match the resource".into(),
        },
        Miss::Principal => match &statement.principal {
            Some(p) if p.negated => "NotPrincipal exempts the caller".into(),
            Some(_) => "Principal does not name the caller".into(),
            None => "the statement has no Principal".into(),
        },
        Miss::Condition(i) => {
            let c = &statement.conditions[i];
            format!(
                "condition {} on {} is false (policy values: {})",
                c.operator_name(),
                c.key,
                c.value_texts().join(", ")
            )
        }
    }
}
