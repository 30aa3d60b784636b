//! The framework-free API over `http` 1: decide from an `http::Request` (or its
//! parts), then write the headers onto any `http::HeaderMap`. For hyper,
//! lambda_http, or any `http`-based stack.

use http::header::{self, HeaderMap, HeaderName, HeaderValue};

use crate::engine::{Decision, HeaderWriter, Request, RequestHeader, ResponseHeader, Value, Vary};
use crate::policy::Policy;

const ACRPN: HeaderName = HeaderName::from_static("access-control-request-private-network");
const ACAPN: HeaderName = HeaderName::from_static("access-control-allow-private-network");

/// The `http` 1 name of a request header the engine reads.
pub fn request_header_name(h: RequestHeader) -> HeaderName {
    match h {
        RequestHeader::Origin => header::ORIGIN,
        RequestHeader::RequestMethod => header::ACCESS_CONTROL_REQUEST_METHOD,
        RequestHeader::RequestHeaders => header::ACCESS_CONTROL_REQUEST_HEADERS,
        RequestHeader::RequestPrivateNetwork => ACRPN,
    }
}

/// The `http` 1 name of a response header the engine writes.
pub fn response_header_name(h: ResponseHeader) -> HeaderName {
    match h {
        ResponseHeader::AllowOrigin => header::ACCESS_CONTROL_ALLOW_ORIGIN,
        ResponseHeader::AllowCredentials => header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        ResponseHeader::AllowMethods => header::ACCESS_CONTROL_ALLOW_METHODS,
        ResponseHeader::AllowHeaders => header::ACCESS_CONTROL_ALLOW_HEADERS,
        ResponseHeader::MaxAge => header::ACCESS_CONTROL_MAX_AGE,
        ResponseHeader::AllowPrivateNetwork => ACAPN,
        ResponseHeader::ExposeHeaders => header::ACCESS_CONTROL_EXPOSE_HEADERS,
        ResponseHeader::Vary => header::VARY,
    }
}

/// An `http` 1 method and header map, seen as a [`Request`].
#[derive(Clone, Copy, Debug)]
pub struct Http1Request<'a> {
    /// The method.
    pub method: &'a http::Method,
    /// The headers.
    pub headers: &'a HeaderMap,
}

/// Every line of one request header.
fn lines(headers: &HeaderMap, name: RequestHeader) -> impl Iterator<Item = &[u8]> {
    headers
        .get_all(request_header_name(name))
        .into_iter()
        .map(HeaderValue::as_bytes)
}

impl Request for Http1Request<'_> {
    fn method(&self) -> &[u8] {
        self.method.as_str().as_bytes()
    }

    fn lines(&self, name: RequestHeader) -> impl Iterator<Item = &[u8]> {
        lines(self.headers, name)
    }
}

impl<B> Request for http::Request<B> {
    fn method(&self) -> &[u8] {
        self.method().as_str().as_bytes()
    }

    fn lines(&self, name: RequestHeader) -> impl Iterator<Item = &[u8]> {
        lines(self.headers(), name)
    }
}

impl Request for http::request::Parts {
    fn method(&self) -> &[u8] {
        self.method.as_str().as_bytes()
    }

    fn lines(&self, name: RequestHeader) -> impl Iterator<Item = &[u8]> {
        lines(&self.headers, name)
    }
}

/// Writes a decision onto an `http` 1 response header map; echoed values are
/// clones of the request's own `HeaderValue`s (no allocation for hyper-parsed requests).
struct Http1Writer<'a> {
    policy: &'a Policy,
    echo: Echo<'a>,
    response: &'a mut HeaderMap,
}

