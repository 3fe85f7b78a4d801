//! Reading an awsJson1.1 request body: the members of one JSON object, checked against the
//! patterns and bounds of the Organizations model (botocore
//! `organizations/2016-11-28/service-2.json`).

use super::errors;
use base64::Engine;
use rolecall_wire::AwsError;
use serde_json::{Map, Value};

/// The members of a request body. An empty body reads as `{}`, as SDKs send `{}` for operations
/// without input and some clients send nothing.
pub struct Input {
    members: Map<String, Value>,
}

impl Input {
    pub fn parse(body: &[u8]) -> Result<Input, AwsError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Input {
                members: Map::new(),
            });
        }
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(members)) => Ok(Input { members }),
            Ok(_) => Err(errors::serialization(
                "The request body must be a JSON object",
            )),
            Err(e) => Err(errors::serialization(&e.to_string())),
        }
    }

    /// A string member, if present (`null` counts as absent).
    pub fn string(&self, name: &str) -> Result<Option<&str>, AwsError> {
        match self.members.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(errors::serialization(&format!(
                "Value for {name} must be a string"
            ))),
        }
    }

    /// A required string member that must match `pattern`.
    pub fn id(&self, name: &str, pattern: IdPattern) -> Result<&str, AwsError> {
        let value = self.string(name)?.ok_or_else(errors::input_required)?;
        if !pattern.matches(value) {
            return Err(errors::invalid_pattern());
        }
        Ok(value)
    }

    /// The required `Filter` of ListPolicies and ListPoliciesForTarget: a value of the model's
    /// `PolicyType` enum. Missing is `INPUT_REQUIRED`, anything else `INVALID_ENUM`.
    pub fn policy_type_filter(&self) -> Result<&str, AwsError> {
        match self.string("Filter")? {
            None => Err(errors::input_required()),
            Some(f) if POLICY_TYPES.contains(&f) => Ok(f),
            Some(_) => Err(errors::invalid_enum()),
        }
    }

    /// An optional `ServicePrincipal`: the model's `ServicePrincipal` shape, 1 to 128
    /// characters of `[\w+=,.@-]`.
    pub fn service_principal(&self) -> Result<Option<&str>, AwsError> {
        let Some(value) = self.string("ServicePrincipal")? else {
            return Ok(None);
        };
        if value.is_empty() {
            return Err(errors::min_length_exceeded());
        }
        if value.chars().count() > 128 {
            return Err(errors::max_length_exceeded());
        }
        let allowed = |c: char| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c);
        if !value.chars().all(allowed) {
            return Err(errors::invalid_pattern());
        }
        Ok(Some(value))
    }

    /// The `MaxResults` / `NextToken` pair of a listing operation.
    pub fn page(&self, operation: &str) -> Result<Page, AwsError> {
        let max = match self.members.get("MaxResults") {
            None | Some(Value::Null) => DEFAULT_PAGE_SIZE,
            Some(Value::Number(n)) => {
                let n = n
                    .as_i64()
                    .ok_or_else(|| errors::serialization("MaxResults must be an integer"))?;
                if n < 1 {
                    return Err(errors::min_value_exceeded());
                }
                match usize::try_from(n) {
                    Ok(n) if n <= MAX_PAGE_SIZE => n,
                    _ => return Err(errors::max_value_exceeded()),
                }
            }
            Some(_) => return Err(errors::serialization("MaxResults must be an integer")),
        };
        let start = match self.string("NextToken")? {
            None => 0,
            Some(token) => decode_token(operation, token).ok_or_else(errors::invalid_next_token)?,
        };
        Ok(Page {
            operation: operation.to_string(),
            start,
            max,
        })
    }
}

/// The model's `PolicyType` enum (botocore `organizations/2016-11-28/service-2.json`, the
/// version the client suites pin). Scenarios hold SCPs and RCPs; the other types list nothing.
pub(crate) const POLICY_TYPES: &[&str] = &[
    "SERVICE_CONTROL_POLICY",
    "RESOURCE_CONTROL_POLICY",
    "TAG_POLICY",
    "BACKUP_POLICY",
    "AISERVICES_OPT_OUT_POLICY",
    "CHATBOT_POLICY",
    "DECLARATIVE_POLICY_EC2",
    "SECURITYHUB_POLICY",
    "SECURITYHUB_CSPM_POLICY",
    "INSPECTOR_POLICY",
    "UPGRADE_ROLLOUT_POLICY",
    "BEDROCK_POLICY",
    "S3_POLICY",
    "NETWORK_SECURITY_DIRECTOR_POLICY",
    "GUARDDUTY_POLICY",
];

