//! Test support: a tiny HTTP/1.1 client over `std::net::TcpStream`, the policies
//! and the one test application, built for axum and for actix-web, each served on
//! 127.0.0.1 (an ephemeral port) from a thread of its own.
#![allow(dead_code)]

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::OnceLock;
use std::thread;
use std::time::Duration;

use corsair::Policy;

mod origins;

// ---------------------------------------------------------------------------
// The client

/// A parsed response: status, header lines in order (names lower-cased), raw body.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// Every `Access-Control-*` and `Vary` line, sorted by name (lines of one name
    /// keep their order), as the shared table states them.
    pub fn cors_headers(&self) -> Vec<(String, String)> {
        let mut lines: Vec<(String, String)> = self
            .headers
            .iter()
            .filter(|(n, _)| n.starts_with("access-control-") || n == "vary")
            .cloned()
            .collect();
        lines.sort_by(|a, b| a.0.cmp(&b.0));
        lines
    }

    /// The first value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Sends raw request bytes and reads the response until the server closes the
/// connection (send `Connection: close`).
pub fn send_raw(addr: SocketAddr, request: &[u8]) -> io::Result<Response> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    stream.set_write_timeout(Some(Duration::from_secs(20)))?;
    stream.write_all(request)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse(&raw)
}

/// Sends `method path` with these header lines (repeat a name to send it on two lines).
pub fn send(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)]) -> Response {
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if matches!(method, "POST" | "PUT" | "PATCH" | "DELETE") {
        req.push_str("Content-Length: 0\r\n");
    }
    for (name, value) in headers {
        req.push_str(&format!("{name}: {value}\r\n"));
    }
    req.push_str("\r\n");
    send_raw(addr, req.as_bytes()).unwrap_or_else(|e| panic!("{method} {path} to {addr}: {e}"))
}

