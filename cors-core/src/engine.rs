//! The request engine: classify a request (RULES.md section 1), decide
//! (sections 2 and 3), and write the response headers with Vary merged (section 4).
//! It reads raw bytes and allocates nothing.

use std::fmt;

use crate::policy::{is_tchar, is_token, AllowHeaders, AllowMethods, Methods, Policy, Prebuilt};

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

/// The response headers the engine writes (and removes from handlers' responses).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResponseHeader {
    /// `Access-Control-Allow-Origin`
    AllowOrigin,
    /// `Access-Control-Allow-Credentials`
    AllowCredentials,
    /// `Access-Control-Allow-Methods`
    AllowMethods,
    /// `Access-Control-Allow-Headers`
    AllowHeaders,
    /// `Access-Control-Max-Age`
    MaxAge,
    /// `Access-Control-Allow-Private-Network`
    AllowPrivateNetwork,
    /// `Access-Control-Expose-Headers`
    ExposeHeaders,
    /// `Vary`
    Vary,
}

impl ResponseHeader {
    /// The CORS response headers: the policy is their one source, so a handler's are removed.
    pub const CORS: [ResponseHeader; 7] = [
        ResponseHeader::AllowOrigin,
        ResponseHeader::AllowCredentials,
        ResponseHeader::AllowMethods,
        ResponseHeader::AllowHeaders,
        ResponseHeader::MaxAge,
        ResponseHeader::AllowPrivateNetwork,
        ResponseHeader::ExposeHeaders,
    ];

    /// The lower-case header name.
    pub const fn name(self) -> &'static str {
        match self {
            ResponseHeader::AllowOrigin => "access-control-allow-origin",
            ResponseHeader::AllowCredentials => "access-control-allow-credentials",
            ResponseHeader::AllowMethods => "access-control-allow-methods",
            ResponseHeader::AllowHeaders => "access-control-allow-headers",
            ResponseHeader::MaxAge => "access-control-max-age",
            ResponseHeader::AllowPrivateNetwork => "access-control-allow-private-network",
            ResponseHeader::ExposeHeaders => "access-control-expose-headers",
            ResponseHeader::Vary => "vary",
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

/// Why a request was denied. Never sent to the client; for diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Denial {
    /// The origin is not allowed (or the `Origin` header is empty or too long).
    Origin,
    /// More than one `Origin` line.
    OriginRepeated,
    /// The requested method is not allowed.
    Method,
    /// `Access-Control-Request-Method` is not a single method token.
    MethodMalformed,
    /// A requested header name is not allowed: bytes `start..end` of the `line`-th
    /// `Access-Control-Request-Headers` line.
    Header {
        /// Which line (0-based).
        line: usize,
        /// Start of the name.
        start: usize,
        /// End of the name.
        end: usize,
    },
    /// `Access-Control-Request-Headers` is malformed at byte `at` of line `line`
    /// (a stray byte, too many empty elements or too much white space).
    HeadersMalformed {
        /// Which line (0-based).
        line: usize,
        /// Where scanning stopped.
        at: usize,
    },
    /// Private network access was requested and the policy does not allow it.
    PrivateNetwork,
    /// A per-route layer could not choose one policy for the request path: the
    /// path as received and as a router or normalizer may read it select
    /// different entries, or a route prefix given to `route()` is invalid
    /// (RULES.md section 7). The adapter's debug event names the path.
    Route,
}

/// What `Access-Control-Allow-Origin` says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AllowOrigin {
    /// `*`
    Any,
    /// The request's own `Origin` value, byte for byte.
    Echo,
}

/// Where a header's value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    /// The policy's prebuilt value.
    Prebuilt,
    /// The request's own lines of the matching `Access-Control-Request-*` header.
    Echo,
}

/// What `Vary` must cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Vary {
    /// `origin`
    Origin,
    /// `origin, access-control-request-method, access-control-request-headers`
    Preflight,
    /// The preflight set plus `access-control-request-private-network`.
    PreflightPrivateNetwork,
}

