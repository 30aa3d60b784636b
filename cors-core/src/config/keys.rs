//! Reading a config object: every key in corsair's spelling or API Gateway's two,
//! one spelling per object, the spelling recorded as the config's [`Dialect`].

use std::fmt;

use serde::de::{Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{Config, Dialect};

/// A config key, whatever its spelling.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    AllowOrigins,
    AllowMethods,
    AllowHeaders,
    ExposeHeaders,
    AllowCredentials,
    MaxAge,
    AllowPrivateNetwork,
    PreflightStatus,
    InsecureOrigins,
    PublicSuffixWildcards,
}

/// A key's spellings: corsair's, and API Gateway's `CorsConfiguration` ones
/// (PascalCase in the CLI and CloudFormation, camelCase in OpenAPI), if it has any.
struct Spelling {
    key: Key,
    corsair: &'static str,
    gateway: Option<[&'static str; 2]>,
}

const fn spelling(key: Key, corsair: &'static str, gateway: Option<[&'static str; 2]>) -> Spelling {
    Spelling { key, corsair, gateway }
}

const SPELLINGS: [Spelling; 10] = [
    spelling(
        Key::AllowOrigins,
        "allow_origins",
        Some(["AllowOrigins", "allowOrigins"]),
    ),
    spelling(
        Key::AllowMethods,
        "allow_methods",
        Some(["AllowMethods", "allowMethods"]),
    ),
    spelling(
        Key::AllowHeaders,
        "allow_headers",
        Some(["AllowHeaders", "allowHeaders"]),
    ),
    spelling(
        Key::ExposeHeaders,
        "expose_headers",
        Some(["ExposeHeaders", "exposeHeaders"]),
    ),
    spelling(
        Key::AllowCredentials,
        "allow_credentials",
        Some(["AllowCredentials", "allowCredentials"]),
    ),
    spelling(Key::MaxAge, "max_age", Some(["MaxAge", "maxAge"])),
    spelling(Key::AllowPrivateNetwork, "allow_private_network", None),
    spelling(Key::PreflightStatus, "preflight_status", None),
    spelling(Key::InsecureOrigins, "dangerously_allow_insecure_origins", None),
    spelling(
        Key::PublicSuffixWildcards,
        "dangerously_allow_public_suffix_wildcards",
        None,
    ),
];

/// Every accepted spelling, for serde's "expected one of" message: corsair's, then
/// API Gateway's (PascalCase, camelCase) for the keys that have them.
const NAMES: [&str; 22] = {
    let mut names = [""; 22];
    let (mut i, mut n) = (0, 0);
    while i < SPELLINGS.len() {
        names[n] = SPELLINGS[i].corsair;
        n += 1;
        if let Some([pascal, camel]) = SPELLINGS[i].gateway {
            names[n] = pascal;
            names[n + 1] = camel;
            n += 2;
        }
        i += 1;
    }
    names
};

/// A key as written: which key, and whether it was API Gateway's spelling.
struct Spelled {
    key: Key,
    name: &'static str,
    gateway: bool,
}

impl<'de> Deserialize<'de> for Spelled {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = Spelled;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a CORS policy key")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Spelled, E> {
        for s in &SPELLINGS {
            if v == s.corsair {
                return Ok(Spelled {
                    key: s.key,
                    name: s.corsair,
                    gateway: false,
                });
            }
            if let Some(name) = s.gateway.iter().flatten().find(|name| **name == v) {
                return Ok(Spelled {
                    key: s.key,
                    name,
                    gateway: true,
                });
            }
        }
        Err(E::unknown_field(v, &NAMES))
    }
}

/// Accepts a map and nothing else: a derived struct visitor would also take a
/// sequence and read the values by position, unnamed.
pub(super) struct ObjectOnly;

impl<'de> Visitor<'de> for ObjectOnly {
    type Value = Config;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a CORS policy object with named keys, e.g. {\"allow_origins\": [\"https://app.example.com\"]}; a list of values without key names is not a policy")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Config, A::Error> {
        let mut c = Config::default();
        let mut seen: Vec<&'static str> = Vec::new();
        let mut dialect: Option<(Dialect, &'static str)> = None;
        while let Some(Spelled { key, name, gateway }) = map.next_key::<Spelled>()? {
            let this = if gateway { Dialect::ApiGateway } else { Dialect::Corsair };
            match dialect {
                Some((other, first)) if other != this => return Err(A::Error::custom(mixed(first, name))),
                _ => dialect = Some((this, name)),
            }
            let canonical = SPELLINGS.iter().find(|s| s.key == key).map_or(name, |s| s.corsair);
            if seen.contains(&canonical) {
                return Err(A::Error::duplicate_field(name));
            }
            seen.push(canonical);
            match key {
                Key::AllowOrigins => c.allow_origins = map.next_value()?,
                Key::AllowMethods => c.allow_methods = map.next_value()?,
                Key::AllowHeaders => c.allow_headers = map.next_value()?,
                Key::ExposeHeaders => c.expose_headers = map.next_value()?,
                Key::AllowCredentials => c.allow_credentials = map.next_value()?,
                Key::MaxAge => c.max_age = map.next_value()?,
                Key::AllowPrivateNetwork => c.allow_private_network = map.next_value()?,
                Key::PreflightStatus => c.preflight_status = map.next_value()?,
                Key::InsecureOrigins => c.dangerously_allow_insecure_origins = map.next_value()?,
                Key::PublicSuffixWildcards => c.dangerously_allow_public_suffix_wildcards = map.next_value()?,
            }
        }
        c.dialect = dialect.map_or(Dialect::Corsair, |(d, _)| d);
        Ok(c)
    }
}

fn mixed(first: &str, then: &str) -> String {
    let (gateway, corsair) = if first.contains('_') {
        (then, first)
    } else {
        (first, then)
    };
    let only = SPELLINGS.iter().any(|s| s.corsair == corsair && s.gateway.is_none());
    format!(
        "`{gateway}` is API Gateway's spelling and `{corsair}` corsair's: write every key of a config in one \
         spelling, since corsair's keys give origin patterns corsair's meaning and API Gateway's keys the \
         gateway's{}",
        if only {
            format!(" (`{corsair}` has no API Gateway spelling: a CorsConfiguration cannot hold it)")
        } else {
            String::new()
        }
    )
}
