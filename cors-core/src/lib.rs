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
mod bytes;
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
    pub use crate::__corsair_policy as policy;
    #[cfg(feature = "actix")]
    pub use crate::adapter::http02::{actix_values, ActixValues};
    pub use crate::origin::{OriginTable, Pattern, PortPattern, Schemes};
    #[cfg(feature = "actix")]
    pub use crate::policy::from_parts_actix;
    pub use crate::policy::{
        from_parts, parts, AllowHeaders, AllowMethods, Methods, Origins, Parts, Policy, PreflightStatus,
        RequestHeaders, Values,
    };
    /// actix-web's `http` (0.2), for the actix adapter's prebuilt values.
    #[cfg(feature = "actix")]
    pub use actix_web::http as http02;
    pub use http;
    pub use std::borrow::Cow;
}

/// The `cors!` expansion's last step, `policy!(PARTS; origins: N [TEXT, ...],
/// allow_methods: OPTION, allow_headers: OPTION, expose_headers: OPTION,
/// max_age: OPTION)`: the policy of `PARTS`, with, when this crate is built with
/// the actix adapter, its `http` 0.2 values built at compile time (the origins'
/// texts and the prebuilt values' `Option<&str>`s). The proc macro cannot see
/// this crate's features; this macro is defined for them.
#[cfg(feature = "actix")]
#[doc(hidden)]
#[macro_export]
macro_rules! __corsair_policy {
    (
        $parts:expr;
        origins: $n:literal [$($origin:literal),*],
        allow_methods: $allow_methods:expr,
        allow_headers: $allow_headers:expr,
        expose_headers: $expose_headers:expr,
        max_age: $max_age:expr
    ) => {
        $crate::__private::from_parts_actix($parts, {
            #[allow(long_running_const_eval)]
            static ORIGINS: [$crate::__private::http02::header::HeaderValue; $n] =
                [$($crate::__private::http02::header::HeaderValue::from_static($origin)),*];
            static ACTIX: $crate::__private::ActixValues = $crate::__private::actix_values(
                $allow_methods,
                $allow_headers,
                $expose_headers,
                $max_age,
                &ORIGINS,
            );
            &ACTIX
        })
    };
}

/// The `cors!` expansion's last step (see the `actix` build of this macro).
#[cfg(not(feature = "actix"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __corsair_policy {
    ($parts:expr; $($actix:tt)*) => {
        $crate::__private::from_parts($parts)
    };
}
