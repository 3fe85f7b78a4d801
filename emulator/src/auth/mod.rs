//! Authentication: who is calling. SigV4 verification ([`sigv4`]), the errors AWS gives when it
//! fails ([`errors`]), and caller resolution from the credential store ([`caller`]).

pub mod caller;
pub mod errors;
pub mod sigv4;
