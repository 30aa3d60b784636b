//! Per-route policies (RULES.md section 7), over TCP, one table run against the
//! tower adapter (axum) and the actix-web adapter: the policy follows the path
//! that will be served, fail-closed. The app has a lax default (allows only
//! https://lax.example) and a strict `/private` (only https://strict.example,
//! credentials). A path that some router or normalizer may read as another
//! entry's gets nothing: no `Access-Control-Allow-*` header, a preflight 403.
#![cfg(all(feature = "tower", feature = "actix"))]

mod support;

use std::net::SocketAddr;
use std::sync::OnceLock;

use corsair::{Code, Field, Policy};
use support::{send, send_raw, serve_actix, serve_axum, Response};

const LAX: &str = "https://lax.example";
const STRICT: &str = "https://strict.example";
const VARY_PREFLIGHT: &str = "origin, access-control-request-method, access-control-request-headers";

fn lax() -> Policy {
    Policy::builder()
        .allow_origins([LAX])
        .allow_methods(["GET", "PUT"])
        .build()
        .expect("lax is valid")
}

fn strict() -> Policy {
    Policy::builder()
        .allow_origins([STRICT])
        .allow_methods(["GET", "PUT"])
        .allow_credentials(true)
        .build()
        .expect("strict is valid")
}

async fn ok() -> &'static str {
    "ok"
}

/// Routes `/`, `/private`, `/private/*`, `/public/*`; CORS outermost.
fn axum_app(cors: corsair::tower::CorsLayer) -> axum::Router {
    use axum::routing::get;
    axum::Router::new()
        .route("/", get(ok))
        .route("/private", get(ok))
        .route("/private/{*rest}", get(ok))
        .route("/public/{*rest}", get(ok))
        .layer(cors)
}

fn actix_app(
    cors: corsair::actix::Cors,
) -> actix_web::App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    use actix_web::web;
    actix_web::App::new()
        .service(web::resource("/").get(ok))
        .service(web::resource("/private").get(ok))
        .service(web::resource("/private/{rest:.*}").get(ok))
        .service(web::resource("/public/{rest:.*}").get(ok))
        .wrap(cors)
}

fn axum_server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        serve_axum(axum_app(
            corsair::tower::CorsLayer::new(lax()).route("/private", strict()),
        ))
    })
}

fn actix_server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        let cors = corsair::actix::Cors::new(lax()).route("/private", strict());
        serve_actix(move || actix_app(cors.clone()))
    })
}

fn servers() -> [(&'static str, SocketAddr); 2] {
    [("axum", axum_server()), ("actix", actix_server())]
}

/// Which policy answers a path.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Answer {
    Lax,
    Strict,
    /// The readings disagree: nothing granted to anyone.
    Nothing,
}

use Answer::*;

/// Every path and who answers it. Expected values come from the rule, not a run.
const TABLE: &[(&str, Answer)] = &[
    // Ordinary paths keep their policy.
    ("/", Lax),
    ("/public/x", Lax),
    ("/private", Strict),
    ("/private/", Strict),
    ("/private/x", Strict),
    ("/privateer", Lax),
    // The query is not part of the path.
    ("/public/x?next=/private/x", Lax),
    ("/private/x?next=..%2F..%2Fpublic", Strict),
    // Escapes and dots that every reading resolves alike.
    ("/public/a%20b", Lax),
    ("/private/x/../y", Strict),
    ("/public/x/./y", Lax),
    // Invalid and overlong escapes are bytes: no reading makes them a `/` or a letter.
    ("/private%zz", Lax),
    ("/private%", Lax),
    ("/private%c0%afx", Lax),
    // Issue 10 item 1: a normalizing service may serve these as `/private/...`,
    // or a `/private/{*rest}` route serves what decodes to `/public`.
    ("//private/x", Nothing),
    ("///private//x", Nothing),
    ("/%70rivate/x", Nothing),
    ("/private%2Fx", Nothing),
    ("/./private/x", Nothing),
    ("/public/../private/x", Nothing),
    ("/private/..%2F..%2Fpublic", Nothing),
    // More of the same.
    ("/%2e%2e/private", Nothing),
    ("/%2E/private/x", Nothing),
    ("/private%2f", Nothing),
    ("/private%5Cx", Nothing),
    ("/pr%69vate", Nothing),
    ("/public/%2e%2e/private/x", Nothing),
    ("/private/x/%2e%2e/%2e%2e/public", Nothing),
    ("//private/%2e%2e/x", Nothing),
    ("/public//../private", Nothing),
    // Routers compare case exactly, but a file server on a case-insensitive file
    // system does not: a case variant of a prefix is refused too.
    ("/PRIVATE/x", Nothing),
    ("/Private", Nothing),
];

