//! The bodies of the fuzz targets, written once and used twice:
//!
//! - by the cargo-fuzz binaries in `fuzz/fuzz_targets/*.rs` (`#[path]`-included), and
//! - by `cors-core/tests/fuzz_replay.rs`, which runs every committed corpus file and
//!   every saved artifact through them in plain `cargo test`.
//!
//! Each body takes the raw fuzzer input, decodes it with `arbitrary`, and panics
//! when corsair-core panics or when one of the invariants below (RULES.md sections 1
//! to 6) does not hold.
#![allow(dead_code)]

use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use corsair_core::adapter::{response_header_name, HeaderWriter, Prebuilt, RequestHeader, ResponseHeader, Value};
use corsair_core::{Decision, Denial, Error, Field, Kind, Policy, RawRequest};

/// At most this many empty elements in `Access-Control-Request-Headers`, all lines together (RULES.md section 2).
const MAX_EMPTY_ELEMENTS: usize = 16;
/// At most this many white-space bytes in a row in `Access-Control-Request-Headers`.
const MAX_WHITESPACE_RUN: usize = 16;

/// A target body: the raw fuzzer input in, a panic on a violated invariant.
pub type Body = fn(&[u8]);

/// Every target: its name (the directory under `fuzz/corpus/` and `fuzz/artifacts/`) and body.
pub const TARGETS: &[(&str, Body)] = &[
    ("origin", origin),
    ("request_headers", request_headers),
    ("engine", engine),
    ("builder", builder),
];

// ---------------------------------------------------------------------------
// Small reference helpers, written independently of corsair-core.

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| is_tchar(b))
}

fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

/// The comma-separated elements of every line, white space trimmed, empty ones dropped.
fn list_tokens<'a>(lines: &'a [Vec<u8>]) -> impl Iterator<Item = &'a [u8]> + 'a {
    lines
        .iter()
        .flat_map(|l| l.split(|&b| b == b','))
        .map(trim_ows)
        .filter(|t| !t.is_empty())
}

/// 1 to 5 digits, no leading zero, at most 65535.
fn canonical_port(p: &str) -> bool {
    !p.is_empty()
        && p.len() <= 5
        && !p.starts_with('0')
        && p.bytes().all(|b| b.is_ascii_digit())
        && p.parse::<u32>().is_ok_and(|n| n <= 65535)
}

/// One or more non-empty dot-separated labels of `[a-z0-9-]`.
fn labels(s: &str) -> bool {
    s.split('.').all(|l| {
        !l.is_empty()
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    })
}

fn lines_of<'a>(headers: &[(&'a [u8], &'a [u8])], name: RequestHeader) -> Vec<&'a [u8]> {
    headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name.name().as_bytes()))
        .map(|(_, v)| *v)
        .collect()
}

fn show(b: &[u8]) -> String {
    b.escape_ascii().to_string()
}

// ---------------------------------------------------------------------------
// A policy as plain data: built through the builder, or through serde (JSON ->
// Config -> Policy::try_from), and read back as the model the invariants use.

#[derive(Clone, Debug, Default)]
struct Spec {
    origins: Vec<String>,
    methods: Option<Vec<String>>,
    headers: Vec<String>,
    expose: Vec<String>,
    credentials: bool,
    max_age: Option<i64>,
    private_network: bool,
    preflight_status: Option<u16>,
    insecure: bool,
    public_suffix: bool,
}

fn strs(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

impl Spec {
    fn new(origins: &[&str]) -> Self {
        Spec {
            origins: strs(origins),
            ..Spec::default()
        }
    }

    /// Through the builder; `None` when `max_age` does not fit the builder's `u32`.
    fn build(&self) -> Option<Result<Policy, Error>> {
        let mut b = Policy::builder()
            .allow_origins(&self.origins)
            .allow_headers(&self.headers)
            .expose_headers(&self.expose)
            .allow_credentials(self.credentials)
            .allow_private_network(self.private_network)
            .dangerously_allow_insecure_origins(self.insecure)
            .dangerously_allow_public_suffix_wildcards(self.public_suffix);
        if let Some(m) = &self.methods {
            b = b.allow_methods(m);
        }
        if let Some(age) = self.max_age {
            // The config maps API Gateway's -1 to 0; the builder only takes u32.
            let age = if age == -1 { 0 } else { age };
            b = b.max_age(u32::try_from(age).ok()?);
        }
        if let Some(s) = self.preflight_status {
            b = b.preflight_status(s);
        }
        Some(b.build())
    }

    #[cfg(feature = "serde")]
    fn to_json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        m.insert("allow_origins".into(), self.origins.clone().into());
        if let Some(methods) = &self.methods {
            m.insert("allow_methods".into(), methods.clone().into());
        }
        m.insert("allow_headers".into(), self.headers.clone().into());
        m.insert("expose_headers".into(), self.expose.clone().into());
        m.insert("allow_credentials".into(), self.credentials.into());
        if let Some(a) = self.max_age {
            m.insert("max_age".into(), a.into());
        }
        m.insert("allow_private_network".into(), self.private_network.into());
        if let Some(s) = self.preflight_status {
            m.insert("preflight_status".into(), s.into());
        }
        m.insert("dangerously_allow_insecure_origins".into(), self.insecure.into());
        m.insert(
            "dangerously_allow_public_suffix_wildcards".into(),
            self.public_suffix.into(),
        );
        serde_json::Value::Object(m)
    }

    #[cfg(feature = "serde")]
    fn from_config(c: &corsair_core::Config) -> Self {
        Spec {
            origins: c.allow_origins.clone(),
            methods: c.allow_methods.clone(),
            headers: c.allow_headers.clone(),
            expose: c.expose_headers.clone(),
            credentials: c.allow_credentials,
            max_age: c.max_age,
            private_network: c.allow_private_network,
            preflight_status: c.preflight_status,
            insecure: c.dangerously_allow_insecure_origins,
            public_suffix: c.dangerously_allow_public_suffix_wildcards,
        }
    }

    fn list(&self, field: Field) -> Option<&[String]> {
        match field {
            Field::AllowOrigins => Some(&self.origins),
            Field::AllowMethods => self.methods.as_deref(),
            Field::AllowHeaders => Some(&self.headers),
            Field::ExposeHeaders => Some(&self.expose),
            _ => None,
        }
    }

    // The model of a policy that built: what the engine must do with it.

    fn any_origin(&self) -> bool {
        self.origins.iter().any(|o| o == "*")
    }

    fn methods_any(&self) -> bool {
        self.methods.as_ref().is_some_and(|m| m.iter().any(|m| m == "*"))
    }

    fn method_allowed(&self, m: &[u8]) -> bool {
        matches!(m, b"GET" | b"HEAD" | b"POST")
            || self.methods_any()
            || self.methods.iter().flatten().any(|x| x.as_bytes() == m)
    }

    fn headers_any(&self) -> bool {
        self.headers.iter().any(|h| h == "*")
    }

    fn header_allowed(&self, name: &[u8]) -> bool {
        self.headers
            .iter()
            .any(|h| h != "*" && h.as_bytes().eq_ignore_ascii_case(name))
            || (self.headers_any() && !name.eq_ignore_ascii_case(b"authorization"))
    }

    fn status(&self) -> u16 {
        self.preflight_status.unwrap_or(204)
    }
}

/// A policy the targets hold fixed, with its spec.
struct Fixed {
    spec: Spec,
    policy: Policy,
}

fn fixed(spec: Spec) -> Fixed {
    let policy = match spec.build() {
        Some(Ok(p)) => p,
        other => panic!("fixed fuzz policy {spec:?} does not build: {other:?}"),
    };
    Fixed { spec, policy }
}

