//! The actix-web side: the bare app, the floor middleware, our `Cors` and
//! actix-cors's with the equivalent policy, each an `App` made with
//! `test::init_service` and called in-process (no network; every future here is
//! ready at its first poll). Run inside an actix `System`.

use std::future::{ready, Future, Ready};
use std::pin::{pin, Pin};
use std::task::{Context, Poll, Waker};

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{test, web, App, Error, HttpResponse};
use pin_project_lite::pin_project;

use crate::counting::allocations;
use crate::spec;
use crate::RequestSpec;

/// The handler: a small text response, as any endpoint would answer.
pub async fn handler() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        ))
        .body("hello")
}

/// The bare app: `/items` answers every method, so a preflight through it runs
/// the handler (the "bare service's time for the same request").
pub fn app() -> App<
    impl actix_web::dev::ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<BoxBody>,
        Error = Error,
        InitError = (),
    >,
> {
    App::new().service(web::resource("/items").to(handler))
}

/// A request built per call from lines made once (`from_static`, so no bytes
/// are copied, as with actix-http's shared read buffer).
#[derive(Clone, Debug)]
pub struct Template {
    method: Method,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl Template {
    /// Converts the lines once.
    pub fn new(spec: &RequestSpec) -> Self {
        Template {
            method: Method::from_bytes(spec.method.as_bytes()).expect("method"),
            headers: spec
                .headers
                .iter()
                .map(|&(n, v)| (HeaderName::from_static(n), HeaderValue::from_static(v)))
                .collect(),
        }
    }

    /// A fresh request.
    pub fn request(&self) -> actix_http::Request {
        let mut req = test::TestRequest::default().method(self.method.clone()).uri("/items");
        for (name, value) in &self.headers {
            req = req.append_header((name.clone(), value.clone()));
        }
        req.to_request()
    }

    /// The same request as the middleware sees it (for `decide` alone).
    pub fn service_request(&self) -> ServiceRequest {
        let mut req = test::TestRequest::default().method(self.method.clone()).uri("/items");
        for (name, value) in &self.headers {
            req = req.append_header((name.clone(), value.clone()));
        }
        req.to_srv_request()
    }

    /// The same request with another `Origin`.
    pub fn with_origin(&self, origin: &'static str) -> Self {
        let mut t = self.clone();
        for (name, value) in &mut t.headers {
            if *name == header::ORIGIN {
                *value = HeaderValue::from_static(origin);
            }
        }
        t
    }
}

/// Sends one request through `svc`: `poll_ready`, `call`, one poll.
pub fn call<S, R, B>(svc: &S, req: R) -> ServiceResponse<B>
where
    S: Service<R, Response = ServiceResponse<B>, Error = Error>,
{
    let mut cx = Context::from_waker(Waker::noop());
    match svc.poll_ready(&mut cx) {
        Poll::Ready(Ok(())) => {}
        _ => panic!("the service was not ready"),
    }
    match pin!(svc.call(req)).poll(&mut cx) {
        Poll::Ready(Ok(res)) => res,
        Poll::Ready(Err(e)) => panic!("the service failed: {e}"),
        Poll::Pending => panic!("the response was not ready at the first poll"),
    }
}

/// The CORS lines of a response (`Access-Control-*` and `Vary`), in order.
pub fn cors_lines(headers: &HeaderMap) -> Vec<(HeaderName, HeaderValue)> {
    headers
        .iter()
        .filter(|(n, _)| n.as_str().starts_with("access-control-") || **n == header::VARY)
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect()
}

/// The floor: a middleware that does no check at all, only writes prebuilt header
/// lines, answering a preflight itself (the status given) or adding them to the
/// inner service's response. The least any CORS middleware must do.
#[derive(Clone, Copy, Debug)]
pub struct Floor {
    answer: Option<StatusCode>,
    lines: &'static [(HeaderName, HeaderValue)],
}

impl Floor {
    /// Writes the CORS lines of `like` (a response of our middleware to the same
    /// request), answering with its status if `preflight`.
    pub fn copying<B>(like: &ServiceResponse<B>, preflight: bool) -> Self {
        Floor {
            answer: preflight.then(|| like.status()),
            lines: Vec::leak(cors_lines(like.headers())),
        }
    }
}

impl<S, B> Transform<S, ServiceRequest> for Floor
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = FloorMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<FloorMiddleware<S>, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(FloorMiddleware { service, floor: *self }))
    }
}

/// The service of [`Floor`].
#[derive(Debug)]
pub struct FloorMiddleware<S> {
    service: S,
    floor: Floor,
}

fn write(lines: &[(HeaderName, HeaderValue)], to: &mut HeaderMap) {
    for (name, value) in lines {
        to.append(name.clone(), value.clone());
    }
}

impl<S, B> Service<ServiceRequest> for FloorMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = FloorFuture<S::Future>;

    fn poll_ready(&self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.service.poll_ready(cx)
    }

    fn call(&self, req: ServiceRequest) -> Self::Future {
        match self.floor.answer {
            Some(status) => {
                let mut res = HttpResponse::new(status);
                write(self.floor.lines, res.headers_mut());
                FloorFuture::Answer {
                    response: Some(req.into_response(res)),
                }
            }
            None => FloorFuture::Inner {
                future: self.service.call(req),
                lines: self.floor.lines,
            },
        }
    }
}

