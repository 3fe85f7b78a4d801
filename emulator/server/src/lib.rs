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

pub mod auth;
mod constant_time;
mod emulator;
pub mod explain;
mod http;
pub mod services;
mod slots;

pub use emulator::{Builder, Emulator, RequestLog};
pub use http::{Connections, RequestRecord};
pub use rolecall_model::scenario::ScenarioError;
