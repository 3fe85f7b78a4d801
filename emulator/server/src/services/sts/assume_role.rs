//! AssumeRole: temporary credentials for a role, if the role's trust policy and the caller's
//! own permissions both allow it.
//!
//! Checks run in AWS's order: the request's shape (every model constraint, counted in one
//! ValidationError), the ARN's structure, the session policies and tags, the MFA code, then
//! authorization by the engine (a missing role is AccessDenied, never NoSuchEntity: AWS does
//! not reveal whether a role exists) for `sts:AssumeRole` and, when used, `sts:TagSession` and
//! `sts:SetSourceIdentity`, and last the duration against the role's limit and the
//! role-chaining limit.
//!
//! A role session that assumes a role is role chaining: the new session lasts at most one hour,
//! inherits the caller's transitive tags, source identity and MFA, and is marked `chained`.

use super::mfa_check;
use super::session_policy::{self, SessionPolicies};
use super::session_tags::RequestedTags;
use super::success;
use super::validation::{
    arn_char, session_name_char, Violations, ARN_PATTERN, SESSION_NAME_PATTERN,
};
use crate::services::context::RequestKeys;
use crate::services::{Ask, AwsError, Call, Operation, Reply};
use rolecall_engine::authz::{Context, ResourcePolicy};
use rolecall_engine::Arn;
use rolecall_model::principal::{assumed_role_arn, assumed_role_id};
use rolecall_model::session::{SessionClaims, SessionPrincipal};
use rolecall_model::Role;
use rolecall_wire::format_timestamp;

/// DurationSeconds bounds of the model (900–43200) and the defaults (STS API reference,
/// AssumeRole: default 3600; role chaining caps sessions at one hour).
const MIN_DURATION: i64 = 900;
const MAX_DURATION: i64 = 43_200;
const DEFAULT_DURATION: i64 = 3_600;
const CHAINED_MAX: i64 = 3_600;

/// Observed (aws-vault docs quoting AWS, HTTP 400).
pub(crate) const CHAINED_LIMIT: &str =
    "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.";
/// Observed ("Confirmed live" in a public test suite, HTTP 400).
pub(crate) const ROLE_LIMIT: &str =
    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.";

/// What validation makes of the required parameters.
struct Valid<'a> {
    role_arn: &'a str,
    session_name: &'a str,
    duration: Option<i64>,
}

/// The parameters of one AssumeRole request, as sent.
struct Input<'a> {
    role_arn: Option<&'a str>,
    session_name: Option<&'a str>,
    duration: Option<&'a str>,
    external_id: Option<&'a str>,
    serial_number: Option<&'a str>,
    token_code: Option<&'a str>,
    source_identity: Option<&'a str>,
    policy: Option<&'a str>,
    policy_arns: Vec<&'a str>,
    tags: RequestedTags<'a>,
}

impl<'a> Input<'a> {
    fn read(call: &'a Call) -> Input<'a> {
        let p = call.params;
        Input {
            role_arn: p.get("RoleArn"),
            session_name: p.get("RoleSessionName"),
            duration: p.get("DurationSeconds"),
            external_id: p.get("ExternalId"),
            serial_number: p.get("SerialNumber"),
            token_code: p.get("TokenCode"),
            source_identity: p.get("SourceIdentity"),
            policy: p.get("Policy"),
            policy_arns: p
                .structs("PolicyArns.member")
                .iter()
                .map(|m| m.get("arn").unwrap_or_default())
                .collect(),
            tags: RequestedTags::read(p),
        }
    }

    /// Every model constraint, in the model's member order: the role, the session name and
    /// the duration as a number, or the ValidationError for everything wrong.
    fn validate(&self) -> Result<Valid<'a>, AwsError> {
        let mut v = Violations::default();
        let role_arn = v.required(
            self.role_arn,
            "roleArn",
            20,
            2048,
            Some((ARN_PATTERN, arn_char)),
        );
        let session_name = v.required(
            self.session_name,
            "roleSessionName",
            2,
            64,
            Some((SESSION_NAME_PATTERN, session_name_char)),
        );
        session_policy::validate(&mut v, self.policy, &self.policy_arns);
        let duration = match self.duration {
            None => None,
            Some(text) => {
                let d: i64 = text
                    .parse()
                    .map_err(|_| super::get_session_token::malformed_integer(text))?;
                if d < MIN_DURATION {
                    v.add(
                        Some(text),
                        "durationSeconds",
                        "have value greater than or equal to 900",
                    );
                } else if d > MAX_DURATION {
                    v.add(
                        Some(text),
                        "durationSeconds",
                        "have value less than or equal to 43200",
                    );
                }
                Some(d)
            }
        };
        self.tags.validate(&mut v);
        if let Some(id) = self.external_id {
            v.string(
                Some(id),
                "externalId",
                2,
                1224,
                Some(("[\\w+=,.@:\\/-]*", |c| {
                    session_name_char(c) || c == ':' || c == '/'
                })),
            );
        }
        mfa_check::validate(&mut v, self.serial_number, self.token_code);
        if let Some(source) = self.source_identity {
            // The pattern has no ':', so "aws:…" values, which AWS reserves, fail it.
            v.string(
                Some(source),
                "sourceIdentity",
                2,
                64,
                Some((SESSION_NAME_PATTERN, session_name_char)),
            );
        }
        v.finish()?;
        Ok(Valid {
            role_arn: role_arn.value()?,
            session_name: session_name.value()?,
            duration,
        })
    }
}