// ---------------------------------------------------------------------------
// Invariants on build results (targets `builder` and `origin`).

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
        _ => 8,
    }
}

fn check_error(spec: &Spec, e: &Error) {
    let problems = e.problems();
    assert!(!problems.is_empty(), "an Err with no problem for {spec:?}");
    let text = e.to_string();
    for p in problems {
        assert!(!p.message.is_empty(), "empty message: {p:?}");
        assert!(!p.hint.is_empty(), "empty hint: {p:?}");
        assert!((1..=13).contains(&p.code.rule()), "rule out of range: {p:?}");
        assert!(text.contains(&p.message), "Display lacks the message of {p:?}");
        if let Some(i) = p.index {
            let list = spec
                .list(p.field)
                .unwrap_or_else(|| panic!("an index on a non-list field: {p:?}"));
            assert!(i < list.len(), "index past the list: {p:?} for {spec:?}");
            assert_eq!(list[i], p.value, "problem value is not the entry at its index: {p:?}");
        }
        // An origin fix hint naming an origin must name one that builds.
        if p.field == Field::AllowOrigins {
            if let Some(s) = p.hint.strip_prefix("write `").and_then(|h| h.strip_suffix('`')) {
                assert_ne!(s, p.value, "the hint suggests the refused value itself: {p:?}");
                let r = Policy::builder().allow_origins([s]).build();
                assert!(r.is_ok(), "the hint of {p:?} suggests `{s}`, which is refused: {r:?}");
            }
        }
    }
    let keys: Vec<_> = problems.iter().map(|p| (field_order(p.field), p.index)).collect();
    assert!(
        keys.windows(2).all(|w| w[0] <= w[1]),
        "problems not in field then list order: {problems:?}"
    );
}

// ---------------------------------------------------------------------------
// RULES.md sections 5 and 6 written out plainly, independently of corsair-core:
// which policies must be refused. Only rule 6.7's Public Suffix List check is
// left out (the model does not carry the list).

/// An `allow_origins` entry the model accepts.
#[derive(Debug)]
enum EntryModel {
    Any,
    /// An exact origin or a pattern: scheme, host (for `*.` patterns, the parent), `*.`.
    Origin {
        scheme: String,
        host: String,
        subdomains: bool,
    },
}

/// The URL Standard's IPv6 serializer, written from the standard.
fn ipv6_url(ip: std::net::Ipv6Addr) -> String {
    let seg = ip.segments();
    let (mut best, mut best_len, mut i) = (None, 0, 0);
    while i < 8 {
        if seg[i] != 0 {
            i += 1;
            continue;
        }
        let start = i;
        while i < 8 && seg[i] == 0 {
            i += 1;
        }
        if i - start >= 2 && i - start > best_len {
            (best, best_len) = (Some(start), i - start);
        }
    }
    let hex: Vec<String> = seg.iter().map(|s| format!("{s:x}")).collect();
    match best {
        None => hex.join(":"),
        Some(b) => format!("{}::{}", hex[..b].join(":"), hex[b + best_len..].join(":")),
    }
}

/// A host as browsers serialize it: a canonical bracketed IPv6 address, a
/// canonical dotted IPv4 address, or lower-case DNS labels (`_` tolerated) that
/// do not end in a number.
fn host_model(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner
            .parse::<std::net::Ipv6Addr>()
            .is_ok_and(|ip| ipv6_url(ip) == inner);
    }
    let parts: Vec<&str> = host.split('.').collect();
    let label = |l: &&str| {
        !l.is_empty()
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    };
    if !parts.iter().all(label) {
        return false;
    }
    let last = parts[parts.len() - 1];
    let numeric = last.bytes().all(|b| b.is_ascii_digit())
        || last
            .strip_prefix("0x")
            .is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
    if !numeric {
        return true;
    }
    parts.len() == 4
        && parts.iter().all(|p| {
            p.bytes().all(|b| b.is_ascii_digit()) && (*p == "0" || !p.starts_with('0')) && p.parse::<u8>().is_ok()
        })
}

/// Does the model accept this one `allow_origins` entry (rules 6.1 and 6.3 to 6.6)?
fn entry_model(e: &str) -> Option<EntryModel> {
    if e == "*" {
        return Some(EntryModel::Any);
    }
    let (scheme, rest) = e.split_once("://")?;
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_lowercase())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+-.".contains(&b))
        && !["file", "data", "blob", "about", "javascript"].contains(&scheme)
        // Browsers never send a WebSocket origin: the handshake carries the page's.
        && !["ws", "wss"].contains(&scheme);
    if !scheme_ok
        || !rest.is_ascii()
        || rest
            .bytes()
            .any(|b| b"/?#@ \t\r\n".contains(&b) || b.is_ascii_control())
    {
        return None;
    }
    let (hostpart, port) = if let Some(h) = rest.strip_suffix(":*") {
        (h, None)
    } else if rest.starts_with('[') {
        let close = rest.find(']')?;
        match &rest[close + 1..] {
            "" => (rest, None),
            p => (&rest[..=close], Some(p.strip_prefix(':')?)),
        }
    } else {
        match rest.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (rest, None),
        }
    };
    if let Some(p) = port {
        if !canonical_port(p) || default_port(scheme) == Some(p) {
            return None;
        }
    }
    let (subdomains, host) = match hostpart.strip_prefix("*.") {
        Some(parent) => (true, parent),
        None => (false, hostpart),
    };
    // `*.` only on a DNS name: never on an IP address (bracketed, or ending in a number).
    let last = host.rsplit('.').next().unwrap_or_default();
    let ip = host.starts_with('[')
        || last.bytes().all(|b| b.is_ascii_digit())
        || last
            .strip_prefix("0x")
            .is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
    let ok = !host.contains('*') && host_model(host) && !(subdomains && ip);
    ok.then(|| EntryModel::Origin {
        scheme: scheme.to_owned(),
        host: host.to_owned(),
        subdomains,
    })
}

/// `http:`/`ws:` on anything but localhost and loopback addresses (rule 6.7).
fn insecure_model(scheme: &str, host: &str, subdomains: bool) -> bool {
    let loopback = host == "localhost"
        || host.ends_with(".localhost")
        || (!subdomains && (host == "[::1]" || host.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())));
    scheme == "http" && !loopback
}

