//! RULES.md sections 2 to 4 on what `Decision::write` writes: no
//! `Access-Control-Allow-*` header on a denial, the right ones otherwise, and
//! `Vary` merged with the handler's.

use corsair_core::adapter::ResponseHeader;
use corsair_core::{Decision, Kind, RawRequest};

use super::decision::Asked;
use super::recorder::{Recorder, ALL_RESPONSE};
use crate::targets::model::tokens::list_elements;
use crate::targets::show;
use crate::targets::spec::Fixed;

/// The `Access-Control-*` response headers, from the fuzz's own list rather than
/// the engine's `ResponseHeader::CORS`, so a name dropped there is still checked.
fn cors_headers() -> impl Iterator<Item = ResponseHeader> {
    ALL_RESPONSE.into_iter().filter(|&n| n != ResponseHeader::Vary)
}

/// Writes `d` over `pre` and checks the result; returns the lines written.
pub fn check_written(
    f: &Fixed,
    req: &RawRequest<'_>,
    asked: &Asked<'_>,
    d: &Decision,
    pre: &[(ResponseHeader, Vec<u8>)],
    ctx: &dyn Fn() -> String,
) -> Vec<(ResponseHeader, Vec<u8>)> {
    let mut rec = Recorder {
        policy: &f.policy,
        request: req.headers,
        out: pre.to_vec(),
    };
    d.write(&mut rec);
    let ctx = || format!("{}\npre {pre:?}\nwritten {:?}", ctx(), rec.out);
    for name in cors_headers() {
        assert!(
            rec.get(name).len() <= 1 || matches!(name, ResponseHeader::AllowMethods | ResponseHeader::AllowHeaders),
            "{name:?} written twice: {}",
            ctx()
        );
    }
    if d.denial().is_some() {
        // Sections 2 and 3: no Access-Control-Allow-* header at all.
        for name in cors_headers() {
            assert!(rec.get(name).is_empty(), "denied, yet {name:?} written: {}", ctx());
        }
    } else {
        check_granted(f, asked, d.kind(), &rec, &ctx);
    }
    check_vary(f, d.kind(), pre, &rec.get(ResponseHeader::Vary), &ctx);
    rec.out
}

/// What an allowed request's response carries (sections 2 and 3).
fn check_granted(f: &Fixed, asked: &Asked<'_>, kind: Kind, rec: &Recorder<'_>, ctx: &dyn Fn() -> String) {
    let spec = &f.spec;
    let any = spec.any_origin();
    let h = |name| rec.get(name);
    let expect_acao: Vec<Vec<u8>> = match kind {
        _ if any => vec![b"*".to_vec()],
        Kind::NotCors => vec![],
        _ => vec![asked.origins[0].to_vec()],
    };
    assert_eq!(
        h(ResponseHeader::AllowOrigin),
        expect_acao,
        "Access-Control-Allow-Origin: {}",
        ctx()
    );
    let cors = kind != Kind::NotCors;
    let acac = h(ResponseHeader::AllowCredentials);
    assert_eq!(
        acac.len(),
        usize::from(cors && spec.credentials),
        "credentials: {}",
        ctx()
    );
    assert!(acac.iter().all(|v| v == b"true"));
    let expose = !spec.expose.is_empty() && kind != Kind::Preflight && (cors || any);
    assert_eq!(
        h(ResponseHeader::ExposeHeaders).len(),
        usize::from(expose),
        "expose: {}",
        ctx()
    );
    if kind != Kind::Preflight {
        for name in [
            ResponseHeader::AllowMethods,
            ResponseHeader::AllowHeaders,
            ResponseHeader::MaxAge,
            ResponseHeader::AllowPrivateNetwork,
        ] {
            assert!(h(name).is_empty(), "{name:?} outside a preflight: {}", ctx());
        }
        return;
    }
    let method: &[u8] = asked
        .methods
        .iter()
        .find(|l| !l.is_empty())
        .expect("a preflight's method");
    let acam = h(ResponseHeader::AllowMethods);
    let covered = matches!(method, b"GET" | b"HEAD" | b"POST")
        || list_elements(&acam)
            .iter()
            .any(|&t| t == method || (t == b"*" && !spec.credentials));
    assert!(
        covered,
        "Access-Control-Allow-Methods does not cover the method: {}",
        ctx()
    );
    let acah = h(ResponseHeader::AllowHeaders);
    let allowed = list_elements(&acah);
    let requested = list_elements(&asked.headers);
    for name in &requested {
        let ok = allowed.iter().any(|t| {
            t.eq_ignore_ascii_case(name)
                || (*t == b"*" && !spec.credentials && !name.eq_ignore_ascii_case(b"authorization"))
        });
        assert!(
            ok,
            "Access-Control-Allow-Headers does not cover `{}`: {}",
            show(name),
            ctx()
        );
    }
    assert_eq!(
        !acah.is_empty(),
        !requested.is_empty(),
        "Allow-Headers without listed names, or the reverse: {}",
        ctx()
    );
    assert_eq!(
        h(ResponseHeader::MaxAge).len(),
        usize::from(spec.max_age.is_some()),
        "{}",
        ctx()
    );
    assert_eq!(
        h(ResponseHeader::AllowPrivateNetwork).len(),
        usize::from(asked.private_network),
        "{}",
        ctx()
    );
}

/// How many elements of the comma list in `lines` are `token` (case-insensitive).
fn count(lines: &[Vec<u8>], token: &str) -> usize {
    list_elements(lines)
        .iter()
        .filter(|t| t.eq_ignore_ascii_case(token.as_bytes()))
        .count()
}

/// Section 4: our `Vary` tokens once each, the handler's lines kept, `*` left alone.
fn check_vary(f: &Fixed, kind: Kind, pre: &[(ResponseHeader, Vec<u8>)], after: &[Vec<u8>], ctx: &dyn Fn() -> String) {
    let before: Vec<Vec<u8>> = pre
        .iter()
        .filter(|(n, _)| *n == ResponseHeader::Vary)
        .map(|(_, v)| v.clone())
        .collect();
    assert!(
        after.starts_with(&before),
        "the handler's Vary lines changed: {}",
        ctx()
    );
    let preflight = [
        "origin",
        "access-control-request-method",
        "access-control-request-headers",
        "access-control-request-private-network",
    ];
    let ours: &[&str] = match kind {
        Kind::Preflight if f.spec.private_network => &preflight,
        Kind::Preflight => &preflight[..3],
        _ if f.spec.any_origin() => &[],
        _ => &preflight[..1],
    };
    if count(&before, "*") > 0 {
        assert_eq!(after, before, "Vary: * was changed: {}", ctx());
        return;
    }
    for t in ours {
        let want = count(&before, t).max(1);
        assert_eq!(count(after, t), want, "Vary token {t}: {}", ctx());
    }
    let others = |lines: &[Vec<u8>]| {
        list_elements(lines)
            .iter()
            .filter(|t| !ours.iter().any(|o| t.eq_ignore_ascii_case(o.as_bytes())))
            .count()
    };
    assert_eq!(others(after), others(&before), "Vary gained foreign tokens: {}", ctx());
}
