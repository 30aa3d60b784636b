//! Chromium's names for a CORS failure: the DevTools protocol's `Network.CorsError`
//! enum, as served by Chromium 156 at `/json/protocol`, spelled exactly.

use std::fmt;

use serde::{Serialize, Serializer};

macro_rules! cors_errors {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// One value of the Chrome DevTools Protocol's `Network.CorsError`.
        ///
        /// `Display` and serde print the protocol's spelling, e.g. `PreflightInvalidStatus`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum CorsError {
            $($(#[$doc])* $name,)*
        }

        impl CorsError {
            /// Every value, in the protocol's order.
            pub const ALL: &'static [CorsError] = &[$(CorsError::$name,)*];

            /// The protocol's spelling.
            pub fn name(self) -> &'static str {
                match self {
                    $(CorsError::$name => stringify!($name),)*
                }
            }

            /// The value named `name` (exact spelling), if any.
            pub fn from_name(name: &str) -> Option<CorsError> {
                CorsError::ALL.iter().copied().find(|e| e.name() == name)
            }
        }
    };
}

cors_errors! {
    /// The request's mode forbids the cross-origin load (`same-origin`).
    DisallowedByMode,
    /// The response is not a usable HTTP response (status 0).
    InvalidResponse,
    /// `Access-Control-Allow-Origin: *` on a request with credentials.
    WildcardOriginNotAllowed,
    /// No `Access-Control-Allow-Origin` on the response.
    MissingAllowOriginHeader,
    /// `Access-Control-Allow-Origin` holds a list, or comes on several lines.
    MultipleAllowOriginValues,
    /// `Access-Control-Allow-Origin` is not a URL.
    InvalidAllowOriginValue,
    /// `Access-Control-Allow-Origin` names another origin.
    AllowOriginMismatch,
    /// `Access-Control-Allow-Credentials` is not exactly `true` on a request with credentials.
    InvalidAllowCredentials,
    /// A scheme other than http or https.
    CorsDisabledScheme,
    /// The preflight's status is not 2xx.
    PreflightInvalidStatus,
    /// The preflight was answered with a redirect.
    PreflightDisallowedRedirect,
    /// The preflight's `Access-Control-Allow-Origin: *` on a request with credentials.
    PreflightWildcardOriginNotAllowed,
    /// No `Access-Control-Allow-Origin` on the preflight response.
    PreflightMissingAllowOriginHeader,
    /// The preflight's `Access-Control-Allow-Origin` holds a list, or comes on several lines.
    PreflightMultipleAllowOriginValues,
    /// The preflight's `Access-Control-Allow-Origin` is not a URL.
    PreflightInvalidAllowOriginValue,
    /// The preflight's `Access-Control-Allow-Origin` names another origin.
    PreflightAllowOriginMismatch,
    /// The preflight's `Access-Control-Allow-Credentials` is not exactly `true`.
    PreflightInvalidAllowCredentials,
    /// Private network access: the preflight lacks `Access-Control-Allow-External` (legacy).
    PreflightMissingAllowExternal,
    /// Private network access: the preflight's `Access-Control-Allow-External` is wrong (legacy).
    PreflightInvalidAllowExternal,
    /// `Access-Control-Allow-Methods` on the preflight does not parse.
    InvalidAllowMethodsPreflightResponse,
    /// `Access-Control-Allow-Headers` on the preflight does not parse.
    InvalidAllowHeadersPreflightResponse,
    /// The method is not in the preflight's `Access-Control-Allow-Methods`.
    MethodDisallowedByPreflightResponse,
    /// A request header is not in the preflight's `Access-Control-Allow-Headers`.
    HeaderDisallowedByPreflightResponse,
    /// A redirect's `Location` carries a user name or password.
    RedirectContainsCredentials,
    /// Local network access from an insecure context.
    InsecureLocalNetwork,
    /// Local network access the target did not allow.
    InvalidLocalNetworkAccess,
    /// A `no-cors` request whose redirect mode is not `follow`.
    NoCorsRedirectModeNotFollow,
    /// The user denied local network access.
    LocalNetworkAccessPermissionDenied,
}

impl CorsError {
    /// Whether the error is about the preflight's response rather than the actual one.
    pub fn is_preflight(self) -> bool {
        self.name().starts_with("Preflight") || self.name().ends_with("PreflightResponse")
    }
}

impl fmt::Display for CorsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for CorsError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::CorsError;

    #[test]
    fn names_round_trip() {
        assert_eq!(CorsError::ALL.len(), 28);
        for e in CorsError::ALL {
            assert_eq!(CorsError::from_name(e.name()), Some(*e));
        }
        assert!(CorsError::PreflightInvalidStatus.is_preflight());
        assert!(CorsError::HeaderDisallowedByPreflightResponse.is_preflight());
        assert!(!CorsError::MissingAllowOriginHeader.is_preflight());
    }
}
