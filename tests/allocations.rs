//! "Zero added allocation": the adapters allocate nothing per request beyond what
//! inserting headers into the framework's response map costs. Counted with a
//! per-thread counting allocator, against the same service without the adapter.
#![cfg(all(feature = "tower", feature = "actix"))]

use corsair_test_support::{allocated, allocations, Counting};

#[global_allocator]
static COUNTING: Counting = Counting;

fn policy() -> corsair::Policy {
    the_rest(corsair::Policy::builder().allow_origins(["https://app.example.com", "https://*.example.com"]))
}

/// The same origins decided by a predicate over `corsair::Origin` (RULES.md section 8).
fn predicate_policy() -> corsair::Policy {
    the_rest(corsair::Policy::builder().allow_origin_fn(|o: &corsair::Origin| {
        o.scheme() == "https" && o.port().is_none() && o.is_subdomain_of("example.com")
    }))
}

/// Everything but the origins.
fn the_rest(b: corsair::Builder) -> corsair::Policy {
    b.allow_methods(["GET", "PUT"])
        .allow_headers(["content-type"])
        .expose_headers(["x-request-id"])
        .allow_credentials(true)
        .max_age(600)
        .build()
        .expect("valid policy")
}

/// Every way an adapter can hold a policy: owned, `'static`, live, and with a predicate.
#[allow(dead_code)]
fn policies() -> [(&'static str, corsair::PolicyRef); 4] {
    static STATIC: std::sync::LazyLock<corsair::Policy> = std::sync::LazyLock::new(policy);
    [
        ("owned", corsair::PolicyRef::from(policy())),
        ("static", corsair::PolicyRef::from(&*STATIC)),
        ("live", corsair::PolicyRef::from(corsair::LivePolicy::new(policy()))),
        ("predicate", corsair::PolicyRef::from(predicate_policy())),
    ]
}

/// What each case asserts: its headers were written (`Vary`, and
/// `Access-Control-Allow-Origin` only when allowed), and it allocated exactly what
/// the service without CORS did.
fn check(which: &str, what: &str, (vary, allow_origin): (bool, bool), (with_cors, base): (usize, usize)) {
    assert!(vary, "{which} {what}: headers were written");
    assert_eq!(allow_origin, what == "allowed", "{which} {what}");
    assert_eq!(with_cors, base, "{which} {what}: allocations with CORS vs without");
}

/// Exact origins of a built policy, whose values own their bytes.
const ORIGINS: [&str; 8] = [
    "https://a.example.com",
    "https://b.example.com",
    "https://c.example.com",
    "https://d.example.com",
    "https://e.example.com",
    "https://f.example.com",
    "https://g.example.com",
    "https://h.example.com",
];

/// A built policy of [`ORIGINS`] (the values of a built policy own their bytes,
/// and the first clone of such a value would allocate its shared count).
fn many_origins() -> corsair::Policy {
    the_rest(corsair::Policy::builder().allow_origins(ORIGINS))
}

/// The requests of the `first_requests_allocate_as_the_next` tests: after a warm-up
/// GET without `Origin` (which sends none of the policy's values), each origin's
/// first request, sent twice: a preflight for every other one, starting with
/// the policy's first preflight, else a GET (the first to send the exposed headers).
fn first_requests() -> impl Iterator<Item = (bool, &'static str)> {
    ORIGINS.into_iter().enumerate().map(|(i, o)| (i % 2 == 0, o))
}

/// The first request that sends a policy's value allocates what the next one does.
fn first_allocates_as_next(preflight: bool, origin: &str, (first, next): (usize, usize)) {
    let kind = if preflight { "preflight" } else { "GET" };
    assert_eq!(
        first, next,
        "the first {kind} from {origin} allocated {first} times, the next {next}: a value's first clone allocated"
    );
}

mod tower_adapter {
    use std::convert::Infallible;
    use std::future::{ready, Future, Ready};
    use std::pin::pin;
    use std::sync::Arc;
    use std::task::{Context, Poll, Wake, Waker};

    use corsair::tower::CorsLayer;
    use http::{HeaderValue, Request, Response};
    use tower::{service_fn, Layer, Service};

    use super::allocations;

    struct Noop;
    impl Wake for Noop {
        fn wake(self: Arc<Self>) {}
    }

    /// Polls a future that is ready at once (the inner services here are).
    fn now<F: Future>(f: F, cx: &mut Context<'_>) -> F::Output {
        match pin!(f).poll(cx) {
            Poll::Ready(out) => out,
            Poll::Pending => panic!("the future was not ready"),
        }
    }

    /// The handler: a response whose header map has room, so inserting does not grow it.
    fn handler(_req: Request<()>) -> Ready<Result<Response<()>, Infallible>> {
        let mut res = Response::new(());
        res.headers_mut().reserve(16);
        ready(Ok(res))
    }

    fn request(method: &str, headers: &[(&'static str, &'static str)]) -> Request<()> {
        let mut req = Request::builder().method(method).uri("/items");
        for &(n, v) in headers {
            req = req.header(n, HeaderValue::from_static(v));
        }
        req.body(()).expect("request")
    }

    /// The same request built in process: every value by `HeaderValue::from_str`,
    /// owning its bytes, as `lambda_http` converts an API Gateway event. Cloning
    /// such a value allocates, so an exact origin is echoed from the policy's own
    /// prebuilt value instead.
    fn request_in_process(method: &str, headers: &[(&'static str, &'static str)]) -> Request<()> {
        let mut req = Request::builder().method(method).uri("/items");
        for &(n, v) in headers {
            req = req.header(n, HeaderValue::from_str(v).expect("valid value"));
        }
        req.body(()).expect("request")
    }

    type Build = fn(&str, &[(&'static str, &'static str)]) -> Request<()>;

    /// Both kinds of request: as hyper parses them, and built in process.
    const KINDS: [(&str, Build); 2] = [("parsed", request), ("in-process", request_in_process)];

    /// A predicate's grant echoes the request's own `Origin`, which for a request
    /// built in process copies its bytes: that echo is the API Gateway issue's
    /// subject, so the predicate policy is measured on parsed requests.
    fn skipped(which: &str, kind: &str) -> bool {
        which == "predicate" && kind == "in-process"
    }

    #[test]
    fn actual_requests_add_no_allocation() {
        let waker = Waker::from(Arc::new(Noop));
        let mut cx = Context::from_waker(&waker);
        let mut bare = service_fn(handler);
        for (which, policy) in super::policies() {
            let mut layered = CorsLayer::new(policy).layer(service_fn(handler));
            for ((what, headers), (kind, request)) in [
                ("allowed", &[("origin", "https://app.example.com")][..]),
                ("denied", &[("origin", "https://evil.com")][..]),
                ("not CORS", &[][..]),
            ]
            .into_iter()
            .flat_map(|case| KINDS.map(|kind| (case, kind)))
            {
                if skipped(which, kind) {
                    continue;
                }
                let req = request("GET", headers);
                let (res, base) = allocations(|| now(bare.call(req), &mut cx));
                drop(res);
                let (req1, req2) = (request("GET", headers), request("GET", headers));
                let _ = now(layered.call(req1), &mut cx); // warm up
                let (res, with_cors) = allocations(|| now(layered.call(req2), &mut cx));
                let res = res.expect("infallible");
                let h = res.headers();
                let written = (h.contains_key("vary"), h.contains_key("access-control-allow-origin"));
                super::check(&format!("{which} ({kind})"), what, written, (with_cors, base));
            }
        }
    }

    #[test]
    fn a_preflight_costs_only_its_header_map() {
        for (which, policy) in super::policies() {
            a_preflight_costs_only_its_header_map_with(which, policy);
        }
    }

    fn a_preflight_costs_only_its_header_map_with(which: &str, policy: corsair::PolicyRef) {
        let waker = Waker::from(Arc::new(Noop));
        let mut cx = Context::from_waker(&waker);
        let mut layered = CorsLayer::new(policy).layer(service_fn(handler));
        for (kind, request) in KINDS {
            if skipped(which, kind) {
                continue;
            }
            let req = || {
                request(
                    "OPTIONS",
                    &[
                        ("origin", "https://app.example.com"),
                        ("access-control-request-method", "PUT"),
                        ("access-control-request-headers", "content-type"),
                    ],
                )
            };
            let _ = now(layered.call(req()), &mut cx); // warm up
            let req = req();
            let (res, with_cors) = allocations(|| now(layered.call(req), &mut cx));
            let res = res.expect("infallible");
            assert_eq!(res.status(), 204, "{which} ({kind})");
            // The same response, built by hand with the same header lines in the same order.
            let lines: Vec<_> = res.headers().iter().map(|(n, v)| (n.clone(), v.clone())).collect();
            let (_, by_hand) = allocations(|| {
                let mut res = Response::new(());
                for (name, value) in lines {
                    res.headers_mut().append(name, value);
                }
                res
            });
            assert_eq!(
                with_cors, by_hand,
                "{which} ({kind}): a preflight allocates exactly what its header map does"
            );
        }
    }

    /// Choosing a per-route policy, plain path or one refused because its
    /// readings disagree, allocates nothing (RULES.md section 7).
    #[test]
    fn a_per_route_choice_adds_no_allocation() {
        let waker = Waker::from(Arc::new(Noop));
        let mut cx = Context::from_waker(&waker);
        let mut bare = service_fn(handler);
        let mut layered = CorsLayer::new(super::policy())
            .route("/private", &*STATIC)
            .route("/private/admin", super::policy())
            .layer(service_fn(handler));
        for path in [
            "/private/x",
            "//private/x",
            "/%70rivate/admin/..%2F..%2Fx",
            "/PRIVATE/ADMIN/x",
        ] {
            let req = || {
                Request::get(path)
                    .header("origin", HeaderValue::from_static("https://app.example.com"))
                    .body(())
                    .expect("request")
            };
            let (req0, req1, req2) = (req(), req(), req());
            let (res, base) = allocations(|| now(bare.call(req0), &mut cx));
            drop(res);
            let _ = now(layered.call(req1), &mut cx); // warm up
            let (res, with_cors) = allocations(|| now(layered.call(req2), &mut cx));
            assert!(res.expect("infallible").headers().contains_key("vary"), "{path}");
            assert_eq!(with_cors, base, "{path}: allocations with CORS vs without");
        }
    }

    /// A built policy's values are shared as it is built: the first request
    /// from an origin, or the first preflight, allocates what the next one does.
    #[test]
    fn first_requests_allocate_as_the_next() {
        let waker = Waker::from(Arc::new(Noop));
        let mut cx = Context::from_waker(&waker);
        let mut layered = CorsLayer::new(super::many_origins()).layer(service_fn(handler));
        let _ = now(layered.call(request("GET", &[])), &mut cx);
        for (preflight, origin) in super::first_requests() {
            let req = || {
                if preflight {
                    request(
                        "OPTIONS",
                        &[("origin", origin), ("access-control-request-method", "PUT")],
                    )
                } else {
                    request("GET", &[("origin", origin)])
                }
            };
            let (req1, req2) = (req(), req());
            let (res, first) = allocations(|| now(layered.call(req1), &mut cx));
            let res = res.expect("infallible");
            assert_eq!(res.headers()["access-control-allow-origin"], origin);
            drop(res);
            let (res, next) = allocations(|| now(layered.call(req2), &mut cx));
            drop(res);
            super::first_allocates_as_next(preflight, origin, (first, next));
        }
    }

    static STATIC: std::sync::LazyLock<corsair::Policy> = std::sync::LazyLock::new(super::policy);
}

mod actix_adapter {
    use actix_web::dev::Service;
    use actix_web::http::header::HeaderValue;
    use actix_web::{test, web, App, HttpResponse};
    use corsair::actix::Cors;

    use super::allocated;

    async fn handler() -> HttpResponse {
        let mut res = HttpResponse::Ok().finish();
        res.headers_mut().reserve(16);
        res
    }

    #[test]
    fn actual_requests_add_no_allocation() {
        let request = |headers: &[(&'static str, &'static str)]| {
            let mut req = test::TestRequest::get().uri("/items");
            for &(name, value) in headers {
                // A shared value, as actix-http parses it from the connection's buffer
                // (cloning a uniquely owned one would allocate once to share it).
                req = req.insert_header((name, HeaderValue::from_static(value)));
            }
            req.to_request()
        };
        actix_web::rt::System::new().block_on(async {
            let bare = test::init_service(App::new().service(web::resource("/items").get(handler))).await;
            for (which, policy) in super::policies() {
                let layered = test::init_service(
                    App::new()
                        .service(web::resource("/items").get(handler))
                        .wrap(Cors::new(policy)),
                )
                .await;
                for (what, headers) in [
                    ("allowed", &[("origin", "https://app.example.com")][..]),
                    ("denied", &[("origin", "https://evil.com")][..]),
                    ("not CORS", &[][..]),
                ] {
                    // Warm both up (actix-web pools request and response heads).
                    drop(bare.call(request(headers)).await);
                    drop(layered.call(request(headers)).await);

                    let req = request(headers);
                    let before = allocated();
                    let res = bare.call(req).await;
                    let base = allocated() - before;
                    drop(res);

                    let req = request(headers);
                    let before = allocated();
                    let res = layered.call(req).await;
                    let with_cors = allocated() - before;
                    let res = res.expect("response");
                    let h = res.headers();
                    let written = (h.contains_key("vary"), h.contains_key("access-control-allow-origin"));
                    super::check(which, what, written, (with_cors, base));
                }
            }
        });
    }

    /// A built policy's values, converted to `http` 0.2 on its first request,
    /// are shared then: the first request from an origin, or the first
    /// preflight, allocates what the next one does.
    #[test]
    fn first_requests_allocate_as_the_next() {
        let request = |preflight: bool, origin: &'static str| {
            let req = if preflight {
                test::TestRequest::default()
                    .method(actix_web::http::Method::OPTIONS)
                    .insert_header(("access-control-request-method", HeaderValue::from_static("PUT")))
            } else {
                test::TestRequest::get()
            };
            req.uri("/items")
                .insert_header(("origin", HeaderValue::from_static(origin)))
                .to_request()
        };
        actix_web::rt::System::new().block_on(async {
            let layered = test::init_service(
                App::new()
                    .service(web::resource("/items").get(handler))
                    .wrap(Cors::new(super::many_origins())),
            )
            .await;
            drop(layered.call(test::TestRequest::get().uri("/items").to_request()).await);
            for (preflight, origin) in super::first_requests() {
                let (req1, req2) = (request(preflight, origin), request(preflight, origin));
                let before = allocated();
                let res = layered.call(req1).await.expect("response");
                let first = allocated() - before;
                assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), origin);
                drop(res);
                let before = allocated();
                let res = layered.call(req2).await;
                let next = allocated() - before;
                drop(res);
                super::first_allocates_as_next(preflight, origin, (first, next));
            }
        });
    }
}
