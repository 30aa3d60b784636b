//! `https://*` and `http://*` (Amazon API Gateway's scheme-wide origins, RULES.md
//! section 9) mean the same in `cors!` and in the builder: every canonical origin of
//! that scheme, echoed with `Vary: origin`, never `*`; refused with credentials and
//! with private network access as `*` is (the compile errors are `tests/ui/scheme_*`).

use corsair::{cors, Code, Field, Policy};
use http::{HeaderMap, Request};

static HTTPS: Policy = cors! { allow_origins: ["https://*"], allow_methods: [GET, PUT] };
static BOTH: Policy = cors! { allow_origins: ["https://*", "http://*"] };

/// `Access-Control-Allow-Origin` and `Vary` for a GET (`preflight: false`) or a PUT
/// preflight from `origin`.
fn answer(policy: &Policy, origin: &str, preflight: bool) -> (Option<String>, Option<String>) {
    let req = if preflight {
        Request::options("/items").header("access-control-request-method", "PUT")
    } else {
        Request::get("/items")
    };
    let req = req.header("origin", origin).body(()).expect("request");
    let decision = policy.decide(&req);
    let mut out = HeaderMap::new();
    decision.apply(policy, req.headers(), &mut out);
    let get = |n: &str| out.get(n).map(|v| v.to_str().expect("ASCII").to_owned());
    (get("access-control-allow-origin"), get("vary"))
}

fn built(origins: &[&str]) -> Policy {
    Policy::builder()
        .allow_origins(origins.iter().copied())
        .allow_methods(["GET", "PUT"])
        .build()
        .expect("valid policy")
}

#[test]
fn https_star_echoes_every_https_origin_and_no_http_one() {
    for policy in [&HTTPS, &built(&["https://*"])] {
        for preflight in [false, true] {
            let (acao, vary) = answer(policy, "https://anything.example", preflight);
            assert_eq!(
                acao.as_deref(),
                Some("https://anything.example"),
                "preflight {preflight}"
            );
            assert!(vary.is_some_and(|v| v.starts_with("origin")), "preflight {preflight}");
            assert_eq!(
                answer(policy, "https://a.b.example:8443", preflight).0.as_deref(),
                Some("https://a.b.example:8443")
            );
            assert_eq!(answer(policy, "http://anything.example", preflight).0, None);
            // Only canonical origins: upper case, a default port, a path are never echoed.
            for odd in [
                "https://Anything.example",
                "https://anything.example:443",
                "https://a.example/",
                "https://",
            ] {
                assert_eq!(answer(policy, odd, preflight).0, None, "{odd}");
            }
        }
        assert!(!policy.is_any_origin());
    }
}

#[test]
fn http_star_beside_https_star_allows_both_schemes_and_nothing_else() {
    for policy in [&BOTH, &built(&["https://*", "http://*"])] {
        assert_eq!(
            answer(policy, "http://localhost:3000", false).0.as_deref(),
            Some("http://localhost:3000")
        );
        assert_eq!(
            answer(policy, "https://x.example", false).0.as_deref(),
            Some("https://x.example")
        );
        assert_eq!(answer(policy, "chrome-extension://abcdefgh", false).0, None);
        assert_eq!(answer(policy, "null", false).0, None);
    }
    let http = built(&["http://*"]);
    assert_eq!(answer(&http, "https://x.example", false).0, None);
    assert_eq!(
        answer(&http, "http://x.example", false).0.as_deref(),
        Some("http://x.example")
    );
}

#[test]
fn scheme_wide_origins_are_refused_with_credentials_and_private_network_as_star_is() {
    let err = Policy::builder()
        .allow_origins(["https://app.example.com", "https://*"])
        .allow_credentials(true)
        .build()
        .unwrap_err();
    let p = &err.problems()[0];
    assert_eq!(
        (p.code, p.field, p.index),
        (Code::WildcardOriginWithCredentials, Field::AllowOrigins, Some(1))
    );
    assert!(p.message.contains("every `https://` origin"), "{}", p.message);
    let err = Policy::builder()
        .allow_origins(["http://*"])
        .allow_private_network(true)
        .build()
        .unwrap_err();
    let p = &err.problems()[0];
    assert_eq!((p.code, p.index), (Code::PrivateNetworkWithWildcardOrigin, Some(0)));
    // The same as `*`: mixing `*` in is refused, a repeat too; other schemes stay malformed.
    let codes = |origins: &[&str]| -> Vec<Code> {
        Policy::builder()
            .allow_origins(origins.iter().copied())
            .build()
            .unwrap_err()
            .problems()
            .iter()
            .map(|p| p.code)
            .collect()
    };
    assert_eq!(codes(&["*", "https://*"]), [Code::OriginWildcardMixed]);
    assert_eq!(codes(&["https://*", "https://*"]), [Code::OriginDuplicate]);
    assert_eq!(codes(&["ftp://*"]), [Code::OriginMalformedWildcard]);
}
