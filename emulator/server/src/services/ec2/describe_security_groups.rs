//! DescribeSecurityGroups: each VPC's `default` group and the declared ones.

use super::filters::{self, Filter};
use super::paging::{self, PageRule};
use super::write::{ip_permissions, tag_set};
use super::{inventory, lookup, success};
use crate::services::{AwsError, Call, Operation, Reply};
use rolecall_model::inventory::{IpPermission, RegionInventory, SecurityGroup};
use rolecall_wire::xml::XmlWriter;

/// The filters AWS documents for DescribeSecurityGroups that this inventory can answer.
const FILTERS: &[&str] = &[
    "description",
    "egress.ip-permission.cidr",
    "egress.ip-permission.from-port",
    "egress.ip-permission.group-id",
    "egress.ip-permission.protocol",
    "egress.ip-permission.to-port",
    "group-id",
    "group-name",
    "ip-permission.cidr",
    "ip-permission.from-port",
    "ip-permission.group-id",
    "ip-permission.protocol",
    "ip-permission.to-port",
    "owner-id",
    "vpc-id",
];

/// MaxResults 5 to 1000 (EC2 API reference, DescribeSecurityGroups).
const PAGING: PageRule = PageRule {
    action: "DescribeSecurityGroups",
    min: 5,
    max: 1000,
    clamp_above_max: false,
    ids_exclude_paging: None,
};

pub(crate) fn handle(call: &Call, op: &Operation) -> Result<Reply, AwsError> {
    let ids = call.params.flat_list("GroupId");
    let names = call.params.flat_list("GroupName");
    let filters = filters::parse(call.params, |n| filters::known_or_tag(FILTERS, n))?;
    let named = !ids.is_empty() || !names.is_empty();
    let paging = paging::read(call.params, &PAGING, named)?;
    let inv = inventory(call);
    let keep = |g: &&SecurityGroup| filters.iter().all(|f| group_matches(f, g));
    let (page, next) = if !named {
        paging.select(&inv.security_groups, |g| &g.id, |g| keep(&g))
    } else {
        let mut found = by_id(inv, &ids)?;
        found.extend(by_name(inv, &names)?);
        found.sort_by(|a, b| a.id.cmp(&b.id));
        found.dedup_by(|a, b| a.id == b.id);
        let (page, next) = paging.select(&found, |g| &g.id, keep);
        (page.into_iter().copied().collect(), next)
    };
    Ok(success(call, op, |w| {
        w.nest("securityGroupInfo", |w| {
            for group in &page {
                w.nest("item", |w| write_group(w, group));
            }
        });
        w.optional("nextToken", next.as_deref());
    }))
}

/// Observed AWS text: InvalidGroup.NotFound "The security group 'sg-…' does not exist".
fn by_id<'a>(inv: &'a RegionInventory, ids: &[&str]) -> Result<Vec<&'a SecurityGroup>, AwsError> {
    lookup::by_ids(&inv.security_groups, ids, |id| {
        lookup::not_found(
            "InvalidGroup.NotFound",
            format!("The security group '{id}' does not exist"),
        )
    })
}

/// Names are looked up in the default VPC only; groups of other VPCs are asked for by id.
/// Observed AWS text: "The security group 'web' does not exist in default VPC 'vpc-…'".
fn by_name<'a>(
    inv: &'a RegionInventory,
    names: &[&str],
) -> Result<Vec<&'a SecurityGroup>, AwsError> {
    let default_vpc = inv.default_vpc().map_or("", |v| v.id.as_str());
    names
        .iter()
        .map(|name| {
            inv.security_groups
                .iter()
                .find(|g| g.vpc_id == default_vpc && g.name == *name)
                .ok_or_else(|| {
                    lookup::not_found(
                        "InvalidGroup.NotFound",
                        format!("The security group '{name}' does not exist in default VPC '{default_vpc}'"),
                    )
                })
        })
        .collect()
}

fn group_matches(f: &Filter, g: &SecurityGroup) -> bool {
    if let Some(hit) = filters::tag_filter(f, &g.tags) {
        return hit;
    }
    let name = f.name.as_str();
    if let Some(field) = name.strip_prefix("egress.ip-permission.") {
        return g.egress.iter().any(|r| rule_matches(f, field, r));
    }
    if let Some(field) = name.strip_prefix("ip-permission.") {
        return g.ingress.iter().any(|r| rule_matches(f, field, r));
    }
    match name {
        "description" => f.matches(&g.description),
        "group-id" => f.matches(&g.id),
        "group-name" => f.matches(&g.name),
        "owner-id" => f.matches(&g.owner_id),
        "vpc-id" => f.matches(&g.vpc_id),
        _ => false,
    }
}

fn rule_matches(f: &Filter, field: &str, r: &IpPermission) -> bool {
    let port = |p: Option<i32>| p.map_or_else(|| "-1".to_string(), |n| n.to_string());
    match field {
        "cidr" => r.cidrs.iter().any(|c| f.matches(c)),
        "from-port" => f.matches(&port(r.from_port)),
        "to-port" => f.matches(&port(r.to_port)),
        "group-id" => r.groups.iter().any(|(id, _)| f.matches(id)),
        "protocol" => f.matches(&r.protocol),
        _ => false,
    }
}

/// The members botocore's `SecurityGroup` shape names (`securityGroupInfo` items).
fn write_group(w: &mut XmlWriter, g: &SecurityGroup) {
    w.element("ownerId", &g.owner_id);
    w.element("groupId", &g.id);
    w.element("groupName", &g.name);
    w.element("groupDescription", &g.description);
    ip_permissions(w, "ipPermissions", &g.ingress);
    ip_permissions(w, "ipPermissionsEgress", &g.egress);
    w.element("vpcId", &g.vpc_id);
    w.element("securityGroupArn", &g.arn);
    tag_set(w, &g.tags);
}
