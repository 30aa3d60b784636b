//! What the page asked for, and what Chromium sends for it: method normalization,
//! the CORS-safelisted request headers (Fetch Standard plus Chromium's limits) and
//! so whether a preflight goes first, with its `Access-Control-Request-*` values.

/// The request's credentials mode (`fetch(url, { credentials })`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Credentials {
    /// `omit` or `same-origin` (the default): a cross-origin response may use `*`.
    #[default]
    Omit,
    /// `include`: `*` is refused and `Access-Control-Allow-Credentials: true` is required.
    Include,
}

impl Credentials {
    /// Whether the mode is `include`.
    pub fn include(self) -> bool {
        self == Credentials::Include
    }
}

/// A cross-origin request as the page wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageRequest {
    /// The URL fetched.
    pub url: String,
    /// The method as written; see [`normalize_method`].
    pub method: String,
    /// The page's origin, serialized (`https://app.example.com`).
    pub origin: String,
    /// The headers the page set, in order (name, value).
    pub headers: Vec<(String, String)>,
    /// The credentials mode.
    pub credentials: Credentials,
}

impl PageRequest {
    /// The method Chromium sends ([`normalize_method`]).
    pub fn normalized_method(&self) -> String {
        normalize_method(&self.method)
    }

    /// The preflight Chromium sends first, or `None` when it sends none.
    pub fn preflight(&self) -> Option<Preflight> {
        preflight_for(&self.normalized_method(), &self.headers)
    }
}

/// What a preflight asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preflight {
    /// `Access-Control-Request-Method`.
    pub method: String,
    /// The names for `Access-Control-Request-Headers`: lower-cased, sorted, each once.
    pub headers: Vec<String>,
}

impl Preflight {
    /// The `Access-Control-Request-Headers` value, or `None` when no header needs listing.
    pub fn request_headers(&self) -> Option<String> {
        (!self.headers.is_empty()).then(|| self.headers.join(","))
    }
}

/// Fetch's method normalization [#concept-method-normalize]: only DELETE, GET,
/// HEAD, OPTIONS, POST and PUT are upper-cased; `patch` stays `patch`.
pub fn normalize_method(method: &str) -> String {
    const NORMALIZED: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];
    NORMALIZED
        .iter()
        .find(|m| m.eq_ignore_ascii_case(method))
        .map_or_else(|| method.to_owned(), |m| (*m).to_owned())
}

/// GET, HEAD and POST never need a preflight [#cors-safelisted-method].
pub fn is_safelisted_method(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "POST")
}

/// A header a page cannot set [#forbidden-request-header]; the browser drops it.
pub fn is_forbidden_header(name: &str) -> bool {
    const FORBIDDEN: [&str; 21] = [
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
    ];
    let lower = name.to_ascii_lowercase();
    FORBIDDEN.contains(&lower.as_str()) || lower == "via" || lower.starts_with("proxy-") || lower.starts_with("sec-")
}

/// [#cors-unsafe-request-header-byte]
fn is_unsafe_byte(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b"\"():<>?@[\\]{}\x7f".contains(&b)
}

/// Whether `(name, value)` is CORS-safelisted [#cors-safelisted-request-header],
/// with Chromium's list: the Fetch names plus its client-hint names, every value
/// at most 128 bytes.
pub fn is_safelisted_header(name: &str, value: &str) -> bool {
    if value.len() > 128 {
        return false;
    }
    let v = value.as_bytes();
    match name.to_ascii_lowercase().as_str() {
        "accept" => !v.iter().copied().any(is_unsafe_byte),
        "accept-language" | "content-language" => {
            v.iter().all(|&b| b.is_ascii_alphanumeric() || b" *,-.;=".contains(&b))
        }
        "content-type" => {
            if v.iter().copied().any(is_unsafe_byte) {
                return false;
            }
            let essence = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
            matches!(
                essence.as_str(),
                "application/x-www-form-urlencoded" | "multipart/form-data" | "text/plain"
            )
        }
        "range" => is_simple_range(value),
        // Chromium's client hints, safelisted whatever their value.
        "device-memory" | "dpr" | "width" | "viewport-width" | "save-data" | "rtt" | "downlink" | "ect" => true,
        _ => false,
    }
}

