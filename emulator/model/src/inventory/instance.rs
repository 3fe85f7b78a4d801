//! Instances and their lifecycle states.

use crate::ids::{resource_hex_digits, ShortText};
use std::net::Ipv4Addr;
use std::sync::{Arc, OnceLock};
use time::OffsetDateTime;

/// The lifecycle states of an instance with the codes AWS pairs them with
/// (EC2 API reference, InstanceState).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceState {
    Pending,
    Running,
    ShuttingDown,
    Terminated,
    Stopping,
    Stopped,
}

impl InstanceState {
    pub fn parse(s: &str) -> Option<InstanceState> {
        Some(match s {
            "pending" => InstanceState::Pending,
            "running" => InstanceState::Running,
            "shutting-down" => InstanceState::ShuttingDown,
            "terminated" => InstanceState::Terminated,
            "stopping" => InstanceState::Stopping,
            "stopped" => InstanceState::Stopped,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            InstanceState::Pending => "pending",
            InstanceState::Running => "running",
            InstanceState::ShuttingDown => "shutting-down",
            InstanceState::Terminated => "terminated",
            InstanceState::Stopping => "stopping",
            InstanceState::Stopped => "stopped",
        }
    }

    /// Stopping, stopped, shutting down or terminated: the answer gives the reason (a
    /// user-initiated shutdown, the only kind a scenario describes).
    pub fn is_halted(self) -> bool {
        matches!(
            self,
            InstanceState::Stopping
                | InstanceState::Stopped
                | InstanceState::ShuttingDown
                | InstanceState::Terminated
        )
    }

    /// The state's code (EC2 API reference, InstanceState), as the text the API writes and
    /// filters compare.
    pub fn code(self) -> &'static str {
        match self {
            InstanceState::Pending => "0",
            InstanceState::Running => "16",
            InstanceState::ShuttingDown => "32",
            InstanceState::Terminated => "48",
            InstanceState::Stopping => "64",
            InstanceState::Stopped => "80",
        }
    }
}

/// Values many instances share (the account, zone, VPC, subnet, type, image) are `Arc<str>`,
/// held once per region: a large scenario has hundreds of thousands of instances. So is the id
/// an instance shares with its interface and root volume, and their ids.
#[derive(Debug, Clone)]
pub struct Instance {
    /// Held once by the instance, its interface and its root volume.
    pub id: Arc<str>,
    pub owner_id: Arc<str>,
    pub instance_type: Arc<str>,
    pub state: InstanceState,
    pub image_id: Arc<str>,
    pub availability_zone: Arc<str>,
    pub vpc_id: Arc<str>,
    pub subnet_id: Arc<str>,
    pub private_ip: Ipv4Addr,
    /// `ec2.internal` or `REGION.compute.internal`, shared by the region's instances: the
    /// private DNS name is made from it and the address when asked for.
    pub private_dns_suffix: Arc<str>,
    /// Its public IPv4 address: one it was launched with, or an Elastic IP associated with it.
    pub public_ip: Option<String>,
    /// `ec2-…` for the public address, when its VPC gives DNS hostnames.
    pub public_dns_name: Option<Arc<str>>,
    pub launch_time: OffsetDateTime,
    /// Shared by the instances launched with the same key pair.
    pub key_name: Option<Arc<str>>,
    /// Security group ids, in the order declared (the VPC's default group when none are).
    pub security_groups: Arc<[String]>,
    /// The primary network interface (none once terminated).
    pub network_interface_id: Option<Arc<str>>,
    /// The root EBS volume (none once terminated: it is deleted on termination).
    pub root_volume_id: Option<Arc<str>>,
    pub tags: Vec<(String, String)>,
    /// The instance's reservation as DescribeInstances writes it, made on first use: nothing
    /// in it depends on the request, and the world never changes once loaded.
    pub reservation_xml: OnceLock<Box<str>>,
}