pin_project! {
    /// The response future of [`FloorMiddleware`].
    #[project = FloorProj]
    pub enum FloorFuture<F> {
        /// A preflight, answered.
        Answer { response: Option<ServiceResponse<BoxBody>> },
        /// The inner service's response, to be decorated.
        Inner {
            #[pin]
            future: F,
            lines: &'static [(HeaderName, HeaderValue)],
        },
    }
}

impl<F, B> Future for FloorFuture<F>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
{
    type Output = Result<ServiceResponse<EitherBody<B>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            FloorProj::Answer { response } => Poll::Ready(Ok(response
                .take()
                .expect("polled after completion")
                .map_into_right_body())),
            FloorProj::Inner { future, lines } => {
                let mut res = std::task::ready!(future.poll(cx))?;
                write(lines, res.headers_mut());
                Poll::Ready(Ok(res.map_into_left_body()))
            }
        }
    }
}

/// actix-cors's `Cors` allowing these exact origins, plus [`spec::PATTERNS`]
/// through an origin function if `patterns`, otherwise equal to [`crate::API`].
///
/// What differs: it checks methods without exempting GET, HEAD and POST (so HEAD
/// is listed here), refuses a denied preflight with a 400 and a text body, and
/// never removes a handler's own CORS headers.
pub fn actix_cors(origins: &[String], patterns: bool) -> actix_cors::Cors {
    let mut cors = actix_cors::Cors::default();
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    if patterns {
        cors = cors.allowed_origin_fn(|origin, _| crate::matches_peer_pattern(origin.as_bytes()));
    }
    cors.allowed_methods(["GET", "HEAD", "POST", "PUT", "DELETE"])
        .allowed_headers(spec::HEADERS)
        .expose_headers(spec::EXPOSE)
        .supports_credentials()
        .max_age(spec::MAX_AGE as usize)
}

/// actix-cors's equivalent of [`crate::API`].
pub fn actix_cors_api() -> actix_cors::Cors {
    actix_cors(&[spec::APP_ORIGIN.to_owned()], false)
}

/// Which stack a measurement went through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stack {
    /// The app alone.
    Bare,
    /// The floor middleware.
    Floor,
    /// Our middleware, `cors!` policy.
    CorsMacro,
    /// Our middleware, builder policy.
    CorsBuilder,
    /// actix-cors.
    ActixCors,
}

impl Stack {
    /// Every stack, in table order.
    pub const ALL: [Stack; 5] = [
        Stack::Bare,
        Stack::Floor,
        Stack::CorsMacro,
        Stack::CorsBuilder,
        Stack::ActixCors,
    ];

    /// The benchmark id.
    pub fn id(self) -> &'static str {
        match self {
            Stack::Bare => "bare",
            Stack::Floor => "floor",
            Stack::CorsMacro => "cors-macro",
            Stack::CorsBuilder => "cors-builder",
            Stack::ActixCors => "actix-cors",
        }
    }
}

/// What a response said, for checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The status.
    pub status: u16,
    /// The CORS lines, as text, sorted.
    pub lines: Vec<(String, String)>,
}

impl Answer {
    fn of<B>(res: &ServiceResponse<B>) -> Self {
        let mut lines: Vec<(String, String)> = cors_lines(res.headers())
            .into_iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        // actix-web's header map iterates in hash order.
        lines.sort();
        Answer {
            status: res.status().as_u16(),
            lines,
        }
    }

    /// Is there an `Access-Control-Allow-Origin` line?
    pub fn allows(&self) -> bool {
        self.lines.iter().any(|(n, _)| n == "access-control-allow-origin")
    }
}

/// A type-erased stack, for tests and reports: one request in, its allocations
/// (counted around the call only) and what it answered out.
pub type Erased = Box<dyn FnMut(actix_http::Request) -> (usize, Answer)>;

fn erase<S, B>(svc: S) -> Erased
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody,
{
    Box::new(move |req| {
        let (res, n) = allocations(|| call(&svc, req));
        (n, Answer::of(&res))
    })
}

/// Builds `stack` for the main comparison; the floor copies our middleware's answer to `spec`.
pub async fn build(stack: Stack, spec: &RequestSpec, preflight: bool) -> Erased {
    match stack {
        Stack::Bare => erase(test::init_service(app()).await),
        Stack::Floor => {
            let ours = test::init_service(app().wrap(corsair::actix::Cors::new(&crate::API))).await;
            let like = call(&ours, Template::new(spec).request());
            erase(test::init_service(app().wrap(Floor::copying(&like, preflight))).await)
        }
        Stack::CorsMacro => erase(test::init_service(app().wrap(corsair::actix::Cors::new(&crate::API))).await),
        Stack::CorsBuilder => {
            erase(test::init_service(app().wrap(corsair::actix::Cors::new(crate::api_builder()))).await)
        }
        Stack::ActixCors => erase(test::init_service(app().wrap(actix_cors_api())).await),
    }
}

/// Allocations of one request through `svc` (warmed up first: actix-web pools
/// request and response heads), and what it answered.
pub fn count_allocations(svc: &mut Erased, template: &Template) -> (usize, Answer) {
    drop(svc(template.request()));
    svc(template.request())
}