const FORBIDDEN_REQUEST_HEADERS: &[&str] = &[
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

fn has_duplicate(items: &[String], same: impl Fn(&str, &str) -> bool) -> bool {
    items
        .iter()
        .enumerate()
        .any(|(i, a)| items[..i].iter().any(|b| same(a, b)))
}

/// The first rule of section 6 this spec breaks, as the model sees it; `Ok(psl)`
/// when it breaks none, with `psl` true when rule 6.7's public-suffix check
/// (not modelled) could still refuse it.
fn spec_model(spec: &Spec) -> Result<bool, String> {
    let mut psl = false;
    let entries: Vec<Option<EntryModel>> = spec.origins.iter().map(|o| entry_model(o)).collect();
    if spec.origins.is_empty() {
        return Err("6.1 empty allow_origins".into());
    }
    if let Some(i) = entries.iter().position(Option::is_none) {
        return Err(format!("6.3-6.6 origin `{}`", spec.origins[i]));
    }
    let any = spec.any_origin();
    if any && spec.origins.len() > 1 {
        return Err("6.1 `*` mixed".into());
    }
    if has_duplicate(&spec.origins, |a, b| a == b) {
        return Err("6.1 duplicate origin".into());
    }
    if any && spec.credentials {
        return Err("6.2 `*` with credentials".into());
    }
    if any && spec.private_network {
        return Err("6.12 `*` with private network".into());
    }
    for (o, e) in spec.origins.iter().zip(&entries) {
        if let Some(EntryModel::Origin {
            scheme,
            host,
            subdomains,
        }) = e
        {
            let insecure = insecure_model(scheme, host, *subdomains);
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
        if methods.iter().any(|m| m == "*") {
            if methods.len() > 1 {
                return Err("6.8 `*` mixed with methods".into());
            }
        } else {
            const STANDARD: [&str; 7] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"];
            for m in methods {
                if !is_token(m.as_bytes()) {
                    return Err(format!("6.8 method `{m}` not a token"));
                }
                if ["CONNECT", "TRACE", "TRACK"].iter().any(|f| f.eq_ignore_ascii_case(m)) {
                    return Err(format!("6.8 forbidden method `{m}`"));
                }
                if STANDARD.iter().any(|s| s.eq_ignore_ascii_case(m) && s != m) {
                    return Err(format!("6.8 method `{m}` in the wrong case"));
                }
            }
            if has_duplicate(methods, |a, b| a == b) {
                return Err("6.8 duplicate method".into());
            }
        }
    }
    for h in &spec.headers {
        let l = h.to_ascii_lowercase();
        if h == "*" {
            continue;
        }
        if !is_token(h.as_bytes()) {
            return Err(format!("6.9 header `{h}` not a token"));
        }
        if FORBIDDEN_REQUEST_HEADERS.contains(&l.as_str()) || l.starts_with("sec-") || l.starts_with("proxy-") {
            return Err(format!("6.9 forbidden request header `{h}`"));
        }
        if l.starts_with("access-control-allow-")
            || l == "access-control-expose-headers"
            || l == "access-control-max-age"
        {
            return Err(format!("6.9 response header `{h}`"));
        }
    }
    if has_duplicate(&spec.headers, |a, b| a.eq_ignore_ascii_case(b)) {
        return Err("6.9 duplicate request header".into());
    }
    for h in &spec.expose {
        let l = h.to_ascii_lowercase();
        if h == "*" {
            if spec.credentials {
                return Err("6.10 expose `*` with credentials".into());
            }
            continue;
        }
        if !is_token(h.as_bytes()) {
            return Err(format!("6.10 exposed `{h}` not a token"));
        }
        if l == "set-cookie" || l == "set-cookie2" || l == "origin" || l.starts_with("access-control-request-") {
            return Err(format!("6.10 `{h}` cannot be exposed"));
        }
    }
    if has_duplicate(&spec.expose, |a, b| a.eq_ignore_ascii_case(b)) {
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

fn check_result(spec: &Spec, r: &Result<Policy, Error>) {
    match (spec_model(spec), r) {
        (Err(rule), Ok(_)) => panic!("a policy breaking rule {rule} was accepted: {spec:?}"),
        (Ok(false), Err(e)) => panic!("a policy breaking no rule was refused: {spec:?}\n{e}"),
        (Ok(true), Err(e)) => assert!(
            e.problems()
                .iter()
                .all(|p| p.code == corsair_core::Code::PublicSuffixWildcard),
            "a policy breaking at most the public-suffix rule was refused for more: {spec:?}\n{e}"
        ),
        _ => {}
    }
    let p = match r {
        Err(e) => return check_error(spec, e),
        Ok(p) => p,
    };
    let _ = format!("{p:?}");
    assert_eq!(p.allows_credentials(), spec.credentials);
    assert_eq!(p.allows_private_network(), spec.private_network);
    assert!(matches!(p.preflight_status(), 200 | 204));
    assert_eq!(p.preflight_status(), spec.status());
    assert_eq!(p.is_any_origin(), spec.any_origin());
    assert!(
        !(p.is_any_origin() && p.allows_credentials()),
        "any origin with credentials built"
    );
    if let Some(age) = spec.max_age {
        let sent = p.prebuilt(Prebuilt::MaxAge).expect("max_age set but no Max-Age value");
        assert_eq!(sent.as_bytes(), age.max(0).to_string().as_bytes());
        assert!((-1..=86_400).contains(&age));
    }
    for o in &spec.origins {
        if !o.contains('*') {
            assert!(
                p.allows_origin(o.as_bytes()),
                "exact origin `{o}` built but is not allowed"
            );
        }
    }
    for h in &spec.headers {
        if h != "*" {
            assert!(p.allows_request_header(h.as_bytes()), "listed header `{h}` not allowed");
            assert!(p.allows_request_header(h.to_ascii_uppercase().as_bytes()));
        }
    }
    for probe in [
        &b"x-fuzz-unlisted"[..],
        b"authorization",
        b"Authorization",
        b"content-type",
    ] {
        assert_eq!(
            p.allows_request_header(probe),
            spec.header_allowed(probe),
            "allows_request_header({}) disagrees with the model of {spec:?}",
            show(probe)
        );
    }
    // End to end: a preflight asking for what the policy lists is allowed.
    let origin = if spec.any_origin() {
        Some("https://fuzz.example")
    } else {
        spec.origins.iter().find(|o| !o.contains('*')).map(String::as_str)
    };
    let Some(origin) = origin else { return };
    let method = match &spec.methods {
        Some(_) if spec.methods_any() => "PUT",
        Some(m) => m.first().map_or("GET", String::as_str),
        None => "GET",
    };
    // As browsers send them: lower-cased, each once, sorted.
    let mut names = listed_names(spec);
    if spec.headers_any() {
        names.push("x-fuzz".to_owned());
        names.sort();
    }
    let acrh = names.join(",");
    let mut headers: Vec<(&[u8], &[u8])> = vec![
        (b"origin", origin.as_bytes()),
        (b"access-control-request-method", method.as_bytes()),
    ];
    if !acrh.is_empty() {
        headers.push((b"access-control-request-headers", acrh.as_bytes()));
    }
    if spec.private_network {
        headers.push((b"access-control-request-private-network", b"true"));
    }
    let req = RawRequest {
        method: b"OPTIONS",
        headers: &headers,
    };
    let f = Fixed {
        spec: spec.clone(),
        policy: p.clone(),
    };
    let d = check_decision(&f, &req, &[]);
    assert_eq!(
        d.denial(),
        None,
        "a preflight for what {spec:?} lists was denied: {req:?}"
    );
}

// ---------------------------------------------------------------------------
// A HeaderWriter that records what Decision::write does, over a response that
// may already carry a handler's headers.

struct Recorder<'a> {
    policy: &'a Policy,
    request: &'a [(&'a [u8], &'a [u8])],
    out: Vec<(ResponseHeader, Vec<u8>)>,
}

impl Recorder<'_> {
    fn get(&self, name: ResponseHeader) -> Vec<Vec<u8>> {
        self.out
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

impl HeaderWriter for Recorder<'_> {
    fn remove(&mut self, name: ResponseHeader) {
        assert_ne!(name, ResponseHeader::Vary, "write removed the handler's Vary");
        self.out.retain(|(n, _)| *n != name);
    }

    fn append(&mut self, name: ResponseHeader, value: Value) {
        let bytes = match value {
            Value::Star => b"*".to_vec(),
            Value::True => b"true".to_vec(),
            Value::Prebuilt(p) => self
                .policy
                .prebuilt(p)
                .unwrap_or_else(|| panic!("write asked for prebuilt {p:?}, which the policy lacks"))
                .as_bytes()
                .to_vec(),
            Value::Vary(v) => v.value().as_bytes().to_vec(),
            Value::VaryToken(t) => t.as_bytes().to_vec(),
        };
        self.out.push((name, bytes));
    }

    fn echo(&mut self, name: ResponseHeader, from: RequestHeader) {
        for v in lines_of(self.request, from) {
            self.out.push((name, v.to_vec()));
        }
    }

    fn vary(&self) -> impl Iterator<Item = &[u8]> {
        self.out
            .iter()
            .filter(|(n, _)| *n == ResponseHeader::Vary)
            .map(|(_, v)| v.as_slice())
    }
}

const ALL_RESPONSE: [ResponseHeader; 8] = [
    ResponseHeader::AllowOrigin,
    ResponseHeader::AllowCredentials,
    ResponseHeader::AllowMethods,
    ResponseHeader::AllowHeaders,
    ResponseHeader::MaxAge,
    ResponseHeader::AllowPrivateNetwork,
    ResponseHeader::ExposeHeaders,
    ResponseHeader::Vary,
];

fn vary_count(lines: &[Vec<u8>], token: &str) -> usize {
    list_tokens(lines)
        .filter(|t| t.eq_ignore_ascii_case(token.as_bytes()))
        .count()
}

/// Decides `req` under `f`, writes the decision over a response that already has
/// the `handler`'s headers (a fresh one for a preflight), explains it, and checks
/// RULES.md sections 1 to 4.
/// Returns the decision.
fn check_decision(f: &Fixed, req: &RawRequest<'_>, handler: &[(ResponseHeader, Vec<u8>)]) -> Decision {
    let (p, spec) = (&f.policy, &f.spec);
    let d = p.decide(req);
    assert_eq!(p.decide(req), d, "decide is not deterministic");
    let ctx = || format!("policy {spec:?}\nrequest {req:?}\ndecision {d:?}");

    let origins = lines_of(req.headers, RequestHeader::Origin);
    let acrm = lines_of(req.headers, RequestHeader::RequestMethod);
    let acrh = lines_of(req.headers, RequestHeader::RequestHeaders);
    let pna_asked = lines_of(req.headers, RequestHeader::RequestPrivateNetwork)
        .iter()
        .any(|l| l.eq_ignore_ascii_case(b"true"));
    let any = spec.any_origin();

    // Section 1: classification.
    let kind = if origins.is_empty() {
        Kind::NotCors
    } else if req.method == b"OPTIONS" && acrm.iter().any(|l| !l.is_empty()) {
        Kind::Preflight
    } else {
        Kind::Actual
    };
    assert_eq!(d.kind(), kind, "misclassified: {}", ctx());
    let denied = d.denial().is_some();
    match kind {
        Kind::Preflight => {
            let want = if denied { 403 } else { spec.status() };
            assert_eq!(d.status(), Some(want), "preflight status: {}", ctx());
        }
        _ => assert_eq!(d.status(), None, "a status for a non-preflight: {}", ctx()),
    }
    if kind == Kind::NotCors {
        assert!(!denied, "a non-CORS request denied: {}", ctx());
    }

    // Origins: an origin the policy does not allow is denied; so is a repeated Origin.
    if !any && !origins.is_empty() {
        let allowed = origins.len() == 1 && p.allows_origin(origins[0]);
        if origins.len() > 1 {
            assert_eq!(d.denial(), Some(Denial::OriginRepeated), "{}", ctx());
        } else if !allowed {
            assert_eq!(
                d.denial(),
                Some(Denial::Origin),
                "an origin not in the policy passed: {}",
                ctx()
            );
        } else {
            assert!(
                !matches!(d.denial(), Some(Denial::Origin | Denial::OriginRepeated)),
                "{}",
                ctx()
            );
        }
    }

    // Preflight checks, in order: origin, method, headers, private network.
    if kind == Kind::Preflight && !matches!(d.denial(), Some(Denial::Origin | Denial::OriginRepeated)) {
        let methods: Vec<&[u8]> = acrm.iter().copied().filter(|l| !l.is_empty()).collect();
        let method_ok = methods.len() == 1 && is_token(methods[0]);
        if !method_ok {
            assert_eq!(d.denial(), Some(Denial::MethodMalformed), "{}", ctx());
        } else if !spec.method_allowed(methods[0]) {
            assert_eq!(
                d.denial(),
                Some(Denial::Method),
                "a method not allowed passed: {}",
                ctx()
            );
        } else if spec.methods_any() && spec.credentials && (acrm.len() != 1 || acrm[0].len() > 64) {
            // The method is echoed: only one line of at most 64 bytes is.
            assert_eq!(d.denial(), Some(Denial::MethodNotCanonical), "{}", ctx());
        } else {
            match acrh_model(&acrh, |n| spec.header_allowed(n), acrh_limits(spec)) {
                Err(()) => assert!(
                    matches!(
                        d.denial(),
                        Some(
                            Denial::Header { .. }
                                | Denial::HeaderRepeated { .. }
                                | Denial::HeaderOutOfOrder { .. }
                                | Denial::HeadersMalformed { .. }
                                | Denial::HeadersTooLong { .. }
                                | Denial::HeadersNotCanonical { .. }
                        )
                    ),
                    "ACRH should be refused: {}",
                    ctx()
                ),
                Ok(_) if pna_asked && !spec.private_network => {
                    assert_eq!(d.denial(), Some(Denial::PrivateNetwork), "{}", ctx())
                }
                Ok(_) => assert_eq!(
                    d.denial(),
                    None,
                    "a preflight that passes every check denied: {}",
                    ctx()
                ),
            }
        }
        match d.denial() {
            Some(Denial::Header { line, start, end }) => {
                let l = acrh
                    .get(line)
                    .unwrap_or_else(|| panic!("Header denial on a missing line: {}", ctx()));
                let name = l
                    .get(start..end)
                    .unwrap_or_else(|| panic!("Header denial range out of the line: {}", ctx()));
                assert!(is_token(name), "{}", ctx());
                assert!(
                    !p.allows_request_header(name),
                    "denied a name the policy allows: {}",
                    ctx()
                );
            }
            Some(Denial::HeaderRepeated { line, start, end } | Denial::HeaderOutOfOrder { line, start, end }) => {
                let name = acrh.get(line).and_then(|l| l.get(start..end));
                assert!(name.is_some_and(is_token), "{}", ctx());
            }
            Some(Denial::HeadersMalformed { line, at } | Denial::HeadersNotCanonical { line, at }) => {
                assert!(acrh.get(line).is_some_and(|l| at <= l.len()), "{}", ctx());
            }
            Some(Denial::HeadersTooLong { line }) => {
                assert!(line < acrh.len(), "{}", ctx());
            }
            _ => {}
        }
    }

    // The explanation: "allowed", or a short, escaped, printable text.
    let why = d.explain(p, req).to_string();
    if denied {
        assert!(!why.is_empty() && why != "allowed", "{}", ctx());
    } else {
        assert_eq!(why, "allowed", "{}", ctx());
    }
    assert!(
        why.bytes().all(|b| (0x20..0x7f).contains(&b)),
        "explanation with raw request bytes: {why:?}\n{}",
        ctx()
    );
    assert!(why.len() <= 1024, "explanation of {} bytes: {}", why.len(), ctx());

    // A preflight's response is the engine's own: `Decision::write` documents it is
    // written onto a fresh map, so the handler's headers only meet other requests.
    let pre: &[(ResponseHeader, Vec<u8>)] = if d.status().is_some() { &[] } else { handler };
    // Writing.
    let mut rec = Recorder {
        policy: p,
        request: req.headers,
        out: pre.to_vec(),
    };
    d.write(&mut rec);
    let h = |name| rec.get(name);
    let ctx = || format!("{}\npre {pre:?}\nwritten {:?}", ctx(), rec.out);
    for name in ResponseHeader::CORS {
        assert!(
            h(name).len() <= 1 || matches!(name, ResponseHeader::AllowMethods | ResponseHeader::AllowHeaders),
            "{name:?} written twice: {}",
            ctx()
        );
    }
    if denied {
        // Sections 2 and 3: no Access-Control-Allow-* header at all.
        for name in ResponseHeader::CORS {
            assert!(h(name).is_empty(), "denied, yet {name:?} written: {}", ctx());
        }
    } else {
        let acao = h(ResponseHeader::AllowOrigin);
        let expect_acao: Vec<Vec<u8>> = match kind {
            _ if any => vec![b"*".to_vec()],
            Kind::NotCors => vec![],
            _ => vec![origins[0].to_vec()],
        };
        assert_eq!(acao, expect_acao, "Access-Control-Allow-Origin: {}", ctx());
        let cors = kind != Kind::NotCors;
        let acac = h(ResponseHeader::AllowCredentials);
        assert_eq!(
            acac.len(),
            usize::from(cors && spec.credentials),
            "credentials: {}",
            ctx()
        );
        assert!(acac.iter().all(|v| v == b"true"));
        let expose = !spec.expose.is_empty() && kind != Kind::Preflight && (cors || any);
        assert_eq!(
            h(ResponseHeader::ExposeHeaders).len(),
            usize::from(expose),
            "expose: {}",
            ctx()
        );
        if kind == Kind::Preflight {
            let method: &[u8] = acrm.iter().find(|l| !l.is_empty()).unwrap();
            let acam = h(ResponseHeader::AllowMethods);
            let covered = matches!(method, b"GET" | b"HEAD" | b"POST")
                || list_tokens(&acam).any(|t| t == method || (t == b"*" && !spec.credentials));
            assert!(
                covered,
                "Access-Control-Allow-Methods does not cover the method: {}",
                ctx()
            );
            let acah = h(ResponseHeader::AllowHeaders);
            let asked: Vec<Vec<u8>> = acrh.iter().map(|l| l.to_vec()).collect();
            let mut listed = false;
            for name in list_tokens(&asked) {
                listed = true;
                let ok = list_tokens(&acah).any(|t| {
                    t.eq_ignore_ascii_case(name)
                        || (t == b"*" && !spec.credentials && !name.eq_ignore_ascii_case(b"authorization"))
                });
                assert!(
                    ok,
                    "Access-Control-Allow-Headers does not cover `{}`: {}",
                    show(name),
                    ctx()
                );
            }
            assert_eq!(
                !acah.is_empty(),
                listed,
                "Allow-Headers without listed names, or the reverse: {}",
                ctx()
            );
            assert_eq!(
                h(ResponseHeader::MaxAge).len(),
                usize::from(spec.max_age.is_some()),
                "{}",
                ctx()
            );
            assert_eq!(
                h(ResponseHeader::AllowPrivateNetwork).len(),
                usize::from(pna_asked),
                "{}",
                ctx()
            );
        } else {
            for name in [
                ResponseHeader::AllowMethods,
                ResponseHeader::AllowHeaders,
                ResponseHeader::MaxAge,
                ResponseHeader::AllowPrivateNetwork,
            ] {
                assert!(h(name).is_empty(), "{name:?} outside a preflight: {}", ctx());
            }
        }
    }

    // Section 4: Vary, merged with the handler's without duplicates; `*` stays `*`.
    let before: Vec<Vec<u8>> = pre
        .iter()
        .filter(|(n, _)| *n == ResponseHeader::Vary)
        .map(|(_, v)| v.clone())
        .collect();
    let after = h(ResponseHeader::Vary);
    assert!(
        after.starts_with(&before),
        "the handler's Vary lines changed: {}",
        ctx()
    );
    let ours: &[&str] = match kind {
        Kind::Preflight if spec.private_network => &[
            "origin",
            "access-control-request-method",
            "access-control-request-headers",
            "access-control-request-private-network",
        ],
        Kind::Preflight => &[
            "origin",
            "access-control-request-method",
            "access-control-request-headers",
        ],
        _ if any => &[],
        _ => &["origin"],
    };
    if vary_count(&before, "*") > 0 {
        assert_eq!(after, before, "Vary: * was changed: {}", ctx());
    } else {
        for t in ours {
            let want = vary_count(&before, t).max(1);
            assert_eq!(vary_count(&after, t), want, "Vary token {t}: {}", ctx());
        }
        let others = |lines: &[Vec<u8>]| {
            list_tokens(lines)
                .filter(|t| !ours.iter().any(|o| t.eq_ignore_ascii_case(o.as_bytes())))
                .count()
        };
        assert_eq!(others(&after), others(&before), "Vary gained foreign tokens: {}", ctx());
    }

    http1_agrees(f, req, pre, &d, &rec.out);
    d
}

/// When the request is representable in `http` 1, deciding from a `HeaderMap`
/// gives the same decision and `Decision::apply` writes the same headers.
fn http1_agrees(
    f: &Fixed,
    req: &RawRequest<'_>,
    pre: &[(ResponseHeader, Vec<u8>)],
    d: &Decision,
    written: &[(ResponseHeader, Vec<u8>)],
) {
    use http::header::{HeaderMap, HeaderName, HeaderValue};
    let Ok(method) = http::Method::from_bytes(req.method) else {
        return;
    };
    let mut request = HeaderMap::new();
    for (n, v) in req.headers {
        let (Ok(n), Ok(v)) = (HeaderName::from_bytes(n), HeaderValue::from_bytes(v)) else {
            return;
        };
        request.append(n, v);
    }
    let mut response = HeaderMap::new();
    for (n, v) in pre {
        let Ok(v) = HeaderValue::from_bytes(v) else { return };
        response.append(response_header_name(*n), v);
    }
    let mut h1_request = http::Request::new(());
    *h1_request.method_mut() = method;
    *h1_request.headers_mut() = request;
    let h1 = f.policy.decide(&h1_request);
    let request = h1_request.into_parts().0.headers;
    assert_eq!(&h1, d, "http 1 and raw bytes decide differently for {req:?}");
    d.apply(&f.policy, &request, &mut response);
    for name in ALL_RESPONSE {
        let got: Vec<&[u8]> = response
            .get_all(response_header_name(name))
            .iter()
            .map(HeaderValue::as_bytes)
            .collect();
        let want: Vec<&[u8]> = written
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.as_slice())
            .collect();
        assert_eq!(got, want, "Decision::apply and write differ on {name:?} for {req:?}");
    }
}

/// The request header names a spec lists (not `*`), lower-cased, each once, sorted.
fn listed_names(spec: &Spec) -> Vec<String> {
    let mut names: Vec<String> = spec
        .headers
        .iter()
        .filter(|h| *h != "*")
        .map(|h| h.to_ascii_lowercase())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The limits RULES.md section 2 puts on a policy's `Access-Control-Request-Headers`:
/// the longest value accepted (every listed name once, each with `, `, plus 64
/// bytes; under `*` at least 4 KiB), and whether it must be canonical (`*` with
/// credentials echoes it).
fn acrh_limits(spec: &Spec) -> (usize, bool) {
    let listed = listed_names(spec).iter().map(|n| n.len() + 2).sum::<usize>() + 64;
    let any = spec.headers_any();
    (if any { listed.max(4096) } else { listed }, any && spec.credentials)
}

/// RULES.md section 2's `Access-Control-Request-Headers` rules, written plainly:
/// `Ok(listed)` when every line is a comma list of tokens (optional white space,
/// runs of at most 16, at most 16 empty elements in all) that the policy allows,
/// strictly ascending once lower-cased, within the policy's length; when canonical,
/// one line of tokens split by bare commas.
fn acrh_model(lines: &[&[u8]], allowed: impl Fn(&[u8]) -> bool, (max, canonical): (usize, bool)) -> Result<bool, ()> {
    if lines.iter().map(|l| l.len()).sum::<usize>() > max {
        return Err(());
    }
    if canonical
        && !lines.is_empty()
        && (lines.len() != 1
            || lines[0].iter().any(|&b| b == b' ' || b == b'\t')
            || lines[0].split(|&b| b == b',').any(|e| e.is_empty()))
    {
        return Err(());
    }
    let mut names: Vec<Vec<u8>> = Vec::new();
    let (mut empties, mut listed) = (0, false);
    for line in lines {
        let mut run = 0;
        for &b in line.iter() {
            run = if b == b' ' || b == b'\t' { run + 1 } else { 0 };
            if run > MAX_WHITESPACE_RUN {
                return Err(());
            }
        }
        for el in line.split(|&b| b == b',') {
            let t = trim_ows(el);
            if t.is_empty() {
                empties += 1;
                if empties > MAX_EMPTY_ELEMENTS {
                    return Err(());
                }
            } else if !is_token(t) || !allowed(t) {
                return Err(());
            } else {
                names.push(t.to_ascii_lowercase());
                listed = true;
            }
        }
    }
    if names.windows(2).any(|w| w[0] >= w[1]) {
        return Err(());
    }
    Ok(listed)
}

// ---------------------------------------------------------------------------
// Structured pieces the inputs are made of: raw bytes, or words that reach
// deeper than random bytes would.

#[derive(Arbitrary, Debug)]
enum Piece<'a> {
    Word(u8),
    /// A word 0 to 39 times: long runs of commas, spaces, labels.
    Repeat(u8, u8),
    Raw(&'a str),
}

const ORIGIN_WORDS: &[&str] = &[
    "https://",
    "http://",
    "HTTPS://",
    "ws://",
    "wss://",
    "chrome-extension://",
    "tauri://",
    "file://",
    "data:",
    "null",
    "*",
    "*.",
    ".",
    ":",
    ":*",
    "/",
    "?",
    "#",
    "@",
    "example.com",
    "example.org",
    "app",
    "dev",
    "localhost",
    "127.0.0.1",
    "127.1",
    "0x7f.1",
    "[::1]",
    "[0:0::1]",
    "[::ffff:127.0.0.1]",
    "com",
    "github.io",
    "co.uk",
    "A",
    "_",
    "-",
    "xn--bcher-kva",
    "bücher",
    ":443",
    ":80",
    ":8080",
    ":0",
    ":080",
    ":65535",
    ":65536",
    ":99999999999",
    " ",
];

const TOKEN_WORDS: &[&str] = &[
    "*",
    "GET",
    "PUT",
    "PATCH",
    "patch",
    "DELETE",
    "OPTIONS",
    "CONNECT",
    "trace",
    "content-type",
    "Content-Type",
    "authorization",
    "x-api-key",
    "x-request-id",
    "x-",
    "sec-",
    "proxy-",
    "access-control-allow-",
    "access-control-request-method",
    "access-control-max-age",
    "set-cookie",
    "origin",
    "cookie",
    ",",
    " ",
    "\t",
    ":",
    "\"",
    "é",
    "*,",
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-private-network",
    "access-control-expose-headers",
    "connection",
    "content-length",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "referer",
    "set-cookie2",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
    "x-http-method-override",
];

fn join(pieces: &[Piece<'_>], words: &[&str]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Word(i) => words[usize::from(*i) % words.len()].to_owned(),
            Piece::Repeat(i, n) => words[usize::from(*i) % words.len()].repeat(usize::from(*n) % 40),
            Piece::Raw(s) => (*s).to_owned(),
        })
        .collect()
}

#[derive(Arbitrary, Debug)]
enum Text<'a> {
    Raw(&'a str),
    Pieces(Vec<Piece<'a>>),
}

impl Text<'_> {
    fn render(&self, words: &[&str]) -> String {
        match self {
            Text::Raw(s) => (*s).to_owned(),
            Text::Pieces(p) => join(p, words),
        }
    }
}

// ---------------------------------------------------------------------------
// Target `origin`: one allow_origins entry through the builder and arbitrary
// `Origin` bytes through the matcher; and a fixed policy against a plain model.

#[derive(Arbitrary, Debug)]
struct OriginInput<'a> {
    entry: Text<'a>,
    credentials: bool,
    private_network: bool,
    probes: Vec<Probe<'a>>,
}

#[derive(Arbitrary, Debug)]
enum Probe<'a> {
    Raw(&'a [u8]),
    Pieces(Vec<Piece<'a>>),
    /// The entry with bytes before and after it.
    Around(&'a [u8], &'a [u8]),
}

const FIXED_EXACT: &[&str] = &[
    "https://app.example.com",
    "https://example.net:8443",
    "http://127.0.0.1:3000",
    "http://[::1]:8080",
    "tauri://localhost",
    "chrome-extension://abcdefghijklmnop",
];
const FIXED_PATTERNS: &[&str] = &[
    "https://*.example.org",
    "http://localhost:*",
    "https://*.dev.example.com:*",
    "http://[::1]:*",
];

fn fixed_origins() -> &'static Policy {
    static P: OnceLock<Policy> = OnceLock::new();
    P.get_or_init(|| {
        let all: Vec<&str> = FIXED_EXACT.iter().chain(FIXED_PATTERNS).copied().collect();
        Policy::builder()
            .allow_origins(all)
            .build()
            .expect("fixed origin policy")
    })
}

/// The longest origin the fixed policy could allow: `https://` + a 253-byte
/// host (the DNS limit) + `:65535`, for `https://*.dev.example.com:*`.
const FIXED_MAX_LEN: usize = "https://".len() + 253 + ":65535".len();

/// What the fixed policy must allow, written from RULES.md section 5 alone
/// (including "an `Origin` longer than any allowed origin could be is refused").
fn fixed_origins_model(o: &[u8]) -> bool {
    if FIXED_EXACT.iter().any(|e| e.as_bytes() == o) {
        return true;
    }
    if o.len() > FIXED_MAX_LEN {
        return false;
    }
    let Ok(s) = std::str::from_utf8(o) else { return false };
    let opt_port = |rest: &str| rest.is_empty() || rest.strip_prefix(':').is_some_and(canonical_port);
    if let Some(h) = s.strip_prefix("https://").and_then(|r| r.strip_suffix(".example.org")) {
        if labels(h) {
            return true;
        }
    }
    if s.strip_prefix("http://localhost").is_some_and(opt_port) || s.strip_prefix("http://[::1]").is_some_and(opt_port)
    {
        return true;
    }
    if let Some(r) = s.strip_prefix("https://") {
        let (host, port_ok) = match r.rsplit_once(':') {
            Some((h, p)) => (h, canonical_port(p)),
            None => (r, true),
        };
        if port_ok && host.strip_suffix(".dev.example.com").is_some_and(labels) {
            return true;
        }
    }
    false
}

fn default_port(scheme: &str) -> Option<&'static str> {
    match scheme {
        "http" | "ws" => Some("80"),
        "https" | "wss" => Some("443"),
        _ => None,
    }
}

