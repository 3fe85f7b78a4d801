//! The AWS services: one module per service, one file per action. An action reads its typed
//! parameters, asks the authorization engine, reads the world, and answers in its service's
//! protocol. Nothing here decides allow or deny by itself.
//!
//! Each service has one action table ([`Action`] rows, sorted by name): the action's name on
//! the wire, its IAM action, how it is authorized and its handler. Dispatch, DryRun, the lists
//! of what each service serves and the tests that walk every action all read that table, so
//! an action cannot be served without being authorized and tested.

pub mod context;
pub mod decisions;
pub mod ec2;
pub mod organizations;
pub mod sts;

use crate::auth::sessions::SessionSigner;
use decisions::DecisionLog;
use rolecall_engine::ascii_split;
use rolecall_engine::authz::{self, Context, Decision, PolicyLevel, ResourcePolicy};
use rolecall_model::clock::Clock;
use rolecall_model::{Principal, World};
use rolecall_wire::form::Params;
pub(crate) use rolecall_wire::{AwsError, Reply};
use std::net::IpAddr;
use time::OffsetDateTime;

/// Everything an action may read about its request.
pub struct Call<'a> {
    pub request_id: &'a str,
    pub world: &'a World,
    pub principal: &'a Principal,
    pub params: &'a Params,
    /// The region of the SigV4 credential scope.
    pub region: &'a str,
    pub source_ip: IpAddr,
    pub signer: &'a SessionSigner,
    pub clock: &'a Clock,
    /// The emulator's "now" for this request, read once.
    pub now: OffsetDateTime,
    /// The wall clock at the same reading: the client's time, which the signature was checked
    /// against.
    pub wall: OffsetDateTime,
    /// Where this request's decisions are kept for explanation.
    pub decisions: &'a DecisionLog,
}

/// How an action is authorized. Every action is one of these three, and the test that walks
/// each service's table holds it to that.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authorize {
    /// The action needs no permission (STS GetCallerIdentity and GetSessionToken, STS API
    /// reference).
    Never,
    /// On resource `*` in the caller's account, asked by the dispatcher before the handler
    /// reads any parameter, DryRun honoured (EC2's Describe actions).
    First,
    /// By the handler, once it has read and validated what the request names (the role of
    /// AssumeRole, the root, OU, account or policy of an Organizations action; STS actions
    /// whose input AWS validates before authorizing).
    InHandler,
}

/// What an action table says of one action, besides its handler; the handler is given it.
#[derive(Debug)]
pub struct Operation {
    /// As the wire names it (`Action=`, `X-Amz-Target`), e.g. `AssumeRole`.
    pub name: &'static str,
    /// As IAM names it, e.g. `sts:AssumeRole`.
    pub iam_action: &'static str,
    pub authorize: Authorize,
}

/// One row of a service's action table.
#[derive(Debug)]
pub struct Action<H: 'static> {
    pub operation: Operation,
    pub handler: H,
}

impl<H> Action<H> {
    pub(crate) const fn new(
        name: &'static str,
        iam_action: &'static str,
        authorize: Authorize,
        handler: H,
    ) -> Action<H> {
        Action {
            operation: Operation {
                name,
                iam_action,
                authorize,
            },
            handler,
        }
    }
}

/// The row of `table` (sorted by name) for the action `name`.
pub(crate) fn find<H>(table: &'static [Action<H>], name: &str) -> Option<&'static Action<H>> {
    table
        .binary_search_by(|a| a.operation.name.cmp(name))
        .ok()
        .map(|i| &table[i])
}

/// Whether the served action IAM names `iam_action` needs no permission, as its table says
/// (STS GetCallerIdentity and GetSessionToken): no policy can deny it.
pub fn needs_no_permission(iam_action: &str) -> bool {
    sts::operations()
        .chain(ec2::operations())
        .chain(organizations::operations())
        .any(|op| {
            op.authorize == Authorize::Never && op.iam_action.eq_ignore_ascii_case(iam_action)
        })
}

/// The RCP chain over `resource_account`'s resources, for the services RCPs govern. RCPs
/// apply to Amazon S3, AWS STS, AWS KMS, Amazon SQS and AWS Secrets Manager (Organizations
/// user guide, "Resource control policies"); of the services served here, only STS.
pub fn resource_control_policies<'w>(
    world: &'w World,
    action: &str,
    resource_account: &str,
) -> &'w [PolicyLevel] {
    let service = ascii_split::split(action, b':').next().unwrap_or_default();
    let governed = ["sts", "s3", "kms", "sqs", "secretsmanager"]
        .iter()
        .any(|s| s.eq_ignore_ascii_case(service));
    if !governed {
        return &[];
    }
    world
        .account(resource_account)
        .map_or(&[][..], |a| &a.rcp_levels[..])
}