fn parse(raw: &[u8]) -> io::Result<Response> {
    let bad = |what: &str| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{what}: {:?}", String::from_utf8_lossy(raw)),
        )
    };
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad("no end of head"))?;
    let head = std::str::from_utf8(&raw[..end]).map_err(|_| bad("head is not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().ok_or_else(|| bad("no status line"))?;
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("bad status line"))?;
    let headers = lines
        .map(|line| {
            let (name, value) = line.split_once(':').ok_or_else(|| bad("bad header line"))?;
            Ok((name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        })
        .collect::<io::Result<_>>()?;
    Ok(Response {
        status,
        headers,
        body: raw[end + 4..].to_vec(),
    })
}

// ---------------------------------------------------------------------------
// The policies

/// The default policy, as a `static` (the adapters take `&'static Policy`).
pub static API: Policy = corsair::cors! {
    allow_origins: ["https://app.example.com", "https://*.example.com", "http://localhost:*"],
    allow_methods: [GET, POST, PUT, DELETE],
    allow_headers: ["content-type", "authorization", "x-api-key"],
    expose_headers: ["x-request-id"],
    allow_credentials: true,
    max_age: 600,
};

/// API with its origins decided by a predicate over `corsair::Origin`, written the
/// plain way (RULES.md section 8): the shared table's answers must not change.
pub fn api_by_predicate() -> Policy {
    Policy::builder()
        .allow_origin_fn(origins::api_origins)
        .allow_methods(["GET", "POST", "PUT", "DELETE"])
        .allow_headers(["content-type", "authorization", "x-api-key"])
        .expose_headers(["x-request-id"])
        .allow_credentials(true)
        .max_age(600)
        .build()
        .expect("api_by_predicate is a valid policy")
}

/// API behind a `LivePolicy` that served another policy first.
pub fn api_live() -> corsair::LivePolicy {
    let live = corsair::LivePolicy::new(public());
    live.replace(API.clone());
    live
}

/// How the default policy (API, or its equivalent) is held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holding {
    /// `&'static API`.
    Static,
    /// [`api_by_predicate`].
    Predicate,
    /// [`api_live`].
    Live,
}

impl Holding {
    pub const ALL: [Holding; 3] = [Holding::Static, Holding::Predicate, Holding::Live];

    pub fn policy(self) -> corsair::PolicyRef {
        match self {
            Holding::Static => (&API).into(),
            Holding::Predicate => api_by_predicate().into(),
            Holding::Live => api_live().into(),
        }
    }
}

/// Under `/public`: any origin, no credentials, default methods, any header but
/// `authorization`. Owned, as from a config file.
pub fn public() -> Policy {
    Policy::builder()
        .allow_origins(["*"])
        .allow_headers(["*"])
        .expose_headers(["x-total-count"])
        .build()
        .expect("public is a valid policy")
}

/// Under `/internal`: one origin, credentials, any method and header (echoed),
/// Private Network Access, preflights answered 200.
pub fn internal() -> Policy {
    Policy::builder()
        .allow_origins(["https://app.example.com"])
        .allow_methods(["*"])
        .allow_headers(["*"])
        .allow_credentials(true)
        .allow_private_network(true)
        .preflight_status(200)
        .build()
        .expect("internal is a valid policy")
}

// ---------------------------------------------------------------------------
// The application, twice. Routes:
//   GET, POST /items            200
//   GET /public, /public/items  200
//   GET /internal/items         200
//   GET /vary                   sets `Vary: accept-encoding`
//   GET /vary-origin            sets `Vary: Origin`
//   GET /vary-star              sets `Vary: *`
//   GET /own-cors               sets its own Access-Control-* headers
//   GET /error                  the handler returns Err (500)
//   GET /query?n=<u32>          an extractor (400 when n is not a number)
//   GET /panic                  the handler panics (a catch-panic layer inside CORS: 500)
//   GET /guarded                an auth middleware inside CORS answers 401 without `authorization`
// Anything else is the router's 404; a wrong method is its 405.

#[derive(serde::Deserialize)]
pub struct Number {
    pub n: u32,
}

pub mod axum_app {
    use axum::extract::{Query, Request};
    use axum::http::{header, StatusCode};
    use axum::middleware::{self, Next};
    use axum::response::{IntoResponse, Response};
    use axum::routing::get;
    use axum::Router;
    use corsair::tower::CorsLayer;
    use tower_http::catch_panic::CatchPanicLayer;

    async fn ok() -> &'static str {
        "ok"
    }

    async fn own_cors() -> impl IntoResponse {
        (
            [
                ("access-control-allow-origin", "*"),
                ("access-control-allow-credentials", "false"),
                ("access-control-allow-methods", "TRACE"),
                ("access-control-expose-headers", "x-leak"),
                ("access-control-max-age", "999"),
            ],
            "own",
        )
    }

    async fn error() -> Result<&'static str, (StatusCode, &'static str)> {
        Err((StatusCode::INTERNAL_SERVER_ERROR, "boom"))
    }

    async fn query(Query(q): Query<super::Number>) -> String {
        q.n.to_string()
    }

    async fn panics() -> &'static str {
        panic!("handler panicked (expected by the test)")
    }

    async fn auth(req: Request, next: Next) -> Response {
        if req.uri().path().starts_with("/guarded") && !req.headers().contains_key(header::AUTHORIZATION) {
            return StatusCode::UNAUTHORIZED.into_response();
        }
        next.run(req).await
    }

    /// The CORS layer of both axum set-ups.
    pub fn cors() -> CorsLayer {
        cors_with(super::Holding::Static)
    }

    /// The same with the default policy held another way.
    pub fn cors_with(default: super::Holding) -> CorsLayer {
        CorsLayer::new(default.policy())
            .route("/public", super::public())
            .route("/internal", super::internal())
    }

    /// The usual set-up: `Router::layer`, last, so CORS is the outermost layer of
    /// every route and of the fallback.
    pub fn router() -> Router {
        routes().layer(cors())
    }

    /// [`router`] with the default policy held another way.
    pub fn router_with(default: super::Holding) -> Router {
        routes().layer(cors_with(default))
    }

    /// The routes with the middleware inside CORS: authentication, catch-panic.
    pub fn routes() -> Router {
        Router::new()
            .route("/items", get(ok).post(ok))
            .route("/public", get(ok))
            .route("/public/items", get(ok))
            .route("/internal/items", get(ok))
            .route("/vary", get(|| async { ([(header::VARY, "accept-encoding")], "vary") }))
            .route("/vary-origin", get(|| async { ([(header::VARY, "Origin")], "vary") }))
            .route("/vary-star", get(|| async { ([(header::VARY, "*")], "vary") }))
            .route("/own-cors", get(own_cors))
            .route("/error", get(error))
            .route("/query", get(query))
            .route("/panic", get(panics))
            .route("/guarded", get(ok))
            .layer(middleware::from_fn(auth))
            .layer(CatchPanicLayer::new())
    }
}

pub mod actix_app {
    use actix_web::body::MessageBody;
    use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
    use actix_web::error::{ErrorInternalServerError, ErrorUnauthorized};
    use actix_web::http::header;
    use actix_web::middleware::{from_fn, Next};
    use actix_web::{web, App, Error, HttpResponse};
    use actix_web_lab::middleware::CatchPanic;
    use corsair::actix::Cors;

