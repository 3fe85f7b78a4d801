//! One request, start to finish: decode, route by service, authenticate, dispatch, answer, log.

use super::{admin, full, RequestRecord};
use crate::auth::caller::{authenticate, CredentialStore};
use crate::auth::errors::AuthError;
use crate::auth::sigv4::{self, SignedRequest};
use crate::emulator::State;
use crate::services::{self, Call};
use bytes::Bytes;
use http::request::Parts;
use http::{HeaderValue, Method, Response};
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use rolecall_wire::errors;
use rolecall_wire::form::Params;
use rolecall_wire::{new_request_id, EC2_VERSION, STS_VERSION};
use rolecall_wire::{AwsError, Protocol, Reply};
use std::borrow::Cow;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

/// Larger bodies are refused before any parsing. STS's largest inputs (session policies and
/// tags) are a few kilobytes; EC2's query requests are far below this.
const MAX_BODY: usize = 1 << 20;

/// The services behind the one port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Service {
    Sts,
    Ec2,
    Organizations,
}

impl Service {
    fn signing_name(self) -> &'static str {
        match self {
            Service::Sts => "sts",
            Service::Ec2 => "ec2",
            Service::Organizations => "organizations",
        }
    }

    fn protocol(self) -> Protocol {
        match self {
            Service::Sts => services::sts::PROTOCOL,
            Service::Ec2 => services::ec2::PROTOCOL,
            Service::Organizations => services::organizations::PROTOCOL,
        }
    }
}

pub(super) async fn handle(
    state: Arc<State>,
    peer: SocketAddr,
    req: hyper::Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (mut parts, body) = req.into_parts();
    host_from_authority(&mut parts);
    let body = match tokio::time::timeout(state.limits.body, Limited::new(body, MAX_BODY).collect())
        .await
    {
        // The body has not arrived in time: what a front end answers a client that stops
        // sending (AWS's load balancers answer 408 when a client sends no data in time).
        Err(_elapsed) => return Ok(closing(http::StatusCode::REQUEST_TIMEOUT)),
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(e)) if e.is::<LengthLimitError>() => {
            let request_id = new_request_id();
            let e = AwsError::new(413, "RequestEntityTooLarge", "Request body too large");
            let reply = services::sts::PROTOCOL.error_reply(e, &request_id);
            return Ok(full(respond(reply, request_id, false)));
        }
        // The body could not be read as HTTP frames it (a malformed chunk, a connection cut
        // short): an HTTP error, answered as the front end answers a malformed request head,
        // 400 with no body, and the connection closed.
        Ok(Err(_)) => return Ok(closing(http::StatusCode::BAD_REQUEST)),
    };
    if parts.uri.path().starts_with(admin::PREFIX) {
        return Ok(full(
            admin::handle_off_worker(state, peer, parts, body).await,
        ));
    }
    Ok(full(answer(&state, peer, &parts, &body)))
}

/// One request whose body has been read: served, logged and answered.
pub(super) fn answer(
    state: &State,
    peer: SocketAddr,
    parts: &Parts,
    body: &Bytes,
) -> Response<Bytes> {
    let request_id = new_request_id();
    let outcome = serve(state, peer, parts, body, &request_id);
    if let (Some(logged), Some(log)) = (&outcome.logged, &state.request_log) {
        log(&RequestRecord {
            request_id: &request_id,
            caller: &logged.caller,
            action: &logged.action,
            status: outcome.reply.status,
            code: outcome.reply.error_code,
            reason: outcome.reply.note.as_deref(),
        });
    }
    respond(outcome.reply, request_id, outcome.service == Service::Ec2)
}

struct Outcome {
    service: Service,
    reply: Reply,
    /// What the request log says besides the reply; only built when the log is on.
    logged: Option<Logged>,
}

struct Logged {
    caller: String,
    action: String,
}

impl Outcome {
    /// Names the caller in the log line, if there is one.
    fn caller(&mut self, name: impl FnOnce() -> String) {
        if let Some(logged) = &mut self.logged {
            logged.caller = name();
        }
    }
}