/// What one request got: status, and every Access-Control-* and Vary line.
type Seen = (u16, Vec<(String, String)>);

fn actual(addr: SocketAddr, path: &str, origin: &str) -> Response {
    send(addr, "GET", path, &[("origin", origin)])
}

fn preflight(addr: SocketAddr, path: &str, origin: &str) -> Response {
    send(
        addr,
        "OPTIONS",
        path,
        &[("origin", origin), ("access-control-request-method", "PUT")],
    )
}

fn grants(res: &Response) -> Vec<&(String, String)> {
    res.headers
        .iter()
        .filter(|(n, _)| n.starts_with("access-control-"))
        .collect()
}

/// Checks one path against one server; returns what it saw, for the comparison.
fn check(name: &str, addr: SocketAddr, path: &str, answer: Answer) -> Vec<Seen> {
    let mut seen = Vec::new();
    for origin in [LAX, STRICT] {
        let granted = matches!((answer, origin), (Lax, LAX) | (Strict, STRICT));
        let ctx = format!("{name}: {path} from {origin} ({answer:?})");

        let res = actual(addr, path, origin);
        if granted {
            assert_eq!(
                res.header("access-control-allow-origin"),
                Some(origin),
                "{ctx}: {res:?}"
            );
            let credentials = res.header("access-control-allow-credentials");
            assert_eq!(credentials, (answer == Strict).then_some("true"), "{ctx}: {res:?}");
        } else {
            assert!(grants(&res).is_empty(), "{ctx}: actual granted {:?}", grants(&res));
        }
        assert_eq!(res.header("vary"), Some("origin"), "{ctx}: {res:?}");
        seen.push((0, res.cors_headers()));

        let res = preflight(addr, path, origin);
        if granted {
            assert_eq!(res.status, 204, "{ctx}: {res:?}");
            assert_eq!(
                res.header("access-control-allow-origin"),
                Some(origin),
                "{ctx}: {res:?}"
            );
            assert_eq!(res.header("access-control-allow-methods"), Some("GET, PUT"), "{ctx}");
        } else {
            assert_eq!(res.status, 403, "{ctx}: preflight {res:?}");
            assert!(grants(&res).is_empty(), "{ctx}: preflight granted {:?}", grants(&res));
        }
        assert_eq!(res.header("vary"), Some(VARY_PREFLIGHT), "{ctx}: {res:?}");
        assert!(res.body.is_empty(), "{ctx}");
        seen.push((res.status, res.cors_headers()));
    }
    seen
}

#[test]
fn the_policy_follows_the_path_that_will_be_served() {
    for (name, addr) in servers() {
        for &(path, answer) in TABLE {
            check(name, addr, path, answer);
        }
    }
}

#[test]
fn both_adapters_answer_every_path_alike() {
    let [(_, axum), (_, actix)] = servers();
    for &(path, answer) in TABLE {
        assert_eq!(
            check("axum", axum, path, answer),
            check("actix", actix, path, answer),
            "{path}"
        );
    }
}

