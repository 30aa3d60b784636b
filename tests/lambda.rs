//! The Lambda example (examples/lambda.rs) driven with API Gateway events, without a
//! Lambda runtime: REST API (payload 1.0) and HTTP API (payload 2.0) events under
//! tests/fixtures/apigw/, converted by `lambda_http::request::from_str` exactly as
//! `lambda_http::run` converts them, then served by the example's own service.
//! The expected lines are written from RULES.md and the example's policies.
#![cfg(all(feature = "tower", feature = "macros"))]

#[allow(dead_code)]
#[path = "../examples/lambda.rs"]
mod example;

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use corsair_test_support::{allocations, Counting};
use lambda_http::http::{HeaderName, HeaderValue};
use lambda_http::{Body, RequestExt, Response};
use tower::{Service, ServiceExt};

#[global_allocator]
static COUNTING: Counting = Counting;

const APP: &str = "https://app.example.com";

const ACAO: &str = "access-control-allow-origin";
const ACAC: &str = "access-control-allow-credentials";
const ACAM: &str = "access-control-allow-methods";
const ACAH: &str = "access-control-allow-headers";
const ACMA: &str = "access-control-max-age";
const ACEH: &str = "access-control-expose-headers";
const VARY: &str = "vary";

/// RULES 2: every preflight response, allowed or denied, varies on these.
const VARY_PREFLIGHT: &str = "origin, access-control-request-method, access-control-request-headers";

fn event(fixture: &str) -> lambda_http::Request {
    let path = format!("{}/tests/fixtures/apigw/{fixture}.json", env!("CARGO_MANIFEST_DIR"));
    let json = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    lambda_http::request::from_str(&json).unwrap_or_else(|e| panic!("{path} is not an API Gateway event: {e}"))
}

async fn answer(fixture: &str) -> Response<Body> {
    match example::service().oneshot(event(fixture)).await {
        Ok(res) => res,
        Err(never) => match never {},
    }
}

/// Every `Access-Control-*` and `Vary` line of a response, sorted.
fn cors_lines(res: &Response<Body>) -> Vec<(String, String)> {
    let mut lines: Vec<(String, String)> = res
        .headers()
        .iter()
        .filter(|(n, _)| n.as_str().starts_with("access-control-") || *n == VARY)
        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().expect("ASCII").to_owned()))
        .collect();
    lines.sort();
    lines
}

fn expect(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut lines: Vec<(String, String)> = pairs.iter().map(|&(n, v)| (n.to_owned(), v.to_owned())).collect();
    lines.sort();
    lines
}

fn text(res: &Response<Body>) -> &str {
    match res.body() {
        Body::Text(t) => t,
        Body::Empty => "",
        other => panic!("unexpected body {other:?}"),
    }
}

/// RULES 3: an allowed actual request under the example's API policy.
fn api_actual(origin: &str) -> Vec<(String, String)> {
    expect(&[(ACAO, origin), (ACAC, "true"), (ACEH, "x-request-id"), (VARY, "origin")])
}

/// RULES 2: an allowed preflight under API that listed request headers.
fn api_preflight() -> Vec<(String, String)> {
    expect(&[
        (ACAO, APP),
        (ACAC, "true"),
        (ACAM, "GET, POST, PUT, DELETE"),
        (ACAH, "content-type, authorization, x-api-key"),
        (ACMA, "600"),
        (VARY, VARY_PREFLIGHT),
    ])
}

#[test]
fn lambda_http_puts_the_rest_stage_in_the_path_and_not_the_http_api_default_stage() {
    let rest = event("rest-v1-get");
    assert_eq!(rest.uri().path(), "/prod/items");
    assert_eq!(rest.raw_http_path(), "/items");
    let http = event("http-v2-get");
    assert_eq!(http.uri().path(), "/items");
    assert_eq!(http.raw_http_path(), "/items");
}

