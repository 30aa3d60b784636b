//! What every policy of the benchmarks allows, written once: for our `cors!` and
//! builder policies, for tower-http's and actix-cors's. Also compiled into build.rs
//! (`#[path]`), which writes the large `cors!` sources from it.

/// The one origin of the main comparison.
pub const APP_ORIGIN: &str = "https://app.example.com";
/// An origin no policy allows.
pub const EVIL_ORIGIN: &str = "https://evil.example.net";
/// Methods beside GET, HEAD and POST (which always pass).
pub const METHODS: [&str; 4] = ["GET", "POST", "PUT", "DELETE"];
/// Allowed request headers.
pub const HEADERS: [&str; 3] = ["content-type", "authorization", "x-api-key"];
/// Exposed response headers.
pub const EXPOSE: [&str; 1] = ["x-request-id"];
/// `Access-Control-Max-Age`, seconds.
pub const MAX_AGE: u32 = 600;

/// How many exact origins the scaling benchmarks allow.
pub const ORIGIN_COUNTS: [usize; 5] = [1, 10, 100, 1_000, 10_000];
/// The counts at which the subdomain-pattern variant is measured.
pub const PATTERN_ORIGIN_COUNTS: [usize; 2] = [1, 10_000];
/// The subdomain patterns of the pattern variant, after its exact origins.
pub const PATTERNS: [&str; 2] = ["https://*.example.org", "https://*.example.net"];
/// The registrable domains of [`PATTERNS`], for the peers' hand-written matchers.
pub const PATTERN_DOMAINS: [&str; 2] = ["example.org", "example.net"];

/// The `i`-th exact origin of a scaling policy.
pub fn tenant(i: usize) -> String {
    format!("https://tenant{i}.example.com")
}

/// An origin only the second pattern matches (so the exact lookup misses first).
pub fn pattern_tenant(i: usize) -> String {
    format!("https://t{i}.eu.example.net")
}

/// The allowed origins of a scaling policy: `n` exact ones, then the patterns if asked.
pub fn scaling_origins(n: usize, patterns: bool) -> Vec<String> {
    let mut origins: Vec<String> = (0..n).map(tenant).collect();
    if patterns {
        origins.extend(PATTERNS.iter().map(|p| (*p).to_owned()));
    }
    origins
}
