//! Cross-Origin Resource Sharing for Rust.
//!
//! See the README for the two commands, a policy, and the axum and actix-web adapters.
#![deny(unsafe_code, unreachable_pub)]
#![warn(missing_docs)]

pub use cors_core::*;

/// The tower adapter (feature `tower`, or `axum`): `cors::tower::CorsLayer`.
#[cfg(feature = "tower")]
pub use cors_core::tower;

/// The actix-web adapter (feature `actix`): `cors::actix::Cors`.
#[cfg(feature = "actix")]
pub use cors_core::actix;

/// Support for macro expansions. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use cors_core::__private::*;
}

/// The README's Rust blocks, run as doctests (they use both adapters).
#[cfg(all(doctest, feature = "tower", feature = "actix", feature = "serde"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