/// `bytes=N-` or `bytes=N-M` with N <= M [#simple-range-header-value].
fn is_simple_range(value: &str) -> bool {
    let Some(rest) = value.strip_prefix("bytes=") else {
        return false;
    };
    let Some((start, end)) = rest.split_once('-') else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(start) || !(end.is_empty() || digits(end)) {
        return false;
    }
    match (start.parse::<u128>(), end.parse::<u128>()) {
        (Ok(s), Ok(e)) => s <= e,
        (Ok(_), Err(_)) => end.is_empty(),
        _ => false,
    }
}

/// The names that make a preflight necessary [#cors-unsafe-request-header-names]:
/// not safelisted, or safelisted but together over 1024 bytes of values; forbidden
/// names are skipped (the browser never sends them). Lower-cased, sorted, each once.
pub fn unsafe_header_names(headers: &[(String, String)]) -> Vec<String> {
    let mut unsafe_names = Vec::new();
    let mut safelisted = Vec::new();
    let mut safelisted_size = 0usize;
    for (name, value) in headers {
        if is_forbidden_header(name) {
            continue;
        }
        let value = value.trim_matches([' ', '\t', '\r', '\n']);
        let lower = name.to_ascii_lowercase();
        if is_safelisted_header(&lower, value) {
            safelisted_size = safelisted_size.saturating_add(value.len());
            safelisted.push(lower);
        } else {
            unsafe_names.push(lower);
        }
    }
    if safelisted_size > 1024 {
        unsafe_names.extend(safelisted);
    }
    unsafe_names.sort();
    unsafe_names.dedup();
    unsafe_names
}

/// The preflight for `method` (already normalized) and `headers`, or `None`.
pub fn preflight_for(method: &str, headers: &[(String, String)]) -> Option<Preflight> {
    let names = unsafe_header_names(headers);
    (!is_safelisted_method(method) || !names.is_empty()).then(|| Preflight {
        method: method.to_owned(),
        headers: names,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn methods() {
        assert_eq!(normalize_method("patch"), "patch");
        assert_eq!(normalize_method("dElEtE"), "DELETE");
        assert!(preflight_for("GET", &[]).is_none());
        assert_eq!(preflight_for("patch", &[]).unwrap().method, "patch");
    }

    #[test]
    fn headers_sorted_lowercased_once() {
        let p = preflight_for(
            "GET",
            &h(&[("X-B", "1"), ("x-a", "2"), ("Content-Type", "application/json")]),
        )
        .unwrap();
        assert_eq!(p.request_headers().as_deref(), Some("content-type,x-a,x-b"));
    }

    #[test]
    fn value_limits() {
        assert!(preflight_for("GET", &h(&[("content-type", "text/plain; charset=utf-8")])).is_none());
        assert!(preflight_for("GET", &h(&[("accept", &"a".repeat(128))])).is_none());
        assert!(preflight_for("GET", &h(&[("accept", &"a".repeat(129))])).is_some());
        assert!(preflight_for("GET", &h(&[("accept-language", "en(")])).is_some());
        let big = "a".repeat(120);
        let nine: Vec<_> = (0..9).map(|_| ("accept".to_owned(), big.clone())).collect();
        assert_eq!(
            preflight_for("GET", &nine).unwrap().request_headers().as_deref(),
            Some("accept")
        );
        assert!(preflight_for("GET", &h(&[("cookie", "a=b"), ("sec-x", "1")])).is_none());
        assert!(preflight_for("GET", &h(&[("range", "bytes=0-10")])).is_none());
        assert!(preflight_for("GET", &h(&[("range", "bytes=10-0")])).is_some());
    }
}
