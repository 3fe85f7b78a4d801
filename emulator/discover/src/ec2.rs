//! The EC2 describes a walk counts, over ec2Query: a form body, an XML answer whose list
//! entries are `<item>` elements, and `MaxResults`/`nextToken` paging where the action has it.

use super::credentials::Credentials;
use super::endpoints::Service;
use super::errors::ApiError;
use super::http::{Body, Client};
use super::xml;

const VERSION: &str = "2016-11-15";
/// Pages read per describe at most; at 1,000 items a page that is ten million items.
const MAX_PAGES: usize = 10_000;

/// One kind of resource the walk can count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resource {
    /// The name on the command line and in the report (`security-groups`).
    pub name: &'static str,
    pub action: &'static str,
    /// Where each counted entry opens, below the response element.
    item_path: &'static [&'static str],
    /// Whether the action pages with `MaxResults`/`NextToken` (the largest page is asked for).
    paged: bool,
    /// Parameters sent with every request.
    extra: &'static [(&'static str, &'static str)],
}

/// Every resource the emulator serves a Describe for, in report order.
pub const RESOURCES: &[Resource] = &[
    Resource {
        name: "instances",
        action: "DescribeInstances",
        item_path: &["reservationSet", "item", "instancesSet", "item"],
        paged: true,
        extra: &[],
    },
    Resource {
        name: "vpcs",
        action: "DescribeVpcs",
        item_path: &["vpcSet", "item"],
        paged: true,
        extra: &[],
    },
    Resource {
        name: "subnets",
        action: "DescribeSubnets",
        item_path: &["subnetSet", "item"],
        paged: true,
        extra: &[],
    },
    Resource {
        name: "security-groups",
        action: "DescribeSecurityGroups",
        item_path: &["securityGroupInfo", "item"],
        paged: true,
        extra: &[],
    },
    Resource {
        name: "volumes",
        action: "DescribeVolumes",
        item_path: &["volumeSet", "item"],
        paged: true,
        extra: &[],
    },
    Resource {
        name: "network-interfaces",
        action: "DescribeNetworkInterfaces",
        item_path: &["networkInterfaceSet", "item"],
        paged: true,
        extra: &[],
    },
    // Without an owner DescribeImages lists every public AMI too; an inventory wants its own.
    Resource {
        name: "images",
        action: "DescribeImages",
        item_path: &["imagesSet", "item"],
        paged: true,
        extra: &[("Owner.1", "self")],
    },
    Resource {
        name: "key-pairs",
        action: "DescribeKeyPairs",
        item_path: &["keySet", "item"],
        paged: false,
        extra: &[],
    },
    Resource {
        name: "addresses",
        action: "DescribeAddresses",
        item_path: &["addressesSet", "item"],
        paged: false,
        extra: &[],
    },
    Resource {
        name: "availability-zones",
        action: "DescribeAvailabilityZones",
        item_path: &["availabilityZoneInfo", "item"],
        paged: false,
        extra: &[],
    },
    Resource {
        name: "tags",
        action: "DescribeTags",
        item_path: &["tagSet", "item"],
        paged: true,
        extra: &[],
    },
];

/// The resource called `name` on the command line.
pub fn resource(name: &str) -> Option<&'static Resource> {
    RESOURCES.iter().find(|r| r.name == name)
}

/// Counts every entry of `resource` in `region`, following `nextToken` to the last page.
pub async fn count(
    client: &Client,
    region: &str,
    credentials: &Credentials,
    resource: &Resource,
) -> Result<u64, ApiError> {
    let mut total = 0u64;
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let mut params: Vec<(&str, &str)> = vec![("Action", resource.action), ("Version", VERSION)];
        params.extend_from_slice(resource.extra);
        if resource.paged {
            params.push(("MaxResults", "1000"));
        }
        if let Some(t) = &token {
            params.push(("NextToken", t.as_str()));
        }
        let answer = client
            .call(Service::Ec2, region, credentials, Body::Form(&params))
            .await?;
        let mut next = None;
        xml::walk(&answer.body, |path, text| match text {
            None if path.len() == resource.item_path.len() + 1
                && xml::ends_with(path, resource.item_path) =>
            {
                total += 1
            }
            Some(t) if path.len() == 2 && path[1] == "nextToken" => next = Some(t.to_string()),
            _ => {}
        })
        .map_err(|e| super::sts::unexpected(resource.action, &e))?;
        match next {
            Some(t) if resource.paged => token = Some(t),
            _ => return Ok(total),
        }
    }
    Err(ApiError {
        status: 200,
        code: "TooManyPages".into(),
        message: format!("{} still had more after {MAX_PAGES} pages", resource.action),
        request_id: None,
    })
}

/// A region as DescribeRegions lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionInfo {
    pub name: String,
    /// `opt-in-not-required`, `opted-in` or `not-opted-in`.
    pub opt_in_status: String,
}

/// DescribeRegions called in `home`: the regions the account has enabled, or with `only` the
/// named region whatever its status (AWS lists a named region even when it is not enabled).
pub async fn describe_regions(
    client: &Client,
    home: &str,
    credentials: &Credentials,
    only: Option<&str>,
) -> Result<Vec<RegionInfo>, ApiError> {
    let mut params = vec![("Action", "DescribeRegions"), ("Version", VERSION)];
    if let Some(name) = only {
        params.push(("RegionName.1", name));
    }
    let answer = client
        .call(Service::Ec2, home, credentials, Body::Form(&params))
        .await?;
    let mut regions: Vec<RegionInfo> = Vec::new();
    xml::walk(&answer.body, |path, text| {
        if xml::ends_with(path, &["regionInfo", "item"]) && text.is_none() {
            regions.push(RegionInfo {
                name: String::new(),
                opt_in_status: String::new(),
            });
        }
        if let (Some(t), Some(last)) = (text, regions.last_mut()) {
            if xml::ends_with(path, &["item", "regionName"]) {
                last.name = t.to_string();
            } else if xml::ends_with(path, &["item", "optInStatus"]) {
                last.opt_in_status = t.to_string();
            }
        }
    })
    .map_err(|e| super::sts::unexpected("DescribeRegions", &e))?;
    regions.retain(|r| !r.name.is_empty());
    Ok(regions)
}
