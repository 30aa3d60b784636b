//! Cross-Origin Resource Sharing for Rust.
//!
//! See the README for the two commands, a policy, and the axum and actix-web adapters.
#![deny(unsafe_code, unreachable_pub)]
#![warn(missing_docs)]

pub use cors_core::*;

/// Support for macro expansions. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use cors_core::__private::*;
}

/// Every Rust block of README.md runs as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
