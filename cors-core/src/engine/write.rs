//! Writing a [`Decision`] onto a response through [`HeaderWriter`]: the response
//! headers the engine owns, and where each value comes from.

use crate::engine::vary;
use crate::engine::{Decision, Headers, Kind, RequestHeader, Vary};
use crate::policy::Prebuilt;

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

/// What `Access-Control-Allow-Origin` says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AllowOrigin {
    /// `*`
    Any,
    /// The request's own `Origin` value, byte for byte (a pattern or scheme-wide
    /// match).
    Echo,
    /// One of the policy's exact origins, by its index in the policy's table: the
    /// request's `Origin` byte for byte, written from the policy's own prebuilt
    /// value ([`HeaderWriter::listed_origin`]), so nothing is copied from the request.
    Listed(u32),
}

/// Where a header's value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    /// The policy's prebuilt value.
    Prebuilt,
    /// The request's own lines of the matching `Access-Control-Request-*` header
    /// (the engine has checked they are one canonical line).
    Echo,
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
    /// Appends `Access-Control-Allow-Origin` for the policy's exact origin `index`
    /// ([`AllowOrigin::Listed`]), which equals the request's `Origin` byte for byte.
    /// By default the request's value is echoed; a writer that holds the policy's
    /// prebuilt values writes the policy's own, which copies nothing even when the
    /// request's values own their bytes (a request built in process).
    fn listed_origin(&mut self, index: u32) {
        let _ = index;
        self.echo(ResponseHeader::AllowOrigin, RequestHeader::Origin);
    }
    /// The response's current `Vary` lines.
    fn vary(&self) -> impl Iterator<Item = &[u8]>;
    /// Does the response hold any `Access-Control-*` header? When it cannot tell
    /// cheaply, `true`: the removals then run and find nothing.
    fn has_cors_headers(&self) -> bool {
        true
    }
    /// Adds the tokens of `vary` that the response's `Vary` lines lack (all of
    /// them as one line when it has none), leaving a `Vary: *` alone (RULES.md
    /// section 4). By default through [`HeaderWriter::vary`] and
    /// [`HeaderWriter::append`]; a writer whose map can look a name up once for
    /// both (an entry) overrides it.
    fn merge_vary(&mut self, vary: Vary) {
        vary::merge_vary(vary, self);
    }
}

impl Decision {
    /// Writes the headers: removes any CORS header already there (the policy is
    /// their one source), adds ours, merges `Vary`. Allocates nothing itself.
    ///
    /// A preflight's response is the engine's own, so it is written onto a fresh
    /// map: nothing to remove, nothing to merge.
    #[inline]
    pub fn write<W: HeaderWriter>(&self, out: &mut W) {
        write(self.kind == Kind::Preflight, &self.headers, out);
    }
}

/// [`Decision::write`] for a decision that is not a preflight, from its headers
/// alone: what an adapter keeps while the handler runs (smaller than the decision).
#[cfg(any(feature = "tower", feature = "actix"))]
#[inline]
pub(crate) fn write_actual<W: HeaderWriter>(h: &Headers, out: &mut W) {
    write(false, h, out);
}

/// Writes the headers `h`; `fresh` for a preflight's own response.
#[inline(always)]
fn write<W: HeaderWriter>(fresh: bool, h: &Headers, out: &mut W) {
    if !fresh && out.has_cors_headers() {
        for name in ResponseHeader::CORS {
            out.remove(name);
        }
    }
    match h.allow_origin {
        Some(AllowOrigin::Any) => out.append(ResponseHeader::AllowOrigin, Value::Star),
        Some(AllowOrigin::Echo) => out.echo(ResponseHeader::AllowOrigin, RequestHeader::Origin),
        Some(AllowOrigin::Listed(index)) => out.listed_origin(index),
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
        Some(vary) => out.merge_vary(vary),
        None => {}
    }
}