/// Checks one probe against a policy built from the single entry `e`.
fn origin_probe(p: &Policy, e: &str, probe: &[u8]) {
    let allowed = p.allows_origin(probe);
    assert_eq!(allowed, p.allows_origin(probe));
    assert_eq!(
        fixed_origins().allows_origin(probe),
        fixed_origins_model(probe),
        "fixed policy and model disagree on `{}`",
        show(probe)
    );
    if !allowed || e == "*" {
        return;
    }
    if !e.contains('*') {
        assert_eq!(probe, e.as_bytes(), "exact `{e}` allows `{}`", show(probe));
        return;
    }
    // A pattern only allows origins that are canonical in their own right
    // (or that differ from one by naming the default port, under `:*`).
    let s = std::str::from_utf8(probe).unwrap_or_else(|_| panic!("`{e}` allows non-UTF-8 `{}`", show(probe)));
    assert!(!s.contains('*'), "`{e}` allows `{s}`");
    if let Err(err) = Policy::builder().allow_origins([s]).build() {
        let default = e.ends_with(":*")
            && s.split_once("://")
                .and_then(|(scheme, rest)| Some((default_port(scheme)?, rest.rsplit_once(':')?.1)))
                .is_some_and(|(d, port)| d == port);
        assert!(default, "`{e}` allows `{s}`, which is no canonical origin: {err}");
    }
}

