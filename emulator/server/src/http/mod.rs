//! HTTP in and out: one port for every service, connections drained on shutdown, and the
//! same answers for a request that arrives without a socket.

mod admin;
mod router;

use crate::emulator::{Emulator, State};
use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use tokio::net::{TcpListener, TcpStream};

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
        Connections {
            emulator,
            builder: auto::Builder::new(TokioExecutor::new()),
            graceful: GracefulShutdown::new(),
        }
    }

    /// Serves one accepted connection, HTTP/1.1 or HTTP/2, as a task on the current runtime
    /// until the client closes it or the set is drained.
    pub fn serve(&self, stream: TcpStream, peer: SocketAddr) {
        let state = self.emulator.state.clone();
        let service = service_fn(move |req| router::handle(state.clone(), peer, req));
        let conn = self
            .builder
            .serve_connection(TokioIo::new(stream), service)
            .into_owned();
        let conn = self.graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!("connection from {peer} ended: {e}");
            }
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
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let _ = stream.set_nodelay(true);
                    connections.serve(stream, peer);
                }
                Err(e) => tracing::warn!("accept failed: {e}"),
            },
            () = &mut shutdown => break,
        }
    }
    drop(listener);
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
