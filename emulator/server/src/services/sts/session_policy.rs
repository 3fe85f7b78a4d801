//! Session policies: the `Policy` (inline JSON) and `PolicyArns` (managed policies) parameters
//! of AssumeRole. They can only narrow the role's permissions: a later request is allowed only
//! if a session policy allows it too (IAM user guide, "Session policies").
//!
//! The session keeps them in its token (see `world::sessions`): the inline text with its
//! digest, the managed ones by ARN. They are checked here once, when the session is issued.

use super::validation::{arn_char, Violations, ARN_PATTERN};
use crate::auth::sessions::SESSION_POLICY_NAME;
use crate::services::{AwsError, Call};
use rolecall_engine::policy::{NamedPolicy, Policy, PolicyType};
use rolecall_model::session::InlineSessionPolicy;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// "You can pass up to 10 managed policy ARNs" (STS API reference, AssumeRole PolicyArns).
pub(crate) const MAX_POLICY_ARNS: usize = 10;
/// "The plaintext that you use for both inline and managed session policies can't exceed
/// 2,048 characters" (STS API reference, AssumeRole Policy); the older model expressed it as
/// the inline policy's maximum length.
pub(crate) const MAX_PLAINTEXT: usize = 2048;

/// `[\u0009\u000A\u000D\u0020-\u00FF]+`: session policy text.
fn policy_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='\u{FF}')
}

/// The model's constraints on `Policy` and `PolicyArns`.
pub(crate) fn validate(v: &mut Violations, policy: Option<&str>, arns: &[&str]) {
    // The model lists PolicyArns before Policy.
    if arns.len() > MAX_POLICY_ARNS {
        v.add(
            Some(&format!("[{}]", arns.join(", "))),
            "policyArns",
            &format!("have length less than or equal to {MAX_POLICY_ARNS}"),
        );
    }
    for (i, arn) in arns.iter().enumerate() {
        v.string(
            Some(arn),
            &format!("policyArns.{}.member.arn", i + 1),
            20,
            2048,
            Some((ARN_PATTERN, arn_char)),
        );
    }
    if let Some(text) = policy {
        v.string(
            Some(text),
            "policy",
            1,
            MAX_PLAINTEXT,
            Some(("[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+", policy_char)),
        );
    }
}

/// The session policies of one AssumeRole call, parsed and resolved.
#[derive(Debug, Default)]
pub(crate) struct SessionPolicies {
    pub inline: Option<InlineSessionPolicy>,
    pub arns: Vec<String>,
    /// Inline first, then managed in request order: what the engine evaluates.
    pub parsed: Vec<Arc<NamedPolicy>>,
}

/// Parses the inline policy (MalformedPolicyDocument when it is not one) and finds the
/// managed ones.
pub(crate) fn resolve(
    call: &Call,
    policy: Option<&str>,
    arns: &[&str],
) -> Result<SessionPolicies, AwsError> {
    let mut out = SessionPolicies::default();
    if let Some(text) = policy {
        let parsed = parse_inline(text)?;
        let inline = InlineSessionPolicy::new(text);
        out.parsed.push(Arc::new(NamedPolicy::new(
            SESSION_POLICY_NAME,
            None,
            parsed,
        )));
        out.inline = Some(inline);
    }
    for arn in arns {
        let Some(managed) = call.world.managed_policy(arn) else {
            // IAM's sentence for a policy ARN that names nothing; STS's own text for
            // this case was not found in observed output.
            return Err(AwsError::new(
                400,
                "InvalidParameterValue",
                format!("Policy {arn} does not exist or is not attachable."),
            ));
        };
        out.parsed.push(managed.clone());
        out.arns.push(arn.to_string());
    }
    Ok(out)
}

/// A policy document as a session policy, or AWS's MalformedPolicyDocument.
fn parse_inline(text: &str) -> Result<Policy, AwsError> {
    if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
        return Err(malformed(jackson_message(text, &e)));
    }
    Policy::from_json(text)
        .and_then(|p| p.check_for(PolicyType::Session).map(|()| p))
        // IAM's MalformedPolicyDocument text for documents that are JSON but not policies.
        .map_err(|_| malformed("Syntax errors in policy.".to_string()))
}

fn malformed(message: String) -> AwsError {
    AwsError::new(400, "MalformedPolicyDocument", message)
}

