//! The policy: what a `cors!` block or a [`Builder`] describes, validated once
//! (RULES.md section 6) into prebuilt matchers and header values.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use http::HeaderValue;

use crate::error::{Code, Error, Field, Problem};
use crate::origin::{self, List, OriginTable, Pattern, Spec, Text};
use crate::origin_request::{Origin, OriginPredicate};

/// Which origins a policy allows.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub enum Origins {
    /// `*`: any origin (never with credentials).
    Any,
    /// Exact origins and patterns.
    List {
        /// Exact origins, hashed.
        exact: OriginTable,
        /// Subdomain and any-port patterns, tried in order.
        patterns: List<Pattern>,
        /// No allowed origin is longer than this: longer `Origin` values are refused unparsed.
        max_len: usize,
    },
}

/// Which methods a policy allows, besides GET, HEAD and POST which always pass.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub enum Methods {
    /// `*`: every method token.
    Any,
    /// These tokens, compared case-sensitively.
    List(List<Text>),
}

/// Which request headers a policy allows.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct RequestHeaders {
    /// `*` was listed: every name but `authorization`.
    pub any: bool,
    /// Lower-case names listed explicitly (the only way to allow `authorization`).
    pub names: List<Text>,
    /// The longest listed name, for early refusal of long names when `any` is off.
    pub max_len: usize,
}

/// Header values built once with the policy.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct Values {
    /// `Access-Control-Allow-Methods` (unused when methods are echoed).
    pub allow_methods: HeaderValue,
    /// `Access-Control-Allow-Headers`, unless requested names are echoed.
    pub allow_headers: Option<HeaderValue>,
    /// `Access-Control-Expose-Headers`.
    pub expose_headers: Option<HeaderValue>,
    /// `Access-Control-Max-Age`.
    pub max_age: Option<HeaderValue>,
}

/// A validated CORS policy.
///
/// Build one at compile time with `cors!` (declare it `static`, since adapters
/// take `&'static Policy`), or at run time with [`Policy::builder`] or from a
/// config file. Either way it holds prebuilt matchers and header values, so
/// answering a request allocates nothing.
///
/// ```
/// use corsair_core::Policy;
///
/// let policy = Policy::builder()
///     .allow_origins(["https://app.example.com", "https://*.example.com"])
///     .allow_methods(["GET", "POST", "PATCH"])
///     .allow_headers(["content-type", "authorization"])
///     .allow_credentials(true)
///     .max_age(600)
///     .build()?;
/// assert!(policy.allows_origin(b"https://app.example.com"));
/// assert!(policy.allows_origin(b"https://eu.example.com"));
/// assert!(!policy.allows_origin(b"https://example.com.evil.com"));
/// # Ok::<(), corsair_core::Error>(())
/// ```
#[derive(Clone)]
pub struct Policy {
    pub(crate) origins: Origins,
    pub(crate) methods: Methods,
    pub(crate) headers: RequestHeaders,
    pub(crate) credentials: bool,
    pub(crate) private_network: bool,
    pub(crate) preflight_status: u16,
    pub(crate) values: Values,
    // TODO(merge): the two fields below go into policy/mod.rs's Policy; `Parts` leaves them out.
    /// `allow_origin_fn`, consulted after the exact origins and patterns.
    pub(crate) predicate: Option<OriginPredicate>,
    /// The actix adapter's `http` 0.2 copies of `values`, made on first use, so
    /// they live and are replaced with the policy itself (a `LivePolicy` snapshot).
    #[cfg(feature = "actix")]
    pub(crate) actix: std::sync::OnceLock<crate::actix::Values>,
}

impl fmt::Debug for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let origins: Vec<String> = match &self.origins {
            Origins::Any => vec!["*".into()],
            Origins::List { exact, patterns, .. } => exact
                .origins
                .iter()
                .map(|o| o.to_string())
                .chain(patterns.iter().map(pattern_text))
                .collect(),
        };
        f.debug_struct("Policy")
            .field("allow_origins", &origins)
            .field("allow_origin_fn", &self.predicate.is_some())
            .field("allow_methods", &self.values.allow_methods)
            .field("allow_headers", &self.headers.names)
            .field("allow_any_header", &self.headers.any)
            .field("expose_headers", &self.values.expose_headers)
            .field("allow_credentials", &self.credentials)
            .field("max_age", &self.values.max_age)
            .field("allow_private_network", &self.private_network)
            .field("preflight_status", &self.preflight_status)
            .finish()
    }
}

