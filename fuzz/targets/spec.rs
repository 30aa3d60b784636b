//! A policy as plain data: built through the builder, or through serde (JSON ->
//! Config -> Policy::try_from), and read back as the model the invariants use
//! (what RULES.md sections 2 and 3 say the engine must do with it).

use corsair_core::{Error, Field, Policy};

/// The fields of a policy, as a user writes them.
#[derive(Clone, Debug, Default)]
#[allow(missing_docs)]
pub struct Spec {
    pub origins: Vec<String>,
    pub methods: Option<Vec<String>>,
    pub headers: Vec<String>,
    pub expose: Vec<String>,
    pub credentials: bool,
    pub max_age: Option<i64>,
    pub private_network: bool,
    pub preflight_status: Option<u16>,
    pub insecure: bool,
    pub public_suffix: bool,
}

/// Owned copies of `items`.
pub fn strs(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

impl Spec {
    /// A policy with these origins and every other field at its default.
    pub fn new(origins: &[&str]) -> Self {
        Spec {
            origins: strs(origins),
            ..Spec::default()
        }
    }

    /// Through the builder; `None` when `max_age` does not fit the builder's `u32`.
    pub fn build(&self) -> Option<Result<Policy, Error>> {
        let mut b = Policy::builder()
            .allow_origins(&self.origins)
            .allow_headers(&self.headers)
            .expose_headers(&self.expose)
            .allow_credentials(self.credentials)
            .allow_private_network(self.private_network)
            .dangerously_allow_insecure_origins(self.insecure)
            .dangerously_allow_public_suffix_wildcards(self.public_suffix);
        if let Some(m) = &self.methods {
            b = b.allow_methods(m);
        }
        if let Some(age) = self.max_age {
            // The config maps API Gateway's -1 to 0; the builder only takes u32.
            let age = if age == -1 { 0 } else { age };
            b = b.max_age(u32::try_from(age).ok()?);
        }
        if let Some(s) = self.preflight_status {
            b = b.preflight_status(s);
        }
        Some(b.build())
    }

    #[cfg(feature = "serde")]
    pub fn to_json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        m.insert("allow_origins".into(), self.origins.clone().into());
        if let Some(methods) = &self.methods {
            m.insert("allow_methods".into(), methods.clone().into());
        }
        m.insert("allow_headers".into(), self.headers.clone().into());
        m.insert("expose_headers".into(), self.expose.clone().into());
        m.insert("allow_credentials".into(), self.credentials.into());
        if let Some(a) = self.max_age {
            m.insert("max_age".into(), a.into());
        }
        m.insert("allow_private_network".into(), self.private_network.into());
        if let Some(s) = self.preflight_status {
            m.insert("preflight_status".into(), s.into());
        }
        m.insert("dangerously_allow_insecure_origins".into(), self.insecure.into());
        m.insert(
            "dangerously_allow_public_suffix_wildcards".into(),
            self.public_suffix.into(),
        );
        serde_json::Value::Object(m)
    }

    #[cfg(feature = "serde")]
    pub fn from_config(c: &corsair_core::Config) -> Self {
        Spec {
            origins: c.allow_origins.clone(),
            methods: c.allow_methods.clone(),
            headers: c.allow_headers.clone(),
            expose: c.expose_headers.clone(),
            credentials: c.allow_credentials,
            max_age: c.max_age,
            private_network: c.allow_private_network,
            preflight_status: c.preflight_status,
            insecure: c.dangerously_allow_insecure_origins,
            public_suffix: c.dangerously_allow_public_suffix_wildcards,
        }
    }

    /// The list behind a list field.
    pub fn list(&self, field: Field) -> Option<&[String]> {
        match field {
            Field::AllowOrigins => Some(&self.origins),
            Field::AllowMethods => self.methods.as_deref(),
            Field::AllowHeaders => Some(&self.headers),
            Field::ExposeHeaders => Some(&self.expose),
            _ => None,
        }
    }

    // The model of a policy that built: what the engine must do with it.

    pub fn any_origin(&self) -> bool {
        self.origins.iter().any(|o| o == "*")
    }

    pub fn methods_any(&self) -> bool {
        self.methods.as_ref().is_some_and(|m| m.iter().any(|m| m == "*"))
    }

    pub fn method_allowed(&self, m: &[u8]) -> bool {
        matches!(m, b"GET" | b"HEAD" | b"POST")
            || self.methods_any()
            || self.methods.iter().flatten().any(|x| x.as_bytes() == m)
    }

    pub fn headers_any(&self) -> bool {
        self.headers.iter().any(|h| h == "*")
    }

    pub fn header_allowed(&self, name: &[u8]) -> bool {
        self.headers
            .iter()
            .any(|h| h != "*" && h.as_bytes().eq_ignore_ascii_case(name))
            || (self.headers_any() && !name.eq_ignore_ascii_case(b"authorization"))
    }

    /// The request header names listed (not `*`), lower-cased.
    pub fn listed_headers(&self) -> Vec<String> {
        self.headers
            .iter()
            .filter(|h| *h != "*")
            .map(|h| h.to_ascii_lowercase())
            .collect()
    }

    /// With credentials, `*` in `allow_methods` echoes the requested method.
    pub fn echoes_method(&self) -> bool {
        self.methods_any() && self.credentials
    }

    /// With credentials, `*` in `allow_headers` echoes the requested names.
    pub fn echoes_headers(&self) -> bool {
        self.headers_any() && self.credentials
    }

    pub fn status(&self) -> u16 {
        self.preflight_status.unwrap_or(204)
    }
}

/// A policy the targets hold fixed, with its spec.
#[allow(missing_docs)]
pub struct Fixed {
    pub spec: Spec,
    pub policy: Policy,
}

/// Builds a spec the targets hold fixed; it must build.
pub fn fixed(spec: Spec) -> Fixed {
    let policy = match spec.build() {
        Some(Ok(p)) => p,
        other => panic!("fixed fuzz policy {spec:?} does not build: {other:?}"),
    };
    Fixed { spec, policy }
}
