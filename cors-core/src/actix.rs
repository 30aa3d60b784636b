//! The actix-web 4 adapter (feature `actix`): [`Cors`], a middleware (a `Transform`),
//! a thin shell over [`Policy::decide`](crate::Policy::decide) and [`Decision::write`].
//!
//! actix-web 4 is built on `http` 0.2, so the policy's prebuilt header values are
//! converted to actix's types once per policy, on its first request, and kept in the
//! policy itself (so a replaced [`LivePolicy`](crate::LivePolicy) never sends the
//! old lists); echoed values are clones of the request's own header values.
//!
//! # Where to put it
//!
//! `App::wrap` it last, so it is the outermost middleware: preflights are then
//! answered before routing, authentication or any other middleware runs, and
//! every response coming back out gets the policy's CORS headers (RULES.md
//! section 3): a handler's `Err`, an extractor's error, the router's 404 and 405,
//! and the `Err` of a middleware inside it (actix-web-lab's `CatchPanic` turning
//! a panic into a 500, an authentication middleware's 401). Such an `Err` is
//! passed on with a response mapper that adds the headers when actix-web renders
//! it, so the browser sees the real status instead of a CORS error.
//!
//! # Per-route policies
//!
//! One middleware holds a default policy and path-prefix overrides; the longest
//! prefix that matches whole path segments wins (`/public` matches `/public` and
//! `/public/x`, not `/publicity`). The prefix is chosen from the request path
//! before routing, so a route's preflight and the router's own 404 and 405 under
//! that prefix are answered by the right policy.
//!
//! Do not stack two CORS middlewares on one route instead (one on a `scope` and
//! one on the `App`): the outer one removes and rewrites every `Access-Control-*`
//! header the inner one wrote, and answers preflights before the inner one sees them.
//!
//! ```
//! use actix_web::{test, web, App};
//! use corsair_core::{actix::Cors, Policy};
//!
//! # actix_web::rt::System::new().block_on(async {
//! let api = Policy::builder()
//!     .allow_origins(["https://app.example.com"])
//!     .allow_methods(["GET", "PUT"])
//!     .build()?;
//! let public = Policy::builder().allow_origins(["*"]).build()?;
//!
//! let app = test::init_service(
//!     App::new()
//!         .service(web::resource("/items").get(|| async { "items" }))
//!         .wrap(Cors::new(api).route("/public", public)),
//! )
//! .await;
//!
//! // A preflight is answered by the middleware; the handler does not run.
//! let preflight = test::TestRequest::default()
//!     .method(actix_web::http::Method::OPTIONS)
//!     .uri("/items")
//!     .insert_header(("origin", "https://app.example.com"))
//!     .insert_header(("access-control-request-method", "PUT"))
//!     .to_request();
//! let res = test::call_service(&app, preflight).await;
//! assert_eq!(res.status(), 204);
//! assert_eq!(res.headers().get("access-control-allow-methods").unwrap(), "GET, PUT");
//!
//! // Under `/public`, the public policy answers, even for the router's 404.
//! let req = test::TestRequest::get()
//!     .uri("/public/missing")
//!     .insert_header(("origin", "https://anyone.example.net"))
//!     .to_request();
//! let res = test::call_service(&app, req).await;
//! assert_eq!(res.status(), 404);
//! assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "*");
//! # Ok::<(), corsair_core::Error>(())
//! # })?;
//! # Ok::<(), corsair_core::Error>(())
//! ```

use std::fmt;
use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{self, Context, Poll};

