//! Hostile requests over TCP against the real axum and actix-web servers: CR, LF
//! and NUL bytes, repeated and huge headers. None may get a CORS grant or take a
//! server down; where both HTTP parsers let a request through, both adapters
//! answer it the same way.

mod support;

use std::net::SocketAddr;

const APP: &str = "https://app.example.com";

fn servers() -> [(&'static str, SocketAddr); 7] {
    use support::Holding::{Live, Predicate};
    [
        ("axum", support::axum_server()),
        ("axum (wrapped router)", support::axum_wrapped_server()),
        ("actix", support::actix_server()),
        // RULES 8: the same origins decided by a plain predicate, and a live policy.
        ("axum (predicate)", support::axum_server_with(Predicate)),
        ("actix (predicate)", support::actix_server_with(Predicate)),
        ("axum (live)", support::axum_server_with(Live)),
        ("actix (live)", support::actix_server_with(Live)),
    ]
}

fn request(method: &str, headers: &[(&[u8], &[u8])]) -> Vec<u8> {
    let mut req = format!("{method} /items HTTP/1.1\r\nHost: test\r\nConnection: close\r\n").into_bytes();
    for (n, v) in headers {
        req.extend_from_slice(n);
        req.extend_from_slice(b": ");
        req.extend_from_slice(v);
        req.extend_from_slice(b"\r\n");
    }
    req.extend_from_slice(b"\r\n");
    req
}

/// Status and CORS lines, or the I/O error text when the server closed the connection
/// (a parser may refuse a request outright).
type Outcome = Result<(u16, Vec<(String, String)>), String>;

fn outcome(addr: SocketAddr, raw: &[u8]) -> Outcome {
    support::send_raw(addr, raw)
        .map(|r| (r.status, r.cors_headers()))
        .map_err(|e| e.kind().to_string())
}

fn granted(o: &Outcome) -> bool {
    matches!(o, Ok((_, lines)) if lines.iter().any(|(n, _)| n.starts_with("access-control-allow-")))
}

fn still_serves(name: &str, addr: SocketAddr) {
    let res = support::send(addr, "GET", "/items", &[("Origin", APP)]);
    assert_eq!(
        res.header("access-control-allow-origin"),
        Some(APP),
        "{name} stopped answering"
    );
}

#[test]
fn hostile_bytes_get_no_grant_and_take_no_server_down() {
    let mega_origin = [APP.as_bytes(), &vec![b'a'; 1 << 20]].concat();
    let commas = vec![b','; 1 << 20];
    let many_lines: Vec<(&[u8], &[u8])> = std::iter::once((&b"Origin"[..], APP.as_bytes()))
        .chain(std::iter::once((&b"Access-Control-Request-Method"[..], &b"PUT"[..])))
        .chain(std::iter::repeat_n(
            (&b"Access-Control-Request-Headers"[..], &b"x-evil"[..]),
            1024,
        ))
        .collect();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "bare CR in Origin",
            request("GET", &[(b"Origin", b"https://app.example.com\rx")]),
        ),
        (
            "NUL in Origin",
            request("GET", &[(b"Origin", b"https://app.example.com\0")]),
        ),
        (
            "NUL in ACRH",
            request(
                "OPTIONS",
                &[
                    (b"Origin", b"https://evil.com"),
                    (b"Access-Control-Request-Method", b"PUT"),
                    (b"Access-Control-Request-Headers", b"x\0y"),
                ],
            ),
        ),
        ("1 MiB Origin", request("GET", &[(b"Origin", &mega_origin)])),
        (
            "1 MiB ACRH of commas",
            request(
                "OPTIONS",
                &[
                    (b"Origin", b"https://evil.com"),
                    (b"Access-Control-Request-Method", b"PUT"),
                    (b"Access-Control-Request-Headers", &commas),
                ],
            ),
        ),
        ("1,024 ACRH lines", request("OPTIONS", &many_lines)),
        (
            "non-UTF-8 Origin",
            request("GET", &[(b"Origin", b"https://app.example.com\xff")]),
        ),
    ];
    for (name, addr) in servers() {
        for (case, raw) in &cases {
            let o = outcome(addr, raw);
            assert!(!granted(&o), "{name}: {case} got a CORS grant: {o:?}");
            still_serves(name, addr);
        }
    }
}

#[test]
fn cors_level_attacks_are_answered_alike_by_both_adapters() {
    let origins: [&[u8]; 10] = [
        b"https://evil.com",
        b"null",
        b"https://app.example.com.evil.com",
        b"https://evilexample.com",
        b"https://app.example.computer",
        b"https://app.example.com:443",
        b"HTTPS://APP.EXAMPLE.COM",
        b"https://app.example.com.",
        b"https://app.example.com/",
        b"http://app.example.com",
    ];
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    for o in origins {
        let shown = String::from_utf8_lossy(o);
        cases.push((format!("GET from {shown}"), request("GET", &[(b"Origin", o)])));
        cases.push((
            format!("preflight from {shown}"),
            request("OPTIONS", &[(b"Origin", o), (b"Access-Control-Request-Method", b"PUT")]),
        ));
    }
    cases.push((
        "two Origin lines".into(),
        request("GET", &[(b"Origin", APP.as_bytes()), (b"Origin", b"https://evil.com")]),
    ));
    cases.push((
        "an unlisted header after an allowed one".into(),
        request(
            "OPTIONS",
            &[
                (b"Origin", APP.as_bytes()),
                (b"Access-Control-Request-Method", b"PUT"),
                (b"Access-Control-Request-Headers", b"authorization,x-evil"),
            ],
        ),
    ));
    let servers = servers();
    for (case, raw) in &cases {
        let answers: Vec<_> = servers.iter().map(|(_, addr)| outcome(*addr, raw)).collect();
        for ((name, _), o) in servers.iter().zip(&answers) {
            assert!(!granted(o), "{name}: {case} got a CORS grant: {o:?}");
            let (_, lines) = o.as_ref().unwrap_or_else(|e| panic!("{name}: {case}: {e}"));
            assert!(
                lines.iter().any(|(n, v)| n == "vary" && v.contains("origin")),
                "{name}: {case}: no Vary: origin in {lines:?}"
            );
        }
        assert!(
            answers.windows(2).all(|w| w[0] == w[1]),
            "{case}: the adapters differ: {answers:?}"
        );
    }
}
