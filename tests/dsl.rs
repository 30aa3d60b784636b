//! The `cors!` language: value forms, defaults, order, trailing commas, and use
//! from a user's own `macro_rules!`.

use corsair::adapter::Prebuilt;
use corsair::{cors, Policy};

fn prebuilt(p: &Policy, which: Prebuilt) -> Option<&str> {
    p.prebuilt(which).map(|v| v.to_str().unwrap())
}

#[test]
fn omitted_keys_take_their_defaults() {
    static P: Policy = cors! { allow_origins: ["https://app.example.com"] };
    assert_eq!(prebuilt(&P, Prebuilt::AllowMethods), Some("GET, HEAD, POST"));
    assert_eq!(prebuilt(&P, Prebuilt::AllowHeaders), None);
    assert_eq!(prebuilt(&P, Prebuilt::ExposeHeaders), None);
    assert_eq!(prebuilt(&P, Prebuilt::MaxAge), None);
    assert!(!P.allows_credentials());
    assert!(!P.allows_private_network());
    assert_eq!(P.preflight_status(), 204);
}

#[test]
fn wildcards_bare_or_quoted_are_the_same() {
    static BARE: Policy = cors! { allow_origins: *, allow_methods: *, allow_headers: *, expose_headers: * };
    static QUOTED: Policy = cors! {
        allow_origins: ["*"], allow_methods: ["*"], allow_headers: ["*"], expose_headers: ["*"],
    };
    assert_eq!(format!("{BARE:?}"), format!("{QUOTED:?}"));
    assert!(BARE.is_any_origin());
    assert_eq!(prebuilt(&BARE, Prebuilt::AllowMethods), Some("*"));
}

#[test]
fn methods_as_idents_or_strings() {
    static IDENTS: Policy = cors! { allow_origins: ["https://a.example"], allow_methods: [PUT, PATCH] };
    static STRINGS: Policy = cors! { allow_origins: ["https://a.example"], allow_methods: ["PUT", "PATCH"] };
    assert_eq!(format!("{IDENTS:?}"), format!("{STRINGS:?}"));
    assert_eq!(prebuilt(&IDENTS, Prebuilt::AllowMethods), Some("PUT, PATCH"));
}

#[test]
fn key_order_and_trailing_commas_are_free() {
    static A: Policy = cors! {
        allow_origins: ["https://a.example", "https://b.example"],
        allow_headers: ["x-api-key"],
        max_age: 60,
    };
    static B: Policy = cors! {
        max_age: 60,
        allow_headers: ["x-api-key",],
        allow_origins: ["https://a.example", "https://b.example",],
    };
    assert_eq!(format!("{A:?}"), format!("{B:?}"));
    assert_eq!(prebuilt(&A, Prebuilt::MaxAge), Some("60"));
}

#[test]
fn header_names_are_lowercased() {
    static P: Policy = cors! {
        allow_origins: ["https://a.example"],
        allow_headers: ["X-Api-Key"],
        expose_headers: ["X-Request-Id"],
    };
    assert_eq!(prebuilt(&P, Prebuilt::AllowHeaders), Some("x-api-key"));
    assert_eq!(prebuilt(&P, Prebuilt::ExposeHeaders), Some("x-request-id"));
}

macro_rules! tenant_policy {
    ($origin:expr, $methods:expr, $credentials:expr, $age:literal) => {
        cors! {
            allow_origins: [$origin],
            allow_methods: $methods,
            allow_credentials: $credentials,
            max_age: $age,
        }
    };
}

#[test]
fn fragments_of_a_users_macro() {
    static P: Policy = tenant_policy!("https://tenant.example", [GET, DELETE], true, 120);
    assert!(P.allows_origin(b"https://tenant.example"));
    assert!(P.allows_credentials());
    assert_eq!(prebuilt(&P, Prebuilt::AllowMethods), Some("GET, DELETE"));
    assert_eq!(prebuilt(&P, Prebuilt::MaxAge), Some("120"));
}

#[test]
fn raw_identifiers_are_unraw() {
    // `r#PATCH` is the method `PATCH`, and `r#max_age` the key `max_age`.
    static RAW: Policy = cors! { allow_origins: ["https://a.example"], allow_methods: [r#PATCH, r#GET], r#max_age: 60 };
    static PLAIN: Policy = cors! { allow_origins: ["https://a.example"], allow_methods: [PATCH, GET], max_age: 60 };
    assert_eq!(format!("{RAW:?}"), format!("{PLAIN:?}"));
    assert_eq!(prebuilt(&RAW, Prebuilt::AllowMethods), Some("PATCH, GET"));
}
