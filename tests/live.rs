//! `corsair::LivePolicy` (RULES.md section 8): a policy replaced while requests are in
//! flight, through both adapters. Every response carries the complete header set of
//! exactly one policy: the one its request began under.
#![cfg(all(feature = "tower", feature = "actix"))]

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

use corsair::{LivePolicy, Policy};

const OLD: &str = "https://old.example.com";
const NEW: &str = "https://new.example.com";
const VARY_PREFLIGHT: &str = "origin, access-control-request-method, access-control-request-headers";

/// One origin, credentials, `x-old` exposed, PATCH and PUT, 600 s.
fn old() -> Policy {
    Policy::builder()
        .allow_origins([OLD])
        .allow_methods(["PATCH", "PUT"])
        .expose_headers(["x-old"])
        .allow_credentials(true)
        .max_age(600)
        .build()
        .expect("valid policy")
}

/// Another origin, no credentials, `x-new` exposed, PATCH and DELETE, 60 s.
fn new() -> Policy {
    Policy::builder()
        .allow_origins([NEW])
        .allow_methods(["PATCH", "DELETE"])
        .expose_headers(["x-new"])
        .max_age(60)
        .build()
        .expect("valid policy")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Which {
    Old,
    New,
}

/// Status and every CORS line (lower-case names, values in order).
type Answer = (u16, BTreeMap<String, Vec<String>>);

fn answer(status: u16, lines: &[(&str, &str)]) -> Answer {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (n, v) in lines {
        map.entry((*n).to_owned()).or_default().push((*v).to_owned());
    }
    (status, map)
}

/// What `policy` answers to a GET (or a PATCH preflight) from `origin`, written from
/// RULES.md sections 2 to 4, not recorded from a run.
fn expected(policy: Which, origin: &str, preflight: bool) -> Answer {
    let allowed = matches!((policy, origin), (Which::Old, OLD) | (Which::New, NEW));
    match (preflight, allowed, policy) {
        (false, false, _) => answer(200, &[("vary", "origin")]),
        (false, true, Which::Old) => answer(
            200,
            &[
                ("access-control-allow-origin", OLD),
                ("access-control-allow-credentials", "true"),
                ("access-control-expose-headers", "x-old"),
                ("vary", "origin"),
            ],
        ),
        (false, true, Which::New) => answer(
            200,
            &[
                ("access-control-allow-origin", NEW),
                ("access-control-expose-headers", "x-new"),
                ("vary", "origin"),
            ],
        ),
        (true, false, _) => answer(403, &[("vary", VARY_PREFLIGHT)]),
        (true, true, Which::Old) => answer(
            204,
            &[
                ("access-control-allow-origin", OLD),
                ("access-control-allow-credentials", "true"),
                ("access-control-allow-methods", "PATCH, PUT"),
                ("access-control-max-age", "600"),
                ("vary", VARY_PREFLIGHT),
            ],
        ),
        (true, true, Which::New) => answer(
            204,
            &[
                ("access-control-allow-origin", NEW),
                ("access-control-allow-methods", "PATCH, DELETE"),
                ("access-control-max-age", "60"),
                ("vary", VARY_PREFLIGHT),
            ],
        ),
    }
}

/// Is `got` one policy's complete answer?
fn one_policys(got: &Answer, origin: &str, preflight: bool) -> bool {
    [Which::Old, Which::New]
        .iter()
        .any(|&w| *got == expected(w, origin, preflight))
}

fn lines<'a>(headers: impl Iterator<Item = (&'a str, &'a [u8])>) -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (n, v) in headers {
        if n.starts_with("access-control-") || n == "vary" {
            map.entry(n.to_owned())
                .or_default()
                .push(String::from_utf8_lossy(v).into_owned());
        }
    }
    map
}

mod tower_side {
    use std::convert::Infallible;

    use corsair::tower::CorsLayer;
    use corsair::LivePolicy;
    use http::{Request, Response};
    use tower::{service_fn, Layer, Service, ServiceExt};

    use super::Answer;

    pub(super) type Svc = tower::util::BoxCloneService<Request<String>, Response<String>, Infallible>;

    /// Our layer over a handler that first runs `during` (say, a replacement), then yields.
    pub(super) fn service(layer: CorsLayer, during: impl Fn() + Clone + Send + Sync + 'static) -> Svc {
        let inner = service_fn(move |_req: Request<String>| {
            let during = during.clone();
            async move {
                during();
                tokio::task::yield_now().await;
                Ok::<_, Infallible>(Response::new(String::from("ok")))
            }
        });
        tower::util::BoxCloneService::new(layer.layer(inner))
    }

