//! Thread-per-core connection serving.
//!
//! The accept loop hands each accepted connection to one of a fixed set of worker threads, one
//! per core, in turn, passing over a worker that has not yet taken the last connection it was
//! given (it is busy with a request), so one slow request does not hold up new connections
//! another worker could serve. Each worker runs a single-threaded tokio runtime that owns its
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
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// An accepted connection on its way to a worker; the std type carries no tie to the
/// accepting runtime's reactor.
type Handoff = (std::net::TcpStream, SocketAddr);

/// The worker threads, and the channels that feed them.
pub(crate) struct Workers {
    inboxes: Vec<mpsc::UnboundedSender<Handoff>>,
    /// Per worker: connections handed to it that it has not taken yet.
    waiting: Vec<Arc<AtomicUsize>>,
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
            waiting: Vec::with_capacity(count),
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
            let waiting = Arc::new(AtomicUsize::new(0));
            let taken = waiting.clone();
            std::thread::Builder::new()
                .name(format!("rolecall-worker-{index}"))
                .spawn(move || {
                    // Dropped when the thread ends, however it ends: that is the signal.
                    let _done = done;
                    runtime.block_on(run(connections, &taken, &emulator));
                })?;
            workers.inboxes.push(inbox);
            workers.waiting.push(waiting);
            workers.finished.push(finished);
        }
        Ok(workers)
    }

    /// Gives an accepted connection to the next worker in turn that is free to take it.
    pub(crate) fn dispatch(&mut self, stream: tokio::net::TcpStream, peer: SocketAddr) {
        let stream = match stream.into_std() {
            Ok(stream) => stream,
            Err(e) => {
                tracing::warn!("cannot hand over the connection from {peer}: {e}");
                return;
            }
        };
        let waiting: Vec<usize> = self
            .waiting
            .iter()
            .map(|w| w.load(Ordering::Acquire))
            .collect();
        let chosen = pick(&waiting, self.next);
        self.waiting[chosen].fetch_add(1, Ordering::AcqRel);
        // A send fails only if that worker's thread has died (a bug); the connection is then
        // closed unanswered, and the next one goes to the next worker.
        if self.inboxes[chosen].send((stream, peer)).is_err() {
            self.waiting[chosen].fetch_sub(1, Ordering::AcqRel);
            tracing::warn!("a worker thread has stopped; closed the connection from {peer}");
        }
        self.next = (chosen + 1) % self.inboxes.len();
    }

    /// Stops the workers taking connections and waits for each to drain its own.
    pub(crate) async fn finish(self) {
        drop(self.inboxes);
        for finished in self.finished {
            let _ = finished.await;
        }
    }
}

/// The worker for the next connection: the first from `next` on that has taken every
/// connection it was given (a worker busy with a request has not), else the one with the
/// fewest waiting, the earliest from `next` among equals.
fn pick(waiting: &[usize], next: usize) -> usize {
    let count = waiting.len();
    (0..count)
        .map(|step| (next + step) % count)
        .min_by_key(|&at| waiting[at])
        .unwrap_or(0)
}

/// One worker: serves every connection it is given until its inbox closes, then lets
/// in-flight requests finish for at most the emulator's drain timeout.
async fn run(
    mut inbox: mpsc::UnboundedReceiver<Handoff>,
    waiting: &AtomicUsize,
    emulator: &Emulator,
) {
    let connections = emulator.connections();
    while let Some((stream, peer)) = inbox.recv().await {
        waiting.fetch_sub(1, Ordering::AcqRel);
        match tokio::net::TcpStream::from_std(stream) {
            Ok(stream) => connections.serve(stream, peer),
            Err(e) => tracing::warn!("cannot serve the connection from {peer}: {e}"),
        }
    }
    connections.drain().await;
}

#[cfg(test)]
mod tests {
    use super::pick;

    #[test]
    fn connections_go_round_robin_past_busy_workers() {
        // All free: in turn.
        assert_eq!(pick(&[0, 0], 0), 0);
        assert_eq!(pick(&[0, 0], 1), 1);
        // Worker 0 has not taken its last connection (a request holds it): worker 1 gets the
        // next ones, whoever's turn it is.
        assert_eq!(pick(&[1, 0], 0), 1);
        assert_eq!(pick(&[1, 0], 1), 1);
        // Every worker busy: the least behind.
        assert_eq!(pick(&[3, 1, 2], 0), 1);
        assert_eq!(pick(&[2, 2], 1), 1);
        assert_eq!(pick(&[5], 0), 0);
    }
}
