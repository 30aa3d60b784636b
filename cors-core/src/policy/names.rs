//! The validator's name lists: methods, request headers and exposed headers
//! (RULES.md rules 6.8 to 6.10), and the RFC 9110 token grammar they share.

use std::borrow::Cow;

use super::validate::{FirstSeen, Validator};
use super::{Methods, RequestHeaders};
use crate::error::{Code, Field};
use crate::origin::Text;

/// RFC 9110 `token`: what method and header names are made of.
pub(crate) fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| is_tchar(b))
}

/// RFC 9110 `tchar`: one byte of a token.
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

impl Validator {
    pub(super) fn methods(&mut self, methods: Option<&[String]>) -> Methods {
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
        let mut seen = FirstSeen::new();
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
            } else if let Some(first) = seen.first(m.as_str(), i) {
                self.push(
                    Code::MethodDuplicate,
                    f,
                    Some(i),
                    m.clone(),
                    format!("method `{m}` is listed twice (first at allow_methods[{first}])"),
                    "remove the repeated entry",
                );
            } else {
                out.push(Cow::Owned(m.clone()));
            }
        }
        Methods::List(Cow::Owned(out))
    }

    pub(super) fn request_headers(&mut self, headers: &[String]) -> RequestHeaders {
        let f = Field::AllowHeaders;
        let mut any = false;
        let mut names: Vec<Text> = Vec::new();
        let mut seen = FirstSeen::new();
        for (i, h) in headers.iter().enumerate() {
            let lower = h.to_ascii_lowercase();
            if h == "*" {
                if let Some(first) = seen.first(lower.clone(), i) {
                    self.push(
                        Code::HeaderDuplicate,
                        f,
                        Some(i),
                        h.clone(),
                        format!("`*` is listed twice (first at allow_headers[{first}])"),
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
            } else if let Some(first) = seen.first(lower.clone(), i) {
                self.push(
                    Code::HeaderDuplicate,
                    f,
                    Some(i),
                    h.clone(),
                    format!("request header `{lower}` is listed twice (first at allow_headers[{first}]; names are case-insensitive)"),
                    "remove the repeated entry",
                );
            } else {
                names.push(Cow::Owned(lower));
            }
        }
        let max_len = names.iter().map(|n| n.len()).max().unwrap_or(0);
        let (slots, max_list) = crate::engine::request_headers::table(any, &names);
        RequestHeaders {
            any,
            names: Cow::Owned(names),
            max_len,
            slots,
            max_list,
        }
    }

    pub(super) fn expose(&mut self, headers: &[String], credentials: bool) -> Option<String> {
        let f = Field::ExposeHeaders;
        let mut names: Vec<String> = Vec::new();
        let mut seen = FirstSeen::new();
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
            } else if let Some(first) = seen.first(lower.clone(), i) {
                self.push(
                    Code::ExposeDuplicate,
                    f,
                    Some(i),
                    h.clone(),
                    format!("exposed header `{lower}` is listed twice (first at expose_headers[{first}]; names are case-insensitive)"),
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