pub fn origin(data: &[u8]) {
    let Ok(input) = OriginInput::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let e = input.entry.render(ORIGIN_WORDS);
    let spec = Spec {
        credentials: input.credentials,
        private_network: input.private_network,
        ..Spec::new(&[e.as_str()])
    };
    let built = spec.build().expect("no max_age");
    check_result(&spec, &built);
    let mut probes: Vec<Vec<u8>> = input
        .probes
        .iter()
        .map(|p| match p {
            Probe::Raw(b) => b.to_vec(),
            Probe::Pieces(p) => join(p, ORIGIN_WORDS).into_bytes(),
            Probe::Around(a, b) => [*a, e.as_bytes(), *b].concat(),
        })
        .collect();
    probes.push(e.clone().into_bytes());
    let Ok(p) = built else {
        for probe in &probes {
            assert_eq!(
                fixed_origins().allows_origin(probe),
                fixed_origins_model(probe),
                "`{}`",
                show(probe)
            );
        }
        return;
    };
    // A pattern allows what RULES.md section 5 says it does, and not its lookalikes.
    let mut yes: Vec<String> = vec![];
    let mut no: Vec<String> = vec![];
    // A host longer than DNS allows (253 bytes) is refused unparsed, so only
    // expect matches below that.
    let parent_len = e
        .split_once("://*.")
        .map(|(_, r)| r.rsplit_once(':').map_or(r, |(h, _)| h).len());
    if parent_len.is_some_and(|n| n + 4 > 253) {
        yes.clear();
    } else if e.contains("://*.") {
        let sub = e.replacen("://*.", "://x-1.", 1);
        yes.push(e.replacen("://*.", "://a.b.", 1));
        no.push(e.replacen("://*.", "://", 1));
        no.push(e.replacen("://*.", "://evil", 1));
        no.push(e.replacen("://*.", "://.", 1));
        no.push(e.replacen("://*.", "://X.", 1));
        no.push(e.replacen("://*.", "://a_b.", 1));
        yes.push(sub);
    } else if e != "*" {
        yes.push(e.clone());
    }
    if e.ends_with(":*") {
        let expand = |list: &mut Vec<String>, ports: &[&str]| {
            let base = std::mem::take(list);
            for b in base {
                let stem = &b[..b.len() - 2];
                list.extend(ports.iter().map(|p| format!("{stem}{p}")));
            }
        };
        let mut bad = yes.clone();
        expand(&mut yes, &["", ":1", ":8080", ":65535"]);
        expand(&mut no, &[":8080"]);
        expand(&mut bad, &[":", ":0", ":08080", ":65536", ":123456", ":+1", ":8080/"]);
        no.extend(bad);
    }
    for y in &yes {
        assert!(p.allows_origin(y.as_bytes()), "`{e}` does not allow `{y}`");
    }
    for n in &no {
        assert!(!p.allows_origin(n.as_bytes()), "`{e}` allows `{n}`");
    }
    for probe in yes
        .iter()
        .chain(&no)
        .map(|s| s.as_bytes())
        .chain(probes.iter().map(Vec::as_slice))
    {
        origin_probe(&p, &e, probe);
    }
}

