//! Every way a policy can be refused (RULES.md section 6), as values.
//! One [`Error`] carries every [`Problem`] found, each with a stable [`Code`].

use std::fmt;

/// The policy field a [`Problem`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// `allow_origins`
    AllowOrigins,
    /// `allow_methods`
    AllowMethods,
    /// `allow_headers`
    AllowHeaders,
    /// `expose_headers`
    ExposeHeaders,
    /// `allow_credentials`
    AllowCredentials,
    /// `max_age`
    MaxAge,
    /// `allow_private_network`
    AllowPrivateNetwork,
    /// `preflight_status`
    PreflightStatus,
    /// Not a policy key: the path prefix given to `CorsLayer::try_route` or
    /// `Cors::try_route` (RULES.md section 7).
    RoutePrefix,
}

impl Field {
    /// The key as written in `cors!` and in config files (`route_prefix` for
    /// [`Field::RoutePrefix`], which is not a policy key).
    pub const fn key(self) -> &'static str {
        match self {
            Field::AllowOrigins => "allow_origins",
            Field::AllowMethods => "allow_methods",
            Field::AllowHeaders => "allow_headers",
            Field::ExposeHeaders => "expose_headers",
            Field::AllowCredentials => "allow_credentials",
            Field::MaxAge => "max_age",
            Field::AllowPrivateNetwork => "allow_private_network",
            Field::PreflightStatus => "preflight_status",
            Field::RoutePrefix => "route_prefix",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

macro_rules! codes {
    (@section) => { 6 };
    (@section $section:literal) => { $section };
    ($($(#[doc = $doc:literal])* $name:ident = $rule:literal $(in section $section:literal)?,)*) => {
        /// A stable identifier for each kind of refused policy (or route prefix).
        ///
        /// [`Code::section`] and [`Code::rule`] give the RULES.md section and the
        /// numbered item of it that the code enforces: section 6 (refused policies)
        /// for every code but [`Code::RoutePrefixInvalid`], which is section 7, and
        /// [`Code::GatewayNoEquivalent`], section 9 (API Gateway configuration).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $($(#[doc = $doc])* $name,)*
        }

        impl Code {
            /// Every code, in rule order.
            pub const ALL: &'static [Code] = &[$(Code::$name,)*];

            /// The numbered item of [`Code::section`] this code enforces (1 to 13
            /// in section 6).
            pub const fn rule(self) -> u8 {
                match self { $(Code::$name => $rule,)* }
            }

            /// The RULES.md section: 6 (refused policies), 7 (per-route policies) or 9
            /// (API Gateway configuration).
            pub const fn section(self) -> u8 {
                match self { $(Code::$name => codes!(@section $($section)?),)* }
            }

            /// The code's name, e.g. `"WildcardOriginWithCredentials"`.
            pub const fn name(self) -> &'static str {
                match self { $(Code::$name => stringify!($name),)* }
            }
        }
    };
}

codes! {
    /// `allow_origins` is missing or empty.
    OriginsEmpty = 1,
    /// `*` is listed together with other origins.
    OriginWildcardMixed = 1,
    /// The same origin or pattern twice.
    OriginDuplicate = 1,
    /// `allow_origins: *` with `allow_credentials: true`.
    WildcardOriginWithCredentials = 2,
    /// The `null` origin.
    NullOrigin = 3,
    /// An opaque scheme: `file:`, `data:`, `blob:`, `about:`, `javascript:`.
    OpaqueOrigin = 3,
    /// A path, or a trailing slash, after the host.
    OriginHasPath = 4,
    /// A query (`?...`).
    OriginHasQuery = 4,
    /// A fragment (`#...`).
    OriginHasFragment = 4,
    /// Userinfo (`user@`).
    OriginHasUserinfo = 4,
    /// White space or control characters.
    OriginHasWhitespace = 4,
    /// No `scheme://`.
    OriginMissingScheme = 4,
    /// Not an origin at all (bad scheme, empty host, stray characters).
    OriginInvalid = 4,
    /// `:443` on https or `:80` on http.
    OriginDefaultPort = 5,
    /// Upper-case letters in the scheme or host.
    OriginUppercase = 5,
    /// A Unicode host (browsers send punycode).
    OriginUnicodeHost = 5,
    /// An IP literal not in its canonical form (`127.1`, `0x7f.0.0.1`, `[0:0::1]`).
    OriginNonCanonicalIp = 5,
    /// Port 0, above 65535, with a leading zero, or empty.
    OriginInvalidPort = 5,
    /// A trailing dot in the host.
    OriginTrailingDot = 5,
    /// A wildcard anywhere but a leading `*.` on a domain name.
    OriginMalformedWildcard = 6,
    /// With credentials: a wildcard on a public suffix (`https://*.com`).
    PublicSuffixWildcard = 7,
    /// With credentials: an `http://` origin that is not localhost or loopback.
    InsecureOriginWithCredentials = 7,
    /// CONNECT, TRACE or TRACK.
    MethodForbidden = 8,
    /// Not an HTTP method token.
    MethodInvalid = 8,
    /// A standard method in the wrong case (`patch`).
    MethodCase = 8,
    /// The same method twice.
    MethodDuplicate = 8,
    /// `*` listed together with other methods.
    MethodWildcardMixed = 8,
    /// Not an HTTP header name token.
    HeaderInvalid = 9,
    /// A forbidden request header (browsers never let scripts set it).
    HeaderForbidden = 9,
    /// A response header name (`access-control-allow-origin`...) listed as a request header.
    HeaderResponseOnly = 9,
    /// The same request header twice (names are case-insensitive).
    HeaderDuplicate = 9,
    /// `expose_headers: *` with credentials (browsers then read `*` as a name).
    ExposeWildcardWithCredentials = 10,
    /// `set-cookie` or `set-cookie2` (browsers never expose them).
    ExposeSetCookie = 10,
    /// A request-only name (`origin`, `access-control-request-*`).
    ExposeRequestOnly = 10,
    /// Not an HTTP header name token.
    ExposeInvalid = 10,
    /// The same exposed header twice.
    ExposeDuplicate = 10,
    /// `max_age` above 86400 seconds, or negative.
    MaxAgeTooLarge = 11,
    /// `allow_private_network: true` with `allow_origins: *`.
    PrivateNetworkWithWildcardOrigin = 12,
    /// `allow_private_network: true` with an insecure origin.
    PrivateNetworkWithInsecureOrigin = 12,
    /// A preflight success status other than 200 or 204.
    PreflightStatus = 13,
    /// A route prefix that is not a literal path prefix: missing leading `/`,
    /// route-pattern syntax (`*`, `{..}`, `:id`), white space, `?`, `#`, `%`,
    /// empty, `.` or `..` segments. Never from `cors!`: route prefixes are
    /// given to the adapters.
    RoutePrefixInvalid = 1 in section 7,
    /// An origin pattern in API Gateway's `CorsConfiguration` keys that the
    /// gateway would read differently (a subdomain or port pattern: its only
    /// patterns are `*`, `https://*` and `http://*`). Never from `cors!`: only
    /// from a config written in the gateway's keys.
    GatewayNoEquivalent = 1 in section 9,
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One thing wrong with a policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// What kind of problem this is.
    pub code: Code,
    /// The field it concerns (for combinations, the field whose value has to change).
    pub field: Field,
    /// The position in the field's list, when the field is a list.
    pub index: Option<usize>,
    /// The offending value as written.
    pub value: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.field)?;
        if let Some(i) = self.index {
            write!(f, "[{i}]")?;
        }
        write!(f, " ({}): {}; fix: {}", self.code, self.message, self.hint)
    }
}

