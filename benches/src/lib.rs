//! The benchmarks' shared parts: one policy written for us and for each peer
//! (tower-http, actix-cors), the requests, the bare services and the "floor"
//! middlewares that only write the same prebuilt headers, and allocation counting.
//!
//! Used by `benches/*.rs` (criterion), `tests/allocations.rs` and the report
//! (`src/bin/report.rs`), which writes BENCHMARKS.md and `benches/scaling.svg`.

pub mod actix_stack;
pub mod allocation_counts;
pub mod cases;
pub use corsair_test_support as counting;
pub mod spec;
pub mod tower_stack;

pub use cases::{Case, Hostile, HostilePolicy, RequestSpec};

use corsair::Policy;

/// The policy of the main comparison, compiled by `cors!` (keep it equal to
/// [`api_builder`] and to the constants of [`spec`]).
pub static API: Policy = corsair::cors! {
    allow_origins: ["https://app.example.com"],
    allow_methods: [GET, POST, PUT, DELETE],
    allow_headers: ["content-type", "authorization", "x-api-key"],
    expose_headers: ["x-request-id"],
    allow_credentials: true,
    max_age: 600,
};

/// The hostile benchmark's large policy: the main comparison's origin and methods,
/// and 100 allowed request headers of 12 bytes, `x-header-000` to `x-header-099`.
pub fn hundred_names() -> Policy {
    let names: Vec<String> = (0..100).map(|i| format!("x-header-{i:03}")).collect();
    Policy::builder()
        .allow_origins([spec::APP_ORIGIN])
        .allow_methods(spec::METHODS)
        .allow_headers(names)
        .allow_credentials(true)
        .build()
        .expect("the 100-name policy is valid")
}

/// The policy of the main comparison, built at run time.
pub fn api_builder() -> Policy {
    scaling_builder(&[spec::APP_ORIGIN.to_owned()])
}

/// A run-time policy allowing `origins`, otherwise equal to [`API`].
pub fn scaling_builder(origins: &[String]) -> Policy {
    Policy::builder()
        .allow_origins(origins)
        .allow_methods(spec::METHODS)
        .allow_headers(spec::HEADERS)
        .expose_headers(spec::EXPOSE)
        .allow_credentials(true)
        .max_age(spec::MAX_AGE)
        .build()
        .expect("the benchmark policy is valid")
}

/// What a peer's user writes for [`spec::PATTERNS`] (`https://*.example.org`, ...):
/// `https://`, one or more non-empty DNS labels, then one of the domains.
/// Peers take a closure for subdomain patterns; this is a correct one.
pub fn matches_peer_pattern(origin: &[u8]) -> bool {
    let Some(host) = origin.strip_prefix(b"https://") else {
        return false;
    };
    spec::PATTERN_DOMAINS.iter().any(|domain| {
        let Some(labels) = host
            .strip_suffix(domain.as_bytes())
            .and_then(|rest| rest.strip_suffix(b"."))
        else {
            return false;
        };
        !labels.is_empty()
            && labels.split(|&b| b == b'.').all(|label| {
                !label.is_empty()
                    && label
                        .iter()
                        .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_macro_and_builder_policies_are_the_same() {
        assert_eq!(format!("{API:?}"), format!("{:?}", api_builder()));
    }

    #[test]
    fn the_peer_pattern_matcher_agrees_with_ours() {
        let ours = scaling_builder(&spec::scaling_origins(1, true));
        for origin in [
            "https://a.example.org",
            "https://a.b.example.net",
            "https://t7.eu.example.net",
            "https://example.org",
            "https://.example.org",
            "https://a..example.org",
            "https://evilexample.org",
            "https://example.org.evil.com",
            "http://a.example.org",
            "https://A.example.org",
        ] {
            let theirs = matches_peer_pattern(origin.as_bytes()) || origin == spec::tenant(0);
            assert_eq!(ours.allows_origin(origin.as_bytes()), theirs, "{origin}");
        }
    }
}
