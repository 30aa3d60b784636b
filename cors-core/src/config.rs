//! Policies from config files (feature `serde`): this crate's snake_case keys,
//! and Amazon API Gateway HTTP API `CorsConfiguration` names in both spellings.

use serde::Deserialize;

use crate::error::Error;
use crate::policy::Policy;

/// A policy as written in a config file; turn it into a [`Policy`] with `Policy::try_from`.
///
/// Keys are this crate's (`allow_origins`, ...) or API Gateway's
/// `CorsConfiguration` (`AllowOrigins` or `allowOrigins`, ...). Unknown keys are
/// refused. `MaxAge: -1` (API Gateway's "do not cache") becomes `Access-Control-Max-Age: 0`.
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
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Config {
    /// Allowed origins and patterns, or `["*"]`.
    #[serde(default, alias = "AllowOrigins", alias = "allowOrigins")]
    pub allow_origins: Vec<String>,
    /// Allowed methods, or `["*"]`; omitted means GET, HEAD and POST.
    #[serde(default, alias = "AllowMethods", alias = "allowMethods")]
    pub allow_methods: Option<Vec<String>>,
    /// Allowed request headers, or `["*"]`.
    #[serde(default, alias = "AllowHeaders", alias = "allowHeaders")]
    pub allow_headers: Vec<String>,
    /// Exposed response headers, or `["*"]`.
    #[serde(default, alias = "ExposeHeaders", alias = "exposeHeaders")]
    pub expose_headers: Vec<String>,
    /// Send `Access-Control-Allow-Credentials: true`.
    #[serde(default, alias = "AllowCredentials", alias = "allowCredentials")]
    pub allow_credentials: bool,
    /// Seconds, 0 to 86400; -1 means "do not cache" (sent as 0).
    #[serde(default, alias = "MaxAge", alias = "maxAge")]
    pub max_age: Option<i64>,
    /// Answer Private Network Access preflights.
    #[serde(default)]
    pub allow_private_network: bool,
    /// 204 (default) or 200.
    #[serde(default)]
    pub preflight_status: Option<u16>,
    /// See [`crate::Builder::dangerously_allow_insecure_origins`].
    #[serde(default)]
    pub dangerously_allow_insecure_origins: bool,
    /// See [`crate::Builder::dangerously_allow_public_suffix_wildcards`].
    #[serde(default)]
    pub dangerously_allow_public_suffix_wildcards: bool,
}

impl TryFrom<Config> for Policy {
    type Error = Error;

    fn try_from(c: Config) -> Result<Policy, Error> {
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
        b.build()
    }
}
