//! The tower adapter (feature `tower`): [`CorsLayer`] for axum, tonic, hyper-util and
//! any tower service over `http` 1, a thin shell over [`Policy::decide`](crate::Policy::decide) and [`Decision::write`](crate::Decision::write).
//!
//! # Where to put it
//!
//! Outermost, or at least outside routing, authentication and any middleware
//! that may answer on its own: preflights are answered by the layer before
//! anything inside it runs, and every response coming back out (the handler's,
//! an extractor rejection, the router's 404 and 405, an authentication
//! middleware's 401, a panic turned into a 500 by a catch-panic layer *inside*
//! this one) gets the policy's CORS headers, so the browser sees the real status
//! instead of a CORS error (RULES.md section 3). An inner service's `Err` carries
//! no response and passes through untouched (axum's services never return one).
//!
//! In axum, `Router::layer(CorsLayer::new(..))` called last wraps every route and
//! the fallback outermost, so no handler, extractor or middleware added before it
//! sees a preflight. To run it before the router itself (then axum's method
//! router does not add its `Allow` header to preflight answers), wrap the router
//! and serve that: `axum::serve(listener, ServiceExt::<Request>::into_make_service(
//! CorsLayer::new(..).layer(router)))`, with `axum::ServiceExt` and `tower::Layer`
//! in scope. Both give the same CORS answers.
//!
//! # Per-route policies
//!
//! One layer holds a default policy and path-prefix overrides; the longest prefix
//! that matches whole path segments wins (`/public` matches `/public` and
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
//! Prefixes are literal paths, checked when added: [`try_route`](CorsLayer::try_route)
//! returns every problem as an [`Error`](crate::Error), and [`route`](CorsLayer::route)
//! (for prefixes written in the program) makes the whole layer grant nothing
//! while a prefix is bad.
//!
//! Where the layer sits decides what path it sees. On the outer router (or
//! wrapping it) it matches the full request path. On a router nested with
//! `Router::nest("/api", inner.layer(..))`, axum hands it the path with `/api`
//! removed, so prefixes are relative to the nested router: `.route("/private", ..)`
//! covers `/api/private/..`. (The actix-web adapter on a `scope` sees the full
//! path instead: see the actix-web adapter, `corsair::actix`.)
//!
//! Do not stack two CORS layers on one route instead (say, one on a nested router
//! and one outside): the outer one removes and rewrites every `Access-Control-*`
//! header the inner one wrote, and answers preflights before the inner one sees them.
//!
//! ```
//! use corsair_core::{tower::CorsLayer, Policy};
//! use http::{Request, Response};
//! use std::convert::Infallible;
//! use tower::{service_fn, ServiceBuilder, ServiceExt};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let api = Policy::builder()
//!     .allow_origins(["https://app.example.com"])
//!     .allow_methods(["GET", "PUT"])
//!     .build()?;
//! let public = Policy::builder().allow_origins(["*"]).build()?;
//!
//! let service = ServiceBuilder::new()
//!     .layer(CorsLayer::new(api).route("/public", public))
//!     .service(service_fn(|_req: Request<String>| async {
//!         Ok::<_, Infallible>(Response::new(String::from("hello")))
//!     }));
//!
//! // A preflight is answered by the layer; the handler does not run.
//! let preflight = Request::options("/items")
//!     .header("origin", "https://app.example.com")
//!     .header("access-control-request-method", "PUT")
//!     .body(String::new())?;
//! let res = service.clone().oneshot(preflight).await?;
//! assert_eq!(res.status(), 204);
//! assert_eq!(res.headers()["access-control-allow-methods"], "GET, PUT");
//! assert_eq!(res.body(), "");
//!
//! // Under `/public`, the public policy answers.
//! let req = Request::get("/public/logo.png")
//!     .header("origin", "https://anyone.example.net")
//!     .body(String::new())?;
//! let res = service.clone().oneshot(req).await?;
//! assert_eq!(res.headers()["access-control-allow-origin"], "*");
//!
//! // A normalizer may read this path as `/public/logo.png` although, as received,
//! // it is not under `/public`: neither policy grants anything.
//! let req = Request::get("//public/logo.png")
//!     .header("origin", "https://anyone.example.net")
//!     .body(String::new())?;
//! let res = service.oneshot(req).await?;
//! assert!(res.headers().get("access-control-allow-origin").is_none());
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

use http::header::HeaderValue;
use http::{Request, Response, StatusCode};
use pin_project_lite::pin_project;
use tower_layer::Layer;
use tower_service::Service;