use actix_web::body::{BoxBody, EitherBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{Error, HttpResponse};
use pin_project_lite::pin_project;

use crate::engine::{AllowOrigin, Decision, HeaderWriter, Request, RequestHeader, ResponseHeader, Value, Vary};
use crate::policy::{Policy, Prebuilt};
use crate::routes::{PolicyRef, Routes, Snapshot};

const ACRPN: HeaderName = HeaderName::from_static("access-control-request-private-network");
const ACAPN: HeaderName = HeaderName::from_static("access-control-allow-private-network");

fn request_header_name(h: RequestHeader) -> HeaderName {
    match h {
        RequestHeader::Origin => header::ORIGIN,
        RequestHeader::RequestMethod => header::ACCESS_CONTROL_REQUEST_METHOD,
        RequestHeader::RequestHeaders => header::ACCESS_CONTROL_REQUEST_HEADERS,
        RequestHeader::RequestPrivateNetwork => ACRPN,
    }
}

fn response_header_name(h: ResponseHeader) -> HeaderName {
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

impl Request for ServiceRequest {
    fn method(&self) -> &[u8] {
        self.method().as_str().as_bytes()
    }

    fn lines(&self, name: RequestHeader) -> impl Iterator<Item = &[u8]> {
        self.headers()
            .get_all(request_header_name(name))
            .map(HeaderValue::as_bytes)
    }
}

/// A policy's prebuilt values as actix-web's `HeaderValue`s, made on the policy's
/// first request and kept in it.
#[derive(Clone, Debug)]
pub(crate) struct Values {
    allow_methods: Option<HeaderValue>,
    allow_headers: Option<HeaderValue>,
    expose_headers: Option<HeaderValue>,
    max_age: Option<HeaderValue>,
}

impl Values {
    fn of(policy: &Policy) -> &Values {
        policy.actix.get_or_init(|| {
            // The policy's values are valid `http` 1 values, hence valid 0.2 ones.
            let convert = |p| {
                policy
                    .prebuilt(p)
                    .and_then(|v| HeaderValue::from_bytes(v.as_bytes()).ok())
            };
            Values {
                allow_methods: convert(Prebuilt::AllowMethods),
                allow_headers: convert(Prebuilt::AllowHeaders),
                expose_headers: convert(Prebuilt::ExposeHeaders),
                max_age: convert(Prebuilt::MaxAge),
            }
        })
    }

    fn prebuilt(&self, p: Prebuilt) -> Option<&HeaderValue> {
        match p {
            Prebuilt::AllowMethods => self.allow_methods.as_ref(),
            Prebuilt::AllowHeaders => self.allow_headers.as_ref(),
            Prebuilt::ExposeHeaders => self.expose_headers.as_ref(),
            Prebuilt::MaxAge => self.max_age.as_ref(),
        }
    }

    /// Constants are built at compile time: `from_static` checks its bytes, so
    /// calling it per request would cost.
    fn value(&self, v: Value) -> Option<HeaderValue> {
        #![allow(clippy::declare_interior_mutable_const)]
        const STAR: HeaderValue = HeaderValue::from_static("*");
        const TRUE: HeaderValue = HeaderValue::from_static("true");
        const ORIGIN: HeaderValue = HeaderValue::from_static(Vary::Origin.value());
        const PREFLIGHT: HeaderValue = HeaderValue::from_static(Vary::Preflight.value());
        const PREFLIGHT_PNA: HeaderValue = HeaderValue::from_static(Vary::PreflightPrivateNetwork.value());
        Some(match v {
            Value::Star => STAR,
            Value::True => TRUE,
            Value::Prebuilt(p) => self.prebuilt(p)?.clone(),
            Value::Vary(Vary::Origin) | Value::VaryToken("origin") => ORIGIN,
            Value::Vary(Vary::Preflight) => PREFLIGHT,
            Value::Vary(Vary::PreflightPrivateNetwork) => PREFLIGHT_PNA,
            // Only when a handler's Vary already lists some of a preflight's tokens: rare.
            Value::VaryToken(t) => HeaderValue::from_static(t),
        })
    }
}

/// The actix-web middleware: answers preflights itself and adds CORS headers to
/// every response, including errors, 404 and 405.
///
/// Takes a `&'static Policy` (declare a `cors!` policy `static`) or an owned
/// [`Policy`](crate::Policy) (from the builder or a config file); see the [module docs](self).
/// Make it once and clone it into `HttpServer::new`'s factory: clones share the
/// policies.
///
/// ```no_run
/// use actix_web::{web, App, HttpServer};
/// use corsair_core::{actix::Cors, Policy};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let api = Policy::builder()
///     .allow_origins(["https://app.example.com"])
///     .allow_methods(["GET", "POST", "DELETE"])
///     .allow_headers(["content-type", "authorization"])
///     .allow_credentials(true)
///     .build()?;
/// let cors = Cors::new(api);
///
/// actix_web::rt::System::new().block_on(
///     HttpServer::new(move || {
///         App::new()
///             .service(web::resource("/items").get(|| async { "items" }))
///             .wrap(cors.clone()) // last, so outermost
///     })
///     .bind(("127.0.0.1", 8080))?
///     .run(),
/// )?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
#[must_use]
pub struct Cors {
    routes: Arc<Routes<PolicyRef>>,
}

impl Cors {
    /// A middleware answering every path with `policy` (a `&'static Policy`, an
    /// owned one, or a [`LivePolicy`](crate::LivePolicy)).
    pub fn new(policy: impl Into<PolicyRef>) -> Self {
        Cors {
            routes: Arc::new(Routes::new(policy.into())),
        }
    }

    /// Answers paths under `prefix` (whole segments: `/public` covers `/public` and
    /// `/public/x`, not `/publicity`) with `policy`; the longest matching prefix
    /// wins. The prefix is compared with the path as actix-web's router sees it,
    /// byte for byte; a trailing `/` is ignored and a missing leading `/` added.
    /// Adding the same prefix again replaces its policy.
    pub fn route(mut self, prefix: &str, policy: impl Into<PolicyRef>) -> Self {
        Arc::make_mut(&mut self.routes).add(prefix, policy.into());
        self
    }
}

impl fmt::Debug for Cors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cors").field("routes", &self.routes).finish()
    }
}

