//! rolecall: a local emulator of AWS STS, EC2 and Organizations that authenticates every request
//! with SigV4 and authorizes every action with one engine that follows AWS's decision order.
//!
//! One request travels one way through the crate; each layer knows only the layers below it:
//!
//! ```text
//! server -> protocol -> auth -> services -> authz -> policy
//!                         \        |         /
//!                          '----- world ----'
//! ```
//!
//! See `ARCHITECTURE.md` at the repository root for the map and the invariants.

pub mod auth;
pub mod constant_time;
pub mod discover;
pub mod explain;
pub mod protocol;
pub mod scenario;
pub mod server;
pub mod services;
pub mod slots;
pub mod world;

pub use rolecall_engine::{ascii_split, authz, policy};