// ---------------------------------------------------------------------------
// Target `request_headers`: Access-Control-Request-Headers lines against fixed
// policies with and without `*`, checked against a plain model of the rules.

#[derive(Arbitrary, Debug)]
enum HeaderLine<'a> {
    Raw(&'a [u8]),
    Pieces(Vec<Piece<'a>>),
}

#[derive(Arbitrary, Debug)]
struct RequestHeadersInput<'a> {
    lines: Vec<HeaderLine<'a>>,
    names: Vec<&'a [u8]>,
}

fn header_policies() -> &'static [Fixed] {
    static P: OnceLock<Vec<Fixed>> = OnceLock::new();
    P.get_or_init(|| {
        let base = |headers: &[&str], credentials: bool| Spec {
            methods: Some(strs(&["PUT"])),
            headers: strs(headers),
            credentials,
            ..Spec::new(&["https://app.example.com"])
        };
        vec![
            fixed(base(&["content-type", "X-Api-Key", "authorization"], true)),
            fixed(base(&["*"], false)),
            fixed(base(&["*", "authorization"], false)),
            fixed(base(&["*"], true)),
            fixed(base(&[], false)),
        ]
    })
}

pub fn request_headers(data: &[u8]) {
    let Ok(input) = RequestHeadersInput::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let lines: Vec<Vec<u8>> = input
        .lines
        .iter()
        .map(|l| match l {
            HeaderLine::Raw(b) => b.to_vec(),
            HeaderLine::Pieces(p) => join(p, TOKEN_WORDS).into_bytes(),
        })
        .collect();
    let mut headers: Vec<(&[u8], &[u8])> = vec![
        (b"Origin", b"https://app.example.com"),
        (b"Access-Control-Request-Method", b"PUT"),
    ];
    headers.extend(
        lines
            .iter()
            .map(|l| (&b"access-control-request-headers"[..], l.as_slice())),
    );
    let req = RawRequest {
        method: b"OPTIONS",
        headers: &headers,
    };
    let line_refs: Vec<&[u8]> = lines.iter().map(Vec::as_slice).collect();
    for f in header_policies() {
        let d = check_decision(f, &req, &[]);
        let model = acrh_model(&line_refs, |n| f.spec.header_allowed(n), acrh_limits(&f.spec));
        assert_eq!(
            d.denial().is_none(),
            model.is_ok(),
            "ACRH {lines:?} under {:?}: {d:?}",
            f.spec
        );
        let names = list_tokens(&lines).chain(input.names.iter().copied());
        for name in names {
            assert_eq!(
                f.policy.allows_request_header(name),
                f.spec.header_allowed(name),
                "allows_request_header({}) under {:?}",
                show(name),
                f.spec
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Target `engine`: any method, any header names and values, repeated headers,
// non-UTF-8, through decide + write + explain (+ the http 1 API) against fixed
// policies, over a response that may already carry a handler's headers.

#[derive(Arbitrary, Debug)]
enum MethodIn<'a> {
    Options,
    Get,
    Post,
    Put,
    Raw(&'a [u8]),
}

#[derive(Arbitrary, Debug)]
enum NameIn<'a> {
    Origin,
    OriginUpper,
    RequestMethod,
    RequestHeaders,
    RequestPrivateNetwork,
    Raw(&'a [u8]),
}

#[derive(Arbitrary, Debug)]
enum ValueIn<'a> {
    Origin(u8),
    Method(u8),
    Names(u8),
    True,
    Pieces(Vec<Piece<'a>>),
    Raw(&'a [u8]),
}

#[derive(Arbitrary, Debug)]
struct EngineInput<'a> {
    method: MethodIn<'a>,
    headers: Vec<(NameIn<'a>, ValueIn<'a>)>,
    /// A handler's response headers: (which of the 8 names, value).
    response: Vec<(u8, ValueIn<'a>)>,
}

const ENGINE_ORIGINS: &[&str] = &[
    "https://app.example.com",
    "https://a.example.org",
    "https://a.b.example.org",
    "https://example.org",
    "http://localhost",
    "http://localhost:3000",
    "http://localhost:0",
    "http://[::1]:8080",
    "https://evil.com",
    "https://app.example.com.evil.com",
    "https://APP.example.com",
    "https://app.example.com:443",
    "https://app.example.com/",
    "null",
    "",
    "*",
];
const ENGINE_METHODS: &[&str] = &[
    "PUT",
    "PATCH",
    "patch",
    "DELETE",
    "GET",
    "HEAD",
    "POST",
    "OPTIONS",
    "CONNECT",
    "",
    "PUT, PATCH",
    " PUT",
    "*",
];
const ENGINE_NAMES: &[&str] = &[
    "content-type",
    "authorization",
    "Authorization",
    "content-type,authorization",
    "x-custom",
    "x-custom, content-type",
    " , ,",
    "*",
    "origin",
    "vary",
    "*, origin",
    "Origin, Accept",
];

fn engine_policies() -> &'static [Fixed] {
    static P: OnceLock<Vec<Fixed>> = OnceLock::new();
    P.get_or_init(|| {
        vec![
            fixed(Spec {
                methods: Some(strs(&["PUT", "PATCH"])),
                headers: strs(&["content-type", "authorization"]),
                expose: strs(&["x-request-id"]),
                credentials: true,
                max_age: Some(600),
                private_network: true,
                ..Spec::new(&[
                    "https://app.example.com",
                    "https://*.example.org",
                    "http://localhost:*",
                    "http://[::1]:*",
                ])
            }),
            fixed(Spec {
                methods: Some(strs(&["*"])),
                headers: strs(&["*"]),
                expose: strs(&["*"]),
                max_age: Some(0),
                ..Spec::new(&["*"])
            }),
            fixed(Spec {
                methods: Some(strs(&["*"])),
                headers: strs(&["*", "authorization"]),
                credentials: true,
                preflight_status: Some(200),
                ..Spec::new(&["https://app.example.com", "https://*.example.org"])
            }),
            fixed(Spec::new(&["https://app.example.com"])),
            fixed(Spec::new(&["*"])),
        ]
    })
}

impl ValueIn<'_> {
    fn bytes(&self) -> Vec<u8> {
        let pick = |list: &[&str], i: u8| list[usize::from(i) % list.len()].as_bytes().to_vec();
        match self {
            ValueIn::Origin(i) => pick(ENGINE_ORIGINS, *i),
            ValueIn::Method(i) => pick(ENGINE_METHODS, *i),
            ValueIn::Names(i) => pick(ENGINE_NAMES, *i),
            ValueIn::True => b"true".to_vec(),
            ValueIn::Pieces(p) => join(p, TOKEN_WORDS).into_bytes(),
            ValueIn::Raw(b) => b.to_vec(),
        }
    }
}

pub fn engine(data: &[u8]) {
    let Ok(input) = EngineInput::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let method: &[u8] = match &input.method {
        MethodIn::Options => b"OPTIONS",
        MethodIn::Get => b"GET",
        MethodIn::Post => b"POST",
        MethodIn::Put => b"PUT",
        MethodIn::Raw(b) => b,
    };
    let values: Vec<Vec<u8>> = input.headers.iter().map(|(_, v)| v.bytes()).collect();
    let headers: Vec<(&[u8], &[u8])> = input
        .headers
        .iter()
        .zip(&values)
        .map(|((n, _), v)| {
            let n: &[u8] = match n {
                NameIn::Origin => b"origin",
                NameIn::OriginUpper => b"ORIGIN",
                NameIn::RequestMethod => b"Access-Control-Request-Method",
                NameIn::RequestHeaders => b"access-control-request-headers",
                NameIn::RequestPrivateNetwork => b"Access-Control-Request-Private-Network",
                NameIn::Raw(b) => b,
            };
            (n, v.as_slice())
        })
        .collect();
    let pre: Vec<(ResponseHeader, Vec<u8>)> = input
        .response
        .iter()
        .map(|(i, v)| (ALL_RESPONSE[usize::from(*i) % ALL_RESPONSE.len()], v.bytes()))
        .collect();
    let req = RawRequest {
        method,
        headers: &headers,
    };
    for f in engine_policies() {
        let _ = check_decision(f, &req, &pre);
    }
}

// ---------------------------------------------------------------------------
// Target `builder`: arbitrary policy input (lists of strings, bools, numbers)
// must give Ok or an Err listing problems, never a panic; and arbitrary JSON
// through serde_json -> Config -> Policy::try_from.

#[derive(Arbitrary, Debug)]
struct Fields<'a> {
    origins: Vec<Text<'a>>,
    methods: Option<Vec<Text<'a>>>,
    headers: Vec<Text<'a>>,
    expose: Vec<Text<'a>>,
    credentials: bool,
    max_age: Option<u32>,
    private_network: bool,
    preflight_status: Option<u16>,
    insecure: bool,
    public_suffix: bool,
}

#[derive(Arbitrary, Debug)]
enum BuilderInput<'a> {
    Fields(Fields<'a>),
    /// Raw bytes for serde_json (seeds start with four 0xff bytes to pick this variant).
    Json(&'a [u8]),
}

pub fn builder(data: &[u8]) {
    let Ok(input) = BuilderInput::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    match input {
        BuilderInput::Fields(f) => {
            let render = |v: &[Text<'_>], words: &[&str]| v.iter().map(|t| t.render(words)).collect::<Vec<_>>();
            let spec = Spec {
                origins: render(&f.origins, ORIGIN_WORDS),
                methods: f.methods.as_deref().map(|m| render(m, TOKEN_WORDS)),
                headers: render(&f.headers, TOKEN_WORDS),
                expose: render(&f.expose, TOKEN_WORDS),
                credentials: f.credentials,
                max_age: f.max_age.map(i64::from),
                private_network: f.private_network,
                preflight_status: f.preflight_status,
                insecure: f.insecure,
                public_suffix: f.public_suffix,
            };
            let r = spec.build().expect("u32 max_age");
            check_result(&spec, &r);
            assert_eq!(
                spec.build().expect("u32").err(),
                r.as_ref().err().cloned(),
                "build is not deterministic"
            );
            // The same policy as a config file gives the same answer.
            #[cfg(feature = "serde")]
            {
                let text = spec.to_json().to_string();
                let config: corsair_core::Config =
                    serde_json::from_str(&text).unwrap_or_else(|e| panic!("config {text} refused by serde: {e}"));
                let via_config = Policy::try_from(config);
                assert_eq!(
                    via_config.as_ref().err(),
                    r.as_ref().err(),
                    "builder and config disagree on {text}"
                );
            }
        }
        #[cfg(feature = "serde")]
        BuilderInput::Json(bytes) => {
            let Ok(config) = serde_json::from_slice::<corsair_core::Config>(bytes) else {
                return;
            };
            let spec = Spec::from_config(&config);
            let r = Policy::try_from(config);
            check_result(&spec, &r);
            if let Some(b) = spec.build() {
                assert_eq!(b.err(), r.err(), "config and builder disagree on {spec:?}");
            }
        }
        #[cfg(not(feature = "serde"))]
        BuilderInput::Json(_) => {}
    }
}
