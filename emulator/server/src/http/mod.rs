//! HTTP in and out: one port for every service, connections drained on shutdown, and the
//! same answers for a request that arrives without a socket.

mod accept;
mod admin;
mod guard;
mod router;

pub use accept::Acceptor;

use crate::emulator::{Emulator, State};
use bytes::Bytes;
use guard::{Activity, Guarded};
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

/// How connections are held: timeouts and how many may be open at once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ConnectionLimits {
    /// A connection with no request in flight and no byte moving is closed after this.
    pub(crate) idle: Duration,
    /// A request head must arrive whole within this of its first byte.
    pub(crate) head: Duration,
    /// A request body must arrive whole within this of the service asking for it.
    pub(crate) body: Duration,
    /// Connections open at once; one more is closed as soon as it is accepted.
    pub(crate) max_connections: usize,
}

impl Default for ConnectionLimits {
    fn default() -> ConnectionLimits {
        ConnectionLimits {
            // An idle connection lives as long as AWS's load balancers let one (their default
            // idle timeout is 60 seconds).
            idle: Duration::from_secs(60),
            head: Duration::from_secs(20),
            body: Duration::from_secs(30),
            max_connections: 4096,
        }
    }
}

/// The open connections, counted against [`ConnectionLimits::max_connections`] by every
/// connection set of an emulator.
#[derive(Debug)]
pub(crate) struct Slots {
    open: Arc<Semaphore>,
    /// Whether the current episode of refusals was reported.
    reported: AtomicBool,
}

impl Slots {
    pub(crate) fn new(max: usize) -> Slots {
        Slots {
            open: Arc::new(Semaphore::new(max.max(1))),
            reported: AtomicBool::new(false),
        }
    }
}

/// The most an HTTP/2 request's headers may take.
const MAX_HEAD_BYTES: usize = 32 * 1024;
/// What an HTTP/1 connection may buffer, and so the largest head it takes; hyper's default of
/// 400 KiB let a half-sent head hold that much per connection.
const MAX_CONNECTION_BUFFER: usize = 64 * 1024;

/// What the request log is told about one answered request.
#[derive(Debug, Clone, Copy)]
pub struct RequestRecord<'a> {
    pub request_id: &'a str,
    /// The caller's ARN, `key AKIA…` when authentication failed, or `anonymous`.
    pub caller: &'a str,
    /// `service:Action`, as the request named it.
    pub action: &'a str,
    pub status: u16,
    /// The AWS error code, for errors.
    pub code: Option<&'a str>,
    /// Why, in a few words: for a denial, which policy decided.
    pub reason: Option<&'a str>,
}

/// Connections served together, as tasks on the runtime that calls
/// [`serve`](Connections::serve), and drained together.
pub struct Connections {
    emulator: Emulator,
    builder: auto::Builder<TokioExecutor>,
    graceful: GracefulShutdown,
}

impl std::fmt::Debug for Connections {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connections").finish_non_exhaustive()
    }
}

impl Connections {
    pub(crate) fn new(emulator: Emulator) -> Connections {
        let mut builder = auto::Builder::new(TokioExecutor::new());
        builder
            .http1()
            .timer(TokioTimer::new())
            // The connection's guard bounds heads and idleness (`guard`); hyper's own head
            // timer, which cannot tell the two apart, stays off.
            .header_read_timeout(None)
            // A head larger than the buffer is refused with 431 Request Header Fields Too Large.
            .max_buf_size(MAX_CONNECTION_BUFFER);
        builder
            .http2()
            .timer(TokioTimer::new())
            .max_header_list_size(u32::try_from(MAX_HEAD_BYTES).unwrap_or(u32::MAX));
        Connections {
            emulator,
            builder,
            graceful: GracefulShutdown::new(),
        }
    }

    /// Serves one accepted connection, HTTP/1.1 or HTTP/2, as a task on the current runtime
    /// until the client closes it, it outstays the emulator's timeouts, or the set is drained.
    /// Past the emulator's limit of open connections it is closed at once.
    pub fn serve(&self, stream: TcpStream, peer: SocketAddr) {
        let state = self.emulator.state.clone();
        let slots = &state.slots;
        let Ok(slot) = slots.open.clone().try_acquire_owned() else {
            if !slots.reported.swap(true, Ordering::Relaxed) {
                tracing::warn!(
                    "{} connections are open, the most allowed; closing new ones until one ends",
                    state.limits.max_connections
                );
            }
            return;
        };
        slots.reported.store(false, Ordering::Relaxed);
        let activity = Activity::new();
        let io = Guarded::new(
            stream,
            activity.clone(),
            guard::Limits {
                idle: state.limits.idle,
                head: state.limits.head,
            },
        );
        let service = service_fn(move |req| {
            let serving = activity.request();
            let state = state.clone();
            async move {
                let answer = router::handle(state, peer, req).await;
                drop(serving);
                answer
            }
        });
        let conn = self
            .builder
            .serve_connection(TokioIo::new(io), service)
            .into_owned();
        let conn = self.graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!("connection from {peer} ended: {e}");
            }
            drop(slot);
        });
    }

    /// Stops reading new requests on every connection of the set and waits, for at most the
    /// emulator's drain timeout, until those in flight are answered.
    pub async fn drain(self) {
        let timeout = self.emulator.state.drain_timeout;
        tokio::select! {
            () = self.graceful.shutdown() => {}
            () = tokio::time::sleep(timeout) => {
                tracing::warn!("in-flight requests did not finish within {timeout:?}");
            }
        }
    }
}

/// The accept loop of [`Emulator::serve`].
pub(crate) async fn serve(
    emulator: &Emulator,
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let connections = emulator.connections();
    let mut acceptor = Acceptor::new(listener);
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            (stream, peer) = acceptor.accept() => connections.serve(stream, peer),
            () = &mut shutdown => break,
        }
    }
    drop(acceptor);
    connections.drain().await;
    Ok(())
}

/// [`Emulator::handle`]: a request already in memory, from loopback.
pub(crate) fn handle_in_process(
    state: &State,
    request: ::http::Request<Bytes>,
) -> ::http::Response<Bytes> {
    let peer = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let (mut parts, body) = request.into_parts();
    router::host_from_authority(&mut parts);
    if parts.uri.path().starts_with(admin::PREFIX) {
        return admin::handle(state, peer, &parts, &body);
    }
    router::answer(state, peer, &parts, &body)
}

/// A response as hyper sends it.
fn full(response: ::http::Response<Bytes>) -> ::http::Response<Full<Bytes>> {
    response.map(Full::new)
}
