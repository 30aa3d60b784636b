//! One table of cases, run over TCP against the same application served by the
//! tower adapter (axum) and the actix-web adapter. Both must give the status and
//! the exact `Access-Control-*` and `Vary` lines the table states. The expected
//! values are written from RULES.md (section numbers in the comments) and the
//! policies in tests/support, not recorded from a run.
#![cfg(all(feature = "tower", feature = "actix"))]

mod support;

use std::net::SocketAddr;

use support::{actix_server, axum_server, axum_wrapped_server, send};

const APP: &str = "https://app.example.com";
const SUB: &str = "https://eu.example.com";
const LOCAL: &str = "http://localhost:5173";
const EVIL: &str = "https://evil.com";

const ORIGIN: &str = "origin";
const ACRM: &str = "access-control-request-method";
const ACRH: &str = "access-control-request-headers";
const ACRPN: &str = "access-control-request-private-network";

const ACAO: &str = "access-control-allow-origin";
const ACAC: &str = "access-control-allow-credentials";
const ACAM: &str = "access-control-allow-methods";
const ACAH: &str = "access-control-allow-headers";
const ACMA: &str = "access-control-max-age";
const ACAPN: &str = "access-control-allow-private-network";
const ACEH: &str = "access-control-expose-headers";
const VARY: &str = "vary";

/// RULES 2: every preflight response, allowed or denied, varies on these.
const VARY_PREFLIGHT: &str = "origin, access-control-request-method, access-control-request-headers";
const VARY_PREFLIGHT_PNA: &str =
    "origin, access-control-request-method, access-control-request-headers, access-control-request-private-network";

