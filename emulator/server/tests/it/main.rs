//! The integration tests of this crate, as one test binary.

// The conformance runners print what they skipped and why.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod action_tables;
mod admin;
mod big_lists;
mod delegation;
mod ec2_instance_states;
mod ec2_opt_in_regions;
mod ec2_surface;
mod explain;
mod http_framing;
mod in_process;
mod kb_sequence;
mod org;
mod organizations_api;
mod organizations_delegation;
mod organizations_policies;
mod regions;
mod reloads;
mod sigv4_client_captures;
mod sigv4_conformance;
mod sigv4_key_cache;
mod sigv4_messages;
mod sigv4_support;
mod sts_assume_role_contract;
mod sts_more;
mod sts_sessions;
mod sts_support;
