//! The request context: the condition keys AWS puts in every request, filled from the resolved
//! caller and the request (IAM user guide, "AWS global condition context keys").

use super::Call;
use crate::authz::Context;
use crate::protocol::format_timestamp;
use crate::world::{Principal, World};
use std::net::IpAddr;
use time::OffsetDateTime;

/// The global keys every action's context starts with.
pub fn global_context(call: &Call) -> Context {
    context_for(
        call.world,
        call.principal,
        call.region,
        call.source_ip,
        call.now,
    )
}

/// The global keys for a caller, a region, a source address and a time; `rolecall explain`
/// builds its context here too, so offline answers match served ones.
pub fn context_for(
    world: &World,
    principal: &Principal,
    region: &str,
    source_ip: IpAddr,
    now: OffsetDateTime,
) -> Context {
    let mut ctx = Context::new();
    let account = principal.account();
    ctx.insert_static("aws:PrincipalArn", principal.principal_arn());
    ctx.insert_static("aws:PrincipalAccount", account.id.as_str());
    ctx.insert_static("aws:PrincipalType", principal.principal_type());
    ctx.insert_static("aws:userid", principal.user_id());
    if let Principal::User { user, .. } | Principal::UserSession { user, .. } = principal {
        // aws:username is present for IAM users only.
        ctx.insert_static("aws:username", user.name.as_str());
    }
    if let (Some(org), Some(path)) = (&world.organization, &account.org_path) {
        if account.in_organization {
            ctx.insert_static("aws:PrincipalOrgID", org.id.as_str());
            ctx.insert_multi("aws:PrincipalOrgPaths", vec![path.clone()]);
        }
    }
    for (k, v) in principal.tags() {
        ctx.insert(&format!("aws:PrincipalTag/{k}"), v.as_str());
    }
    ctx.insert_static("aws:SourceIp", source_ip.to_string());
    ctx.insert_static("aws:CurrentTime", format_timestamp(now));
    ctx.insert_static("aws:EpochTime", now.unix_timestamp().to_string());
    // The emulator listens on plain HTTP.
    ctx.insert_static("aws:SecureTransport", "false");
    ctx.insert_static("aws:RequestedRegion", region);
    ctx.insert_static("aws:ViaAWSService", "false");
    if let Some(session) = principal.session() {
        // MFA keys are present only for temporary credentials (IAM user guide,
        // aws:MultiFactorAuthPresent); the age counts from when the code was checked.
        match session.mfa_authenticated_at {
            Some(at) => {
                ctx.insert_static("aws:MultiFactorAuthPresent", "true");
                let age = (now.unix_timestamp() - at).max(0);
                ctx.insert_static("aws:MultiFactorAuthAge", age.to_string());
            }
            None => ctx.insert_static("aws:MultiFactorAuthPresent", "false"),
        }
        if let Ok(issued) = time::OffsetDateTime::from_unix_timestamp(session.issued) {
            ctx.insert("aws:TokenIssueTime", format_timestamp(issued));
        }
        if let Some(source) = &session.source_identity {
            ctx.insert_static("aws:SourceIdentity", source.as_str());
        }
    }
    ctx
}

/// The resource-side keys: `aws:ResourceAccount`, and `aws:ResourceOrgID` when the resource's
/// account is in the scenario's organization. The engine reads the org ids on both sides to
/// tell a same-organization request (whose denials name the failing policy type) from a
/// cross-organization one (whose denials do not).
pub fn add_resource_keys(ctx: &mut Context, world: &World, resource_account: &str) {
    ctx.insert_static("aws:ResourceAccount", resource_account);
    if let (Some(org), Some(account)) = (&world.organization, world.account(resource_account)) {
        if account.in_organization {
            ctx.insert_static("aws:ResourceOrgID", org.id.as_str());
        }
    }
}
