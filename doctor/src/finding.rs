//! A finding: one cross-origin request's verdict, named as Chromium names it, with
//! the console line a developer sees and a fix naming the likely cause.

use serde::Serialize;

use crate::check::{Blocked, ResponseHead, Warning};
use crate::cors_error::CorsError;
use crate::request::{PageRequest, Preflight};

/// Whether the page could read the response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The CORS checks passed (the page reads the response, whatever its status).
    Allowed,
    /// The browser blocked the read: `fetch()` rejects with a `TypeError`.
    Blocked,
}

/// One HTTP exchange of a request: its preflight, a redirect hop, or the final response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    /// `preflight`, `request`.
    pub kind: &'static str,
    /// The method sent.
    pub method: String,
    /// The URL sent to.
    pub url: String,
    /// The `Origin` sent (`null` after a cross-origin redirect).
    pub origin: String,
    /// The response's status.
    pub status: u16,
    /// What the browser made of it.
    pub outcome: String,
}

/// The verdict on one cross-origin request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The URL the page fetched.
    pub url: String,
    /// The method the page used (normalized as `fetch` does).
    pub method: String,
    /// The page's origin.
    pub origin: String,
    /// Whether a preflight went first.
    pub preflight: bool,
    /// Allowed or blocked.
    pub verdict: Verdict,
    /// Chromium's `Network.CorsError`, when blocked by CORS.
    pub cors_error: Option<CorsError>,
    /// Chromium's `failedParameter`, when it has one.
    pub failed_parameter: Option<String>,
    /// The console line (when blocked) or a one-line summary.
    pub message: String,
    /// What to change, naming the likely cause; empty when there is nothing to fix.
    pub fix: String,
    /// What Chromium allows today but the standard refuses.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Each exchange, in order (human output; not part of `--json`).
    #[serde(skip)]
    pub steps: Vec<Step>,
}

/// Chromium's reason text for `error` (the part after "blocked by CORS policy: ").
pub(crate) fn reason(blocked: &Blocked) -> String {
    use CorsError::*;
    let p = blocked.failed_parameter.as_deref().unwrap_or_default();
    let preflight = "Response to preflight request doesn't pass access control check: ";
    let acao = match blocked.error {
        MissingAllowOriginHeader | PreflightMissingAllowOriginHeader => {
            "No 'Access-Control-Allow-Origin' header is present on the requested resource.".to_owned()
        }
        WildcardOriginNotAllowed | PreflightWildcardOriginNotAllowed => "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.".to_owned(),
        MultipleAllowOriginValues | PreflightMultipleAllowOriginValues => {
            format!("The 'Access-Control-Allow-Origin' header contains multiple values '{p}', but only one is allowed.")
        }
        InvalidAllowOriginValue | PreflightInvalidAllowOriginValue => {
            format!("The 'Access-Control-Allow-Origin' header contains the invalid value '{p}'.")
        }
        AllowOriginMismatch | PreflightAllowOriginMismatch => format!(
            "The 'Access-Control-Allow-Origin' header has a value '{p}' that is not equal to the supplied origin."
        ),
        InvalidAllowCredentials | PreflightInvalidAllowCredentials => format!("The value of the 'Access-Control-Allow-Credentials' header in the response is '{p}' which must be 'true' when the request's credentials mode is 'include'."),
        PreflightInvalidStatus => "It does not have HTTP ok status.".to_owned(),
        PreflightDisallowedRedirect => "Redirect is not allowed for a preflight request.".to_owned(),
        InvalidAllowMethodsPreflightResponse => {
            return "Cannot parse Access-Control-Allow-Methods response header field in preflight response.".to_owned()
        }
        InvalidAllowHeadersPreflightResponse => {
            return "Cannot parse Access-Control-Allow-Headers response header field in preflight response.".to_owned()
        }
        MethodDisallowedByPreflightResponse => {
            return format!("Method {p} is not allowed by Access-Control-Allow-Methods in preflight response.")
        }
        HeaderDisallowedByPreflightResponse => {
            return format!("Request header field {p} is not allowed by Access-Control-Allow-Headers in preflight response.")
        }
        RedirectContainsCredentials => {
            return format!("Redirect location '{p}' contains a username and password, which is disallowed for cross-origin requests.")
        }
        // Chromium's list of CORS-enabled schemes, as Chromium 148 prints it (the
        // list changes between versions; cli/tests/chromium.rs compares it with
        // the installed one).
        CorsDisabledScheme => {
            return "Cross origin requests are only supported for protocol schemes: chrome, chrome-extension, chrome-untrusted, data, http, https, isolated-app.".to_owned()
        }
        InvalidResponse => return "The response is invalid.".to_owned(),
        other => return format!("{other}."),
    };
    let acao = match blocked.error {
        MultipleAllowOriginValues
        | PreflightMultipleAllowOriginValues
        | InvalidAllowOriginValue
        | PreflightInvalidAllowOriginValue
        | AllowOriginMismatch
        | PreflightAllowOriginMismatch => format!("{acao} Have the server send the header with a valid value."),
        _ => acao,
    };
    if blocked.error.is_preflight() {
        format!("{preflight}{acao}")
    } else {
        acao
    }
}

