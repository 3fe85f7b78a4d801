//! Amazon EC2 over the ec2Query protocol (API version 2016-11-15).

mod describe_instances;
mod describe_regions;
pub mod filters;

use super::context::global_context;
use super::{Call, Reply, ServiceError};
use crate::authz::{self, ResourcePolicy};
use crate::protocol::ec2_query;

/// EC2 answers with `text/xml;charset=UTF-8` (observed response headers).
const CONTENT_TYPE: &str = "text/xml;charset=UTF-8";

/// The actions this emulator serves, for routing unsigned requests.
pub const ACTIONS: &[&str] = &["DescribeInstances", "DescribeRegions"];

pub fn handle(call: &Call, action: &str) -> Reply {
    let result = match action {
        "DescribeInstances" => describe_instances::handle(call),
        "DescribeRegions" => describe_regions::handle(call),
        other => Err(crate::protocol::errors::unknown_action_ec2(other).into()),
    };
    match result {
        Ok(reply) => reply,
        Err(err) => error_reply(call.request_id, err),
    }
}

fn success(
    call: &Call,
    action: &str,
    body: impl FnOnce(&mut crate::protocol::xml::XmlWriter),
) -> Reply {
    Reply {
        status: 200,
        content_type: CONTENT_TYPE,
        body: ec2_query::success(action, call.request_id, body),
        error_code: None,
        reason: None,
    }
}

/// An EC2 error in the ec2Query envelope.
pub fn error_reply(request_id: &str, err: ServiceError) -> Reply {
    Reply {
        status: err.status,
        content_type: CONTENT_TYPE,
        body: ec2_query::error(&err.code, &err.message, request_id),
        error_code: Some(err.code),
        reason: err.reason,
    }
}

/// Asks the engine whether the caller may perform a Describe action, which EC2 authorizes on
/// resource `*` in the caller's own account. A denial is `403 UnauthorizedOperation` with
/// "You are not authorized to perform this operation. " before the IAM sentence, and no
/// "on resource" part for Describe* calls (observed AWS output, reference notes §3.4).
fn authorize_describe(call: &Call, action: &str) -> Result<(), ServiceError> {
    let caller = call.principal.caller();
    let mut context = global_context(call);
    context.insert("ec2:Region", call.region);
    let request = authz::Request {
        caller: &caller,
        action,
        resource: "*",
        resource_account: Some(call.principal.account_id()),
        context: &context,
        identity_policies: call.principal.identity_policies(),
        permissions_boundary: call.principal.permissions_boundary(),
        session_policies: None,
        scps: &call.principal.account().scp_levels,
        rcps: &[],
        resource_policy: ResourcePolicy::NotApplicable,
    };
    let decision = authz::authorize(&request);
    if decision.is_allowed() {
        return Ok(());
    }
    Err(ServiceError::new(
        403,
        "UnauthorizedOperation",
        format!(
            "You are not authorized to perform this operation. {}",
            decision.denial_message(&request, false)
        ),
    )
    .with_reason(decision.summary()))
}
