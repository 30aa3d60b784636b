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

/// RULES.md section 2's length bound for a policy: every allowed name once, each
/// followed by `, `, plus 64 bytes; under `*` at least 4096.
fn length_bound(spec: &Spec) -> usize {
    let listed = spec.listed_headers().iter().map(|n| n.len() + 2).sum::<usize>() + 64;
    if spec.headers_any() {
        listed.max(4096)
    } else {
        listed
    }
}

/// A value of exactly `len` bytes that every rule but the length bound accepts
/// under `spec`: its names (ascending) on one line, then white-space lines (a
/// list policy) or one more, longer name (under `*`, one canonical line).
fn value_of_len(spec: &Spec, len: usize) -> Vec<Vec<u8>> {
    if spec.headers_any() {
        let mut line = String::new();
        for i in 0.. {
            let name = format!("x-{i:04}");
            if line.len() + name.len() + 1 + 4 > len {
                break;
            }
            line.push_str(&name);
            line.push(',');
        }
        // Ends with a name after every other: `x-z` and as many `a`s as it takes.
        line.push_str("x-z");
        line.push_str(&"a".repeat(len - line.len()));
        return vec![line.into_bytes()];
    }
    let mut names = spec.listed_headers();
    names.retain(|n| spec.header_allowed(n.as_bytes()));
    names.sort_unstable();
    let mut lines = vec![names.join(",").into_bytes()];
    let mut left = len - lines[0].len();
    while left > 0 {
        let n = left.min(16);
        lines.push(vec![b' '; n]);
        left -= n;
    }
    lines
}

/// Every fixed policy at its length bound and one byte over it, whatever the
/// corpus holds: checked until it passes once in this process.
fn at_the_bound() {
    use std::sync::atomic::{AtomicBool, Ordering};
    static PASSED: AtomicBool = AtomicBool::new(false);
    if PASSED.load(Ordering::Relaxed) {
        return;
    }
    for f in header_policies() {
        let bound = length_bound(&f.spec);
        for (len, accepted) in [(bound, true), (bound + 1, false)] {
            let lines = value_of_len(&f.spec, len);
            assert_eq!(lines.iter().map(Vec::len).sum::<usize>(), len);
            let refs: Vec<&[u8]> = lines.iter().map(Vec::as_slice).collect();
            let want = if accepted {
                Verdict::Accepted {
                    listed: !list_elements(&lines).is_empty(),
                }
            } else {
                Verdict::Refused
            };
            assert_eq!(headers_verdict(&f.spec, &refs), want, "{len} bytes under {:?}", f.spec);
            let mut headers: Vec<(&[u8], &[u8])> = vec![
                (b"Origin", b"https://app.example.com"),
                (b"Access-Control-Request-Method", b"PUT"),
            ];
            headers.extend(refs.iter().map(|l| (&b"access-control-request-headers"[..], *l)));
            let d = check_decision(
                f,
                &RawRequest {
                    method: b"OPTIONS",
                    headers: &headers,
                },
                &[],
            );
            assert_eq!(d.denial().is_none(), accepted, "{len} bytes under {:?}: {d:?}", f.spec);
        }
    }
    PASSED.store(true, Ordering::Relaxed);
}

/// The `request_headers` target.
pub fn request_headers(data: &[u8]) {
    at_the_bound();
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
