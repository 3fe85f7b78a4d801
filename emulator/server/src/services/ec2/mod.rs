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

use super::{find, Action, Authorize, Call, Operation};
use rolecall_wire::{ec2_query, AwsError, Protocol, Reply};

pub(crate) const PROTOCOL: Protocol = Protocol::Ec2Query;

type Handler = fn(&Call, &Operation) -> Result<Reply, AwsError>;

/// Every EC2 action served, sorted by name. Each is authorized on `*` in the caller's account
/// before its handler runs, and honours DryRun there (EC2 API reference, "DryRun" on every
/// action).
pub(crate) static ACTIONS: &[Action<Handler>] = &[
    describe(
        "DescribeAddresses",
        "ec2:DescribeAddresses",
        describe_addresses::handle,
    ),
    describe(
        "DescribeAvailabilityZones",
        "ec2:DescribeAvailabilityZones",
        describe_availability_zones::handle,
    ),
    describe(
        "DescribeImages",
        "ec2:DescribeImages",
        describe_images::handle,
    ),
    describe(
        "DescribeInstances",
        "ec2:DescribeInstances",
        describe_instances::handle,
    ),
    describe(
        "DescribeKeyPairs",
        "ec2:DescribeKeyPairs",
        describe_key_pairs::handle,
    ),
    describe(
        "DescribeNetworkInterfaces",
        "ec2:DescribeNetworkInterfaces",
        describe_network_interfaces::handle,
    ),
    describe(
        "DescribeRegions",
        "ec2:DescribeRegions",
        describe_regions::handle,
    ),
    describe(
        "DescribeSecurityGroups",
        "ec2:DescribeSecurityGroups",
        describe_security_groups::handle,
    ),
    describe(
        "DescribeSubnets",
        "ec2:DescribeSubnets",
        describe_subnets::handle,
    ),
    describe("DescribeTags", "ec2:DescribeTags", describe_tags::handle),
    describe(
        "DescribeVolumes",
        "ec2:DescribeVolumes",
        describe_volumes::handle,
    ),
    describe("DescribeVpcs", "ec2:DescribeVpcs", describe_vpcs::handle),
];

/// The actions served, in the table's order: name, IAM action, how each is authorized.
pub fn operations() -> impl Iterator<Item = &'static Operation> {
    ACTIONS.iter().map(|a| &a.operation)
}

const fn describe(
    name: &'static str,
    iam_action: &'static str,
    handler: Handler,
) -> Action<Handler> {
    Action::new(name, iam_action, Authorize::First, handler)
}

/// Whether EC2 has an action of this name here (routing requests that carry no signature).
pub(crate) fn serves(action: &str) -> bool {
    find(ACTIONS, action).is_some()
}

/// EC2's text for credentials it does not accept (see `auth::errors`), also what it answers in
/// an opt-in region the account has not enabled.
const AUTH_FAILURE: &str = "AWS was not able to validate the provided access credentials";

pub(crate) fn handle(call: &Call, action: &str) -> Reply {
    let result = region_enabled(call).and_then(|()| match find(ACTIONS, action) {
        Some(a) => {
            if a.operation.authorize == Authorize::First {
                begin(call, &a.operation)?;
            }
            (a.handler)(call, &a.operation)
        }
        None => Err(rolecall_wire::errors::unknown_action_ec2(action)),
    });
    match result {
        Ok(reply) => reply,
        Err(err) => PROTOCOL.error_reply(err, call.request_id),
    }
}

/// In an opt-in region the account has not enabled, EC2 does not accept the account's
/// credentials at all: every action, DescribeRegions included, answers `401 AuthFailure` with the
/// usual text. Observed by users of the AWS CLI, boto3, fog and Steampipe calling EC2 in a region
/// they had not opted in to (e.g. turbot/steampipe-plugin-aws#75: "the same error message as is
/// shown in the CLI when the region is not opted in"; fog/fog-aws#585 for af-south-1;
/// redhat-cop/agnosticd#3762 for DescribeKeyPairs in ap-east-1). `OptInRequired` is the code for
/// unsubscribed services and Marketplace products, not for regions.
fn region_enabled(call: &Call) -> Result<(), AwsError> {
    let account = call.principal.account();
    if rolecall_model::regions::is_opt_in(call.region)
        && !account.inventory.region_enabled(call.region)
    {
        return Err(
            AwsError::new(401, "AuthFailure", AUTH_FAILURE).with_note(format!(
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
fn begin(call: &Call, op: &Operation) -> Result<(), AwsError> {
    authorize_describe(call, op.iam_action)?;
    let dry_run = call
        .params
        .get("DryRun")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if dry_run {
        return Err(AwsError::new(
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
    op: &Operation,
    body: impl FnOnce(&mut rolecall_wire::xml::XmlWriter),
) -> Reply {
    success_sized(call, op, 0, body)
}

/// A success whose members take about `bytes` bytes (see `ec2_query::success_sized`).
fn success_sized(
    call: &Call,
    op: &Operation,
    bytes: usize,
    body: impl FnOnce(&mut rolecall_wire::xml::XmlWriter),
) -> Reply {
    PROTOCOL.success_reply(ec2_query::success_sized(
        op.name,
        call.request_id,
        bytes,
        body,
    ))
}

/// Asks the engine whether the caller may perform a Describe action, which EC2 authorizes on
/// resource `*` in the caller's own account. A denial is `403 UnauthorizedOperation` with
/// "You are not authorized to perform this operation. " before the IAM sentence, and no
/// "on resource" part for Describe* calls (observed AWS output, reference notes §3.4).
fn authorize_describe(call: &Call, action: &str) -> Result<(), AwsError> {
    call.decide_in_own_account(action, |context| {
        context.insert_static("ec2:Region", call.region)
    })
    .map(drop)
    .map_err(|denial| {
        AwsError::new(
            403,
            "UnauthorizedOperation",
            format!(
                "You are not authorized to perform this operation. {}",
                denial.message
            ),
        )
        .with_note(denial.decision.summary())
    })
}