/// STS parses policies with Jackson and passes its message through, e.g. (observed)
/// "Unexpected character ('i' (code 105)): expected a valid value (number, String, array,
/// object, 'true', 'false' or 'null')\n at [Source: java.io.StringReader@52b5743d; line: 1,
/// column: 2]". The value-expected case is rendered in that form; Jackson's column is one past
/// the offending character. Other syntax errors keep the same frame around a shorter sentence.
/// The reader's hash differs on every AWS call; here it is derived from the text.
fn jackson_message(text: &str, e: &serde_json::Error) -> String {
    let line = e.line().max(1);
    let column = e.column().max(1);
    let offending = text
        .lines()
        .nth(line - 1)
        .and_then(|l| l.chars().nth(column - 1));
    let reader = hex::encode(&Sha256::digest(text.as_bytes())[..4]);
    let at = format!(
        "\n at [Source: java.io.StringReader@{reader}; line: {line}, column: {}]",
        column + 1
    );
    let expected_value = e.to_string().starts_with("expected value");
    match offending {
        Some(c) if expected_value => format!(
            "Unexpected character ('{c}' (code {})): expected a valid value (number, String, array, object, 'true', 'false' or 'null'){at}",
            c as u32
        ),
        Some(c) => format!("Unexpected character ('{c}' (code {})){at}", c as u32),
        None => format!("Unexpected end-of-input{at}"),
    }
}

/// The packed size as a percentage of the allowance, the `PackedPolicySize` AWS returns.
///
/// AWS compresses the inline policy, the managed policy ARNs and the session tags "into a
/// packed binary format that has a separate limit" and does not publish the format. This
/// approximation counts the bytes of the policy with insignificant whitespace removed, of each
/// ARN, and of each tag key and value, against an allowance of 2,400 bytes, rounding down.
/// The allowance is calibrated on the one published data point, the API reference's AssumeRole
/// example (a 117-byte policy and two tags, 147 bytes in all: `PackedPolicySize` 6). Real
/// compression packs large, repetitive documents tighter, so the approximation refuses some
/// large inputs that AWS would accept; small and typical ones come out as on AWS.
pub(crate) fn packed_percent(
    policy: Option<&str>,
    arns: &[String],
    tags: &[(String, String)],
) -> u64 {
    let policy_bytes = policy
        .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
        .map_or(0, |v| v.to_string().len());
    let arn_bytes: usize = arns.iter().map(String::len).sum();
    let tag_bytes: usize = tags.iter().map(|(k, v)| k.len() + v.len()).sum();
    ((policy_bytes + arn_bytes + tag_bytes) as u64 * 100) / PACKED_ALLOWANCE
}

const PACKED_ALLOWANCE: u64 = 2400;

/// PackedPolicyTooLarge when the packed size is over 100% (observed text, reference notes
/// §2.1; code and status from the STS model).
pub(crate) fn check_packed(percent: u64) -> Result<(), AwsError> {
    if percent > 100 {
        return Err(AwsError::new(
            400,
            "PackedPolicyTooLarge",
            format!(
                "Packed policy consumes {percent}% of allotted space, please use smaller policy."
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_reference_example_packs_to_six_percent() {
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Stmt1","Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}"#;
        let tags = vec![
            ("Project".to_string(), "Pegasus".to_string()),
            ("Cost-Center".to_string(), "98765".to_string()),
        ];
        assert_eq!(packed_percent(Some(policy), &[], &tags), 6);
    }

    #[test]
    fn invalid_json_reads_as_jackson_writes_it() {
        let e = parse_inline("invalid").unwrap_err();
        assert_eq!(e.code, "MalformedPolicyDocument");
        assert!(e.message.starts_with("Unexpected character ('i' (code 105)): expected a valid value (number, String, array, object, 'true', 'false' or 'null')\n at [Source: java.io.StringReader@"), "{}", e.message);
        assert!(
            e.message.ends_with("; line: 1, column: 2]"),
            "{}",
            e.message
        );
        let e = parse_inline(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#).unwrap_err();
        assert_eq!(e.message, "Syntax errors in policy.");
    }

    #[test]
    fn too_large_is_reported_with_the_percentage() {
        assert!(check_packed(100).is_ok());
        assert_eq!(
            check_packed(157).unwrap_err().message,
            "Packed policy consumes 157% of allotted space, please use smaller policy."
        );
    }
}