/// A refused policy: every [`Problem`] found, not just the first.
///
/// `Debug` prints the same text as `Display` (every problem and its fix), since
/// `fn main() -> Result<(), Error>` shows an error returned by `?` through `Debug`;
/// [`Error::problems`] has the structured form.
///
/// ```
/// let err = corsair_core::Policy::builder()
///     .allow_origins(["https://example.com/", "*"])
///     .allow_methods(["patch"])
///     .build()
///     .unwrap_err();
/// assert_eq!(err.problems().len(), 3);
/// assert!(err.to_string().contains("https://example.com/"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    problems: Vec<Problem>,
}

impl Error {
    pub(crate) fn new(problems: Vec<Problem>) -> Self {
        Error { problems }
    }

    /// Every problem, in field order then list order.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// Consumes the error into its problems.
    pub fn into_problems(self) -> Vec<Problem> {
        self.problems
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [one] => write!(f, "invalid CORS policy: {one}"),
            many => {
                write!(f, "invalid CORS policy ({} problems):", many.len())?;
                for p in many {
                    write!(f, "\n  - {}", p.field)?;
                    if let Some(i) = p.index {
                        write!(f, "[{i}]")?;
                    }
                    write!(f, " ({}): {}\n    fix: {}", p.code, p.message, p.hint)?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Error {}