fn serve(
    state: &State,
    peer: SocketAddr,
    parts: &Parts,
    body: &Bytes,
    request_id: &str,
) -> Outcome {
    let signed = SignedRequest {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query(),
        headers: &parts.headers,
        body,
    };
    // Taken apart once: its credential scope routes the request, and the same authorization
    // is what gets verified.
    let authorization = sigv4::parse(&signed);
    let scope_service = match &authorization {
        Ok(a) => Some(Cow::Borrowed(&*a.service)),
        // Unverifiable, yet its scope may still name the service whose error format to use.
        Err(_) => credential_scope_part(parts, 3),
    };
    let scope_service = scope_service.as_deref();
    let json_target = parts
        .headers
        .get(&X_AMZ_TARGET)
        .and_then(|v| v.to_str().ok());
    let raw_params: &[u8] = if parts.method == Method::GET {
        parts.uri.query().unwrap_or("").as_bytes()
    } else {
        body
    };
    // Organizations speaks JSON; everything else is a form.
    let params = if json_target.is_some() || scope_service == Some("organizations") {
        Ok(Params::default())
    } else {
        Params::parse(raw_params)
    };
    let service = route(parts, scope_service, json_target, params.as_ref().ok());
    let logged = state.request_log.is_some().then(|| {
        let action = match (service, json_target) {
            (Service::Organizations, Some(t)) => t.rsplit('.').next().unwrap_or(t),
            _ => params.as_ref().ok().and_then(|p| p.action()).unwrap_or("-"),
        };
        Logged {
            caller: "anonymous".to_string(),
            action: format!("{}:{action}", service.signing_name()),
        }
    });
    let mut outcome = Outcome {
        service,
        logged,
        reply: Reply {
            status: 500,
            content_type: "text/plain",
            body: String::new(),
            error_code: None,
            note: None,
        },
    };
    let params = match params {
        Ok(p) => p,
        Err(e) => {
            outcome.reply = service
                .protocol()
                .error_reply(errors::malformed_query_string(&e), request_id);
            return outcome;
        }
    };

    let world = state.world.load();
    let (wall, now) = state.clock.wall_and_now();
    let authenticated = match authorization.and_then(|authorization| {
        authenticate(
            &signed,
            authorization,
            &CredentialStore {
                world: &world,
                signer: &state.signer,
                signing_keys: &state.signing_keys,
                clock: &state.clock,
            },
            wall,
            service.signing_name(),
        )
    }) {
        Ok(a) => a,
        Err(e) => {
            if let Some(key) = credential_scope_part(parts, 0) {
                outcome.caller(|| format!("key {key}"));
            }
            let error = auth_error(service, &e).with_note(e.summary().to_string());
            outcome.reply = service.protocol().error_reply(error, request_id);
            return outcome;
        }
    };
    outcome.caller(|| authenticated.principal.arn().to_string());
    let call = Call {
        request_id,
        world: &world,
        principal: &authenticated.principal,
        params: &params,
        region: &authenticated.authorization.region,
        source_ip: peer.ip(),
        signer: &state.signer,
        clock: &state.clock,
        now,
        wall,
        decisions: &state.decisions,
    };
    if service == Service::Organizations {
        outcome.reply = services::organizations::handle(&call, json_target, body);
        return outcome;
    }
    let (expected_version, missing_action) = match service {
        Service::Sts => (STS_VERSION, errors::missing_action_sts as fn() -> AwsError),
        _ => (EC2_VERSION, errors::missing_action_ec2 as fn() -> AwsError),
    };
    let Some(action) = params.action() else {
        outcome.reply = service.protocol().error_reply(missing_action(), request_id);
        return outcome;
    };
    if let Some(version) = params.version().filter(|v| *v != expected_version) {
        let e = match service {
            Service::Sts => errors::bad_version_sts(action, version),
            _ => errors::bad_version_ec2(version),
        };
        outcome.reply = service.protocol().error_reply(e, request_id);
        return outcome;
    }
    outcome.reply = match service {
        Service::Sts => services::sts::handle(&call, action),
        _ => services::ec2::handle(&call, action),
    };
    outcome
}

