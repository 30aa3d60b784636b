//! Why a request was denied, in words a developer can act on; and, with the
//! `tracing` feature, one debug event per denial. Request bytes are escaped and cut.
//! This module reads the engine's decisions; the engine never calls into it.

use std::fmt;

use crate::engine::{Decision, Denial, Request, RequestHeader};
use crate::policy::{is_tchar, Methods, Policy, Prebuilt};

/// Request bytes shown in a diagnostic are cut to this many bytes.
pub(crate) const MAX_SHOWN: usize = 100;
/// A refused header name is measured up to this many bytes for its explanation;
/// past that it is reported as "more than" this (formatting stays bounded).
const MAX_MEASURED: usize = 4096;

impl Policy {
    /// Classifies and decides a request. Allocates nothing; work is linear in the
    /// size of the headers read, and bounded by the policy for hostile ones (an
    /// `Access-Control-Request-Headers` value longer than any list the policy could
    /// accept is refused without being read).
    ///
    /// With the `tracing` feature, a denial also emits one debug event (target
    /// `corsair`) with the escaped, cut origin and [`Decision::explain`]'s text.
    pub fn decide<R: Request>(&self, req: &R) -> Decision {
        let decision = self.decide_untraced(req);
        #[cfg(feature = "tracing")]
        if decision.denial().is_some() {
            trace_denial(self, req, &decision);
        }
        decision
    }
}

/// A denial explained against the policy and the request. Formatting it is the only cost.
pub struct Explanation<'a, R> {
    decision: &'a Decision,
    policy: &'a Policy,
    request: &'a R,
}

impl Decision {
    /// Explains the denial (or says the request was allowed), e.g.
    /// "method `PATCH` is not in allow_methods [GET, POST]".
    ///
    /// ```
    /// use corsair_core::{Policy, RawRequest};
    ///
    /// let policy = Policy::builder()
    ///     .allow_origins(["https://app.example.com"])
    ///     .allow_methods(["GET", "POST"])
    ///     .build()?;
    /// let req = RawRequest {
    ///     method: b"OPTIONS",
    ///     headers: &[(b"origin", b"https://app.example.com"), (b"access-control-request-method", b"PATCH")],
    /// };
    /// let d = policy.decide(&req);
    /// assert_eq!(d.explain(&policy, &req).to_string(), "method `PATCH` is not in allow_methods [GET, POST]");
    /// # Ok::<(), corsair_core::Error>(())
    /// ```
    pub fn explain<'a, R: Request>(&'a self, policy: &'a Policy, request: &'a R) -> Explanation<'a, R> {
        Explanation {
            decision: self,
            policy,
            request,
        }
    }
}

fn first<R: Request>(r: &R, h: RequestHeader) -> &[u8] {
    r.lines(h).next().unwrap_or_default()
}

/// The whole requested name starting at `start` of ACRH line `line` (the engine may
/// have stopped inside it), measured up to [`MAX_MEASURED`] bytes.
fn requested_name<R: Request>(r: &R, line: usize, start: usize) -> Shown<'_> {
    let bytes = r.lines(RequestHeader::RequestHeaders).nth(line).unwrap_or_default();
    let rest = bytes.get(start..).unwrap_or_default();
    let window = &rest[..rest.len().min(MAX_MEASURED + 1)];
    let len = window.iter().position(|&b| !is_tchar(b)).unwrap_or(window.len());
    Shown {
        bytes: &window[..len.min(MAX_MEASURED)],
        more: len > MAX_MEASURED,
    }
}

/// A name from the request, escaped and cut to [`MAX_SHOWN`] bytes.
struct Shown<'a> {
    bytes: &'a [u8],
    /// Longer than it was measured.
    more: bool,
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.more {
            let cut = &self.bytes[..self.bytes.len().min(MAX_SHOWN)];
            write!(f, "{}...(more than {MAX_MEASURED} bytes)", cut.escape_ascii())
        } else {
            Escaped::new(self.bytes, MAX_SHOWN).fmt(f)
        }
    }
}

