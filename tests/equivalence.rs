//! `cors!` and `Policy::builder()` build the same policy: for a fixed corpus of
//! policies written both ways, random requests get identical decisions and
//! identical response headers.

use corsair::{cors, Policy, RawRequest};
use http::header::{HeaderMap, HeaderName, HeaderValue};
use proptest::prelude::*;

#[path = "support/origins.rs"]
mod origins;

static DEFAULTS: Policy = cors! { allow_origins: ["https://app.example.com"] };
static DESIGN_EXAMPLE: Policy = cors! {
    allow_origins: ["https://app.example.com", "https://*.example.com", "http://localhost:*"],
    allow_methods: [GET, POST, PUT, PATCH, DELETE],
    allow_headers: ["content-type", "authorization", "x-api-key"],
    expose_headers: ["x-request-id"],
    allow_credentials: true,
    max_age: 600,
    allow_private_network: false,
};
static ANY_EVERYTHING: Policy = cors! {
    allow_origins: *,
    allow_methods: *,
    allow_headers: *,
    expose_headers: *,
};
static ANY_AS_STRINGS: Policy = cors! {
    allow_origins: ["*"],
    allow_methods: ["*"],
    allow_headers: ["*", "authorization"],
    expose_headers: ["*"],
    max_age: 0,
};
static ECHO_WITH_CREDENTIALS: Policy = cors! {
    allow_origins: ["https://app.example.com", "https://admin.example.com"],
    allow_methods: *,
    allow_headers: ["*"],
    allow_credentials: true,
};
static LOOPBACK: Policy = cors! {
    allow_origins: ["http://localhost:*", "http://127.0.0.1:3000", "http://[::1]:8080", "http://*.localhost"],
    allow_credentials: true,
    max_age: 0,
    preflight_status: 200,
};
static PRIVATE_NETWORK: Policy = cors! {
    allow_origins: ["https://app.example.com", "https://*.corp.example.com"],
    allow_private_network: true,
    allow_credentials: true,
    allow_methods: [PUT],
};
static INSECURE_OPT_OUT: Policy = cors! {
    allow_origins: ["http://intranet.example.com", "https://app.example.com"],
    allow_credentials: true,
    dangerously_allow_insecure_origins: true,
};
static PUBLIC_SUFFIX_OPT_OUT: Policy = cors! {
    allow_origins: ["https://*.github.io"],
    allow_credentials: true,
    dangerously_allow_public_suffix_wildcards: true,
};
static NON_HTTP_SCHEMES: Policy = cors! {
    allow_origins: ["chrome-extension://abcdefghijklmnop", "tauri://localhost", "https://app.example.com:8443"],
    allow_headers: ["X-Api-Key", "Content-Type"],
    expose_headers: ["X-Request-Id", "ETag"],
};
static METHOD_FORMS: Policy = cors! {
    allow_origins: ["https://app.example.com"],
    allow_methods: [GET, "PATCH", DELETE, "X-CUSTOM", "report"],
};
static ODD_ORDER: Policy = cors! {
    max_age: 86400,
    expose_headers: ["x-request-id",],
    preflight_status: 204,
    allow_methods: [PUT, POST,],
    allow_origins: ["https://*.example.com:8443", "https://example.com",],
    allow_credentials: false,
};
static NO_CREDENTIALS_HTTP: Policy = cors! {
    allow_origins: ["http://app.example.com", "https://*.com"],
    allow_headers: ["x-requested-with", "authorization"],
    allow_private_network: false,
};
static FORTY_TENANTS: Policy = cors! {
    allow_origins: ["https://tenant0.example.net", "https://tenant1.example.net", "https://tenant2.example.net", "https://tenant3.example.net", "https://tenant4.example.net", "https://tenant5.example.net", "https://tenant6.example.net", "https://tenant7.example.net", "https://tenant8.example.net", "https://tenant9.example.net", "https://tenant10.example.net", "https://tenant11.example.net", "https://tenant12.example.net", "https://tenant13.example.net", "https://tenant14.example.net", "https://tenant15.example.net", "https://tenant16.example.net", "https://tenant17.example.net", "https://tenant18.example.net", "https://tenant19.example.net", "https://tenant20.example.net", "https://tenant21.example.net", "https://tenant22.example.net", "https://tenant23.example.net", "https://tenant24.example.net", "https://tenant25.example.net", "https://tenant26.example.net", "https://tenant27.example.net", "https://tenant28.example.net", "https://tenant29.example.net", "https://tenant30.example.net", "https://tenant31.example.net", "https://tenant32.example.net", "https://tenant33.example.net", "https://tenant34.example.net", "https://tenant35.example.net", "https://tenant36.example.net", "https://tenant37.example.net", "https://tenant38.example.net", "https://tenant39.example.net"],
    allow_credentials: true,
    allow_headers: ["content-type"],
};

