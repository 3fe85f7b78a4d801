//! The "Encoded authorization failure message" of EC2 denials, and its decoding.
//!
//! EC2 answers a denied *mutating* action with `UnauthorizedOperation` whose message ends in
//! ". Encoded authorization failure message: `<token>`" (Describe* denials carry none). Anyone
//! allowed `sts:DecodeAuthorizationMessage` turns the token into JSON of this shape (observed
//! decoded messages, reference notes §3.6):
//!
//! ```json
//! {"allowed":false,"explicitDeny":true,
//!  "matchedStatements":{"items":[{"statementId":"","effect":"DENY",
//!    "principals":{"items":[{"value":"AIDA…"}]},"principalGroups":{"items":[]},
//!    "actions":{"items":[{"value":"ec2:RunInstances"}]},
//!    "resources":{"items":[{"value":"*"}]},"conditions":{"items":[]}}]},
//!  "failures":{"items":[]},
//!  "context":{"principal":{"id":"AIDA…","name":"alice","arn":"arn:aws:iam::…:user/alice"},
//!    "action":"ec2:RunInstances","resource":"arn:aws:ec2:…","conditions":{"items":[…]}}}
//! ```
//!
//! AWS encrypts the token; here the JSON is sealed with the server's session key
//! ([`SessionSigner::seal`]): opaque, URL-safe, tamper-evident, and decodable only by the
//! server that issued it, with nothing stored.

use crate::auth::sessions::SessionSigner;
use rolecall_engine::authz::{Decision, Outcome, PolicyType, Request, ResourcePolicy, Trace};
use rolecall_engine::policy::{Effect, NamedPolicy, Statement};
use rolecall_model::Principal;
use serde::Serialize;

/// Separates these tokens from anything else the key seals.
const PURPOSE: &str = "authorization-message";

/// The opaque token for a denied request: its decision, the statements that denied it (from
/// the trace of `authz::authorize_traced`), and its context. EC2's mutating actions append it
/// to their UnauthorizedOperation message.
pub fn encode_authorization_message(
    signer: &SessionSigner,
    principal: &Principal,
    request: &Request,
    decision: &Decision,
    trace: &Trace,
) -> String {
    let json = decoded_json(principal, request, decision, trace);
    signer.seal(PURPOSE, json.as_bytes())
}

/// The JSON a token stands for; None when the token is not one this server sealed.
pub fn decode(signer: &SessionSigner, token: &str) -> Option<String> {
    String::from_utf8(signer.open(PURPOSE, token)?).ok()
}

/// `{"items":[…]}`: every collection in the message is wrapped so.
#[derive(Serialize)]
struct Items<T> {
    items: Vec<T>,
}

impl<T> Items<T> {
    fn of(items: Vec<T>) -> Items<T> {
        Items { items }
    }
}

#[derive(Serialize)]
struct Value {
    value: String,
}

fn values(texts: impl IntoIterator<Item = String>) -> Items<Value> {
    Items::of(texts.into_iter().map(|value| Value { value }).collect())
}