impl<S, B> Transform<S, ServiceRequest> for Cors
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = CorsMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<CorsMiddleware<S>, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(CorsMiddleware {
            service,
            routes: Arc::clone(&self.routes),
        }))
    }
}

/// The service [`Cors`] wraps around the inner one.
///
/// Per request it allocates nothing: the decision is a small `Copy` value, the
/// request's `Origin` is kept as a clone of its `HeaderValue` (a reference-count
/// increment), and the policy costs one atomic increment. The only allocations
/// are the header map's own when it grows, and, for an inner `Err` only, the
/// boxed response mapper that adds the headers to the error's response.
pub struct CorsMiddleware<S> {
    service: S,
    routes: Arc<Routes<PolicyRef>>,
}

impl<S> fmt::Debug for CorsMiddleware<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CorsMiddleware").finish_non_exhaustive()
    }
}

impl<S, B> Service<ServiceRequest> for CorsMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = ResponseFuture<S::Future>;

    fn poll_ready(&self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.service.poll_ready(cx)
    }

    fn call(&self, req: ServiceRequest) -> Self::Future {
        // The path actix-web's router matches on (re-quoted like the router does).
        let policy = self.routes.get(req.match_info().as_str()).snapshot();
        let decision = policy.decide(&req);
        if let Some(status) = decision.status() {
            let mut res = HttpResponse::new(StatusCode::from_u16(status).unwrap_or(StatusCode::FORBIDDEN));
            decision.write(&mut Writer {
                values: Values::of(&policy),
                echo: Echo::Request(req.headers()),
                response: res.headers_mut(),
            });
            return ResponseFuture {
                state: State::Preflight {
                    response: Some(req.into_response(res)),
                },
            };
        }
        // Read what the headers need before calling inward: an actual request echoes
        // at most its one `Origin` line (cloning the `HttpRequest` instead would
        // break actix-web's routing, which needs it uniquely owned).
        let origin = match decision.headers().allow_origin {
            Some(AllowOrigin::Echo) => req.headers().get(header::ORIGIN).cloned(),
            _ => None,
        };
        ResponseFuture {
            state: State::Inner {
                future: self.service.call(req),
                decision,
                policy,
                origin,
            },
        }
    }
}

pin_project! {
    /// The response future of [`CorsMiddleware`].
    pub struct ResponseFuture<F> {
        #[pin]
        state: State<F>,
    }
}

pin_project! {
    #[project = StateProj]
    enum State<F> {
        Preflight {
            response: Option<ServiceResponse<BoxBody>>,
        },
        Inner {
            #[pin]
            future: F,
            decision: Decision,
            policy: Snapshot,
            origin: Option<HeaderValue>,
        },
    }
}

impl<F> fmt::Debug for ResponseFuture<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}

impl<F, B> Future for ResponseFuture<F>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
{
    type Output = Result<ServiceResponse<EitherBody<B>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            StateProj::Preflight { response } => Poll::Ready(Ok(response
                .take()
                .expect("ResponseFuture polled after completion")
                .map_into_right_body())),
            StateProj::Inner {
                future,
                decision,
                policy,
                origin,
            } => match task::ready!(future.poll(cx)) {
                Ok(mut res) => {
                    decision.write(&mut Writer {
                        values: Values::of(policy),
                        echo: Echo::Origin(origin.as_ref()),
                        response: res.headers_mut(),
                    });
                    Poll::Ready(Ok(res.map_into_left_body()))
                }
                // A middleware inside us failed: its response is rendered later, by
                // actix-web, from the error. Keep the error (and its type, for
                // `as_error`) and add our headers to whatever it renders.
                Err(mut err) => {
                    let (decision, policy, origin) = (*decision, policy.clone(), origin.take());
                    err.add_response_mapper(move |mut res| {
                        decision.write(&mut Writer {
                            values: Values::of(&policy),
                            echo: Echo::Origin(origin.as_ref()),
                            response: res.headers_mut(),
                        });
                        res
                    });
                    Poll::Ready(Err(err))
                }
            },
        }
    }
}

/// Where echoed values come from.
enum Echo<'a> {
    /// A preflight: the request is still here.
    Request(&'a HeaderMap),
    /// An actual request, gone inward: its `Origin`, kept aside.
    Origin(Option<&'a HeaderValue>),
}

struct Writer<'a> {
    values: &'a Values,
    echo: Echo<'a>,
    response: &'a mut HeaderMap,
}

impl HeaderWriter for Writer<'_> {
    fn remove(&mut self, name: ResponseHeader) {
        self.response.remove(response_header_name(name));
    }

    fn append(&mut self, name: ResponseHeader, v: Value) {
        if let Some(v) = self.values.value(v) {
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
        self.response.get_all(header::VARY).map(HeaderValue::as_bytes)
    }

    fn has_cors_headers(&self) -> bool {
        self.response.keys().any(|k| k.as_str().starts_with("access-control-"))
    }
}
