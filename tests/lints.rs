//! `cors!` expansions compile clean under strict lints (clippy's too, in CI), in
//! a `static`, a `const` and a function, through a renamed crate, and next to
//! items that shadow every name the expansion could have relied on.
#![deny(warnings, unused_qualifications, rust_2018_idioms, unsafe_code, unused_results)]
#![deny(clippy::all, clippy::pedantic)]

use corsair::{cors, Policy};

static EVERY_KEY: Policy = cors! {
    allow_origins: ["https://app.example.com", "https://*.example.com", "http://localhost:*"],
    allow_methods: [GET, "POST", PUT, PATCH, DELETE],
    allow_headers: ["content-type", "authorization", "x-api-key"],
    expose_headers: ["x-request-id"],
    allow_credentials: true,
    max_age: 600,
    allow_private_network: true,
    preflight_status: 200,
    dangerously_allow_insecure_origins: false,
    dangerously_allow_public_suffix_wildcards: false,
};

static ANY: Policy = cors! { allow_origins: *, allow_methods: *, allow_headers: *, expose_headers: * };

// `HeaderValue` holds a `Bytes`, which clippy sees as interior mutability; a
// `const` policy works, but `static` is what adapters want.
#[allow(clippy::declare_interior_mutable_const)]
const CONST_POLICY: Policy = cors! {
    allow_origins: ["https://app.example.com"],
};

mod renamed {
    use ::corsair as web_cors;

    pub(crate) static POLICY: web_cors::Policy = web_cors::cors! {
        allow_origins: ["https://renamed.example.com"],
    };
}

#[allow(dead_code, non_camel_case_types, clippy::upper_case_acronyms)]
mod shadowing {
    struct Option;
    struct Cow;
    struct Origins;
    struct HeaderValue;
    mod http {}
    mod core {}
    mod std {}
    mod __private {}
    mod cors {}
    mod corsair {}

    pub(crate) static POLICY: ::corsair::Policy = ::corsair::cors! {
        allow_origins: ["https://shadowed.example.com"],
        max_age: 60,
    };
}

#[test]
fn expansions_work() {
    assert!(EVERY_KEY.allows_origin(b"https://eu.example.com"));
    assert!(EVERY_KEY.allows_credentials());
    assert_eq!(EVERY_KEY.preflight_status(), 200);
    assert!(ANY.is_any_origin());
    let in_fn: Policy = cors! { allow_origins: ["https://fn.example.com"] };
    assert!(in_fn.allows_origin(b"https://fn.example.com"));
    let copy = CONST_POLICY;
    assert!(copy.allows_origin(b"https://app.example.com"));
    assert!(renamed::POLICY.allows_origin(b"https://renamed.example.com"));
    assert!(shadowing::POLICY.allows_origin(b"https://shadowed.example.com"));
}
