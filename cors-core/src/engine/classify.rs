//! Classifying a request (not CORS, preflight, actual) from the raw lines of the
//! few headers the engine reads, over any stack's request type.

use crate::engine::{AllowOrigin, Decision, Denial};
use crate::policy::Policy;

/// The request headers the engine reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RequestHeader {
    /// `Origin`
    Origin,
    /// `Access-Control-Request-Method`
    RequestMethod,
    /// `Access-Control-Request-Headers`
    RequestHeaders,
    /// `Access-Control-Request-Private-Network`
    RequestPrivateNetwork,
}

impl RequestHeader {
    /// The lower-case header name.
    pub const fn name(self) -> &'static str {
        match self {
            RequestHeader::Origin => "origin",
            RequestHeader::RequestMethod => "access-control-request-method",
            RequestHeader::RequestHeaders => "access-control-request-headers",
            RequestHeader::RequestPrivateNetwork => "access-control-request-private-network",
        }
    }
}

/// What the engine needs of a request: its method and the raw lines of a few headers.
///
/// Implemented for `http` 1 requests; adapters on other stacks implement it
/// over their own types. [`RawRequest`] takes plain byte slices.
pub trait Request {
    /// The method, as received (case-sensitive).
    fn method(&self) -> &[u8];
    /// Every line of this header, in order (none when absent).
    fn lines(&self, name: RequestHeader) -> impl Iterator<Item = &[u8]>;
}

/// A request as plain bytes: any method, any header names and values, CR, LF and NUL included.
///
/// ```
/// use corsair_core::{Kind, Policy, RawRequest};
///
/// let policy = Policy::builder().allow_origins(["https://app.example.com"]).build()?;
/// let req = RawRequest {
///     method: b"OPTIONS",
///     headers: &[(b"Origin", b"https://app.example.com"), (b"Access-Control-Request-Method", b"DELETE")],
/// };
/// let d = policy.decide(&req);
/// assert_eq!(d.kind(), Kind::Preflight);
/// assert_eq!(d.status(), Some(403)); // DELETE is not allowed
/// # Ok::<(), corsair_core::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct RawRequest<'a> {
    /// The method bytes.
    pub method: &'a [u8],
    /// Header lines, names compared case-insensitively.
    pub headers: &'a [(&'a [u8], &'a [u8])],
}

impl Request for RawRequest<'_> {
    fn method(&self) -> &[u8] {
        self.method
    }

    fn lines(&self, name: RequestHeader) -> impl Iterator<Item = &[u8]> {
        let name = name.name().as_bytes();
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }
}

/// How a request was classified (RULES.md section 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// No `Origin` header: the handler runs.
    NotCors,
    /// `OPTIONS` with `Origin` and a non-empty `Access-Control-Request-Method`: the engine answers.
    Preflight,
    /// Any other request with `Origin`: the handler runs, CORS headers are added.
    Actual,
}

/// A preflight's `Access-Control-Request-Method`, read once.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RequestedMethod<'a> {
    /// The first non-empty line.
    pub(crate) value: &'a [u8],
    /// Another non-empty line follows.
    pub(crate) repeated: bool,
    /// It is the header's only line (no empty ones either): what an echo may copy.
    pub(crate) single_line: bool,
}

impl Policy {
    /// Classifies and decides a request, with no diagnostics: [`Policy::decide`]
    /// (in `diagnostics`) wraps this with the `tracing` event, so the engine never
    /// depends on diagnostics.
    pub(crate) fn decide_untraced<R: Request>(&self, req: &R) -> Decision {
        let mut origins = req.lines(RequestHeader::Origin);
        let Some(origin) = origins.next() else {
            return self.not_cors();
        };
        let repeated = origins.next().is_some();
        let requested_method = match req.method() {
            b"OPTIONS" => requested_method(req),
            _ => None,
        };
        let allow_origin = match (self.is_any_origin(), repeated) {
            (true, _) => Ok(AllowOrigin::Any),
            (false, true) => Err(Denial::OriginRepeated),
            (false, false) => self.allow_origin_for(origin).ok_or(Denial::Origin),
        };
        match requested_method {
            Some(method) => self.preflight(req, method, allow_origin),
            None => self.actual(allow_origin),
        }
    }
}

/// The non-empty `Access-Control-Request-Method` lines, read once; `None` when there is none.
fn requested_method<R: Request>(req: &R) -> Option<RequestedMethod<'_>> {
    let (mut first, mut lines) = (None, 0usize);
    for line in req.lines(RequestHeader::RequestMethod) {
        lines += 1;
        if line.is_empty() {
            continue;
        }
        match first {
            None => first = Some(line),
            Some(value) => {
                return Some(RequestedMethod {
                    value,
                    repeated: true,
                    single_line: false,
                })
            }
        }
    }
    first.map(|value| RequestedMethod {
        value,
        repeated: false,
        single_line: lines == 1,
    })
}
