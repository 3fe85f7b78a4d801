//! DescribeRegions: the regions the account can use, or with `AllRegions=true` every region,
//! each with its endpoint and the account's opt-in status for it.

use super::filters::{self, Filter};
use super::success;
use crate::services::{AwsError, Call, Operation, Reply};
use rolecall_model::regions;

/// The filters AWS documents for DescribeRegions.
fn known_filter(name: &str) -> bool {
    matches!(name, "endpoint" | "opt-in-status" | "region-name")
}

pub(crate) fn handle(call: &Call, op: &Operation) -> Result<Reply, AwsError> {
    let wanted = call.params.flat_list("RegionName");
    for name in &wanted {
        if !regions::is_known(name) {
            // The exact AWS text for an unknown region name was not found in observed output;
            // this is the best-supported form (code InvalidParameterValue, 400).
            return Err(AwsError::new(
                400,
                "InvalidParameterValue",
                format!("Invalid region names: {name}"),
            ));
        }
    }
    let all = call
        .params
        .get("AllRegions")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let filters = filters::parse(call.params, known_filter)?;
    let inventory = &call.principal.account().inventory;
    // Named regions are listed whether enabled or not (EC2 API reference, RegionName.N: "You
    // can specify any Regions, whether they are enabled and disabled for your account").
    let listed: Vec<(&str, &str)> = regions::all_regions()
        .into_iter()
        .filter(|r| {
            if wanted.is_empty() {
                all || inventory.region_enabled(r)
            } else {
                wanted.contains(r)
            }
        })
        .map(|r| (r, inventory.opt_in_status(r)))
        .filter(|(r, status)| filters.iter().all(|f| region_matches(f, r, status)))
        .collect();
    Ok(success(call, op, |w| {
        w.nest("regionInfo", |w| {
            for (region, status) in &listed {
                w.nest("item", |w| {
                    w.element("regionName", region);
                    w.element("regionEndpoint", &endpoint(region));
                    w.element("optInStatus", status);
                });
            }
        });
    }))
}

fn endpoint(region: &str) -> String {
    format!("ec2.{region}.amazonaws.com")
}

fn region_matches(filter: &Filter, region: &str, status: &str) -> bool {
    match filter.name.as_str() {
        "region-name" => filter.matches(region),
        "endpoint" => filter.matches(&endpoint(region)),
        "opt-in-status" => filter.matches(status),
        _ => false,
    }
}
