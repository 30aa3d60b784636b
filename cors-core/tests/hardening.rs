//! Tests written to kill the mutants a review found surviving, and to pin the
//! fixes it led to. Each names the rule it guards.

use corsair_core::{Code, Denial, Policy, RawRequest};

fn origin_code(o: &str) -> Option<Code> {
    Policy::builder()
        .allow_origins([o])
        .build()
        .err()
        .map(|e| e.problems()[0].code)
}

fn with_credentials(o: &str) -> Option<Code> {
    Policy::builder()
        .allow_origins([o])
        .allow_credentials(true)
        .build()
        .err()
        .map(|e| e.problems()[0].code)
}

fn header_code(h: &str) -> Option<Code> {
    Policy::builder()
        .allow_origins(["https://a.com"])
        .allow_headers([h])
        .build()
        .err()
        .map(|e| e.problems()[0].code)
}

fn expose_code(h: &str) -> Option<Code> {
    Policy::builder()
        .allow_origins(["https://a.com"])
        .expose_headers([h])
        .build()
        .err()
        .map(|e| e.problems()[0].code)
}

/// Fetch's forbidden request header names, the whole list (RULES 6.9).
#[test]
fn every_forbidden_request_header_is_refused() {
    for h in [
        "accept-charset",
        "accept-encoding",
        "access-control-request-headers",
        "access-control-request-method",
        "access-control-request-private-network",
        "connection",
        "content-length",
        "cookie",
        "cookie2",
        "date",
        "dnt",
        "expect",
        "host",
        "keep-alive",
        "origin",
        "referer",
        "set-cookie",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "via",
        "Proxy-Authorization",
        "proxy-anything",
        "sec-ch-ua",
    ] {
        assert_eq!(header_code(h), Some(Code::HeaderForbidden), "{h}");
    }
    for h in [
        "x-http-method-override",
        "x-method-override",
        "x-http-method",
        "content-type",
        "authorization",
    ] {
        assert_eq!(header_code(h), None, "{h}");
    }
}

#[test]
fn response_only_names_are_refused_as_request_headers() {
    for h in [
        "access-control-allow-origin",
        "Access-Control-Allow-Credentials",
        "access-control-expose-headers",
        "access-control-max-age",
    ] {
        assert_eq!(header_code(h), Some(Code::HeaderResponseOnly), "{h}");
    }
}

#[test]
fn request_only_and_cookie_names_are_refused_as_exposed() {
    for h in ["set-cookie", "Set-Cookie2"] {
        assert_eq!(expose_code(h), Some(Code::ExposeSetCookie), "{h}");
    }
    for h in [
        "origin",
        "access-control-request-method",
        "access-control-request-headers",
    ] {
        assert_eq!(expose_code(h), Some(Code::ExposeRequestOnly), "{h}");
    }
}

#[test]
fn duplicate_patterns_and_wildcards_are_refused() {
    let e = Policy::builder()
        .allow_origins(["https://*.a.com", "https://*.a.com"])
        .build()
        .unwrap_err();
    assert_eq!(e.problems()[0].code, Code::OriginDuplicate);
    let e = Policy::builder()
        .allow_origins(["https://a.com"])
        .allow_headers(["*", "*"])
        .build()
        .unwrap_err();
    assert_eq!(e.problems()[0].code, Code::HeaderDuplicate);
}

/// RULES 6.7: localhost subdomains are loopback; wildcard-rule suffixes are public.
#[test]
fn credentials_and_suffixes() {
    assert_eq!(with_credentials("http://app.localhost:3000"), None);
    assert_eq!(with_credentials("http://*.localhost:*"), None);
    assert_eq!(
        with_credentials("http://app.example.com"),
        Some(Code::InsecureOriginWithCredentials)
    );
    for o in [
        "https://*.ck",
        "https://*.compute.amazonaws.com",
        "https://*.com",
        "https://*.github.io",
        "https://*.co.uk",
    ] {
        assert_eq!(with_credentials(o), Some(Code::PublicSuffixWildcard), "{o}");
    }
    for o in ["https://*.www.ck", "https://*.example.com", "https://*.internal"] {
        assert_eq!(with_credentials(o), None, "{o}");
    }
}

/// RULES 6.3-6.5: scheme handling.
#[test]
fn schemes() {
    for o in [
        "blob:https://app.example.com/uuid",
        "about:blank",
        "javascript:alert(1)",
        "data:,x",
        "file:///etc/passwd",
    ] {
        assert_eq!(origin_code(o), Some(Code::OpaqueOrigin), "{o}");
    }
    assert_eq!(origin_code("HTTPS://example.com"), Some(Code::OriginUppercase));
    assert_eq!(origin_code("ws://chat.example.com"), Some(Code::OriginInvalid));
    assert_eq!(origin_code("mailto:me@example.com"), Some(Code::OriginInvalid));
    for o in [
        "https:/example.com",
        "https//example.com",
        "https:example.com",
        "localhost:3000",
    ] {
        assert_eq!(origin_code(o), Some(Code::OriginMissingScheme), "{o}");
    }
    let hint = |o: &str| {
        Policy::builder().allow_origins([o]).build().unwrap_err().problems()[0]
            .hint
            .clone()
    };
    assert_eq!(hint("https:/example.com"), "write `https://example.com`");
    assert_eq!(hint("localhost:3000"), "write `http://localhost:3000`");
    assert_eq!(hint("wss://chat.example.com"), "write `https://chat.example.com`");
    let e = Policy::builder().allow_origins(["http://[::1"]).build().unwrap_err();
    assert!(e.problems()[0].message.contains("missing the closing `]`"), "{e}");
}

