//! The request context: the condition keys AWS puts in every request, filled from the resolved
//! caller and the request (IAM user guide, "AWS global condition context keys").

use super::Call;
use crate::authz::Context;
use crate::world::Principal;
use time::format_description::well_known::Rfc3339;

/// The global keys every action's context starts with.
pub fn global_context(call: &Call) -> Context {
    let mut ctx = Context::new();
    let principal = call.principal;
    let account = principal.account();
    ctx.insert("aws:PrincipalArn", principal.principal_arn());
    ctx.insert("aws:PrincipalAccount", account.id.as_str());
    ctx.insert("aws:PrincipalType", principal.principal_type());
    ctx.insert("aws:userid", principal.user_id());
    if let Principal::User { user, .. } | Principal::UserSession { user, .. } = principal {
        // aws:username is present for IAM users only.
        ctx.insert("aws:username", user.name.as_str());
    }
    if let (Some(org), Some(path)) = (&call.world.organization, &account.org_path) {
        if account.in_organization {
            ctx.insert("aws:PrincipalOrgID", org.id.as_str());
            ctx.insert_multi("aws:PrincipalOrgPaths", vec![path.clone()]);
        }
    }
    for (k, v) in principal.tags() {
        ctx.insert(&format!("aws:PrincipalTag/{k}"), v.as_str());
    }
    ctx.insert("aws:SourceIp", call.source_ip.to_string());
    ctx.insert(
        "aws:CurrentTime",
        call.now.format(&Rfc3339).unwrap_or_default(),
    );
    ctx.insert("aws:EpochTime", call.now.unix_timestamp().to_string());
    // The emulator listens on plain HTTP.
    ctx.insert("aws:SecureTransport", "false");
    ctx.insert("aws:RequestedRegion", call.region);
    ctx.insert("aws:ViaAWSService", "false");
    if let Some(session) = principal.session() {
        // MFA keys are present only for temporary credentials (IAM user guide,
        // aws:MultiFactorAuthPresent); no MFA was used to get these.
        ctx.insert("aws:MultiFactorAuthPresent", "false");
        if let Ok(issued) = time::OffsetDateTime::from_unix_timestamp(session.issued) {
            ctx.insert(
                "aws:TokenIssueTime",
                issued.format(&Rfc3339).unwrap_or_default(),
            );
        }
        if let Some(source) = &session.source_identity {
            ctx.insert("aws:SourceIdentity", source.as_str());
        }
    }
    ctx
}