fn pattern_text(p: &Pattern) -> String {
    let port = match &p.port {
        origin::PortPattern::Default => String::new(),
        origin::PortPattern::Exact(d) => format!(":{d}"),
        origin::PortPattern::Any => ":*".into(),
    };
    format!(
        "{}://{}{}{}",
        p.scheme,
        if p.subdomains { "*." } else { "" },
        p.host,
        port
    )
}

impl Policy {
    /// Starts a run-time policy; see [`Builder`].
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// Does this policy allow this `Origin` value (raw bytes, as received)?
    /// Allocates nothing; takes the same time for 1 or 10,000 exact origins.
    /// The exact origins and patterns are tried first, then the
    /// [`allow_origin_fn`](Builder::allow_origin_fn) predicate, which sees only a
    /// value that parses as one canonical [`Origin`].
    pub fn allows_origin(&self, origin: &[u8]) -> bool {
        match &self.origins {
            Origins::Any => true,
            Origins::List {
                exact,
                patterns,
                max_len,
            } => {
                let listed = !origin.is_empty()
                    && origin.len() <= *max_len
                    && (exact.contains(origin) || patterns.iter().any(|p| p.matches(origin)));
                listed || self.predicate.as_ref().is_some_and(|p| p.allows(origin))
            }
        }
    }

    /// Is an origin predicate ([`Builder::allow_origin_fn`]) consulted?
    pub fn has_origin_fn(&self) -> bool {
        self.predicate.is_some()
    }

    /// Is `Access-Control-Allow-Credentials: true` sent?
    pub fn allows_credentials(&self) -> bool {
        self.credentials
    }

    /// Does the policy answer with the constant `Access-Control-Allow-Origin: *`?
    /// Then responses do not depend on the request's origin and need no `Vary: Origin`.
    pub fn is_any_origin(&self) -> bool {
        matches!(self.origins, Origins::Any)
    }

    /// Is Private Network Access opted into?
    pub fn allows_private_network(&self) -> bool {
        self.private_network
    }

    /// The status of a successful preflight: 204 unless the policy chose 200.
    pub fn preflight_status(&self) -> u16 {
        self.preflight_status
    }

    /// A prebuilt header value of this policy (for adapters on other `http` versions,
    /// which convert each once).
    pub fn prebuilt(&self, which: Prebuilt) -> Option<&HeaderValue> {
        match which {
            Prebuilt::AllowMethods => Some(&self.values.allow_methods),
            Prebuilt::AllowHeaders => self.values.allow_headers.as_ref(),
            Prebuilt::ExposeHeaders => self.values.expose_headers.as_ref(),
            Prebuilt::MaxAge => self.values.max_age.as_ref(),
        }
    }

    /// The pieces of a validated policy, for the `cors!` expansion.
    #[doc(hidden)]
    pub fn __parts(&self) -> (&Origins, &Methods, &RequestHeaders, bool, bool, u16, &Values) {
        (
            &self.origins,
            &self.methods,
            &self.headers,
            self.credentials,
            self.private_network,
            self.preflight_status,
            &self.values,
        )
    }

    /// The `cors!` expansion's constructor: the parts come from a policy that
    /// `Builder::build` validated when the macro ran.
    #[doc(hidden)]
    pub const fn __from_parts(
        origins: Origins,
        methods: Methods,
        headers: RequestHeaders,
        credentials: bool,
        private_network: bool,
        preflight_status: u16,
        values: Values,
    ) -> Policy {
        Policy {
            origins,
            methods,
            headers,
            credentials,
            private_network,
            preflight_status,
            values,
            predicate: None,
            #[cfg(feature = "actix")]
            actix: std::sync::OnceLock::new(),
        }
    }
}

