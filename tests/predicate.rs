//! Origins decided at run time (RULES.md section 8): `Policy::builder().allow_origin_fn`
//! over `corsair::Origin`. What reaches the predicate, what the builder refuses, and
//! the safe ways to write one.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use corsair::{Code, Denial, Kind, Origin, Policy, RawRequest};

fn get(policy: &Policy, origins: &[&[u8]]) -> corsair::Decision {
    let headers: Vec<(&[u8], &[u8])> = origins.iter().map(|o| (&b"origin"[..], *o)).collect();
    policy.decide(&RawRequest {
        method: b"GET",
        headers: &headers,
    })
}

/// A predicate that says yes to everything and counts how often it was asked.
fn counting(calls: &Arc<AtomicUsize>) -> impl Fn(&Origin) -> bool + Send + Sync + 'static {
    let calls = Arc::clone(calls);
    move |_| {
        calls.fetch_add(1, Ordering::Relaxed);
        true
    }
}

#[test]
fn a_predicate_only_policy_builds_and_an_empty_one_without_it_does_not() {
    let p = Policy::builder()
        .allow_origin_fn(|o: &Origin| o.host() == "a.example.com")
        .build();
    let p = p.expect("a predicate-only policy is valid");
    assert!(p.has_origin_fn());
    assert!(p.allows_origin(b"https://a.example.com"));
    assert!(!p.allows_origin(b"https://b.example.com"));
    let err = Policy::builder().build().unwrap_err();
    assert_eq!(err.problems()[0].code, Code::OriginsEmpty);
}

#[test]
fn every_other_rule_still_applies() {
    let err = Policy::builder()
        .allow_origin_fn(|_: &Origin| true)
        .allow_methods(["patch", "TRACE"])
        .expose_headers(["set-cookie"])
        .max_age(100_000)
        .build()
        .unwrap_err();
    let codes: Vec<Code> = err.problems().iter().map(|p| p.code).collect();
    assert_eq!(
        codes,
        [
            Code::MethodCase,
            Code::MethodForbidden,
            Code::ExposeSetCookie,
            Code::MaxAgeTooLarge
        ]
    );
}

#[test]
fn a_predicate_beside_the_any_origin_wildcard_is_refused() {
    let err = Policy::builder()
        .allow_origins(["*"])
        .allow_origin_fn(|_: &Origin| true)
        .build()
        .unwrap_err();
    assert_eq!(err.problems().len(), 1, "{err}");
    let p = &err.problems()[0];
    assert_eq!(p.code, Code::OriginWildcardMixed);
    assert!(p.message.contains("allow_origin_fn"), "{}", p.message);
}

#[test]
fn the_list_is_tried_first_and_only_a_single_canonical_origin_reaches_the_predicate() {
    let calls = Arc::new(AtomicUsize::new(0));
    let p = Policy::builder()
        .allow_origins(["https://app.example.com"])
        .allow_origin_fn(counting(&calls))
        .build()
        .unwrap();
    assert_eq!(get(&p, &[b"https://app.example.com"]).denial(), None);
    assert_eq!(
        calls.load(Ordering::Relaxed),
        0,
        "a listed origin never asks the predicate"
    );

    let refused: [&[u8]; 12] = [
        b"null",
        b"",
        b"https://Tenant.example.com",
        b"https://tenant.example.com.",
        b"https://tenant.example.com/",
        b"https://tenant.example.com:443",
        b"https://user@tenant.example.com",
        b"https://tenant.example.com ",
        b"https://tenant.example.com\xff",
        b"https://127.1",
        b"http://[::ffff:127.0.0.1]",
        b"file://tenant",
    ];
    for origin in refused {
        let d = get(&p, &[origin]);
        assert_eq!(d.denial(), Some(Denial::Origin), "{}", origin.escape_ascii());
    }
    let long = format!("https://{}.example.com", "a".repeat(Origin::MAX_LEN));
    assert_eq!(get(&p, &[long.as_bytes()]).denial(), Some(Denial::Origin));
    let d = get(&p, &[b"https://tenant.example.com", b"https://tenant.example.com"]);
    assert_eq!(d.denial(), Some(Denial::OriginRepeated));
    assert_eq!(calls.load(Ordering::Relaxed), 0, "the predicate saw a refused value");

    assert_eq!(get(&p, &[b"https://tenant.example.com"]).denial(), None);
    assert_eq!(calls.load(Ordering::Relaxed), 1);
}

