//! The tower side: the bare handler, the floor layer, our `CorsLayer` and
//! tower-http's with the equivalent policy, called in-process (no runtime, no
//! network: every future here is ready at its first poll).

use std::convert::Infallible;
use std::future::{ready, Future, Ready};
use std::pin::{pin, Pin};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use pin_project_lite::pin_project;
use tower::{service_fn, Layer, Service};
use tower_http::cors::AllowOrigin;

use crate::counting::allocations;
use crate::spec;
use crate::RequestSpec;

/// The response body: static, so making one allocates nothing.
pub type Body = &'static str;

/// The handler: a small text response, as any endpoint would answer.
pub fn handler(_req: Request<()>) -> Ready<Result<Response<Body>, Infallible>> {
    let mut res = Response::new("hello");
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    ready(Ok(res))
}

/// The handler's type, nameable.
pub type Handler = fn(Request<()>) -> Ready<Result<Response<Body>, Infallible>>;

/// The bare service: the handler, no CORS.
pub fn bare() -> tower::util::ServiceFn<Handler> {
    service_fn(handler as Handler)
}

/// How a request's header values were made, which decides what cloning one costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Made {
    /// As hyper parses them: every value a slice of the connection's shared buffer,
    /// so cloning one copies no bytes (here `from_static` values, which copy none either).
    Parsed,
    /// Built in process, each value owning its bytes (`HeaderValue::from_str`, as
    /// `lambda_http` converts an API Gateway event, or a test builds a request): the
    /// first clone of such a value allocates.
    InProcess,
}

impl Made {
    /// Both kinds.
    pub const ALL: [Made; 2] = [Made::Parsed, Made::InProcess];

    /// The id in reports and test messages.
    pub fn id(self) -> &'static str {
        match self {
            Made::Parsed => "parsed",
            Made::InProcess => "in-process",
        }
    }
}

/// A request built once and cloned per call ([`Made::Parsed`]), or built afresh
/// per call from the same lines ([`Made::InProcess`]).
#[derive(Clone, Debug)]
pub struct Template {
    method: Method,
    headers: HeaderMap,
    made: Made,
}

impl Template {
    /// Builds the header map once, of `from_static` values: cloning it copies no
    /// bytes, as with a hyper-parsed request's shared buffer.
    pub fn new(spec: &RequestSpec) -> Self {
        Self::made(spec, Made::Parsed)
    }

    /// A template whose requests are built afresh each time, every value by
    /// `HeaderValue::from_str` (owning its bytes), as `lambda_http` builds one.
    pub fn in_process(spec: &RequestSpec) -> Self {
        Self::made(spec, Made::InProcess)
    }

    /// A template of either kind.
    pub fn made(spec: &RequestSpec, made: Made) -> Self {
        let mut headers = HeaderMap::new();
        for &(name, value) in &spec.headers {
            headers.append(HeaderName::from_static(name), HeaderValue::from_static(value));
        }
        Template {
            method: Method::from_bytes(spec.method.as_bytes()).expect("method"),
            headers,
            made,
        }
    }

    /// A fresh request.
    pub fn request(&self) -> Request<()> {
        let mut req = Request::new(());
        *req.method_mut() = self.method.clone();
        *req.uri_mut() = http::Uri::from_static("/items");
        *req.headers_mut() = match self.made {
            Made::Parsed => self.headers.clone(),
            Made::InProcess => {
                let mut owned = HeaderMap::with_capacity(self.headers.len());
                for (name, value) in &self.headers {
                    let value = value.to_str().expect("ASCII test values");
                    owned.append(name.clone(), HeaderValue::from_str(value).expect("valid value"));
                }
                owned
            }
        };
        req
    }

    /// The same request with another `Origin`.
    pub fn with_origin(&self, origin: &'static str) -> Self {
        let mut t = self.clone();
        t.headers.insert(header::ORIGIN, HeaderValue::from_static(origin));
        t
    }
}

