//! A policy can be built in a `static` (and a `const`), as `cors!` expands: one
//! `Parts` value with named fields, through the one hidden `const fn` in `__private`.
use corsair_core::__private::{
    from_parts, http::HeaderValue, AllowHeaders, AllowMethods, Cow, Methods, OriginTable, Origins, Parts,
    PreflightStatus, RequestHeaders, Schemes, Values,
};
use corsair_core::adapter::Prebuilt;
use corsair_core::Policy;

static P: Policy = from_parts(Parts {
    origins: Origins::List {
        exact: OriginTable {
            slots: Cow::Borrowed(&[1, 0]),
            origins: Cow::Borrowed(&[Cow::Borrowed("https://a.com")]),
            values: Cow::Borrowed(&[]),
        },
        patterns: Cow::Borrowed(&[]),
        schemes: Schemes {
            https: false,
            http: false,
        },
        max_len: 13,
    },
    methods: Methods::List(Cow::Borrowed(&[Cow::Borrowed("PUT")])),
    headers: RequestHeaders {
        any: false,
        names: Cow::Borrowed(&[]),
        max_len: 0,
        slots: Cow::Borrowed(&[]),
        max_list: 64,
    },
    credentials: false,
    private_network: false,
    preflight_status: PreflightStatus::NoContent,
    values: Values {
        allow_methods: AllowMethods::Prebuilt(HeaderValue::from_static("PUT")),
        allow_headers: AllowHeaders::Never,
        expose_headers: None,
        max_age: None,
    },
});

#[allow(clippy::declare_interior_mutable_const)]
const C: Policy = from_parts(Parts {
    origins: Origins::Any,
    methods: Methods::Any,
    headers: RequestHeaders {
        any: true,
        names: Cow::Borrowed(&[]),
        max_len: 0,
        slots: Cow::Borrowed(&[]),
        max_list: 4096,
    },
    credentials: false,
    private_network: false,
    preflight_status: PreflightStatus::Ok,
    values: Values {
        allow_methods: AllowMethods::Prebuilt(HeaderValue::from_static("*")),
        allow_headers: AllowHeaders::Prebuilt(HeaderValue::from_static("*")),
        expose_headers: None,
        max_age: None,
    },
});

/// 64-bit FNV-1a (offset basis 0xcbf29ce484222325, prime 0x100000001b3), the
/// table's documented hash, written here from its definition.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[test]
fn static_and_const_policies_work() {
    // Slot 1 of 2 holds origin 0 only if the hash lands there; check through the table's own lookup.
    let slot = (fnv1a(b"https://a.com") & 1) as usize;
    assert_eq!(slot, 0, "fixture assumes the origin hashes to slot 0");
    assert!(P.allows_origin(b"https://a.com"));
    assert!(!P.allows_origin(b"https://b.com"));
    let c = C;
    assert!(c.is_any_origin());
    assert_eq!(c.preflight_status(), 200);
}

/// Derived state is explicit: echoing is a variant, not an empty value or a `None`.
#[test]
fn echo_is_a_state_not_a_sentinel() {
    let echo = Policy::builder()
        .allow_origins(["https://a.com"])
        .allow_methods(["*"])
        .allow_headers(["*"])
        .allow_credentials(true)
        .build()
        .unwrap();
    let values = &corsair_core::__private::parts(&echo).values;
    assert!(matches!(values.allow_methods, AllowMethods::Echo));
    assert!(matches!(values.allow_headers, AllowHeaders::Echo));
    assert_eq!(echo.prebuilt(Prebuilt::AllowMethods), None);
    assert_eq!(echo.prebuilt(Prebuilt::AllowHeaders), None);

    let none = Policy::builder().allow_origins(["https://a.com"]).build().unwrap();
    let parts = corsair_core::__private::parts(&none);
    assert!(matches!(parts.values.allow_headers, AllowHeaders::Never));
    assert_eq!(parts.preflight_status, PreflightStatus::NoContent);
    assert_eq!(none.prebuilt(Prebuilt::AllowMethods).unwrap(), "GET, HEAD, POST");
    assert_eq!(none.prebuilt(Prebuilt::AllowHeaders), None);
    let status = Policy::builder()
        .allow_origins(["https://a.com"])
        .preflight_status(200)
        .build()
        .unwrap();
    assert_eq!(
        corsair_core::__private::parts(&status).preflight_status,
        PreflightStatus::Ok
    );
}
