//! RULES.md section 2's `Access-Control-Request-Headers` rules at the public API:
//! names strictly ascending, a value no longer than the policy could accept, echoes
//! of canonical values only (headers and method), explanations that show the whole
//! refused name; every hostile value decided with no allocation.

mod support;

use corsair_core::adapter::Source;
use corsair_core::{Decision, Denial, Policy, RawRequest};
use support::allocations;

const APP: &str = "https://app.example.com";

/// 100 names of 12 bytes, `x-header-000` to `x-header-099`.
fn hundred() -> Policy {
    let names: Vec<String> = (0..100).map(|i| format!("x-header-{i:03}")).collect();
    Policy::builder()
        .allow_origins([APP])
        .allow_methods(["PUT"])
        .allow_headers(names)
        .build()
        .unwrap()
}

fn echoing() -> Policy {
    Policy::builder()
        .allow_origins([APP])
        .allow_methods(["*"])
        .allow_headers(["*"])
        .allow_credentials(true)
        .build()
        .unwrap()
}

/// A preflight for PUT with these extra lines; decided with no allocation.
fn preflight(p: &Policy, lines: &[(&[u8], &[u8])]) -> (Decision, String) {
    let mut headers: Vec<(&[u8], &[u8])> = vec![(b"origin", APP.as_bytes())];
    if !lines.iter().any(|(n, _)| *n == b"access-control-request-method") {
        headers.push((b"access-control-request-method", b"PUT"));
    }
    headers.extend_from_slice(lines);
    let req = RawRequest {
        method: b"OPTIONS",
        headers: &headers,
    };
    let mut d = None;
    let n = allocations(|| d = Some(p.decide(&req)));
    assert_eq!(n, 0, "deciding allocated");
    let d = d.unwrap();
    let why = d.explain(p, &req).to_string();
    (d, why)
}

fn acrh(p: &Policy, value: &[u8]) -> (Decision, String) {
    preflight(p, &[(b"access-control-request-headers", value)])
}

#[test]
fn sorted_distinct_names_pass_and_repeats_or_disorder_do_not() {
    let p = hundred();
    assert_eq!(acrh(&p, b"x-header-001,x-header-002,x-header-099").0.denial(), None);
    let (d, why) = acrh(&p, b"x-header-001,x-header-001");
    assert!(matches!(
        d.denial(),
        Some(Denial::HeaderRepeated { line: 0, start: 13, .. })
    ));
    assert!(
        why.starts_with("request header `x-header-001` is listed twice"),
        "{why}"
    );
    let (d, why) = acrh(&p, b"x-header-002,X-HEADER-001");
    assert!(matches!(
        d.denial(),
        Some(Denial::HeaderOutOfOrder { line: 0, start: 13, .. })
    ));
    assert!(
        why.starts_with("request header `X-HEADER-001` in Access-Control-Request-Headers (line 1) sorts before"),
        "{why}"
    );
    // A proxy that splits the list over lines keeps its order.
    let (d, _) = preflight(
        &p,
        &[
            (b"access-control-request-headers", b"x-header-001"),
            (b"access-control-request-headers", b"x-header-002"),
        ],
    );
    assert_eq!(d.denial(), None);
}

#[test]
fn hostile_values_are_refused_with_a_reason() {
    let p = hundred();
    let repeated = "x-header-042,".repeat(30_000);
    let (d, why) = acrh(&p, repeated.as_bytes());
    assert_eq!(d.denial(), Some(Denial::HeadersTooLong { line: 0 }));
    assert!(
        why.starts_with("Access-Control-Request-Headers is longer than any list this policy accepts (1464 bytes"),
        "{why}"
    );
    let name = vec![b'a'; 1 << 20];
    assert_eq!(acrh(&p, &name).0.denial(), Some(Denial::HeadersTooLong { line: 0 }));
    assert_eq!(
        acrh(&echoing(), &name).0.denial(),
        Some(Denial::HeadersTooLong { line: 0 })
    );
    // Many lines: a repeat on the second, the seventeenth empty element.
    let same: Vec<(&[u8], &[u8])> = vec![(b"access-control-request-headers", b"x-header-007"); 100_000];
    assert!(matches!(
        preflight(&p, &same).0.denial(),
        Some(Denial::HeaderRepeated { line: 1, .. })
    ));
    let empty: Vec<(&[u8], &[u8])> = vec![(b"access-control-request-headers", b""); 1_000_000];
    assert_eq!(
        preflight(&p, &empty).0.denial(),
        Some(Denial::HeadersMalformed { line: 16, at: 0 })
    );
    // Under `*` the cap is 4 KiB, and `authorization` is still found.
    let any = Policy::builder()
        .allow_origins([APP])
        .allow_methods(["PUT"])
        .allow_headers(["*"])
        .build()
        .unwrap();
    let big = "a".repeat(4096);
    assert_eq!(acrh(&any, big.as_bytes()).0.denial(), None);
    assert_eq!(
        acrh(&any, format!("{big}b").as_bytes()).0.denial(),
        Some(Denial::HeadersTooLong { line: 0 })
    );
    let (d, why) = acrh(&any, b"accept-x,authorization,x-a");
    assert!(matches!(d.denial(), Some(Denial::Header { start: 9, .. })));
    assert!(why.contains("`*` in allow_headers does not cover it"), "{why}");
}

