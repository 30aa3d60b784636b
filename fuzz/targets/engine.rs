//! Target `engine`: any method, any header names and values, repeated headers,
//! non-UTF-8, through decide + write + explain (+ the http 1 API) against fixed
//! policies, over a response that may already carry a handler's headers.

use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use corsair_core::adapter::ResponseHeader;
use corsair_core::RawRequest;

use crate::targets::checks::check_decision;
use crate::targets::checks::recorder::ALL_RESPONSE;
use crate::targets::input::{join, Piece, TOKEN_WORDS};
use crate::targets::spec::{fixed, strs, Fixed, Spec};

#[derive(Arbitrary, Debug)]
enum MethodIn<'a> {
    Options,
    Get,
    Post,
    Put,
    Raw(&'a [u8]),
}

#[derive(Arbitrary, Debug)]
enum NameIn<'a> {
    Origin,
    OriginUpper,
    RequestMethod,
    RequestHeaders,
    RequestPrivateNetwork,
    Raw(&'a [u8]),
}

#[derive(Arbitrary, Debug)]
enum ValueIn<'a> {
    Origin(u8),
    Method(u8),
    Names(u8),
    True,
    Pieces(Vec<Piece<'a>>),
    Raw(&'a [u8]),
}

#[derive(Arbitrary, Debug)]
struct EngineInput<'a> {
    method: MethodIn<'a>,
    headers: Vec<(NameIn<'a>, ValueIn<'a>)>,
    /// A handler's response headers: (which of the 8 names, value).
    response: Vec<(u8, ValueIn<'a>)>,
}

const ENGINE_ORIGINS: &[&str] = &[
    "https://app.example.com",
    "https://a.example.org",
    "https://a.b.example.org",
    "https://example.org",
    "http://localhost",
    "http://localhost:3000",
    "http://localhost:0",
    "http://[::1]:8080",
    "https://evil.com",
    "https://app.example.com.evil.com",
    "https://APP.example.com",
    "https://app.example.com:443",
    "https://app.example.com/",
    "null",
    "",
    "*",
];
const ENGINE_METHODS: &[&str] = &[
    "PUT",
    "PATCH",
    "patch",
    "DELETE",
    "GET",
    "HEAD",
    "POST",
    "OPTIONS",
    "CONNECT",
    "",
    "PUT, PATCH",
    " PUT",
    "*",
];
const ENGINE_NAMES: &[&str] = &[
    "content-type",
    "authorization",
    "Authorization",
    "content-type,authorization",
    "x-custom",
    "x-custom, content-type",
    " , ,",
    "*",
    "origin",
    "vary",
    "*, origin",
    "Origin, Accept",
];

fn engine_policies() -> &'static [Fixed] {
    static P: OnceLock<Vec<Fixed>> = OnceLock::new();
    P.get_or_init(|| {
        vec![
            fixed(Spec {
                methods: Some(strs(&["PUT", "PATCH"])),
                headers: strs(&["content-type", "authorization"]),
                expose: strs(&["x-request-id"]),
                credentials: true,
                max_age: Some(600),
                private_network: true,
                ..Spec::new(&[
                    "https://app.example.com",
                    "https://*.example.org",
                    "http://localhost:*",
                    "http://[::1]:*",
                ])
            }),
            fixed(Spec {
                methods: Some(strs(&["*"])),
                headers: strs(&["*"]),
                expose: strs(&["*"]),
                max_age: Some(0),
                ..Spec::new(&["*"])
            }),
            fixed(Spec {
                methods: Some(strs(&["*"])),
                headers: strs(&["*", "authorization"]),
                credentials: true,
                preflight_status: Some(200),
                ..Spec::new(&["https://app.example.com", "https://*.example.org"])
            }),
            fixed(Spec::new(&["https://app.example.com"])),
            fixed(Spec::new(&["*"])),
        ]
    })
}

impl ValueIn<'_> {
    fn bytes(&self) -> Vec<u8> {
        let pick = |list: &[&str], i: u8| list[usize::from(i) % list.len()].as_bytes().to_vec();
        match self {
            ValueIn::Origin(i) => pick(ENGINE_ORIGINS, *i),
            ValueIn::Method(i) => pick(ENGINE_METHODS, *i),
            ValueIn::Names(i) => pick(ENGINE_NAMES, *i),
            ValueIn::True => b"true".to_vec(),
            ValueIn::Pieces(p) => join(p, TOKEN_WORDS).into_bytes(),
            ValueIn::Raw(b) => b.to_vec(),
        }
    }
}

/// The `engine` target.
pub fn engine(data: &[u8]) {
    let Ok(input) = EngineInput::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let method: &[u8] = match &input.method {
        MethodIn::Options => b"OPTIONS",
        MethodIn::Get => b"GET",
        MethodIn::Post => b"POST",
        MethodIn::Put => b"PUT",
        MethodIn::Raw(b) => b,
    };
    let values: Vec<Vec<u8>> = input.headers.iter().map(|(_, v)| v.bytes()).collect();
    let headers: Vec<(&[u8], &[u8])> = input
        .headers
        .iter()
        .zip(&values)
        .map(|((n, _), v)| {
            let n: &[u8] = match n {
                NameIn::Origin => b"origin",
                NameIn::OriginUpper => b"ORIGIN",
                NameIn::RequestMethod => b"Access-Control-Request-Method",
                NameIn::RequestHeaders => b"access-control-request-headers",
                NameIn::RequestPrivateNetwork => b"Access-Control-Request-Private-Network",
                NameIn::Raw(b) => b,
            };
            (n, v.as_slice())
        })
        .collect();
    let pre: Vec<(ResponseHeader, Vec<u8>)> = input
        .response
        .iter()
        .map(|(i, v)| (ALL_RESPONSE[usize::from(*i) % ALL_RESPONSE.len()], v.bytes()))
        .collect();
    let req = RawRequest {
        method,
        headers: &headers,
    };
    for f in engine_policies() {
        let _ = check_decision(f, &req, &pre);
    }
}
