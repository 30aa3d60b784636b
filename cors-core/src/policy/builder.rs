//! [`Builder`]: a policy described at run time (or by `cors!` and config files,
//! which go through it), turned into a [`Policy`] by the one validator.

use super::validate::Validator;
use super::{Parts, Policy, Values};
use crate::error::Error;
use crate::origin::{Origin, OriginPredicate};

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
    pub(super) predicate: Option<OriginPredicate>,
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
            predicate: None,
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
    /// Required, unless [`allow_origin_fn`](Builder::allow_origin_fn) decides them.
    pub fn allow_origins<I>(mut self, origins: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.origins = strings(origins);
        self
    }

    /// Also allow every origin `f` returns `true` for, consulted after the exact
    /// origins and patterns of [`allow_origins`](Builder::allow_origins) (which may
    /// then be left empty). `f` only ever sees a request's single, canonical
    /// [`Origin`]: a repeated, malformed or non-canonical `Origin` header is denied
    /// before it runs. With credentials (unless
    /// [`dangerously_allow_insecure_origins`](Builder::dangerously_allow_insecure_origins))
    /// or private network access on, it is never asked about a plain `http://`
    /// origin other than localhost and loopback addresses, which are denied, as
    /// they would be in the list. Responses always carry `Vary: origin`.
    ///
    /// Compare whole values, never substrings: [`Origin::is_subdomain_of`] for
    /// domains, and a set of [`Origin::as_str`] for a list loaded at run time.
    /// `o.as_str().ends_with("example.com")` would also grant
    /// `https://evilexample.com`, and `o.host().ends_with(".example.com")`
    /// every port and scheme of it (`http://x.example.com:1234`).
    ///
    /// ```
    /// use std::collections::HashSet;
    /// use corsair_core::{Origin, Policy};
    ///
    /// // Tenants' own domains, say from a database, and every subdomain of ours.
    /// let tenants: HashSet<String> = ["https://shop.tenant-a.com".to_owned()].into();
    /// let policy = Policy::builder()
    ///     .allow_origins(["https://app.example.com"])
    ///     .allow_origin_fn(move |o: &Origin| {
    ///         tenants.contains(o.as_str())
    ///             || (o.scheme() == "https" && o.port().is_none() && o.is_subdomain_of("tenants.example.com"))
    ///     })
    ///     .allow_credentials(true)
    ///     .build()?;
    ///
    /// assert!(policy.allows_origin(b"https://app.example.com"));
    /// assert!(policy.allows_origin(b"https://shop.tenant-a.com"));
    /// assert!(policy.allows_origin(b"https://eu.tenants.example.com"));
    /// assert!(!policy.allows_origin(b"https://tenants.example.com")); // not a subdomain
    /// assert!(!policy.allows_origin(b"https://eviltenants.example.com"));
    /// assert!(!policy.allows_origin(b"https://eu.tenants.example.com.evil.com"));
    /// assert!(!policy.allows_origin(b"https://EU.tenants.example.com")); // not canonical
    /// assert!(!policy.allows_origin(b"http://eu.tenants.example.com"));
    /// # Ok::<(), corsair_core::Error>(())
    /// ```
    pub fn allow_origin_fn(mut self, f: impl Fn(&Origin<'_>) -> bool + Send + Sync + 'static) -> Self {
        self.predicate = Some(OriginPredicate::new(f));
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
            // RULES 6.7 and 6.12 for origins not known in advance: plain http is
            // never granted by the predicate when the list would refuse it.
            predicate: self
                .predicate
                .map(|p| p.secure_only((self.credentials && !self.insecure_origins) || self.private_network)),
            #[cfg(feature = "actix")]
            actix: crate::adapter::http02::Actix::Lazy(std::sync::OnceLock::new()),
        })
    }
}