/// Sends one request through `svc`: `poll_ready`, `call`, one poll.
pub fn call<S>(svc: &mut S, req: Request<()>) -> Response<Body>
where
    S: Service<Request<()>, Response = Response<Body>, Error = Infallible>,
{
    let mut cx = Context::from_waker(Waker::noop());
    match svc.poll_ready(&mut cx) {
        Poll::Ready(Ok(())) => {}
        _ => panic!("the service was not ready"),
    }
    match pin!(svc.call(req)).poll(&mut cx) {
        Poll::Ready(Ok(res)) => res,
        Poll::Ready(Err(e)) => match e {},
        Poll::Pending => panic!("the response was not ready at the first poll"),
    }
}

/// The CORS lines of a response (`Access-Control-*` and `Vary`), in order.
pub fn cors_lines(headers: &HeaderMap) -> Vec<(HeaderName, HeaderValue)> {
    headers
        .iter()
        .filter(|(n, _)| n.as_str().starts_with("access-control-") || *n == header::VARY)
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect()
}

/// The floor: a layer that does no check at all, only writes prebuilt header
/// lines, answering a preflight itself (the status given) or adding them to the
/// inner service's response. The least any CORS middleware must do.
#[derive(Clone, Copy, Debug)]
pub struct FloorLayer {
    answer: Option<StatusCode>,
    lines: &'static [(HeaderName, HeaderValue)],
}

impl FloorLayer {
    /// Writes the CORS lines of `like` (a response of our layer to the same
    /// request), answering with its status if `preflight`.
    pub fn copying(like: &Response<Body>, preflight: bool) -> Self {
        FloorLayer {
            answer: preflight.then(|| like.status()),
            lines: Vec::leak(cors_lines(like.headers())),
        }
    }
}

impl<S> Layer<S> for FloorLayer {
    type Service = Floor<S>;

    fn layer(&self, inner: S) -> Floor<S> {
        Floor { inner, layer: *self }
    }
}

/// The service of [`FloorLayer`].
#[derive(Clone, Debug)]
pub struct Floor<S> {
    inner: S,
    layer: FloorLayer,
}

fn write(lines: &[(HeaderName, HeaderValue)], to: &mut HeaderMap) {
    for (name, value) in lines {
        to.append(name.clone(), value.clone());
    }
}

impl<S, B> Service<Request<()>> for Floor<S>
where
    S: Service<Request<()>, Response = Response<B>>,
    B: Default,
{
    type Response = Response<B>;
    type Error = S::Error;
    type Future = FloorFuture<S::Future, B>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<()>) -> Self::Future {
        match self.layer.answer {
            Some(status) => {
                let mut res = Response::new(B::default());
                *res.status_mut() = status;
                write(self.layer.lines, res.headers_mut());
                FloorFuture::Answer { response: Some(res) }
            }
            None => FloorFuture::Inner {
                future: self.inner.call(req),
                lines: self.layer.lines,
            },
        }
    }
}

pin_project! {
    /// The response future of [`Floor`].
    #[project = FloorProj]
    pub enum FloorFuture<F, B> {
        /// A preflight, answered.
        Answer { response: Option<Response<B>> },
        /// The inner service's response, to be decorated.
        Inner {
            #[pin]
            future: F,
            lines: &'static [(HeaderName, HeaderValue)],
        },
    }
}

impl<F, B, E> Future for FloorFuture<F, B>
where
    F: Future<Output = Result<Response<B>, E>>,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            FloorProj::Answer { response } => Poll::Ready(Ok(response.take().expect("polled after completion"))),
            FloorProj::Inner { future, lines } => {
                let mut res = std::task::ready!(future.poll(cx))?;
                write(lines, res.headers_mut());
                Poll::Ready(Ok(res))
            }
        }
    }
}

