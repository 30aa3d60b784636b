//! The request engine: classify a request (RULES.md section 1), decide (sections
//! 2 and 3), and write the response headers with `Vary` merged (section 4).
//! It reads raw bytes and allocates nothing; it knows nothing of diagnostics.

mod classify;
mod decide;
pub(crate) mod request_headers;
pub(crate) mod vary;
mod write;

pub use classify::{Kind, RawRequest, Request, RequestHeader};
pub(crate) use classify::{WALK_MAX, WALK_ORIGIN_MAX};
pub use vary::Vary;
#[cfg(any(feature = "tower", feature = "actix"))]
pub(crate) use write::write_actual;
pub use write::{AllowOrigin, HeaderWriter, ResponseHeader, Source, Value};

/// Why a request was denied. Never sent to the client; for diagnostics
/// ([`Decision::explain`] says it in words). New reasons may be added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Denial {
    /// The origin is not allowed (or the `Origin` header is empty or too long).
    Origin,
    /// More than one `Origin` line.
    OriginRepeated,
    /// The requested method is not allowed.
    Method,
    /// `Access-Control-Request-Method` is not a single method token.
    MethodMalformed,
    /// `allow_methods: *` with credentials echoes the method, and this one is not
    /// one line of at most 64 bytes.
    MethodNotCanonical,
    /// A requested header name is not allowed: it starts at byte `start` of the
    /// `line`-th `Access-Control-Request-Headers` line, and scanning stopped at `end`
    /// (a name longer than every allowed one is refused before its end).
    Header {
        /// Which line (0-based).
        line: usize,
        /// Start of the name.
        start: usize,
        /// End of the name, or where scanning stopped inside it.
        end: usize,
    },
    /// A requested header name repeats the one before it (browsers send each once).
    HeaderRepeated {
        /// Which line (0-based).
        line: usize,
        /// Start of the name.
        start: usize,
        /// End of the name.
        end: usize,
    },
    /// A requested header name sorts before the one before it (lower-cased, byte
    /// order): browsers send the names sorted.
    HeaderOutOfOrder {
        /// Which line (0-based).
        line: usize,
        /// Start of the name.
        start: usize,
        /// Where scanning stopped inside or at the end of the name.
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
    /// `Access-Control-Request-Headers` is longer, all lines together up to line
    /// `line`, than any list the policy could accept; refused unread.
    HeadersTooLong {
        /// The line that went over (0-based).
        line: usize,
    },
    /// `allow_headers: *` with credentials echoes the names, and this value is not
    /// canonical (one line, comma-separated names, no white space, no empty element)
    /// at byte `at` of line `line`.
    HeadersNotCanonical {
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
    /// (rules section 7). The adapter's debug event names the path.
    Route,
}

/// The fixed set of CORS headers a decision calls for.
// Aligned to its size (16 bytes): measured under callgrind, the actix adapter's
// actual-request path then runs 12 instructions fewer and tower's 5 (the copy into
// the response future itself stays field by field).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[repr(align(16))]
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
}