/// Where echoed values come from.
enum Echo<'a> {
    /// The request's headers.
    Request(&'a HeaderMap),
    /// Only the `Origin`, kept aside after the request moved on.
    Origin(Option<&'a HeaderValue>),
}

/// The `http` 1 value of an engine value. Constants are built at compile time
/// (`from_static` checks its bytes, so calling it per request would cost).
pub fn value(policy: &Policy, v: Value) -> Option<HeaderValue> {
    #![allow(clippy::declare_interior_mutable_const)]
    const STAR: HeaderValue = HeaderValue::from_static("*");
    const TRUE: HeaderValue = HeaderValue::from_static("true");
    const ORIGIN: HeaderValue = HeaderValue::from_static(Vary::Origin.value());
    const PREFLIGHT: HeaderValue = HeaderValue::from_static(Vary::Preflight.value());
    const PREFLIGHT_PNA: HeaderValue = HeaderValue::from_static(Vary::PreflightPrivateNetwork.value());
    const ACRM: HeaderValue = HeaderValue::from_static("access-control-request-method");
    const ACRH: HeaderValue = HeaderValue::from_static("access-control-request-headers");
    const ACRPN: HeaderValue = HeaderValue::from_static("access-control-request-private-network");
    Some(match v {
        Value::Star => STAR,
        Value::True => TRUE,
        Value::Prebuilt(p) => policy.prebuilt(p)?.clone(),
        Value::Vary(Vary::Origin) | Value::VaryToken("origin") => ORIGIN,
        Value::Vary(Vary::Preflight) => PREFLIGHT,
        Value::Vary(Vary::PreflightPrivateNetwork) => PREFLIGHT_PNA,
        Value::VaryToken("access-control-request-method") => ACRM,
        Value::VaryToken("access-control-request-headers") => ACRH,
        Value::VaryToken("access-control-request-private-network") => ACRPN,
        Value::VaryToken(t) => HeaderValue::from_static(t),
    })
}

impl HeaderWriter for Http1Writer<'_> {
    fn remove(&mut self, name: ResponseHeader) {
        self.response.remove(response_header_name(name));
    }

    fn append(&mut self, name: ResponseHeader, v: Value) {
        if let Some(v) = value(self.policy, v) {
            self.response.append(response_header_name(name), v);
        }
    }

    fn echo(&mut self, name: ResponseHeader, from: RequestHeader) {
        match self.echo {
            Echo::Request(request) => {
                for v in request.get_all(request_header_name(from)) {
                    self.response.append(response_header_name(name), v.clone());
                }
            }
            Echo::Origin(Some(origin)) if from == RequestHeader::Origin => {
                self.response.append(response_header_name(name), origin.clone());
            }
            Echo::Origin(_) => {}
        }
    }

    fn vary(&self) -> impl Iterator<Item = &[u8]> {
        self.response
            .get_all(header::VARY)
            .into_iter()
            .map(HeaderValue::as_bytes)
    }

    fn has_cors_headers(&self) -> bool {
        self.response.keys().any(|k| k.as_str().starts_with("access-control-"))
    }
}

impl Decision {
    /// Writes this decision's headers onto an `http` 1 response.
    ///
    /// For a preflight ([`Decision::status`] is `Some`), answer with that status,
    /// an empty body and these headers, without calling the handler; otherwise
    /// call the handler and apply this to its response, whatever its status.
    ///
    /// ```
    /// use corsair_core::Policy;
    /// use http::{Request, Response, StatusCode};
    ///
    /// let policy = Policy::builder()
    ///     .allow_origins(["https://app.example.com"])
    ///     .allow_methods(["PUT"])
    ///     .build()?;
    ///
    /// fn handle(policy: &Policy, req: Request<()>) -> Response<&'static str> {
    ///     let decision = policy.decide(&req);
    ///     let mut res = match decision.status() {
    ///         Some(status) => {
    ///             let mut r = Response::new("");
    ///             *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::FORBIDDEN);
    ///             r
    ///         }
    ///         None => Response::new("hello"), // the real handler
    ///     };
    ///     decision.apply(policy, req.headers(), res.headers_mut());
    ///     res
    /// }
    ///
    /// let req = Request::options("/items")
    ///     .header("origin", "https://app.example.com")
    ///     .header("access-control-request-method", "PUT")
    ///     .body(())?;
    /// let res = handle(&policy, req);
    /// assert_eq!(res.status(), 204);
    /// assert_eq!(res.headers()["access-control-allow-origin"], "https://app.example.com");
    /// assert_eq!(res.headers()["access-control-allow-methods"], "PUT");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(&self, policy: &Policy, request: &HeaderMap, response: &mut HeaderMap) {
        self.write(&mut Http1Writer {
            policy,
            echo: Echo::Request(request),
            response,
        });
    }

    /// Like [`Decision::apply`], for a decision that is not a preflight, once the
    /// request itself has moved on (into the handler): such a decision echoes
    /// nothing but the `Origin`, so keeping that one value aside is enough.
    ///
    /// ```
    /// use corsair_core::Policy;
    /// use http::{HeaderMap, Request};
    ///
    /// let policy = Policy::builder().allow_origins(["https://app.example.com"]).build()?;
    /// let req = Request::get("/").header("origin", "https://app.example.com").body(())?;
    /// let decision = policy.decide(&req);
    /// let origin = req.headers().get("origin").cloned();
    /// drop(req); // handed to the handler
    /// let mut response = HeaderMap::new();
    /// decision.apply_with_origin(&policy, origin.as_ref(), &mut response);
    /// assert_eq!(response["access-control-allow-origin"], "https://app.example.com");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply_with_origin(&self, policy: &Policy, origin: Option<&HeaderValue>, response: &mut HeaderMap) {
        debug_assert!(
            self.status().is_none(),
            "a preflight echoes more than the origin: use `apply`"
        );
        self.write(&mut Http1Writer {
            policy,
            echo: Echo::Origin(origin),
            response,
        });
    }
}
