//! A Lambda function behind Amazon API Gateway whose CORS is answered by `corsair`.
//!
//! ```text
//! cargo run --example lambda --features tower                  # the bundled sample events
//! cargo run --example lambda --features tower -- event.json    # your own API Gateway event
//! ```
//!
//! Outside Lambda (no `AWS_LAMBDA_RUNTIME_API` in the environment) it converts
//! API Gateway events with `lambda_http::request::from_str`, runs them through the
//! same service the function serves, and prints each response's status and
//! headers. Inside Lambda (or under an emulator such as `cargo lambda watch`) it
//! serves events with `lambda_http::run`.
//!
//! # Where it sits
//!
//! Behind a REST API `{proxy+}` resource (method `ANY`) or an HTTP API `$default`
//! route, with a Lambda proxy integration. The gateway then hands every request,
//! preflights included, to the function and passes its response through
//! unchanged, so the function itself must answer preflights and put CORS headers
//! on every response, errors included: no OPTIONS method (REST) and no
//! `CorsConfiguration` (HTTP API) to configure at the gateway. Two things the
//! function never sees:
//!
//! - An authorizer on `ANY` or `$default` answers a preflight (which carries no
//!   credentials) with 401 before the function runs. Exempt OPTIONS: on a REST
//!   API, add an `OPTIONS` method on `{proxy+}` with no authorizer and the same
//!   proxy integration; on an HTTP API, add an `OPTIONS /{proxy+}` route with no
//!   authorizer and the same integration (a more specific route wins over
//!   `$default`).
//! - Responses the gateway makes itself (a REST API's DEFAULT_4XX and DEFAULT_5XX
//!   gateway responses: a missing API key, a throttled request, a function that
//!   timed out or crashed) carry no CORS headers unless you add them to those
//!   gateway responses; see the README's "Behind API Gateway".
//!
//! # The stage in the path
//!
//! `lambda_http` puts a REST API's stage in front of the path (`/prod/items` for
//! `GET /items` on stage `prod`); an HTTP API's `$default` stage adds nothing (a
//! named HTTP API stage is already in its `rawPath`). `CorsLayer::route` prefixes
//! are matched against that path, so a per-route prefix is listed once per stage
//! the function serves ([`cors_layer`] below); under an unlisted stage the default
//! policy answers. Setting `AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH` in the
//! function's environment makes `lambda_http` leave the stage out, and then the
//! plain `/public` prefix covers every stage. The handler routes on
//! `raw_http_path()`, which never has the stage.

use std::convert::Infallible;

use corsair::tower::CorsLayer;
use corsair::{cors, Policy};
use lambda_http::http::{header, Method, StatusCode};
use lambda_http::request::RequestContext;
use lambda_http::{Body, Request, RequestExt, Response};
use tower::{service_fn, Layer, Service, ServiceExt};

/// The browser front ends: the app, its preview deployments and a dev server, with
/// cookies or an `authorization` header. `x-api-key` is API Gateway's usage-plan key.
static API: Policy = cors! {
    allow_origins: ["https://app.example.com", "https://*.preview.example.com", "http://localhost:*"],
    allow_methods: [GET, POST, PUT, DELETE],
    allow_headers: ["content-type", "authorization", "x-api-key"],
    expose_headers: ["x-request-id"],
    allow_credentials: true,
    max_age: 600,
};

/// Public, read-only data: any origin, no credentials.
static PUBLIC: Policy = cors! { allow_origins: *, allow_methods: [GET] };

/// The REST API stages this function is deployed to (see "The stage in the path").
const REST_STAGES: [&str; 1] = ["prod"];

/// The CORS layer: [`API`] everywhere, [`PUBLIC`] under `/public` as the path
/// reaches the layer, with and without a REST API stage in front.
pub fn cors_layer() -> CorsLayer {
    REST_STAGES
        .iter()
        .fold(CorsLayer::new(&API).route("/public", &PUBLIC), |layer, stage| {
            layer.route(&format!("/{stage}/public"), &PUBLIC)
        })
}

/// The function's service: the CORS layer over [`app`].
pub fn service() -> impl Service<Request, Response = Response<Body>, Error = Infallible, Future: Send> + Clone {
    cors_layer().layer(app())
}