impl Vary {
    /// The tokens, lower-case.
    pub const fn tokens(self) -> &'static [&'static str] {
        match self {
            Vary::Origin => &["origin"],
            Vary::Preflight => &[
                "origin",
                "access-control-request-method",
                "access-control-request-headers",
            ],
            Vary::PreflightPrivateNetwork => &[
                "origin",
                "access-control-request-method",
                "access-control-request-headers",
                "access-control-request-private-network",
            ],
        }
    }

    /// The tokens joined, as one header value.
    pub const fn value(self) -> &'static str {
        match self {
            Vary::Origin => "origin",
            Vary::Preflight => "origin, access-control-request-method, access-control-request-headers",
            Vary::PreflightPrivateNetwork => {
                "origin, access-control-request-method, access-control-request-headers, access-control-request-private-network"
            }
        }
    }
}

/// The fixed set of CORS headers a decision calls for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Headers {
    /// `Access-Control-Allow-Origin`
    pub allow_origin: Option<AllowOrigin>,
    /// `Access-Control-Allow-Credentials: true`
    pub allow_credentials: bool,
    /// `Access-Control-Allow-Methods`
    pub allow_methods: Option<Source>,
    /// `Access-Control-Allow-Headers`
    pub allow_headers: Option<Source>,
    /// `Access-Control-Max-Age` (prebuilt)
    pub max_age: bool,
    /// `Access-Control-Allow-Private-Network: true`
    pub allow_private_network: bool,
    /// `Access-Control-Expose-Headers` (prebuilt)
    pub expose_headers: bool,
    /// `Vary`, merged with the response's own.
    pub vary: Option<Vary>,
}

/// The engine's answer for one request. Small and `Copy`; making it allocates nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[must_use]
pub struct Decision {
    kind: Kind,
    denial: Option<Denial>,
    /// Set for preflights only: the engine answers them itself.
    status: Option<u16>,
    headers: Headers,
}

impl Decision {
    /// How the request was classified.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Why the request was denied, if it was.
    pub fn denial(&self) -> Option<Denial> {
        self.denial
    }

    /// For a preflight, the status to answer with (the policy's 204 or 200, or 403 on
    /// denial), with an empty body; the handler must not run. `None` otherwise.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The headers to write.
    pub fn headers(&self) -> &Headers {
        &self.headers
    }

    /// The same request granted nothing, for a reason outside the policy
    /// (`Denial::Route`): no `Access-Control-Allow-*`, a preflight gets 403,
    /// `Vary` is kept.
    #[cfg(any(feature = "tower", feature = "actix"))]
    pub(crate) fn refused(self, denial: Denial) -> Decision {
        Decision {
            kind: self.kind,
            denial: Some(denial),
            status: if self.kind == Kind::Preflight { Some(403) } else { None },
            headers: Headers {
                vary: self.headers.vary,
                ..Headers::default()
            },
        }
    }