impl<R: Request> fmt::Display for Explanation<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (p, r) = (self.policy, self.request);
        let Some(denial) = self.decision.denial() else {
            return f.write_str("allowed");
        };
        let method = || Escaped::new(first(r, RequestHeader::RequestMethod), MAX_SHOWN);
        match denial {
            Denial::Origin => write!(f, "origin `{}` is not in allow_origins", Escaped::new(first(r, RequestHeader::Origin), MAX_SHOWN)),
            Denial::OriginRepeated => f.write_str("the request has more than one Origin header"),
            Denial::Method => match &p.parts.methods {
                Methods::List(list) if list.is_empty() => write!(f, "method `{}` is not allowed: allow_methods is not set, so only GET, HEAD and POST are", method()),
                _ => {
                    let list = p.prebuilt(Prebuilt::AllowMethods).map(|v| v.to_str().unwrap_or_default()).unwrap_or_default();
                    write!(f, "method `{}` is not in allow_methods [{list}]", method())
                }
            },
            Denial::MethodMalformed => write!(f, "Access-Control-Request-Method `{}` is not a single method token", method()),
            Denial::MethodNotCanonical => write!(f, "Access-Control-Request-Method `{}` is not echoed: with allow_methods: * and credentials the method is copied into the response, and only a single line of at most 64 bytes is; send one method line, as browsers do", method()),
            Denial::Header { line, start, .. } => {
                let name = requested_name(r, line, start);
                if name.bytes.eq_ignore_ascii_case(b"authorization") && p.parts.headers.any {
                    return f.write_str("request header `authorization` is not allowed: `*` in allow_headers does not cover it; list \"authorization\" explicitly");
                }
                write!(f, "request header `{name}` is not in allow_headers [")?;
                for (i, n) in p.parts.headers.names.iter().enumerate() {
                    write!(f, "{}{n}", if i == 0 { "" } else { ", " })?;
                }
                f.write_str("]")
            }
            Denial::HeaderRepeated { line, start, .. } => write!(f, "request header `{}` is listed twice in Access-Control-Request-Headers (line {}): browsers send each name once; list each name once, sorted", requested_name(r, line, start), line + 1),
            Denial::HeaderOutOfOrder { line, start, .. } => write!(f, "request header `{}` in Access-Control-Request-Headers (line {}) sorts before the name listed ahead of it: browsers send the names lower-cased and sorted; send them in ascending order", requested_name(r, line, start), line + 1),
            Denial::HeadersMalformed { line, at } => write!(f, "Access-Control-Request-Headers line {} is malformed at byte {at} (a stray byte, more than 16 empty names or a long run of spaces)", line + 1),
            Denial::HeadersTooLong { line } => write!(f, "Access-Control-Request-Headers is longer than any list this policy accepts ({} bytes in all lines, reached at line {}): list only the headers the request sets, each once", p.parts.headers.max_list, line + 1),
            Denial::HeadersNotCanonical { line, at } => write!(f, "Access-Control-Request-Headers line {} is not echoed: with allow_headers: * and credentials the names are copied into the response, and only one line of comma-separated names without spaces or empty names is (as browsers send it); the value differs at byte {at}", line + 1),
            Denial::PrivateNetwork => f.write_str("the preflight asks for private network access and allow_private_network is off"),
            Denial::Route => f.write_str("the layer could not choose one per-route policy for the request path (its readings select different route prefixes, or a route prefix is invalid); the `corsair` debug event names the path"),
        }
    }
}

/// Emits the debug event for a denial (feature `tracing`).
#[cfg(feature = "tracing")]
fn trace_denial<R: Request>(policy: &Policy, req: &R, decision: &Decision) {
    tracing::debug!(
        target: "corsair",
        origin = %Escaped::new(first(req, RequestHeader::Origin), MAX_SHOWN),
        kind = ?decision.kind(),
        reason = %decision.explain(policy, req),
        "CORS request denied"
    );
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