#[test]
fn with_credentials_or_private_network_plain_http_never_reaches_the_predicate() {
    let calls = Arc::new(AtomicUsize::new(0));
    let credentialed = Policy::builder()
        .allow_origin_fn(counting(&calls))
        .allow_credentials(true)
        .build()
        .unwrap();
    let private = Policy::builder()
        .allow_origin_fn(counting(&calls))
        .allow_private_network(true)
        .build()
        .unwrap();
    for p in [&credentialed, &private] {
        calls.store(0, Ordering::Relaxed);
        assert!(!p.allows_origin(b"http://tenant.example.com"));
        assert!(!p.allows_origin(b"http://10.0.0.1:8080"));
        assert_eq!(calls.load(Ordering::Relaxed), 0);
        for loopback in [
            &b"http://localhost:3000"[..],
            b"http://127.0.0.1",
            b"http://[::1]:8080",
            b"http://a.localhost",
        ] {
            assert!(p.allows_origin(loopback), "{}", loopback.escape_ascii());
        }
        assert!(p.allows_origin(b"https://tenant.example.com"));
    }
    // The opt-out, and a policy without credentials, ask the predicate about http too.
    let opted_out = Policy::builder()
        .allow_origin_fn(counting(&calls))
        .allow_credentials(true)
        .dangerously_allow_insecure_origins(true)
        .build()
        .unwrap();
    let plain = Policy::builder().allow_origin_fn(counting(&calls)).build().unwrap();
    assert!(opted_out.allows_origin(b"http://tenant.example.com"));
    assert!(plain.allows_origin(b"http://tenant.example.com"));
}

#[test]
fn a_predicate_policy_always_varies_on_origin() {
    let p = Policy::builder()
        .allow_origin_fn(|o: &Origin| o.is_subdomain_of("example.com"))
        .build()
        .unwrap();
    for origins in [&[][..], &[&b"https://a.example.com"[..]], &[&b"https://evil.com"[..]]] {
        let d = get(&p, origins);
        assert_eq!(d.headers().vary, Some(corsair::adapter::Vary::Origin), "{origins:?}");
    }
    assert_eq!(get(&p, &[]).kind(), Kind::NotCors);
    assert!(!p.is_any_origin());
}

/// The safe patterns of the `allow_origin_fn` docs, and why `ends_with` is not one.
#[test]
fn ends_with_grants_lookalikes_where_is_subdomain_of_and_a_set_do_not() {
    let tenants: HashSet<String> = ["https://shop.tenant-a.com".to_owned()].into();
    let safe = Policy::builder()
        .allow_origin_fn(move |o: &Origin| {
            tenants.contains(o.as_str())
                || (o.scheme() == "https" && o.port().is_none() && o.is_subdomain_of("example.com"))
        })
        .build()
        .unwrap();
    let naive = Policy::builder()
        .allow_origin_fn(|o: &Origin| {
            o.as_str().ends_with("example.com") || o.as_str().starts_with("https://shop.tenant-a.com")
        })
        .build()
        .unwrap();
    for legit in ["https://eu.example.com", "https://shop.tenant-a.com"] {
        assert!(safe.allows_origin(legit.as_bytes()), "{legit}");
        assert!(naive.allows_origin(legit.as_bytes()), "{legit}");
    }
    for hostile in [
        "https://evilexample.com",
        "http://eu.example.com",
        "https://shop.tenant-a.com.evil.net",
        "https://shop.tenant-a.community",
    ] {
        assert!(!safe.allows_origin(hostile.as_bytes()), "{hostile}");
        assert!(
            naive.allows_origin(hostile.as_bytes()),
            "the naive predicate should fall for {hostile}"
        );
    }
}

/// The request side and the policy side agree on what a canonical origin is: a
/// value `Origin::parse` accepts is one `allow_origins` accepts, and back.
#[test]
fn origin_parse_agrees_with_the_policy_validator() {
    let schemes = ["https", "http", "HTTP", "chrome-extension"];
    let hosts = [
        "example.com",
        "Example.com",
        "a.b-c.example",
        "xn--bcher-kva.example",
        "b\u{fc}cher.example",
        "example.com.",
        ".example.com",
        "a..b",
        "localhost",
        "my_host",
        "127.0.0.1",
        "127.1",
        "0x7f.0.0.1",
        "010.0.0.1",
        "256.1.1.1",
        "1.2.3.4.5",
        "example.42",
        "[::1]",
        "[::FFFF:1]",
        "[0:0::1]",
        "[::ffff:127.0.0.1]",
        "[::ffff:7f00:1]",
        "[2001:db8::1]",
        "[2001:db8:0:0:0:0:0:1]",
        "",
        "a b",
        "user@example.com",
    ];
    let ports = [
        "", ":", ":0", ":80", ":443", ":8080", ":08080", ":65535", ":65536", ":x",
    ];
    let tails = ["", "/", "?q", "#f"];
    let mut checked = 0;
    for scheme in schemes {
        for host in hosts {
            for port in ports {
                for tail in tails {
                    let s = format!("{scheme}://{host}{port}{tail}");
                    let request_side = Origin::parse(s.as_bytes()).is_some();
                    let policy_side = Policy::builder().allow_origins([&s]).build().is_ok();
                    assert_eq!(request_side, policy_side, "{s:?}: Origin::parse vs allow_origins");
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, schemes.len() * hosts.len() * ports.len() * tails.len());
}
