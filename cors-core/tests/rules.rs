//! RULES.md sections 1 to 5, row by row, through the framework-free `http` 1 API.
//! Expected values are written from the rules, not recorded from a run.

use corsair_core::{Decision, Denial, Kind, Policy};
use http::{HeaderMap, HeaderValue, Request};

/// The outcome a client sees: preflight status (None when the handler runs) and
/// every CORS and Vary header line, lower-case names, in order.
#[derive(Debug, PartialEq)]
struct Seen {
    status: Option<u16>,
    headers: Vec<(String, String)>,
}

fn run_with(policy: &Policy, method: &str, headers: &[(&str, &[u8])], handler: &[(&str, &str)]) -> (Decision, Seen) {
    let mut req = Request::builder().method(method).uri("/r");
    for (n, v) in headers {
        req = req.header(*n, HeaderValue::from_bytes(v).expect("test header value"));
    }
    let req = req.body(()).unwrap();
    let d = policy.decide(&req);
    let mut res = HeaderMap::new();
    if d.status().is_none() {
        for (n, v) in handler {
            res.append(
                http::HeaderName::from_bytes(n.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
    }
    d.apply(policy, req.headers(), &mut res);
    let headers = res
        .iter()
        .filter(|(n, _)| n.as_str().starts_with("access-control-") || n.as_str() == "vary" || n.as_str() == "x-own")
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_string()))
        .collect();
    (
        d,
        Seen {
            status: d.status(),
            headers,
        },
    )
}

fn run(policy: &Policy, method: &str, headers: &[(&str, &[u8])]) -> (Decision, Seen) {
    run_with(policy, method, headers, &[])
}

fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

type RequestLines<'a> = &'a [(&'a str, &'a [u8])];
type ResponseLines<'a> = &'a [(&'a str, &'a str)];

const APP: &str = "https://app.example.com";
const PREFLIGHT_VARY: (&str, &str) = (
    "vary",
    "origin, access-control-request-method, access-control-request-headers",
);

fn strict() -> Policy {
    Policy::builder()
        .allow_origins([APP, "https://*.example.org", "http://localhost:*"])
        .allow_methods(["GET", "PUT", "PATCH"])
        .allow_headers(["content-type", "x-api-key"])
        .expose_headers(["x-request-id"])
        .allow_credentials(true)
        .max_age(600)
        .build()
        .unwrap()
}

fn open() -> Policy {
    Policy::builder()
        .allow_origins(["*"])
        .allow_methods(["*"])
        .allow_headers(["*"])
        .expose_headers(["*"])
        .build()
        .unwrap()
}

fn origin(o: &str) -> (&'static str, &[u8]) {
    ("origin", o.as_bytes())
}

// ---- section 1: classification ----

#[test]
fn no_origin_is_not_cors_and_varies_on_origin() {
    let (d, seen) = run(&strict(), "GET", &[]);
    assert_eq!(d.kind(), Kind::NotCors);
    assert_eq!(
        seen,
        Seen {
            status: None,
            headers: h(&[("vary", "origin")])
        }
    );
}

#[test]
fn no_origin_under_any_origin_gets_star_and_expose_without_vary() {
    let (d, seen) = run(&open(), "GET", &[]);
    assert_eq!(d.kind(), Kind::NotCors);
    assert_eq!(
        seen.headers,
        h(&[
            ("access-control-allow-origin", "*"),
            ("access-control-expose-headers", "*")
        ])
    );
}

#[test]
fn options_with_origin_and_acrm_is_a_preflight() {
    let (d, _) = run(
        &strict(),
        "OPTIONS",
        &[origin(APP), ("access-control-request-method", b"PUT")],
    );
    assert_eq!(d.kind(), Kind::Preflight);
    assert_eq!(d.status(), Some(204));
}

#[test]
fn options_without_acrm_or_with_empty_acrm_is_actual() {
    for extra in [vec![], vec![("access-control-request-method", b"" as &[u8])]] {
        let mut hs = vec![origin(APP)];
        hs.extend(extra);
        let (d, seen) = run(&strict(), "OPTIONS", &hs);
        assert_eq!(d.kind(), Kind::Actual);
        assert_eq!(seen.status, None, "the handler runs");
    }
}

#[test]
fn other_methods_with_origin_are_actual() {
    let (d, _) = run(
        &strict(),
        "DELETE",
        &[origin(APP), ("access-control-request-method", b"PUT")],
    );
    assert_eq!(d.kind(), Kind::Actual);
}

#[test]
fn several_origin_lines_never_match_a_list() {
    let (d, seen) = run(&strict(), "GET", &[origin(APP), origin(APP)]);
    assert_eq!(d.denial(), Some(Denial::OriginRepeated));
    assert_eq!(seen.headers, h(&[("vary", "origin")]));
}

#[test]
fn empty_non_utf8_and_oversized_origins_never_match() {
    let long = format!("{APP}{}", "a".repeat(300));
    let bad: [&[u8]; 4] = [
        b"",
        b"https://app.example.com\xff",
        long.as_bytes(),
        b"https://\xc3\xa9.example.org",
    ];
    for o in bad {
        let (d, seen) = run(&strict(), "GET", &[("origin", o)]);
        assert_eq!(d.denial(), Some(Denial::Origin), "{o:?}");
        assert_eq!(seen.headers, h(&[("vary", "origin")]));
    }
}

#[test]
fn any_origin_without_credentials_answers_star_whatever_the_origin() {
    for hs in [
        vec![origin("null")],
        vec![origin("x"), origin("y")],
        vec![("origin", b"\xff" as &[u8])],
    ] {
        let (d, seen) = run(&open(), "GET", &hs);
        assert_eq!(d.denial(), None);
        assert_eq!(seen.headers[0], ("access-control-allow-origin".into(), "*".into()));
    }
}

// ---- section 2: preflight ----

#[test]
fn preflight_success_carries_every_header() {
    let (_, seen) = run(
        &strict(),
        "OPTIONS",
        &[
            origin(APP),
            ("access-control-request-method", b"PATCH"),
            ("access-control-request-headers", b"content-type,x-api-key"),
        ],
    );
    assert_eq!(
        seen,
        Seen {
            status: Some(204),
            headers: h(&[
                ("access-control-allow-origin", APP),
                ("access-control-allow-credentials", "true"),
                ("access-control-allow-methods", "GET, PUT, PATCH"),
                ("access-control-allow-headers", "content-type, x-api-key"),
                ("access-control-max-age", "600"),
                PREFLIGHT_VARY,
            ])
        }
    );
}

#[test]
fn preflight_without_requested_headers_has_no_allow_headers() {
    let (_, seen) = run(
        &strict(),
        "OPTIONS",
        &[origin(APP), ("access-control-request-method", b"PUT")],
    );
    assert!(!seen.headers.iter().any(|(n, _)| n == "access-control-allow-headers"));
}

#[test]
fn preflight_status_200_when_chosen() {
    let p = Policy::builder()
        .allow_origins([APP])
        .preflight_status(200)
        .build()
        .unwrap();
    let (d, _) = run(&p, "OPTIONS", &[origin(APP), ("access-control-request-method", b"GET")]);
    assert_eq!(d.status(), Some(200));
}

#[test]
fn safelisted_methods_always_pass() {
    let p = Policy::builder()
        .allow_origins([APP])
        .allow_methods(["PUT"])
        .build()
        .unwrap();
    for m in ["GET", "HEAD", "POST"] {
        let (d, _) = run(
            &p,
            "OPTIONS",
            &[origin(APP), ("access-control-request-method", m.as_bytes())],
        );
        assert_eq!(d.denial(), None, "{m}");
    }
}

#[test]
fn methods_are_case_sensitive() {
    let (d, seen) = run(
        &strict(),
        "OPTIONS",
        &[origin(APP), ("access-control-request-method", b"patch")],
    );
    assert_eq!(d.denial(), Some(Denial::Method));
    assert_eq!(
        seen,
        Seen {
            status: Some(403),
            headers: h(&[PREFLIGHT_VARY])
        }
    );
}

#[test]
fn method_wildcard_answers_star_without_credentials_and_echoes_with() {
    let (_, seen) = run(
        &open(),
        "OPTIONS",
        &[origin(APP), ("access-control-request-method", b"PROPFIND")],
    );
    assert!(seen
        .headers
        .contains(&("access-control-allow-methods".into(), "*".into())));
    let p = Policy::builder()
        .allow_origins([APP])
        .allow_methods(["*"])
        .allow_credentials(true)
        .build()
        .unwrap();
    let (d, seen) = run(
        &p,
        "OPTIONS",
        &[origin(APP), ("access-control-request-method", b"PROPFIND")],
    );
    assert_eq!(d.denial(), None);
    assert!(seen
        .headers
        .contains(&("access-control-allow-methods".into(), "PROPFIND".into())));
    let (d, _) = run(
        &p,
        "OPTIONS",
        &[origin(APP), ("access-control-request-method", b"BAD METHOD")],
    );
    assert_eq!(d.denial(), Some(Denial::MethodMalformed));
}

#[test]
fn failures_are_403_with_no_allow_header_in_the_documented_order() {
    let p = strict();
    let cases: [(RequestLines, Denial); 5] = [
        (
            &[
                origin("https://evil.com"),
                ("access-control-request-method", b"DELETE"),
                ("access-control-request-headers", b"x-evil"),
            ],
            Denial::Origin,
        ),
        (
            &[
                origin(APP),
                ("access-control-request-method", b"DELETE"),
                ("access-control-request-headers", b"x-evil"),
            ],
            Denial::Method,
        ),
        (
            &[
                origin(APP),
                ("access-control-request-method", b"PUT"),
                ("access-control-request-headers", b"content-type,x-evil"),
            ],
            Denial::Header {
                line: 0,
                start: 13,
                end: 19,
            },
        ),
        (
            &[
                origin(APP),
                ("access-control-request-method", b"PUT"),
                ("access-control-request-private-network", b"true"),
            ],
            Denial::PrivateNetwork,
        ),
        (
            &[
                origin(APP),
                ("access-control-request-method", b"PUT"),
                ("access-control-request-headers", b"x-evil"),
                ("access-control-request-private-network", b"true"),
            ],
            Denial::Header {
                line: 0,
                start: 0,
                end: 6,
            },
        ),
    ];
    for (hs, want) in cases {
        let (d, seen) = run(&p, "OPTIONS", hs);
        assert_eq!(d.denial(), Some(want));
        assert_eq!(
            seen,
            Seen {
                status: Some(403),
                headers: h(&[PREFLIGHT_VARY])
            }
        );
    }
}

#[test]
fn private_network_is_answered_when_allowed() {
    let p = Policy::builder()
        .allow_origins([APP])
        .allow_private_network(true)
        .build()
        .unwrap();
    let (d, seen) = run(
        &p,
        "OPTIONS",
        &[
            origin(APP),
            ("access-control-request-method", b"GET"),
            ("access-control-request-private-network", b"true"),
        ],
    );
    assert_eq!(d.denial(), None);
    assert!(seen
        .headers
        .contains(&("access-control-allow-private-network".into(), "true".into())));
    assert!(seen.headers.contains(&(
        "vary".into(),
        "origin, access-control-request-method, access-control-request-headers, access-control-request-private-network"
            .into()
    )));
    // Not requested: not answered, but Vary still names it.
    let (_, seen) = run(&p, "OPTIONS", &[origin(APP), ("access-control-request-method", b"GET")]);
    assert!(!seen
        .headers
        .iter()
        .any(|(n, _)| n == "access-control-allow-private-network"));
}

#[test]
fn request_headers_are_case_insensitive_and_tolerant_of_spaces_and_lines() {
    let p = strict();
    for acrh in [
        &b"Content-Type, X-API-Key"[..],
        b" content-type ,\tx-api-key ",
        b"content-type,,x-api-key,",
        b"",
    ] {
        let (d, _) = run(
            &p,
            "OPTIONS",
            &[
                origin(APP),
                ("access-control-request-method", b"PUT"),
                ("access-control-request-headers", acrh),
            ],
        );
        assert_eq!(d.denial(), None, "{}", acrh.escape_ascii());
    }
    let (d, _) = run(
        &p,
        "OPTIONS",
        &[
            origin(APP),
            ("access-control-request-method", b"PUT"),
            ("access-control-request-headers", b"content-type"),
            ("access-control-request-headers", b"x-api-key"),
        ],
    );
    assert_eq!(d.denial(), None);
    let (d, _) = run(
        &p,
        "OPTIONS",
        &[
            origin(APP),
            ("access-control-request-method", b"PUT"),
            ("access-control-request-headers", b"content-type"),
            ("access-control-request-headers", b"x-other"),
        ],
    );
    assert_eq!(
        d.denial(),
        Some(Denial::Header {
            line: 1,
            start: 0,
            end: 7
        })
    );
}

#[test]
fn at_most_16_empty_elements() {
    let p = strict();
    let ok = ",".repeat(15); // 16 empty elements
    let bad = ",".repeat(16); // 17
    let (d, _) = run(
        &p,
        "OPTIONS",
        &[
            origin(APP),
            ("access-control-request-method", b"PUT"),
            ("access-control-request-headers", ok.as_bytes()),
        ],
    );
    assert_eq!(d.denial(), None);
    let (d, _) = run(
        &p,
        "OPTIONS",
        &[
            origin(APP),
            ("access-control-request-method", b"PUT"),
            ("access-control-request-headers", bad.as_bytes()),
        ],
    );
    assert!(matches!(d.denial(), Some(Denial::HeadersMalformed { .. })));
}

#[test]
fn hostile_request_headers_are_refused_after_a_few_bytes() {
    let p = open();
    // 1 MiB is more than any list the policy accepts (4 KiB under `*`): refused unread.
    for v in [vec![b','; 1 << 20], vec![b' '; 1 << 20], vec![b'a'; 1 << 20]] {
        for p in [open(), strict()] {
            let (d, _) = run(
                &p,
                "OPTIONS",
                &[
                    origin(APP),
                    ("access-control-request-method", b"PUT"),
                    ("access-control-request-headers", &v),
                ],
            );
            assert_eq!(d.denial(), Some(Denial::HeadersTooLong { line: 0 }));
        }
    }
    // Within the length: a few bytes past the sixteenth comma or space.
    let commas = vec![b','; 1000];
    let spaces = vec![b' '; 1000];
    for (v, limit) in [(&commas, 17), (&spaces, 17)] {
        let (d, _) = run(
            &p,
            "OPTIONS",
            &[
                origin(APP),
                ("access-control-request-method", b"PUT"),
                ("access-control-request-headers", v),
            ],
        );
        match d.denial() {
            Some(Denial::HeadersMalformed { line: 0, at }) => assert!(at <= limit, "stopped at {at}"),
            other => panic!("{other:?}"),
        }
    }
    // Without `*`, a name longer than any listed name stops the scan right there.
    let long = vec![b'a'; 40];
    let (d, _) = run(
        &strict(),
        "OPTIONS",
        &[
            origin(APP),
            ("access-control-request-method", b"PUT"),
            ("access-control-request-headers", &long),
        ],
    );
    assert_eq!(
        d.denial(),
        Some(Denial::Header {
            line: 0,
            start: 0,
            end: 13
        })
    );
}

#[test]
fn header_wildcard_covers_all_but_authorization() {
    let p = open();
    let pre = |acrh: &'static [u8]| {
        run(
            &open(),
            "OPTIONS",
            &[
                origin(APP),
                ("access-control-request-method", b"PUT"),
                ("access-control-request-headers", acrh),
            ],
        )
    };
    // Sorted, as browsers send them.
    let (d, seen) = pre(b"content-type,x-anything");
    assert_eq!(d.denial(), None);
    assert!(seen
        .headers
        .contains(&("access-control-allow-headers".into(), "*".into())));
    let (d, _) = pre(b"Authorization,x-anything");
    assert!(matches!(d.denial(), Some(Denial::Header { .. })));
    assert!(!p.allows_request_header(b"authorization"));
    let both = Policy::builder()
        .allow_origins(["*"])
        .allow_headers(["*", "authorization"])
        .build()
        .unwrap();
    assert!(both.allows_request_header(b"authorization") && both.allows_request_header(b"x-foo"));
    let (_, seen) = run(
        &both,
        "OPTIONS",
        &[
            origin(APP),
            ("access-control-request-method", b"GET"),
            ("access-control-request-headers", b"authorization,x-foo"),
        ],
    );
    assert!(seen
        .headers
        .contains(&("access-control-allow-headers".into(), "*, authorization".into())));
}

