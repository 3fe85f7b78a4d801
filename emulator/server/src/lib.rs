//! The rolecall server: AWS's wire protocols on one port, SigV4 really verified, callers
//! resolved from one credential store, and STS, EC2 and Organizations answered from the
//! world, every action authorized by the engine.
//!
//! A request travels one way:
//!
//! ```text
//! http (read, route) -> rolecall_wire (decode) -> auth (SigV4, credential store)
//!     -> services (one action table per service) -> rolecall_engine (decide)
//!     -> rolecall_wire (answer in the service's protocol)
//! ```
//!
//! [`Emulator`] is the face: build it from a scenario file or text, then
//! [`serve`](Emulator::serve) a listener until a shutdown future resolves,
//! [`handle`](Emulator::handle) requests with no socket, [`explain`](Emulator::explain) a
//! decision, move the [`clock`](Emulator::clock) or [`reload`](Emulator::reload). The library
//! installs no signal handler, starts no thread and prints nothing; the `rolecall` binary
//! does those.
//!
//! ```
//! use rolecall_server::Emulator;
//! use tokio::io::{AsyncReadExt, AsyncWriteExt};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = Emulator::with_default_scenario();
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! let address = listener.local_addr()?;
//! let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
//! let serving = emulator.clone();
//! let server = tokio::spawn(async move {
//!     serving.serve(listener, async { let _ = stopped.await; }).await
//! });
//!
//! // An unsigned STS request gets STS's answer to it.
//! let mut client = tokio::net::TcpStream::connect(address).await?;
//! client
//!     .write_all(b"GET /?Action=GetCallerIdentity HTTP/1.1\r\nhost: sts\r\nconnection: close\r\n\r\n")
//!     .await?;
//! let mut answer = String::new();
//! client.read_to_string(&mut answer).await?;
//! assert!(answer.starts_with("HTTP/1.1 403"));
//! assert!(answer.contains("<Code>MissingAuthenticationToken</Code>"));
//!
//! stop.send(()).ok();
//! server.await??;
//! # Ok(())
//! # }
//! ```

pub mod auth;
mod constant_time;
mod emulator;
pub mod explain;
mod http;
pub mod services;
mod slots;

pub use emulator::{Builder, Emulator, RequestLog};
pub use http::{Acceptor, Connections, RequestRecord};
pub use rolecall_model::scenario::ScenarioError;