    async fn ok() -> &'static str {
        "ok"
    }

    async fn own_cors() -> HttpResponse {
        HttpResponse::Ok()
            .insert_header(("access-control-allow-origin", "*"))
            .insert_header(("access-control-allow-credentials", "false"))
            .insert_header(("access-control-allow-methods", "TRACE"))
            .insert_header(("access-control-expose-headers", "x-leak"))
            .insert_header(("access-control-max-age", "999"))
            .body("own")
    }

    fn vary(value: &'static str) -> HttpResponse {
        HttpResponse::Ok().insert_header((header::VARY, value)).body("vary")
    }

    async fn error() -> Result<&'static str, Error> {
        Err(ErrorInternalServerError("boom"))
    }

    async fn query(q: web::Query<super::Number>) -> String {
        q.n.to_string()
    }

    async fn panics() -> &'static str {
        panic!("handler panicked (expected by the test)")
    }

    async fn auth(
        req: ServiceRequest,
        next: Next<impl MessageBody>,
    ) -> Result<ServiceResponse<impl MessageBody>, Error> {
        if req.path().starts_with("/guarded") && !req.headers().contains_key(header::AUTHORIZATION) {
            // An `Err` from a middleware inside the CORS one (actix-extras issues 19 and 588).
            return Err(ErrorUnauthorized("no token"));
        }
        next.call(req).await
    }

    /// The CORS middleware, made once and cloned into each worker's `App`.
    pub fn cors() -> Cors {
        cors_with(super::Holding::Static)
    }

    /// The same with the default policy held another way.
    pub fn cors_with(default: super::Holding) -> Cors {
        Cors::new(default.policy())
            .route("/public", super::public())
            .route("/internal", super::internal())
    }

    pub fn app(
        cors: Cors,
    ) -> App<
        impl ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<impl MessageBody>,
            Error = Error,
            InitError = (),
        >,
    > {
        App::new()
            .service(web::resource("/items").get(ok).post(ok))
            .service(web::resource("/public").get(ok))
            .service(web::resource("/public/items").get(ok))
            .service(web::resource("/internal/items").get(ok))
            .service(web::resource("/vary").get(|| async { vary("accept-encoding") }))
            .service(web::resource("/vary-origin").get(|| async { vary("Origin") }))
            .service(web::resource("/vary-star").get(|| async { vary("*") }))
            .service(web::resource("/own-cors").get(own_cors))
            .service(web::resource("/error").get(error))
            .service(web::resource("/query").get(query))
            .service(web::resource("/panic").get(panics))
            .service(web::resource("/guarded").get(ok))
            .wrap(from_fn(auth))
            .wrap(CatchPanic::default())
            .wrap(cors)
    }
}

// ---------------------------------------------------------------------------
// The servers

/// Serves an axum app (anything `axum::serve` takes) from a thread of its own.
fn spawn_axum<F>(serve: impl FnOnce(tokio::net::TcpListener) -> F + Send + 'static) -> SocketAddr
where
    F: std::future::Future<Output = io::Result<()>>,
{
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.set_nonblocking(true).expect("non-blocking listener");
    let addr = listener.local_addr().expect("local address");
    thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
            serve(listener).await.expect("axum server");
        });
    });
    addr
}

/// The axum app with `Router::layer(CorsLayer)`, served once per test binary.
pub fn axum_server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| spawn_axum(|listener| async move { axum::serve(listener, axum_app::router()).await }))
}

/// The axum app with the router itself wrapped (`CorsLayer::layer(router)`), so
/// CORS runs before routing; served once per test binary.
pub fn axum_wrapped_server() -> SocketAddr {
    use axum::extract::Request;
    use axum::ServiceExt;
    use tower::Layer as _;

    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        spawn_axum(|listener| async move {
            let app = axum_app::cors().layer(axum_app::routes());
            axum::serve(listener, ServiceExt::<Request>::into_make_service(app)).await
        })
    })
}

/// The axum app (`Router::layer`) with the default policy held another way,
/// served once per test binary and variant.
pub fn axum_server_with(default: Holding) -> SocketAddr {
    static ADDRS: [OnceLock<SocketAddr>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    if default == Holding::Static {
        return axum_server();
    }
    *ADDRS[default as usize].get_or_init(|| {
        spawn_axum(move |listener| async move { axum::serve(listener, axum_app::router_with(default)).await })
    })
}

/// The actix-web app, served once per test binary.
pub fn actix_server() -> SocketAddr {
    actix_server_with(Holding::Static)
}

/// The actix-web app with the default policy held another way, served once per
/// test binary and variant.
pub fn actix_server_with(default: Holding) -> SocketAddr {
    static ADDRS: [OnceLock<SocketAddr>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    *ADDRS[default as usize].get_or_init(|| {
        let cors = actix_app::cors_with(default);
        serve_actix(move || actix_app::app(cors.clone()))
    })
}

/// Serves any axum router from a thread of its own (a new server per call).
pub fn serve_axum(router: axum::Router) -> SocketAddr {
    spawn_axum(move |listener| async move { axum::serve(listener, router).await })
}

/// Serves the actix-web app `factory` makes (once per worker) from a thread of
/// its own (a new server per call).
pub fn serve_actix<F, T, B>(factory: F) -> SocketAddr
where
    F: Fn() -> actix_web::App<T> + Send + Clone + 'static,
    T: actix_web::dev::ServiceFactory<
            actix_web::dev::ServiceRequest,
            Config = (),
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
            InitError = (),
        > + 'static,
    B: actix_web::body::MessageBody + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local address");
    thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            actix_web::HttpServer::new(factory)
                .workers(1)
                .disable_signals()
                .listen(listener)
                .expect("actix listener")
                .run()
                .await
                .expect("actix server");
        });
    });
    addr
}