    /// Writes the headers: removes any CORS header already there (the policy is
    /// their one source), adds ours, merges `Vary`. Allocates nothing itself.
    ///
    /// A preflight's response is the engine's own, so it is written onto a fresh
    /// map: nothing to remove, nothing to merge.
    pub fn write<W: HeaderWriter>(&self, out: &mut W) {
        let fresh = self.kind == Kind::Preflight;
        if !fresh && out.has_cors_headers() {
            for name in ResponseHeader::CORS {
                out.remove(name);
            }
        }
        let h = &self.headers;
        match h.allow_origin {
            Some(AllowOrigin::Any) => out.append(ResponseHeader::AllowOrigin, Value::Star),
            Some(AllowOrigin::Echo) => out.echo(ResponseHeader::AllowOrigin, RequestHeader::Origin),
            None => {}
        }
        if h.allow_credentials {
            out.append(ResponseHeader::AllowCredentials, Value::True);
        }
        match h.allow_methods {
            Some(Source::Prebuilt) => out.append(ResponseHeader::AllowMethods, Value::Prebuilt(Prebuilt::AllowMethods)),
            Some(Source::Echo) => out.echo(ResponseHeader::AllowMethods, RequestHeader::RequestMethod),
            None => {}
        }
        match h.allow_headers {
            Some(Source::Prebuilt) => out.append(ResponseHeader::AllowHeaders, Value::Prebuilt(Prebuilt::AllowHeaders)),
            Some(Source::Echo) => out.echo(ResponseHeader::AllowHeaders, RequestHeader::RequestHeaders),
            None => {}
        }
        if h.max_age {
            out.append(ResponseHeader::MaxAge, Value::Prebuilt(Prebuilt::MaxAge));
        }
        if h.allow_private_network {
            out.append(ResponseHeader::AllowPrivateNetwork, Value::True);
        }
        if h.expose_headers {
            out.append(ResponseHeader::ExposeHeaders, Value::Prebuilt(Prebuilt::ExposeHeaders));
        }
        match h.vary {
            Some(vary) if fresh => out.append(ResponseHeader::Vary, Value::Vary(vary)),
            Some(vary) => merge_vary(vary, out),
            None => {}
        }
    }
}

/// A value the engine writes: constants, prebuilt policy values, or `Vary` tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    /// `*`
    Star,
    /// `true`
    True,
    /// One of the policy's prebuilt values.
    Prebuilt(Prebuilt),
    /// A `Vary` value (all the tokens of a set, joined).
    Vary(Vary),
    /// One `Vary` token (when the response already lists some of ours).
    VaryToken(&'static str),
}

/// A response's header map, seen by [`Decision::write`]. Each adapter implements it
/// over its framework's types, so the writing logic exists once.
pub trait HeaderWriter {
    /// Removes every line of `name`.
    fn remove(&mut self, name: ResponseHeader);
    /// Appends one line.
    fn append(&mut self, name: ResponseHeader, value: Value);
    /// Appends every line of the request's `from` header under `name`.
    fn echo(&mut self, name: ResponseHeader, from: RequestHeader);
    /// The response's current `Vary` lines.
    fn vary(&self) -> impl Iterator<Item = &[u8]>;
    /// Does the response hold any `Access-Control-*` header? When it cannot tell
    /// cheaply, `true`: the removals then run and find nothing.
    fn has_cors_headers(&self) -> bool {
        true
    }
}

/// Adds our `Vary` tokens without duplicating any (case-insensitive) and leaves `*` alone.
fn merge_vary<W: HeaderWriter>(vary: Vary, out: &mut W) {
    let tokens = vary.tokens();
    // One pass over the response's Vary lines: `*`, and which of our tokens are there.
    let mut present = [false; 4];
    for line in out.vary() {
        for t in line.split(|&b| b == b',').map(trim_ows) {
            if t == b"*" {
                return;
            }
            for (i, ours) in tokens.iter().enumerate() {
                present[i] |= t.eq_ignore_ascii_case(ours.as_bytes());
            }
        }
    }
    let present = &present[..tokens.len()];
    if !present.iter().any(|&p| p) {
        out.append(ResponseHeader::Vary, Value::Vary(vary));
        return;
    }
    for (t, _) in tokens.iter().zip(present).filter(|(_, &p)| !p) {
        out.append(ResponseHeader::Vary, Value::VaryToken(t));
    }
}

fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

/// At most this many empty elements in `Access-Control-Request-Headers`, all lines together.
pub(crate) const MAX_EMPTY_ELEMENTS: usize = 16;
/// At most this many white-space bytes in a row in `Access-Control-Request-Headers`.
pub(crate) const MAX_WHITESPACE_RUN: usize = 16;

