//! RULES.md sections 1 and 2 on a decision: how the request is classified, which
//! check (origin, method, request headers, private network) denies it, and what
//! its explanation may show. The written headers are checked in `response`.

use corsair_core::adapter::{RequestHeader, ResponseHeader};
use corsair_core::{Decision, Denial, Kind, RawRequest};

use super::recorder::lines_of;
use super::{http1, response};
use crate::targets::model::request_headers::{self as acrh_model, Allowed, Verdict};
use crate::targets::model::tokens::is_token;
use crate::targets::spec::{Fixed, Spec};

/// What a request asks for, read plainly from its header lines.
pub struct Asked<'a> {
    /// Every `Origin` line.
    pub origins: Vec<&'a [u8]>,
    /// Every `Access-Control-Request-Method` line.
    pub methods: Vec<&'a [u8]>,
    /// Every `Access-Control-Request-Headers` line.
    pub headers: Vec<&'a [u8]>,
    /// Some `Access-Control-Request-Private-Network` line says `true`.
    pub private_network: bool,
}

impl<'a> Asked<'a> {
    fn read(req: &RawRequest<'a>) -> Self {
        Asked {
            origins: lines_of(req.headers, RequestHeader::Origin),
            methods: lines_of(req.headers, RequestHeader::RequestMethod),
            headers: lines_of(req.headers, RequestHeader::RequestHeaders),
            private_network: lines_of(req.headers, RequestHeader::RequestPrivateNetwork)
                .iter()
                .any(|l| l.eq_ignore_ascii_case(b"true")),
        }
    }

    /// RULES.md section 1: no `Origin`, not CORS; `OPTIONS` with a non-empty
    /// `Access-Control-Request-Method`, a preflight; anything else, actual.
    fn kind(&self, method: &[u8]) -> Kind {
        if self.origins.is_empty() {
            Kind::NotCors
        } else if method == b"OPTIONS" && self.methods.iter().any(|l| !l.is_empty()) {
            Kind::Preflight
        } else {
            Kind::Actual
        }
    }
}

/// Decides `req` under `f`, writes the decision over a response that already has
/// the `handler`'s headers (a fresh one for a preflight), explains it, and checks
/// RULES.md sections 1 to 4. Returns the decision.
pub fn check_decision(f: &Fixed, req: &RawRequest<'_>, handler: &[(ResponseHeader, Vec<u8>)]) -> Decision {
    let (p, spec) = (&f.policy, &f.spec);
    let d = p.decide(req);
    assert_eq!(p.decide(req), d, "decide is not deterministic");
    let ctx = || format!("policy {spec:?}\nrequest {req:?}\ndecision {d:?}");
    let asked = Asked::read(req);

    let kind = asked.kind(req.method);
    assert_eq!(d.kind(), kind, "misclassified: {}", ctx());
    let denied = d.denial().is_some();
    match kind {
        Kind::Preflight => {
            let want = if denied { 403 } else { spec.status() };
            assert_eq!(d.status(), Some(want), "preflight status: {}", ctx());
        }
        _ => assert_eq!(d.status(), None, "a status for a non-preflight: {}", ctx()),
    }
    if kind == Kind::NotCors {
        assert!(!denied, "a non-CORS request denied: {}", ctx());
    }

    // Origins: an origin the policy does not allow is denied; so is a repeated Origin.
    let origin_denied = matches!(d.denial(), Some(Denial::Origin | Denial::OriginRepeated));
    if !spec.any_origin() && !asked.origins.is_empty() {
        if asked.origins.len() > 1 {
            assert_eq!(d.denial(), Some(Denial::OriginRepeated), "{}", ctx());
        } else if !p.allows_origin(asked.origins[0]) {
            assert_eq!(
                d.denial(),
                Some(Denial::Origin),
                "an origin not in the policy passed: {}",
                ctx()
            );
        } else {
            assert!(!origin_denied, "{}", ctx());
        }
    }
    if kind == Kind::Preflight && !origin_denied {
        check_preflight(f, &asked, &d, &ctx);
    }

    // The explanation: "allowed", or a short, escaped, printable text.
    let why = d.explain(p, req).to_string();
    if denied {
        assert!(!why.is_empty() && why != "allowed", "{}", ctx());
    } else {
        assert_eq!(why, "allowed", "{}", ctx());
    }
    assert!(
        why.bytes().all(|b| (0x20..0x7f).contains(&b)),
        "explanation with raw request bytes: {why:?}\n{}",
        ctx()
    );
    assert!(why.len() <= 1024, "explanation of {} bytes: {}", why.len(), ctx());

    // A preflight's response is the engine's own: `Decision::write` documents it is
    // written onto a fresh map, so the handler's headers only meet other requests.
    let pre: &[(ResponseHeader, Vec<u8>)] = if d.status().is_some() { &[] } else { handler };
    let written = response::check_written(f, req, &asked, &d, pre, &ctx);
    http1::agrees(f, req, pre, &d, &written);
    d
}