#[test]
fn header_wildcard_with_credentials_echoes_the_requested_lines() {
    let p = Policy::builder()
        .allow_origins([APP])
        .allow_headers(["*"])
        .allow_credentials(true)
        .build()
        .unwrap();
    let (d, seen) = run(
        &p,
        "OPTIONS",
        &[
            origin(APP),
            ("access-control-request-method", b"GET"),
            ("access-control-request-headers", b"x-a,x-b,x-c"),
        ],
    );
    assert_eq!(d.denial(), None);
    let acah: Vec<_> = seen
        .headers
        .iter()
        .filter(|(n, _)| n == "access-control-allow-headers")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(acah, ["x-a,x-b,x-c"]);
    // The same names over two lines would be echoed as two lines: refused instead
    // (before this rule: echoed as they came).
    let (d, _) = run(
        &p,
        "OPTIONS",
        &[
            origin(APP),
            ("access-control-request-method", b"GET"),
            ("access-control-request-headers", b"x-a,x-b"),
            ("access-control-request-headers", b"x-c"),
        ],
    );
    assert_eq!(d.denial(), Some(Denial::HeadersNotCanonical { line: 1, at: 0 }));
    let (d, _) = run(
        &p,
        "OPTIONS",
        &[
            origin(APP),
            ("access-control-request-method", b"GET"),
            ("access-control-request-headers", b"authorization"),
        ],
    );
    assert!(matches!(d.denial(), Some(Denial::Header { .. })));
}

