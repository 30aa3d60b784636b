//! State a policy derives once when it is built: the prebuilt header values, and
//! whether methods and request headers are answered from them or echoed.

use http::HeaderValue;

use super::{Methods, RequestHeaders};

/// Header values built once with the policy.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct Values {
    /// `Access-Control-Allow-Methods`.
    pub allow_methods: AllowMethods,
    /// `Access-Control-Allow-Headers`.
    pub allow_headers: AllowHeaders,
    /// `Access-Control-Expose-Headers`, when any are exposed.
    pub expose_headers: Option<HeaderValue>,
    /// `Access-Control-Max-Age`, when configured.
    pub max_age: Option<HeaderValue>,
}

/// How a successful preflight answers `Access-Control-Allow-Methods`.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub enum AllowMethods {
    /// This value: the listed methods, `GET, HEAD, POST` by default, or `*`.
    Prebuilt(HeaderValue),
    /// The requested method, echoed: `allow_methods: *` with credentials, where
    /// browsers read a literal `*` as a method named `*`.
    Echo,
}

/// How a successful preflight answers `Access-Control-Allow-Headers`.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub enum AllowHeaders {
    /// This value: the listed names, or `*` (with `, authorization` when listed).
    Prebuilt(HeaderValue),
    /// The requested names, echoed: `allow_headers: *` with credentials.
    Echo,
    /// No name is allowed, so a preflight that lists one is denied and no
    /// successful preflight carries this header.
    Never,
}

/// The status of a successful preflight (rule 6.13 allows no other).
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PreflightStatus {
    /// `200 OK`, for old clients that mishandle 204.
    Ok,
    /// `204 No Content`, the default.
    NoContent,
}

impl PreflightStatus {
    /// The status code.
    pub const fn as_u16(self) -> u16 {
        match self {
            PreflightStatus::Ok => 200,
            PreflightStatus::NoContent => 204,
        }
    }

    /// The status for a code, if it is one a preflight may succeed with.
    pub(crate) const fn from_u16(status: u16) -> Option<Self> {
        match status {
            200 => Some(PreflightStatus::Ok),
            204 => Some(PreflightStatus::NoContent),
            _ => None,
        }
    }
}

impl AllowMethods {
    /// The prebuilt value, unless the method is echoed.
    pub(crate) fn prebuilt(&self) -> Option<&HeaderValue> {
        match self {
            AllowMethods::Prebuilt(v) => Some(v),
            AllowMethods::Echo => None,
        }
    }
}

impl AllowHeaders {
    /// The prebuilt value, unless names are echoed or none is allowed.
    pub(crate) fn prebuilt(&self) -> Option<&HeaderValue> {
        match self {
            AllowHeaders::Prebuilt(v) => Some(v),
            AllowHeaders::Echo | AllowHeaders::Never => None,
        }
    }
}

impl Values {
    /// Builds the values of a validated policy.
    pub(crate) fn build(
        methods: &Methods,
        headers: &RequestHeaders,
        expose: Option<String>,
        max_age: Option<i64>,
        credentials: bool,
    ) -> Values {
        let allow_methods = match methods {
            Methods::Any if credentials => AllowMethods::Echo,
            Methods::Any => AllowMethods::Prebuilt(HeaderValue::from_static("*")),
            Methods::List(list) if list.is_empty() => AllowMethods::Prebuilt(HeaderValue::from_static(SAFELISTED)),
            Methods::List(list) => {
                AllowMethods::Prebuilt(joined(&list.join(", ")).unwrap_or(HeaderValue::from_static(SAFELISTED)))
            }
        };
        let allow_headers = match (headers.any, credentials) {
            (true, true) => AllowHeaders::Echo,
            (true, false) if headers.names.iter().any(|n| n == "authorization") => {
                AllowHeaders::Prebuilt(HeaderValue::from_static("*, authorization"))
            }
            (true, false) => AllowHeaders::Prebuilt(HeaderValue::from_static("*")),
            (false, _) if headers.names.is_empty() => AllowHeaders::Never,
            (false, _) => joined(&headers.names.join(", ")).map_or(AllowHeaders::Never, AllowHeaders::Prebuilt),
        };
        Values {
            allow_methods,
            allow_headers,
            expose_headers: expose.as_deref().and_then(joined),
            max_age: max_age.map(|a| shared(HeaderValue::from(a.max(0)))),
        }
    }
}

const SAFELISTED: &str = "GET, HEAD, POST";

/// A validated list joined by `, `. Validation let only tokens through, which
/// are visible ASCII, so this is always `Some`; callers fall back to a narrower
/// answer, never a wider one.
fn joined(list: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(list).ok().map(shared)
}

/// `v`, with its bytes' shared count already allocated. A header value (of
/// `http` 1 or 0.2) made from owned bytes (`from_str`, `from_bytes`, `from(i64)`)
/// allocates that count on its first clone, so a policy pays it once as it is
/// built, not the first request that sends the value (with many origins, the
/// first request from each of them).
pub(crate) fn shared<V: Clone>(v: V) -> V {
    drop(v.clone());
    v
}
