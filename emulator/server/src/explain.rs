//! `rolecall explain`: would AWS allow this, and why not? Evaluates one request offline against
//! a scenario with the same engine, the same resource side and the same request context the
//! server uses.
//!
//! What the server knows, explain asks the same way: an action its tables say needs no
//! permission is allowed whatever the policies say; `sts:AssumeRole` (and the actions checked
//! with it) goes through the role's trust policy; an Organizations action through the
//! organization's delegation rules; a resource of another account that carries no
//! resource-based policy is out of reach (both sides must allow across accounts); a KMS key,
//! which no scenario declares, admits no one without a key policy; a resource AWS owns
//! (`arn:aws:iam::aws:policy/…`) is reached by any identity allow, and its denial does not
//! read as cross-account.

use crate::services::context::RequestKeys;
use crate::services::{self, organizations};
use rolecall_engine::authz::{
    self, Context, Decision, MessageForm, Outcome, ResourcePolicy, Trace,
};
use rolecall_engine::policy::{NamedPolicy, Policy, PolicyType};
use rolecall_engine::Arn;
use rolecall_model::session::{SessionClaims, SessionPrincipal};
use rolecall_model::{Principal, World};
use serde::Serialize;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use time::OffsetDateTime;

/// What to evaluate.
#[derive(Debug, Clone, Copy)]
pub struct Question<'a> {
    /// A user, role, assumed-role session or account root ARN from the scenario.
    pub principal_arn: &'a str,
    pub action: &'a str,
    /// An ARN, or `*`.
    pub resource: &'a str,
    pub region: &'a str,
    /// Extra or overriding condition keys.
    pub context: &'a [(String, String)],
    /// The session policies (JSON documents) the caller's session was given; none = a
    /// session without any.
    pub session_policies: &'a [String],
    /// Whether the request carries the keys a request to the server would (`aws:SourceIp`,
    /// `aws:SecureTransport`, `aws:CurrentTime`, `aws:ResourceOrgID`, …); without them only
    /// `context` is there, for asking about a request that lacks them.
    pub default_context: bool,
}

#[derive(Debug, Serialize)]
pub struct Answer {
    pub allowed: bool,
    pub summary: String,
    /// AWS's sentence when denied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub decision: Decision,
    pub trace: Trace,
}

/// Evaluates `q` in `world`; an error names what could not be resolved.
pub fn explain(world: &World, q: &Question) -> Result<Answer, String> {
    let principal = resolve_principal(world, q.principal_arn)?;
    if services::needs_no_permission(q.action) {
        // The server asks the engine nothing for these (STS API reference: "No permissions
        // are required to perform this operation"), so no policy can deny them.
        return Ok(Answer {
            allowed: true,
            summary: format!("allow: {} needs no permission", q.action),
            message: None,
            decision: Decision {
                outcome: Outcome::Allow,
                policy_type: None,
                policy: None,
                statement: None,
                level: None,
                form: MessageForm::Allowed,
            },
            trace: Trace {
                steps: vec![format!(
                    "{} needs no permission: no policy is consulted, and none can deny it",
                    q.action
                )],
                ..Trace::default()
            },
        });
    }
    let caller_account = principal.account_id();
    let side = resource_side(world, &principal, q)?;
    let session_policies = session_policies(q.session_policies)?;
    let now = OffsetDateTime::now_utc();
    let mut context = if q.default_context {
        Context::over(
            RequestKeys::new(
                world,
                &principal,
                q.region,
                IpAddr::V4(Ipv4Addr::LOCALHOST),
                now,
            )
            .with_resource(side.account),
        )
    } else {
        Context::new()
    };
    for (k, v) in q.context {
        context.insert(k, v.as_str());
    }
    let caller = principal.caller();
    let request = authz::Request {
        caller: &caller,
        action: q.action,
        resource: q.resource,
        resource_account: Some(side.account),
        context: &context,
        identity_policies: principal.identity_policies(),
        permissions_boundary: principal.permissions_boundary(),
        session_policies: (!session_policies.is_empty()).then_some(&session_policies[..]),
        scps: &principal.account().scp_levels,
        rcps: services::resource_control_policies(world, q.action, side.account),
        resource_policy: side.policy,
        same_organization: world.same_organization(caller_account, side.account),
    };
    let (decision, trace) = authz::authorize_traced(&request);
    // STS names the resource in its sentence; EC2's Describe* denials do not.
    let show_resource = q.resource != "*";
    Ok(Answer {
        allowed: decision.is_allowed(),
        summary: decision.summary(),
        message: (!decision.is_allowed()).then(|| decision.denial_message(&request, show_resource)),
        decision,
        trace,
    })
}

