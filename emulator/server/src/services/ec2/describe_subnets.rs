//! DescribeSubnets: the default subnets (one per zone) and the declared ones.

use super::filters::{self, Filter};
use super::listing::{self, Listing};
use super::lookup;
use super::paging::PageRule;
use super::write::{bool_text, tag_set};
use crate::services::{AwsError, Call, Operation, Reply};
use rolecall_model::inventory::{RegionInventory, Subnet};
use rolecall_wire::xml::XmlWriter;

/// The filters AWS documents for DescribeSubnets that this inventory can answer.
const FILTERS: &[&str] = &[
    "availability-zone",
    "availability-zone-id",
    "available-ip-address-count",
    "cidr-block",
    "default-for-az",
    "ipv6-native",
    "map-customer-owned-ip-on-launch",
    "map-public-ip-on-launch",
    "owner-id",
    "state",
    "subnet-arn",
    "subnet-id",
    "vpc-id",
];

/// MaxResults 5 to 1000 (EC2 API reference, DescribeSubnets).
const PAGING: PageRule = PageRule {
    action: "DescribeSubnets",
    min: 5,
    max: 1000,
    clamp_above_max: false,
    ids_exclude_paging: None,
};

pub(crate) fn handle(call: &Call, op: &Operation) -> Result<Reply, AwsError> {
    listing::describe(
        call,
        op,
        &Listing {
            id_param: "SubnetId",
            set: "subnetSet",
            filters: FILTERS,
            paging: &PAGING,
            // Observed AWS text: InvalidSubnetID.NotFound "The subnet ID 'subnet-…' does not exist".
            not_found: |id| {
                lookup::not_found(
                    "InvalidSubnetID.NotFound",
                    format!("The subnet ID '{id}' does not exist"),
                )
            },
            resources: |inv: &RegionInventory| inv.subnets.as_slice(),
            matches: subnet_matches,
            write: write_subnet,
        },
    )
}

fn subnet_matches(f: &Filter, s: &Subnet, _: &RegionInventory) -> bool {
    if let Some(hit) = filters::tag_filter(f, &s.tags) {
        return hit;
    }
    match f.name.as_str() {
        "availability-zone" => f.matches(&s.availability_zone),
        "availability-zone-id" => f.matches(&s.availability_zone_id),
        "available-ip-address-count" => f.matches(&s.available_ip_address_count.to_string()),
        "cidr-block" => f.matches(&s.cidr_block.to_string()),
        "default-for-az" => filters::matches_bool(f, s.default_for_az),
        "ipv6-native" | "map-customer-owned-ip-on-launch" => filters::matches_bool(f, false),
        "map-public-ip-on-launch" => filters::matches_bool(f, s.map_public_ip_on_launch),
        "owner-id" => f.matches(&s.owner_id),
        "state" => f.matches("available"),
        "subnet-arn" => f.matches(&s.arn),
        "subnet-id" => f.matches(&s.id),
        "vpc-id" => f.matches(&s.vpc_id),
        _ => false,
    }
}

/// The members botocore's `Subnet` shape names (`subnetSet` items).
fn write_subnet(w: &mut XmlWriter, s: &Subnet, _: &RegionInventory) {
    w.element("subnetId", &s.id);
    w.element("subnetArn", &s.arn);
    w.element("state", "available");
    w.element("ownerId", &s.owner_id);
    w.element("vpcId", &s.vpc_id);
    w.element("cidrBlock", &s.cidr_block.to_string());
    w.nest("ipv6CidrBlockAssociationSet", |_| {});
    w.element(
        "availableIpAddressCount",
        &s.available_ip_address_count.to_string(),
    );
    w.element("availabilityZone", &s.availability_zone);
    w.element("availabilityZoneId", &s.availability_zone_id);
    w.element("defaultForAz", bool_text(s.default_for_az));
    w.element("mapPublicIpOnLaunch", bool_text(s.map_public_ip_on_launch));
    w.element("mapCustomerOwnedIpOnLaunch", "false");
    w.element("assignIpv6AddressOnCreation", "false");
    w.element("enableDns64", "false");
    w.element("ipv6Native", "false");
    w.nest("privateDnsNameOptionsOnLaunch", |w| {
        w.element("hostnameType", "ip-name");
        w.element("enableResourceNameDnsARecord", "false");
        w.element("enableResourceNameDnsAAAARecord", "false");
    });
    tag_set(w, &s.tags);
}
