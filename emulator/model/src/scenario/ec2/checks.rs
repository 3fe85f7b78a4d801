//! Shared checks and derivations for the EC2 inventory: id formats, address blocks, defaults.

use super::super::build::{parse_time, Problems};
use super::super::spanned::Spanned;
use crate::ids::{resource_hex, resource_hex_digits, HexDigits};
use ipnet::Ipv4Net;
use std::collections::HashSet;
use std::net::Ipv4Addr;
use std::sync::Arc;
use time::macros::datetime;
use time::OffsetDateTime;

/// When declared resources were created, if the scenario does not say.
pub(crate) const DEFAULT_CREATED: OffsetDateTime = datetime!(2025-06-01 09:00 UTC);

/// The account and region being built.
pub(crate) struct Scope<'a> {
    pub account: &'a str,
    pub region: &'a str,
}

impl Scope<'_> {
    /// `prefix-` and 17 hex digits derived from `seed`, unique to this account and region.
    pub(crate) fn derived_id(&self, prefix: &str, seed: &str) -> String {
        self.derived_id_of(prefix, &[seed])
    }

    /// [`Scope::derived_id`] with the seed given in pieces, joined without a separator
    /// (`["eni/", id]` is the seed `eni/<id>`), so callers need not format it first.
    pub(crate) fn derived_id_of(&self, prefix: &str, seed: &[&str]) -> String {
        prefixed_id(prefix, &self.derived_hex_of(seed))
    }

    /// The 17 hex digits of [`Scope::derived_id_of`]. The full seed is put together on the
    /// stack when it fits (it nearly always does): a large scenario derives several ids for
    /// each of its hundreds of thousands of instances.
    pub(crate) fn derived_hex_of(&self, seed: &[&str]) -> HexDigits {
        let pieces = [self.account, "/", self.region, "/"];
        let all = || pieces.iter().chain(seed);
        let len: usize = all().map(|s| s.len()).sum();
        let mut buffer = [0u8; 128];
        if len <= buffer.len() {
            let mut at = 0;
            for piece in all() {
                buffer[at..at + piece.len()].copy_from_slice(piece.as_bytes());
                at += piece.len();
            }
            resource_hex_digits(&buffer[..len], 17)
        } else {
            resource_hex_digits(all().copied().collect::<String>().as_bytes(), 17)
        }
    }
}

/// `prefix-` and the digits: ids of different kinds derived from one seed share digits.
pub(crate) fn prefixed_id(prefix: &str, hex: &HexDigits) -> String {
    with_prefix(prefix, hex, |id| String::from(id))
}

/// [`prefixed_id`] for an id that several records hold.
pub(crate) fn prefixed_shared_id(prefix: &str, hex: &HexDigits) -> Arc<str> {
    with_prefix(prefix, hex, |id| Arc::from(id))
}

/// Puts `prefix-` and the digits together on the stack (prefixes are short words) and hands
/// them to `make`, which allocates once.
fn with_prefix<R>(prefix: &str, hex: &HexDigits, make: impl FnOnce(&str) -> R) -> R {
    let digits = hex.as_bytes();
    let len = prefix.len() + 1 + digits.len();
    let mut buffer = [0u8; 64];
    if len > buffer.len() {
        return make(&format!("{prefix}-{}", hex.as_str()));
    }
    buffer[..prefix.len()].copy_from_slice(prefix.as_bytes());
    buffer[prefix.len()] = b'-';
    buffer[prefix.len() + 1..len].copy_from_slice(digits);
    make(std::str::from_utf8(&buffer[..len]).unwrap_or_default())
}

/// The snapshot an image's root volume was made from; a root volume created from the image
/// names the same snapshot.
pub(crate) fn root_snapshot_id(image_id: &str) -> String {
    let mut seed = String::with_capacity(image_id.len() + 5);
    seed.push_str(image_id);
    seed.push_str("/root");
    format!("snap-{}", resource_hex(&seed, 17))
}

