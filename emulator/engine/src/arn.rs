//! Amazon Resource Names as a typed value.
//!
//! `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE` (IAM user guide, "IAM identifiers", and the
//! general reference's ARN format): the region and account may be empty (IAM and S3 ARNs
//! have no region; S3 bucket ARNs no account), and the resource may hold further `:` and `/`.

use crate::ascii_split;
use std::fmt;

/// An ARN taken apart, borrowing from its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Arn<'a> {
    text: &'a str,
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// Takes `text` apart: six `:`-separated parts, the first `arn`, with a partition, a
    /// service and a resource. None for anything else.
    pub fn parse(text: &'a str) -> Option<Arn<'a>> {
        let mut parts = ascii_split::splitn(text, 6, b':');
        let arn = Arn {
            text,
            partition: parts.nth(1)?,
            service: parts.next()?,
            region: parts.next()?,
            account: parts.next()?,
            resource: parts.next()?,
        };
        let whole = text.starts_with("arn:")
            && !arn.partition.is_empty()
            && !arn.service.is_empty()
            && !arn.resource.is_empty();
        whole.then_some(arn)
    }

    /// The ARN as written.
    pub fn as_str(&self) -> &'a str {
        self.text
    }

    /// The resource's type and what follows it, for resources written `type/…`
    /// (`role/path/name` → `("role", "path/name")`); None for a resource without a `/`
    /// (`root`).
    pub fn typed_resource(&self) -> Option<(&'a str, &'a str)> {
        ascii_split::split_once(self.resource, b'/')
    }

    /// The last `/`-separated piece of the resource: an IAM entity's name after its path.
    pub fn resource_name(&self) -> &'a str {
        ascii_split::last_piece(self.resource, b'/')
    }

    /// Whether the account is a 12-digit AWS account id.
    pub fn has_account_id(&self) -> bool {
        is_account_id(self.account)
    }
}

impl fmt::Display for Arn<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)
    }
}

/// Whether `text` is a 12-digit AWS account id.
pub fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_an_arn_apart() {
        let arn = Arn::parse("arn:aws:iam::222222222222:role/ops/Deployer").unwrap();
        assert_eq!(
            (arn.partition, arn.service, arn.region, arn.account),
            ("aws", "iam", "", "222222222222")
        );
        assert_eq!(arn.typed_resource(), Some(("role", "ops/Deployer")));
        assert_eq!(arn.resource_name(), "Deployer");
        assert!(arn.has_account_id());
        assert_eq!(
            arn.to_string(),
            "arn:aws:iam::222222222222:role/ops/Deployer"
        );
        let root = Arn::parse("arn:aws:iam::111111111111:root").unwrap();
        assert_eq!(root.typed_resource(), None);
        // The resource keeps its own colons.
        let log = Arn::parse("arn:aws:logs:us-east-1:111111111111:log-group:/a:*").unwrap();
        assert_eq!(log.resource, "log-group:/a:*");
    }

    #[test]
    fn refuses_what_is_not_an_arn() {
        // Observed as "… is invalid" on AWS: not six parts, or an empty resource.
        for text in [
            "nothing-valid-in-here",
            "arn:a:a::aaaaaaaaaa:",
            "arn::iam::111111111111:root",
            "arn:aws::us-east-1:111111111111:x",
            "urn:aws:iam::111111111111:root",
            "arn:aws:iam:",
        ] {
            assert_eq!(Arn::parse(text), None, "{text}");
        }
    }
}
