//! `/_rolecall/…`: the emulator's own endpoints, answered only to loopback callers.
//!
//! - `GET /_rolecall/clock`: the virtual clock, `{"clock": "…", "frozen": …}`.
//! - `POST /_rolecall/clock` with `{"advance_seconds": N}`, `{"set": "RFC 3339"}` and/or
//!   `{"frozen": true|false}`: moves or stops it; answers like GET.
//! - `POST /_rolecall/reload`: reads the scenario file again (as SIGHUP does).
//! - `GET /_rolecall/requests/<RequestId>`: the authorization decisions of a recent request,
//!   with the engine's full trace for denials.

use crate::emulator::State;
use bytes::Bytes;
use http::request::Parts;
use http::{HeaderValue, Method, Response, StatusCode};
use rolecall_model::clock::{in_range, OutOfRange};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::Arc;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Answers an admin request on tokio's blocking pool: a reload reads and validates a whole
/// scenario file, which for a large one takes long enough to stall every other connection
/// this worker thread serves.
pub(super) async fn handle_off_worker(
    state: Arc<State>,
    peer: SocketAddr,
    parts: Parts,
    body: Bytes,
) -> Response<Bytes> {
    match tokio::task::spawn_blocking(move || handle(&state, peer, &parts, &body)).await {
        Ok(response) => response,
        Err(e) => reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({"error": format!("the endpoint failed: {e}")}),
        ),
    }
}

/// Where the emulator's own endpoints live.
pub(super) const PREFIX: &str = "/_rolecall/";

pub(super) fn handle(
    state: &State,
    peer: SocketAddr,
    parts: &Parts,
    body: &Bytes,
) -> Response<Bytes> {
    if !peer.ip().is_loopback() {
        return reply(
            StatusCode::FORBIDDEN,
            json!({"error": "the /_rolecall/ endpoints answer loopback callers only"}),
        );
    }
    match (&parts.method, parts.uri.path()) {
        (&Method::GET, "/_rolecall/clock") => reply(StatusCode::OK, clock_json(state)),
        (&Method::POST, "/_rolecall/clock") => match change_clock(state, body) {
            Ok(()) => reply(StatusCode::OK, clock_json(state)),
            Err(e) => reply(StatusCode::BAD_REQUEST, json!({ "error": e })),
        },
        (&Method::GET, path) if path.starts_with("/_rolecall/requests/") => {
            let id = &path["/_rolecall/requests/".len()..];
            let decisions = state.decisions.find(id);
            if decisions.is_empty() {
                reply(
                    StatusCode::NOT_FOUND,
                    json!({
                        "error": format!("no authorization decision is recorded for request {id}: the action needs none (GetCallerIdentity), authentication failed before authorization, or the request is older than the last {} decisions", crate::services::decisions::DecisionLog::DEFAULT_CAPACITY),
                    }),
                )
            } else {
                reply(
                    StatusCode::OK,
                    json!({ "request_id": id, "decisions": decisions }),
                )
            }
        }
        (&Method::POST, "/_rolecall/reload") => match state.reload() {
            Ok(()) => reply(StatusCode::OK, json!({"reloaded": state.scenario_name()})),
            Err(e) => reply(
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"error": "the scenario has problems; the previous one is still served", "problems": e.to_string().lines().collect::<Vec<_>>()}),
            ),
        },
        _ => reply(
            StatusCode::NOT_FOUND,
            json!({"error": format!("no endpoint {} {}", parts.method, parts.uri.path())}),
        ),
    }
}

fn clock_json(state: &State) -> Value {
    let clock = &state.clock;
    json!({
        "clock": clock.now().format(&Rfc3339).unwrap_or_default(),
        "frozen": clock.is_frozen(),
    })
}

fn change_clock(state: &State, body: &Bytes) -> Result<(), String> {
    let request: Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not JSON: {e}"))?;
    let Some(fields) = request.as_object() else {
        return Err("the body must be a JSON object".into());
    };
    for key in fields.keys() {
        if !matches!(key.as_str(), "advance_seconds" | "set" | "frozen") {
            return Err(format!(
                "unknown field '{key}' (expected advance_seconds, set, frozen)"
            ));
        }
    }
    // Every field is read and the new time checked before anything changes, so a refused
    // request leaves the clock as it was.
    let frozen = match fields.get("frozen") {
        Some(v) => Some(v.as_bool().ok_or("'frozen' must be true or false")?),
        None => None,
    };
    let at = match fields.get("set") {
        Some(v) => {
            let text = v.as_str().ok_or("'set' must be an RFC 3339 string")?;
            Some(
                OffsetDateTime::parse(text, &Rfc3339)
                    .map_err(|_| format!("'{text}' is not an RFC 3339 time"))?,
            )
        }
        None => None,
    };
    let seconds = match fields.get("advance_seconds") {
        Some(v) => Some(
            v.as_i64()
                .ok_or("'advance_seconds' must be a whole number")?,
        ),
        None => None,
    };
    let clock = &state.clock;
    let target = match (at, seconds) {
        (None, None) => None,
        (at, seconds) => {
            let base = at.unwrap_or_else(|| clock.now());
            let moved = base
                .checked_add(time::Duration::seconds(seconds.unwrap_or(0)))
                .ok_or_else(|| OutOfRange.to_string())?;
            in_range(moved).map_err(|e| e.to_string())?;
            Some(moved)
        }
    };
    if let Some(frozen) = frozen {
        clock.set_frozen(frozen);
    }
    if let Some(target) = target {
        clock.set(target).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn reply(status: StatusCode, body: Value) -> Response<Bytes> {
    let mut response = Response::new(Bytes::from(body.to_string()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
