//! Target `request_headers`: Access-Control-Request-Headers lines against fixed
//! policies with and without `*`, checked against a plain model of the rules.

use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use corsair_core::RawRequest;

use crate::targets::checks::check_decision;
use crate::targets::checks::decision::headers_verdict;
use crate::targets::input::{join, Piece, TOKEN_WORDS};
use crate::targets::model::request_headers::Verdict;
use crate::targets::model::tokens::list_elements;
use crate::targets::show;
use crate::targets::spec::{fixed, strs, Fixed, Spec};

#[derive(Arbitrary, Debug)]
enum HeaderLine<'a> {
    Raw(&'a [u8]),
    Pieces(Vec<Piece<'a>>),
}

#[derive(Arbitrary, Debug)]
struct RequestHeadersInput<'a> {
    lines: Vec<HeaderLine<'a>>,
    names: Vec<&'a [u8]>,
}

fn header_policies() -> &'static [Fixed] {
    static P: OnceLock<Vec<Fixed>> = OnceLock::new();
    P.get_or_init(|| {
        let base = |headers: &[&str], credentials: bool| Spec {
            methods: Some(strs(&["PUT"])),
            headers: strs(headers),
            credentials,
            ..Spec::new(&["https://app.example.com"])
        };
        vec![
            fixed(base(&["content-type", "X-Api-Key", "authorization"], true)),
            fixed(base(&["*"], false)),
            fixed(base(&["*", "authorization"], false)),
            fixed(base(&["*"], true)),
            fixed(base(&[], false)),
        ]
    })
}

/// The `request_headers` target.
pub fn request_headers(data: &[u8]) {
    let Ok(input) = RequestHeadersInput::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let lines: Vec<Vec<u8>> = input
        .lines
        .iter()
        .map(|l| match l {
            HeaderLine::Raw(b) => b.to_vec(),
            HeaderLine::Pieces(p) => join(p, TOKEN_WORDS).into_bytes(),
        })
        .collect();
    let mut headers: Vec<(&[u8], &[u8])> = vec![
        (b"Origin", b"https://app.example.com"),
        (b"Access-Control-Request-Method", b"PUT"),
    ];
    headers.extend(
        lines
            .iter()
            .map(|l| (&b"access-control-request-headers"[..], l.as_slice())),
    );
    let req = RawRequest {
        method: b"OPTIONS",
        headers: &headers,
    };
    let line_refs: Vec<&[u8]> = lines.iter().map(Vec::as_slice).collect();
    for f in header_policies() {
        let d = check_decision(f, &req, &[]);
        let verdict = headers_verdict(&f.spec, &line_refs);
        let ok = match verdict {
            Verdict::Refused => false,
            Verdict::Accepted { .. } => true,
        };
        assert_eq!(
            d.denial().is_none(),
            ok,
            "ACRH {lines:?} under {:?}: {d:?}, model {verdict:?}",
            f.spec
        );
        let names = list_elements(&lines).into_iter().chain(input.names.iter().copied());
        for name in names {
            assert_eq!(
                f.policy.allows_request_header(name),
                f.spec.header_allowed(name),
                "allows_request_header({}) under {:?}",
                show(name),
                f.spec
            );
        }
    }
}
