//! The errors Organizations answers with, worded as AWS words them.
//!
//! Every Organizations exception is a client fault sent with HTTP 400 in the awsJson1.1
//! envelope `{"__type":"<Code>","Message":"…"}`; the botocore model
//! (`organizations/2016-11-28/service-2.json`) names the member `Message` and gives
//! `InvalidInputException` a second member, `Reason`, which is sent beside it.
//!
//! Where a text was seen in real AWS output the source says "observed"; where only the API
//! reference's description of the exception is known, that description is used and says so.

use rolecall_wire::AwsError;

fn client(code: &'static str, message: &'static str) -> AwsError {
    AwsError::new(400, code, message)
}

fn invalid_input(reason: &'static str, message: &'static str) -> AwsError {
    AwsError::new(400, "InvalidInputException", message).with_reason(reason)
}

/// The text of every Organizations `AccessDeniedException` seen on the wire, whether the caller
/// is a member account (not the management account nor a delegated administrator) or lacks the
/// IAM permission: observed for ListAccounts, ListRoots, ListPolicies,
/// ListDelegatedAdministrators and DescribeAccount in public issue reports. Organizations is
/// one of the services that do not send the IAM "User: … is not authorized to perform: …"
/// sentence in the response; that sentence goes to the request log instead.
pub const ACCESS_DENIED: &str = "You don't have permissions to access this resource.";

pub fn access_denied() -> AwsError {
    client("AccessDeniedException", ACCESS_DENIED)
}

/// The caller's account is in no organization (observed: DescribeOrganization and ListAccounts
/// from a standalone account, HTTP 400).
pub fn not_in_use() -> AwsError {
    client(
        "AWSOrganizationsNotInUseException",
        "Your account is not a member of an organization.",
    )
}

/// An account id that is well formed but not in the organization (observed: DescribeAccount).
pub fn account_not_found() -> AwsError {
    client(
        "AccountNotFoundException",
        "You specified an account that doesn't exist.",
    )
}

/// A root or OU id that is not in the organization. Text: the API reference's description of
/// the exception; the wire text was not observed.
pub fn parent_not_found() -> AwsError {
    client(
        "ParentNotFoundException",
        "We can't find a root or OU with the ParentId that you specified.",
    )
}

/// An OU or account id that is not in the organization. Text: the API reference's description
/// of the exception; the wire text was not observed.
pub fn child_not_found() -> AwsError {
    client(
        "ChildNotFoundException",
        "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.",
    )
}

/// A root, OU or account id that is not in the organization. Text: the API reference's
/// description of the exception; the wire text was not observed.
pub fn target_not_found() -> AwsError {
    client(
        "TargetNotFoundException",
        "We can't find a root, OU, account, or policy with the TargetId that you specified.",
    )
}

/// A policy id that names no policy. Text: the API reference's description of the exception;
/// the wire text was not observed.
pub fn policy_not_found() -> AwsError {
    client(
        "PolicyNotFoundException",
        "We can't find a policy with the PolicyId that you specified.",
    )
}

/// An OU id that is not in the organization. Text: the API reference's description of the
/// exception; the wire text was not observed.
pub fn ou_not_found() -> AwsError {
    client(
        "OrganizationalUnitNotFoundException",
        "We can't find an OU with the OrganizationalUnitId that you specified.",
    )
}

/// A value that does not match its member's pattern (observed text, e.g. ListPoliciesForTarget
/// and TagResource with a malformed id). Reason `INVALID_PATTERN`.
pub fn invalid_pattern() -> AwsError {
    invalid_input(
        "INVALID_PATTERN",
        "You provided a value that does not match the required pattern.",
    )
}

/// A required member is absent. Reason `INPUT_REQUIRED`; the text follows the reason's
/// description in the API reference ("You must include a value for all required
/// parameters."), the wire text was not observed.
pub fn input_required() -> AwsError {
    invalid_input(
        "INPUT_REQUIRED",
        "You must include a value for all required parameters.",
    )
}

/// An enum member (`ChildType`, `Filter`) with a value outside its enum. Reason `INVALID_ENUM`;
/// text from the reason's description in the API reference ("You specified an invalid
/// value."), wire text not observed.
pub fn invalid_enum() -> AwsError {
    invalid_input("INVALID_ENUM", "You specified an invalid value.")
}

/// A string member longer than its shape allows. Reason `MAX_LENGTH_EXCEEDED`; text from the
/// reason's description in the API reference, wire text not observed.
pub fn max_length_exceeded() -> AwsError {
    invalid_input(
        "MAX_LENGTH_EXCEEDED",
        "You provided a string parameter that is longer than allowed.",
    )
}

/// A string member shorter than its shape allows (an empty `ServicePrincipal`). Reason
/// `MIN_LENGTH_EXCEEDED`; text from the reason's description in the API reference, wire text
/// not observed.
pub fn min_length_exceeded() -> AwsError {
    invalid_input(
        "MIN_LENGTH_EXCEEDED",
        "You provided a string parameter that is shorter than allowed.",
    )
}

/// ListDelegatedServicesForAccount for an account of the organization that is no delegated
/// administrator. Text: the API reference's description of the exception; the wire text was
/// not observed.
pub fn account_not_registered() -> AwsError {
    client(
        "AccountNotRegisteredException",
        "The specified account is not a delegated administrator for this Amazon Web Services service.",
    )
}

/// DescribeResourcePolicy in an organization without a delegation policy. Text: the API
/// reference's description of the exception; the wire text was not observed.
pub fn resource_policy_not_found() -> AwsError {
    client(
        "ResourcePolicyNotFoundException",
        "We can't find a resource policy request with the parameter that you specified.",
    )
}

/// `MaxResults` above 20. Reason `MAX_VALUE_EXCEEDED`; text from the reason's description in
/// the API reference, wire text not observed.
pub fn max_value_exceeded() -> AwsError {
    invalid_input(
        "MAX_VALUE_EXCEEDED",
        "You provided a numeric parameter that has a larger value than allowed.",
    )
}

/// `MaxResults` below 1. Reason `MIN_VALUE_EXCEEDED`; text from the reason's description in
/// the API reference, wire text not observed.
pub fn min_value_exceeded() -> AwsError {
    invalid_input(
        "MIN_VALUE_EXCEEDED",
        "You provided a numeric parameter that has a smaller value than allowed.",
    )
}

/// A `NextToken` this server did not issue for this listing. Reason `INVALID_NEXT_TOKEN` (the
/// model's enum value); text from the API reference's description of the pagination-token
/// reason, wire text not observed.
pub fn invalid_next_token() -> AwsError {
    invalid_input(
        "INVALID_NEXT_TOKEN",
        "Get the value for the NextToken parameter from the response to a previous call of the operation.",
    )
}

/// A body that is not a JSON object, or a member of the wrong JSON type: the code AWS JSON
/// services use for an undecodable body (see `protocol::errors::serialization_json`).
pub fn serialization(detail: &str) -> AwsError {
    rolecall_wire::errors::serialization_json(detail)
}