/// The corpus: each policy by `cors!`, and the same by the builder.
fn corpus() -> Vec<(&'static str, &'static Policy, Policy)> {
    let b = Policy::builder;
    let build = |name: &'static str, m: &'static Policy, builder: corsair::Builder| {
        let built = builder.build().unwrap_or_else(|e| panic!("{name}: {e}"));
        (name, m, built)
    };
    vec![
        build("defaults", &DEFAULTS, b().allow_origins(["https://app.example.com"])),
        build(
            "design_example",
            &DESIGN_EXAMPLE,
            b().allow_origins(["https://app.example.com", "https://*.example.com", "http://localhost:*"])
                .allow_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
                .allow_headers(["content-type", "authorization", "x-api-key"])
                .expose_headers(["x-request-id"])
                .allow_credentials(true)
                .max_age(600)
                .allow_private_network(false),
        ),
        build(
            "any_everything",
            &ANY_EVERYTHING,
            b().allow_origins(["*"])
                .allow_methods(["*"])
                .allow_headers(["*"])
                .expose_headers(["*"]),
        ),
        build(
            "any_as_strings",
            &ANY_AS_STRINGS,
            b().allow_origins(["*"])
                .allow_methods(["*"])
                .allow_headers(["*", "authorization"])
                .expose_headers(["*"])
                .max_age(0),
        ),
        build(
            "echo_with_credentials",
            &ECHO_WITH_CREDENTIALS,
            b().allow_origins(["https://app.example.com", "https://admin.example.com"])
                .allow_methods(["*"])
                .allow_headers(["*"])
                .allow_credentials(true),
        ),
        build(
            "loopback",
            &LOOPBACK,
            b().allow_origins([
                "http://localhost:*",
                "http://127.0.0.1:3000",
                "http://[::1]:8080",
                "http://*.localhost",
            ])
            .allow_credentials(true)
            .max_age(0)
            .preflight_status(200),
        ),
        build(
            "private_network",
            &PRIVATE_NETWORK,
            b().allow_origins(["https://app.example.com", "https://*.corp.example.com"])
                .allow_private_network(true)
                .allow_credentials(true)
                .allow_methods(["PUT"]),
        ),
        build(
            "insecure_opt_out",
            &INSECURE_OPT_OUT,
            b().allow_origins(["http://intranet.example.com", "https://app.example.com"])
                .allow_credentials(true)
                .dangerously_allow_insecure_origins(true),
        ),
        build(
            "public_suffix_opt_out",
            &PUBLIC_SUFFIX_OPT_OUT,
            b().allow_origins(["https://*.github.io"])
                .allow_credentials(true)
                .dangerously_allow_public_suffix_wildcards(true),
        ),
        build(
            "non_http_schemes",
            &NON_HTTP_SCHEMES,
            b().allow_origins([
                "chrome-extension://abcdefghijklmnop",
                "tauri://localhost",
                "https://app.example.com:8443",
            ])
            .allow_headers(["X-Api-Key", "Content-Type"])
            .expose_headers(["X-Request-Id", "ETag"]),
        ),
        build(
            "method_forms",
            &METHOD_FORMS,
            b().allow_origins(["https://app.example.com"])
                .allow_methods(["GET", "PATCH", "DELETE", "X-CUSTOM", "report"]),
        ),
        build(
            "odd_order",
            &ODD_ORDER,
            b().allow_origins(["https://*.example.com:8443", "https://example.com"])
                .allow_methods(["PUT", "POST"])
                .expose_headers(["x-request-id"])
                .max_age(86400)
                .preflight_status(204)
                .allow_credentials(false),
        ),
        build(
            "no_credentials_http",
            &NO_CREDENTIALS_HTTP,
            b().allow_origins(["http://app.example.com", "https://*.com"])
                .allow_headers(["x-requested-with", "authorization"])
                .allow_private_network(false),
        ),
        build(
            "forty_tenants",
            &FORTY_TENANTS,
            b().allow_origins((0..40).map(|i| format!("https://tenant{i}.example.net")))
                .allow_credentials(true)
                .allow_headers(["content-type"]),
        ),
    ]
}