/// The resource's side of a question: the account that owns the resource, and the policy it
/// is judged by.
struct Side<'w> {
    account: &'w str,
    policy: ResourcePolicy<'w>,
}

fn resource_side<'w>(
    world: &'w World,
    principal: &'w Principal,
    q: &Question<'w>,
) -> Result<Side<'w>, String> {
    let caller_account = principal.account_id();
    let own = |policy| Side {
        account: caller_account,
        policy,
    };
    if q.resource == "*" {
        return Ok(own(ResourcePolicy::NotApplicable));
    }
    let arn =
        Arn::parse(q.resource).ok_or_else(|| format!("'{}' is not an ARN (or *)", q.resource))?;
    let (service, _) = q.action.split_once(':').unwrap_or((q.action, ""));
    // AWS-owned (`arn:aws:iam::aws:policy/…`) and account-less (S3 buckets) resources: an
    // identity allow reaches them, and a denial names its reason as in the caller's account.
    if arn.account.is_empty() || arn.account == "aws" {
        return Ok(own(ResourcePolicy::NotApplicable));
    }
    // Actions STS checks against the role's trust policy.
    let trust_actions = ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"];
    if trust_actions
        .iter()
        .any(|a| a.eq_ignore_ascii_case(q.action))
    {
        let role = world.role_by_arn(q.resource);
        return Ok(Side {
            account: arn.account,
            policy: ResourcePolicy::RoleTrust(role.map(|r| &*r.trust_policy)),
        });
    }
    if service.eq_ignore_ascii_case("organizations") {
        if let Some(org) = &world.organization {
            let callers = organizations::callers_of(q.action);
            let policy =
                organizations::resource_side(org, caller_account, callers).map_err(|why| {
                    format!("Organizations refuses the caller before any policy is read: {why}")
                })?;
            return Ok(Side {
                account: &org.management_account,
                policy,
            });
        }
    }
    // A KMS key admits no one its key policy does not; no scenario declares a key.
    if arn.service == "kms" && arn.typed_resource().is_some_and(|(kind, _)| kind == "key") {
        return Ok(Side {
            account: arn.account,
            policy: ResourcePolicy::Required(None),
        });
    }
    Ok(Side {
        account: arn.account,
        policy: ResourcePolicy::NoneAttached,
    })
}

/// Session policies from their JSON texts, checked as STS checks them.
fn session_policies(texts: &[String]) -> Result<Vec<Arc<NamedPolicy>>, String> {
    texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let policy = Policy::from_json(text)
                .and_then(|p| p.check_for(PolicyType::Session).map(|()| p))
                .map_err(|e| format!("session policy {}: {e}", i + 1))?;
            Ok(Arc::new(NamedPolicy::new(
                format!("session policy {}", i + 1),
                None,
                policy,
            )))
        })
        .collect()
}

/// The principal an ARN names in the scenario. A role ARN stands for a session of that role.
fn resolve_principal(world: &World, arn: &str) -> Result<Principal, String> {
    let unknown = || format!("no principal {arn} in the scenario");
    let parsed = Arn::parse(arn).ok_or_else(|| format!("'{arn}' is not an ARN"))?;
    let account = world.account(parsed.account).ok_or_else(unknown)?.clone();
    match (parsed.service, parsed.typed_resource()) {
        ("iam", None) if parsed.resource == "root" => Ok(Principal::Root {
            account,
            session: None,
        }),
        ("iam", Some(("user", _))) => {
            let user = account
                .users
                .get(parsed.resource_name())
                .ok_or_else(unknown)?
                .clone();
            Ok(Principal::User { account, user })
        }
        ("iam", Some(("role", _))) => {
            role_session(account, parsed.resource_name(), "rolecall-explain").ok_or_else(unknown)
        }
        ("sts", Some(("assumed-role", role_session_name))) => {
            let (role, session) = role_session_name.split_once('/').ok_or_else(unknown)?;
            role_session(account, role, session).ok_or_else(unknown)
        }
        _ => Err(unknown()),
    }
}

fn role_session(
    account: Arc<rolecall_model::Account>,
    role: &str,
    session: &str,
) -> Option<Principal> {
    let role = account.roles.get(role)?.clone();
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let claims = SessionClaims::new(
        "ASIAEXPLAINEXPLAIN00".into(),
        account.id.clone(),
        SessionPrincipal::Role {
            role: role.name.clone(),
            session: session.into(),
        },
        now,
        now + 3600,
    );
    Some(Principal::role_session(account, role, claims.into(), None))
}
