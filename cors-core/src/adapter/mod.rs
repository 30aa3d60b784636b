//! What an adapter for another stack needs: the header names the engine reads
//! and writes, the values it writes, and the [`HeaderWriter`] an adapter
//! implements over its framework's response headers.
//!
//! Applications never need this module: `corsair::tower` and `corsair::actix`
//! are built on it, and [`Decision::apply`](crate::Decision::apply) is the
//! framework-free API for `http` 1 (hyper, lambda_http, any `http`-based stack).
//!
//! An adapter does three things per request:
//!
//! 1. Implement [`Request`](crate::Request) over its request type (or build a
//!    [`RawRequest`](crate::RawRequest)) and call
//!    [`Policy::decide`](crate::Policy::decide).
//! 2. For a preflight ([`Decision::status`](crate::Decision::status) is `Some`),
//!    answer with that status and an empty body without calling the handler;
//!    otherwise call the handler.
//! 3. Call [`Decision::write`](crate::Decision::write) with a [`HeaderWriter`]
//!    over the response's headers: it removes the handler's CORS headers,
//!    appends the policy's and merges `Vary`.
//!
//! ```
//! use corsair_core::adapter::{HeaderWriter, RequestHeader, ResponseHeader, Value};
//! use corsair_core::{Policy, RawRequest};
//!
//! /// A response's headers in a stack of our own: (name, value) pairs.
//! struct Lines<'a> {
//!     policy: &'a Policy,
//!     request: &'a RawRequest<'a>,
//!     response: Vec<(&'static str, String)>,
//! }
//!
//! impl HeaderWriter for Lines<'_> {
//!     fn remove(&mut self, name: ResponseHeader) {
//!         self.response.retain(|(n, _)| !n.eq_ignore_ascii_case(name.name()));
//!     }
//!     fn append(&mut self, name: ResponseHeader, value: Value) {
//!         let bytes: &[u8] = match value {
//!             Value::Star => b"*",
//!             Value::True => b"true",
//!             Value::Vary(vary) => vary.value().as_bytes(),
//!             Value::VaryToken(token) => token.as_bytes(),
//!             Value::Prebuilt(p) => match self.policy.prebuilt(p) {
//!                 Some(v) => v.as_bytes(),
//!                 None => return,
//!             },
//!         };
//!         self.response.push((name.name(), String::from_utf8_lossy(bytes).into_owned()));
//!     }
//!     fn echo(&mut self, name: ResponseHeader, from: RequestHeader) {
//!         use corsair_core::Request;
//!         for line in self.request.lines(from) {
//!             self.response.push((name.name(), String::from_utf8_lossy(line).into_owned()));
//!         }
//!     }
//!     fn vary(&self) -> impl Iterator<Item = &[u8]> {
//!         self.response.iter().filter(|(n, _)| *n == "vary").map(|(_, v)| v.as_bytes())
//!     }
//! }
//!
//! let policy = Policy::builder().allow_origins(["https://app.example.com"]).build()?;
//! let request = RawRequest { method: b"GET", headers: &[(b"origin", b"https://app.example.com")] };
//! let decision = policy.decide(&request);
//! let mut out = Lines { policy: &policy, request: &request, response: vec![("vary", "accept".into())] };
//! decision.write(&mut out);
//! assert_eq!(out.response, [
//!     ("vary", "accept".to_string()),
//!     ("access-control-allow-origin", "https://app.example.com".to_string()),
//!     ("vary", "origin".to_string()), // merged with the handler's `Vary`: added once
//! ]);
//! # Ok::<(), corsair_core::Error>(())
//! ```
//!
//! These items live here, not at the crate root, which keeps what an application writes:
//!
//! ```compile_fail,E0432
//! use corsair_core::HeaderWriter; // use corsair_core::adapter::HeaderWriter
//! ```

#[macro_use]
mod writer;
#[cfg(feature = "actix")]
pub(crate) mod http02;
pub(crate) mod http1;

pub use crate::engine::{AllowOrigin, HeaderWriter, Headers, RequestHeader, ResponseHeader, Source, Value, Vary};
pub use crate::policy::Prebuilt;

/// ```
/// use corsair_core::adapter::{request_header_name, RequestHeader};
///
/// assert_eq!(request_header_name(RequestHeader::Origin), http::header::ORIGIN);
/// assert_eq!(
///     request_header_name(RequestHeader::RequestPrivateNetwork),
///     "access-control-request-private-network",
/// );
/// ```
pub use http1::request_header_name;

/// ```
/// use corsair_core::adapter::{response_header_name, ResponseHeader};
///
/// assert_eq!(response_header_name(ResponseHeader::Vary), http::header::VARY);
/// assert_eq!(
///     response_header_name(ResponseHeader::AllowPrivateNetwork),
///     "access-control-allow-private-network",
/// );
/// ```
pub use http1::response_header_name;

/// ```
/// use corsair_core::adapter::{http1_value, Prebuilt, Value, Vary};
/// use corsair_core::Policy;
///
/// let policy = Policy::builder()
///     .allow_origins(["https://app.example.com"])
///     .allow_methods(["GET", "PUT"])
///     .build()?;
/// assert_eq!(http1_value(&policy, Value::Star).unwrap(), "*");
/// assert_eq!(http1_value(&policy, Value::Vary(Vary::Origin)).unwrap(), "origin");
/// assert_eq!(http1_value(&policy, Value::Prebuilt(Prebuilt::AllowMethods)).unwrap(), "GET, PUT");
/// assert_eq!(http1_value(&policy, Value::Prebuilt(Prebuilt::MaxAge)), None); // no max_age set
/// # Ok::<(), corsair_core::Error>(())
/// ```
pub use http1::value as http1_value;