    pub(super) fn live_layer(live: &LivePolicy) -> CorsLayer {
        CorsLayer::new(live.clone())
    }

    pub(super) async fn send(svc: &Svc, path: &str, origin: &str, preflight: bool) -> Answer {
        let mut req = Request::builder()
            .method(if preflight { "OPTIONS" } else { "GET" })
            .uri(path)
            .header("origin", origin);
        if preflight {
            req = req.header("access-control-request-method", "PATCH");
        }
        let req = req.body(String::new()).expect("request");
        let res = svc
            .clone()
            .ready()
            .await
            .expect("ready")
            .call(req)
            .await
            .expect("infallible");
        let lines = super::lines(res.headers().iter().map(|(n, v)| (n.as_str(), v.as_bytes())));
        (res.status().as_u16(), lines)
    }
}

mod actix_side {
    /// An app whose every route runs `$during` (say, a replacement) and then yields.
    macro_rules! app {
        ($cors:expr, $during:expr) => {{
            let during = $during;
            let handler = move || {
                let during = during.clone();
                async move {
                    during();
                    actix_web::rt::task::yield_now().await;
                    actix_web::HttpResponse::Ok().body("ok")
                }
            };
            actix_web::test::init_service(
                actix_web::App::new()
                    .default_service(actix_web::web::to(handler))
                    .wrap($cors),
            )
            .await
        }};
    }
    pub(super) use app;

    /// Status and CORS lines of one request (a macro: actix-web's request type is
    /// `actix_http::Request`, which the facade's tests cannot name).
    macro_rules! send {
        ($svc:expr, $path:expr, $origin:expr, $preflight:expr) => {{
            let mut req = actix_web::test::TestRequest::default()
                .uri($path)
                .insert_header(("origin", $origin));
            if $preflight {
                req = req
                    .method(actix_web::http::Method::OPTIONS)
                    .insert_header(("access-control-request-method", "PATCH"));
            }
            let res = actix_web::test::call_service($svc, req.to_request()).await;
            let lines = $crate::lines(res.headers().iter().map(|(n, v)| (n.as_str(), v.as_bytes())));
            (res.status().as_u16(), lines)
        }};
    }
    pub(super) use send;
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().build().expect("runtime")
}

/// A replacement made by the handler itself, so it surely falls between the
/// decision and the writing of the headers: the response is still wholly the old
/// policy's, and the next request is wholly the new one's.
#[test]
fn a_request_finishes_under_the_policy_it_began_with() {
    for origin in [OLD, NEW] {
        // tower
        let live = LivePolicy::new(old());
        let replacer = {
            let live = live.clone();
            move || drop(live.replace(new()))
        };
        let svc = tower_side::service(tower_side::live_layer(&live), replacer);
        runtime().block_on(async {
            let got = tower_side::send(&svc, "/items", origin, false).await;
            assert_eq!(
                got,
                expected(Which::Old, origin, false),
                "tower, {origin}: mid-request replacement"
            );
            let got = tower_side::send(&svc, "/items", origin, false).await;
            assert_eq!(got, expected(Which::New, origin, false), "tower, {origin}: after it");
        });
        // actix
        let live = LivePolicy::new(old());
        let replacer = {
            let live = live.clone();
            move || drop(live.replace(new()))
        };
        actix_web::rt::System::new().block_on(async {
            let svc = actix_side::app!(corsair::actix::Cors::new(live.clone()), replacer);
            let got = actix_side::send!(&svc, "/items", origin, false);
            assert_eq!(
                got,
                expected(Which::Old, origin, false),
                "actix, {origin}: mid-request replacement"
            );
            let got = actix_side::send!(&svc, "/items", origin, false);
            assert_eq!(got, expected(Which::New, origin, false), "actix, {origin}: after it");
        });
    }
}