pub(crate) fn handle(call: &Call, op: &Operation) -> Result<Reply, AwsError> {
    let input = Input::read(call);
    let Valid {
        role_arn,
        session_name,
        duration,
    } = input.validate()?;
    let Some(role_account) = structural_arn_account(role_arn) else {
        // Observed: "nothing-valid-in-here is invalid" (ValidationError, 400).
        return Err(AwsError::new(
            400,
            "ValidationError",
            format!("{role_arn} is invalid"),
        ));
    };

    let chained = call.principal.is_role_session();
    // Only a role session passes tags and a source identity on.
    let caller_session = call.principal.session().filter(|_| chained);
    let policies = session_policy::resolve(call, input.policy, &input.policy_arns)?;
    let (tags, transitive_keys) = input.tags.resolve(caller_session)?;
    let packed = (input.policy.is_some() || !input.policy_arns.is_empty() || !tags.is_empty())
        .then(|| session_policy::packed_percent(input.policy, &policies.arns, &tags));
    if let Some(percent) = packed {
        session_policy::check_packed(percent)?;
    }
    let mfa_now = mfa_check::verify(call, input.serial_number, input.token_code)?;
    let inherited_source = caller_session.and_then(|s| s.source_identity.as_deref());
    if let (Some(old), Some(new)) = (inherited_source, input.source_identity) {
        if old != new {
            // The source identity "cannot be changed" once set (IAM user guide, "Monitor and
            // control actions taken with assumed roles"); AWS's text for the attempt is not
            // documented, so the refusal reads as a denial of the permission to set it.
            return Err(AwsError::new(
                403,
                "AccessDenied",
                format!(
                    "User: {} is not authorized to perform: sts:SetSourceIdentity on resource: {role_arn}",
                    call.principal.arn()
                ),
            ));
        }
    }

    let role = call.world.role_by_arn(role_arn);
    let context = trust_context(call, &input, role_account, role.map(|r| &**r), mfa_now);
    let check = |action: &str| {
        authorize_on_role(
            call,
            action,
            role_arn,
            role_account,
            &context,
            role.map(|r| &**r),
        )
    };
    check(op.iam_action)?;
    let Some(role) = role else {
        // The engine refuses a role that does not exist at the trust layer, as AWS does with
        // its bare sentence; an allow here could only be the engine's mistake, and is refused
        // with that same sentence.
        return Err(AwsError::new(
            403,
            "AccessDenied",
            format!(
                "User: {} is not authorized to perform: {} on resource: {role_arn}",
                call.principal.arn(),
                op.iam_action
            ),
        ));
    };
    if !input.tags.tags.is_empty() {
        // "… the role trust policy must allow sts:TagSession" (IAM user guide, session tags).
        check("sts:TagSession")?;
    }
    if input.source_identity.is_some() {
        check("sts:SetSourceIdentity")?;
        if chained {
            // In role chaining the caller's own permissions must also allow it (IAM user
            // guide, sts:SetSourceIdentity): checked without the trust policy.
            caller_may(
                call,
                "sts:SetSourceIdentity",
                role_arn,
                role_account,
                &context,
            )?;
        }
    }
    let duration = match duration {
        Some(d) if chained && d > CHAINED_MAX => {
            return Err(AwsError::new(400, "ValidationError", CHAINED_LIMIT));
        }
        Some(d) if d > i64::from(role.max_session_duration) => {
            return Err(AwsError::new(400, "ValidationError", ROLE_LIMIT));
        }
        Some(d) => d,
        None => DEFAULT_DURATION,
    };

    let issued = call.now.unix_timestamp();
    let mut claims = SessionClaims::new(
        super::key_ids::temporary_key_id(&role.account),
        role.account.clone(),
        SessionPrincipal::Role {
            role: role.name.clone(),
            session: session_name.to_string(),
        },
        issued,
        issued + duration,
    );
    claims.chained = chained;
    claims.source_identity = inherited_source
        .or(input.source_identity)
        .map(str::to_string);
    claims.tags = tags;
    claims.transitive_tag_keys = transitive_keys;
    claims.mfa_authenticated_at = mfa_now.or_else(|| {
        call.principal
            .session()
            .and_then(|s| s.mfa_authenticated_at)
    });
    let SessionPolicies { inline, arns, .. } = policies;
    claims.session_policy = inline;
    claims.policy_arns = arns;
    let creds = call.signer.issue(&claims);
    let expiration = call.expiration_for_client(duration);
    let arn = assumed_role_arn(&role.account, &role.name, session_name);
    let assumed_role_id = assumed_role_id(&role.id, session_name);
    // Element order as in the STS API reference example for AssumeRole.
    Ok(success(call, op, |w| {
        if let Some(source) = &claims.source_identity {
            w.element("SourceIdentity", source);
        }
        w.nest("AssumedRoleUser", |w| {
            w.element("AssumedRoleId", &assumed_role_id);
            w.element("Arn", &arn);
        });
        w.nest("Credentials", |w| {
            w.element("AccessKeyId", &creds.access_key_id);
            w.element("SecretAccessKey", &creds.secret_access_key);
            w.element("SessionToken", &creds.session_token);
            w.element("Expiration", &format_timestamp(expiration));
        });
        if let Some(percent) = packed {
            w.element("PackedPolicySize", &percent.to_string());
        }
    }))
}

