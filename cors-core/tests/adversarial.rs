//! The classic CORS misconfiguration and attack classes, through the byte-level
//! engine: each is denied (or treated as documented) with no allocation, and the
//! diagnostic stays short and escaped.

mod support;

use corsair_core::{Decision, Denial, Kind, Origin, Policy, RawRequest};
use support::allocations;

const APP: &str = "https://app.example.com";

fn policy() -> Policy {
    Policy::builder()
        .allow_origins([APP, "https://*.example.com", "http://localhost:*"])
        .allow_methods(["PUT"])
        .allow_headers(["content-type", "authorization"])
        .allow_credentials(true)
        .build()
        .unwrap()
}

/// The same policy with its origins decided by a predicate written the plain way
/// over [`Origin`] (RULES.md section 8): every test below runs it too.
fn predicate_policy() -> Policy {
    Policy::builder()
        .allow_origin_fn(|o: &Origin| {
            (o.scheme() == "https"
                && o.port().is_none()
                && (o.host() == "app.example.com" || o.is_subdomain_of("example.com")))
                || (o.scheme() == "http" && o.host() == "localhost")
        })
        .allow_methods(["PUT"])
        .allow_headers(["content-type", "authorization"])
        .allow_credentials(true)
        .build()
        .unwrap()
}

fn policies() -> [(&'static str, Policy); 2] {
    [("list", policy()), ("predicate", predicate_policy())]
}

fn decide(p: &Policy, method: &[u8], headers: &[(&[u8], &[u8])]) -> Decision {
    let req = RawRequest { method, headers };
    let mut d = None;
    let n = allocations(|| d = Some(p.decide(&req)));
    assert_eq!(n, 0, "deciding allocated");
    let d = d.unwrap();
    let explained = d.explain(p, &req).to_string();
    assert!(explained.len() < 400, "diagnostic too long: {} bytes", explained.len());
    assert!(
        !explained.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0),
        "diagnostic not escaped: {explained:?}"
    );
    d
}

#[test]
fn hostile_origins_are_denied() {
    for (which, p) in policies() {
        hostile_origins_are_denied_by(which, &p);
    }
}

fn hostile_origins_are_denied_by(which: &str, p: &Policy) {
    let mega = vec![b'a'; 1 << 20];
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("reflection of an unknown origin", b"https://evil.com".to_vec()),
        ("null origin", b"null".to_vec()),
        ("suffix trick", b"https://app.example.com.evil.com".to_vec()),
        ("prefix trick", b"https://evilexample.com".to_vec()),
        ("lookalike TLD", b"https://app.example.computer".to_vec()),
        ("userinfo trick", b"https://app.example.com@evil.com".to_vec()),
        ("explicit default port", b"https://app.example.com:443".to_vec()),
        ("other port", b"https://app.example.com:8443".to_vec()),
        ("case trick", b"HTTPS://APP.EXAMPLE.COM".to_vec()),
        ("trailing dot", b"https://app.example.com.".to_vec()),
        ("trailing slash", b"https://app.example.com/".to_vec()),
        ("path after a pattern's parent", b"https://x.com/.example.com".to_vec()),
        (
            "http origin against an https policy",
            b"http://app.example.com".to_vec(),
        ),
        ("CRLF injection", b"https://app.example.com\r\nx-evil: 1".to_vec()),
        ("NUL byte", b"https://app.example.com\0".to_vec()),
        ("1 MiB origin", mega),
        ("empty origin", Vec::new()),
        ("sibling of the parent", b"https://example.com.evil.com".to_vec()),
        ("parent itself with a port", b"https://example.com:8443".to_vec()),
        ("upper-case subdomain", b"https://EU.example.com".to_vec()),
        ("empty label", b"https://.example.com".to_vec()),
        ("double dot", b"https://eu..example.com".to_vec()),
        ("subdomain with a trailing dot", b"https://eu.example.com.".to_vec()),
        ("unicode lookalike", "https://app.ex\u{e4}mple.com".as_bytes().to_vec()),
        ("space before", b" https://app.example.com".to_vec()),
        ("tab after", b"https://app.example.com\t".to_vec()),
        ("backslash", b"https://evil.com\\.example.com".to_vec()),
        ("query", b"https://app.example.com?x=.example.com".to_vec()),
        ("fragment", b"https://evil.com#.example.com".to_vec()),
        ("localhost lookalike", b"http://localhost.evil.com".to_vec()),
        ("non-UTF-8", b"https://app.example.com\xff".to_vec()),
    ];
    for (name, origin) in &cases {
        for method in [&b"GET"[..], b"OPTIONS"] {
            let d = decide(
                p,
                method,
                &[(b"origin", origin), (b"access-control-request-method", b"PUT")],
            );
            assert_eq!(d.denial(), Some(Denial::Origin), "{which}: {name}");
            assert!(
                d.headers().allow_origin.is_none() && !d.headers().allow_credentials,
                "{which}: {name}"
            );
            assert!(d.headers().vary.is_some(), "{which}: {name}");
        }
    }
}