#[test]
fn same_parts() {
    for (name, by_macro, by_builder) in corpus() {
        assert_eq!(format!("{by_macro:?}"), format!("{by_builder:?}"), "{name}");
        assert_eq!(by_macro.is_any_origin(), by_builder.is_any_origin(), "{name}");
        assert_eq!(by_macro.preflight_status(), by_builder.preflight_status(), "{name}");
    }
}

const ORIGINS: &[&str] = &[
    "https://app.example.com",
    "https://admin.example.com",
    "https://eu.example.com",
    "https://a.b.example.com",
    "https://example.com",
    "https://example.com.evil.com",
    "https://evilexample.com",
    "https://app.example.com:8443",
    "https://x.example.com:8443",
    "http://app.example.com",
    "http://localhost",
    "http://localhost:3000",
    "http://localhost:03000",
    "http://api.localhost:5173",
    "http://127.0.0.1:3000",
    "http://[::1]:8080",
    "http://intranet.example.com",
    "https://someone.github.io",
    "https://anything.com",
    "https://tenant7.example.net",
    "https://tenant39.example.net",
    "https://tenant40.example.net",
    "https://x.corp.example.com",
    "chrome-extension://abcdefghijklmnop",
    "tauri://localhost",
    "null",
    "",
    "HTTPS://APP.EXAMPLE.COM",
];

const METHODS: &[&str] = &[
    "GET", "HEAD", "POST", "OPTIONS", "PUT", "PATCH", "patch", "DELETE", "X-CUSTOM", "report", "TRACE", "",
];

const HEADER_NAMES: &[&str] = &[
    "content-type",
    "authorization",
    "x-api-key",
    "X-Api-Key",
    "x-requested-with",
    "x-unknown",
    "cookie",
    "",
    " ",
];

fn listed_or_random(list: &'static [&'static str]) -> BoxedStrategy<String> {
    prop_oneof![
        4 => proptest::sample::select(list).prop_map(str::to_owned),
        1 => "[ -~]{0,24}",
    ]
    .boxed()
}

/// An `Access-Control-Request-Headers` line: listed names joined with sloppy separators.
fn request_headers_line() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        (
            listed_or_random(HEADER_NAMES),
            proptest::sample::select(&[",", ", ", " ,", ",,"][..]),
        ),
        0..4,
    )
    .prop_map(|parts| parts.into_iter().map(|(name, sep)| format!("{name}{sep}")).collect())
}

#[derive(Clone, Debug)]
struct Req {
    method: String,
    headers: Vec<(&'static str, String)>,
}

impl Req {
    /// The header lines as bytes, for a `RawRequest`.
    fn lines(&self) -> Vec<(&[u8], &[u8])> {
        self.headers.iter().map(|(n, v)| (n.as_bytes(), v.as_bytes())).collect()
    }