/// The header values a policy prebuilds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Prebuilt {
    /// `Access-Control-Allow-Methods`
    AllowMethods,
    /// `Access-Control-Allow-Headers`
    AllowHeaders,
    /// `Access-Control-Expose-Headers`
    ExposeHeaders,
    /// `Access-Control-Max-Age`
    MaxAge,
}

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
    origins: Vec<String>,
    methods: Option<Vec<String>>,
    headers: Vec<String>,
    expose: Vec<String>,
    credentials: bool,
    max_age: Option<i64>,
    private_network: bool,
    preflight_status: u16,
    predicate: Option<OriginPredicate>,
    insecure_origins: bool,
    public_suffix_wildcards: bool,
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
        if let Some(age) = self.max_age {
            if age < 0 {
                v.push(
                    Code::MaxAgeTooLarge,
                    Field::MaxAge,
                    None,
                    age.to_string(),
                    format!("max_age {age} is negative"),
                    "use 0 to make browsers send a preflight every time (API Gateway's -1 means the same)",
                );
            } else if age > 86_400 {
                v.push(
                    Code::MaxAgeTooLarge,
                    Field::MaxAge,
                    None,
                    age.to_string(),
                    format!("max_age {age} is above 86400 seconds; no browser caches a preflight longer than a day (Firefox caps at 86400, Chromium at 7200, WebKit at 600)"),
                    "use at most 86400; 600 to 7200 is typical",
                );
            }
        }
        if !matches!(self.preflight_status, 200 | 204) {
            v.push(
                Code::PreflightStatus,
                Field::PreflightStatus,
                None,
                self.preflight_status.to_string(),
                format!(
                    "preflight_status {} is not a success status browsers accept for every client",
                    self.preflight_status
                ),
                "use 204 (the default) or 200 for old clients that mishandle 204",
            );
        }
        if !v.problems.is_empty() {
            v.problems.sort_by_key(|p| (field_order(p.field), p.index));
            return Err(Error::new(v.problems));
        }
        let credentials = self.credentials;
        let allow_methods = match &methods {
            Methods::Any if !credentials => "*".to_owned(),
            Methods::Any => String::new(),
            Methods::List(list) if list.is_empty() => "GET, HEAD, POST".to_owned(),
            Methods::List(list) => list.join(", "),
        };
        let allow_headers = match (headers.any, credentials) {
            (true, true) => None,
            (true, false) if headers.names.iter().any(|n| n == "authorization") => Some("*, authorization".to_owned()),
            (true, false) => Some("*".to_owned()),
            (false, _) if headers.names.is_empty() => None,
            (false, _) => Some(headers.names.join(", ")),
        };
        let value = |s: String| HeaderValue::from_str(&s).ok();
        let values = Values {
            allow_methods: value(allow_methods).unwrap_or(HeaderValue::from_static("")),
            allow_headers: allow_headers.and_then(value),
            expose_headers: expose.and_then(value),
            max_age: self.max_age.map(|a| HeaderValue::from(a.max(0))),
        };
        Ok(Policy {
            origins,
            methods,
            headers,
            credentials,
            private_network: self.private_network,
            preflight_status: self.preflight_status,
            values,
            predicate: self
                .predicate
                .map(|p| p.secure_only((credentials && !self.insecure_origins) || self.private_network)),
            #[cfg(feature = "actix")]
            actix: std::sync::OnceLock::new(),
        })
    }
}

fn field_order(f: Field) -> u8 {
    match f {
        Field::AllowOrigins => 0,
        Field::AllowMethods => 1,
        Field::AllowHeaders => 2,
        Field::ExposeHeaders => 3,
        Field::AllowCredentials => 4,
        Field::MaxAge => 5,
        Field::AllowPrivateNetwork => 6,
        Field::PreflightStatus => 7,
    }
}

/// RFC 9110 `token`: what method and header names are made of.
pub(crate) fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| is_tchar(b))
}

pub(crate) const fn is_tchar(b: u8) -> bool {
    matches!(
        b,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~'
    ) || b.is_ascii_alphanumeric()
}

/// Request headers scripts can never set [#forbidden-request-header].
const FORBIDDEN_REQUEST: [&str; 22] = [
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "access-control-request-private-network",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];

const STANDARD_METHODS: [&str; 7] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"];

#[derive(Default)]
struct Validator {
    problems: Vec<Problem>,
}

