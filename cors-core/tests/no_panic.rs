//! No input makes the engine panic: arbitrary bytes (CR, LF and NUL included, which
//! `http::HeaderValue` cannot even hold) as method, Origin, ACRM and ACRH lines.

use corsair_core::adapter::{HeaderWriter, RequestHeader, ResponseHeader, Value};
use corsair_core::{Policy, RawRequest};
use proptest::prelude::*;

struct Sink;

impl HeaderWriter for Sink {
    fn remove(&mut self, _: ResponseHeader) {}
    fn append(&mut self, _: ResponseHeader, _: Value) {}
    fn echo(&mut self, _: ResponseHeader, _: RequestHeader) {}
    fn vary(&self) -> impl Iterator<Item = &[u8]> {
        std::iter::empty()
    }
}

fn policies() -> Vec<Policy> {
    vec![
        Policy::builder()
            .allow_origins([
                "https://a.example.com",
                "https://*.example.org",
                "http://localhost:*",
                "http://[::1]:*",
            ])
            .allow_methods(["PUT", "PATCH"])
            .allow_headers(["content-type", "authorization"])
            .allow_credentials(true)
            .allow_private_network(true)
            .build()
            .unwrap(),
        Policy::builder()
            .allow_origins(["*"])
            .allow_methods(["*"])
            .allow_headers(["*"])
            .expose_headers(["*"])
            .build()
            .unwrap(),
        Policy::builder()
            .allow_origins(["https://a.example.com"])
            .allow_methods(["*"])
            .allow_headers(["*"])
            .allow_credentials(true)
            .build()
            .unwrap(),
    ]
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..64),
        proptest::collection::vec(
            prop_oneof![
                Just(b','),
                Just(b' '),
                Just(b'\r'),
                Just(b'\n'),
                Just(0u8),
                Just(b'a'),
                Just(b':'),
                Just(b'.'),
                Just(b'*')
            ],
            0..64
        ),
        "(https?|HTTP)://[a-z.*:0-9\\[\\]]{0,30}".prop_map(String::into_bytes),
    ]
}

proptest! {
    #[test]
    fn arbitrary_requests_never_panic(
        method in prop_oneof![Just(b"OPTIONS".to_vec()), bytes()],
        lines in proptest::collection::vec((0usize..5, bytes()), 0..8),
    ) {
        const NAMES: [&[u8]; 5] = [b"Origin", b"access-control-request-method", b"Access-Control-Request-Headers", b"access-control-request-private-network", b"x-other"];
        let headers: Vec<(&[u8], &[u8])> = lines.iter().map(|(n, v)| (NAMES[*n], v.as_slice())).collect();
        let req = RawRequest { method: &method, headers: &headers };
        for p in policies() {
            let d = p.decide(&req);
            d.write(&mut Sink);
            let _ = d.explain(&p, &req).to_string();
        }
    }

    #[test]
    fn arbitrary_policies_build_or_fail_but_never_panic(
        origins in proptest::collection::vec("[a-zA-Z*:/.\\[\\]@?#0-9 ü-]{0,24}", 0..4),
        methods in proptest::collection::vec("[a-zA-Z* ]{0,8}", 0..3),
        headers in proptest::collection::vec("[a-zA-Z*: -]{0,12}", 0..3),
        creds in any::<bool>(),
        pna in any::<bool>(),
        age in any::<u32>(),
        status in any::<u16>(),
    ) {
        let r = Policy::builder()
            .allow_origins(&origins)
            .allow_methods(&methods)
            .allow_headers(&headers)
            .expose_headers(&headers)
            .allow_credentials(creds)
            .allow_private_network(pna)
            .max_age(age)
            .preflight_status(status)
            .build();
        if let Err(e) = r {
            prop_assert!(!e.problems().is_empty());
            let _ = e.to_string();
        }
    }
}
