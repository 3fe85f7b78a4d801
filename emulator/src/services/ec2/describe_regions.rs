//! DescribeRegions: the regions the account can use, with their endpoints.

use super::filters::{self, Filter};
use super::{authorize_describe, success};
use crate::services::{Call, Reply, ServiceError};
use crate::world::regions::DEFAULT_REGIONS;

/// The filters AWS documents for DescribeRegions.
fn known_filter(name: &str) -> bool {
    matches!(name, "endpoint" | "opt-in-status" | "region-name")
}

pub fn handle(call: &Call) -> Result<Reply, ServiceError> {
    authorize_describe(call, "ec2:DescribeRegions")?;
    let wanted = call.params.flat_list("RegionName");
    for name in &wanted {
        if !DEFAULT_REGIONS.contains(name) {
            // The exact AWS text for an unknown region name was not found in observed output;
            // this is the best-supported form (code InvalidParameterValue, 400).
            return Err(ServiceError::new(
                400,
                "InvalidParameterValue",
                format!("Invalid region names: {name}"),
            ));
        }
    }
    let filters = filters::parse(call.params, known_filter)?;
    let regions = DEFAULT_REGIONS
        .iter()
        .filter(|r| wanted.is_empty() || wanted.contains(r))
        .filter(|r| filters.iter().all(|f| region_matches(f, r)));
    Ok(success(call, "DescribeRegions", |w| {
        w.nest("regionInfo", |w| {
            for region in regions {
                w.nest("item", |w| {
                    w.element("regionName", region);
                    w.element("regionEndpoint", &endpoint(region));
                    w.element("optInStatus", "opt-in-not-required");
                });
            }
        });
    }))
}

fn endpoint(region: &str) -> String {
    format!("ec2.{region}.amazonaws.com")
}

fn region_matches(filter: &Filter, region: &str) -> bool {
    match filter.name.as_str() {
        "region-name" => filter.matches(region),
        "endpoint" => filter.matches(&endpoint(region)),
        "opt-in-status" => filter.matches("opt-in-not-required"),
        _ => false,
    }
}
