//! The policy model: [`Policy`], what it matches and sends, and [`Parts`], the
//! one hidden way the `cors!` expansion builds it from validated static data.

use std::fmt;

use http::HeaderValue;

use crate::engine::AllowOrigin;
use crate::origin::{self, List, OriginPredicate, OriginTable, Pattern, Schemes, Text};

mod builder;
mod names;
mod validate;
mod values;

pub use builder::Builder;
pub(crate) use names::{is_tchar, is_token};
pub(crate) use values::shared;
pub use values::{AllowHeaders, AllowMethods, PreflightStatus, Values};

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
        /// `https://*` and `http://*`: every canonical origin of the scheme.
        schemes: Schemes,
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
    /// The hash table over `names` (`crate::engine::request_headers::slots`).
    pub slots: List<u32>,
    /// The longest `Access-Control-Request-Headers` value (all lines) the policy accepts.
    pub max_list: usize,
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
    pub(crate) parts: Parts,
    /// `allow_origin_fn`, asked after the exact origins and patterns.
    pub(crate) predicate: Option<OriginPredicate>,
    /// The actix adapter's `http` 0.2 copies of the prebuilt values: a `cors!`
    /// expansion's, or made on first use and kept here, so a replaced
    /// [`LivePolicy`](crate::LivePolicy) takes them along.
    #[cfg(feature = "actix")]
    pub(crate) actix: crate::adapter::http02::Actix,
}

impl fmt::Debug for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let origins: Vec<String> = match &self.parts.origins {
            Origins::Any => vec!["*".into()],
            Origins::List {
                exact,
                patterns,
                schemes,
                ..
            } => exact
                .origins
                .iter()
                .map(|o| o.to_string())
                .chain(patterns.iter().map(pattern_text))
                .chain(schemes.texts().map(String::from))
                .collect(),
        };
        f.debug_struct("Policy")
            .field("allow_origins", &origins)
            .field("allow_origin_fn", &self.predicate.is_some())
            .field("allow_methods", &self.parts.values.allow_methods)
            .field("allow_headers", &self.parts.headers.names)
            .field("allow_any_header", &self.parts.headers.any)
            .field("expose_headers", &self.parts.values.expose_headers)
            .field("allow_credentials", &self.parts.credentials)
            .field("max_age", &self.parts.values.max_age)
            .field("allow_private_network", &self.parts.private_network)
            .field("preflight_status", &self.parts.preflight_status.as_u16())
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
    /// value that parses as one canonical [`Origin`](crate::Origin).
    pub fn allows_origin(&self, origin: &[u8]) -> bool {
        self.allow_origin_for(origin).is_some()
    }

    /// How `Access-Control-Allow-Origin` answers an allowed `Origin` value: `*`, an
    /// exact origin's prebuilt value, or an echo (patterns, `https://*`); `None`
    /// when the origin is not allowed. Allocates nothing.
    #[inline(always)]
    pub(crate) fn allow_origin_for(&self, origin: &[u8]) -> Option<AllowOrigin> {
        match &self.parts.origins {
            Origins::Any => Some(AllowOrigin::Any),
            Origins::List {
                exact,
                patterns,
                schemes,
                max_len,
            } => {
                // Longer than every allowed origin: not hashed, not parsed.
                let fits = !origin.is_empty() && origin.len() <= *max_len;
                if fits {
                    if let Some(index) = exact.find(origin) {
                        return Some(AllowOrigin::Listed(index));
                    }
                }
                let matchers = fits && (!patterns.is_empty() || schemes.https || schemes.http);
                if matchers || self.predicate.is_some() {
                    return self.allow_unlisted_origin(origin, matchers);
                }
                None
            }
        }
    }

    /// [`Policy::allow_origin_for`] of an origin not among the exact ones: the
    /// patterns and schemes (when `matchers`: there are some, and the origin is no
    /// longer than the longest allowed one), then the predicate. Out of line, so
    /// the exact lookup stays small.
    #[inline(never)]
    fn allow_unlisted_origin(&self, origin: &[u8], matchers: bool) -> Option<AllowOrigin> {
        if let Origins::List { patterns, schemes, .. } = &self.parts.origins {
            if matchers && (patterns.iter().any(|p| p.matches(origin)) || schemes.matches(origin)) {
                return Some(AllowOrigin::Echo);
            }
        }
        // Only a single canonical origin reaches the predicate; it is echoed.
        let predicate = self.predicate.as_ref();
        predicate.is_some_and(|p| p.allows(origin)).then_some(AllowOrigin::Echo)
    }

    /// Is an origin predicate ([`Builder::allow_origin_fn`]) asked?
    pub fn has_origin_fn(&self) -> bool {
        self.predicate.is_some()
    }

    /// The prebuilt `Access-Control-Allow-Origin` value of exact origin `index`
    /// ([`AllowOrigin::Listed`]); `None` for an index this policy does not have.
    #[inline]
    pub(crate) fn listed_origin(&self, index: u32) -> Option<HeaderValue> {
        match &self.parts.origins {
            Origins::List { exact, .. } => exact.value(index),
            Origins::Any => None,
        }
    }

    /// Is `Access-Control-Allow-Credentials: true` sent?
    pub fn allows_credentials(&self) -> bool {
        self.parts.credentials
    }

    /// Does the policy answer with the constant `Access-Control-Allow-Origin: *`?
    /// Then responses do not depend on the request's origin and need no `Vary: Origin`.
    pub fn is_any_origin(&self) -> bool {
        matches!(self.parts.origins, Origins::Any)
    }

    /// Is Private Network Access opted into?
    pub fn allows_private_network(&self) -> bool {
        self.parts.private_network
    }

    /// The status of a successful preflight: 204 unless the policy chose 200.
    pub fn preflight_status(&self) -> u16 {
        self.parts.preflight_status.as_u16()
    }

    /// A prebuilt header value of this policy (for adapters on other `http` versions,
    /// which convert each once).
    #[inline(always)]
    pub fn prebuilt(&self, which: Prebuilt) -> Option<&HeaderValue> {
        match which {
            Prebuilt::AllowMethods => self.parts.values.allow_methods.prebuilt(),
            Prebuilt::AllowHeaders => self.parts.values.allow_headers.prebuilt(),
            Prebuilt::ExposeHeaders => self.parts.values.expose_headers.as_ref(),
            Prebuilt::MaxAge => self.parts.values.max_age.as_ref(),
        }
    }
}

