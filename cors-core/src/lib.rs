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
#[cfg(feature = "serde")]
mod config;
mod diagnostics;
mod engine;
mod error;
mod http1;
mod live;
mod origin;
// TODO(merge): moves under origin/ as origin/request.rs.
mod origin_request;
mod policy;
#[cfg(any(feature = "tower", feature = "actix"))]
mod routes;
#[cfg(feature = "tower")]
pub mod tower;

#[cfg(feature = "serde")]
pub use config::Config;
pub use diagnostics::Explanation;
pub use engine::{
    AllowOrigin, Decision, Denial, Escaped, HeaderWriter, Headers, Kind, RawRequest, Request, RequestHeader,
    ResponseHeader, Source, Value, Vary, MAX_EMPTY_ELEMENTS, MAX_WHITESPACE_RUN,
};
pub use error::{Code, Error, Field, Problem};
pub use http1::{request_header_name, response_header_name, value as http1_value, Http1Request};
pub use live::LivePolicy;
pub use origin_request::Origin;
pub use policy::{Builder, Policy, Prebuilt};
#[cfg(any(feature = "tower", feature = "actix"))]
pub use routes::PolicyRef;

/// What an adapter for another stack needs: the header names the engine reads and
/// writes, the values it writes, and the [`HeaderWriter`] an
/// adapter implements over its framework's response headers.
///
/// Applications never need this module: `corsair::tower` and `corsair::actix` are
/// built on it, and [`Decision::apply`] is the framework-free API for `http` 1.
pub mod adapter {
    pub use crate::engine::{AllowOrigin, HeaderWriter, Headers, RequestHeader, ResponseHeader, Source, Value, Vary};
    pub use crate::http1::{request_header_name, response_header_name, value as http1_value};
    pub use crate::policy::Prebuilt;
}

#[doc = include_str!("rules.md")]
pub mod rules {}

/// Support for the `cors!` expansion. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::origin::{hash, OriginTable, Pattern, PortPattern};
    pub use crate::policy::{Methods, Origins, Policy, RequestHeaders, Values};
    pub use http;
    pub use std::borrow::Cow;
}
