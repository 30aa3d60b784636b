//! Why a browser blocks a cross-origin request, worked out from plain data: the
//! request the page made and the responses it got. The checks follow the WHATWG
//! Fetch Standard and Chromium's implementation of it (its order, its names), so
//! every [`Finding`] names Chromium's `Network.CorsError`, the failed parameter,
//! the console message a developer sees, and a fix naming the likely cause.
//!
//! There is no networking here: a live probe supplies a [`Transport`] that sends
//! HTTP (the `corsair` command does), a HAR export is replayed by [`har::analyze`].
//!
//! ```
//! use corsair_doctor::{run, Credentials, Hop, PageRequest, ResponseHead, Transport, Verdict};
//!
//! /// A server that answers every preflight 404, as a catch-all route without OPTIONS does.
//! struct NoOptionsRoute;
//! impl Transport for NoOptionsRoute {
//!     type Error = std::convert::Infallible;
//!     fn send(&mut self, hop: &Hop) -> Result<Option<ResponseHead>, Self::Error> {
//!         let status = if hop.method == "OPTIONS" { 404 } else { 200 };
//!         Ok(Some(ResponseHead { status, ..ResponseHead::default() }))
//!     }
//! }
//!
//! let request = PageRequest {
//!     url: "https://api.example.com/items".into(),
//!     method: "PUT".into(),
//!     origin: "https://app.example.com".into(),
//!     headers: vec![("content-type".into(), "application/json".into())],
//!     credentials: Credentials::Omit,
//! };
//! let finding = run(&request, &mut NoOptionsRoute).unwrap();
//! assert_eq!(finding.verdict, Verdict::Blocked);
//! assert_eq!(finding.cors_error.unwrap().name(), "PreflightMissingAllowOriginHeader");
//! assert!(finding.fix.contains("no OPTIONS route"));
//! ```
#![deny(unsafe_code, unreachable_pub)]
#![warn(missing_docs)]

/// The README's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod check;
mod cors_error;
mod finding;
mod flow;
pub mod har;
mod request;

pub use check::{check_access, check_preflight, check_redirect_location, Blocked, ResponseHead, Warning};
pub use cors_error::CorsError;
pub use finding::{console_message, Finding, Step, Verdict};
pub use flow::{run, FlowError, Hop, HopKind, Transport, MAX_REDIRECTS};
pub use request::{
    is_forbidden_header, is_safelisted_header, is_safelisted_method, normalize_method, preflight_for,
    unsafe_header_names, Credentials, PageRequest, Preflight,
};

/// `{"requests": [...]}`, the `--json` report.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Report {
    /// One finding per cross-origin request.
    pub requests: Vec<Finding>,
}

impl Report {
    /// 0 when every request is allowed, 1 when one is blocked.
    pub fn exit_code(&self) -> i32 {
        i32::from(self.requests.iter().any(|f| f.verdict == Verdict::Blocked))
    }
}
