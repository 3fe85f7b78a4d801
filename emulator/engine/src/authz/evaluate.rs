//! Evaluating a set of policies of one type: the first matching Deny and the best
//! matching Allow.

use super::trace::Tracer;
use super::{PolicyLevel, PolicyType};
use crate::policy::{Effect, NamedPolicy, PrincipalMatch, Probe, StatementMatch};

/// A statement that applied.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit<'p> {
    pub policy: &'p NamedPolicy,
    pub index: usize,
    /// For principal-bearing policies, how closely the statement names the caller.
    pub principal: PrincipalMatch,
}

/// What a set of policies says about a request.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Verdict<'p> {
    pub deny: Option<Hit<'p>>,
    pub allow: Option<Hit<'p>>,
}

/// Evaluates every statement of `policies` (all of them, so the trace is complete).
pub(crate) fn evaluate<'p, T: Tracer>(
    policies: impl IntoIterator<Item = &'p NamedPolicy>,
    policy_type: PolicyType,
    level: Option<&str>,
    probe: &Probe,
    tracer: &mut T,
) -> Verdict<'p> {
    let mut verdict = Verdict::default();
    for policy in policies {
        tracer.policy(policy_type, level, policy);
        for (index, statement) in policy.policy.statements.iter().enumerate() {
            let result = statement.evaluate(probe);
            tracer.statement(index, statement, result);
            let StatementMatch::Applies(principal) = result else {
                continue;
            };
            let hit = Hit {
                policy,
                index,
                principal: principal.unwrap_or(PrincipalMatch::Direct),
            };
            match statement.effect {
                Effect::Deny => {
                    verdict.deny.get_or_insert(hit);
                }
                Effect::Allow => {
                    if verdict
                        .allow
                        .is_none_or(|best| hit.principal > best.principal)
                    {
                        verdict.allow = Some(hit);
                    }
                }
            }
        }
    }
    verdict
}

/// What an SCP or RCP chain says: Allow is needed at every level (a union of the
/// policies within a level, an intersection across levels: ORG-SCP, "Any account has only
/// those permissions permitted by every parent above it").
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ChainVerdict<'p> {
    /// The first explicit deny, with its level's target.
    pub deny: Option<(Hit<'p>, &'p str)>,
    /// The first level (from the root down) where no policy allows.
    pub missing_allow: Option<&'p str>,
}

pub(crate) fn evaluate_chain<'p, T: Tracer>(
    levels: &'p [PolicyLevel],
    policy_type: PolicyType,
    probe: &Probe,
    tracer: &mut T,
) -> ChainVerdict<'p> {
    let mut chain = ChainVerdict::default();
    for level in levels {
        let verdict = evaluate(
            level.policies.iter().map(|p| &**p),
            policy_type,
            Some(&level.target),
            probe,
            tracer,
        );
        if chain.deny.is_none() {
            chain.deny = verdict.deny.map(|hit| (hit, level.target.as_str()));
        }
        if chain.missing_allow.is_none() && verdict.allow.is_none() {
            chain.missing_allow = Some(&level.target);
        }
    }
    chain
}
