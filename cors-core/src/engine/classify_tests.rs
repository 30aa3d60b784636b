//! Reading a request by a walk, by lookups and as plain bytes: the same decisions.

use super::WALK_MAX;
use crate::{Policy, RawRequest};

/// A request read by a walk (few lines), by lookups (padded past
/// [`WALK_MAX`] lines) and as a [`RawRequest`] (lookups) decides the same.
#[test]
fn walked_and_looked_up_requests_decide_the_same() {
    let policies = [
        Policy::builder()
            .allow_origins(["https://app.example.com"])
            .allow_methods(["PUT"])
            .allow_headers(["content-type", "x-api-key"])
            .build(),
        Policy::builder()
            .allow_origins(["https://app.example.com"])
            .allow_methods(["*"])
            .allow_headers(["*"])
            .allow_credentials(true)
            .allow_private_network(true)
            .build(),
    ];
    let o = "https://app.example.com";
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("GET", &[("origin", o)]),
        ("GET", &[("origin", o), ("origin", o)]),
        ("GET", &[("origin", "https://evil.example")]),
        ("GET", &[]),
        ("OPTIONS", &[("origin", o)]),
        ("OPTIONS", &[("origin", o), ("access-control-request-method", "PUT")]),
        (
            "OPTIONS",
            &[("origin", o), ("origin", o), ("access-control-request-method", "PUT")],
        ),
        ("OPTIONS", &[("origin", o), ("access-control-request-method", "PATCH")]),
        (
            "OPTIONS",
            &[
                ("origin", o),
                ("access-control-request-method", ""),
                ("access-control-request-method", "PUT"),
            ],
        ),
        (
            "OPTIONS",
            &[
                ("origin", o),
                ("access-control-request-method", "PUT"),
                ("access-control-request-method", "GET"),
            ],
        ),
        (
            "OPTIONS",
            &[
                ("origin", o),
                ("access-control-request-method", "PUT"),
                ("access-control-request-headers", "content-type,x-api-key"),
            ],
        ),
        (
            "OPTIONS",
            &[
                ("origin", o),
                ("access-control-request-method", "PUT"),
                ("access-control-request-headers", "content-type"),
                ("access-control-request-headers", "x-api-key"),
            ],
        ),
        (
            "OPTIONS",
            &[
                ("origin", o),
                ("access-control-request-method", "PUT"),
                ("access-control-request-headers", "x-evil"),
            ],
        ),
        (
            "OPTIONS",
            &[
                ("origin", o),
                ("access-control-request-method", "PUT"),
                ("access-control-request-private-network", "true"),
            ],
        ),
        (
            "OPTIONS",
            &[
                ("origin", o),
                ("access-control-request-method", "PUT"),
                ("access-control-request-private-network", "no"),
                ("access-control-request-private-network", "TRUE"),
            ],
        ),
    ];
    for policy in policies {
        let policy = policy.expect("a valid policy");
        for (method, lines) in cases {
            let build = |padding: usize| {
                let mut b = http::Request::builder().method(*method).uri("/");
                for i in 0..padding {
                    b = b.header(format!("x-pad-{i}"), "1");
                }
                for (n, v) in *lines {
                    b = b.header(*n, *v);
                }
                b.body(()).expect("a valid request")
            };
            let (walked, looked_up) = (build(0), build(WALK_MAX + 1));
            assert!(crate::Request::walks(&walked) && !crate::Request::walks(&looked_up));
            let pairs: Vec<(&[u8], &[u8])> = lines.iter().map(|(n, v)| (n.as_bytes(), v.as_bytes())).collect();
            let raw = RawRequest {
                method: method.as_bytes(),
                headers: &pairs,
            };
            let d = policy.decide(&walked);
            assert_eq!(policy.decide(&looked_up), d, "{method} {lines:?}");
            assert_eq!(policy.decide(&raw), d, "{method} {lines:?}");
            let (parts, ()) = looked_up.into_parts();
            assert_eq!(policy.decide(&parts), d, "{method} {lines:?}");
        }
    }
}