/// The request context the trust policy is evaluated with (IAM user guide, "Available keys
/// for AWS STS"): the global keys, the role's tags, and what this request passes.
fn trust_context<'c>(
    call: &Call<'c>,
    input: &Input,
    role_account: &'c str,
    role: Option<&'c Role>,
    mfa_now: Option<i64>,
) -> Context<'c> {
    let keys = RequestKeys::of_call(call).with_resource(role_account);
    // The role's tags are `aws:ResourceTag/*`, answered from the role when read.
    let keys = match role {
        Some(role) => keys.with_resource_tags(&role.tags),
        None => keys,
    };
    let mut context = Context::over(keys);
    if let Some(name) = input.session_name {
        context.insert_static("sts:RoleSessionName", name);
    }
    if let Some(id) = input.external_id {
        context.insert_static("sts:ExternalId", id);
    }
    if let Some(source) = input.source_identity {
        context.insert_static("sts:SourceIdentity", source);
    }
    if !input.tags.tags.is_empty() {
        let mut keys = Vec::with_capacity(input.tags.tags.len());
        for (k, v) in &input.tags.tags {
            let k = k.unwrap_or_default();
            context.insert(&format!("aws:RequestTag/{k}"), v.unwrap_or_default());
            keys.push(k.to_string());
        }
        context.insert_multi("aws:TagKeys", keys);
    }
    if !input.tags.transitive.is_empty() {
        let keys = input
            .tags
            .transitive
            .iter()
            .map(|k| k.to_string())
            .collect();
        context.insert_multi("sts:TransitiveTagKeys", keys);
    }
    if mfa_now.is_some() {
        // The code was checked just now.
        context.insert_static("aws:MultiFactorAuthPresent", "true");
        context.insert_static("aws:MultiFactorAuthAge", "0");
    }
    context
}

/// Asks the engine about `action` on the role, with its trust policy.
fn authorize_on_role(
    call: &Call,
    action: &str,
    role_arn: &str,
    role_account: &str,
    context: &Context,
    role: Option<&Role>,
) -> Result<(), AwsError> {
    decide(
        call,
        action,
        role_arn,
        role_account,
        context,
        ResourcePolicy::RoleTrust(role.map(|r| &*r.trust_policy)),
    )
}

/// Asks the engine whether the caller's own policies allow `action` on the role.
fn caller_may(
    call: &Call,
    action: &str,
    role_arn: &str,
    role_account: &str,
    context: &Context,
) -> Result<(), AwsError> {
    decide(
        call,
        action,
        role_arn,
        role_account,
        context,
        ResourcePolicy::NotApplicable,
    )
}

fn decide(
    call: &Call,
    action: &str,
    role_arn: &str,
    role_account: &str,
    context: &Context,
    resource_policy: ResourcePolicy,
) -> Result<(), AwsError> {
    call.decide(Ask {
        action,
        resource: role_arn,
        resource_account: role_account,
        resource_policy,
        context,
        show_resource: true,
    })
    .map(drop)
    .map_err(|denial| denial.into_error("AccessDenied"))
}

/// The account of a structurally valid ARN (six colon-separated parts, with a partition, a
/// service and a resource); None otherwise.
fn structural_arn_account(arn: &str) -> Option<&str> {
    Arn::parse(arn).map(|arn| arn.account)
}

#[cfg(test)]
mod tests {
    use super::structural_arn_account;

    #[test]
    fn structural_arn_check_matches_observed_cases() {
        assert_eq!(
            structural_arn_account("arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"),
            Some("222222222222")
        );
        // Observed as "… is invalid" on AWS.
        assert_eq!(structural_arn_account("nothing-valid-in-here"), None);
        assert_eq!(structural_arn_account("arn:a:a::aaaaaaaaaa:"), None);
    }
}