    /// The same lines as an `http` 1 header map, for `Decision::apply`.
    fn header_map(&self) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in &self.headers {
            map.append(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }
}

fn request() -> impl Strategy<Value = Req> {
    // Weighted towards preflights with one origin, so that successes are common too.
    (
        prop_oneof![1 => Just("OPTIONS".to_owned()), 1 => listed_or_random(METHODS)],
        prop_oneof![
            1 => Just(Vec::new()),
            6 => listed_or_random(ORIGINS).prop_map(|o| vec![o]),
            1 => proptest::collection::vec(listed_or_random(ORIGINS), 2),
        ],
        proptest::option::weighted(0.8, listed_or_random(METHODS)),
        proptest::collection::vec(request_headers_line(), 0..3),
        proptest::option::of(proptest::sample::select(&["true", "false", "TRUE"][..])),
        any::<bool>(),
    )
        .prop_map(|(method, origins, acrm, acrh, acrpn, other)| {
            let mut headers: Vec<(&'static str, String)> = Vec::new();
            headers.extend(origins.into_iter().map(|o| ("Origin", o)));
            headers.extend(acrm.map(|m| ("Access-Control-Request-Method", m)));
            headers.extend(acrh.into_iter().map(|h| ("access-control-request-headers", h)));
            headers.extend(acrpn.map(|v| ("Access-Control-Request-Private-Network", v.to_owned())));
            if other {
                headers.push(("accept", "application/json".to_owned()));
            }
            Req { method, headers }
        })
}

/// A handler's response headers, some of which the policy must replace or merge with.
fn response() -> HeaderMap {
    let mut res = HeaderMap::new();
    res.insert(
        "access-control-allow-origin",
        HeaderValue::from_static("https://stale.example"),
    );
    res.append("vary", HeaderValue::from_static("accept-encoding, Origin"));
    res.insert("content-type", HeaderValue::from_static("application/json"));
    res
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn identical_decisions_and_headers(req in request()) {
        let lines = req.lines();
        let raw = RawRequest { method: req.method.as_bytes(), headers: &lines };
        let request_map = req.header_map();
        for (name, by_macro, by_builder) in corpus() {
            let (dm, db) = (by_macro.decide(&raw), by_builder.decide(&raw));
            prop_assert_eq!(dm, db, "{}", name);
            let (mut hm, mut hb) = (response(), response());
            dm.apply(by_macro, &request_map, &mut hm);
            db.apply(&by_builder, &request_map, &mut hb);
            prop_assert_eq!(hm, hb, "{}", name);
        }
    }
}

/// The request corpus reaches both sides of every policy's origin check.
#[test]
fn origins_both_allowed_and_refused() {
    for (name, by_macro, _) in corpus() {
        let allowed = ORIGINS.iter().filter(|o| by_macro.allows_origin(o.as_bytes())).count();
        assert!(allowed > 0, "{name} allows none of ORIGINS");
        if !by_macro.is_any_origin() {
            assert!(allowed < ORIGINS.len(), "{name} allows all of ORIGINS");
        }
    }
}

/// DESIGN_EXAMPLE's origins written as a predicate over `corsair::Origin`, the
/// plain way (RULES.md section 8); everything else the same.
fn design_example_by_predicate() -> Policy {
    Policy::builder()
        .allow_origin_fn(origins::api_origins)
        .allow_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allow_headers(["content-type", "authorization", "x-api-key"])
        .expose_headers(["x-request-id"])
        .allow_credentials(true)
        .max_age(600)
        .build()
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// A predicate policy and a `LivePolicy`'s snapshot decide what the `cors!`
    /// policy does and write exactly its headers.
    #[test]
    fn predicate_and_live_policies_decide_alike(req in request()) {
        let lines = req.lines();
        let raw = RawRequest { method: req.method.as_bytes(), headers: &lines };
        let request_map = req.header_map();
        let live = corsair::LivePolicy::new(Policy::builder().allow_origins(["https://old.example"]).build().unwrap());
        live.replace(design_example_by_predicate());
        let expected = DESIGN_EXAMPLE.decide(&raw);
        let mut want = response();
        expected.apply(&DESIGN_EXAMPLE, &request_map, &mut want);
        for (name, policy) in [("predicate", design_example_by_predicate()), ("live", (*live.load()).clone())] {
            let d = policy.decide(&raw);
            // The list answers an exact origin from its own value (`Listed`), the
            // predicate echoes the request's: the same bytes, compared below.
            prop_assert_eq!((d.kind(), d.denial(), d.status()), (expected.kind(), expected.denial(), expected.status()), "{}", name);
            let mut got = response();
            d.apply(&policy, &request_map, &mut got);
            prop_assert_eq!(&got, &want, "{}", name);
        }
    }
}

/// ORIGINS reaches both sides of the predicate, and it agrees with the list there.
#[test]
fn the_predicate_agrees_with_the_list_on_every_listed_origin() {
    let p = design_example_by_predicate();
    for o in ORIGINS {
        assert_eq!(
            p.allows_origin(o.as_bytes()),
            DESIGN_EXAMPLE.allows_origin(o.as_bytes()),
            "{o}"
        );
    }
}