#[test]
fn a_refused_name_is_reported_whole() {
    // The engine stops one byte past the longest allowed name (here none), but the
    // explanation shows the name the request sent.
    let none = Policy::builder()
        .allow_origins([APP])
        .allow_methods(["PUT"])
        .build()
        .unwrap();
    let (d, why) = acrh(&none, b"content-type");
    assert_eq!(
        d.denial(),
        Some(Denial::Header {
            line: 0,
            start: 0,
            end: 1
        })
    );
    assert_eq!(why, "request header `content-type` is not in allow_headers []");
    let short = Policy::builder()
        .allow_origins([APP])
        .allow_methods(["PUT"])
        .allow_headers(["x-a"])
        .build()
        .unwrap();
    let (_, why) = acrh(&short, b"x-a,x-b\x01");
    assert!(
        why.starts_with("Access-Control-Request-Headers line 1 is malformed at byte 7"),
        "{why}"
    );
    let (_, why) = acrh(&short, b" x-abcdefgh");
    assert_eq!(why, "request header `x-abcdefgh` is not in allow_headers [x-a]");
    // Cut at 100 bytes, escaped, with its length.
    let mut names: Vec<String> = vec!["x".repeat(200)];
    names.push("y".repeat(300));
    let wide = Policy::builder()
        .allow_origins([APP])
        .allow_methods(["PUT"])
        .allow_headers(&names)
        .build()
        .unwrap();
    let (_, why) = acrh(&wide, "z".repeat(250).as_bytes());
    assert!(
        why.starts_with(&format!(
            "request header `{}...(250 bytes)` is not in allow_headers",
            "z".repeat(100)
        )),
        "{why}"
    );
}

#[test]
fn credentialed_wildcard_headers_echo_only_canonical_values() {
    let p = echoing();
    let (d, _) = acrh(&p, b"content-type,x-a,x-b");
    assert_eq!(d.denial(), None);
    assert_eq!(d.headers().allow_headers, Some(Source::Echo));
    for (value, at) in [
        (&b"content-type, x-a"[..], 13),
        (b"content-type,,x-a", 13),
        (b"content-type,x-a,", 17),
        (b"\tcontent-type", 0),
        (b"", 0),
    ] {
        let (d, why) = acrh(&p, value);
        assert_eq!(
            d.denial(),
            Some(Denial::HeadersNotCanonical { line: 0, at }),
            "{value:?}"
        );
        assert!(
            why.contains("only one line of comma-separated names without spaces or empty names"),
            "{why}"
        );
        assert_eq!(d.status(), Some(403));
        assert!(d.headers().allow_origin.is_none());
    }
    let (d, _) = preflight(
        &p,
        &[
            (b"access-control-request-headers", b"x-a"),
            (b"access-control-request-headers", b"x-b"),
        ],
    );
    assert_eq!(d.denial(), Some(Denial::HeadersNotCanonical { line: 1, at: 0 }));
    // Above 4 KiB it is refused rather than echoed back.
    let long: String = (0..400).map(|i| format!("x-name-{i:04}")).collect::<Vec<_>>().join(",");
    assert!(long.len() > 4096);
    assert_eq!(
        acrh(&p, long.as_bytes()).0.denial(),
        Some(Denial::HeadersTooLong { line: 0 })
    );
    // Without credentials the answer is the prebuilt `*`: spacing is tolerated.
    let plain = Policy::builder()
        .allow_origins([APP])
        .allow_methods(["PUT"])
        .allow_headers(["*"])
        .build()
        .unwrap();
    let (d, _) = acrh(&plain, b"content-type, x-a");
    assert_eq!((d.denial(), d.headers().allow_headers), (None, Some(Source::Prebuilt)));
}

#[test]
fn credentialed_wildcard_methods_echo_only_one_short_line() {
    let p = echoing();
    let method = |lines: &[&[u8]]| {
        let lines: Vec<(&[u8], &[u8])> = lines
            .iter()
            .map(|l| (&b"access-control-request-method"[..], *l))
            .collect();
        let (d, why) = preflight(&p, &lines);
        (d.denial(), d.headers().allow_methods, why)
    };
    assert_eq!(method(&[b"PROPFIND"]).0, None);
    assert_eq!(method(&[b"PROPFIND"]).1, Some(Source::Echo));
    let m64 = [b'M'; 64];
    assert_eq!(method(&[&m64]).0, None);
    let m65 = [b'M'; 65];
    let (denial, _, why) = method(&[&m65]);
    assert_eq!(denial, Some(Denial::MethodNotCanonical));
    assert!(why.contains("only a single line of at most 64 bytes is"), "{why}");
    // An extra empty line would be echoed too: refused.
    assert_eq!(method(&[b"PROPFIND", b""]).0, Some(Denial::MethodNotCanonical));
    assert_eq!(method(&[b"", b"PROPFIND"]).0, Some(Denial::MethodNotCanonical));
    // Without credentials the answer is `*`: nothing echoed, so no limit.
    let plain = Policy::builder()
        .allow_origins([APP])
        .allow_methods(["*"])
        .build()
        .unwrap();
    let lines: [(&[u8], &[u8]); 2] = [
        (b"access-control-request-method", &m65),
        (b"access-control-request-method", b""),
    ];
    assert_eq!(preflight(&plain, &lines).0.denial(), None);
}
