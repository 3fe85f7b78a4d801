//! Authentication: who is calling. SigV4 verification and caller resolution.

pub mod errors;
pub mod sigv4;
