//! DescribeAvailabilityZones: the request region's zones. It does not page.

use super::filters::{self, Filter};
use super::{inventory, success};
use crate::services::{AwsError, Call, Operation, Reply};
use rolecall_model::regions::Zone;
use rolecall_wire::xml::XmlWriter;

/// The filters AWS documents for DescribeAvailabilityZones.
const FILTERS: &[&str] = &[
    "group-long-name",
    "group-name",
    "message",
    "opt-in-status",
    "parent-zone-id",
    "parent-zone-name",
    "region-name",
    "state",
    "zone-id",
    "zone-name",
    "zone-type",
];

pub(crate) fn handle(call: &Call, op: &Operation) -> Result<Reply, AwsError> {
    let names = call.params.flat_list("ZoneName");
    let ids = call.params.flat_list("ZoneId");
    let filters = filters::parse(call.params, |n| FILTERS.contains(&n))?;
    let zones = &inventory(call).zones;
    // Observed AWS text: InvalidParameterValue "Invalid availability zone: [us-east-1z]".
    for wanted in names.iter().chain(&ids) {
        if !zones.iter().any(|z| z.name == *wanted || z.id == *wanted) {
            return Err(AwsError::new(
                400,
                "InvalidParameterValue",
                format!("Invalid availability zone: [{wanted}]"),
            ));
        }
    }
    let region = call.region;
    let selected: Vec<&Zone> = zones
        .iter()
        .filter(|z| {
            (names.is_empty() && ids.is_empty())
                || names.contains(&z.name.as_str())
                || ids.contains(&z.id.as_str())
        })
        .filter(|z| filters.iter().all(|f| zone_matches(f, z, region)))
        .collect();
    Ok(success(call, op, |w| {
        w.nest("availabilityZoneInfo", |w| {
            for zone in &selected {
                w.nest("item", |w| write_zone(w, zone, region));
            }
        });
    }))
}

fn zone_matches(f: &Filter, z: &Zone, region: &str) -> bool {
    match f.name.as_str() {
        "group-name" | "region-name" => f.matches(region),
        "opt-in-status" => f.matches("opt-in-not-required"),
        "state" => f.matches("available"),
        "zone-id" => f.matches(&z.id),
        "zone-name" => f.matches(&z.name),
        "zone-type" => f.matches("availability-zone"),
        // Availability Zones have no messages, parent zone or long group name here.
        _ => false,
    }
}

/// The members botocore's `AvailabilityZone` shape names (`availabilityZoneInfo` items).
/// Zones of a region are never opt-in themselves, even in an opt-in region.
fn write_zone(w: &mut XmlWriter, z: &Zone, region: &str) {
    w.element("zoneName", &z.name);
    w.element("zoneState", "available");
    w.element("regionName", region);
    w.nest("messageSet", |_| {});
    w.element("zoneId", &z.id);
    w.element("optInStatus", "opt-in-not-required");
    w.element("groupName", region);
    w.element("networkBorderGroup", region);
    w.element("zoneType", "availability-zone");
}
