//! The policy language and the authorization engine of rolecall.
//!
//! - [`policy`]: IAM policy documents, parsed once into a typed form that is matched without
//!   re-parsing (wildcards, ARNs, condition operators, policy variables);
//! - [`authz`]: AWS's decision order over the policies of one request (explicit deny, RCPs,
//!   SCPs at every level, resource or trust policy, identity policy, boundary, session
//!   policy), the denial sentences AWS writes, and traces of every statement considered.
//!
//! The crate does no I/O and knows no service: a service hands it a [`authz::Request`] and
//! gets a [`authz::Decision`]. [`Arn`] and [`Location`] are the typed ARN and source position
//! the other crates share.

pub mod arn;
pub mod ascii_split;
pub mod authz;
mod location;
pub mod policy;

pub use arn::Arn;
pub use location::Location;
