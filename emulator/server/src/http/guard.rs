//! How long a connection may take: an idle one is closed, a request head must arrive whole
//! within a bound of its first byte, and a request being served is never cut short.
//!
//! Nothing closed idle, trickling or half-sent connections before: 1,500 connections holding
//! half-sent headers stayed open, with their buffers, for as long as the clients liked. hyper's
//! own header timeout starts as soon as a connection waits for a request, so it cannot tell an
//! idle keep-alive connection (which may wait long) from a head that trickles in (which may
//! not); this wrapper of the connection's socket does, with the service telling it when a
//! request is being served ([`Activity`]).
//!
//! - idle: no byte read or written, and no request in flight, for `idle` → closed;
//! - head: a request's first byte read and no request started (its head incomplete) within
//!   `head` → closed;
//! - a request in flight (the service has it) is bounded elsewhere: its body by the router's
//!   body timeout, its answer by the service.
//!
//! A closed connection gets no answer, as a front end closes one it has given up on.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

/// The timeouts a connection is held to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) idle: Duration,
    pub(crate) head: Duration,
}

/// What the service tells the connection's guard: requests start and finish.
#[derive(Debug)]
pub(crate) struct Activity {
    /// Requests the service is serving now (several on an HTTP/2 connection).
    in_flight: AtomicUsize,
    /// Bumped whenever a request starts, so the guard drops a head deadline it had armed.
    started: AtomicU64,
}

impl Activity {
    pub(crate) fn new() -> Arc<Activity> {
        Arc::new(Activity {
            in_flight: AtomicUsize::new(0),
            started: AtomicU64::new(0),
        })
    }

    /// A request's head is complete and the service has it, until the returned guard drops.
    pub(crate) fn request(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        self.started.fetch_add(1, Ordering::AcqRel);
        InFlight(self.clone())
    }
}

/// One request being served; its end is activity too.
pub(crate) struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A socket held to [`Limits`].
pub(crate) struct Guarded<T> {
    inner: T,
    activity: Arc<Activity>,
    limits: Limits,
    /// The last byte read or written.
    last_io: Instant,
    /// When the current request head began to arrive, and the `started` count it began
    /// under; None between requests.
    head_since: Option<(Instant, u64)>,
    /// Bytes read so far, up to the length of the HTTP/2 preface, and whether they are it: an
    /// HTTP/2 connection multiplexes its requests and sends frames between them, so only the
    /// idle bound applies to it.
    seen: usize,
    http2: bool,
    timer: Pin<Box<Sleep>>,
}

/// What an HTTP/2 client sends first (RFC 9113, section 3.4).
const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

impl<T> Guarded<T> {
    pub(crate) fn new(inner: T, activity: Arc<Activity>, limits: Limits) -> Guarded<T> {
        let now = Instant::now();
        Guarded {
            inner,
            activity,
            limits,
            last_io: now,
            head_since: None,
            seen: 0,
            http2: false,
            timer: Box::pin(tokio::time::sleep_until(now + limits.idle)),
        }
    }

    /// When the connection is given up, if it is waiting on the client at all.
    fn deadline(&mut self) -> Option<Instant> {
        if self.activity.in_flight.load(Ordering::Acquire) > 0 {
            return None;
        }
        let started = self.activity.started.load(Ordering::Acquire);
        if self.http2 {
            self.head_since = None;
        }
        match self.head_since {
            // The head under way has become a request, which has been served.
            Some((_, began_under)) if began_under != started => {
                self.head_since = None;
                Some(self.last_io + self.limits.idle)
            }
            Some((since, _)) => Some(since + self.limits.head),
            None => Some(self.last_io + self.limits.idle),
        }
    }