impl Validator {
    fn push(
        &mut self,
        code: Code,
        field: Field,
        index: Option<usize>,
        value: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.problems.push(Problem {
            code,
            field,
            index,
            value: value.into(),
            message: message.into(),
            hint: hint.into(),
        });
    }

    fn origins(&mut self, b: &Builder) -> Origins {
        let f = Field::AllowOrigins;
        if b.origins.is_empty() && b.predicate.is_some() {
            return Origins::List {
                exact: OriginTable::build(Vec::new()),
                patterns: Cow::Owned(Vec::new()),
                max_len: 0,
            };
        }
        if b.origins.is_empty() {
            self.push(
                Code::OriginsEmpty,
                f,
                None,
                "",
                "allow_origins is empty, so every cross-origin request would be blocked",
                "list the origins of your front ends, e.g. [\"https://app.example.com\"]",
            );
            return Origins::Any;
        }
        let mut exact: Vec<String> = Vec::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        // Sets, not list scans: a 100,000-origin `cors!` runs this unoptimized at compile time.
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut any = false;
        for (i, o) in b.origins.iter().enumerate() {
            let spec = match origin::parse(o) {
                Ok(s) => s,
                Err(r) => {
                    self.push(r.code, f, Some(i), o.clone(), r.message, r.hint);
                    continue;
                }
            };
            let (insecure, public_suffix) = match &spec {
                Spec::Any => {
                    any = true;
                    continue;
                }
                Spec::Exact(e) => (exact_is_insecure(e), false),
                Spec::Pattern(p) => (p.is_insecure(), p.subdomains && origin::is_public_suffix(&p.host)),
            };
            if let Some(&first) = seen.get(o.as_str()) {
                self.push(
                    Code::OriginDuplicate,
                    f,
                    Some(i),
                    o.clone(),
                    format!("origin `{o}` is listed twice (first at allow_origins[{first}])"),
                    "remove the repeated entry",
                );
                continue;
            }
            seen.insert(o, i);
            if b.credentials && public_suffix && !b.public_suffix_wildcards {
                self.push(
                    Code::PublicSuffixWildcard,
                    f,
                    Some(i),
                    o.clone(),
                    format!("origin pattern `{o}` matches every site under a public suffix, so any stranger's site could read credentialed responses"),
                    "list your own domains (`https://*.yourdomain.com`), or set dangerously_allow_public_suffix_wildcards if you really mean it",
                );
            }
            if b.credentials && insecure && !b.insecure_origins {
                self.push(
                    Code::InsecureOriginWithCredentials,
                    f,
                    Some(i),
                    o.clone(),
                    format!("origin `{o}` is plain http, so a network attacker can forge it and read credentialed responses"),
                    "use https (http is fine for localhost and loopback addresses), or set dangerously_allow_insecure_origins",
                );
            }
            if b.private_network && insecure {
                self.push(
                    Code::PrivateNetworkWithInsecureOrigin,
                    f,
                    Some(i),
                    o.clone(),
                    format!("allow_private_network opens private-network resources to origin `{o}`, which is plain http and forgeable"),
                    "use an https origin, or turn allow_private_network off",
                );
            }
            match spec {
                Spec::Exact(e) => exact.push(e),
                Spec::Pattern(p) => patterns.push(p),
                Spec::Any => {}
            }
        }
        if any && b.origins.len() > 1 {
            let i = b.origins.iter().position(|o| o == "*");
            self.push(
                Code::OriginWildcardMixed,
                f,
                i,
                "*",
                "`*` allows every origin, so listing other origins beside it means one of them is a mistake",
                "keep either `*` alone or the explicit origins",
            );
        }
        if any && b.predicate.is_some() {
            let i = b.origins.iter().position(|o| o == "*");
            self.push(
                Code::OriginWildcardMixed,
                f,
                i,
                "*",
                "`*` allows every origin, so the allow_origin_fn predicate beside it would never be asked",
                "keep either `*` alone or the predicate (with any explicit origins)",
            );
        }
        if any && b.credentials {
            self.push(
                Code::WildcardOriginWithCredentials,
                Field::AllowCredentials,
                None,
                "true",
                "credentials cannot be allowed for every origin (`allow_origins: *`): browsers reject `Access-Control-Allow-Origin: *` on credentialed requests, and echoing any origin would let every site read your users' data",
                "list the allowed origins explicitly, e.g. [\"https://app.example.com\"], or set allow_credentials: false",
            );
        }
        if any && b.private_network {
            self.push(
                Code::PrivateNetworkWithWildcardOrigin,
                Field::AllowPrivateNetwork,
                None,
                "true",
                "private network access cannot be allowed for every origin (`allow_origins: *`): any public site could then reach this private-network server",
                "list the allowed origins explicitly, or set allow_private_network: false",
            );
        }
        if any {
            return Origins::Any;
        }
        let max_len = exact
            .iter()
            .map(String::len)
            .chain(patterns.iter().map(Pattern::max_len))
            .max()
            .unwrap_or(0);
        Origins::List {
            exact: OriginTable::build(exact),
            patterns: Cow::Owned(patterns),
            max_len,
        }
    }

