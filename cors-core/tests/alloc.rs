//! Deciding a request and producing its header set allocates nothing, for a small
//! and a 1,000-origin policy. Counted per thread, so parallel tests do not interfere.

mod support;

use corsair_core::adapter::{HeaderWriter, RequestHeader, ResponseHeader, Value};
use corsair_core::{Decision, Policy, RawRequest};
use support::allocations;

/// Consumes every header the decision calls for without storing anything.
struct Sink(usize);

impl HeaderWriter for Sink {
    fn remove(&mut self, _: ResponseHeader) {}
    fn append(&mut self, _: ResponseHeader, _: Value) {
        self.0 += 1;
    }
    fn echo(&mut self, _: ResponseHeader, _: RequestHeader) {
        self.0 += 1;
    }
    fn vary(&self) -> impl Iterator<Item = &[u8]> {
        [b"accept-encoding" as &[u8]].into_iter()
    }
}

fn policies() -> Vec<(&'static str, Policy)> {
    let many: Vec<String> = (0..1000).map(|i| format!("https://app{i}.example.com")).collect();
    let build = |origins: Vec<String>| {
        Policy::builder()
            .allow_origins(origins)
            .allow_methods(["GET", "PUT", "PATCH"])
            .allow_headers(["content-type", "x-api-key"])
            .expose_headers(["x-request-id"])
            .allow_credentials(true)
            .max_age(600)
            .build()
            .unwrap()
    };
    let mut small = vec![
        "https://app999.example.com".to_owned(),
        "https://*.example.org".to_owned(),
    ];
    small.push("http://localhost:*".to_owned());
    vec![("small", build(small)), ("1,000 origins", build(many))]
}

type Headers<'a> = &'a [(&'a [u8], &'a [u8])];

const CASES: [(&str, &[u8], Headers<'static>, bool); 6] = [
    (
        "preflight allowed",
        b"OPTIONS",
        &[
            (b"origin", b"https://app999.example.com"),
            (b"access-control-request-method", b"PATCH"),
            (b"access-control-request-headers", b"content-type,x-api-key"),
        ],
        true,
    ),
    (
        "preflight denied (origin)",
        b"OPTIONS",
        &[
            (b"origin", b"https://evil.com"),
            (b"access-control-request-method", b"PUT"),
        ],
        false,
    ),
    (
        "preflight denied (header)",
        b"OPTIONS",
        &[
            (b"origin", b"https://app999.example.com"),
            (b"access-control-request-method", b"PUT"),
            (b"access-control-request-headers", b"content-type,x-evil"),
        ],
        false,
    ),
    (
        "actual allowed",
        b"POST",
        &[(b"origin", b"https://app999.example.com")],
        true,
    ),
    (
        "actual denied",
        b"GET",
        &[(b"origin", b"https://app1000.example.com")],
        false,
    ),
    ("not CORS", b"GET", &[(b"accept", b"*/*")], true),
];

#[test]
fn deciding_and_writing_allocate_nothing() {
    for (name, policy) in policies() {
        for (case, method, headers, allowed) in CASES {
            let req = RawRequest { method, headers };
            let mut d: Option<Decision> = None;
            let mut sink = Sink(0);
            let n = allocations(|| {
                let decision = policy.decide(&req);
                decision.write(&mut sink);
                d = Some(decision);
            });
            assert_eq!(n, 0, "{name}: {case} allocated {n} times");
            assert_eq!(d.unwrap().denial().is_none(), allowed, "{name}: {case}");
            assert!(sink.0 > 0, "{name}: {case} wrote nothing");
        }
    }
}

#[test]
fn deciding_an_http_request_allocates_nothing() {
    let (_, policy) = policies().remove(1);
    let req = http::Request::options("/")
        .header("origin", "https://app5.example.com")
        .header("access-control-request-method", "PUT")
        .header("access-control-request-headers", "x-api-key")
        .body(())
        .unwrap();
    let n = allocations(|| {
        assert!(policy.decide(&req).denial().is_none());
    });
    assert_eq!(n, 0);
}

#[test]
fn the_counter_counts() {
    // Guards against a counter that never moves, which would make the tests above vacuous.
    assert!(allocations(|| drop(std::hint::black_box(vec![1u8; 16]))) >= 1);
}
