//! The engine of the [`corsair`](https://docs.rs/corsair) crate: the origin model,
//! policy validation (one set of rules for `cors!` and the run-time builder),
//! and a request engine that works on raw bytes and allocates nothing.
//!
//! Most users depend on `corsair` and write `cors! { ... }`; this crate is what
//! that expands to, and the framework-free API for `http`-based stacks.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(unsafe_code, unreachable_pub)]
#![warn(missing_docs)]

#[cfg(feature = "actix")]
pub mod actix;
pub mod adapter;
#[cfg(feature = "serde")]
mod config;
mod diagnostics;
mod engine;
mod error;
mod live;
mod origin;
mod policy;
#[cfg(any(feature = "tower", feature = "actix"))]
mod routes;
#[cfg(feature = "tower")]
pub mod tower;

#[cfg(feature = "serde")]
pub use config::{ApiGatewayDocument, Config, Dialect};
pub use diagnostics::Explanation;
pub use engine::{Decision, Denial, Kind, RawRequest, Request};
pub use error::{Code, Error, Field, Problem};
pub use live::LivePolicy;
pub use origin::Origin;
pub use policy::{Builder, Policy};
#[cfg(any(feature = "tower", feature = "actix"))]
pub use routes::PolicyRef;

#[doc = include_str!("rules.md")]
pub mod rules {}

/// Support for the `cors!` expansion. Not public API: nothing here follows semver,
/// and a `Policy` built from `Parts` by hand skips every rule.
#[doc(hidden)]
pub mod __private {
    pub use crate::origin::{OriginTable, Pattern, PortPattern, Schemes};
    pub use crate::policy::{
        from_parts, parts, AllowHeaders, AllowMethods, Methods, Origins, Parts, Policy, PreflightStatus,
        RequestHeaders, Values,
    };
    pub use http;
    pub use std::borrow::Cow;
}
