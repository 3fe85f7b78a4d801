//! Authentication: who is calling. SigV4 verification ([`sigv4`]), the temporary credentials
//! this process issues ([`sessions`]), caller resolution from the one credential store
//! ([`caller`]), and the ways it fails ([`errors`]).

pub mod caller;
pub mod errors;
pub mod sessions;
pub mod sigv4;