/// The application without CORS. It never fails: `lambda_http` would turn an
/// `Err` into an invocation error, which the gateway answers itself (502 on a
/// REST API, 500 on an HTTP API) without CORS headers, and the browser would
/// report a CORS error instead of the failure.
pub fn app() -> impl Service<Request, Response = Response<Body>, Error = Infallible, Future: Send> + Clone {
    service_fn(|req: Request| async move { Ok(handle(&req).unwrap_or_else(AppError::into_response)) })
}

/// A failure the handler reports to the client, with CORS headers like any response.
#[derive(Debug)]
enum AppError {
    /// A backend the function depends on did not answer.
    Upstream(&'static str),
}

impl AppError {
    fn into_response(self) -> Response<Body> {
        match self {
            AppError::Upstream(what) => json(
                StatusCode::BAD_GATEWAY,
                format!("{{\"message\":\"{what} is unavailable\"}}"),
            ),
        }
    }
}

/// The application, routed on the path without the stage.
fn handle(req: &Request) -> Result<Response<Body>, AppError> {
    let mut res = match (req.method(), req.raw_http_path()) {
        (&Method::GET, "/items") => json(StatusCode::OK, "[\"apple\",\"pear\"]".into()),
        (&Method::POST | &Method::PUT, "/items") => json(StatusCode::CREATED, "{}".into()),
        (&Method::DELETE, "/items") => empty(StatusCode::NO_CONTENT),
        (_, "/items") => empty(StatusCode::METHOD_NOT_ALLOWED),
        (&Method::GET, "/public/status") => json(StatusCode::OK, "{\"status\":\"ok\"}".into()),
        (&Method::GET, "/inventory") => return Err(AppError::Upstream("the inventory service")),
        _ => json(StatusCode::NOT_FOUND, "{\"message\":\"not found\"}".into()),
    };
    // The gateway's request id, exposed to the front end for support tickets.
    if let Some(id) = request_id(req).and_then(|id| id.parse().ok()) {
        res.headers_mut().insert("x-request-id", id);
    }
    Ok(res)
}

fn request_id(req: &Request) -> Option<&str> {
    match req.request_context_ref()? {
        RequestContext::ApiGatewayV1(c) => c.request_id.as_deref(),
        RequestContext::ApiGatewayV2(c) => c.request_id.as_deref(),
        _ => None,
    }
}

fn json(status: StatusCode, body: String) -> Response<Body> {
    let mut res = Response::new(Body::Text(body));
    *res.status_mut() = status;
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    res
}

fn empty(status: StatusCode) -> Response<Body> {
    let mut res = Response::new(Body::Empty);
    *res.status_mut() = status;
    res
}

/// A preflight and a GET from the app, as a REST API and as an HTTP API send them.
const SAMPLE_EVENTS: [(&str, &str); 2] = [
    (
        "a REST API preflight",
        include_str!("../tests/fixtures/apigw/rest-v1-preflight.json"),
    ),
    (
        "an HTTP API GET",
        include_str!("../tests/fixtures/apigw/http-v2-get.json"),
    ),
];

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some() {
        return lambda_http::run(service()).await;
    }
    let files: Vec<String> = std::env::args().skip(1).collect();
    let mut events = Vec::new();
    for file in &files {
        events.push((file.clone(), std::fs::read_to_string(file)?));
    }
    if files.is_empty() {
        events.extend(SAMPLE_EVENTS.map(|(name, json)| (name.to_owned(), json.to_owned())));
        println!("No AWS_LAMBDA_RUNTIME_API: running the sample events through the service.");
    }
    for (name, json) in events {
        let req =
            lambda_http::request::from_str(&json).map_err(|e| format!("{name}: not an API Gateway event: {e}"))?;
        println!("\n# {name}: {} {}", req.method(), req.uri().path());
        let res = service().oneshot(req).await?;
        println!("{:?} {}", res.version(), res.status());
        for (n, v) in res.headers() {
            println!("{n}: {}", v.to_str().unwrap_or("<not UTF-8>"));
        }
        if let Body::Text(text) = res.body() {
            println!("\n{text}");
        }
    }
    Ok(())
}