impl Instance {
    /// The private IPv4 address, dotted.
    pub fn private_ip_text(&self) -> ShortText {
        let (mut text, mut len) = ([0u8; 15], 0);
        write_address(self.private_ip, b'.', &mut text, &mut len);
        ShortText::of(&[&text[..len]])
    }

    /// `ip-` and the address with dashes, then the region's suffix (EC2 user guide, "EC2
    /// instance hostnames, DNS names, and domains": IP name).
    pub fn private_dns_name(&self) -> ShortText {
        let (mut text, mut len) = ([0u8; 15], 0);
        write_address(self.private_ip, b'-', &mut text, &mut len);
        ShortText::of(&[
            b"ip-",
            &text[..len],
            b".",
            self.private_dns_suffix.as_bytes(),
        ])
    }

    /// The id of the reservation the instance was launched in (one instance per reservation),
    /// derived from the instance's id.
    pub fn reservation_id(&self) -> ShortText {
        ShortText::of(&[
            b"r-",
            resource_hex_digits(self.id.as_bytes(), 17).as_bytes(),
        ])
    }
}

/// The four octets in decimal, joined by `separator`, into `out` (15 bytes at most).
fn write_address(ip: Ipv4Addr, separator: u8, out: &mut [u8; 15], len: &mut usize) {
    for (i, octet) in ip.octets().into_iter().enumerate() {
        if i > 0 {
            out[*len] = separator;
            *len += 1;
        }
        let digits = [octet / 100, octet / 10 % 10, octet % 10];
        let skip = match octet {
            100.. => 0,
            10..=99 => 1,
            _ => 2,
        };
        for d in &digits[skip..] {
            out[*len] = b'0' + d;
            *len += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instance() -> Instance {
        let shared: Arc<str> = Arc::from("x");
        Instance {
            id: Arc::from("i-0123456789abcdef0"),
            owner_id: shared.clone(),
            instance_type: shared.clone(),
            state: InstanceState::Running,
            image_id: shared.clone(),
            availability_zone: shared.clone(),
            vpc_id: shared.clone(),
            subnet_id: shared.clone(),
            private_ip: Ipv4Addr::new(10, 0, 0, 1),
            private_dns_suffix: shared,
            public_ip: None,
            public_dns_name: None,
            launch_time: OffsetDateTime::UNIX_EPOCH,
            key_name: None,
            security_groups: Arc::from(Vec::new()),
            network_interface_id: None,
            root_volume_id: None,
            tags: Vec::new(),
            reservation_xml: OnceLock::new(),
        }
    }

    #[test]
    fn the_reservation_id_is_derived_from_the_instance_id() {
        let instance = instance();
        let expected = format!("r-{}", crate::ids::resource_hex("i-0123456789abcdef0", 17));
        assert_eq!(&*instance.reservation_id(), expected);
    }

    #[test]
    fn private_names_are_made_from_the_address() {
        for (ip, suffix) in [
            ("10.0.1.10", "ec2.internal"),
            ("172.31.0.0", "eu-west-1.compute.internal"),
            ("192.168.255.9", "ap-southeast-2.compute.internal"),
            ("0.0.0.0", "ec2.internal"),
            ("255.255.255.255", "ap-southeast-2.compute.internal"),
        ] {
            let instance = Instance {
                private_ip: ip.parse().unwrap(),
                private_dns_suffix: Arc::from(suffix),
                ..instance()
            };
            assert_eq!(&*instance.private_ip_text(), ip);
            assert_eq!(
                &*instance.private_dns_name(),
                format!("ip-{}.{suffix}", ip.replace('.', "-"))
            );
        }
    }

    #[test]
    fn each_state_has_awss_name_and_code() {
        let table = [
            ("pending", "0"),
            ("running", "16"),
            ("shutting-down", "32"),
            ("terminated", "48"),
            ("stopping", "64"),
            ("stopped", "80"),
        ];
        for (name, code) in table {
            let state = InstanceState::parse(name).unwrap();
            assert_eq!((state.name(), state.code()), (name, code));
        }
    }
}
