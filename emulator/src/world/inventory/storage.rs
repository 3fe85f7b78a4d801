//! EBS volumes, the account's own AMIs, and key pairs.

use std::sync::Arc;
use time::OffsetDateTime;

/// An EBS volume: declared, or the root volume of an instance that is not terminated.
#[derive(Debug, Clone)]
pub struct Volume {
    /// Shared with the instance it is the root volume of.
    pub id: Arc<str>,
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
    pub tags: Vec<(String, String)>,
}

impl Volume {
    /// `in-use` when attached, `available` otherwise.
    pub fn state(&self) -> &'static str {
        if self.attachment.is_some() {
            "in-use"
        } else {
            "available"
        }
    }
}

#[derive(Debug, Clone)]
pub struct VolumeAttachment {
    pub instance_id: Arc<str>,
    pub device: Arc<str>,
    pub attach_time: OffsetDateTime,
    pub delete_on_termination: bool,
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