    /// Pending, unless the connection's time is up: then the error that closes it.
    fn pending_or_timed_out<R>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<R>> {
        let Some(deadline) = self.deadline() else {
            return Poll::Pending;
        };
        if self.timer.deadline() != deadline {
            self.timer.as_mut().reset(deadline);
        }
        match self.timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client took too long",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Guarded<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    let now = Instant::now();
                    self.last_io = now;
                    if self.seen < H2_PREFACE.len() {
                        let read = &buf.filled()[before..];
                        let take = read.len().min(H2_PREFACE.len() - self.seen);
                        let prefix_so_far = H2_PREFACE[self.seen..].starts_with(&read[..take]);
                        self.http2 = prefix_so_far && (self.seen == 0 || self.http2);
                        self.seen += take;
                    }
                    let idle = self.activity.in_flight.load(Ordering::Acquire) == 0;
                    if idle && !self.http2 && self.head_since.is_none() {
                        let started = self.activity.started.load(Ordering::Acquire);
                        self.head_since = Some((now, started));
                    }
                }
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => self.pending_or_timed_out(cx),
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Guarded<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write(cx, data) {
            Poll::Ready(Ok(n)) => {
                self.last_io = Instant::now();
                Poll::Ready(Ok(n))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => self.pending_or_timed_out(cx),
        }
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write_vectored(cx, bufs) {
            Poll::Ready(Ok(n)) => {
                self.last_io = Instant::now();
                Poll::Ready(Ok(n))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => self.pending_or_timed_out(cx),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    const LIMITS: Limits = Limits {
        idle: Duration::from_secs(60),
        head: Duration::from_secs(10),
    };

    #[tokio::test(start_paused = true)]
    async fn an_idle_connection_is_closed_after_the_idle_timeout() {
        let (client, server) = tokio::io::duplex(64);
        let mut guarded = Guarded::new(server, Activity::new(), LIMITS);
        let started = Instant::now();
        let mut byte = [0u8; 1];
        let e = guarded.read(&mut byte).await.unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::TimedOut);
        assert_eq!(started.elapsed(), LIMITS.idle);
        drop(client);
    }

    #[tokio::test(start_paused = true)]
    async fn a_trickling_head_is_closed_after_the_head_timeout_from_its_first_byte() {
        let (mut client, server) = tokio::io::duplex(64);
        let mut guarded = Guarded::new(server, Activity::new(), LIMITS);
        tokio::time::sleep(Duration::from_secs(30)).await;
        client.write_all(b"GET / HT").await.unwrap();
        let mut buf = [0u8; 64];
        assert_eq!(guarded.read(&mut buf).await.unwrap(), 8);
        let first_byte = Instant::now();
        // One byte every 5 s keeps the socket busy, but the head never completes.
        let trickle = tokio::spawn(async move {
            for _ in 0..10 {
                tokio::time::sleep(Duration::from_secs(5)).await;
                if client.write_all(b"T").await.is_err() {
                    break;
                }
            }
        });
        let e = loop {
            match guarded.read(&mut buf).await {
                Ok(_) => continue,
                Err(e) => break e,
            }
        };
        assert_eq!(e.kind(), io::ErrorKind::TimedOut);
        assert_eq!(first_byte.elapsed(), LIMITS.head);
        trickle.abort();
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_in_flight_is_never_cut_and_the_next_head_gets_a_fresh_bound() {
        let (mut client, server) = tokio::io::duplex(64);
        let activity = Activity::new();
        let mut guarded = Guarded::new(server, activity.clone(), LIMITS);
        client.write_all(b"GET / HTTP/1.1\r\n\r\n").await.unwrap();
        let mut buf = [0u8; 64];
        assert_eq!(guarded.read(&mut buf).await.unwrap(), 18);
        // The service has the request, and takes long.
        let serving = activity.request();
        let waited = tokio::time::timeout(Duration::from_secs(600), guarded.read(&mut buf)).await;
        assert!(
            waited.is_err(),
            "nothing times out while a request is served"
        );
        drop(serving);
        guarded.write_all(b"HTTP/1.1 200 OK\r\n\r\n").await.unwrap();
        // Back to idle: the idle bound, counted from the answer.
        let answered = Instant::now();
        let e = guarded.read(&mut buf).await.unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::TimedOut);
        assert_eq!(answered.elapsed(), LIMITS.idle);
    }
}
