//! Policies from config files (feature `serde`): this crate's snake_case keys,
//! and Amazon API Gateway HTTP API `CorsConfiguration`s in both spellings, with the
//! gateway's meaning (its refusals and whole API documents are in `gateway`).

use serde::{Deserialize, Deserializer};

use crate::error::Error;
use crate::policy::Policy;

mod gateway;
mod keys;

pub use gateway::ApiGatewayDocument;

/// A policy as written in a config file; turn it into a [`Policy`] with `Policy::try_from`.
///
/// Keys are this crate's (`allow_origins`, ...) or API Gateway's
/// `CorsConfiguration` (`AllowOrigins` or `allowOrigins`, ...), one spelling per
/// config, recorded as its [`Dialect`]: in the gateway's keys, `https://*` and
/// `http://*` mean any origin of that scheme and a subdomain or port pattern is
/// refused, since the gateway would not read it as one. Unknown keys are refused.
/// `MaxAge: -1` (API Gateway's "do not cache") becomes `Access-Control-Max-Age: 0`.
/// Only an object is accepted: serde's positional (array) form of a struct
/// would skip the key names, so `["https://a.com"]` is refused with a message
/// saying what to write instead. A whole API document is an [`ApiGatewayDocument`].
///
/// ```
/// use corsair_core::{Config, Policy};
///
/// let config: Config = serde_json::from_str(r#"{
///     "AllowOrigins": ["https://app.example.com"],
///     "AllowMethods": ["GET", "PUT"],
///     "AllowHeaders": ["content-type"],
///     "MaxAge": -1
/// }"#)?;
/// let policy = Policy::try_from(config)?;
/// assert!(policy.allows_origin(b"https://app.example.com"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// Allowed origins and patterns, or `["*"]`.
    pub allow_origins: Vec<String>,
    /// Allowed methods, or `["*"]`; omitted means GET, HEAD and POST.
    pub allow_methods: Option<Vec<String>>,
    /// Allowed request headers, or `["*"]`.
    pub allow_headers: Vec<String>,
    /// Exposed response headers, or `["*"]`.
    pub expose_headers: Vec<String>,
    /// Send `Access-Control-Allow-Credentials: true`.
    pub allow_credentials: bool,
    /// Seconds, 0 to 86400; -1 means "do not cache" (sent as 0).
    pub max_age: Option<i64>,
    /// Answer Private Network Access preflights.
    pub allow_private_network: bool,
    /// 204 (default) or 200.
    pub preflight_status: Option<u16>,
    /// See [`crate::Builder::dangerously_allow_insecure_origins`].
    pub dangerously_allow_insecure_origins: bool,
    /// See [`crate::Builder::dangerously_allow_public_suffix_wildcards`].
    pub dangerously_allow_public_suffix_wildcards: bool,
    /// Whose keys the config was written with, which decides what its origin
    /// patterns mean; set by deserializing.
    pub dialect: Dialect,
}

/// Whose keys a [`Config`] was written with. One config uses one spelling.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Dialect {
    /// corsair's snake_case keys: origin patterns as in `cors!` (`https://*.example.com`,
    /// `http://localhost:*`).
    #[default]
    Corsair,
    /// API Gateway's `CorsConfiguration` keys (`AllowOrigins` or `allowOrigins`, ...):
    /// the gateway's meaning, whose only patterns are `*`, `https://*` and `http://*`;
    /// a subdomain or port pattern is refused rather than read more widely.
    ApiGateway,
}

impl<'de> Deserialize<'de> for Config {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Config, D::Error> {
        deserializer.deserialize_map(keys::ObjectOnly)
    }
}

impl TryFrom<Config> for Policy {
    type Error = Error;

    fn try_from(c: Config) -> Result<Policy, Error> {
        let refused = gateway::problems(&c);
        let mut b = Policy::builder()
            .allow_origins(c.allow_origins)
            .allow_headers(c.allow_headers)
            .expose_headers(c.expose_headers)
            .allow_credentials(c.allow_credentials)
            .max_age_signed(c.max_age.map(|a| if a == -1 { 0 } else { a }))
            .allow_private_network(c.allow_private_network)
            .dangerously_allow_insecure_origins(c.dangerously_allow_insecure_origins)
            .dangerously_allow_public_suffix_wildcards(c.dangerously_allow_public_suffix_wildcards);
        if let Some(m) = c.allow_methods {
            b = b.allow_methods(m);
        }
        if let Some(s) = c.preflight_status {
            b = b.preflight_status(s);
        }
        gateway::merge(refused, b.build())
    }
}
