//! DescribeVpcs: the default VPC and the declared ones, filtered and paged.

use super::filters::{self, Filter};
use super::listing::{self, Listing};
use super::lookup;
use super::paging::PageRule;
use super::write::{bool_text, tag_set};
use crate::services::{AwsError, Call, Operation, Reply};
use rolecall_model::inventory::{RegionInventory, Vpc};
use rolecall_wire::xml::XmlWriter;

/// The filters AWS documents for DescribeVpcs that this inventory can answer. The IPv6 ones
/// are accepted and match nothing, as no VPC here has an IPv6 block.
const FILTERS: &[&str] = &[
    "cidr",
    "cidr-block-association.cidr-block",
    "cidr-block-association.association-id",
    "cidr-block-association.state",
    "dhcp-options-id",
    "ipv6-cidr-block-association.ipv6-cidr-block",
    "ipv6-cidr-block-association.ipv6-pool",
    "ipv6-cidr-block-association.association-id",
    "ipv6-cidr-block-association.state",
    "is-default",
    "owner-id",
    "state",
    "vpc-id",
];

/// MaxResults 5 to 1000; VpcId.N may be combined with it (EC2 API reference, DescribeVpcs).
const PAGING: PageRule = PageRule {
    action: "DescribeVpcs",
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
            id_param: "VpcId",
            set: "vpcSet",
            filters: FILTERS,
            paging: &PAGING,
            // Observed AWS text: InvalidVpcID.NotFound "The vpc ID 'vpc-…' does not exist".
            not_found: |id| {
                lookup::not_found(
                    "InvalidVpcID.NotFound",
                    format!("The vpc ID '{id}' does not exist"),
                )
            },
            resources: |inv: &RegionInventory| inv.vpcs.as_slice(),
            matches: vpc_matches,
            write: write_vpc,
        },
    )
}

fn vpc_matches(f: &Filter, v: &Vpc, _: &RegionInventory) -> bool {
    if let Some(hit) = filters::tag_filter(f, &v.tags) {
        return hit;
    }
    match f.name.as_str() {
        "cidr" | "cidr-block-association.cidr-block" => f.matches(&v.cidr_block.to_string()),
        "cidr-block-association.association-id" => f.matches(&v.cidr_association_id),
        "cidr-block-association.state" | "state" => f.matches(if f.name == "state" {
            "available"
        } else {
            "associated"
        }),
        "dhcp-options-id" => f.matches(&v.dhcp_options_id),
        "is-default" => filters::matches_bool(f, v.is_default),
        "owner-id" => f.matches(&v.owner_id),
        "vpc-id" => f.matches(&v.id),
        _ => false,
    }
}

/// The members botocore's `Vpc` shape names (`vpcSet` items).
fn write_vpc(w: &mut XmlWriter, v: &Vpc, _: &RegionInventory) {
    w.element("vpcId", &v.id);
    w.element("ownerId", &v.owner_id);
    w.element("state", "available");
    w.element("cidrBlock", &v.cidr_block.to_string());
    w.nest("cidrBlockAssociationSet", |w| {
        w.nest("item", |w| {
            w.element("associationId", &v.cidr_association_id);
            w.element("cidrBlock", &v.cidr_block.to_string());
            w.nest("cidrBlockState", |w| w.element("state", "associated"));
        });
    });
    w.element("dhcpOptionsId", &v.dhcp_options_id);
    tag_set(w, &v.tags);
    w.element("instanceTenancy", "default");
    w.element("isDefault", bool_text(v.is_default));
}
