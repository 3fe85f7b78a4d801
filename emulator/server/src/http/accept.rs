//! Accepting connections without spinning when the process runs out of descriptors.
//!
//! With the descriptor limit reached, `accept` fails at once, every time it is called: a loop
//! that retries at once took most of a core and wrote warnings as fast as it could. Here a
//! failure that is not the one connection's (EMFILE, ENFILE, ENOBUFS, ENOMEM: the process or
//! the system is short of something) pauses the loop, for longer each time up to a second,
//! and is reported once until a connection is accepted again. The connections already
//! accepted go on being served meanwhile.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};

const FIRST_PAUSE: Duration = Duration::from_millis(10);
const LONGEST_PAUSE: Duration = Duration::from_secs(1);

/// A listener whose [`accept`](Acceptor::accept) rides out resource exhaustion.
#[derive(Debug)]
pub struct Acceptor {
    listener: TcpListener,
    pause: Duration,
    /// Whether the current episode of failures was reported.
    reported: bool,
}

impl Acceptor {
    pub fn new(listener: TcpListener) -> Acceptor {
        Acceptor {
            listener,
            pause: FIRST_PAUSE,
            reported: false,
        }
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The next connection, with `TCP_NODELAY` set (answers are small and must not wait).
    /// Cancel-safe: dropping the future loses no connection.
    pub async fn accept(&mut self) -> (TcpStream, SocketAddr) {
        loop {
            match self.listener.accept().await {
                Ok((stream, peer)) => {
                    if self.reported {
                        tracing::warn!("accepting connections again");
                    }
                    self.pause = FIRST_PAUSE;
                    self.reported = false;
                    let _ = stream.set_nodelay(true);
                    return (stream, peer);
                }
                // The one connection went away before it was accepted: nothing to wait out.
                Err(e) if per_connection(&e) => {
                    tracing::debug!("a connection was lost before it was accepted: {e}");
                }
                Err(e) => {
                    if !self.reported {
                        tracing::warn!(
                            "cannot accept connections ({e}); pausing, and serving the connections already open, until one can be accepted"
                        );
                        self.reported = true;
                    }
                    tokio::time::sleep(self.pause).await;
                    self.pause = (self.pause * 2).min(LONGEST_PAUSE);
                }
            }
        }
    }
}

fn per_connection(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
            | io::ErrorKind::Interrupted
    )
}
