#![cfg_attr(
    not(all(feature = "tower", feature = "actix", feature = "serde")),
    doc = r#"Cross-Origin Resource Sharing for Rust: a policy written once in a `cors! { ... }`
block, refused at compile time when it cannot work or is unsafe, compiled into
matchers that allocate nothing per request, and answered as the Fetch Standard says
by one engine behind thin adapters for axum (any tower service, feature `tower`) and
actix-web (feature `actix`).

```
use corsair::{cors, Policy};

static API: Policy = cors! {
    allow_origins: ["https://app.example.com", "https://*.example.com"],
    allow_methods: [GET, POST, PUT, DELETE],
    allow_headers: ["content-type"],
};
assert!(API.allows_origin(b"https://eu.example.com"));
```

The README (this page when every feature is on, as on docs.rs) walks through a
policy, both adapters, run-time policies and what the engine does; [`rules`] is the
full contract."#
)]
// With every feature on (docs.rs, and the test command), the crate's page is the
// README, and its Rust blocks run as doctests.
#![cfg_attr(all(feature = "tower", feature = "actix", feature = "serde"), doc = include_str!("../README.md"))]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(unsafe_code, unreachable_pub)]
#![warn(missing_docs)]

pub use corsair_core::{
    Builder, Code, Decision, Denial, Error, Explanation, Field, Kind, LivePolicy, Origin, Policy, Problem, RawRequest,
    Request,
};

#[cfg(feature = "serde")]
pub use corsair_core::{ApiGatewayDocument, Config, Dialect};

#[cfg(any(feature = "tower", feature = "actix"))]
pub use corsair_core::PolicyRef;

pub use corsair_core::{adapter, rules};

#[cfg(feature = "tower")]
pub use corsair_core::tower;

#[cfg(feature = "actix")]
pub use corsair_core::actix;

/// A CORS policy checked when the program compiles.
///
/// Declare it `static`: adapters take `&'static Policy`. Keys may come in any
/// order, each at most once, and trailing commas are fine.
///
/// | key | value | when omitted |
/// |---|---|---|
/// | `allow_origins` | `["https://app.example.com", "https://*.example.com", "http://localhost:*"]` or `*` | refused: it is required |
/// | `allow_methods` | `[GET, PUT]` or `["GET", "PUT"]` or `*` | GET, HEAD and POST |
/// | `allow_headers` | `["content-type", "authorization"]` or `*` | none besides the safelisted ones |
/// | `expose_headers` | `["x-request-id"]` or `*` | none |
/// | `allow_credentials` | `true` or `false` | `false` |
/// | `max_age` | seconds, at most 86400 | no `Access-Control-Max-Age` |
/// | `allow_private_network` | `true` or `false` | `false` |
/// | `preflight_status` | `204` or `200` | `204` |
/// | `dangerously_allow_insecure_origins` | `true` or `false` | `false` |
/// | `dangerously_allow_public_suffix_wildcards` | `true` or `false` | `false` |
///
/// ```
/// use corsair::{cors, Policy};
///
/// static API: Policy = cors! {
///     allow_origins: ["https://app.example.com", "https://*.example.com", "http://localhost:*"],
///     allow_methods: [GET, POST, PUT, PATCH, DELETE],
///     allow_headers: ["content-type", "authorization"],
///     expose_headers: ["x-request-id"],
///     allow_credentials: true,
///     max_age: 600,
/// };
///
/// assert!(API.allows_origin(b"https://eu.example.com"));
/// assert!(!API.allows_origin(b"https://example.com.evil.com"));
/// ```
///
/// Every policy the run-time [`Policy::builder`] would refuse is a compile
/// error here, on the offending token, all of them in one compile. Any origin
/// together with credentials, for one, would let every site read your users' data:
///
/// ```compile_fail
/// use corsair::{cors, Policy};
///
/// static API: Policy = cors! {
///     allow_origins: *,
///     allow_credentials: true, // error: credentials cannot be allowed for every origin
/// };
/// ```
///
/// The values are literals, written in the block: `cors!` checks them when the
/// program compiles, so it cannot read a constant (`allow_origins: ORIGINS`) or
/// a `Duration` (write `max_age: 600`). For a policy known only at run time,
/// use [`Policy::builder`] or a config file. An empty `cors! {}` has no token
/// of yours to point at (a macro is not given its braces), so its error, the
/// missing `allow_origins`, is on the `cors! {}` call itself.
///
/// # Declare it `static`, not `const`
///
/// The adapters keep the policy as long as the server runs, so they take a
/// `&'static Policy`. `&API` of a `static` is one; `&API` of a `const` is a
/// temporary copy, dropped at the end of the statement, and rustc refuses it
/// with E0716, "temporary value dropped while borrowed".
#[cfg_attr(
    feature = "tower",
    doc = r##"
```compile_fail,E0716
use corsair::{cors, tower::CorsLayer, Policy};

const API: Policy = cors! { allow_origins: ["https://app.example.com"] };

let layer = CorsLayer::new(&API); // error[E0716]: temporary value dropped while borrowed
```

Write `static` instead, and the same line compiles:

```
use corsair::{cors, tower::CorsLayer, Policy};

static API: Policy = cors! { allow_origins: ["https://app.example.com"] };

let layer = CorsLayer::new(&API);
```
"##
)]
#[cfg(feature = "macros")]
#[macro_export]
macro_rules! cors {
    ($($policy:tt)*) => {
        $crate::__private::cors_impl!($crate; $($policy)*)
    };
}

/// Support for macro expansions. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use corsair_core::__private::*;
    #[cfg(feature = "macros")]
    pub use corsair_macros::cors_impl;
}