    fn methods(&mut self, methods: Option<&[String]>) -> Methods {
        let f = Field::AllowMethods;
        let Some(methods) = methods else {
            return Methods::List(Cow::Borrowed(&[]));
        };
        if methods.iter().any(|m| m == "*") {
            if methods.len() > 1 {
                let i = methods.iter().position(|m| m == "*");
                self.push(
                    Code::MethodWildcardMixed,
                    f,
                    i,
                    "*",
                    "`*` allows every method, so listing others beside it is redundant or a mistake",
                    "keep either `*` alone or the explicit methods",
                );
            }
            return Methods::Any;
        }
        let mut out: Vec<Text> = Vec::new();
        for (i, m) in methods.iter().enumerate() {
            if m.is_empty() {
                self.push(
                    Code::MethodInvalid,
                    f,
                    Some(i),
                    m.clone(),
                    "the method is empty",
                    "remove the empty entry, or write a method such as \"PUT\"",
                );
            } else if !is_token(m.as_bytes()) {
                self.push(
                    Code::MethodInvalid,
                    f,
                    Some(i),
                    m.clone(),
                    format!(
                        "`{}` is not an HTTP method (a token of letters, digits and !#$%&'*+-.^_`|~)",
                        m.escape_debug()
                    ),
                    "write the method name, e.g. \"PUT\"",
                );
            } else if ["CONNECT", "TRACE", "TRACK"].iter().any(|x| x.eq_ignore_ascii_case(m)) {
                self.push(
                    Code::MethodForbidden,
                    f,
                    Some(i),
                    m.clone(),
                    format!("method `{m}` is forbidden by the Fetch Standard; browsers never send it"),
                    "remove it",
                );
            } else if let Some(std) = STANDARD_METHODS.iter().find(|s| s.eq_ignore_ascii_case(m) && *s != m) {
                self.push(
                    Code::MethodCase,
                    f,
                    Some(i),
                    m.clone(),
                    format!("method `{m}` is case-sensitive and clients send `{std}`, so `{m}` would never match"),
                    format!("write {std}"),
                );
            } else if out.iter().any(|o| o == m) {
                self.push(
                    Code::MethodDuplicate,
                    f,
                    Some(i),
                    m.clone(),
                    format!("method `{m}` is listed twice"),
                    "remove the repeated entry",
                );
            } else {
                out.push(Cow::Owned(m.clone()));
            }
        }
        Methods::List(Cow::Owned(out))
    }