/// RULES 6.5: IP literals, per the URL Standard's parsers and serializers.
#[test]
fn ip_literals() {
    assert_eq!(origin_code("http://0x7f000001"), Some(Code::OriginNonCanonicalIp));
    assert_eq!(origin_code("http://+1.2.3.4"), Some(Code::OriginInvalid));
    assert_eq!(origin_code("http://0x+f.1"), Some(Code::OriginInvalid));
    // A single zero piece is not compressed; the first of two equal runs is.
    assert_eq!(origin_code("http://[1:0:2:3:4:5:6:7]"), None);
    assert_eq!(origin_code("http://[1::2:3:4:5:6:7]"), Some(Code::OriginNonCanonicalIp));
    assert_eq!(origin_code("http://[1::2:0:0:3:4]"), None);
    assert_eq!(origin_code("http://[1:0:0:2::3:4]"), Some(Code::OriginNonCanonicalIp));
}

/// RULES 5: `:*` alone allows long ports; the length bound comes from the pattern.
#[test]
fn any_port_alone() {
    let p = Policy::builder().allow_origins(["http://localhost:*"]).build().unwrap();
    assert!(p.allows_origin(b"http://localhost:3000"));
    assert!(p.allows_origin(b"http://localhost:65535"));
    assert!(!p.allows_origin(b"http://localhost:655350"));
}

fn preflight(p: &Policy, extra: &[(&[u8], &[u8])]) -> Option<Denial> {
    let mut headers: Vec<(&[u8], &[u8])> = vec![(b"origin", b"https://a.com")];
    headers.extend_from_slice(extra);
    p.decide(&RawRequest {
        method: b"OPTIONS",
        headers: &headers,
    })
    .denial()
}

/// RULES 2: the request details the engine must read exactly.
#[test]
fn preflight_details() {
    let p = Policy::builder()
        .allow_origins(["https://a.com"])
        .allow_methods(["PUT"])
        .allow_headers(["x-a"])
        .build()
        .unwrap();
    // Only `true` asks for private network access.
    assert_eq!(
        preflight(
            &p,
            &[
                (b"access-control-request-method", b"PUT"),
                (b"access-control-request-private-network", b"false")
            ]
        ),
        None
    );
    assert_eq!(
        preflight(
            &p,
            &[
                (b"access-control-request-method", b"PUT"),
                (b"access-control-request-private-network", b"true")
            ]
        ),
        Some(Denial::PrivateNetwork)
    );
    // Several method lines are not one method.
    assert_eq!(
        preflight(
            &p,
            &[
                (b"access-control-request-method", b"PUT"),
                (b"access-control-request-method", b"PUT")
            ]
        ),
        Some(Denial::MethodMalformed)
    );
    // White space after a name is bounded too.
    let mut long = b"x-a".to_vec();
    long.extend(std::iter::repeat_n(b' ', 1 << 20));
    match preflight(
        &p,
        &[
            (b"access-control-request-method", b"PUT"),
            (b"access-control-request-headers", &long),
        ],
    ) {
        Some(Denial::HeadersMalformed { at, .. }) => assert!(at < 64, "scanned {at} bytes"),
        // Longer than any list the policy accepts: refused unread.
        Some(Denial::HeadersTooLong { line: 0 }) => {}
        other => panic!("{other:?}"),
    }
    // Only commas separate names.
    assert!(matches!(
        preflight(
            &p,
            &[
                (b"access-control-request-method", b"PUT"),
                (b"access-control-request-headers", b"x-a;x-a")
            ]
        ),
        Some(Denial::HeadersMalformed { .. })
    ));
}

#[test]
fn messages_for_common_slips() {
    let msg = |b: corsair_core::Builder| {
        let e = b.build().unwrap_err();
        let p = &e.problems()[0];
        format!("{} / {}", p.message, p.hint)
    };
    let base = || Policy::builder().allow_origins(["https://a.com"]);
    assert_eq!(
        msg(base().allow_headers(["x-a,x-b"])),
        "`x-a,x-b` holds several names in one entry / list them separately: \"x-a\", \"x-b\""
    );
    assert_eq!(
        msg(base().allow_headers(["Content-Type "])),
        "header name `Content-Type ` has white space around it / write \"content-type\""
    );
    assert!(msg(base().allow_methods([""])).starts_with("the method is empty"));
}
