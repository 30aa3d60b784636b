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

    /// The first `Origin` line, and whether another follows: all that a request
    /// other than `OPTIONS` is read for. The default takes two lines of
    /// [`Request::lines`]; override it where the stack knows a cheaper way (an
    /// `http` 1 map in which no name repeats needs one lookup, or for a few lines
    /// a walk).
    fn origin_line(&self) -> Option<(&[u8], bool)> {
        let mut lines = self.lines(RequestHeader::Origin);
        let first = lines.next()?;
        Some((first, lines.next().is_some()))
    }

    /// Calls `f` with every line of the four headers the engine reads, each with
    /// its header, a header's lines in order. The engine reads a preflight with
    /// this, once, instead of four [`Request::lines`] lookups, when
    /// [`Request::walks`] says so; the default makes those four. Override both
    /// where one walk over the request's header lines is cheaper than four
    /// lookups (the `http` 1 requests do, for maps of a few dozen lines).
    fn each_line<'a>(&'a self, mut f: impl FnMut(RequestHeader, &'a [u8])) {
        for h in [
            RequestHeader::Origin,
            RequestHeader::RequestMethod,
            RequestHeader::RequestHeaders,
            RequestHeader::RequestPrivateNetwork,
        ] {
            for line in self.lines(h) {
                f(h, line);
            }
        }
    }

    /// Does the engine read this request's preflight with one [`Request::each_line`]
    /// walk (`true`), or with [`Request::lines`] per header (`false`, the default)?
    /// A walk visits every header line, so answer `true` only when the request has
    /// few lines (the `http` 1 requests: at most 32). Looked up, the work does not
    /// grow with lines the engine does not read, such as an attacker's 1,024
    /// `Access-Control-Request-Headers` lines past the length cap.
    fn walks(&self) -> bool {
        false
    }
}

/// The `http` 1 requests walk their header map (a name comparison a line) for a
/// preflight of at most this many lines, and look the headers up above it.
pub(crate) const WALK_MAX: usize = 32;

/// An `http` 1 request of at most this many lines, none of whose names repeats,
/// finds its `Origin` with a walk (cheaper, for so few lines, than hashing the
/// name); above it, with one lookup.
pub(crate) const WALK_ORIGIN_MAX: usize = 6;

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

/// What a preflight's headers said, read in one pass ([`Request::each_line`]).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Seen<'a> {
    origin: Option<&'a [u8]>,
    /// How many `Origin` lines (looked up: 2 for two or more).
    origins: usize,
    /// The first non-empty `Access-Control-Request-Method` line.
    method: Option<&'a [u8]>,
    methods: usize,
    method_lines: usize,
    /// The first `Access-Control-Request-Headers` line, and how many there are
    /// (`header_lines` is `None` when the request was looked up, not walked: the
    /// scan then reads the lines itself, [`Request::lines`], as far as it needs).
    pub(crate) headers: Option<&'a [u8]>,
    pub(crate) header_lines: Option<usize>,
    /// An `Access-Control-Request-Private-Network: true` line; `None` when not
    /// read yet (looked up only once the earlier checks pass).
    pub(crate) private_network: Option<bool>,
}

impl<'a> Seen<'a> {
    fn read<R: Request>(req: &'a R) -> Self {
        let mut s = Seen::default();
        if !req.walks() {
            s.look_up(req);
            return s;
        }
        let (mut lines, mut pna) = (0, false);
        req.each_line(|h, line| match h {
            RequestHeader::Origin => s.origin(line),
            RequestHeader::RequestMethod => s.method(line),
            RequestHeader::RequestHeaders => {
                s.headers = s.headers.or(Some(line));
                lines += 1;
            }
            RequestHeader::RequestPrivateNetwork => pna |= line.eq_ignore_ascii_case(b"true"),
        });
        s.header_lines = Some(lines);
        s.private_network = Some(pna);
        s
    }

    /// Reads with a lookup each what classifying needs: the first two `Origin`
    /// lines and the method lines. `Access-Control-Request-Headers` is left to the
    /// scan, which stops at the length cap, and private network to the last check
    /// ([`Seen::private_network`]).
    fn look_up<R: Request>(&mut self, req: &'a R) {
        for line in req.lines(RequestHeader::Origin).take(2) {
            self.origin(line);
        }
        for line in req.lines(RequestHeader::RequestMethod) {
            self.method(line);
        }
    }

    /// Did the request carry `Access-Control-Request-Private-Network: true`?
    /// Read with the walk, or looked up now.
    pub(crate) fn private_network<R: Request>(&self, req: &R) -> bool {
        self.private_network.unwrap_or_else(|| {
            req.lines(RequestHeader::RequestPrivateNetwork)
                .any(|line| line.eq_ignore_ascii_case(b"true"))
        })
    }

    fn origin(&mut self, line: &'a [u8]) {
        self.origin = self.origin.or(Some(line));
        self.origins += 1;
    }

    fn method(&mut self, line: &'a [u8]) {
        self.method_lines += 1;
        if !line.is_empty() {
            self.method = self.method.or(Some(line));
            self.methods += 1;
        }
    }

    /// The non-empty `Access-Control-Request-Method` lines; `None` when there is none.
    fn requested_method(&self) -> Option<RequestedMethod<'a>> {
        self.method.map(|value| RequestedMethod {
            value,
            repeated: self.methods > 1,
            single_line: self.methods == 1 && self.method_lines == 1,
        })
    }
}

impl Policy {
    /// Classifies and decides a request, with no diagnostics: [`Policy::decide`]
    /// (in `diagnostics`) wraps this with the `tracing` event, so the engine never
    /// depends on diagnostics. A request other than `OPTIONS` needs only its
    /// `Origin` lines ([`Request::origin_line`]); an `OPTIONS` one is read in one
    /// pass, or with a lookup per header ([`Request::walks`]).
    pub(crate) fn decide_untraced<R: Request>(&self, req: &R) -> Decision {
        if req.method() != b"OPTIONS" {
            let Some((origin, repeated)) = req.origin_line() else {
                return self.not_cors();
            };
            return self.actual(self.origin_answer(origin, repeated));
        }
        self.decide_options(req)
    }

    /// An `OPTIONS` request: a preflight, or an actual request without a method
    /// to ask for. Out of line, so that other requests' path stays small.
    #[inline(never)]
    fn decide_options<R: Request>(&self, req: &R) -> Decision {
        let seen = Seen::read(req);
        let Some(origin) = seen.origin else {
            return self.not_cors();
        };
        let allow_origin = self.origin_answer(origin, seen.origins > 1);
        match seen.requested_method() {
            Some(method) => self.preflight(req, method, &seen, allow_origin),
            None => self.actual(allow_origin),
        }
    }

    /// The `Access-Control-Allow-Origin` an origin gets, or why it gets none.
    #[inline]
    fn origin_answer(&self, origin: &[u8], repeated: bool) -> Result<AllowOrigin, Denial> {
        match (self.is_any_origin(), repeated) {
            (true, _) => Ok(AllowOrigin::Any),
            (false, true) => Err(Denial::OriginRepeated),
            (false, false) => self.allow_origin_for(origin).ok_or(Denial::Origin),
        }
    }
}

#[cfg(test)]
#[path = "classify_tests.rs"]
mod tests;
