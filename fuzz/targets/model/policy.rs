//! RULES.md section 6 as a plain model: which policies must be refused, and in
//! which order an error lists its problems. Only rule 6.7's Public Suffix List
//! check is left out (the model does not carry the list).

use super::origins::{self, Entry};
use super::tokens::is_token;
use crate::targets::spec::Spec;
use corsair_core::Field;

/// The Fetch Standard's forbidden request-header names [#forbidden-request-header],
/// as the standard writes them, plus Chrome's `Access-Control-Request-Private-Network`
/// (every `Access-Control-Request-*` header is the browser's own). Compared
/// case-insensitively; the `Proxy-` and `Sec-` prefixes are checked apart.
const FORBIDDEN_REQUEST_HEADERS: &[&str] = &[
    "Accept-Charset",
    "Accept-Encoding",
    "Access-Control-Request-Headers",
    "Access-Control-Request-Method",
    "Access-Control-Request-Private-Network",
    "Connection",
    "Content-Length",
    "Cookie",
    "Cookie2",
    "Date",
    "DNT",
    "Expect",
    "Host",
    "Keep-Alive",
    "Origin",
    "Referer",
    "Set-Cookie",
    "TE",
    "Trailer",
    "Transfer-Encoding",
    "Upgrade",
    "Via",
];

/// Rule 6.9: a name scripts may never set, by name or by prefix.
fn forbidden_request_header(name: &str) -> bool {
    let starts = |prefix: &str| {
        let name = name.as_bytes();
        name.len() >= prefix.len() && name[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
    };
    FORBIDDEN_REQUEST_HEADERS.iter().any(|f| f.eq_ignore_ascii_case(name)) || starts("Proxy-") || starts("Sec-")
}

/// Rule 6.9: the names only a response carries.
fn response_only(lower: &str) -> bool {
    lower.starts_with("access-control-allow-")
        || lower == "access-control-expose-headers"
        || lower == "access-control-max-age"
}

/// Rule 6.10: what a response may not expose: cookies, and request-only names.
fn never_exposed(lower: &str) -> bool {
    matches!(lower, "set-cookie" | "set-cookie2" | "origin") || lower.starts_with("access-control-request-")
}

/// The keys in the order RULES.md and the DSL list them: the order an error's
/// problems follow (then list index within a key). A key the model does not know
/// sorts last.
const KEY_ORDER: &str =
    "allow_origins allow_methods allow_headers expose_headers allow_credentials max_age allow_private_network preflight_status";

/// Where problems about `f` come in an error.
pub fn field_rank(f: Field) -> usize {
    KEY_ORDER.split(' ').position(|k| k == f.key()).unwrap_or(usize::MAX)
}

/// Is some item repeated, under `key` (the identity duplicates are judged by)?
fn has_duplicate(items: &[String], key: impl Fn(&str) -> String) -> bool {
    let mut seen: Vec<String> = items.iter().map(|s| key(s)).collect();
    seen.sort_unstable();
    seen.windows(2).any(|w| w[0] == w[1])
}

/// The first rule of section 6 this spec breaks, as the model sees it; `Ok(psl)`
/// when it breaks none, with `psl` true when rule 6.7's public-suffix check
/// (not modelled) could still refuse it.
pub fn refusal(spec: &Spec) -> Result<bool, String> {
    let mut psl = false;
    if spec.origins.is_empty() {
        return Err("6.1 empty allow_origins".into());
    }
    let mut entries = Vec::new();
    for o in &spec.origins {
        entries.push(origins::entry(o).ok_or_else(|| format!("6.3-6.6 origin `{o}`"))?);
    }
    let any = spec.any_origin();
    if any && spec.origins.len() > 1 {
        return Err("6.1 `*` mixed".into());
    }
    if has_duplicate(&spec.origins, str::to_owned) {
        return Err("6.1 duplicate origin".into());
    }
    if any && spec.credentials {
        return Err("6.2 `*` with credentials".into());
    }
    if any && spec.private_network {
        return Err("6.12 `*` with private network".into());
    }
    // Section 9: `https://*` and `http://*` are refused as `*` is.
    let scheme_wide = entries.iter().any(|e| matches!(e, Entry::Scheme));
    if scheme_wide && spec.credentials {
        return Err("9 scheme-wide origin with credentials".into());
    }
    if scheme_wide && spec.private_network {
        return Err("9 scheme-wide origin with private network".into());
    }
    for (o, e) in spec.origins.iter().zip(&entries) {
        if let Entry::Origin {
            scheme,
            host,
            subdomains,
        } = e
        {
            let insecure = origins::insecure(scheme, host);
            if insecure && spec.credentials && !spec.insecure {
                return Err(format!("6.7 insecure `{o}` with credentials"));
            }
            if insecure && spec.private_network {
                return Err(format!("6.12 insecure `{o}` with private network"));
            }
            psl |= *subdomains && spec.credentials && !spec.public_suffix;
        }
    }
    if let Some(methods) = &spec.methods {
        methods_refusal(methods)?;
    }
    for h in spec.headers.iter().filter(|h| *h != "*") {
        if !is_token(h.as_bytes()) {
            return Err(format!("6.9 header `{h}` not a token"));
        }
        if forbidden_request_header(h) {
            return Err(format!("6.9 forbidden request header `{h}`"));
        }
        if response_only(&h.to_ascii_lowercase()) {
            return Err(format!("6.9 response header `{h}`"));
        }
    }
    if has_duplicate(&spec.headers, str::to_ascii_lowercase) {
        return Err("6.9 duplicate request header".into());
    }
    for h in &spec.expose {
        if h == "*" {
            if spec.credentials {
                return Err("6.10 expose `*` with credentials".into());
            }
        } else if !is_token(h.as_bytes()) {
            return Err(format!("6.10 exposed `{h}` not a token"));
        } else if never_exposed(&h.to_ascii_lowercase()) {
            return Err(format!("6.10 `{h}` cannot be exposed"));
        }
    }
    if has_duplicate(&spec.expose, str::to_ascii_lowercase) {
        return Err("6.10 duplicate exposed header".into());
    }
    if spec.max_age.is_some_and(|a| !(-1..=86_400).contains(&a)) {
        return Err("6.11 max_age".into());
    }
    if !matches!(spec.status(), 200 | 204) {
        return Err("6.13 preflight status".into());
    }
    Ok(psl)
}

/// Rule 6.8 on an `allow_methods` list.
fn methods_refusal(methods: &[String]) -> Result<(), String> {
    if methods.iter().any(|m| m == "*") {
        return if methods.len() > 1 {
            Err("6.8 `*` mixed with methods".into())
        } else {
            Ok(())
        };
    }
    // The Fetch Standard normalizes these six to upper case [#concept-method-normalize];
    // PATCH is not normalized, so `patch` is a different method a client never means.
    const STANDARD: [&str; 7] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"];
    for m in methods {
        if !is_token(m.as_bytes()) {
            return Err(format!("6.8 method `{m}` not a token"));
        }
        let upper = m.to_ascii_uppercase();
        if ["CONNECT", "TRACE", "TRACK"].contains(&upper.as_str()) {
            return Err(format!("6.8 forbidden method `{m}`"));
        }
        if STANDARD.contains(&upper.as_str()) && upper != *m {
            return Err(format!("6.8 method `{m}` in the wrong case"));
        }
    }
    if has_duplicate(methods, str::to_owned) {
        return Err("6.8 duplicate method".into());
    }
    Ok(())
}
