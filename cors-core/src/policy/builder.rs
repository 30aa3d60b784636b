//! [`Builder`]: a policy described at run time (or by `cors!` and config files,
//! which go through it), turned into a [`Policy`] by the one validator.

use super::validate::Validator;
use super::{Parts, Policy, Values};
use crate::error::Error;

/// Builds a [`Policy`] at run time with the same rules `cors!` applies at compile time.
///
/// `build` returns every problem at once. In every list, `"*"` means "any".
///
/// ```
/// use corsair_core::{Code, Policy};
///
/// let err = Policy::builder()
///     .allow_origins(["*"])
///     .allow_credentials(true)
///     .build()
///     .unwrap_err();
/// assert_eq!(err.problems()[0].code, Code::WildcardOriginWithCredentials);
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct Builder {
    pub(super) origins: Vec<String>,
    pub(super) methods: Option<Vec<String>>,
    pub(super) headers: Vec<String>,
    pub(super) expose: Vec<String>,
    pub(super) credentials: bool,
    pub(super) max_age: Option<i64>,
    pub(super) private_network: bool,
    pub(super) preflight_status: u16,
    pub(super) insecure_origins: bool,
    pub(super) public_suffix_wildcards: bool,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            origins: Vec::new(),
            methods: None,
            headers: Vec::new(),
            expose: Vec::new(),
            credentials: false,
            max_age: None,
            private_network: false,
            preflight_status: 204,
            insecure_origins: false,
            public_suffix_wildcards: false,
        }
    }
}

fn strings<I>(items: I) -> Vec<String>
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    items.into_iter().map(|s| s.as_ref().to_owned()).collect()
}

impl Builder {
    /// Allowed origins: exact (`https://app.example.com`), subdomain patterns
    /// (`https://*.example.com`), any port (`http://localhost:*`), or `"*"` alone.
    pub fn allow_origins<I>(mut self, origins: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.origins = strings(origins);
        self
    }

    /// Allowed methods, case-sensitive (`"PATCH"`, not `"patch"`), or `"*"`.
    /// Default: GET, HEAD and POST, which always pass.
    pub fn allow_methods<I>(mut self, methods: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.methods = Some(strings(methods));
        self
    }

    /// Allowed request headers (any case), or `"*"`, which covers every name but
    /// `authorization`: list that one explicitly. `content-type` needs listing for JSON bodies.
    pub fn allow_headers<I>(mut self, headers: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.headers = strings(headers);
        self
    }

    /// Response headers scripts may read besides the safelisted ones, or `"*"` (not with credentials).
    pub fn expose_headers<I>(mut self, headers: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.expose = strings(headers);
        self
    }

    /// Send `Access-Control-Allow-Credentials: true` (cookies, HTTP auth).
    pub fn allow_credentials(mut self, yes: bool) -> Self {
        self.credentials = yes;
        self
    }

    /// `Access-Control-Max-Age` in seconds, at most 86400. Browsers cap it
    /// further: Firefox at 86400, Chromium at 7200, WebKit at 600.
    pub fn max_age(mut self, seconds: u32) -> Self {
        self.max_age = Some(i64::from(seconds));
        self
    }

    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    pub(crate) fn max_age_signed(mut self, seconds: Option<i64>) -> Self {
        self.max_age = seconds;
        self
    }

    /// Answer Chrome's Private Network Access preflights
    /// (`Access-Control-Request-Private-Network: true`). Opt-in; Chrome is
    /// replacing it with its Local Network Access permission prompt.
    pub fn allow_private_network(mut self, yes: bool) -> Self {
        self.private_network = yes;
        self
    }

    /// Status of a successful preflight: 204 (default) or 200.
    pub fn preflight_status(mut self, status: u16) -> Self {
        self.preflight_status = status;
        self
    }

    /// Accept `http://` origins other than localhost and loopback together with credentials.
    pub fn dangerously_allow_insecure_origins(mut self, yes: bool) -> Self {
        self.insecure_origins = yes;
        self
    }

    /// Accept wildcards on public suffixes (`https://*.github.io`) together with credentials.
    pub fn dangerously_allow_public_suffix_wildcards(mut self, yes: bool) -> Self {
        self.public_suffix_wildcards = yes;
        self
    }

    /// Validates the policy: every problem found, or the policy with its matchers
    /// and header values prebuilt.
    pub fn build(self) -> Result<Policy, Error> {
        let mut v = Validator::default();
        let origins = v.origins(&self);
        let methods = v.methods(self.methods.as_deref());
        let headers = v.request_headers(&self.headers);
        let expose = v.expose(&self.expose, self.credentials);
        v.max_age(self.max_age);
        let preflight_status = v.preflight_status(self.preflight_status);
        v.finish()?;
        let values = Values::build(&methods, &headers, expose, self.max_age, self.credentials);
        Ok(Policy {
            parts: Parts {
                origins,
                methods,
                headers,
                credentials: self.credentials,
                private_network: self.private_network,
                preflight_status,
                values,
            },
        })
    }
}