/// True for `prefix-` followed by 8 or 17 lowercase hex digits, the two lengths EC2 issues.
pub(crate) fn is_resource_id(prefix: &str, id: &str) -> bool {
    id.strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|hex| {
            (hex.len() == 8 || hex.len() == 17)
                && hex
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
}

/// The ids declared so far in one collection. Instances, the many, borrow their ids from the
/// scenario; the other collections start from owned default ids.
pub(crate) trait SeenIds<'a> {
    /// True the first time `id` is seen.
    fn first_time(&mut self, id: &'a str) -> bool;
}

impl<'a> SeenIds<'a> for HashSet<String> {
    fn first_time(&mut self, id: &'a str) -> bool {
        self.insert(id.to_string())
    }
}

impl<'a> SeenIds<'a> for HashSet<&'a str> {
    fn first_time(&mut self, id: &'a str) -> bool {
        self.insert(id)
    }
}

/// Checks a declared id's format and that it is new; records the problem and answers false
/// when it is not usable.
pub(crate) fn check_new_id<'a>(
    id: &'a Spanned<String>,
    prefix: &str,
    what: &str,
    seen: &mut impl SeenIds<'a>,
    region: &str,
    p: &mut Problems,
) -> bool {
    if !is_resource_id(prefix, &id.value) {
        p.at(
            id,
            format!(
                "'{}' is not a valid {what} id ({prefix}- followed by 8 or 17 lowercase hex digits)",
                id.value
            ),
        );
        return false;
    }
    if !seen.first_time(&id.value) {
        p.at(
            id,
            format!("{what} {} is declared twice in {region}", id.value),
        );
        return false;
    }
    true
}

/// An IPv4 block in canonical form with a prefix between /16 and /28, the sizes a VPC or a
/// subnet may have (VPC user guide, "VPC CIDR blocks").
pub(crate) fn parse_block(text: &Spanned<String>, p: &mut Problems) -> Option<Ipv4Net> {
    match text.value.parse::<Ipv4Net>() {
        Ok(net) if net.network() != net.addr() => {
            p.at(
                text,
                format!(
                    "'{}' has host bits set; the block is {}",
                    text.value,
                    net.trunc()
                ),
            );
            None
        }
        Ok(net) if (16..=28).contains(&net.prefix_len()) => Some(net),
        Ok(_) => {
            p.at(
                text,
                format!(
                    "'{}' is outside the sizes AWS allows (/16 to /28)",
                    text.value
                ),
            );
            None
        }
        Err(_) => {
            p.at(
                text,
                format!("'{}' is not an IPv4 block such as 10.0.0.0/16", text.value),
            );
            None
        }
    }
}

/// Any IPv4 block (a security group rule's source).
pub(crate) fn parse_any_block(text: &Spanned<String>, p: &mut Problems) -> Option<Ipv4Net> {
    match text.value.parse::<Ipv4Net>() {
        Ok(net) => Some(net),
        Err(_) => {
            p.at(
                text,
                format!("'{}' is not an IPv4 block such as 0.0.0.0/0", text.value),
            );
            None
        }
    }
}

pub(crate) fn parse_ip(text: &Spanned<String>, p: &mut Problems) -> Option<Ipv4Addr> {
    match text.value.parse::<Ipv4Addr>() {
        Ok(ip) => Some(ip),
        Err(_) => {
            p.at(text, format!("'{}' is not an IPv4 address", text.value));
            None
        }
    }
}

/// A time from the scenario, or the default.
pub(crate) fn time_or_default(text: Option<&Spanned<String>>, p: &mut Problems) -> OffsetDateTime {
    text.and_then(|t| parse_time(t, p))
        .unwrap_or(DEFAULT_CREATED)
}

/// Tags as the world keeps them.
pub(crate) fn tags(map: &std::collections::BTreeMap<String, String>) -> Vec<(String, String)> {
    map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// A zone of the region by name, or the problem that it is not one.
pub(crate) fn check_zone<'z>(
    zones: &'z [crate::regions::Zone],
    name: &Spanned<String>,
    region: &str,
    p: &mut Problems,
) -> Option<&'z crate::regions::Zone> {
    let found = zones.iter().find(|z| z.name == name.value);
    if found.is_none() {
        let names: Vec<&str> = zones.iter().map(|z| z.name.as_str()).collect();
        p.at(
            name,
            format!(
                "'{}' is not an Availability Zone of {region}; use one of: {}",
                name.value,
                names.join(", ")
            ),
        );
    }
    found
}
