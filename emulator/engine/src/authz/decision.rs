//! The layered decision: AWS's documented order over the policies of one request.

use super::evaluate::{evaluate, evaluate_chain, Hit, Verdict};
use super::trace::Tracer;
use super::{
    CallerKind, Decision, MessageForm, Outcome, PolicyType, Request, ResourcePolicy, StatementRef,
};
use crate::policy::{NamedPolicy, PrincipalMatch, Probe, Who};

pub(crate) fn decide<T: Tracer>(req: &Request, t: &mut T) -> Decision {
    let caller = req.caller;
    let is_root = matches!(caller.kind, CallerKind::Root);
    let resource_policy = req.resource_policy;
    if is_root && matches!(resource_policy, ResourcePolicy::RoleTrust(_)) {
        t.step(|| "the account root user cannot assume roles".into());
        return Decision {
            outcome: Outcome::ImplicitDeny,
            policy_type: None,
            policy: None,
            statement: None,
            level: None,
            form: MessageForm::RootCannotAssumeRoles,
        };
    }
    let who = Who {
        account: caller.account,
        arn: caller.arn,
        role_arn: match caller.kind {
            CallerKind::RoleSession { role_arn } => Some(role_arn),
            _ => None,
        },
        is_root,
        is_user: matches!(caller.kind, CallerKind::User { .. }),
    };
    let attached = Probe {
        action: req.action,
        resource: req.resource,
        principal: None,
        values: req.context,
    };
    let naming = Probe {
        principal: Some(&who),
        ..attached
    };

    // Every layer is evaluated once; the order below decides which one speaks.
    let scp = evaluate_chain(req.scps, PolicyType::ServiceControl, &attached, t);
    let rcp = evaluate_chain(req.rcps, PolicyType::ResourceControl, &attached, t);
    let (resource_type, resource) = match resource_policy {
        ResourcePolicy::NotApplicable => (None, None),
        ResourcePolicy::NoneAttached | ResourcePolicy::Required(None) => {
            (Some(PolicyType::ResourceBased), None)
        }
        ResourcePolicy::Required(Some(p)) => (
            Some(PolicyType::ResourceBased),
            Some(evaluate([p], PolicyType::ResourceBased, None, &naming, t)),
        ),
        ResourcePolicy::RoleTrust(None) => (Some(PolicyType::RoleTrust), None),
        ResourcePolicy::RoleTrust(Some(p)) => (
            Some(PolicyType::RoleTrust),
            Some(evaluate([p], PolicyType::RoleTrust, None, &naming, t)),
        ),
        ResourcePolicy::ResourceBased(p) => (
            Some(PolicyType::ResourceBased),
            Some(evaluate([p], PolicyType::ResourceBased, None, &naming, t)),
        ),
    };
    let identity = evaluate(
        req.identity_policies.iter().map(|p| &**p),
        PolicyType::IdentityBased,
        None,
        &attached,
        t,
    );
    let boundary = req
        .permissions_boundary
        .map(|p| evaluate([p], PolicyType::PermissionsBoundary, None, &attached, t));
    // An empty list of session policies is the same as none passed.
    let session = req.session_policies.filter(|s| !s.is_empty()).map(|s| {
        evaluate(
            s.iter().map(|p| &**p),
            PolicyType::Session,
            None,
            &attached,
            t,
        )
    });

    let same_account = req.resource_account.is_none_or(|a| a == caller.account);
    let reason_shown = same_account || req.same_organization;
    let form = if reason_shown {
        MessageForm::WithReason
    } else {
        MessageForm::Bare
    };
    t.step(|| {
        format!(
            "{}; the denial reason is {}",
            if same_account {
                "same account"
            } else {
                "cross-account"
            },
            if reason_shown {
                "shown"
            } else {
                "withheld (outside the caller's account and organization)"
            }
        )
    });

    // 1. An explicit Deny in any applicable policy is final.
    let denials = [
        (
            PolicyType::ServiceControl,
            scp.deny.map(|(h, l)| (h, Some(l))),
        ),
        (
            PolicyType::ResourceControl,
            rcp.deny.map(|(h, l)| (h, Some(l))),
        ),
        (
            resource_type.unwrap_or(PolicyType::ResourceBased),
            resource.and_then(|v| v.deny).map(|h| (h, None)),
        ),
        (PolicyType::IdentityBased, identity.deny.map(|h| (h, None))),
        (
            PolicyType::PermissionsBoundary,
            boundary.and_then(|v| v.deny).map(|h| (h, None)),
        ),
        (
            PolicyType::Session,
            session.and_then(|v| v.deny).map(|h| (h, None)),
        ),
    ];
    if let Some((policy_type, Some((hit, level)))) = denials.into_iter().find(|(_, d)| d.is_some())
    {
        t.step(|| format!("explicit deny in {policy_type:?}"));
        return decision(Outcome::ExplicitDeny, policy_type, Some(hit), level, form);
    }

    // 2. RCPs, then 3. SCPs: an Allow at every level.
    if let Some(level) = rcp.missing_allow {
        t.step(|| format!("no resource control policy at {level} allows"));
        return decision(
            Outcome::ImplicitDeny,
            PolicyType::ResourceControl,
            None,
            Some(level),
            form,
        );
    }
    if let Some(level) = scp.missing_allow {
        t.step(|| format!("no service control policy at {level} allows"));
        return decision(
            Outcome::ImplicitDeny,
            PolicyType::ServiceControl,
            None,
            Some(level),
            form,
        );
    }

    // 4. The resource side: a trust policy must always allow sts:AssumeRole; a
    // resource-based policy must allow a cross-account request.
    let grant = resource.and_then(|v| v.allow);
    let grant_level = grant.map_or(PrincipalMatch::None, |h| h.principal);
    match resource_policy {
        ResourcePolicy::RoleTrust(trust) if grant.is_none() => {
            t.step(|| match trust {
                None => "the role does not exist".into(),
                Some(_) => "the role trust policy does not allow the caller".into(),
            });
            let mut d = decision(
                Outcome::ImplicitDeny,
                PolicyType::RoleTrust,
                None,
                None,
                MessageForm::Bare,
            );
            d.policy = trust.map(|p| p.name.clone());
            return d;
        }
        ResourcePolicy::NoneAttached if !same_account => {
            t.step(|| {
                "the resource has no resource-based policy to admit a cross-account caller".into()
            });
            return decision(
                Outcome::ImplicitDeny,
                PolicyType::ResourceBased,
                None,
                None,
                form,
            );
        }
        ResourcePolicy::Required(policy) if grant.is_none() => {
            t.step(|| match policy {
                None => {
                    "the resource has no policy of its own, and admits no one without one".into()
                }
                Some(_) => {
                    "the resource's own policy, which it admits callers by alone, does not allow"
                        .into()
                }
            });
            let mut d = decision(
                Outcome::ImplicitDeny,
                PolicyType::ResourceBased,
                None,
                None,
                form,
            );
            d.policy = policy.map(|p| p.name.clone());
            return d;
        }
        ResourcePolicy::ResourceBased(p) if grant.is_none() && !same_account => {
            t.step(|| "no resource-based policy allows the cross-account caller".into());
            let mut d = decision(
                Outcome::ImplicitDeny,
                PolicyType::ResourceBased,
                None,
                None,
                form,
            );
            d.policy = Some(p.name.clone());
            return d;
        }
        _ => {}
    }

    // 5-7. The caller's side. In the same account, a resource or trust policy that names
    // the caller itself needs nothing more; one that names the caller's role is still
    // limited by the boundary and the session policy; one that names only the account
    // needs the identity policy too (IAM evaluation logic, same-account resource-based
    // policies; STS AssumeRole documentation).
    let needs_identity = !(same_account && grant_level >= PrincipalMatch::Role);
    let needs_limits = !(same_account && grant_level == PrincipalMatch::Direct);
    t.step(|| format!("resource side grants {grant_level:?}; identity policy needed: {needs_identity}; boundary and session policy apply: {needs_limits}"));
    let allows = |v: Option<Verdict>| v.is_none_or(|v| v.allow.is_some());
    if needs_identity && !is_root && identity.allow.is_none() {
        return decision(
            Outcome::ImplicitDeny,
            PolicyType::IdentityBased,
            None,
            None,
            form,
        );
    }
    if needs_limits && !allows(boundary) {
        return decision(
            Outcome::ImplicitDeny,
            PolicyType::PermissionsBoundary,
            None,
            None,
            form,
        );
    }
    if needs_limits && !allows(session) {
        return decision(Outcome::ImplicitDeny, PolicyType::Session, None, None, form);
    }
    match (needs_identity, grant) {
        (false, Some(hit)) => {
            let policy_type = resource_type.unwrap_or(PolicyType::ResourceBased);
            decision(
                Outcome::Allow,
                policy_type,
                Some(hit),
                None,
                MessageForm::Allowed,
            )
        }
        _ if is_root && identity.allow.is_none() => {
            t.step(|| "the account root user has full access".into());
            Decision {
                outcome: Outcome::Allow,
                policy_type: None,
                policy: None,
                statement: None,
                level: None,
                form: MessageForm::Allowed,
            }
        }
        _ => decision(
            Outcome::Allow,
            PolicyType::IdentityBased,
            identity.allow,
            None,
            MessageForm::Allowed,
        ),
    }
}

fn decision(
    outcome: Outcome,
    policy_type: PolicyType,
    hit: Option<Hit>,
    level: Option<&str>,
    form: MessageForm,
) -> Decision {
    Decision {
        outcome,
        policy_type: Some(policy_type),
        policy: hit.map(|h| h.policy.name.clone()),
        statement: hit.map(|h| statement_ref(h.policy, h.index)),
        level: level.map(str::to_string),
        form,
    }
}

fn statement_ref(policy: &NamedPolicy, index: usize) -> StatementRef {
    StatementRef {
        index,
        sid: policy.policy.statements[index].sid.clone(),
    }
}