#[test]
fn legitimate_origins_are_granted_alike_by_the_list_and_the_predicate() {
    for (which, p) in policies() {
        for origin in [
            APP,
            "https://eu.example.com",
            "https://a.b.example.com",
            "http://localhost",
            "http://localhost:5173",
        ] {
            for method in [&b"GET"[..], b"OPTIONS"] {
                let d = decide(
                    &p,
                    method,
                    &[
                        (b"origin", origin.as_bytes()),
                        (b"access-control-request-method", b"PUT"),
                    ],
                );
                assert_eq!(d.denial(), None, "{which}: {origin}");
                // The list answers its exact origin with its own value, anything else
                // (patterns, the predicate) by echoing: the same bytes either way.
                assert!(
                    matches!(
                        d.headers().allow_origin,
                        Some(corsair_core::adapter::AllowOrigin::Echo | corsair_core::adapter::AllowOrigin::Listed(_))
                    ),
                    "{which}: {origin}"
                );
                assert!(d.headers().allow_credentials, "{which}: {origin}");
            }
        }
    }
}

#[test]
fn several_origin_headers_are_denied() {
    for (which, p) in policies() {
        for second in [&b"https://evil.com"[..], APP.as_bytes()] {
            let d = decide(&p, b"GET", &[(b"origin", APP.as_bytes()), (b"origin", second)]);
            assert_eq!(d.denial(), Some(Denial::OriginRepeated), "{which}");
        }
    }
}

#[test]
fn hostile_request_headers_are_refused_early() {
    let p = policy();
    let commas = vec![b','; 1 << 20];
    let spaces = vec![b' '; 1 << 20];
    let name = vec![b'x'; 1 << 20];
    let crlf = b"content-type\r\nx-evil: 1".to_vec();
    for (what, v, early) in [
        ("commas", &commas, true),
        ("spaces", &spaces, true),
        ("1 MiB name", &name, true),
        ("CRLF", &crlf, true),
    ] {
        let d = decide(
            &p,
            b"OPTIONS",
            &[
                (b"origin", APP.as_bytes()),
                (b"access-control-request-method", b"PUT"),
                (b"access-control-request-headers", v),
            ],
        );
        assert_eq!(d.kind(), Kind::Preflight);
        let stop = match d.denial() {
            Some(Denial::HeadersMalformed { at, .. }) => at,
            Some(Denial::Header { end, .. }) => end,
            // Longer than any list the policy could accept: refused unread.
            Some(Denial::HeadersTooLong { .. }) => 0,
            other => panic!("{what}: {other:?}"),
        };
        assert!(!early || stop <= 64, "{what}: scanned {stop} bytes before refusing");
    }
    // 1,024 lines of one allowed name: browsers send each name once, so the
    // second line is refused as a repeat (before this rule: read to the end, allowed).
    let lines: Vec<(&[u8], &[u8])> = std::iter::once((&b"origin"[..], APP.as_bytes()))
        .chain(std::iter::once((&b"access-control-request-method"[..], &b"PUT"[..])))
        .chain(std::iter::repeat_n(
            (&b"access-control-request-headers"[..], &b"content-type"[..]),
            1024,
        ))
        .collect();
    assert_eq!(
        decide(&p, b"OPTIONS", &lines).denial(),
        Some(Denial::HeaderRepeated {
            line: 1,
            start: 0,
            end: 12
        })
    );
}

#[test]
fn a_credentialed_response_never_goes_to_a_hostile_origin() {
    for (which, p) in policies() {
        for origin in [&b"https://evil.com"[..], b"null", b"https://app.example.com.evil.com"] {
            for method in [&b"GET"[..], b"POST", b"PUT", b"OPTIONS"] {
                let d = decide(&p, method, &[(b"origin", origin)]);
                assert!(d.headers().allow_origin.is_none(), "{which}: {}", origin.escape_ascii());
                assert!(!d.headers().allow_credentials, "{which}");
            }
        }
    }
}

#[test]
fn responses_without_origin_vary_on_origin_when_the_policy_depends_on_it() {
    // A shared cache must not serve a response made for no Origin to a cross-origin request.
    for (which, p) in policies() {
        let d = decide(&p, b"GET", &[]);
        assert_eq!(d.kind(), Kind::NotCors, "{which}");
        assert_eq!(d.headers().vary, Some(corsair_core::adapter::Vary::Origin), "{which}");
    }
    let any = Policy::builder().allow_origins(["*"]).build().unwrap();
    let d = decide(&any, b"GET", &[]);
    assert_eq!(
        d.headers().vary,
        None,
        "the constant `*` answer does not depend on the origin"
    );
    assert_eq!(d.headers().allow_origin, Some(corsair_core::adapter::AllowOrigin::Any));
}
