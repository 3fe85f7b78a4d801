//! Thread-per-core connection serving.
//!
//! The accept loop hands each accepted connection, round-robin, to one of a fixed set of
//! worker threads, one per core. Each worker runs a single-threaded tokio runtime that owns its
//! connections for their whole life: a request is read, authorized, served and written on one
//! thread, by one runtime, with no task migrating between cores.
//!
//! Why not tokio's work-stealing runtime: there a woken connection task may run on whichever
//! core steals it, which must then pull in that connection's state and socket; fixed threads
//! served every case of `benches/load.sh` at least as fast for less CPU per request (the
//! figures are in ARCHITECTURE.md). The world, the credential store and the caches are shared
//! read-mostly through the [`Emulator`], so nothing here takes a lock on the hot path.

use rolecall_server::Emulator;
use std::net::SocketAddr;
use tokio::sync::{mpsc, oneshot};

/// An accepted connection on its way to a worker; the std type carries no tie to the
/// accepting runtime's reactor.
type Handoff = (std::net::TcpStream, SocketAddr);

/// The worker threads, and the channels that feed them.
pub(crate) struct Workers {
    inboxes: Vec<mpsc::UnboundedSender<Handoff>>,
    /// One receiver per worker; it resolves (with an error) when that worker's thread ends.
    finished: Vec<oneshot::Receiver<()>>,
    next: usize,
}

impl Workers {
    /// Starts one worker per available core (at least one).
    pub(crate) fn start(emulator: &Emulator) -> std::io::Result<Workers> {
        let count = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut workers = Workers {
            inboxes: Vec::with_capacity(count),
            finished: Vec::with_capacity(count),
            next: 0,
        };
        for index in 0..count {
            let (inbox, connections) = mpsc::unbounded_channel();
            let (done, finished) = oneshot::channel();
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            let emulator = emulator.clone();
            std::thread::Builder::new()
                .name(format!("rolecall-worker-{index}"))
                .spawn(move || {
                    // Dropped when the thread ends, however it ends: that is the signal.
                    let _done = done;
                    runtime.block_on(run(connections, &emulator));
                })?;
            workers.inboxes.push(inbox);
            workers.finished.push(finished);
        }
        Ok(workers)
    }

    /// Gives an accepted connection to the next worker in turn.
    pub(crate) fn dispatch(&mut self, stream: tokio::net::TcpStream, peer: SocketAddr) {
        let stream = match stream.into_std() {
            Ok(stream) => stream,
            Err(e) => {
                tracing::warn!("cannot hand over the connection from {peer}: {e}");
                return;
            }
        };
        // A send fails only if that worker's thread has died (a bug); the connection is then
        // closed unanswered, and the next one goes to the next worker.
        if self.inboxes[self.next].send((stream, peer)).is_err() {
            tracing::warn!("a worker thread has stopped; closed the connection from {peer}");
        }
        self.next = (self.next + 1) % self.inboxes.len();
    }

    /// Stops the workers taking connections and waits for each to drain its own.
    pub(crate) async fn finish(self) {
        drop(self.inboxes);
        for finished in self.finished {
            let _ = finished.await;
        }
    }
}

/// One worker: serves every connection it is given until its inbox closes, then lets
/// in-flight requests finish for at most the emulator's drain timeout.
async fn run(mut inbox: mpsc::UnboundedReceiver<Handoff>, emulator: &Emulator) {
    let connections = emulator.connections();
    while let Some((stream, peer)) = inbox.recv().await {
        match tokio::net::TcpStream::from_std(stream) {
            Ok(stream) => connections.serve(stream, peer),
            Err(e) => tracing::warn!("cannot serve the connection from {peer}: {e}"),
        }
    }
    connections.drain().await;
}