/// What an action asks the engine: may this call's caller perform `action` on `resource`?
pub struct Ask<'r> {
    /// As IAM names it, e.g. `sts:AssumeRole`.
    pub action: &'r str,
    /// An ARN, or `*`.
    pub resource: &'r str,
    /// The account that owns the resource.
    pub resource_account: &'r str,
    pub resource_policy: ResourcePolicy<'r>,
    /// The request context, from [`Call::context`] plus the action's own keys.
    pub context: &'r Context<'r>,
    /// Whether AWS's denial sentence names the resource (`… on resource: ARN`).
    pub show_resource: bool,
}

/// A denial: the engine's decision and AWS's sentence for it.
#[derive(Debug, Clone)]
pub struct Denial {
    pub decision: Decision,
    pub message: String,
}

impl Denial {
    /// The 403 an STS-style service answers with: `code` and AWS's sentence, the deciding
    /// policy in the request log.
    pub fn into_error(self, code: &'static str) -> AwsError {
        AwsError::new(403, code, self.message).with_note(self.decision.summary())
    }
}

impl Call<'_> {
    /// When credentials issued now for `lifetime` seconds expire, in the client's time: the
    /// wall clock plus the time they have left on the emulator's clock. Expiry itself follows
    /// the emulator's clock; reporting it so keeps a client that checks `Expiration` against
    /// its own clock from refusing credentials the emulator has just issued (a scenario's
    /// clock frozen in the past would otherwise issue credentials already expired). AWS never
    /// issues expired credentials.
    pub fn expiration_for_client(&self, lifetime: i64) -> OffsetDateTime {
        self.wall
            .checked_add(time::Duration::seconds(lifetime))
            .unwrap_or(self.wall)
    }

    /// The request context for an action on a resource owned by `resource_account`: the
    /// global keys plus the resource-side ones, worked out only if a policy reads them; the
    /// action adds its own keys with `insert`.
    pub fn context<'c>(&'c self, resource_account: &'c str) -> Context<'c> {
        context::for_call(self, resource_account)
    }

    /// Decides an action on resource `*` in the caller's own account (EC2 describes, STS
    /// actions on no particular resource), whose sentences do not name a resource. `extend`
    /// adds the action's own condition keys.
    pub fn decide_in_own_account(
        &self,
        action: &str,
        extend: impl FnOnce(&mut Context<'_>),
    ) -> Result<(), Denial> {
        let account = self.principal.account_id();
        let mut context = self.context(account);
        extend(&mut context);
        self.decide(Ask {
            action,
            resource: "*",
            resource_account: account,
            resource_policy: ResourcePolicy::NotApplicable,
            context: &context,
            show_resource: false,
        })
    }

    /// Asks the authorization engine for this call's caller: its identity policies, permissions
    /// boundary, session policies and SCP chain are filled in here, so every action is decided
    /// the same way. The decision is recorded under this request's id; a denial carries AWS's
    /// sentence. Every action authorizes through here: there is no other path to allow or deny.
    /// The log copies a decision into the buffers of the record it overwrites, so an allowed
    /// decision costs no allocation there.
    pub fn decide(&self, ask: Ask) -> Result<(), Denial> {
        let caller = self.principal.caller();
        let request = authz::Request {
            caller: &caller,
            action: ask.action,
            resource: ask.resource,
            resource_account: Some(ask.resource_account),
            context: ask.context,
            identity_policies: self.principal.identity_policies(),
            permissions_boundary: self.principal.permissions_boundary(),
            session_policies: self.principal.session_policies(),
            scps: &self.principal.account().scp_levels,
            rcps: resource_control_policies(self.world, ask.action, ask.resource_account),
            resource_policy: ask.resource_policy,
            same_organization: self
                .world
                .same_organization(self.principal.account_id(), ask.resource_account),
        };
        let decision = authz::authorize(&request);
        let names = [
            self.request_id,
            self.principal.arn(),
            ask.action,
            ask.resource,
        ];
        if decision.is_allowed() {
            self.decisions.record(decisions::Entry {
                names,
                decision: &decision,
                message: None,
                trace: None,
            });
            return Ok(());
        }
        // Denials are rare next to allows and are what users come to investigate, so only
        // they pay for a second, traced evaluation.
        let (_, trace) = authz::authorize_traced(&request);
        let message = decision.denial_message(&request, ask.show_resource);
        self.decisions.record(decisions::Entry {
            names,
            decision: &decision,
            message: Some(message.clone()),
            trace: Some(trace),
        });
        Err(Denial { decision, message })
    }
}