/// The console line: "Access to fetch at 'URL' [(redirected from 'FIRST')] from origin 'O' has been blocked by CORS policy: ...".
pub fn console_message(blocked: &Blocked, request: &PageRequest, final_url: &str) -> String {
    let redirected = if final_url == request.url {
        String::new()
    } else {
        format!(" (redirected from '{}')", request.url)
    };
    format!(
        "Access to fetch at '{final_url}'{redirected} from origin '{}' has been blocked by CORS policy: {}",
        request.origin,
        reason(blocked)
    )
}

/// Text for a warning.
pub(crate) fn warning_text(w: &Warning) -> String {
    match w {
        Warning::AuthorizationCoveredByWildcard => "Chromium let `Access-Control-Allow-Headers: *` cover `authorization` with a deprecation warning; the Fetch Standard (and corsair) refuse it, and browsers that follow it block this request: list it, `allow_headers: [\"*\", \"authorization\"],` (or add `authorization` to Access-Control-Allow-Headers)".to_owned(),
    }
}

fn status_cause(status: u16, resp: &ResponseHead, request: &PageRequest, preflight: bool) -> Option<String> {
    let what = if preflight {
        "the preflight (OPTIONS)"
    } else {
        "the response"
    };
    if request
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("x-apigw-api-id"))
        && preflight
    {
        return Some("the request sets `x-apigw-api-id` (a private REST API called through its VPC endpoint): that header forces a preflight, the preflight carries no such header, so it never reaches the API; call the API by its private DNS name (or the endpoint's `Host` mapping) without `x-apigw-api-id`".to_owned());
    }
    if resp.body_start.contains("Missing Authentication Token") {
        return Some(format!("API Gateway answered {status} \"Missing Authentication Token\": no resource matches this path and method (a wrong path or stage, or no OPTIONS method on the resource); check the URL and enable CORS on that resource"));
    }
    Some(match status {
        401 | 403 if preflight => format!("{what} got {status}: an authorizer or auth middleware in front of CORS rejects it; a preflight never carries credentials, so let OPTIONS through unauthenticated (with corsair, put the CORS layer outside the auth layer: it answers preflights before any handler)"),
        401 | 403 => format!("the {status} response has no CORS headers: the auth middleware or gateway (API Gateway's DEFAULT_4XX gateway response) answers without the CORS layer; put the CORS layer outermost so error responses get the headers too"),
        404 | 405 | 501 if preflight => format!("{what} got {status}: no OPTIONS route (or a server that does not implement OPTIONS), e.g. a method router or a catch-all route answers before CORS; put the CORS layer in front of routing (corsair answers every preflight itself)"),
        400..=499 => format!("the {status} response has no CORS headers: an error path (framework error handler, API Gateway DEFAULT_4XX) answers without the CORS layer; put the CORS layer outermost"),
        500..=599 => format!("{what} failed with {status} and no CORS headers: a crash or a gateway error response (API Gateway DEFAULT_5XX) without the CORS layer; put the CORS layer outermost so errors reach the page readable"),
        _ => return None,
    })
}

fn origins_line(origin: &str) -> String {
    format!("`allow_origins: [\"{origin}\"],`")
}