// ---- section 3: actual requests ----

#[test]
fn actual_allowed_gets_origin_credentials_and_expose() {
    let (d, seen) = run(&strict(), "POST", &[origin(APP)]);
    assert_eq!(d.kind(), Kind::Actual);
    assert_eq!(
        seen.headers,
        h(&[
            ("access-control-allow-origin", APP),
            ("access-control-allow-credentials", "true"),
            ("access-control-expose-headers", "x-request-id"),
            ("vary", "origin"),
        ])
    );
}

#[test]
fn actual_denied_gets_only_vary() {
    let (d, seen) = run_with(
        &strict(),
        "GET",
        &[origin("https://evil.com")],
        &[("access-control-allow-origin", "*"), ("x-own", "1")],
    );
    assert_eq!(d.denial(), Some(Denial::Origin));
    assert_eq!(
        seen,
        Seen {
            status: None,
            headers: h(&[("x-own", "1"), ("vary", "origin")])
        }
    );
}

#[test]
fn the_policy_replaces_every_cors_header_the_handler_set() {
    let handler = [
        ("access-control-allow-origin", "*"),
        ("access-control-allow-credentials", "false"),
        ("access-control-allow-methods", "DELETE"),
        ("access-control-allow-headers", "x-evil"),
        ("access-control-expose-headers", "x-secret"),
        ("access-control-max-age", "99999"),
        ("access-control-allow-private-network", "true"),
    ];
    let (_, seen) = run_with(&strict(), "GET", &[origin(APP)], &handler);
    assert_eq!(
        seen.headers,
        h(&[
            ("access-control-allow-origin", APP),
            ("access-control-allow-credentials", "true"),
            ("access-control-expose-headers", "x-request-id"),
            ("vary", "origin"),
        ])
    );
    let (_, seen) = run_with(&strict(), "GET", &[], &handler);
    assert_eq!(seen.headers, h(&[("vary", "origin")]));
}

