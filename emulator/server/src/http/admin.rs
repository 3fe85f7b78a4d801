//! `/_rolecall/…`: the emulator's own endpoints, answered only to loopback callers.
//!
//! A loopback peer is not enough on its own: a web page the user visits can send requests to
//! 127.0.0.1 (a cross-site form posts `text/plain`), and a name the page controls can resolve
//! to 127.0.0.1 (DNS rebinding, where the browser sends the page's own Host). So the `Host`
//! must name loopback, a request carrying an `Origin` must come from a loopback origin, and a
//! request that changes state must say `Content-Type: application/json`, which a page cannot
//! send across sites without the CORS preflight this server never grants.
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
    if let Err((status, why)) = admitted(peer, parts) {
        return reply(status, json!({ "error": why }));
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

/// Whether a request may reach the admin endpoints: see the module documentation.
fn admitted(peer: SocketAddr, parts: &Parts) -> Result<(), (StatusCode, &'static str)> {
    let forbidden = |why| Err((StatusCode::FORBIDDEN, why));
    // A listener on `[::]` sees IPv4 loopback callers as `::ffff:127.0.0.1`.
    if !peer.ip().to_canonical().is_loopback() {
        return forbidden("the /_rolecall/ endpoints answer loopback callers only");
    }
    let host = parts
        .headers
        .get(http::header::HOST)
        .map(|h| h.to_str().unwrap_or("\u{0}"))
        .or_else(|| parts.uri.authority().map(http::uri::Authority::as_str));
    if host.is_some_and(|h| !names_loopback(h)) {
        return forbidden("the /_rolecall/ endpoints answer requests for a loopback host only");
    }
    if let Some(origin) = parts.headers.get(http::header::ORIGIN) {
        let loopback_origin = origin
            .to_str()
            .ok()
            .and_then(|o| o.split_once("://"))
            .is_some_and(|(scheme, rest)| {
                matches!(scheme, "http" | "https") && names_loopback(rest)
            });
        if !loopback_origin {
            return forbidden("the /_rolecall/ endpoints refuse requests from other origins");
        }
    }
    let changes_state = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    let json = parts
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"));
    if changes_state && !json {
        return Err((
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "a request that changes the emulator must be sent with Content-Type: application/json",
        ));
    }
    Ok(())
}

/// Whether `host[:port]` names this machine: `localhost`, `127.x.x.x` or `[::1]`.
fn names_loopback(authority: &str) -> bool {
    let host = match authority.strip_prefix('[') {
        Some(rest) => rest.split_once(']').map_or("", |(inside, _)| inside),
        None => authority
            .rsplit_once(':')
            .map_or(authority, |(host, port)| {
                if port.bytes().all(|b| b.is_ascii_digit()) {
                    host
                } else {
                    authority
                }
            }),
    };
    let host = host.strip_suffix('.').unwrap_or(host);
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.to_canonical().is_loopback())
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

#[cfg(test)]
mod tests {
    use super::{admitted, names_loopback};
    use http::StatusCode;
    use std::net::SocketAddr;

    #[test]
    fn an_ipv4_loopback_caller_seen_through_an_ipv6_listener_is_loopback() {
        let request = http::Request::get("/_rolecall/clock")
            .header("host", "127.0.0.1:4566")
            .body(())
            .unwrap();
        let (parts, ()) = request.into_parts();
        for peer in ["[::ffff:127.0.0.1]:50000", "127.0.0.1:50000", "[::1]:50000"] {
            let peer: SocketAddr = peer.parse().unwrap();
            assert_eq!(admitted(peer, &parts), Ok(()), "{peer}");
        }
        let remote: SocketAddr = "[::ffff:192.0.2.7]:50000".parse().unwrap();
        assert_eq!(
            admitted(remote, &parts).map_err(|e| e.0),
            Err(StatusCode::FORBIDDEN)
        );
    }

    #[test]
    fn loopback_names_with_and_without_ports() {
        for host in [
            "localhost",
            "localhost:4566",
            "LOCALHOST.",
            "127.0.0.1",
            "127.0.0.1:4566",
            "127.1.2.3:80",
            "[::1]",
            "[::1]:4566",
            "[::ffff:127.0.0.1]:4566",
        ] {
            assert!(names_loopback(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:4566",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "10.0.0.1:4566",
            "[::2]",
            "",
            "localhost:abc",
        ] {
            assert!(!names_loopback(host), "{host}");
        }
    }
}