#[test]
fn an_absolute_form_request_target_is_routed_by_its_path() {
    for (name, addr) in servers() {
        for (path, answer) in [("/private/x", Strict), ("//private/x", Nothing), ("/public/x", Lax)] {
            let req = format!(
                "GET http://{addr}{path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: {STRICT}\r\nConnection: close\r\n\r\n"
            );
            let res = send_raw(addr, req.as_bytes()).expect("absolute-form request");
            let expected = (answer == Strict).then_some(STRICT);
            assert_eq!(
                res.header("access-control-allow-origin"),
                expected,
                "{name}: {path}: {res:?}"
            );
        }
    }
}

#[test]
fn an_asterisk_form_preflight_gets_the_default_policy() {
    // `OPTIONS *` has no path segments: no prefix matches it in any reading.
    for (name, addr) in servers() {
        let res = preflight(addr, "*", LAX);
        assert_eq!(res.status, 204, "{name}: {res:?}");
        assert_eq!(res.header("access-control-allow-origin"), Some(LAX), "{name}");
        let res = preflight(addr, "*", STRICT);
        assert_eq!(res.status, 403, "{name}: {res:?}");
    }
}

// ---------------------------------------------------------------------------
// Prefix validation

/// Each refused prefix and a word its message must hold.
const BAD_PREFIXES: &[(&str, &str)] = &[
    ("/admin/*", "route-pattern syntax"),
    ("/admin/{*rest}", "route-pattern syntax"),
    ("/admin/{id}", "route-pattern syntax"),
    ("/admin/:id", "route-pattern syntax"),
    ("admin", "does not start with `/`"),
    ("/admin ", "white space"),
    ("/ad\tmin", "white space"),
    ("", "empty"),
    ("/admin%20x", "percent-escape"),
    ("/admin?x=1", "query"),
    ("/admin#top", "fragment"),
    ("/a//b", "empty segment"),
    ("//admin", "empty segment"),
    ("/a/../b", "`.` or `..` segment"),
    ("/./a", "`.` or `..` segment"),
    ("/caf\u{e9}", "percent-encoded"),
    ("/a|b", "percent-encoded"),
    ("/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17", "17 segments"),
];

#[test]
fn try_route_refuses_every_bad_prefix_with_a_fix() {
    for &(prefix, word) in BAD_PREFIXES {
        for (adapter, result) in [
            (
                "tower",
                corsair::tower::CorsLayer::new(lax()).try_route(prefix, strict()).err(),
            ),
            (
                "actix",
                corsair::actix::Cors::new(lax()).try_route(prefix, strict()).err(),
            ),
        ] {
            let err = result.unwrap_or_else(|| panic!("{adapter}: {prefix:?} accepted"));
            let p = &err.problems()[0];
            assert_eq!(
                (p.code, p.field, p.index),
                (Code::RoutePrefixInvalid, Field::RoutePrefix, None)
            );
            assert_eq!(p.value, prefix);
            assert!(p.message.contains(word), "{prefix:?}: {}", p.message);
            assert!(!p.hint.is_empty(), "{prefix:?}");
            assert!(err.to_string().contains(&p.hint), "{err}");
        }
    }
}

#[test]
fn a_prefix_with_several_problems_reports_each() {
    let err = corsair::tower::CorsLayer::new(lax())
        .try_route("admin/{id} ?", strict())
        .unwrap_err();
    let messages: Vec<&str> = err.problems().iter().map(|p| p.message.as_str()).collect();
    assert_eq!(err.problems().len(), 4, "{messages:#?}");
}

#[test]
fn prefixes_differing_only_in_case_are_refused() {
    // Paths are also read case-folded, so neither could ever be chosen.
    let err = corsair::tower::CorsLayer::new(lax())
        .try_route("/admin", strict())
        .and_then(|layer| layer.try_route("/Admin/", strict()))
        .unwrap_err();
    assert_eq!(err.problems()[0].code, Code::RoutePrefixInvalid);
    assert!(err.problems()[0].message.contains("only in case"), "{err}");
}