struct Case {
    name: &'static str,
    method: &'static str,
    path: &'static str,
    headers: Vec<(&'static str, &'static str)>,
    status: u16,
    /// Every `Access-Control-*` and `Vary` line expected, in any order across names.
    cors: Vec<(&'static str, String)>,
}

fn case(
    name: &'static str,
    method: &'static str,
    path: &'static str,
    headers: &[(&'static str, &'static str)],
    status: u16,
    cors: Vec<(&'static str, String)>,
) -> Case {
    Case {
        name,
        method,
        path,
        headers: headers.to_vec(),
        status,
        cors,
    }
}

fn lines(pairs: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    pairs.iter().map(|&(n, v)| (n, v.to_owned())).collect()
}

// The default policy (API): listed origins and patterns, PUT and DELETE besides the
// safelisted methods, three request headers, x-request-id exposed, credentials, 600 s.

/// RULES 3: an allowed actual request under API.
fn api_actual(origin: &str) -> Vec<(&'static str, String)> {
    lines(&[(ACAO, origin), (ACAC, "true"), (ACEH, "x-request-id"), (VARY, "origin")])
}

/// RULES 4: a non-CORS or denied request under API: only `Vary: origin`.
fn vary_origin() -> Vec<(&'static str, String)> {
    lines(&[(VARY, "origin")])
}

/// RULES 2: an allowed preflight under API (the configured method list, Max-Age).
fn api_preflight(origin: &str) -> Vec<(&'static str, String)> {
    lines(&[
        (ACAO, origin),
        (ACAC, "true"),
        (ACAM, "GET, POST, PUT, DELETE"),
        (ACMA, "600"),
        (VARY, VARY_PREFLIGHT),
    ])
}

/// RULES 2: the same when the request listed headers (the configured header list).
fn api_preflight_with_headers(origin: &str) -> Vec<(&'static str, String)> {
    let mut l = api_preflight(origin);
    l.push((ACAH, "content-type, authorization, x-api-key".into()));
    l
}

/// RULES 2: a denied preflight: 403, no Access-Control-Allow-* at all, Vary only.
fn denied_preflight() -> Vec<(&'static str, String)> {
    lines(&[(VARY, VARY_PREFLIGHT)])
}

// The `/public` policy: any origin, no credentials, default methods, `*` headers,
// x-total-count exposed.

/// RULES 4: any origin without credentials: the constant `*` and the expose list on
/// every non-preflight response, and no `Vary: origin`.
fn public_actual() -> Vec<(&'static str, String)> {
    lines(&[(ACAO, "*"), (ACEH, "x-total-count")])
}

fn public_preflight() -> Vec<(&'static str, String)> {
    lines(&[(ACAO, "*"), (ACAM, "GET, HEAD, POST"), (VARY, VARY_PREFLIGHT)])
}

// The `/internal` policy: APP only, credentials, `*` methods and headers (so both are
// echoed), private network access, preflights answered 200.

fn internal_actual() -> Vec<(&'static str, String)> {
    lines(&[(ACAO, APP), (ACAC, "true"), (VARY, "origin")])
}

fn cases() -> Vec<Case> {
    let pre = |origin: &'static str, method: &'static str| vec![(ORIGIN, origin), (ACRM, method)];
    vec![
        // --- RULES 1 and 4: not CORS
        case(
            "non-CORS GET gets Vary: origin",
            "GET",
            "/items",
            &[],
            200,
            vary_origin(),
        ),
        case(
            "non-CORS POST gets Vary: origin",
            "POST",
            "/items",
            &[],
            200,
            vary_origin(),
        ),
        case(
            "non-CORS OPTIONS is routed (405) with Vary: origin",
            "OPTIONS",
            "/items",
            &[(ACRM, "PUT")],
            405,
            vary_origin(),
        ),
        case(
            "non-CORS under an any-origin policy gets *",
            "GET",
            "/public/items",
            &[],
            200,
            public_actual(),
        ),
        // --- RULES 2: preflights allowed
        case(
            "preflight allowed",
            "OPTIONS",
            "/items",
            &pre(APP, "PUT"),
            204,
            api_preflight(APP),
        ),
        case(
            "preflight with listed headers",
            "OPTIONS",
            "/items",
            &[(ORIGIN, APP), (ACRM, "POST"), (ACRH, "content-type,x-api-key")],
            204,
            api_preflight_with_headers(APP),
        ),
        case(
            "preflight headers: any case, spaces",
            "OPTIONS",
            "/items",
            &[(ORIGIN, APP), (ACRM, "PUT"), (ACRH, "Content-Type , X-Api-Key")],
            204,
            api_preflight_with_headers(APP),
        ),
        case(
            "preflight headers split over two lines",
            "OPTIONS",
            "/items",
            &[
                (ORIGIN, APP),
                (ACRM, "PUT"),
                (ACRH, "authorization"),
                (ACRH, "content-type"),
            ],
            204,
            api_preflight_with_headers(APP),
        ),
        case(
            "preflight from a pattern origin",
            "OPTIONS",
            "/items",
            &pre(SUB, "DELETE"),
            204,
            api_preflight(SUB),
        ),
        case(
            "preflight from localhost, any port",
            "OPTIONS",
            "/items",
            &pre(LOCAL, "PUT"),
            204,
            api_preflight(LOCAL),
        ),
        case(
            "safelisted method always passes",
            "OPTIONS",
            "/items",
            &pre(APP, "GET"),
            204,
            api_preflight(APP),
        ),
        case(
            "preflight answered before routing (no route)",
            "OPTIONS",
            "/nowhere",
            &pre(APP, "PUT"),
            204,
            api_preflight(APP),
        ),
        case(
            "preflight answered before the handler (it would panic)",
            "OPTIONS",
            "/panic",
            &pre(APP, "GET"),
            204,
            api_preflight(APP),
        ),
        case(
            "preflight answered before authentication",
            "OPTIONS",
            "/guarded",
            &pre(APP, "GET"),
            204,
            api_preflight(APP),
        ),
        case(
            "preflight never sees the handler's headers",
            "OPTIONS",
            "/own-cors",
            &pre(APP, "GET"),
            204,
            api_preflight(APP),
        ),
        // --- RULES 2: preflights denied, one kind each
        case(
            "preflight: origin not listed",
            "OPTIONS",
            "/items",
            &pre(EVIL, "PUT"),
            403,
            denied_preflight(),
        ),
        case(
            "preflight: pattern never covers the apex",
            "OPTIONS",
            "/items",
            &pre("https://example.com", "PUT"),
            403,
            denied_preflight(),
        ),
        case(
            "preflight: labels compared whole",
            "OPTIONS",
            "/items",
            &pre("https://example.com.evil.com", "PUT"),
            403,
            denied_preflight(),
        ),
        case(
            "preflight: origin null",
            "OPTIONS",
            "/items",
            &pre("null", "PUT"),
            403,
            denied_preflight(),
        ),
        case(
            "preflight: two Origin lines",
            "OPTIONS",
            "/items",
            &[(ORIGIN, APP), (ORIGIN, APP), (ACRM, "PUT")],
            403,
            denied_preflight(),
        ),
        case(
            "preflight: method not allowed",
            "OPTIONS",
            "/items",
            &pre(APP, "PATCH"),
            403,
            denied_preflight(),
        ),
        case(
            "preflight: methods are case-sensitive",
            "OPTIONS",
            "/items",
            &pre(APP, "put"),
            403,
            denied_preflight(),
        ),
        case(
            "preflight: header not allowed",
            "OPTIONS",
            "/items",
            &[(ORIGIN, APP), (ACRM, "PUT"), (ACRH, "content-type,x-other")],
            403,
            denied_preflight(),
        ),
        case(
            "preflight: malformed request headers",
            "OPTIONS",
            "/items",
            &[(ORIGIN, APP), (ACRM, "PUT"), (ACRH, "content-type;x-api-key")],
            403,
            denied_preflight(),
        ),
        case(
            "preflight: private network not allowed",
            "OPTIONS",
            "/items",
            &[(ORIGIN, APP), (ACRM, "PUT"), (ACRPN, "true")],
            403,
            denied_preflight(),
        ),
        // --- RULES 1: OPTIONS with Origin but an empty ACRM is an actual request
        case(
            "OPTIONS with empty ACRM is actual, routed to 405",
            "OPTIONS",
            "/items",
            &[(ORIGIN, APP), (ACRM, "")],
            405,
            api_actual(APP),
        ),
        // --- RULES 3: actual requests
        case(
            "actual allowed, credentials, expose",
            "GET",
            "/items",
            &[(ORIGIN, APP)],
            200,
            api_actual(APP),
        ),
        case(
            "actual POST allowed",
            "POST",
            "/items",
            &[(ORIGIN, SUB)],
            200,
            api_actual(SUB),
        ),
        case(
            "actual denied: Vary only",
            "GET",
            "/items",
            &[(ORIGIN, EVIL)],
            200,
            vary_origin(),
        ),
        case(
            "actual with two Origin lines is denied",
            "GET",
            "/items",
            &[(ORIGIN, APP), (ORIGIN, APP)],
            200,
            vary_origin(),
        ),
        // --- RULES 4: Vary merged with the handler's own
        case(
            "handler's Vary kept, origin added",
            "GET",
            "/vary",
            &[(ORIGIN, APP)],
            200,
            lines(&[
                (ACAO, APP),
                (ACAC, "true"),
                (ACEH, "x-request-id"),
                (VARY, "accept-encoding"),
                (VARY, "origin"),
            ]),
        ),
        case(
            "handler's Vary kept on non-CORS too",
            "GET",
            "/vary",
            &[],
            200,
            lines(&[(VARY, "accept-encoding"), (VARY, "origin")]),
        ),
        case(
            "handler's Vary: Origin not duplicated (case-insensitive)",
            "GET",
            "/vary-origin",
            &[(ORIGIN, APP)],
            200,
            lines(&[(ACAO, APP), (ACAC, "true"), (ACEH, "x-request-id"), (VARY, "Origin")]),
        ),
        case(
            "handler's Vary: * stays *",
            "GET",
            "/vary-star",
            &[(ORIGIN, APP)],
            200,
            lines(&[(ACAO, APP), (ACAC, "true"), (ACEH, "x-request-id"), (VARY, "*")]),
        ),
        // --- RULES 3: the policy is the one source of CORS headers
        case(
            "handler's CORS headers replaced",
            "GET",
            "/own-cors",
            &[(ORIGIN, APP)],
            200,
            api_actual(APP),
        ),
        case(
            "handler's CORS headers removed when denied",
            "GET",
            "/own-cors",
            &[(ORIGIN, EVIL)],
            200,
            vary_origin(),
        ),
        case(
            "handler's CORS headers removed on non-CORS",
            "GET",
            "/own-cors",
            &[],
            200,
            vary_origin(),
        ),
        // --- RULES 3: every response the browser can see
        case(
            "handler Err (500)",
            "GET",
            "/error",
            &[(ORIGIN, APP)],
            500,
            api_actual(APP),
        ),
        case(
            "handler Err, origin denied",
            "GET",
            "/error",
            &[(ORIGIN, EVIL)],
            500,
            vary_origin(),
        ),
        case(
            "extractor rejection (400)",
            "GET",
            "/query?n=abc",
            &[(ORIGIN, APP)],
            400,
            api_actual(APP),
        ),
        case(
            "extractor accepted",
            "GET",
            "/query?n=7",
            &[(ORIGIN, APP)],
            200,
            api_actual(APP),
        ),
        case(
            "router's 404",
            "GET",
            "/nowhere",
            &[(ORIGIN, APP)],
            404,
            api_actual(APP),
        ),
        case(
            "router's 405",
            "DELETE",
            "/items",
            &[(ORIGIN, APP)],
            405,
            api_actual(APP),
        ),
        case(
            "panic caught inside (500)",
            "GET",
            "/panic",
            &[(ORIGIN, APP)],
            500,
            api_actual(APP),
        ),
        case(
            "middleware inside answers 401",
            "GET",
            "/guarded",
            &[(ORIGIN, APP)],
            401,
            api_actual(APP),
        ),
        case(
            "middleware inside lets it through",
            "GET",
            "/guarded",
            &[(ORIGIN, APP), ("authorization", "Bearer t")],
            200,
            api_actual(APP),
        ),
        // --- per-route policies: /public (any origin)
        case(
            "per-route preflight (public)",
            "OPTIONS",
            "/public/items",
            &pre(EVIL, "GET"),
            204,
            public_preflight(),
        ),
        case(
            "per-route preflight with * headers",
            "OPTIONS",
            "/public/items",
            &[(ORIGIN, EVIL), (ACRM, "POST"), (ACRH, "content-type,x-anything")],
            204,
            lines(&[
                (ACAO, "*"),
                (ACAM, "GET, HEAD, POST"),
                (ACAH, "*"),
                (VARY, VARY_PREFLIGHT),
            ]),
        ),
        case(
            "per-route: * headers never cover authorization",
            "OPTIONS",
            "/public/items",
            &[(ORIGIN, EVIL), (ACRM, "GET"), (ACRH, "authorization")],
            403,
            denied_preflight(),
        ),
        case(
            "per-route: default methods only",
            "OPTIONS",
            "/public/items",
            &pre(EVIL, "PUT"),
            403,
            denied_preflight(),
        ),
        case(
            "per-route actual (public)",
            "GET",
            "/public/items",
            &[(ORIGIN, EVIL)],
            200,
            public_actual(),
        ),
        case(
            "per-route: the prefix itself",
            "GET",
            "/public",
            &[(ORIGIN, EVIL)],
            200,
            public_actual(),
        ),
        case(
            "per-route: any origin answers * even for two Origin lines",
            "GET",
            "/public/items",
            &[(ORIGIN, APP), (ORIGIN, EVIL)],
            200,
            public_actual(),
        ),
        case(
            "per-route 404 under the prefix",
            "GET",
            "/public/nowhere",
            &[(ORIGIN, EVIL)],
            404,
            public_actual(),
        ),
        case(
            "per-route 405 under the prefix",
            "DELETE",
            "/public/items",
            &[(ORIGIN, EVIL)],
            405,
            public_actual(),
        ),
        case(
            "per-route preflight on a missing route under the prefix",
            "OPTIONS",
            "/public/nowhere",
            &pre(EVIL, "GET"),
            204,
            public_preflight(),
        ),
        case(
            "prefix matches whole segments: /publicity is default",
            "GET",
            "/publicity",
            &[(ORIGIN, EVIL)],
            404,
            vary_origin(),
        ),
        case(
            "prefix matches whole segments: /publicity allowed by default",
            "GET",
            "/publicity",
            &[(ORIGIN, APP)],
            404,
            api_actual(APP),
        ),
        case(
            "prefix matches whole segments: /publicity preflight by default",
            "OPTIONS",
            "/publicity",
            &pre(EVIL, "GET"),
            403,
            denied_preflight(),
        ),
        // --- per-route policies: /internal (echo, private network, 200)
        case(
            "per-route preflight echoes method and headers, PNA, 200",
            "OPTIONS",
            "/internal/items",
            &[
                (ORIGIN, APP),
                (ACRM, "PATCH"),
                (ACRH, "content-type,x-custom"),
                (ACRPN, "true"),
            ],
            200,
            lines(&[
                (ACAO, APP),
                (ACAC, "true"),
                (ACAM, "PATCH"),
                (ACAH, "content-type,x-custom"),
                (ACAPN, "true"),
                (VARY, VARY_PREFLIGHT_PNA),
            ]),
        ),
        case(
            "per-route preflight without PNA asked",
            "OPTIONS",
            "/internal/items",
            &pre(APP, "PUT"),
            200,
            lines(&[(ACAO, APP), (ACAC, "true"), (ACAM, "PUT"), (VARY, VARY_PREFLIGHT_PNA)]),
        ),
        case(
            "per-route: echoed * headers still exclude authorization",
            "OPTIONS",
            "/internal/items",
            &[(ORIGIN, APP), (ACRM, "PUT"), (ACRH, "authorization")],
            403,
            lines(&[(VARY, VARY_PREFLIGHT_PNA)]),
        ),
        case(
            "per-route: origin denied under /internal",
            "OPTIONS",
            "/internal/items",
            &pre(SUB, "PUT"),
            403,
            lines(&[(VARY, VARY_PREFLIGHT_PNA)]),
        ),
        case(
            "per-route actual (internal)",
            "GET",
            "/internal/items",
            &[(ORIGIN, APP)],
            200,
            internal_actual(),
        ),
        case(
            "per-route 404 under /internal",
            "GET",
            "/internal/nowhere",
            &[(ORIGIN, APP)],
            404,
            internal_actual(),
        ),
    ]
}

fn run(framework: &str, addr: SocketAddr) {
    let cases = cases();
    assert!(cases.len() >= 40, "the shared table has {} cases", cases.len());
    let mut failures = Vec::new();
    for c in &cases {
        let res = send(addr, c.method, c.path, &c.headers);
        let mut expected: Vec<(String, String)> = c.cors.iter().map(|(n, v)| (n.to_string(), v.clone())).collect();
        expected.sort_by(|a, b| a.0.cmp(&b.0));
        let got = res.cors_headers();
        if res.status != c.status || got != expected {
            failures.push(format!(
                "{framework}: {} ({} {})\n  expected {} {:?}\n  got      {} {:?}",
                c.name, c.method, c.path, c.status, expected, res.status, got
            ));
        }
        // RULES 2: preflight responses, allowed or denied, have an empty body.
        let preflight = c.method == "OPTIONS"
            && c.headers.iter().any(|(n, _)| *n == ORIGIN)
            && c.headers.iter().any(|(n, v)| *n == ACRM && !v.is_empty());
        if preflight && !res.body.is_empty() {
            failures.push(format!(
                "{framework}: {}: preflight body not empty: {:?}",
                c.name, res.body
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn shared_table_tower_axum() {
    run("axum", axum_server());
}

#[test]
fn shared_table_tower_wrapping_the_axum_router() {
    run("axum (router wrapped)", axum_wrapped_server());
}

#[test]
fn shared_table_actix() {
    run("actix", actix_server());
}

/// RULES 8: the default policy's origins decided by a predicate, or the policy held
/// in a `LivePolicy`: the same table, the same answers, both adapters.
#[test]
fn shared_table_with_a_predicate_or_a_live_policy() {
    for default in [support::Holding::Predicate, support::Holding::Live] {
        run(&format!("axum ({default:?})"), support::axum_server_with(default));
        run(&format!("actix ({default:?})"), support::actix_server_with(default));
    }
}

/// The two adapters agree with each other too, line for line (beyond the table:
/// this also catches a header the table forgot to mention).
#[test]
fn both_adapters_answer_alike() {
    let (axum, actix) = (axum_server(), actix_server());
    for c in cases() {
        let a = send(axum, c.method, c.path, &c.headers);
        let b = send(actix, c.method, c.path, &c.headers);
        assert_eq!(
            (a.status, a.cors_headers()),
            (b.status, b.cors_headers()),
            "{}: axum and actix differ",
            c.name
        );
    }
}

/// Raw bytes: a header value that is not UTF-8 (an obs-text `Origin`) must not
/// crash anything and is simply not allowed (RULES 1).
#[test]
fn non_utf8_origin_is_denied_not_fatal() {
    for addr in [axum_server(), axum_wrapped_server(), actix_server()] {
        let req = b"OPTIONS /items HTTP/1.1\r\nHost: x\r\nConnection: close\r\nOrigin: https://app.example.com\xff\r\nAccess-Control-Request-Method: PUT\r\n\r\n";
        let res = support::send_raw(addr, req).expect("response");
        assert_eq!(res.status, 403);
        assert_eq!(res.cors_headers(), vec![(VARY.to_owned(), VARY_PREFLIGHT.to_owned())]);
    }
}
