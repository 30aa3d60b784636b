//! RULES.md section 6 on build results: a refused policy's error lists its
//! problems in order, each pointing at its entry; the verdict equals the model's
//! (`model::policy`) both ways; an accepted policy does what it lists.

use corsair_core::adapter::Prebuilt;
use corsair_core::{Error, Field, Policy, RawRequest};

use super::decision::check_decision;
use crate::targets::model::policy::{field_rank, refusal};
use crate::targets::show;
use crate::targets::spec::{Fixed, Spec};

/// An error's problems: non-empty, each with a message and a hint, pointing at
/// the entry it is about, in field then list order.
fn check_error(spec: &Spec, e: &Error) {
    let problems = e.problems();
    assert!(!problems.is_empty(), "an Err with no problem for {spec:?}");
    let text = e.to_string();
    for p in problems {
        assert!(!p.message.is_empty(), "empty message: {p:?}");
        assert!(!p.hint.is_empty(), "empty hint: {p:?}");
        assert!((1..=13).contains(&p.code.rule()), "rule out of range: {p:?}");
        assert!(text.contains(&p.message), "Display lacks the message of {p:?}");
        if let Some(i) = p.index {
            let list = spec
                .list(p.field)
                .unwrap_or_else(|| panic!("an index on a non-list field: {p:?}"));
            assert!(i < list.len(), "index past the list: {p:?} for {spec:?}");
            assert_eq!(list[i], p.value, "problem value is not the entry at its index: {p:?}");
        }
        // An origin fix hint naming an origin must name one that builds.
        if p.field == Field::AllowOrigins {
            if let Some(s) = p.hint.strip_prefix("write `").and_then(|h| h.strip_suffix('`')) {
                assert_ne!(s, p.value, "the hint suggests the refused value itself: {p:?}");
                let r = Policy::builder().allow_origins([s]).build();
                assert!(r.is_ok(), "the hint of {p:?} suggests `{s}`, which is refused: {r:?}");
            }
        }
    }
    let keys: Vec<_> = problems.iter().map(|p| (field_rank(p.field), p.index)).collect();
    assert!(
        keys.windows(2).all(|w| w[0] <= w[1]),
        "problems not in field then list order: {problems:?}"
    );
}

/// Checks a build result against the model, and an accepted policy end to end.
pub fn check_result(spec: &Spec, r: &Result<Policy, Error>) {
    match (refusal(spec), r) {
        (Err(rule), Ok(_)) => panic!("a policy breaking rule {rule} was accepted: {spec:?}"),
        (Ok(false), Err(e)) => panic!("a policy breaking no rule was refused: {spec:?}\n{e}"),
        (Ok(true), Err(e)) => assert!(
            e.problems()
                .iter()
                .all(|p| p.code == corsair_core::Code::PublicSuffixWildcard),
            "a policy breaking at most the public-suffix rule was refused for more: {spec:?}\n{e}"
        ),
        _ => {}
    }
    let p = match r {
        Err(e) => return check_error(spec, e),
        Ok(p) => p,
    };
    let _ = format!("{p:?}");
    assert_eq!(p.allows_credentials(), spec.credentials);
    assert_eq!(p.allows_private_network(), spec.private_network);
    assert!(matches!(p.preflight_status(), 200 | 204));
    assert_eq!(p.preflight_status(), spec.status());
    assert_eq!(p.is_any_origin(), spec.any_origin());
    assert!(
        !(p.is_any_origin() && p.allows_credentials()),
        "any origin with credentials built"
    );
    if let Some(age) = spec.max_age {
        let sent = p.prebuilt(Prebuilt::MaxAge).expect("max_age set but no Max-Age value");
        assert_eq!(sent.as_bytes(), age.max(0).to_string().as_bytes());
        assert!((-1..=86_400).contains(&age));
    }
    for o in &spec.origins {
        if !o.contains('*') {
            assert!(
                p.allows_origin(o.as_bytes()),
                "exact origin `{o}` built but is not allowed"
            );
        }
    }
    for h in &spec.headers {
        if h != "*" {
            assert!(p.allows_request_header(h.as_bytes()), "listed header `{h}` not allowed");
            assert!(p.allows_request_header(h.to_ascii_uppercase().as_bytes()));
        }
    }
    for probe in [
        &b"x-fuzz-unlisted"[..],
        b"authorization",
        b"Authorization",
        b"content-type",
    ] {
        assert_eq!(
            p.allows_request_header(probe),
            spec.header_allowed(probe),
            "allows_request_header({}) disagrees with the model of {spec:?}",
            show(probe)
        );
    }
    // End to end: a preflight asking for what the policy lists is allowed.
    let origin = if spec.any_origin() {
        Some("https://fuzz.example")
    } else {
        spec.origins.iter().find(|o| !o.contains('*')).map(String::as_str)
    };
    let Some(origin) = origin else { return };
    let method = match &spec.methods {
        Some(_) if spec.methods_any() => "PUT",
        Some(m) => m.first().map_or("GET", String::as_str),
        None => "GET",
    };
    // The names as browsers send them: lower-cased, each once, sorted.
    let mut names: Vec<String> = spec
        .headers
        .iter()
        .filter(|h| *h != "*")
        .map(|h| h.to_ascii_lowercase())
        .collect();
    if spec.headers_any() {
        names.push("x-fuzz".to_owned());
    }
    names.sort_unstable();
    names.dedup();
    let acrh = names.join(",");
    let mut headers: Vec<(&[u8], &[u8])> = vec![
        (b"origin", origin.as_bytes()),
        (b"access-control-request-method", method.as_bytes()),
    ];
    if !acrh.is_empty() {
        headers.push((b"access-control-request-headers", acrh.as_bytes()));
    }
    if spec.private_network {
        headers.push((b"access-control-request-private-network", b"true"));
    }
    let req = RawRequest {
        method: b"OPTIONS",
        headers: &headers,
    };
    let f = Fixed {
        spec: spec.clone(),
        policy: p.clone(),
    };
    let d = check_decision(&f, &req, &[]);
    assert_eq!(
        d.denial(),
        None,
        "a preflight for what {spec:?} lists was denied: {req:?}"
    );
}