#[tokio::test]
async fn an_allowed_get_gets_the_origin_echoed_with_credentials_and_exposed_headers() {
    for (fixture, request_id) in [
        ("rest-v1-get", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"),
        ("http-v2-get", "LV7fzho-PHcEJPw="),
    ] {
        let res = answer(fixture).await;
        assert_eq!(res.status(), 200, "{fixture}");
        assert_eq!(text(&res), "[\"apple\",\"pear\"]", "{fixture}");
        assert_eq!(cors_lines(&res), api_actual(APP), "{fixture}");
        assert_eq!(res.headers()["x-request-id"], request_id, "{fixture}");
    }
}

#[tokio::test]
async fn a_preflight_is_answered_by_the_layer_and_never_reaches_the_handler() {
    for fixture in ["rest-v1-preflight", "http-v2-preflight"] {
        let res = answer(fixture).await;
        assert_eq!(res.status(), 204, "{fixture}");
        assert_eq!(res.body(), &Body::Empty, "{fixture}");
        // The handler would have answered OPTIONS /items with 405 and a request id.
        assert!(res.headers().get("x-request-id").is_none(), "{fixture}");
        assert_eq!(cors_lines(&res), api_preflight(), "{fixture}");
    }
}

#[tokio::test]
async fn a_denied_origin_reaches_the_handler_and_gets_no_allow_headers() {
    for fixture in ["rest-v1-denied", "http-v2-denied"] {
        let res = answer(fixture).await;
        assert_eq!(res.status(), 200, "{fixture}");
        assert_eq!(text(&res), "[\"apple\",\"pear\"]", "{fixture}");
        assert_eq!(cors_lines(&res), expect(&[(VARY, "origin")]), "{fixture}");
    }
}

#[tokio::test]
async fn a_denied_preflight_is_a_403_without_allow_headers() {
    // REST: PATCH is not allowed; HTTP API: the origin is not.
    for fixture in ["rest-v1-preflight-denied", "http-v2-preflight-denied"] {
        let res = answer(fixture).await;
        assert_eq!(res.status(), 403, "{fixture}");
        assert_eq!(res.body(), &Body::Empty, "{fixture}");
        assert_eq!(cors_lines(&res), expect(&[(VARY, VARY_PREFLIGHT)]), "{fixture}");
    }
}

#[tokio::test]
async fn the_handlers_502_carries_cors_headers_so_the_browser_sees_it() {
    for (fixture, origin) in [
        ("rest-v1-bad-gateway", APP),
        ("http-v2-bad-gateway", "https://pr-42.preview.example.com"),
    ] {
        let res = answer(fixture).await;
        assert_eq!(res.status(), 502, "{fixture}");
        assert_eq!(
            text(&res),
            "{\"message\":\"the inventory service is unavailable\"}",
            "{fixture}"
        );
        assert_eq!(cors_lines(&res), api_actual(origin), "{fixture}");
    }
}

#[tokio::test]
async fn a_request_without_origin_gets_vary_origin_only() {
    let res = answer("rest-v1-no-origin").await;
    assert_eq!(res.status(), 200);
    assert_eq!(cors_lines(&res), expect(&[(VARY, "origin")]));
}

#[tokio::test]
async fn per_route_prefixes_see_the_stage_in_the_path() {
    // HTTP API `$default`: the path is `/public/status`, the `/public` prefix applies.
    // REST API stage `prod`: `/prod/public/status`, the `/prod/public` prefix applies.
    for fixture in ["http-v2-public", "rest-v1-public"] {
        let res = answer(fixture).await;
        assert_eq!(res.status(), 200, "{fixture}");
        assert_eq!(cors_lines(&res), expect(&[(ACAO, "*")]), "{fixture}");
    }
    // REST API stage `staging` is not listed: `/staging/public/status` falls back to
    // the default policy, which does not allow this origin (the stricter answer).
    let res = answer("rest-v1-public-staging").await;
    assert_eq!(res.status(), 200);
    assert_eq!(text(&res), "{\"status\":\"ok\"}");
    assert_eq!(cors_lines(&res), expect(&[(VARY, "origin")]));
}

/// Every value of header `name` in the converted request.
fn lines_of(req: &lambda_http::Request, name: &str) -> Vec<String> {
    req.headers()
        .get_all(name)
        .iter()
        .map(|v| v.to_str().expect("ASCII").to_owned())
        .collect()
}

#[tokio::test]
async fn headers_repeated_in_the_event_reach_the_engine_as_lambda_http_merges_them() {
    // REST (1.0): `multiValueHeaders` has both lines, `headers` the last one, and
    // lambda_http 1.x lets `headers` replace the list, so only the last line is
    // left. The answer still lists every allowed header, and the browser checks
    // its own request against that list.
    let req = event("rest-v1-multi-value");
    assert_eq!(lines_of(&req, "access-control-request-headers"), ["x-api-key"]);
    let res = answer("rest-v1-multi-value").await;
    assert_eq!(res.status(), 204);
    assert_eq!(cors_lines(&res), api_preflight());

    // HTTP API (2.0): repeated headers arrive joined with commas, which is a
    // valid Access-Control-Request-Headers list.
    let req = event("http-v2-multi-value");
    assert_eq!(
        lines_of(&req, "access-control-request-headers"),
        ["content-type,x-api-key"]
    );
    let res = answer("http-v2-multi-value").await;
    assert_eq!(res.status(), 204);
    assert_eq!(cors_lines(&res), api_preflight());
}

#[tokio::test]
async fn repeated_origin_lines_reach_the_engine_as_lambda_http_merges_them() {
    // HTTP API: joined into one value that is not an origin (RULES 1), so denied.
    let req = event("http-v2-two-origins");
    assert_eq!(lines_of(&req, "origin"), [format!("{APP},https://evil.example.net")]);
    // REST: only the last line is left, and it alone decides (browsers send one
    // `Origin` line; here the last one is not allowed).
    let req = event("rest-v1-two-origins");
    assert_eq!(lines_of(&req, "origin"), ["https://evil.example.net"]);
    for fixture in ["http-v2-two-origins", "rest-v1-two-origins"] {
        let res = answer(fixture).await;
        assert_eq!(res.status(), 200, "{fixture}");
        assert_eq!(cors_lines(&res), expect(&[(VARY, "origin")]), "{fixture}");
    }
}

/// Polls a future that is ready at once (the example's handler awaits nothing).
fn now<F: Future>(f: F) -> F::Output {
    match pin!(f).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(out) => out,
        Poll::Pending => panic!("the future was not ready"),
    }
}