/// The service a request is for: the SigV4 credential scope names it; without a signature the
/// `X-Amz-Target` header, the Host name, and finally the action tell.
fn route(
    parts: &Parts,
    scope_service: Option<&str>,
    json_target: Option<&str>,
    params: Option<&Params>,
) -> Service {
    match scope_service {
        Some("sts") => return Service::Sts,
        Some("ec2") => return Service::Ec2,
        Some("organizations") => return Service::Organizations,
        _ => {}
    }
    if json_target.is_some() {
        return Service::Organizations;
    }
    let host = parts
        .headers
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if host.starts_with("ec2.") {
        return Service::Ec2;
    }
    if host.starts_with("sts.") {
        return Service::Sts;
    }
    match params.and_then(|p| p.action()) {
        Some(a) if services::ec2::serves(a) => Service::Ec2,
        _ => Service::Sts,
    }
}

/// Part `n` of the credential scope (`KEY/DATE/REGION/SERVICE/aws4_request`: 0 is the access
/// key id, 3 the service), from the Authorization header or a presigned URL's
/// `X-Amz-Credential`, for routing and logging a request whose authorization could not be
/// taken apart; the verifier's parse is what routes every other request.
/// Borrowed from the request unless a presigned credential had to be percent-decoded.
fn credential_scope_part(parts: &Parts, n: usize) -> Option<Cow<'_, str>> {
    if let Some(auth) = parts
        .headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        const CREDENTIAL: &str = "Credential=";
        // The first occurrence, found by its first letter: a substring search costs more to
        // set up than this takes in a header where it comes a few bytes in.
        let (at, _) = auth
            .match_indices('C')
            .find(|(at, _)| auth[*at..].starts_with(CREDENTIAL))?;
        let after = &auth[at + CREDENTIAL.len()..];
        let mut credential = after.split([',', ' ']).next()?;
        // The text between the first and a second `Credential=`, as a split would give.
        if credential.contains('=') {
            credential = credential.split(CREDENTIAL).next()?;
        }
        return credential.split('/').nth(n).map(Cow::Borrowed);
    }
    let query = parts.uri.query()?;
    let value = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("X-Amz-Credential="))?;
    let decoded = percent_encoding::percent_decode_str(value)
        .decode_utf8()
        .ok()?;
    match decoded {
        Cow::Borrowed(text) => text.split('/').nth(n).map(Cow::Borrowed),
        Cow::Owned(text) => text.split('/').nth(n).map(|p| Cow::Owned(p.to_string())),
    }
}

/// An authentication failure as the service the request was for words it.
fn auth_error(service: Service, e: &AuthError) -> AwsError {
    match service {
        Service::Sts => e.for_sts(),
        Service::Ec2 => e.for_ec2(),
        Service::Organizations => e.for_organizations(),
    }
}

/// HTTP/2 carries the host in the `:authority` pseudo-header, which hyper puts in the URI, not
/// in a `Host` header; clients sign it as `host` all the same (SigV4 signs the host whatever
/// the HTTP version). Copied into `Host` here, so routing, SigV4 and the admin endpoints'
/// checks see the one host the client signed.
pub(super) fn host_from_authority(parts: &mut Parts) {
    if parts.headers.contains_key(http::header::HOST) {
        return;
    }
    if let Some(value) = parts
        .uri
        .authority()
        .and_then(|a| HeaderValue::from_str(a.as_str()).ok())
    {
        parts.headers.insert(http::header::HOST, value);
    }
}

/// An empty answer with `status`, closing the connection.
fn closing(status: http::StatusCode) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(http::header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Header names made once: a name given as text is parsed on every lookup, and parsed and
/// copied on every insert.
const X_AMZ_TARGET: http::HeaderName = http::HeaderName::from_static("x-amz-target");
const REQUEST_ID_HEADER: http::HeaderName = http::HeaderName::from_static("x-amzn-requestid");

/// The reply as an HTTP response. The request id is moved into its header, not copied.
fn respond(reply: Reply, request_id: String, ec2: bool) -> Response<Bytes> {
    let mut response = Response::new(Bytes::from(reply.body));
    *response.status_mut() =
        http::StatusCode::from_u16(reply.status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static(reply.content_type),
    );
    if let Ok(id) = HeaderValue::from_maybe_shared(Bytes::from(request_id)) {
        headers.insert(REQUEST_ID_HEADER, id);
    }
    if ec2 {
        // EC2 responses carry these (observed response headers).
        headers.insert(http::header::SERVER, HeaderValue::from_static("AmazonEC2"));
        headers.insert(
            http::header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache, no-store"),
        );
    }
    response
}
