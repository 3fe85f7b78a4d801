//! The IAM policy language: a position-aware document tree ([`node`]) parsed once, at scenario
//! load, into a typed [`Policy`] that the authorization engine evaluates without re-parsing.

pub mod node;
