//! The browser's checks over one response: the Fetch Standard's CORS check
//! [#cors-check] and CORS-preflight fetch [#cors-preflight-fetch], in the order
//! Chromium runs them (origin headers before the preflight's status).

use crate::cors_error::CorsError;
use crate::request::{is_safelisted_method, Credentials, Preflight};

/// A response's status and header lines, as received (several lines of one name kept apart).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResponseHead {
    /// The HTTP status; 0 when the HAR recorded none.
    pub status: u16,
    /// Header lines in order, names in any case.
    pub headers: Vec<(String, String)>,
    /// The start of the body, when known (an API Gateway "Missing Authentication Token" tells a wrong path).
    pub body_start: String,
}

impl ResponseHead {
    /// Every line named `name` (case-insensitive), trimmed, joined with `", "`, as
    /// Chromium reads a header; `None` when there is no such line.
    pub fn header(&self, name: &str) -> Option<String> {
        let mut lines = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim_matches([' ', '\t']));
        let first = lines.next()?;
        Some(lines.fold(first.to_owned(), |acc, v| acc + ", " + v))
    }

    /// The `Location` of a redirect (301, 302, 303, 307, 308 with a `Location`), if this is one.
    pub fn redirect_location(&self) -> Option<String> {
        matches!(self.status, 301 | 302 | 303 | 307 | 308)
            .then(|| self.header("location"))
            .flatten()
    }
}

/// Why the browser refused: Chromium's error and its failed parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blocked {
    /// The `Network.CorsError` value.
    pub error: CorsError,
    /// `corsErrorStatus.failedParameter` (the offending value or name); `None` for Chromium's empty string.
    pub failed_parameter: Option<String>,
}

impl Blocked {
    fn new(error: CorsError, failed_parameter: impl Into<String>) -> Self {
        let p = failed_parameter.into();
        Blocked {
            error,
            failed_parameter: (!p.is_empty()).then_some(p),
        }
    }
}

/// Something Chromium lets through today but the Fetch Standard refuses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// `Access-Control-Allow-Headers: *` covered `authorization` (Chromium's
    /// deprecation "AuthorizationCoveredByWildcard"; the standard and corsair refuse it).
    AuthorizationCoveredByWildcard,
}

/// Which response the access check reads, so the error gets Chromium's name for it.
#[derive(Clone, Copy)]
enum Stage {
    Actual,
    Preflight,
}

fn pick(stage: Stage, actual: CorsError, preflight: CorsError) -> CorsError {
    match stage {
        Stage::Actual => actual,
        Stage::Preflight => preflight,
    }
}

/// Chromium accepts an `Access-Control-Allow-Origin` value as a URL when it has a
/// scheme (`letter *(letter / digit / "+" / "-" / ".") ":"`) and, for a special
/// scheme, a host. Only used to tell `InvalidAllowOriginValue` from a mismatch.
fn looks_like_url(v: &str) -> bool {
    url::Url::parse(v).is_ok()
}

fn check_origin(stage: Stage, resp: &ResponseHead, origin: &str, credentials: Credentials) -> Result<(), Blocked> {
    use CorsError::*;
    if resp.status == 0 {
        return Err(Blocked::new(InvalidResponse, ""));
    }
    match resp.header("access-control-allow-origin") {
        None => {
            return Err(Blocked::new(
                pick(stage, MissingAllowOriginHeader, PreflightMissingAllowOriginHeader),
                "",
            ))
        }
        Some(v) if v == "*" => {
            if credentials.include() {
                return Err(Blocked::new(
                    pick(stage, WildcardOriginNotAllowed, PreflightWildcardOriginNotAllowed),
                    "",
                ));
            }
            return Ok(());
        }
        Some(v) if v != origin => {
            let error = if v.contains([' ', ',']) {
                pick(stage, MultipleAllowOriginValues, PreflightMultipleAllowOriginValues)
            } else if v != "null" && !looks_like_url(&v) {
                pick(stage, InvalidAllowOriginValue, PreflightInvalidAllowOriginValue)
            } else {
                pick(stage, AllowOriginMismatch, PreflightAllowOriginMismatch)
            };
            return Err(Blocked::new(error, v));
        }
        Some(_) => {}
    }
    if credentials.include() {
        let acac = resp.header("access-control-allow-credentials");
        if acac.as_deref() != Some("true") {
            return Err(Blocked::new(
                pick(stage, InvalidAllowCredentials, PreflightInvalidAllowCredentials),
                acac.unwrap_or_default(),
            ));
        }
    }
    Ok(())
}

/// The CORS check on an actual (or redirect) response [#cors-check].
pub fn check_access(resp: &ResponseHead, origin: &str, credentials: Credentials) -> Result<(), Blocked> {
    check_origin(Stage::Actual, resp, origin, credentials)
}

/// RFC 9110 token characters.
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// A comma-separated list of tokens; empty elements are skipped, `None` if one is not a token.
fn parse_list(value: Option<String>) -> Option<Vec<String>> {
    let Some(value) = value else {
        return Some(Vec::new());
    };
    value
        .split(',')
        .map(|s| s.trim_matches([' ', '\t']))
        .filter(|s| !s.is_empty())
        .map(|s| is_token(s).then(|| s.to_owned()))
        .collect()
}

/// The preflight's response, checked as Chromium does: no redirect, then the origin
/// headers, then an ok status, then the method and header lists.
pub fn check_preflight(
    resp: &ResponseHead,
    origin: &str,
    credentials: Credentials,
    preflight: &Preflight,
) -> Result<Vec<Warning>, Blocked> {
    use CorsError::*;
    if resp.redirect_location().is_some() {
        return Err(Blocked::new(PreflightDisallowedRedirect, ""));
    }
    check_origin(Stage::Preflight, resp, origin, credentials)?;
    if !(200..=299).contains(&resp.status) {
        return Err(Blocked::new(PreflightInvalidStatus, ""));
    }
    let methods = parse_list(resp.header("access-control-allow-methods"))
        .ok_or_else(|| Blocked::new(InvalidAllowMethodsPreflightResponse, ""))?;
    let headers: Vec<String> = parse_list(resp.header("access-control-allow-headers"))
        .ok_or_else(|| Blocked::new(InvalidAllowHeadersPreflightResponse, ""))?
        .into_iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let star = |list: &[String]| !credentials.include() && list.iter().any(|m| m == "*");
    let method = &preflight.method;
    if !is_safelisted_method(method) && !methods.iter().any(|m| m == method) && !star(&methods) {
        return Err(Blocked::new(MethodDisallowedByPreflightResponse, method.as_str()));
    }
    let mut warnings = Vec::new();
    for name in &preflight.headers {
        if headers.iter().any(|h| h == name) {
            continue;
        }
        if star(&headers) {
            if name == "authorization" {
                warnings.push(Warning::AuthorizationCoveredByWildcard);
            }
            continue;
        }
        return Err(Blocked::new(HeaderDisallowedByPreflightResponse, name.as_str()));
    }
    Ok(warnings)
}

/// The checks on a redirect's `Location` under CORS (Chromium's order: scheme, then credentials).
pub fn check_redirect_location(location: &url::Url) -> Result<(), Blocked> {
    if !matches!(location.scheme(), "http" | "https") {
        return Err(Blocked::new(CorsError::CorsDisabledScheme, ""));
    }
    if !location.username().is_empty() || location.password().is_some() {
        // Chromium reports no failed parameter here (its console shows `Redirect location ''`).
        return Err(Blocked::new(CorsError::RedirectContainsCredentials, ""));
    }
    Ok(())
}