/// The fix for `blocked`, naming the likely cause, with the `cors!` line to add.
pub(crate) fn fix(
    blocked: &Blocked,
    request: &PageRequest,
    preflight: Option<&Preflight>,
    resp: &ResponseHead,
    after_good_preflight: bool,
) -> String {
    use CorsError::*;
    let origin = &request.origin;
    let p = blocked.failed_parameter.as_deref().unwrap_or_default();
    let is_pf = blocked.error.is_preflight();
    match blocked.error {
        MissingAllowOriginHeader | PreflightMissingAllowOriginHeader => {
            if let Some(cause) = status_cause(resp.status, resp, request, is_pf).filter(|_| resp.status >= 300) {
                return cause;
            }
            if let Some(location) = resp.redirect_location() {
                return format!("the redirect ({} to '{location}') has no Access-Control-Allow-Origin: browsers run the CORS check on every hop; add the CORS headers to the redirect too (wrap the redirecting route in the CORS layer), or call the final URL directly", resp.status);
            }
            if after_good_preflight {
                return "the preflight passed but the actual response has no Access-Control-Allow-Origin: the CORS layer answers OPTIONS but this route's response bypasses it (a handler mounted outside the layer, a proxy stripping headers); wrap the whole app".to_owned();
            }
            format!("the server sends no Access-Control-Allow-Origin (no CORS layer, or it does not allow this origin); allow it: {}", origins_line(origin))
        }
        WildcardOriginNotAllowed | PreflightWildcardOriginNotAllowed => format!("`*` never works with credentials: echo the origin and allow credentials, {} `allow_credentials: true,` (or send the request without credentials)", origins_line(origin)),
        MultipleAllowOriginValues | PreflightMultipleAllowOriginValues => format!("Access-Control-Allow-Origin must hold exactly one origin, got '{p}': two layers add it (the framework and a proxy or gateway), or a list was configured as one value; keep one CORS layer, which echoes the matching origin: {}", origins_line(origin)),
        InvalidAllowOriginValue | PreflightInvalidAllowOriginValue => format!("'{p}' is not an origin: browsers compare it byte for byte with the request's Origin (patterns like `*.example.com` mean nothing to them); match server-side and echo: {}", origins_line(origin)),
        AllowOriginMismatch | PreflightAllowOriginMismatch => {
            if p.trim_end_matches('/') == origin.as_str() {
                format!("the allowed origin '{p}' has a trailing slash; an origin is scheme://host[:port], no path: {}", origins_line(origin))
            } else if p.eq_ignore_ascii_case(origin) {
                format!("'{p}' differs from '{origin}' only in case, and browsers compare byte for byte: {}", origins_line(origin))
            } else {
                format!("the server answers with a fixed origin '{p}', not this page's; echo the request's origin when it is allowed: `allow_origins: [\"{p}\", \"{origin}\"],`")
            }
        }
        InvalidAllowCredentials | PreflightInvalidAllowCredentials => format!("with credentials the response needs `Access-Control-Allow-Credentials: true` exactly (got '{p}'): `allow_credentials: true,` (lower-case `true`, one line)"),
        PreflightInvalidStatus => status_cause(resp.status, resp, request, true).unwrap_or_else(|| format!("the preflight got {}; it must be 2xx (corsair answers 204)", resp.status)),
        PreflightDisallowedRedirect => format!("the preflight was redirected{}: browsers never follow a redirect on a preflight; call the final URL directly (http to https, a trailing slash, a login redirect from auth middleware)", resp.header("location").map(|l| format!(" to '{l}'")).unwrap_or_default()),
        InvalidAllowMethodsPreflightResponse => "Access-Control-Allow-Methods must be a comma-separated list of method tokens (no quotes, no `;`); let the CORS layer write it: `allow_methods: [...]`".to_owned(),
        InvalidAllowHeadersPreflightResponse => "Access-Control-Allow-Headers must be a comma-separated list of header names (no quotes, no `;`); let the CORS layer write it: `allow_headers: [...]`".to_owned(),
        MethodDisallowedByPreflightResponse => {
            if p.bytes().any(|b| b.is_ascii_lowercase()) {
                format!("method `{p}` is sent as written (fetch upper-cases only DELETE, GET, HEAD, OPTIONS, POST, PUT) and methods compare case-sensitively: write `method: '{}'` in the page, or allow `{p}`: `allow_methods: [\"{p}\"],`", p.to_ascii_uppercase())
            } else {
                format!("the preflight does not allow `{p}`: `allow_methods: [{p}],` (with the methods already allowed)")
            }
        }
        HeaderDisallowedByPreflightResponse => {
            if p == "x-apigw-api-id" {
                return status_cause(resp.status, resp, request, true).unwrap_or_default();
            }
            let star = resp.header("access-control-allow-headers").is_some_and(|h| h.split(',').any(|s| s.trim() == "*"));
            if star && request.credentials.include() {
                format!("with credentials `Access-Control-Allow-Headers: *` is the literal name `*`; list `{p}`: `allow_headers: [\"{p}\"],`")
            } else {
                format!("request header `{p}` is not listed in Access-Control-Allow-Headers: `allow_headers: [\"{p}\"],`{}", preflight.filter(|pf| pf.headers.len() > 1).map(|pf| format!(" (this request also sends {})", pf.headers.join(", "))).unwrap_or_default())
            }
        }
        RedirectContainsCredentials => "the redirect's Location carries a user name or password: redirect to a URL without `user:pass@`".to_owned(),
        CorsDisabledScheme => "the request (or a redirect) goes to a scheme other than http or https: serve it over https".to_owned(),
        InvalidResponse => "there was no HTTP response (the connection failed or was reset)".to_owned(),
        _ => String::new(),
    }
}
