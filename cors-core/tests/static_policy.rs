//! A policy can be built in a `static` (and a `const`), as `cors!` expands.
use corsair_core::__private::{http::HeaderValue, Cow, Methods, OriginTable, Origins, RequestHeaders, Values};
use corsair_core::Policy;

static P: Policy = Policy::__from_parts(
    Origins::List {
        exact: OriginTable {
            slots: Cow::Borrowed(&[1, 0]),
            origins: Cow::Borrowed(&[Cow::Borrowed("https://a.com")]),
        },
        patterns: Cow::Borrowed(&[]),
        max_len: 13,
    },
    Methods::List(Cow::Borrowed(&[Cow::Borrowed("PUT")])),
    RequestHeaders {
        any: false,
        names: Cow::Borrowed(&[]),
        max_len: 0,
        slots: Cow::Borrowed(&[]),
        max_list: 64,
    },
    false,
    false,
    204,
    Values {
        allow_methods: HeaderValue::from_static("PUT"),
        allow_headers: None,
        expose_headers: None,
        max_age: None,
    },
);

#[allow(clippy::declare_interior_mutable_const)]
const C: Policy = Policy::__from_parts(
    Origins::Any,
    Methods::Any,
    RequestHeaders {
        any: true,
        names: Cow::Borrowed(&[]),
        max_len: 0,
        slots: Cow::Borrowed(&[]),
        max_list: 4096,
    },
    false,
    false,
    200,
    Values {
        allow_methods: HeaderValue::from_static("*"),
        allow_headers: None,
        expose_headers: None,
        max_age: None,
    },
);

#[test]
fn static_and_const_policies_work() {
    // Slot 1 of 2 holds origin 0 only if the hash lands there; check through the table's own lookup.
    let slot = (corsair_core::__private::hash(b"https://a.com") & 1) as usize;
    assert_eq!(slot, 0, "fixture assumes the origin hashes to slot 0");
    assert!(P.allows_origin(b"https://a.com"));
    assert!(!P.allows_origin(b"https://b.com"));
    let c = C;
    assert!(c.is_any_origin());
    assert_eq!(c.preflight_status(), 200);
}
