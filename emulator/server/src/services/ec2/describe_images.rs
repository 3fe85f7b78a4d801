//! DescribeImages: the account's own AMIs. Public and shared images are not part of a
//! scenario, so asking for Amazon's or another account's images finds none.

use super::describe_instances::{PLATFORM_DETAILS, USAGE_OPERATION};
use super::filters::{self, Filter};
use super::paging::{self, PageRule};
use super::write::{bool_text, tag_set, time};
use super::{inventory, lookup, success};
use crate::services::{AwsError, Call, Operation, Reply};
use rolecall_model::inventory::Image;
use rolecall_wire::format_timestamp_millis;
use rolecall_wire::xml::XmlWriter;

/// The filters AWS documents for DescribeImages that this inventory can answer.
const FILTERS: &[&str] = &[
    "architecture",
    "block-device-mapping.delete-on-termination",
    "block-device-mapping.device-name",
    "block-device-mapping.snapshot-id",
    "block-device-mapping.volume-size",
    "block-device-mapping.volume-type",
    "block-device-mapping.encrypted",
    "creation-date",
    "description",
    "ena-support",
    "hypervisor",
    "image-id",
    "image-type",
    "is-public",
    "manifest-location",
    "name",
    "owner-alias",
    "owner-id",
    "platform",
    "root-device-name",
    "root-device-type",
    "state",
    "virtualization-type",
];

/// MaxResults 5 to 1000, never with ImageId.N (observed: "The parameter imageIdsSet cannot be
/// used with the parameter maxResults").
const PAGING: PageRule = PageRule {
    action: "DescribeImages",
    min: 5,
    max: 1000,
    clamp_above_max: false,
    ids_exclude_paging: Some("imageIdsSet"),
};

pub(crate) fn handle(call: &Call, op: &Operation) -> Result<Reply, AwsError> {
    let ids = call.params.flat_list("ImageId");
    let owners = call.params.flat_list("Owner");
    let filters = filters::parse(call.params, |n| filters::known_or_tag(FILTERS, n))?;
    let paging = paging::read(call.params, &PAGING, !ids.is_empty())?;
    let account = call.principal.account_id();
    // `self` or the account's own id select its images; `amazon`, `aws-marketplace` and other
    // accounts own nothing here.
    let own_wanted = owners.is_empty() || owners.iter().any(|o| *o == "self" || *o == account);
    let inv = inventory(call);
    let keep = |i: &&Image| own_wanted && filters.iter().all(|f| image_matches(f, i));
    let (page, next) = if ids.is_empty() {
        paging.select(&inv.images, |i| &i.id, |i| keep(&i))
    } else {
        for id in &ids {
            if !id.starts_with("ami-") {
                // Observed AWS text: InvalidAMIID.Malformed.
                return Err(AwsError::new(
                    400,
                    "InvalidAMIID.Malformed",
                    format!("Invalid id: \"{id}\" (expecting \"ami-...\")"),
                ));
            }
        }
        // Observed AWS text: "The image id '[ami-…]' does not exist", brackets included.
        let found = lookup::by_ids(&inv.images, &ids, |id| {
            lookup::not_found(
                "InvalidAMIID.NotFound",
                format!("The image id '[{id}]' does not exist"),
            )
        })?;
        (found.into_iter().filter(keep).collect(), None)
    };
    Ok(success(call, op, |w| {
        w.nest("imagesSet", |w| {
            for image in &page {
                w.nest("item", |w| write_image(w, image));
            }
        });
        w.optional("nextToken", next.as_deref());
    }))
}

fn location(i: &Image) -> String {
    format!("{}/{}", i.owner_id, i.name)
}

fn image_matches(f: &Filter, i: &Image) -> bool {
    if let Some(hit) = filters::tag_filter(f, &i.tags) {
        return hit;
    }
    match f.name.as_str() {
        "architecture" => f.matches(&i.architecture),
        "block-device-mapping.delete-on-termination" => filters::matches_bool(f, true),
        "block-device-mapping.device-name" | "root-device-name" => f.matches(&i.root_device_name),
        "block-device-mapping.snapshot-id" => f.matches(&i.root_snapshot_id),
        "block-device-mapping.volume-size" => f.matches(&i.root_volume_size.to_string()),
        "block-device-mapping.volume-type" => f.matches("gp3"),
        "block-device-mapping.encrypted" | "is-public" => filters::matches_bool(f, false),
        "creation-date" => f.matches(&format_timestamp_millis(i.creation_date)),
        "description" => i.description.as_deref().is_some_and(|d| f.matches(d)),
        "ena-support" => filters::matches_bool(f, true),
        "hypervisor" => f.matches("xen"),
        "image-id" => f.matches(&i.id),
        "image-type" => f.matches("machine"),
        "manifest-location" => f.matches(&location(i)),
        "name" => f.matches(&i.name),
        "owner-id" => f.matches(&i.owner_id),
        "root-device-type" => f.matches("ebs"),
        "state" => f.matches("available"),
        "virtualization-type" => f.matches("hvm"),
        // Customer images have no owner alias; Linux images have no platform.
        _ => false,
    }
}

/// The members botocore's `Image` shape names (`imagesSet` items).
fn write_image(w: &mut XmlWriter, i: &Image) {
    w.element("imageId", &i.id);
    w.element("imageLocation", &location(i));
    w.element("imageState", "available");
    w.element("imageOwnerId", &i.owner_id);
    time(w, "creationDate", i.creation_date);
    w.element("isPublic", "false");
    w.element("architecture", &i.architecture);
    w.element("imageType", "machine");
    w.element("name", &i.name);
    w.optional("description", i.description.as_deref());
    w.element("rootDeviceType", "ebs");
    w.element("rootDeviceName", &i.root_device_name);
    w.nest("blockDeviceMapping", |w| {
        w.nest("item", |w| {
            w.element("deviceName", &i.root_device_name);
            w.nest("ebs", |w| {
                w.element("snapshotId", &i.root_snapshot_id);
                w.element("volumeSize", &i.root_volume_size.to_string());
                w.element("deleteOnTermination", "true");
                w.element("volumeType", "gp3");
                w.element("encrypted", bool_text(false));
            });
        });
    });
    w.element("virtualizationType", "hvm");
    tag_set(w, &i.tags);
    w.element("hypervisor", "xen");
    w.element("enaSupport", "true");
    w.element("platformDetails", PLATFORM_DETAILS);
    w.element("usageOperation", USAGE_OPERATION);
}
