//! What AWS creates without being asked, as policy documents.

/// FullAWSAccess, the SCP AWS attaches to the root, every OU and every account when SCPs are
/// enabled (Organizations user guide, "Service control policies").
pub(crate) const FULL_AWS_ACCESS_NAME: &str = "FullAWSAccess";
pub(crate) const FULL_AWS_ACCESS_ARN: &str =
    "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess";
pub(crate) const FULL_AWS_ACCESS: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
/// FullAWSAccess as DescribePolicy returns it: the same document, indented by two spaces
/// (Organizations API reference, DescribePolicy example, whose content is this document).
pub(crate) const FULL_AWS_ACCESS_CONTENT: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}";
/// Its description (Organizations API reference, ListPolicies example; the same text is in
/// observed `list-policies-for-target` output).
pub(crate) const FULL_AWS_ACCESS_DESCRIPTION: &str = "Allows access to every operation";

/// The role Organizations creates in every account made with CreateAccount.
pub(crate) const ORGANIZATION_ACCOUNT_ACCESS_ROLE: &str = "OrganizationAccountAccessRole";

/// Its trust policy: the management account, no conditions (Organizations user guide,
/// "Accessing member accounts": the role "trusts the management account").
pub(crate) fn organization_account_access_trust(management_account: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{management_account}:root"}},"Action":"sts:AssumeRole"}}]}}"#
    )
}

/// Its permissions: full administrator access, as an inline policy.
pub(crate) const ADMINISTRATOR_ACCESS_INLINE_NAME: &str = "AdministratorAccess";
pub(crate) const ADMINISTRATOR_ACCESS: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

/// AWS managed policies a scenario may attach by ARN. Only policies whose documents are short
/// and stable are offered, so what is evaluated is what AWS evaluates.
pub(crate) const AWS_MANAGED_POLICIES: &[(&str, &str)] = &[
    (
        "arn:aws:iam::aws:policy/AdministratorAccess",
        ADMINISTRATOR_ACCESS,
    ),
    (
        "arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"},{"Effect":"Allow","Action":"elasticloadbalancing:Describe*","Resource":"*"},{"Effect":"Allow","Action":["cloudwatch:ListMetrics","cloudwatch:GetMetricStatistics","cloudwatch:Describe*"],"Resource":"*"},{"Effect":"Allow","Action":"autoscaling:Describe*","Resource":"*"}]}"#,
    ),
];

/// RCPFullAWSAccess, the resource control policy AWS attaches to the root, every OU and every
/// account when RCPs are enabled; it cannot be detached (Organizations user guide, "Resource
/// control policies").
pub(crate) const RCP_FULL_AWS_ACCESS_NAME: &str = "RCPFullAWSAccess";
pub(crate) const RCP_FULL_AWS_ACCESS_ARN: &str =
    "arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess";
pub(crate) const RCP_FULL_AWS_ACCESS: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#;
/// RCPFullAWSAccess as DescribePolicy returns it, indented like FullAWSAccess's content (by
/// analogy: no DescribePolicy output of RCPFullAWSAccess was found, unconfirmed).
pub(crate) const RCP_FULL_AWS_ACCESS_CONTENT: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Principal\": \"*\",\n      \"Action\": \"*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}";
/// Its description: the Organizations user guide's table of AWS managed authorization policies
/// ("AWS managed policies for AWS Organizations",
/// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_available-policies.html)
/// gives "Allows access to every resource.";
/// the API's own text is taken without the final period, as FullAWSAccess's API description
/// ("Allows access to every operation") drops the period its table row has (unconfirmed).
pub(crate) const RCP_FULL_AWS_ACCESS_DESCRIPTION: &str = "Allows access to every resource";
