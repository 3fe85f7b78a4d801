//! How large AWS lets a policy document be, and how it measures one.
//!
//! IAM counts characters without white space against its quotas ("IAM doesn't count white
//! space when calculating the size of a policy against these quotas", IAM User Guide, "IAM and
//! AWS STS quotas"); Organizations counts every character of the policy text (Organizations
//! User Guide, "Quotas for AWS Organizations": policies saved through the API keep their white
//! space, and it counts). A policy written in a scenario is measured on its compact JSON text
//! ([`Node::to_json`]), the text AWS would hold for it.

use super::node::Node;

/// What a quota counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    /// Characters other than white space (IAM).
    WithoutWhiteSpace,
    /// Every character (Organizations).
    Everything,
}

/// A size quota on policy documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeQuota {
    pub max: usize,
    pub counting: Counting,
    /// What the quota applies to, for messages ("a customer managed policy").
    pub applies_to: &'static str,
    /// The quota's name in IAM's errors and GetAccountSummary, or Organizations' guide.
    pub quota_name: &'static str,
}

/// IAM quotas ("IAM and AWS STS quotas", IAM object quotas): each managed policy 6,144
/// characters; a role's trust policy 2,048 (`AssumeRolePolicySizeQuota`, adjustable to 4,096);
/// the inline policies of a user, group or role together 2,048, 5,120 and 10,240.
pub const MANAGED_POLICY: SizeQuota = SizeQuota {
    max: 6_144,
    counting: Counting::WithoutWhiteSpace,
    applies_to: "a managed policy",
    quota_name: "PolicySizeQuota",
};
pub const TRUST_POLICY: SizeQuota = SizeQuota {
    max: 2_048,
    counting: Counting::WithoutWhiteSpace,
    applies_to: "a role's trust policy",
    quota_name: "AssumeRolePolicySizeQuota",
};
pub const USER_INLINE_POLICIES: SizeQuota = SizeQuota {
    max: 2_048,
    counting: Counting::WithoutWhiteSpace,
    applies_to: "the inline policies of a user, together",
    quota_name: "UserPolicySizeQuota",
};
pub const GROUP_INLINE_POLICIES: SizeQuota = SizeQuota {
    max: 5_120,
    counting: Counting::WithoutWhiteSpace,
    applies_to: "the inline policies of a group, together",
    quota_name: "GroupPolicySizeQuota",
};
pub const ROLE_INLINE_POLICIES: SizeQuota = SizeQuota {
    max: 10_240,
    counting: Counting::WithoutWhiteSpace,
    applies_to: "the inline policies of a role, together",
    quota_name: "RolePolicySizeQuota",
};
/// Organizations: service control and resource control policies 5,120 characters each.
pub const SERVICE_CONTROL_POLICY: SizeQuota = SizeQuota {
    max: 5_120,
    counting: Counting::Everything,
    applies_to: "a service control policy",
    quota_name: "maximum size of a policy document",
};
pub const RESOURCE_CONTROL_POLICY: SizeQuota = SizeQuota {
    max: 5_120,
    counting: Counting::Everything,
    applies_to: "a resource control policy",
    quota_name: "maximum size of a policy document",
};
/// The organization's resource (delegation) policy: the `Content` of
/// PutResourcePolicy is 1 to 40,000 characters (Organizations API reference, ResourcePolicy).
pub const ORGANIZATION_RESOURCE_POLICY: SizeQuota = SizeQuota {
    max: 40_000,
    counting: Counting::Everything,
    applies_to: "the organization's resource policy",
    quota_name: "ResourcePolicy Content length",
};

impl SizeQuota {
    /// The size of policy text as this quota counts it.
    pub fn measure(&self, text: &str) -> usize {
        match self.counting {
            Counting::WithoutWhiteSpace => text.chars().filter(|c| !c.is_whitespace()).count(),
            Counting::Everything => text.chars().count(),
        }
    }

    /// The size of a document written in a scenario, measured on its compact JSON.
    pub fn measure_node(&self, node: &Node) -> usize {
        self.measure(&node.to_json())
    }

    /// Why `size` is too large, or `None` when it fits.
    pub fn exceeded(&self, size: usize) -> Option<String> {
        (size > self.max).then(|| {
            let counted = match self.counting {
                Counting::WithoutWhiteSpace => " (white space not counted)",
                Counting::Everything => "",
            };
            format!(
                "{}: {size} characters{counted}; AWS allows at most {} ({})",
                self.applies_to, self.max, self.quota_name
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iam_leaves_white_space_out_and_organizations_counts_it() {
        let text = "{ \"Version\": \"2012-10-17\",\n  \"Statement\": [] }";
        let compact = text.chars().filter(|c| !c.is_whitespace()).count();
        assert_eq!(MANAGED_POLICY.measure(text), compact);
        assert_eq!(SERVICE_CONTROL_POLICY.measure(text), text.len());
        // Characters, not bytes: é is one character of two bytes.
        assert_eq!(SERVICE_CONTROL_POLICY.measure("é"), 1);
    }

    #[test]
    fn a_document_at_the_quota_fits_and_one_more_does_not() {
        for quota in [
            MANAGED_POLICY,
            TRUST_POLICY,
            USER_INLINE_POLICIES,
            GROUP_INLINE_POLICIES,
            ROLE_INLINE_POLICIES,
            SERVICE_CONTROL_POLICY,
            RESOURCE_CONTROL_POLICY,
            ORGANIZATION_RESOURCE_POLICY,
        ] {
            assert_eq!(quota.exceeded(quota.max), None);
            let message = quota.exceeded(quota.max + 1).unwrap();
            assert!(message.contains(&quota.max.to_string()), "{message}");
            assert!(message.starts_with(quota.applies_to), "{message}");
        }
    }

    #[test]
    fn documents_are_measured_on_their_compact_json() {
        let node = Node::from_json(
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Sid\": \"a b\"}]\n}",
        )
        .unwrap();
        assert_eq!(
            node.to_json(),
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"a b"}]}"#
        );
        assert_eq!(SERVICE_CONTROL_POLICY.measure_node(&node), 52);
        assert_eq!(MANAGED_POLICY.measure_node(&node), 51);
    }
}