/// Allocations of one call of `svc` on a freshly converted event (built outside the count).
fn count<S>(svc: &mut S, fixture: &str) -> (Response<Body>, usize)
where
    S: Service<lambda_http::Request, Response = Response<Body>, Error = std::convert::Infallible>,
{
    let req = event(fixture);
    let (res, n) = allocations(|| now(svc.call(req)));
    match res {
        Ok(res) => (res, n),
        Err(never) => match never {},
    }
}

/// The floor: no CORS check at all, only the same prebuilt lines appended (a
/// preflight answered with its status and the lines, the handler not run).
fn floor(fixture: &str, like: &Response<Body>) -> usize {
    let lines: Vec<(HeaderName, HeaderValue)> = like
        .headers()
        .iter()
        .filter(|(n, _)| n.as_str().starts_with("access-control-") || *n == VARY)
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect();
    let preflight = fixture.contains("preflight");
    let mut app = example::app();
    let req = event(fixture);
    let (_, n) = allocations(|| {
        let mut res = if preflight {
            let mut res = Response::new(Body::Empty);
            *res.status_mut() = like.status();
            res
        } else {
            match now(app.call(req)) {
                Ok(res) => res,
                Err(never) => match never {},
            }
        };
        for (name, value) in &lines {
            res.headers_mut().append(name.clone(), value.clone());
        }
        res
    });
    n
}

/// Converted events own their header bytes (lambda_http builds every value with
/// `HeaderValue::from_str`), so echoing a clone of the request's `Origin` would
/// allocate; an exact origin is echoed from the policy's own prebuilt value, so the
/// layer adds nothing over the floor. Only a pattern match clones the request's value.
#[test]
fn converted_events_cost_what_the_floor_costs() {
    let mut svc = example::service();
    for (fixture, added) in [
        ("rest-v1-get", 0),
        ("http-v2-get", 0),
        ("rest-v1-preflight", 0),
        ("http-v2-preflight", 0),
        ("rest-v1-denied", 0),
        ("rest-v1-no-origin", 0),
        ("rest-v1-bad-gateway", 0),
        ("rest-v1-public", 0),
        // `https://*.preview.example.com`: a pattern match echoes the request's own value.
        ("http-v2-bad-gateway", 1),
    ] {
        drop(count(&mut svc, fixture)); // warm up
        let (res, ours) = count(&mut svc, fixture);
        let floor = floor(fixture, &res);
        assert_eq!(
            ours,
            floor + added,
            "{fixture}: allocations through the layer vs the floor"
        );
    }
}
