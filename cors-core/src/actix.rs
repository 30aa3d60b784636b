//! The actix-web 4 adapter (feature `actix`): [`Cors`], a middleware (a `Transform`),
//! a thin shell over [`Policy::decide`](crate::Policy::decide) and [`Decision::write`](crate::Decision::write).
//!
//! actix-web 4 is built on `http` 0.2, so the policy's prebuilt header values
//! (its lists and each exact origin's `Access-Control-Allow-Origin`) exist in
//! actix's types too: built at compile time by `cors!`, or for any other policy
//! converted once, on its first request, and kept in the policy itself (so a
//! replaced [`LivePolicy`](crate::LivePolicy) never sends the old lists). Echoed
//! values (a pattern-matched origin, echoed methods or headers) are clones of the
//! request's own header values.
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
//! The choice fails closed (RULES.md section 7). Besides the path as received, the
//! layer reads it as routers and path-normalizing services may (a proxy,
//! `NormalizePath`, a file server): empty segments dropped, percent-escapes
//! decoded within a segment, `.` and `..` resolved (also written `%2e`), `%2F`,
//! `%5C` and `\` taken as separators, and ASCII case folded (a file server on a
//! case-insensitive file system). When any reading selects a different entry
//! than the path as received, nothing is granted: no `Access-Control-Allow-*`
//! header, a preflight gets 403 (with `Vary`), an actual request still reaches
//! the handler. So `//private/x`, `/%70rivate/x`, `/PRIVATE/x` and
//! `/private/..%2F..%2Fpublic` get neither `/private`'s policy nor the
//! default's. Browsers send paths as the page wrote them; a plain path (no `%`,
//! `\`, upper-case letter, `//`, `.` or `..` segment) is read once, others at
//! most 19 times, with no allocation. The query is never part of the path; an
//! absolute-form request target (`GET http://host/x`) is matched by its path;
//! `OPTIONS *` matches no prefix, so the default answers it. Escapes are decoded
//! once (`%2570` is `%70`, not `p`), and decoded bytes are bytes: an overlong
//! UTF-8 form such as `%C0%AF` is not a `/`. Such a refusal is reported like any
//! denial ([`Denial::Route`](crate::Denial::Route); with the `tracing` feature, a
//! debug event naming the path and the readings that disagree).
//!
//! Prefixes are literal paths, checked when added: [`try_route`](Cors::try_route)
//! returns every problem as an [`Error`](crate::Error), and [`route`](Cors::route)
//! (for prefixes written in the program) makes the whole layer grant nothing
//! while a prefix is bad.
//!
//! The middleware matches prefixes against the full request path as received
//! (`req.uri().path()`), wherever it is wrapped: on `web::scope("/api").wrap(..)`
//! a prefix must include the scope's path, `.route("/api/private", ..)`. (The
//! tower adapter on a nested axum router sees the path with the nest prefix
//! removed instead; see the tower module.)
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
//!
//! // A normalizer may read this path as `/public/missing` although, as received,
//! // it is not under `/public`: neither policy grants anything.
//! let req = test::TestRequest::get()
//!     .uri("//public/missing")
//!     .insert_header(("origin", "https://anyone.example.net"))
//!     .to_request();
//! let res = test::call_service(&app, req).await;
//! assert!(res.headers().get("access-control-allow-origin").is_none());
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
use actix_web::http::header::HeaderValue;
use actix_web::http::StatusCode;
use actix_web::{Error, HttpResponse};
use pin_project_lite::pin_project;

use crate::adapter::http02::{kept_origin, ActixValues, Echo, Writer};
use crate::engine::{write_actual, Headers};
use crate::routes::{self, PolicyRef, Routes, Snapshot};

routes::route_methods!(
    /// The actix-web middleware: answers preflights itself and adds CORS headers to
    /// every response, including errors, 404 and 405.
    ///
    /// Takes a `&'static Policy` (declare a `cors!` policy `static`), an owned
    /// [`Policy`](crate::Policy) (from the builder or a config file), or a
    /// [`LivePolicy`](crate::LivePolicy) (replaced while serving); see the [module docs](self).
    /// Make it once and clone it into `HttpServer::new`'s factory: clones share the policies.
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
    Cors,
    "actix::Cors",
    "middleware"
);

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
/// Per request it allocates nothing: the decision is a small `Copy` value, an
/// exact origin is answered with the policy's prebuilt value, a pattern or
/// predicate match keeps a clone of the request's `Origin` (a reference-count
/// increment), and an owned policy costs one atomic increment (a live one a fixed few). The only allocations
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
        // The full path as received (as the tower adapter reads it), whatever scope
        // this middleware wraps; its readings cover the router's re-quoting.
        let (_, policy, decision) = routes::decide(&self.routes, req.uri().path(), &req, |p| p);
        if let Some(status) = decision.status() {
            let mut res = HttpResponse::new(StatusCode::from_u16(status).unwrap_or(StatusCode::FORBIDDEN));
            decision.write(&mut Writer::new(
                ActixValues::of(&policy),
                Echo::Request(req.headers()),
                res.headers_mut(),
            ));
            return ResponseFuture {
                state: State::Preflight {
                    response: Some(req.into_response(res)),
                },
            };
        }
        // Read what the headers need before calling inward: an actual request echoes
        // at most its one `Origin` line (cloning the `HttpRequest` instead would
        // break actix-web's routing, which needs it uniquely owned).
        let origin = kept_origin(&decision, req.headers());
        ResponseFuture {
            state: State::Inner {
                future: self.service.call(req),
                headers: *decision.headers(),
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
            // Not the whole `Decision`: a smaller future is cheaper to move.
            headers: Headers,
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

    #[inline(always)]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            StateProj::Preflight { response } => Poll::Ready(Ok(response
                .take()
                .expect("ResponseFuture polled after completion")
                .map_into_right_body())),
            StateProj::Inner {
                future,
                headers,
                policy,
                origin,
            } => match task::ready!(future.poll(cx)) {
                Ok(mut res) => {
                    write_actual(
                        headers,
                        &mut Writer::new(
                            ActixValues::of(policy),
                            Echo::Origin(origin.as_ref()),
                            res.headers_mut(),
                        ),
                    );
                    Poll::Ready(Ok(res.map_into_left_body()))
                }
                Err(err) => Poll::Ready(Err(add_headers_to_error(err, headers, policy, origin))),
            },
        }
    }
}

/// A middleware inside us failed: its response is rendered later, by actix-web,
/// from the error. Keep the error (and its type, for `as_error`) and add our
/// headers to whatever it renders. Out of line, so that the path every response
/// of the handler takes stays small.
#[cold]
#[inline(never)]
fn add_headers_to_error(
    mut err: Error,
    headers: &Headers,
    policy: &Snapshot,
    origin: &mut Option<HeaderValue>,
) -> Error {
    let (headers, policy, origin) = (*headers, policy.clone(), origin.take());
    err.add_response_mapper(move |mut res| {
        write_actual(
            &headers,
            &mut Writer::new(
                ActixValues::of(&policy),
                Echo::Origin(origin.as_ref()),
                res.headers_mut(),
            ),
        );
        res
    });
    err
}