/// tower-http's `CorsLayer` with the policy of [`crate::API`] but for its origins.
///
/// What it cannot express: it does not check the requested method or headers
/// (it lists the allowed ones and lets the browser decide), answers every
/// `OPTIONS` itself with 200 whatever the origin, and sends the full preflight
/// `Vary` on every response.
pub fn tower_http_layer(origins: AllowOrigin) -> tower_http::cors::CorsLayer {
    tower_http::cors::CorsLayer::new()
        .allow_origin(origins)
        .allow_methods(spec::METHODS.map(|m| Method::from_bytes(m.as_bytes()).expect("method")))
        .allow_headers(spec::HEADERS.map(HeaderName::from_static))
        .expose_headers(spec::EXPOSE.map(HeaderName::from_static))
        .allow_credentials(true)
        .max_age(Duration::from_secs(spec::MAX_AGE.into()))
}

/// tower-http's equivalent of [`crate::API`].
pub fn tower_http_api() -> tower_http::cors::CorsLayer {
    tower_http_layer(AllowOrigin::list([HeaderValue::from_static(spec::APP_ORIGIN)]))
}

/// tower-http's equivalent of a scaling policy: its own list for exact origins
/// (a linear scan), a predicate when patterns are added (tower-http takes one or
/// the other, so the predicate scans the list too, as tower-http would).
pub fn tower_http_scaling(n: usize, patterns: bool) -> tower_http::cors::CorsLayer {
    let exact: Vec<HeaderValue> = (0..n)
        .map(|i| HeaderValue::from_str(&spec::tenant(i)).expect("origin"))
        .collect();
    let origins = if patterns {
        AllowOrigin::predicate(move |origin, _| {
            exact.contains(origin) || crate::matches_peer_pattern(origin.as_bytes())
        })
    } else {
        AllowOrigin::list(exact)
    };
    tower_http_layer(origins)
}

/// Which stack a measurement went through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stack {
    /// The handler alone.
    Bare,
    /// The floor layer.
    Floor,
    /// Our layer, `cors!` policy.
    CorsMacro,
    /// Our layer, builder policy.
    CorsBuilder,
    /// tower-http's `CorsLayer`.
    TowerHttp,
}

impl Stack {
    /// Every stack, in table order.
    pub const ALL: [Stack; 5] = [
        Stack::Bare,
        Stack::Floor,
        Stack::CorsMacro,
        Stack::CorsBuilder,
        Stack::TowerHttp,
    ];

    /// The benchmark id.
    pub fn id(self) -> &'static str {
        match self {
            Stack::Bare => "bare",
            Stack::Floor => "floor",
            Stack::CorsMacro => "cors-macro",
            Stack::CorsBuilder => "cors-builder",
            Stack::TowerHttp => "tower-http",
        }
    }
}

/// A type-erased stack, for tests and reports (benchmarks call the concrete types).
pub type Erased = Box<dyn FnMut(Request<()>) -> Response<Body>>;

fn erase<S>(mut svc: S) -> Erased
where
    S: Service<Request<()>, Response = Response<Body>, Error = Infallible> + 'static,
{
    Box::new(move |req| call(&mut svc, req))
}

/// Builds `stack` for the main comparison; the floor copies our layer's answer to `spec`.
pub fn build(stack: Stack, spec: &RequestSpec, preflight: bool) -> Erased {
    match stack {
        Stack::Bare => erase(bare()),
        Stack::Floor => {
            let mut ours = corsair::tower::CorsLayer::new(&crate::API).layer(bare());
            let like = call(&mut ours, Template::new(spec).request());
            erase(FloorLayer::copying(&like, preflight).layer(bare()))
        }
        Stack::CorsMacro => erase(corsair::tower::CorsLayer::new(&crate::API).layer(bare())),
        Stack::CorsBuilder => erase(corsair::tower::CorsLayer::new(crate::api_builder()).layer(bare())),
        Stack::TowerHttp => erase(tower_http_api().layer(bare())),
    }
}

/// Allocations of one request through `svc` (warmed up first), and its response.
pub fn count_allocations(svc: &mut Erased, template: &Template) -> (usize, Response<Body>) {
    drop(svc(template.request()));
    let req = template.request();
    let (res, n) = allocations(|| svc(req));
    (n, res)
}