#[derive(Serialize)]
struct KeyValues {
    key: String,
    values: Items<Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Message {
    allowed: bool,
    explicit_deny: bool,
    matched_statements: Items<MatchedStatement>,
    failures: Items<Value>,
    context: MessageContext,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MatchedStatement {
    statement_id: String,
    effect: &'static str,
    principals: Items<Value>,
    principal_groups: Items<Value>,
    actions: Items<Value>,
    resources: Items<Value>,
    conditions: Items<KeyValues>,
}

#[derive(Serialize)]
struct MessageContext {
    principal: MessagePrincipal,
    action: String,
    resource: String,
    conditions: Items<KeyValues>,
}

/// A user shows `id`, `name` and `arn`; a role session only `id` and `arn` (observed).
#[derive(Serialize)]
struct MessagePrincipal {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    arn: String,
}

fn decoded_json(
    principal: &Principal,
    request: &Request,
    decision: &Decision,
    trace: &Trace,
) -> String {
    let explicit = decision.outcome == Outcome::ExplicitDeny;
    // An implicit deny matched no statement: the list is empty (observed).
    let matched = if explicit {
        denying_statements(request, trace)
            .map(|s| matched_statement(principal, s))
            .collect()
    } else {
        Vec::new()
    };
    let name = match principal {
        Principal::User { user, .. } | Principal::UserSession { user, .. } => {
            Some(user.name.clone())
        }
        _ => None,
    };
    let message = Message {
        allowed: decision.is_allowed(),
        explicit_deny: explicit,
        matched_statements: Items::of(matched),
        failures: Items::of(Vec::new()),
        context: MessageContext {
            principal: MessagePrincipal {
                id: principal.user_id().to_string(),
                name,
                arn: principal.arn().to_string(),
            },
            // Captures show both "RunInstances" and "ec2:RunInstances"; the full action
            // name is what policies match.
            action: request.action.to_string(),
            resource: request.resource.to_string(),
            conditions: Items::of(
                request
                    .context
                    .iter()
                    .map(|(key, v)| KeyValues {
                        key: key.to_string(),
                        values: values(v.as_slice().iter().cloned()),
                    })
                    .collect(),
            ),
        },
    };
    serde_json::to_string(&message).expect("the message serializes")
}

/// The Deny statements the trace shows matching, looked up in the request's policies.
fn denying_statements<'r>(
    request: &'r Request,
    trace: &'r Trace,
) -> impl Iterator<Item = &'r Statement> + 'r {
    trace.policies.iter().flat_map(move |p| {
        let policy = find_policy(request, p.policy_type, p.level.as_deref(), &p.policy);
        p.statements
            .iter()
            .filter(|s| s.matched && s.effect == Effect::Deny)
            .filter_map(move |s| policy.and_then(|pol| pol.policy.statements.get(s.index)))
    })
}

fn find_policy<'r>(
    request: &'r Request,
    policy_type: PolicyType,
    level: Option<&str>,
    name: &str,
) -> Option<&'r NamedPolicy> {
    let named = |p: &&'r NamedPolicy| p.name == name;
    match policy_type {
        PolicyType::ServiceControl | PolicyType::ResourceControl => {
            let levels = if policy_type == PolicyType::ServiceControl {
                request.scps
            } else {
                request.rcps
            };
            levels
                .iter()
                .filter(|l| Some(l.target.as_str()) == level)
                .flat_map(|l| l.policies.iter().map(|p| &**p))
                .find(named)
        }
        PolicyType::IdentityBased => request.identity_policies.iter().map(|p| &**p).find(named),
        PolicyType::PermissionsBoundary => request.permissions_boundary.filter(named),
        PolicyType::Session => request.session_policies?.iter().map(|p| &**p).find(named),
        PolicyType::RoleTrust | PolicyType::ResourceBased => match request.resource_policy {
            ResourcePolicy::RoleTrust(Some(p))
            | ResourcePolicy::ResourceBased(p)
            | ResourcePolicy::Required(Some(p)) => Some(p).filter(named),
            _ => None,
        },
    }
}

fn matched_statement(principal: &Principal, s: &Statement) -> MatchedStatement {
    MatchedStatement {
        statement_id: s.sid.clone().unwrap_or_default(),
        effect: match s.effect {
            Effect::Deny => "DENY",
            Effect::Allow => "ALLOW",
        },
        principals: values([principal.user_id().to_string()]),
        principal_groups: Items::of(Vec::new()),
        actions: values(s.action.patterns.iter().map(|p| p.source().to_string())),
        resources: values(
            s.resource
                .iter()
                .flat_map(|r| r.patterns.iter().map(|p| p.source())),
        ),
        conditions: Items::of(
            s.conditions
                .iter()
                .map(|c| KeyValues {
                    key: c.key.clone(),
                    values: values(c.value_texts()),
                })
                .collect(),
        ),
    }
}