#[test]
fn the_fix_hints_name_the_prefix_to_write() {
    let hint = |prefix| {
        corsair::tower::CorsLayer::new(lax())
            .try_route(prefix, strict())
            .unwrap_err()
            .problems()[0]
            .hint
            .clone()
    };
    assert!(hint("/admin/{*rest}").contains("\"/admin\""));
    assert!(hint("/admin/:id/x").contains("\"/admin\""));
    assert!(hint("admin").contains("\"/admin\""));
    assert!(hint("/admin ").contains("\"/admin\""));
    assert!(hint("/a//b").contains("\"/a/b\""));
}

#[test]
fn try_route_accepts_literal_prefixes() {
    for prefix in [
        "/",
        "/admin",
        "/admin/",
        "/v1/items:batch",
        "/a/b/c",
        "/~user",
        "/a-b_c.d",
    ] {
        assert!(
            corsair::tower::CorsLayer::new(lax())
                .try_route(prefix, strict())
                .is_ok(),
            "{prefix}"
        );
        assert!(
            corsair::actix::Cors::new(lax()).try_route(prefix, strict()).is_ok(),
            "{prefix}"
        );
    }
}

/// `route()` with a bad prefix: the whole layer grants nothing, on any path.
#[test]
fn a_bad_prefix_given_to_route_makes_the_layer_grant_nothing() {
    let layer = corsair::tower::CorsLayer::new(lax()).route("/admin/*", strict());
    assert!(format!("{layer:?}").contains("RoutePrefixInvalid"), "{layer:?}");
    let cors = corsair::actix::Cors::new(lax()).route("/admin/*", strict());
    assert!(format!("{cors:?}").contains("RoutePrefixInvalid"), "{cors:?}");
    let axum = serve_axum(axum_app(layer));
    let actix = serve_actix(move || actix_app(cors.clone()));
    for (name, addr) in [("axum", axum), ("actix", actix)] {
        for path in ["/", "/public/x", "/admin/x"] {
            let res = actual(addr, path, LAX);
            assert!(grants(&res).is_empty(), "{name}: {path}: {res:?}");
            let res = preflight(addr, path, LAX);
            assert_eq!(res.status, 403, "{name}: {path}: {res:?}");
            assert!(grants(&res).is_empty(), "{name}: {path}: {res:?}");
        }
    }
}

// ---------------------------------------------------------------------------
// Nested routers: what path the layer matches prefixes against

/// The `Access-Control-Allow-Origin` each actual request gets.
fn assert_granted(addr: SocketAddr, cases: &[(&str, &str, Option<&str>)]) {
    for &(path, origin, expected) in cases {
        let res = actual(addr, path, origin);
        let got = res.header("access-control-allow-origin");
        assert_eq!(got, expected, "{path} from {origin}: {res:?}");
    }
}

/// axum: a layer on a router nested with `Router::nest("/api", ..)` sees the path
/// with `/api` removed, so its prefixes are relative to the nested router.
#[test]
fn axum_nested_layer_matches_prefixes_against_the_stripped_path() {
    use axum::routing::get;
    let inner = axum::Router::new()
        .route("/private/{*rest}", get(ok))
        .route("/public/{*rest}", get(ok))
        .layer(corsair::tower::CorsLayer::new(lax()).route("/private", strict()));
    let addr = serve_axum(axum::Router::new().nest("/api", inner));
    assert_granted(
        addr,
        &[
            ("/api/private/x", STRICT, Some(STRICT)),
            ("/api/private/x", LAX, None),
            ("/api/public/x", LAX, Some(LAX)),
        ],
    );
    // The fail-closed readings apply to the stripped path too.
    let res = preflight(addr, "/api/public/..%2F..%2Fprivate/x", LAX);
    assert_eq!(res.status, 403, "{res:?}");
}

