//! `rolecall explain`: would AWS allow this, and why not? Evaluates one request offline against
//! a scenario with the same engine and the same request context the server uses.

use crate::services::context::RequestKeys;
use rolecall_engine::authz::Context;
use rolecall_engine::authz::{self, Decision, ResourcePolicy, Trace};
use rolecall_model::session::{SessionClaims, SessionPrincipal};
use rolecall_model::{Principal, World};
use serde::Serialize;
use std::net::{IpAddr, Ipv4Addr};
use time::OffsetDateTime;

/// What to evaluate.
pub struct Question<'a> {
    /// A user, role, assumed-role session or account root ARN from the scenario.
    pub principal_arn: &'a str,
    pub action: &'a str,
    /// An ARN, or `*`.
    pub resource: &'a str,
    pub region: &'a str,
    /// Extra or overriding condition keys.
    pub context: &'a [(String, String)],
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
    let caller = principal.caller();
    let now = OffsetDateTime::now_utc();
    let resource_account = q
        .resource
        .split(':')
        .nth(4)
        .filter(|a| !a.is_empty())
        .unwrap_or(principal.account_id());
    let keys = RequestKeys::new(
        world,
        &principal,
        q.region,
        IpAddr::V4(Ipv4Addr::LOCALHOST),
        now,
    );
    let mut context = Context::over(keys.with_resource(resource_account));
    for (k, v) in q.context {
        context.insert(k, v.as_str());
    }
    let is_assume_role = q.action.eq_ignore_ascii_case("sts:AssumeRole");
    let role = if is_assume_role {
        world.role_by_arn(q.resource)
    } else {
        None
    };
    let request = authz::Request {
        caller: &caller,
        action: q.action,
        resource: q.resource,
        resource_account: Some(resource_account),
        context: &context,
        identity_policies: principal.identity_policies(),
        permissions_boundary: principal.permissions_boundary(),
        session_policies: None,
        scps: &principal.account().scp_levels,
        rcps: crate::services::resource_control_policies(world, q.action, resource_account),
        resource_policy: if is_assume_role {
            ResourcePolicy::RoleTrust(role.map(|r| &*r.trust_policy))
        } else {
            ResourcePolicy::NotApplicable
        },
        same_organization: world.same_organization(principal.account_id(), resource_account),
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

/// The principal an ARN names in the scenario. A role ARN stands for a session of that role.
fn resolve_principal(world: &World, arn: &str) -> Result<Principal, String> {
    let unknown = || format!("no principal {arn} in the scenario");
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [_, _, service, _, account_id, resource] = parts[..] else {
        return Err(format!("'{arn}' is not an ARN"));
    };
    let account = world.account(account_id).ok_or_else(unknown)?.clone();
    match (service, resource.split_once('/')) {
        ("iam", None) if resource == "root" => Ok(Principal::Root {
            account,
            session: None,
        }),
        ("iam", Some(("user", path_name))) => {
            let name = path_name.rsplit('/').next().unwrap_or(path_name);
            let user = account.users.get(name).ok_or_else(unknown)?.clone();
            Ok(Principal::User { account, user })
        }
        ("iam", Some(("role", path_name))) => {
            let name = path_name.rsplit('/').next().unwrap_or(path_name);
            role_session(account, name, "rolecall-explain").ok_or_else(unknown)
        }
        ("sts", Some(("assumed-role", role_session_name))) => {
            let (role, session) = role_session_name.split_once('/').ok_or_else(unknown)?;
            role_session(account, role, session).ok_or_else(unknown)
        }
        _ => Err(unknown()),
    }
}

fn role_session(
    account: std::sync::Arc<rolecall_model::Account>,
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