impl Policy {
    /// Classifies and decides a request. Allocates nothing; work is linear in the
    /// size of the headers read, and bounded far below that for hostile ones.
    pub fn decide<R: Request>(&self, req: &R) -> Decision {
        let mut origins = req.lines(RequestHeader::Origin);
        let Some(origin) = origins.next() else {
            return self.not_cors();
        };
        let repeated = origins.next().is_some();
        // The non-empty `Access-Control-Request-Method` lines, read once: (first, is there another).
        let requested_method = match req.method() {
            b"OPTIONS" => {
                let mut lines = req.lines(RequestHeader::RequestMethod).filter(|l| !l.is_empty());
                lines.next().map(|m| (m, lines.next().is_some()))
            }
            _ => None,
        };
        let origin_denial = match (self.is_any_origin(), repeated) {
            (true, _) => None,
            (false, true) => Some(Denial::OriginRepeated),
            (false, false) if self.allows_origin(origin) => None,
            (false, false) => Some(Denial::Origin),
        };
        let decision = match requested_method {
            Some(method) => self.preflight(req, method, origin_denial),
            None => self.actual(origin_denial),
        };
        #[cfg(feature = "tracing")]
        if decision.denial.is_some() {
            crate::diagnostics::trace_denial(self, req, &decision);
        }
        decision
    }

    fn allow_origin(&self) -> AllowOrigin {
        if self.is_any_origin() {
            AllowOrigin::Any
        } else {
            AllowOrigin::Echo
        }
    }

    fn not_cors(&self) -> Decision {
        let headers = if self.is_any_origin() {
            Headers {
                allow_origin: Some(AllowOrigin::Any),
                expose_headers: self.parts.values.expose_headers.is_some(),
                ..Headers::default()
            }
        } else {
            Headers {
                vary: Some(Vary::Origin),
                ..Headers::default()
            }
        };
        Decision {
            kind: Kind::NotCors,
            denial: None,
            status: None,
            headers,
        }
    }

    fn actual(&self, denial: Option<Denial>) -> Decision {
        let vary = (!self.is_any_origin()).then_some(Vary::Origin);
        let headers = match denial {
            Some(_) => Headers {
                vary,
                ..Headers::default()
            },
            None => Headers {
                allow_origin: Some(self.allow_origin()),
                allow_credentials: self.parts.credentials,
                expose_headers: self.parts.values.expose_headers.is_some(),
                vary,
                ..Headers::default()
            },
        };
        Decision {
            kind: Kind::Actual,
            denial,
            status: None,
            headers,
        }
    }

    fn preflight<R: Request>(&self, req: &R, method: (&[u8], bool), origin_denial: Option<Denial>) -> Decision {
        let vary = Some(if self.parts.private_network {
            Vary::PreflightPrivateNetwork
        } else {
            Vary::Preflight
        });
        let deny = |denial| Decision {
            kind: Kind::Preflight,
            denial: Some(denial),
            status: Some(403),
            headers: Headers {
                vary,
                ..Headers::default()
            },
        };
        if let Some(d) = origin_denial {
            return deny(d);
        }
        if let Err(d) = self.check_method(method) {
            return deny(d);
        }
        let listed = match self.check_request_headers(req.lines(RequestHeader::RequestHeaders)) {
            Ok(listed) => listed,
            Err(d) => return deny(d),
        };
        let pna = req
            .lines(RequestHeader::RequestPrivateNetwork)
            .any(|l| l.eq_ignore_ascii_case(b"true"));
        if pna && !self.parts.private_network {
            return deny(Denial::PrivateNetwork);
        }
        let allow_methods = match self.parts.values.allow_methods {
            AllowMethods::Prebuilt(_) => Source::Prebuilt,
            AllowMethods::Echo => Source::Echo,
        };
        let allow_headers = match (listed, &self.parts.values.allow_headers) {
            (false, _) | (true, AllowHeaders::Never) => None,
            (true, AllowHeaders::Prebuilt(_)) => Some(Source::Prebuilt),
            (true, AllowHeaders::Echo) => Some(Source::Echo),
        };
        let headers = Headers {
            allow_origin: Some(self.allow_origin()),
            allow_credentials: self.parts.credentials,
            allow_methods: Some(allow_methods),
            allow_headers,
            max_age: self.parts.values.max_age.is_some(),
            allow_private_network: pna,
            expose_headers: false,
            vary,
        };
        Decision {
            kind: Kind::Preflight,
            denial: None,
            status: Some(self.parts.preflight_status.as_u16()),
            headers,
        }
    }

