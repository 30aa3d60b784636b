//! Deciding a classified request (RULES.md sections 2 and 3): the checks of a
//! preflight in order, the headers an allowed request gets, and the denials.

use crate::bytes::same;
use crate::engine::classify::{RequestedMethod, Seen};
use crate::engine::request_headers::scan;
use crate::engine::{AllowOrigin, Decision, Denial, Headers, Kind, Request, RequestHeader, Source, Vary};
use crate::policy::{is_token, AllowHeaders, AllowMethods, Methods, Policy};

/// With `allow_methods: *` and credentials the requested method is echoed, and only
/// when it is one line of at most this many bytes (the longest registered method,
/// `UPDATEREDIRECTREF`, has 17).
pub(crate) const MAX_ECHOED_METHOD: usize = 64;

impl Policy {
    #[inline]
    pub(crate) fn not_cors(&self) -> Decision {
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

    /// An actual request, with its origin's answer (or why it was denied).
    #[inline]
    pub(crate) fn actual(&self, allow_origin: Result<AllowOrigin, Denial>) -> Decision {
        let vary = (!self.is_any_origin()).then_some(Vary::Origin);
        let denial = allow_origin.err();
        let headers = match allow_origin {
            Err(_) => Headers {
                vary,
                ..Headers::default()
            },
            Ok(allow_origin) => Headers {
                allow_origin: Some(allow_origin),
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

    pub(crate) fn preflight<R: Request>(
        &self,
        req: &R,
        method: RequestedMethod<'_>,
        seen: &Seen<'_>,
        allow_origin: Result<AllowOrigin, Denial>,
    ) -> Decision {
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
        let allow_origin = match allow_origin {
            Ok(a) => a,
            Err(d) => return deny(d),
        };
        let echo_methods = matches!(self.parts.methods, Methods::Any) && self.parts.credentials;
        if let Err(d) = self.check_method(method, echo_methods) {
            return deny(d);
        }
        // With `*` and credentials the names are echoed: only a canonical value is.
        let echo_headers = self.parts.headers.any && self.parts.credentials;
        // One line, as browsers send it, was read with the others; several lines, or
        // a request read by lookups, are looked up (the scan stops at the length cap).
        let rules = &self.parts.headers;
        let scanned = match seen.header_lines {
            Some(0 | 1) => scan(rules, echo_headers, seen.headers.into_iter()),
            _ => scan(rules, echo_headers, req.lines(RequestHeader::RequestHeaders)),
        };
        let listed = match scanned.outcome {
            Ok(listed) => listed,
            Err(d) => return deny(d),
        };
        let pna = seen.private_network(req);
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
            allow_origin: Some(allow_origin),
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

    #[inline]
    fn check_method(&self, method: RequestedMethod<'_>, echo: bool) -> Result<(), Denial> {
        let value = method.value;
        if method.repeated {
            return Err(Denial::MethodMalformed);
        }
        // Safelisted methods always pass [#cors-safelisted-method]; methods are
        // case-sensitive. A listed method is a token (validated), so only a value
        // not found is checked for being one.
        let allowed = matches!(value, b"GET" | b"HEAD" | b"POST")
            || match &self.parts.methods {
                Methods::Any => is_token(value),
                Methods::List(list) => list.iter().any(|m| same(m.as_bytes(), value)),
            };
        if !allowed {
            return Err(if is_token(value) {
                Denial::Method
            } else {
                Denial::MethodMalformed
            });
        }
        // An echo copies every line of the header: only one short line is copied.
        if echo && (!method.single_line || value.len() > MAX_ECHOED_METHOD) {
            return Err(Denial::MethodNotCanonical);
        }
        Ok(())
    }
}