// ---- section 4: Vary ----

#[test]
fn vary_is_merged_never_duplicated_never_overwritten() {
    let p = strict();
    let cases: [(ResponseLines, ResponseLines); 5] = [
        (
            &[("vary", "accept-encoding")],
            &[("vary", "accept-encoding"), ("vary", "origin")],
        ),
        (
            &[("vary", "Accept-Encoding, ORIGIN")],
            &[("vary", "Accept-Encoding, ORIGIN")],
        ),
        (
            &[("vary", "accept"), ("vary", " origin ")],
            &[("vary", "accept"), ("vary", " origin ")],
        ),
        (&[("vary", "*")], &[("vary", "*")]),
        (&[("vary", "originator")], &[("vary", "originator"), ("vary", "origin")]),
    ];
    for (handler, want) in cases {
        let (_, seen) = run_with(&p, "GET", &[origin("https://evil.com")], handler);
        assert_eq!(seen.headers, h(want), "{handler:?}");
    }
}

#[test]
fn any_origin_actual_has_no_vary() {
    let (_, seen) = run(&open(), "GET", &[origin(APP)]);
    assert!(!seen.headers.iter().any(|(n, _)| n == "vary"));
}

// ---- section 5: origins and patterns ----

#[test]
fn origin_patterns_through_the_engine() {
    let p = strict();
    let allowed = [
        "https://app.example.com",
        "https://a.example.org",
        "https://a.b.example.org",
        "http://localhost",
        "http://localhost:5173",
    ];
    let denied = [
        "https://example.org",
        "https://evilexample.org",
        "https://example.org.evil.com",
        "https://x.com/.example.org",
        "http://app.example.com",
        "https://app.example.com:443",
        "HTTPS://APP.EXAMPLE.COM",
        "https://app.example.com/",
        "https://app.example.com.",
        "http://localhost:0",
        "http://localhost:08080",
        "null",
    ];
    for o in allowed {
        assert_eq!(run(&p, "GET", &[origin(o)]).0.denial(), None, "{o}");
    }
    for o in denied {
        assert_eq!(run(&p, "GET", &[origin(o)]).0.denial(), Some(Denial::Origin), "{o}");
    }
}

