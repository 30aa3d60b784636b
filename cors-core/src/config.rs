//! Policies from config files (feature `serde`): this crate's snake_case keys,
//! and Amazon API Gateway HTTP API `CorsConfiguration` names in both spellings.

use std::fmt;

use serde::de::value::MapAccessDeserializer;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::error::Error;
use crate::policy::Policy;

/// A policy as written in a config file; turn it into a [`Policy`] with `Policy::try_from`.
///
/// Keys are this crate's (`allow_origins`, ...) or API Gateway's
/// `CorsConfiguration` (`AllowOrigins` or `allowOrigins`, ...). Unknown keys are
/// refused. `MaxAge: -1` (API Gateway's "do not cache") becomes `Access-Control-Max-Age: 0`.
/// Only an object is accepted: serde's positional (array) form of a struct
/// would skip the key names, so `["https://a.com"]` is refused with a message
/// saying what to write instead.
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
}

/// The keys of a config object and their spellings. serde's `remote` form: the
/// derived code fills a [`Config`], and is only ever handed a map (see below).
#[derive(Deserialize)]
#[serde(remote = "Config", deny_unknown_fields)]
struct Keys {
    #[serde(default, alias = "AllowOrigins", alias = "allowOrigins")]
    allow_origins: Vec<String>,
    #[serde(default, alias = "AllowMethods", alias = "allowMethods")]
    allow_methods: Option<Vec<String>>,
    #[serde(default, alias = "AllowHeaders", alias = "allowHeaders")]
    allow_headers: Vec<String>,
    #[serde(default, alias = "ExposeHeaders", alias = "exposeHeaders")]
    expose_headers: Vec<String>,
    #[serde(default, alias = "AllowCredentials", alias = "allowCredentials")]
    allow_credentials: bool,
    #[serde(default, alias = "MaxAge", alias = "maxAge")]
    max_age: Option<i64>,
    #[serde(default)]
    allow_private_network: bool,
    #[serde(default)]
    preflight_status: Option<u16>,
    #[serde(default)]
    dangerously_allow_insecure_origins: bool,
    #[serde(default)]
    dangerously_allow_public_suffix_wildcards: bool,
}

impl<'de> Deserialize<'de> for Config {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Config, D::Error> {
        deserializer.deserialize_map(ObjectOnly)
    }
}

/// Accepts a map and nothing else: a derived struct visitor would also take a
/// sequence and read the values by position.
struct ObjectOnly;

impl<'de> Visitor<'de> for ObjectOnly {
    type Value = Config;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a CORS policy object with named keys, e.g. {\"allow_origins\": [\"https://app.example.com\"]}; a list of values without key names is not a policy")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Config, A::Error> {
        Keys::deserialize(MapAccessDeserializer::new(map))
    }
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