/// Preflights, and a live policy as one entry of a per-route table: replacing it
/// changes that prefix's answers (all of them, the actix adapter's converted
/// header values included) and no other.
#[test]
fn preflights_and_per_route_entries_follow_the_replacement() {
    let fixed: &'static Policy = Box::leak(Box::new(old()));
    let live = LivePolicy::new(old());
    let tower_svc = tower_side::service(
        corsair::tower::CorsLayer::new(fixed).route("/live", live.clone()),
        || {},
    );
    let sys = actix_web::rt::System::new();
    let actix_cors = corsair::actix::Cors::new(fixed).route("/live", live.clone());
    sys.block_on(async {
        let actix_svc = actix_side::app!(actix_cors, || {});
        for (step, which) in [Which::Old, Which::New, Which::Old].into_iter().enumerate() {
            live.replace(match which {
                Which::Old => old(),
                Which::New => new(),
            });
            for origin in [OLD, NEW] {
                for preflight in [false, true] {
                    for (path, policy) in [("/live/items", which), ("/items", Which::Old)] {
                        let want = expected(policy, origin, preflight);
                        let got = tower_side::send(&tower_svc, path, origin, preflight).await;
                        assert_eq!(
                            got, want,
                            "tower, step {step}: {path} from {origin}, preflight {preflight}"
                        );
                        let got = actix_side::send!(&actix_svc, path, origin, preflight);
                        assert_eq!(
                            got, want,
                            "actix, step {step}: {path} from {origin}, preflight {preflight}"
                        );
                    }
                }
            }
        }
    });
}

const THREADS: usize = 4;
const REPLACEMENTS: usize = 5_000;
/// Each worker sends at least this many requests, and goes on until the replacer is done.
const MIN_REQUESTS: usize = 500;

/// Replaces the policy `REPLACEMENTS` times, alternating, while `work` runs on
/// `THREADS` threads; returns how many responses the workers checked.
fn under_replacement(work: impl Fn(usize, &AtomicBool) -> usize + Send + Sync + 'static, live: &LivePolicy) -> usize {
    let done = Arc::new(AtomicBool::new(false));
    let work = Arc::new(work);
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let (done, work) = (Arc::clone(&done), Arc::clone(&work));
            thread::spawn(move || work(t, &done))
        })
        .collect();
    let (old, new) = (Arc::new(old()), Arc::new(new()));
    for i in 0..REPLACEMENTS {
        live.replace(if i.is_multiple_of(2) {
            Arc::clone(&new)
        } else {
            Arc::clone(&old)
        });
        if i.is_multiple_of(64) {
            thread::yield_now();
        }
    }
    done.store(true, Ordering::Release);
    workers.into_iter().map(|w| w.join().expect("worker")).sum()
}

/// Which request the `n`-th of thread `t` is: origin and kind vary together.
fn nth(t: usize, n: usize) -> (&'static str, bool) {
    (
        if (t + n).is_multiple_of(2) { OLD } else { NEW },
        !(n / 2).is_multiple_of(2),
    )
}

#[test]
fn concurrent_requests_under_thousands_of_replacements_see_one_policy_each() {
    let live = LivePolicy::new(old());
    let mismatches = Arc::new(AtomicUsize::new(0));
    let (layer, bad) = (tower_side::live_layer(&live), Arc::clone(&mismatches));
    let checked = under_replacement(
        move |t, done| {
            let svc = tower_side::service(layer.clone(), || {});
            runtime().block_on(async {
                let mut n = 0;
                while n < MIN_REQUESTS || !done.load(Ordering::Acquire) {
                    let (origin, preflight) = nth(t, n);
                    let got = tower_side::send(&svc, "/items", origin, preflight).await;
                    if !one_policys(&got, origin, preflight) {
                        eprintln!("tower: a mixed answer to {origin} (preflight {preflight}): {got:?}");
                        bad.fetch_add(1, Ordering::Relaxed);
                    }
                    n += 1;
                }
                n
            })
        },
        &live,
    );
    assert!(checked >= THREADS * MIN_REQUESTS);
    assert_eq!(mismatches.load(Ordering::Relaxed), 0, "tower: of {checked} responses");

    let cors = corsair::actix::Cors::new(live.clone());
    let bad = Arc::clone(&mismatches);
    let checked = under_replacement(
        move |t, done| {
            let cors = cors.clone();
            actix_web::rt::System::new().block_on(async {
                let svc = actix_side::app!(cors, || {});
                let mut n = 0;
                while n < MIN_REQUESTS || !done.load(Ordering::Acquire) {
                    let (origin, preflight) = nth(t, n);
                    let got = actix_side::send!(&svc, "/items", origin, preflight);
                    if !one_policys(&got, origin, preflight) {
                        eprintln!("actix: a mixed answer to {origin} (preflight {preflight}): {got:?}");
                        bad.fetch_add(1, Ordering::Relaxed);
                    }
                    n += 1;
                }
                n
            })
        },
        &live,
    );
    assert!(checked >= THREADS * MIN_REQUESTS);
    assert_eq!(mismatches.load(Ordering::Relaxed), 0, "actix: of {checked} responses");
}