/// A validated policy taken apart, for the `cors!` expansion. Not public API: the
/// fields are public only because the expansion builds this in the user's crate.
/// Nothing but the macro may write one, since a `Policy` built from parts skips
/// validation; the layout changes with any release (the crates pin `=` versions).
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct Parts {
    /// Which origins are allowed.
    pub origins: Origins,
    /// Which methods are allowed.
    pub methods: Methods,
    /// Which request headers are allowed.
    pub headers: RequestHeaders,
    /// `Access-Control-Allow-Credentials: true`.
    pub credentials: bool,
    /// Private Network Access is answered.
    pub private_network: bool,
    /// The status of a successful preflight.
    pub preflight_status: PreflightStatus,
    /// The prebuilt header values.
    pub values: Values,
}

/// The `cors!` expansion's constructor, not public API: the parts come from a
/// policy that [`Builder::build`] validated when the macro ran. Reached only
/// through `__private`; see [`Parts`].
#[doc(hidden)]
pub const fn from_parts(parts: Parts) -> Policy {
    Policy {
        parts,
        predicate: None,
        #[cfg(feature = "actix")]
        actix: crate::adapter::http02::Actix::Lazy(std::sync::OnceLock::new()),
    }
}

/// [`from_parts`] with the actix adapter's values built by the expansion too
/// (`__private::policy!`), not public API.
#[cfg(feature = "actix")]
#[doc(hidden)]
pub const fn from_parts_actix(parts: Parts, actix: &'static crate::adapter::http02::ActixValues) -> Policy {
    Policy {
        parts,
        predicate: None,
        actix: crate::adapter::http02::Actix::Static(actix),
    }
}

/// A built policy's parts, for the `cors!` expansion (which turns them into static data).
#[doc(hidden)]
pub fn parts(policy: &Policy) -> &Parts {
    &policy.parts
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