#[test]
fn extension_origins_are_exact_origins() {
    let p = Policy::builder()
        .allow_origins(["chrome-extension://abcdefghijklmnop", "tauri://localhost"])
        .build()
        .unwrap();
    assert!(p.allows_origin(b"chrome-extension://abcdefghijklmnop"));
    assert!(p.allows_origin(b"tauri://localhost"));
    assert!(!p.allows_origin(b"chrome-extension://other"));
}

#[test]
fn an_exact_origin_covered_by_a_pattern_is_fine_but_duplicates_are_not() {
    assert!(Policy::builder()
        .allow_origins(["https://a.example.com", "https://*.example.com"])
        .build()
        .is_ok());
    let e = Policy::builder()
        .allow_origins(["https://a.example.com", "https://a.example.com"])
        .build()
        .unwrap_err();
    assert_eq!(e.problems()[0].code, corsair_core::Code::OriginDuplicate);
}

#[test]
fn a_thousand_origins() {
    let list: Vec<String> = (0..1000).map(|i| format!("https://app{i}.example.com")).collect();
    let p = Policy::builder().allow_origins(&list).build().unwrap();
    for o in &list {
        assert!(p.allows_origin(o.as_bytes()));
    }
    assert!(!p.allows_origin(b"https://app1000.example.com"));
}