    fn check_method(&self, (method, repeated): (&[u8], bool)) -> Result<(), Denial> {
        if repeated || !is_token(method) {
            return Err(Denial::MethodMalformed);
        }
        // Safelisted methods always pass [#cors-safelisted-method]; methods are case-sensitive.
        let allowed = matches!(method, b"GET" | b"HEAD" | b"POST")
            || match &self.parts.methods {
                Methods::Any => true,
                Methods::List(list) => list.iter().any(|m| m.as_bytes() == method),
            };
        if allowed {
            Ok(())
        } else {
            Err(Denial::Method)
        }
    }

    /// Scans `Access-Control-Request-Headers` in one pass with no allocation,
    /// stopping at the first name not allowed. Returns whether any name was listed.
    fn check_request_headers<'a>(&self, lines: impl Iterator<Item = &'a [u8]>) -> Result<bool, Denial> {
        let rules = &self.parts.headers;
        let mut listed = false;
        let mut empties = 0;
        for (line_no, line) in lines.enumerate() {
            let malformed = |at| Denial::HeadersMalformed { line: line_no, at };
            let n = line.len();
            let mut i = 0;
            loop {
                let ws = i;
                while i < n && matches!(line[i], b' ' | b'\t') {
                    i += 1;
                    if i - ws > MAX_WHITESPACE_RUN {
                        return Err(malformed(i));
                    }
                }
                let start = i;
                while i < n && is_tchar(line[i]) {
                    i += 1;
                    // Without `*`, a name longer than every listed one is refused right away.
                    if !rules.any && i - start > rules.max_len {
                        return Err(Denial::Header {
                            line: line_no,
                            start,
                            end: i,
                        });
                    }
                }
                let end = i;
                let ws = i;
                while i < n && matches!(line[i], b' ' | b'\t') {
                    i += 1;
                    if i - ws > MAX_WHITESPACE_RUN {
                        return Err(malformed(i));
                    }
                }
                if i < n && line[i] != b',' {
                    return Err(malformed(i));
                }
                if start == end {
                    empties += 1;
                    if empties > MAX_EMPTY_ELEMENTS {
                        return Err(malformed(i));
                    }
                } else if self.allows_request_header(&line[start..end]) {
                    listed = true;
                } else {
                    return Err(Denial::Header {
                        line: line_no,
                        start,
                        end,
                    });
                }
                if i >= n {
                    break;
                }
                i += 1;
            }
        }
        Ok(listed)
    }

    /// Is this request header name allowed (case-insensitive)? `*` covers every
    /// name but `authorization` [#cors-non-wildcard-request-header-name].
    pub fn allows_request_header(&self, name: &[u8]) -> bool {
        let rules = &self.parts.headers;
        if rules.names.iter().any(|n| n.as_bytes().eq_ignore_ascii_case(name)) {
            return true;
        }
        rules.any && !name.eq_ignore_ascii_case(b"authorization")
    }
}

/// Shows a byte string from a request, escaped and cut to `max` bytes: it is attacker-controlled.
#[derive(Clone, Copy)]
pub(crate) struct Escaped<'a> {
    bytes: &'a [u8],
    max: usize,
}

impl<'a> Escaped<'a> {
    /// At most `max` bytes of `bytes`, escaped.
    pub(crate) fn new(bytes: &'a [u8], max: usize) -> Self {
        Escaped { bytes, max }
    }
}

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cut = self.bytes.len().min(self.max);
        write!(f, "{}", self.bytes[..cut].escape_ascii())?;
        if cut < self.bytes.len() {
            write!(f, "...({} bytes)", self.bytes.len())?;
        }
        Ok(())
    }
}
