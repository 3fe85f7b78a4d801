//! Amazon EC2 over the ec2Query protocol (API version 2016-11-15).

mod describe_addresses;
mod describe_availability_zones;
mod describe_images;
mod describe_instances;
mod describe_key_pairs;
mod describe_network_interfaces;
mod describe_regions;
mod describe_security_groups;
mod describe_subnets;
mod describe_tags;
mod describe_volumes;
mod describe_vpcs;
pub mod filters;
mod instance_filters;
mod listing;
mod lookup;
mod paging;
mod write;

use super::{Call, Reply, ServiceError};
use rolecall_wire::ec2_query;

/// EC2 answers with `text/xml;charset=UTF-8` (observed response headers).
const CONTENT_TYPE: &str = "text/xml;charset=UTF-8";

/// The actions this emulator serves, for routing unsigned requests.
pub const ACTIONS: &[&str] = &[
    "DescribeAddresses",
    "DescribeAvailabilityZones",
    "DescribeImages",
    "DescribeInstances",
    "DescribeKeyPairs",
    "DescribeNetworkInterfaces",
    "DescribeRegions",
    "DescribeSecurityGroups",
    "DescribeSubnets",
    "DescribeTags",
    "DescribeVolumes",
    "DescribeVpcs",
];

/// EC2's text for credentials it does not accept (see `auth::errors`), also what it answers in
/// an opt-in region the account has not enabled.
const AUTH_FAILURE: &str = "AWS was not able to validate the provided access credentials";

pub fn handle(call: &Call, action: &str) -> Reply {
    let result = region_enabled(call).and_then(|()| match action {
        "DescribeAddresses" => describe_addresses::handle(call),
        "DescribeAvailabilityZones" => describe_availability_zones::handle(call),
        "DescribeImages" => describe_images::handle(call),
        "DescribeInstances" => describe_instances::handle(call),
        "DescribeKeyPairs" => describe_key_pairs::handle(call),
        "DescribeNetworkInterfaces" => describe_network_interfaces::handle(call),
        "DescribeRegions" => describe_regions::handle(call),
        "DescribeSecurityGroups" => describe_security_groups::handle(call),
        "DescribeSubnets" => describe_subnets::handle(call),
        "DescribeTags" => describe_tags::handle(call),
        "DescribeVolumes" => describe_volumes::handle(call),
        "DescribeVpcs" => describe_vpcs::handle(call),
        other => Err(rolecall_wire::errors::unknown_action_ec2(other).into()),
    });
    match result {
        Ok(reply) => reply,
        Err(err) => error_reply(call.request_id, err),
    }
}

/// In an opt-in region the account has not enabled, EC2 does not accept the account's
/// credentials at all: every action, DescribeRegions included, answers `401 AuthFailure` with the
/// usual text. Observed by users of the AWS CLI, boto3, fog and Steampipe calling EC2 in a region
/// they had not opted in to (e.g. turbot/steampipe-plugin-aws#75: "the same error message as is
/// shown in the CLI when the region is not opted in"; fog/fog-aws#585 for af-south-1;
/// redhat-cop/agnosticd#3762 for DescribeKeyPairs in ap-east-1). `OptInRequired` is the code for
/// unsubscribed services and Marketplace products, not for regions.
fn region_enabled(call: &Call) -> Result<(), ServiceError> {
    let account = call.principal.account();
    if rolecall_model::regions::is_opt_in(call.region)
        && !account.inventory.region_enabled(call.region)
    {
        return Err(
            ServiceError::new(401, "AuthFailure", AUTH_FAILURE).with_reason(format!(
                "{} is an opt-in region account {} has not enabled",
                call.region, account.id
            )),
        );
    }
    Ok(())
}

/// What every Describe action does first: ask the engine, then honour `DryRun`. A dry run the
/// caller is allowed to make answers `412 DryRunOperation`; one it is not answers the usual
/// `403 UnauthorizedOperation` (EC2 API reference, "DryRun" on every action; observed text).
fn begin(call: &Call, action: &str) -> Result<(), ServiceError> {
    authorize_describe(call, action)?;
    let dry_run = call
        .params
        .get("DryRun")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if dry_run {
        return Err(ServiceError::new(
            412,
            "DryRunOperation",
            "Request would have succeeded, but DryRun flag is set.",
        ));
    }
    Ok(())
}

/// The caller's inventory in the request's region.
fn inventory<'a>(call: &Call<'a>) -> &'a rolecall_model::inventory::RegionInventory {
    call.principal.account().inventory.region(call.region)
}

fn success(
    call: &Call,
    action: &str,
    body: impl FnOnce(&mut rolecall_wire::xml::XmlWriter),
) -> Reply {
    success_sized(call, action, 0, body)
}

/// A success whose members take about `bytes` bytes (see `ec2_query::success_sized`).
fn success_sized(
    call: &Call,
    action: &str,
    bytes: usize,
    body: impl FnOnce(&mut rolecall_wire::xml::XmlWriter),
) -> Reply {
    Reply {
        status: 200,
        content_type: CONTENT_TYPE,
        body: ec2_query::success_sized(action, call.request_id, bytes, body),
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
    call.decide_in_own_account(action, |context| {
        context.insert_static("ec2:Region", call.region)
    })
    .map(drop)
    .map_err(|denial| {
        ServiceError::new(
            403,
            "UnauthorizedOperation",
            format!(
                "You are not authorized to perform this operation. {}",
                denial.message
            ),
        )
        .with_reason(denial.decision.summary())
    })
}
