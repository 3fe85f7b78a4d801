//! VPCs, subnets, security groups, network interfaces and Elastic IP addresses.

use crate::ids::{resource_hex_digits, ShortText};
use ipnet::Ipv4Net;
use std::sync::Arc;

/// A VPC. Each enabled region of each account has a default VPC, 172.31.0.0/16 (VPC user
/// guide, "Default VPCs").
#[derive(Debug, Clone)]
pub struct Vpc {
    pub id: String,
    pub owner_id: String,
    pub cidr_block: Ipv4Net,
    /// The id of the association of `cidr_block` (`vpc-cidr-assoc-…`).
    pub cidr_association_id: String,
    pub dhcp_options_id: String,
    pub is_default: bool,
    /// `enableDnsHostnames`: instances with a public address get a public DNS name. On in a
    /// default VPC, off in any other unless turned on (VPC user guide, "DNS attributes for your
    /// VPC").
    pub dns_hostnames: bool,
    pub tags: Vec<(String, String)>,
}

impl Vpc {
    pub fn arn(&self, region: &str) -> String {
        format!("arn:aws:ec2:{region}:{}:vpc/{}", self.owner_id, self.id)
    }
}

/// A subnet. The default VPC has one default subnet (a /20) per Availability Zone.
#[derive(Debug, Clone)]
pub struct Subnet {
    pub id: String,
    pub arn: String,
    pub owner_id: String,
    pub vpc_id: String,
    pub cidr_block: Ipv4Net,
    pub availability_zone: String,
    pub availability_zone_id: String,
    /// The block's size less the five addresses AWS reserves, less the addresses in use.
    pub available_ip_address_count: u32,
    pub default_for_az: bool,
    pub map_public_ip_on_launch: bool,
    pub tags: Vec<(String, String)>,
}

/// One rule of a security group (`IpPermission`): `protocol` `-1` means all traffic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpPermission {
    pub protocol: String,
    pub from_port: Option<i32>,
    pub to_port: Option<i32>,
    pub cidrs: Vec<String>,
    /// Other groups allowed (`UserIdGroupPair`): (group id, owner account id).
    pub groups: Vec<(String, String)>,
}

/// A security group. Every VPC has a group named `default` that admits traffic from its own
/// members and lets everything out (VPC user guide, "Default security groups").
#[derive(Debug, Clone)]
pub struct SecurityGroup {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub description: String,
    pub owner_id: String,
    pub vpc_id: String,
    pub ingress: Vec<IpPermission>,
    pub egress: Vec<IpPermission>,
    pub tags: Vec<(String, String)>,
}

/// A network interface: each instance that is not terminated has its primary one. Apart from
/// its id and tags, everything about it is its instance's (owner, subnet, VPC, zone, addresses,
/// groups, attach time), so it names the instance, and answers read the rest from there: a
/// large scenario holds hundreds of thousands of interfaces.
#[derive(Debug, Clone)]
pub struct NetworkInterface {
    pub id: Arc<str>,
    pub instance_id: Arc<str>,
    pub tags: Vec<(String, String)>,
}

impl NetworkInterface {
    /// The interface's MAC address, derived from its id: a locally administered unicast
    /// address (`0e:` and five pairs of hex digits), the form EC2 gives interfaces.
    pub fn mac_address(&self) -> ShortText {
        let hex = resource_hex_digits(self.id.as_bytes(), 10);
        let mut mac = *b"0e:00:00:00:00:00";
        for (at, pair) in hex.as_bytes().chunks(2).enumerate() {
            mac[3 + 3 * at..5 + 3 * at].copy_from_slice(pair);
        }
        ShortText::of(&[&mac])
    }

    /// The id of its attachment to its instance: the interface's digits after `eni-attach-`
    /// (the two are derived from the same seed).
    pub fn attachment_id(&self) -> ShortText {
        let digits = self.id.strip_prefix("eni-").unwrap_or(&self.id);
        ShortText::of(&[b"eni-attach-", digits.as_bytes()])
    }
}

/// An Elastic IP address in a VPC, possibly associated with an instance.
#[derive(Debug, Clone)]
pub struct Address {
    pub allocation_id: String,
    pub public_ip: String,
    pub owner_id: String,
    pub network_border_group: String,
    pub association: Option<AddressAssociation>,
    pub tags: Vec<(String, String)>,
}

/// Where an Elastic IP points.
#[derive(Debug, Clone)]
pub struct AddressAssociation {
    pub association_id: String,
    pub instance_id: String,
    pub network_interface_id: String,
    pub private_ip: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::resource_hex;

    fn interface(id: &str) -> NetworkInterface {
        NetworkInterface {
            id: Arc::from(id),
            instance_id: Arc::from("i-0123456789abcdef0"),
            tags: Vec::new(),
        }
    }

    #[test]
    fn derived_mac_and_attachment_ids_follow_the_interface_id() {
        let eni = interface("eni-0123456789abcdef0");
        let hex = resource_hex("eni-0123456789abcdef0", 10);
        let pairs: Vec<&str> = (0..5).map(|i| &hex[2 * i..2 * i + 2]).collect();
        assert_eq!(&*eni.mac_address(), format!("0e:{}", pairs.join(":")));
        assert_eq!(eni.mac_address().len(), 17);
        assert_eq!(&*eni.attachment_id(), "eni-attach-0123456789abcdef0");
    }
}
