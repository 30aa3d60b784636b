//! The origins of tests/support's `API` and of equivalence.rs's `DESIGN_EXAMPLE`
//! (`https://app.example.com`, `https://*.example.com`, `http://localhost:*`)
//! written as a plain predicate over `corsair::Origin` (RULES.md section 8).

/// Does the predicate version of those `allow_origins` grant `o`?
pub fn api_origins(o: &corsair::Origin) -> bool {
    (o.scheme() == "https" && o.port().is_none() && (o.host() == "app.example.com" || o.is_subdomain_of("example.com")))
        || (o.scheme() == "http" && o.host() == "localhost")
}