    fn request_headers(&mut self, headers: &[String]) -> RequestHeaders {
        let f = Field::AllowHeaders;
        let mut any = false;
        let mut names: Vec<Text> = Vec::new();
        for (i, h) in headers.iter().enumerate() {
            let lower = h.to_ascii_lowercase();
            if h == "*" {
                if any {
                    self.push(
                        Code::HeaderDuplicate,
                        f,
                        Some(i),
                        h.clone(),
                        "`*` is listed twice",
                        "remove the repeated entry",
                    );
                }
                any = true;
            } else if !is_token(h.as_bytes()) {
                let (message, hint) = bad_name(h, "x-api-key");
                self.push(Code::HeaderInvalid, f, Some(i), h.clone(), message, hint);
            } else if FORBIDDEN_REQUEST.contains(&lower.as_str())
                || lower.starts_with("sec-")
                || lower.starts_with("proxy-")
            {
                self.push(Code::HeaderForbidden, f, Some(i), h.clone(), format!("`{lower}` is a forbidden request header: browsers set it themselves and never list it in a preflight"), "remove it");
            } else if lower.starts_with("access-control-allow-")
                || lower == "access-control-expose-headers"
                || lower == "access-control-max-age"
            {
                self.push(
                    Code::HeaderResponseOnly,
                    f,
                    Some(i),
                    h.clone(),
                    format!("`{lower}` is a response header; the server sends it, requests never carry it"),
                    "remove it (the policy itself produces the CORS response headers)",
                );
            } else if names.iter().any(|n| *n == lower) {
                self.push(
                    Code::HeaderDuplicate,
                    f,
                    Some(i),
                    h.clone(),
                    format!("request header `{lower}` is listed twice (names are case-insensitive)"),
                    "remove the repeated entry",
                );
            } else {
                names.push(Cow::Owned(lower));
            }
        }
        let max_len = names.iter().map(|n| n.len()).max().unwrap_or(0);
        RequestHeaders {
            any,
            names: Cow::Owned(names),
            max_len,
        }
    }

    fn expose(&mut self, headers: &[String], credentials: bool) -> Option<String> {
        let f = Field::ExposeHeaders;
        let mut names: Vec<String> = Vec::new();
        for (i, h) in headers.iter().enumerate() {
            let lower = h.to_ascii_lowercase();
            if h == "*" && credentials {
                self.push(
                    Code::ExposeWildcardWithCredentials,
                    f,
                    Some(i),
                    h.clone(),
                    "expose_headers: * does not work with credentials: browsers then read `*` as a header literally named \"*\"",
                    "list the response headers scripts need to read, e.g. [\"x-request-id\"]",
                );
            } else if h != "*" && !is_token(h.as_bytes()) {
                let (message, hint) = bad_name(h, "x-request-id");
                self.push(Code::ExposeInvalid, f, Some(i), h.clone(), message, hint);
            } else if lower == "set-cookie" || lower == "set-cookie2" {
                self.push(
                    Code::ExposeSetCookie,
                    f,
                    Some(i),
                    h.clone(),
                    format!("`{lower}` can never be exposed: browsers hide it from scripts whatever the server says"),
                    "remove it; cookies reach the browser anyway when credentials are on",
                );
            } else if lower == "origin" || lower.starts_with("access-control-request-") {
                self.push(
                    Code::ExposeRequestOnly,
                    f,
                    Some(i),
                    h.clone(),
                    format!("`{lower}` is a request header; responses never carry it"),
                    "remove it",
                );
            } else if names.contains(&lower) {
                self.push(
                    Code::ExposeDuplicate,
                    f,
                    Some(i),
                    h.clone(),
                    format!("exposed header `{lower}` is listed twice (names are case-insensitive)"),
                    "remove the repeated entry",
                );
            } else {
                names.push(lower);
            }
        }
        (!names.is_empty()).then(|| names.join(", "))
    }
}

/// What is wrong with a header name that is not a token, and the fix.
fn bad_name(h: &str, example: &str) -> (String, String) {
    let trimmed = h.trim();
    if h.is_empty() {
        return (
            "the header name is empty".into(),
            format!("remove the empty entry, or write a name such as \"{example}\""),
        );
    }
    if h.contains(',') {
        let names: Vec<String> = h.split(',').map(|n| format!("\"{}\"", n.trim())).collect();
        return (
            format!("`{h}` holds several names in one entry"),
            format!("list them separately: {}", names.join(", ")),
        );
    }
    if trimmed != h && is_token(trimmed.as_bytes()) {
        return (
            format!("header name `{}` has white space around it", h.escape_debug()),
            format!("write \"{}\"", trimmed.to_ascii_lowercase()),
        );
    }
    (
        format!(
            "`{}` is not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)",
            h.escape_debug()
        ),
        format!("write the header name alone, e.g. \"{example}\""),
    )
}

fn exact_is_insecure(origin: &str) -> bool {
    let Some((scheme, authority)) = origin.split_once("://") else {
        return false;
    };
    let host = match authority.strip_prefix('[') {
        Some(_) => authority.split_inclusive(']').next().unwrap_or(authority),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    origin::is_insecure(scheme, host, false)
}