/// actix-web: a middleware on `web::scope("/api")` sees the full path, so its
/// prefixes must include the scope's path.
#[test]
fn actix_scope_middleware_matches_prefixes_against_the_full_path() {
    use actix_web::web;
    fn app(cors: corsair::actix::Cors) -> SocketAddr {
        serve_actix(move || {
            actix_web::App::new().service(
                web::scope("/api")
                    .wrap(cors.clone())
                    .service(web::resource("/private/{rest:.*}").get(ok))
                    .service(web::resource("/public/{rest:.*}").get(ok)),
            )
        })
    }
    // Written relative to the scope, the prefix never matches: the default answers.
    let relative = app(corsair::actix::Cors::new(lax()).route("/private", strict()));
    assert_granted(
        relative,
        &[("/api/private/x", STRICT, None), ("/api/private/x", LAX, Some(LAX))],
    );
    // Written with the scope's path, it does.
    let full = app(corsair::actix::Cors::new(lax()).route("/api/private", strict()));
    assert_granted(
        full,
        &[
            ("/api/private/x", STRICT, Some(STRICT)),
            ("/api/private/x", LAX, None),
            ("/api/public/x", LAX, Some(LAX)),
        ],
    );
}

// ---------------------------------------------------------------------------
// Diagnostics

/// A refused choice is reported like any denial: one debug event whose reason
/// names the path and the readings that disagree. A bad prefix given to
/// `route()` is reported once, when given, as a warning.
#[cfg(feature = "tracing")]
#[test]
fn a_refused_choice_emits_one_event_saying_why() {
    use std::sync::{Arc, Mutex};
    use tower::{service_fn, Layer, ServiceExt};

    /// Keeps the `reason` (or `error`) of each `corsair` event.
    #[derive(Clone, Default)]
    struct Reasons(Arc<Mutex<Vec<String>>>);

    impl tracing::Subscriber for Reasons {
        fn enabled(&self, m: &tracing::Metadata<'_>) -> bool {
            m.target() == "corsair"
        }
        fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
            tracing::span::Id::from_u64(1)
        }
        fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
        fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
        fn event(&self, event: &tracing::Event<'_>) {
            struct Reason<'a>(&'a mut Vec<String>);
            impl tracing::field::Visit for Reason<'_> {
                fn record_debug(&mut self, f: &tracing::field::Field, v: &dyn std::fmt::Debug) {
                    if f.name() == "reason" || f.name() == "error" {
                        self.0.push(format!("{v:?}"));
                    }
                }
            }
            event.record(&mut Reason(&mut self.0.lock().expect("lock")));
        }
        fn enter(&self, _: &tracing::span::Id) {}
        fn exit(&self, _: &tracing::span::Id) {}
    }

    let service = corsair::tower::CorsLayer::new(lax())
        .route("/private", strict())
        .layer(service_fn(|_req: http::Request<String>| async {
            Ok::<_, std::convert::Infallible>(http::Response::new(String::new()))
        }));
    let req = http::Request::get("//private/x")
        .header("origin", LAX)
        .body(String::new())
        .expect("request");
    let reasons = Reasons::default();
    let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
    let res =
        tracing::subscriber::with_default(reasons.clone(), || rt.block_on(service.oneshot(req))).expect("infallible");
    assert!(res.headers().get("access-control-allow-origin").is_none());
    // A bad prefix given to `route()` is reported when it is given.
    let _layer = tracing::subscriber::with_default(reasons.clone(), || {
        corsair::tower::CorsLayer::new(lax()).route("/admin/{id}", strict())
    });
    let mut reasons = reasons.0.lock().expect("lock");
    let warning = reasons.pop().expect("a warning for the bad prefix");
    assert!(warning.contains("route_prefix (RoutePrefixInvalid)"), "{warning}");
    assert_eq!(
        *reasons,
        ["path `//private/x` could be routed to the policy for prefix `/private` (read with empty segments dropped) \
          or to the default policy (read as received); nothing granted because the readings disagree: request the plain path"],
    );
}
