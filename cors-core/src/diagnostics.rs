//! Why a request was denied, in words a developer can act on; and, with the
//! `tracing` feature, one debug event per denial. Request bytes are escaped and cut.

use std::fmt;

use crate::engine::{Decision, Denial, Escaped, Request, RequestHeader};
use crate::policy::{Methods, Policy, Prebuilt};

/// Request bytes shown in a diagnostic are cut to this many bytes.
pub(crate) const MAX_SHOWN: usize = 100;

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

impl<R: Request> fmt::Display for Explanation<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (p, r) = (self.policy, self.request);
        let Some(denial) = self.decision.denial() else {
            return f.write_str("allowed");
        };
        match denial {
            Denial::Origin => write!(f, "origin `{}` is not in allow_origins", Escaped::new(first(r, RequestHeader::Origin), MAX_SHOWN)),
            Denial::OriginRepeated => f.write_str("the request has more than one Origin header"),
            Denial::Method => {
                let m = Escaped::new(first(r, RequestHeader::RequestMethod), MAX_SHOWN);
                match &p.parts.methods {
                    Methods::List(list) if list.is_empty() => write!(f, "method `{m}` is not allowed: allow_methods is not set, so only GET, HEAD and POST are"),
                    _ => {
                        let list = p.prebuilt(Prebuilt::AllowMethods).map(|v| v.to_str().unwrap_or_default()).unwrap_or_default();
                        write!(f, "method `{m}` is not in allow_methods [{list}]")
                    }
                }
            }
            Denial::MethodMalformed => write!(f, "Access-Control-Request-Method `{}` is not a single method token", Escaped::new(first(r, RequestHeader::RequestMethod), MAX_SHOWN)),
            Denial::Header { line, start, end } => {
                let bytes = r.lines(RequestHeader::RequestHeaders).nth(line).unwrap_or_default();
                let name = bytes.get(start..end).unwrap_or_default();
                if name.eq_ignore_ascii_case(b"authorization") && p.parts.headers.any {
                    return f.write_str("request header `authorization` is not allowed: `*` in allow_headers does not cover it; list \"authorization\" explicitly");
                }
                write!(f, "request header `{}` is not in allow_headers [", Escaped::new(name, MAX_SHOWN))?;
                for (i, n) in p.parts.headers.names.iter().enumerate() {
                    write!(f, "{}{n}", if i == 0 { "" } else { ", " })?;
                }
                f.write_str("]")
            }
            Denial::HeadersMalformed { line, at } => write!(f, "Access-Control-Request-Headers line {} is malformed at byte {at} (a stray byte, more than 16 empty names or a long run of spaces)", line + 1),
            Denial::PrivateNetwork => f.write_str("the preflight asks for private network access and allow_private_network is off"),
            Denial::Route => f.write_str("the layer could not choose one per-route policy for the request path (its readings select different route prefixes, or a route prefix is invalid); the `corsair` debug event names the path"),
        }
    }
}

/// Emits the debug event for a denial (feature `tracing`).
#[cfg(feature = "tracing")]
pub(crate) fn trace_denial<R: Request>(policy: &Policy, req: &R, decision: &Decision) {
    tracing::debug!(
        target: "corsair",
        origin = %Escaped::new(first(req, RequestHeader::Origin), MAX_SHOWN),
        kind = ?decision.kind(),
        reason = %decision.explain(policy, req),
        "CORS request denied"
    );
}
