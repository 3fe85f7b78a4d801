//! EBS volumes, the account's own AMIs, and key pairs.

use super::RegionInventory;
use std::sync::Arc;
use time::OffsetDateTime;

/// The device an instance's root volume is attached at (Amazon Linux AMIs use `/dev/xvda`).
pub const ROOT_DEVICE: &str = "/dev/xvda";

/// An EBS volume: declared in the scenario, or the root volume of an instance that is not
/// terminated.
#[derive(Debug, Clone)]
pub struct Volume {
    /// Shared with the instance it is the root volume of.
    pub id: Arc<str>,
    pub tags: Vec<(String, String)>,
    pub source: VolumeSource,
}

#[derive(Debug, Clone)]
pub enum VolumeSource {
    /// An instance's root volume: everything but its id, snapshot and tags is read from the
    /// instance (see [`Volume::facts`]). A large organization has one per instance, and
    /// keeping only the instance's id makes each record a third of a declared one's size.
    Root {
        instance_id: Arc<str>,
        /// The snapshot behind the instance's image, shared by its instances.
        snapshot_id: Arc<str>,
    },
    Declared(Box<DeclaredVolume>),
}

/// A volume the scenario declares, with all it says about it.
#[derive(Debug, Clone)]
pub struct DeclaredVolume {
    /// GiB.
    pub size: u32,
    pub volume_type: Arc<str>,
    /// Provisioned IOPS (gp3's baseline is 3000; none for standard).
    pub iops: Option<u32>,
    /// MiB/s, gp3 only (baseline 125).
    pub throughput: Option<u32>,
    pub availability_zone: Arc<str>,
    pub encrypted: bool,
    pub snapshot_id: Arc<str>,
    pub create_time: OffsetDateTime,
    pub attachment: Option<VolumeAttachment>,
}

#[derive(Debug, Clone)]
pub struct VolumeAttachment {
    pub instance_id: Arc<str>,
    pub device: Arc<str>,
    pub attach_time: OffsetDateTime,
    pub delete_on_termination: bool,
}

/// What DescribeVolumes says of a volume, whichever its source.
#[derive(Debug, Clone, Copy)]
pub struct VolumeFacts<'a> {
    pub size: u32,
    pub volume_type: &'a str,
    pub iops: Option<u32>,
    pub throughput: Option<u32>,
    pub availability_zone: &'a str,
    pub encrypted: bool,
    pub snapshot_id: &'a str,
    pub create_time: OffsetDateTime,
    pub attachment: Option<AttachmentFacts<'a>>,
}

#[derive(Debug, Clone, Copy)]
pub struct AttachmentFacts<'a> {
    pub instance_id: &'a str,
    pub device: &'a str,
    pub attach_time: OffsetDateTime,
    pub delete_on_termination: bool,
}

impl<'a> AttachmentFacts<'a> {
    /// A root volume's attachment: made at launch at [`ROOT_DEVICE`], deleted with the
    /// instance.
    pub fn root(instance_id: &'a str, launch_time: OffsetDateTime) -> AttachmentFacts<'a> {
        AttachmentFacts {
            instance_id,
            device: ROOT_DEVICE,
            attach_time: launch_time,
            delete_on_termination: true,
        }
    }
}

impl VolumeFacts<'_> {
    /// `in-use` when attached, `available` otherwise.
    pub fn state(&self) -> &'static str {
        if self.attachment.is_some() {
            "in-use"
        } else {
            "available"
        }
    }
}

impl Volume {
    /// The volume's facts. A root volume is what EC2 makes at launch: 8 GiB of gp3 at its
    /// baseline (3000 IOPS, 125 MiB/s), unencrypted, in the instance's zone, created and
    /// attached at launch at [`ROOT_DEVICE`], deleted with the instance. None only for a root
    /// volume whose instance `region` does not hold, which the builder never makes.
    pub fn facts<'a>(&'a self, region: &'a RegionInventory) -> Option<VolumeFacts<'a>> {
        Some(match &self.source {
            VolumeSource::Root {
                instance_id,
                snapshot_id,
            } => {
                let instance = region.instance(instance_id)?;
                VolumeFacts {
                    size: 8,
                    volume_type: "gp3",
                    iops: Some(3000),
                    throughput: Some(125),
                    availability_zone: &instance.availability_zone,
                    encrypted: false,
                    snapshot_id,
                    create_time: instance.launch_time,
                    attachment: Some(AttachmentFacts::root(instance_id, instance.launch_time)),
                }
            }
            VolumeSource::Declared(v) => VolumeFacts {
                size: v.size,
                volume_type: &v.volume_type,
                iops: v.iops,
                throughput: v.throughput,
                availability_zone: &v.availability_zone,
                encrypted: v.encrypted,
                snapshot_id: &v.snapshot_id,
                create_time: v.create_time,
                attachment: v.attachment.as_ref().map(|a| AttachmentFacts {
                    instance_id: &a.instance_id,
                    device: &a.device,
                    attach_time: a.attach_time,
                    delete_on_termination: a.delete_on_termination,
                }),
            },
        })
    }
}

/// An AMI the account owns (private: AWS lists it for its owner only).
#[derive(Debug, Clone)]
pub struct Image {
    pub id: String,
    pub owner_id: String,
    pub name: String,
    pub description: Option<String>,
    pub architecture: String,
    pub creation_date: OffsetDateTime,
    pub root_device_name: String,
    /// The snapshot behind the root device.
    pub root_snapshot_id: String,
    pub root_volume_size: u32,
    pub tags: Vec<(String, String)>,
}

/// A key pair; EC2 keeps only the public half and its fingerprint.
#[derive(Debug, Clone)]
pub struct KeyPair {
    pub name: String,
    /// `key-` followed by 17 hex digits.
    pub id: String,
    /// `rsa` or `ed25519`.
    pub key_type: String,
    pub fingerprint: String,
    pub create_time: OffsetDateTime,
    pub tags: Vec<(String, String)>,
}