use crate::adapter::http1::{kept_origin, Echo, Writer};
use crate::engine::{write_actual, Headers};
use crate::routes::{self, PolicyRef, Routes, Snapshot};

routes::route_methods!(
    /// A tower [`Layer`] that applies a CORS policy (and per-route overrides) to a service.
    ///
    /// Takes a `&'static Policy` (declare a `cors!` policy `static`), an owned
    /// [`Policy`](crate::Policy) (from the builder or a config file), or a
    /// [`LivePolicy`](crate::LivePolicy) (replaced while serving); see the [module docs](self).
    ///
    /// ```
    /// use axum::{routing::get, Router};
    /// use corsair_core::{tower::CorsLayer, Policy};
    ///
    /// let api = Policy::builder()
    ///     .allow_origins(["https://app.example.com"])
    ///     .allow_methods(["GET", "POST", "DELETE"])
    ///     .allow_headers(["content-type", "authorization"])
    ///     .allow_credentials(true)
    ///     .build()?;
    ///
    /// let app: Router = Router::new()
    ///     .route("/items", get(|| async { "items" }))
    ///     .layer(CorsLayer::new(api)); // last, so outermost
    /// # Ok::<(), corsair_core::Error>(())
    /// ```
    CorsLayer,
    "tower::CorsLayer",
    "layer"
);

impl<S> Layer<S> for CorsLayer {
    type Service = CorsService<S>;

    fn layer(&self, inner: S) -> CorsService<S> {
        CorsService {
            inner,
            routes: Arc::clone(&self.routes),
        }
    }
}

/// The service [`CorsLayer`] wraps around another: answers preflights itself and
/// adds CORS headers to every response of the inner service.
///
/// Per request it allocates nothing: the decision is a small `Copy` value, an
/// exact origin is answered with the policy's own prebuilt value, a pattern or
/// predicate match keeps a clone of the request's `Origin` (a reference-count
/// increment for a hyper-parsed request; one allocation for a value that owns its
/// bytes, as in a request built in process, e.g. a `lambda_http` event), an owned
/// policy costs one atomic increment, and a live one the fixed few atomic
/// operations of [`LivePolicy::load`](crate::LivePolicy::load); the response future
/// holds that snapshot, so a request finishes under the policy it began with. The
/// only other allocations are the header map's own when it grows.
#[derive(Clone)]
pub struct CorsService<S> {
    inner: S,
    routes: Arc<Routes<PolicyRef>>,
}

impl<S: fmt::Debug> fmt::Debug for CorsService<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CorsService")
            .field("inner", &self.inner)
            .field("routes", &self.routes)
            .finish()
    }
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for CorsService<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: Default,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future, ResBody>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<ReqBody>) -> Self::Future {
        let (_, policy, decision) = routes::decide(&self.routes, req.uri().path(), &req, |p| p);
        if let Some(status) = decision.status() {
            let mut res = Response::new(ResBody::default());
            *res.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::FORBIDDEN);
            decision.apply(&policy, req.headers(), res.headers_mut());
            return ResponseFuture {
                state: State::Preflight { response: Some(res) },
            };
        }
        // An actual request's headers echo at most the one `Origin` line; keep it
        // (a cheap clone) since the request moves inward, unless the policy's own
        // prebuilt value answers it (an exact origin).
        let origin = kept_origin(&decision, req.headers());
        ResponseFuture {
            state: State::Inner {
                future: self.inner.call(req),
                headers: *decision.headers(),
                policy,
                origin,
            },
        }
    }
}

pin_project! {
    /// The response future of [`CorsService`].
    pub struct ResponseFuture<F, B> {
        #[pin]
        state: State<F, B>,
    }
}

pin_project! {
    #[project = StateProj]
    enum State<F, B> {
        Preflight {
            response: Option<Response<B>>,
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

impl<F, B> fmt::Debug for ResponseFuture<F, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}

impl<F, B, E> Future for ResponseFuture<F, B>
where
    F: Future<Output = Result<Response<B>, E>>,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            StateProj::Preflight { response } => {
                Poll::Ready(Ok(response.take().expect("ResponseFuture polled after completion")))
            }
            StateProj::Inner {
                future,
                headers,
                policy,
                origin,
            } => {
                let mut res = ready!(future.poll(cx))?;
                write_actual(
                    headers,
                    &mut Writer::new(&**policy, Echo::Origin(origin.as_ref()), res.headers_mut()),
                );
                Poll::Ready(Ok(res))
            }
        }
    }
}
