//! DescribeVolumes: the declared volumes and every live instance's root volume.

use super::filters::{self, Filter};
use super::listing::{self, Listing};
use super::lookup;
use super::paging::PageRule;
use super::write::{bool_text, tag_set, time};
use crate::services::{AwsError, Call, Operation, Reply};
use rolecall_model::inventory::{RegionInventory, Volume};
use rolecall_wire::format_timestamp_millis;
use rolecall_wire::xml::XmlWriter;

/// The filters AWS documents for DescribeVolumes that this inventory can answer.
const FILTERS: &[&str] = &[
    "attachment.attach-time",
    "attachment.delete-on-termination",
    "attachment.device",
    "attachment.instance-id",
    "attachment.status",
    "availability-zone",
    "create-time",
    "encrypted",
    "fast-restored",
    "multi-attach-enabled",
    "size",
    "snapshot-id",
    "status",
    "volume-id",
    "volume-type",
];

/// MaxResults 5 to 1000, a larger value returns 1000; not together with VolumeId.N (EC2 API
/// reference, DescribeVolumes). The combination text follows the observed DescribeInstances
/// and DescribeImages ones.
const PAGING: PageRule = PageRule {
    action: "DescribeVolumes",
    min: 5,
    max: 1000,
    clamp_above_max: true,
    ids_exclude_paging: Some("volumeIdsSet"),
};

pub(crate) fn handle(call: &Call, op: &Operation) -> Result<Reply, AwsError> {
    listing::describe(
        call,
        op,
        &Listing {
            id_param: "VolumeId",
            set: "volumeSet",
            filters: FILTERS,
            paging: &PAGING,
            // Observed AWS text, with its period: "The volume 'vol-…' does not exist."
            not_found: |id| {
                lookup::not_found(
                    "InvalidVolume.NotFound",
                    format!("The volume '{id}' does not exist."),
                )
            },
            resources: |inv: &RegionInventory| inv.volumes.as_slice(),
            matches: volume_matches,
            write: write_volume,
        },
    )
}

fn volume_matches(f: &Filter, v: &Volume, inv: &RegionInventory) -> bool {
    if let Some(hit) = filters::tag_filter(f, &v.tags) {
        return hit;
    }
    let Some(facts) = v.facts(inv) else {
        return false;
    };
    let a = facts.attachment;
    match f.name.as_str() {
        "attachment.attach-time" => {
            a.is_some_and(|a| f.matches(&format_timestamp_millis(a.attach_time)))
        }
        "attachment.delete-on-termination" => {
            a.is_some_and(|a| filters::matches_bool(f, a.delete_on_termination))
        }
        "attachment.device" => a.is_some_and(|a| f.matches(a.device)),
        "attachment.instance-id" => a.is_some_and(|a| f.matches(a.instance_id)),
        "attachment.status" => a.is_some_and(|_| f.matches("attached")),
        "availability-zone" => f.matches(facts.availability_zone),
        "create-time" => f.matches(&format_timestamp_millis(facts.create_time)),
        "encrypted" => filters::matches_bool(f, facts.encrypted),
        "fast-restored" | "multi-attach-enabled" => filters::matches_bool(f, false),
        "size" => f.matches(&facts.size.to_string()),
        "snapshot-id" => f.matches(facts.snapshot_id),
        "status" => f.matches(facts.state()),
        "volume-id" => f.matches(&v.id),
        "volume-type" => f.matches(facts.volume_type),
        _ => false,
    }
}

/// The members botocore's `Volume` shape names (`volumeSet` items).
fn write_volume(w: &mut XmlWriter, v: &Volume, inv: &RegionInventory) {
    w.element("volumeId", &v.id);
    // A root volume's instance is always in its region (the builder makes them together).
    let Some(facts) = v.facts(inv) else {
        return;
    };
    w.element("size", &facts.size.to_string());
    w.element("snapshotId", facts.snapshot_id);
    w.element("availabilityZone", facts.availability_zone);
    w.element("status", facts.state());
    time(w, "createTime", facts.create_time);
    w.nest("attachmentSet", |w| {
        if let Some(a) = facts.attachment {
            w.nest("item", |w| {
                w.element("volumeId", &v.id);
                w.element("instanceId", a.instance_id);
                w.element("device", a.device);
                w.element("status", "attached");
                time(w, "attachTime", a.attach_time);
                w.element("deleteOnTermination", bool_text(a.delete_on_termination));
            });
        }
    });
    w.element("volumeType", facts.volume_type);
    if let Some(iops) = facts.iops {
        w.element("iops", &iops.to_string());
    }
    w.element("encrypted", bool_text(facts.encrypted));
    w.element("multiAttachEnabled", "false");
    if let Some(throughput) = facts.throughput {
        w.element("throughput", &throughput.to_string());
    }
    tag_set(w, &v.tags);
}