/// `MaxResults` is 1 to 20 for every listing (model shape `MaxResults`: min 1, max 20).
pub(crate) const MAX_PAGE_SIZE: usize = 20;
/// Without `MaxResults`, Organizations returns at most 20 items per page (observed: clients
/// that do not paginate see the first 20 accounts only).
pub(crate) const DEFAULT_PAGE_SIZE: usize = 20;

/// One page of a listing: where it starts and how long it may be.
pub struct Page {
    operation: String,
    start: usize,
    max: usize,
}

impl Page {
    /// The items of this page, and the `NextToken` for the rest when there is more.
    /// A token that points past the end of the listing is refused.
    pub fn slice<'a, T>(&self, items: &'a [T]) -> Result<(&'a [T], Option<String>), AwsError> {
        if self.start > items.len() || (self.start == items.len() && self.start > 0) {
            return Err(errors::invalid_next_token());
        }
        let end = (self.start + self.max).min(items.len());
        let next = (end < items.len()).then(|| encode_token(&self.operation, end));
        Ok((&items[self.start..end], next))
    }
}

/// Tokens are opaque to clients, as AWS's are; this one names the operation and the offset,
/// so a token from one listing is not accepted by another.
fn encode_token(operation: &str, offset: usize) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("rolecall:{operation}:{offset}"))
}

fn decode_token(operation: &str, token: &str) -> Option<usize> {
    let raw = base64::engine::general_purpose::STANDARD
        .decode(token)
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    let rest = text.strip_prefix("rolecall:")?.strip_prefix(operation)?;
    rest.strip_prefix(':')?.parse().ok()
}

/// The id patterns of the model's shapes.
#[derive(Debug, Clone, Copy)]
pub enum IdPattern {
    /// `AccountId`: `^\d{12}$`.
    Account,
    /// `OrganizationalUnitId`: `^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`.
    Ou,
    /// `ParentId`: a root or an OU.
    Parent,
    /// `ChildId`: an account or an OU.
    Child,
    /// `PolicyTargetId`: a root, an account or an OU.
    Target,
    /// `PolicyId`: `^p-[0-9a-zA-Z_]{8,128}$`.
    Policy,
}

impl IdPattern {
    pub fn matches(self, s: &str) -> bool {
        match self {
            IdPattern::Account => is_account_id(s),
            IdPattern::Ou => is_ou_id(s),
            IdPattern::Parent => is_root_id(s) || is_ou_id(s),
            IdPattern::Child => is_account_id(s) || is_ou_id(s),
            IdPattern::Target => is_root_id(s) || is_account_id(s) || is_ou_id(s),
            IdPattern::Policy => s.strip_prefix("p-").is_some_and(|rest| {
                (8..=128).contains(&rest.len())
                    && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            }),
        }
    }
}

fn lower_alnum(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

pub(crate) fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

pub(crate) fn is_root_id(s: &str) -> bool {
    s.strip_prefix("r-")
        .is_some_and(|rest| lower_alnum(rest, 4, 32))
}

pub(crate) fn is_ou_id(s: &str) -> bool {
    s.strip_prefix("ou-")
        .and_then(|rest| rest.split_once('-'))
        .is_some_and(|(root, ou)| lower_alnum(root, 4, 32) && lower_alnum(ou, 8, 32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_patterns_follow_the_model() {
        assert!(IdPattern::Account.matches("111111111111"));
        assert!(!IdPattern::Account.matches("11111111111"));
        assert!(IdPattern::Parent.matches("r-ab12"));
        assert!(IdPattern::Parent.matches("ou-ab12-abcdefgh"));
        assert!(!IdPattern::Parent.matches("ou-ab12-abcdefg"));
        assert!(!IdPattern::Parent.matches("111111111111"));
        assert!(IdPattern::Child.matches("111111111111"));
        assert!(!IdPattern::Child.matches("r-ab12"));
        assert!(IdPattern::Target.matches("r-ab12"));
        assert!(IdPattern::Policy.matches("p-FullAWSAccess"));
        assert!(!IdPattern::Policy.matches("p-short"));
    }

    #[test]
    fn tokens_belong_to_their_operation() {
        let token = encode_token("ListAccounts", 3);
        assert_eq!(decode_token("ListAccounts", &token), Some(3));
        assert_eq!(decode_token("ListRoots", &token), None);
        assert_eq!(decode_token("ListAccounts", "garbage"), None);
    }
}