/// The request-header model's verdict on `lines` under `spec`.
pub fn headers_verdict(spec: &Spec, lines: &[&[u8]]) -> Verdict {
    let listed = spec.listed_headers();
    let name = |n: &[u8]| spec.header_allowed(n);
    acrh_model::verdict(
        lines,
        &Allowed {
            name: &name,
            listed: &listed,
            any: spec.headers_any(),
            echo: spec.echoes_headers(),
        },
    )
}

/// A denial for the request headers, of any kind.
fn headers_denial(d: Option<Denial>) -> bool {
    matches!(
        d,
        Some(
            Denial::Header { .. }
                | Denial::HeaderRepeated { .. }
                | Denial::HeaderOutOfOrder { .. }
                | Denial::HeadersMalformed { .. }
                | Denial::HeadersTooLong { .. }
                | Denial::HeadersNotCanonical { .. }
        )
    )
}

/// RULES.md section 2's documented bound on an echoed method: one line of at most 64 bytes.
const ECHOED_METHOD: usize = 64;

/// RULES.md section 2: after the origin, the method (with credentials, an echoed
/// one only when it is canonical: one line, short), then the request headers,
/// then private network access, each denial the first check that fails.
fn check_preflight(f: &Fixed, asked: &Asked<'_>, d: &Decision, ctx: &dyn Fn() -> String) {
    let (p, spec) = (&f.policy, &f.spec);
    let methods: Vec<&[u8]> = asked.methods.iter().copied().filter(|l| !l.is_empty()).collect();
    if methods.len() != 1 || !is_token(methods[0]) {
        assert_eq!(d.denial(), Some(Denial::MethodMalformed), "{}", ctx());
    } else if !spec.method_allowed(methods[0]) {
        assert_eq!(
            d.denial(),
            Some(Denial::Method),
            "a method not allowed passed: {}",
            ctx()
        );
    } else if spec.echoes_method() && (asked.methods.len() != 1 || methods[0].len() > ECHOED_METHOD) {
        assert_eq!(d.denial(), Some(Denial::MethodNotCanonical), "{}", ctx());
    } else {
        let verdict = headers_verdict(spec, &asked.headers);
        match verdict {
            Verdict::Refused => assert!(headers_denial(d.denial()), "ACRH should be refused: {}", ctx()),
            _ if asked.private_network && !spec.private_network => {
                assert_eq!(d.denial(), Some(Denial::PrivateNetwork), "{}", ctx())
            }
            _ => assert_eq!(
                d.denial(),
                None,
                "a preflight that passes every check denied: {}",
                ctx()
            ),
        }
    }
    // A denial's position points into the request.
    let line = |i: usize| asked.headers.get(i).copied();
    match d.denial() {
        Some(Denial::Header { line: i, start, end }) => {
            // Scanning may stop inside a name longer than any allowed one.
            let name = line(i).and_then(|l| l.get(start..end));
            let name = name.unwrap_or_else(|| panic!("Header denial outside the request: {}", ctx()));
            assert!(is_token(name), "{}", ctx());
            assert!(
                !p.allows_request_header(name),
                "denied a name the policy allows: {}",
                ctx()
            );
        }
        Some(Denial::HeaderRepeated { line: i, start, end } | Denial::HeaderOutOfOrder { line: i, start, end }) => {
            let name = line(i).and_then(|l| l.get(start..end));
            assert!(name.is_some_and(is_token), "{}", ctx());
        }
        Some(Denial::HeadersMalformed { line: i, at } | Denial::HeadersNotCanonical { line: i, at }) => {
            assert!(line(i).is_some_and(|l| at <= l.len()), "{}", ctx());
        }
        Some(Denial::HeadersTooLong { line: i }) => assert!(line(i).is_some(), "{}", ctx()),
        _ => {}
    }
}
