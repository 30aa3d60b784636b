//! Origins and origin patterns: parsing and canonical-form checks for policies
//! (RULES.md sections 5 and 6.1-6.7), and the allocation-free matcher over raw `Origin` bytes.

use std::borrow::Cow;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::error::Code;

/// Text owned by a built policy or borrowed from a `cors!` expansion.
pub(crate) type Text = Cow<'static, str>;
/// A list owned by a built policy or borrowed from a `cors!` expansion.
pub(crate) type List<T> = Cow<'static, [T]>;

/// The longest host a DNS name can have; bounds what a subdomain pattern can match.
const MAX_HOST_LEN: usize = 253;

/// One entry of `allow_origins`, parsed and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Spec {
    Any,
    Exact(String),
    Pattern(Pattern),
}

/// Why an `allow_origins` entry was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) code: Code,
    pub(crate) message: String,
    pub(crate) hint: String,
}

/// A port in an origin pattern.
#[doc(hidden)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PortPattern {
    /// No port: the scheme's default.
    Default,
    /// Exactly this port (digits, canonical).
    Exact(Text),
    /// `:*`: any port, or none.
    Any,
}

/// A pattern such as `https://*.example.com` or `http://localhost:*`.
#[doc(hidden)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Pattern {
    /// Lower-case scheme, without `://`.
    pub scheme: Text,
    /// The host, or for a subdomain pattern the parent domain (without the `*.`).
    pub host: Text,
    /// `*.` before the host: one or more labels, never the parent itself.
    pub subdomains: bool,
    /// The port part.
    pub port: PortPattern,
}

impl Pattern {
    /// Does this pattern match a raw `Origin` value? Allocates nothing.
    pub(crate) fn matches(&self, origin: &[u8]) -> bool {
        let Some(rest) = origin.strip_prefix(self.scheme.as_bytes()) else {
            return false;
        };
        let Some(authority) = rest.strip_prefix(b"://") else {
            return false;
        };
        let Some((host, port)) = split_authority(authority) else {
            return false;
        };
        let port_ok = match (&self.port, port) {
            (PortPattern::Default, None) | (PortPattern::Any, None) => true,
            (PortPattern::Exact(p), Some(q)) => p.as_bytes() == q,
            (PortPattern::Any, Some(q)) => is_canonical_port(q),
            _ => false,
        };
        if !port_ok {
            return false;
        }
        let parent = self.host.as_bytes();
        if !self.subdomains {
            return host == parent;
        }
        // `<labels>.<parent>`: at least one whole label before the parent.
        if host.len() < parent.len() + 2 || !host.ends_with(parent) {
            return false;
        }
        let labels = &host[..host.len() - parent.len()];
        let Some(labels) = labels.strip_suffix(b".") else {
            return false;
        };
        labels.split(|&b| b == b'.').all(|l| {
            !l.is_empty()
                && l.iter()
                    .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
    }

    /// The longest origin this pattern can match.
    pub(crate) fn max_len(&self) -> usize {
        let host = if self.subdomains { MAX_HOST_LEN } else { self.host.len() };
        let port = match &self.port {
            PortPattern::Default => 0,
            PortPattern::Exact(p) => 1 + p.len(),
            PortPattern::Any => 6,
        };
        self.scheme.len() + 3 + host + port
    }

    /// Is this an `http:` pattern on a host other than loopback?
    pub(crate) fn is_insecure(&self) -> bool {
        is_insecure(&self.scheme, &self.host, self.subdomains)
    }
}

/// Splits `host[:port]` (host may be a bracketed IPv6 literal).
fn split_authority(a: &[u8]) -> Option<(&[u8], Option<&[u8]>)> {
    if a.first() == Some(&b'[') {
        let close = a.iter().position(|&b| b == b']')?;
        let (host, rest) = a.split_at(close + 1);
        match rest {
            [] => Some((host, None)),
            [b':', port @ ..] => Some((host, Some(port))),
            _ => None,
        }
    } else {
        match a.iter().rposition(|&b| b == b':') {
            None => Some((a, None)),
            Some(i) => Some((&a[..i], Some(&a[i + 1..]))),
        }
    }
}

/// 1 to 5 digits, no leading zero, at most 65535.
fn is_canonical_port(p: &[u8]) -> bool {
    if p.is_empty() || p.len() > 5 || p[0] == b'0' || !p.iter().all(u8::is_ascii_digit) {
        return false;
    }
    p.iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0')) <= 65535
}

/// `http:` on anything but localhost and loopback addresses.
pub(crate) fn is_insecure(scheme: &str, host: &str, subdomains: bool) -> bool {
    if scheme != "http" {
        return false;
    }
    let loopback = host == "localhost"
        || host.ends_with(".localhost")
        || (!subdomains && (host == "[::1]" || host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())));
    !loopback
}

/// Is `domain` itself a suffix listed in the Public Suffix List?
/// Names the list does not know (`localhost`, `internal`) are not.
///
/// A name covered only by a wildcard rule (`*.ck`, `*.compute.amazonaws.com`) is
/// not itself a suffix, but every name one label below it is: `*.ck` would match
/// strangers' sites, so such a parent counts too. (A parent with suffixes further
/// below, like `amazonaws.com`, cannot be told from the list; see the docs.)
pub(crate) fn is_public_suffix(domain: &str) -> bool {
    let listed =
        |name: &str| psl::suffix(name.as_bytes()).is_some_and(|s| s.is_known() && s.as_bytes() == name.as_bytes());
    listed(domain) || listed(&format!("x.{domain}"))
}

/// The table of exact origins: open addressing over a fixed hash, so a `cors!`
/// expansion can carry it as static data and lookups take the same time for 1
/// or 10,000 origins.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct OriginTable {
    /// `0` for an empty slot, else index + 1 into `origins`; the length is a power of two.
    pub slots: List<u32>,
    /// The exact origins, canonical.
    pub origins: List<Text>,
}

/// FNV-1a, 64-bit: deterministic, so the macro and the runtime agree on slots.
#[doc(hidden)]
pub const fn hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    h
}

impl OriginTable {
    /// Builds the table; `origins` must be distinct.
    pub(crate) fn build(origins: Vec<String>) -> Self {
        let cap = (origins.len() * 2).next_power_of_two().max(2);
        let mask = cap - 1;
        let mut slots = vec![0u32; cap];
        for (i, o) in origins.iter().enumerate() {
            let mut s = hash(o.as_bytes()) as usize & mask;
            while slots[s] != 0 {
                s = (s + 1) & mask;
            }
            slots[s] = i as u32 + 1;
        }
        OriginTable {
            slots: Cow::Owned(slots),
            origins: Cow::Owned(origins.into_iter().map(Cow::Owned).collect()),
        }
    }

    /// Is `origin` one of the exact origins? Allocates nothing; O(1) expected.
    pub(crate) fn contains(&self, origin: &[u8]) -> bool {
        let mask = self.slots.len().wrapping_sub(1);
        if self.origins.is_empty() {
            return false;
        }
        let mut s = hash(origin) as usize & mask;
        // The load factor is at most 1/2, so an empty slot comes soon; the bound only
        // guards a table built by hand through the hidden constructor.
        for _ in 0..self.slots.len() {
            match self.slots[s] {
                0 => return false,
                i => {
                    if self.origins.get(i as usize - 1).is_some_and(|o| o.as_bytes() == origin) {
                        return true;
                    }
                }
            }
            s = (s + 1) & mask;
        }
        false
    }
}

fn refuse(code: Code, message: impl Into<String>, hint: impl Into<String>) -> Refusal {
    Refusal {
        code,
        message: message.into(),
        hint: hint.into(),
    }
}

/// A fix hint that names the corrected origin, when one can be worked out.
fn write_instead(input: &str, hints: bool) -> String {
    match hints.then(|| suggest(input)).flatten() {
        Some(s) if s != input => format!("write `{s}`"),
        _ => "write an origin as scheme://host[:port], e.g. `https://app.example.com`".to_owned(),
    }
}

/// "write `fixed`" when the corrected text is a valid origin, else the best suggestion for it.
fn write_fixed(fixed: &str, hints: bool) -> String {
    match parse_inner(fixed, false) {
        Ok(_) if hints => format!("write `{fixed}`"),
        _ => write_instead(fixed, hints),
    }
}

/// Best effort: the canonical origin the author most likely meant.
fn suggest(input: &str) -> Option<String> {
    let t = input.trim();
    let (scheme, rest) = match t.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        // Local development servers are plain http; everything else should be https.
        None if t.starts_with("localhost") || t.starts_with("127.") || t.starts_with("[::1]") => ("http".to_owned(), t),
        None => ("https".to_owned(), t),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    let (host, port) = match split_authority(authority.as_bytes()) {
        Some((h, p)) => (
            std::str::from_utf8(h).ok()?,
            p.map(|p| std::str::from_utf8(p).ok()).unwrap_or(Some(""))?,
        ),
        None => return None,
    };
    let mut host = host.trim_end_matches('.').to_lowercase();
    if let Some(wild) = host.strip_prefix("*.") {
        host = format!("*.{}", canonical_host(wild)?);
    } else {
        host = canonical_host(&host)?;
    }
    let port = port.trim_start_matches('0');
    let port = if port.is_empty() || Some(port) == default_port(&scheme) {
        String::new()
    } else {
        format!(":{port}")
    };
    let s = format!("{scheme}://{host}{port}");
    parse_inner(&s, false).ok().map(|_| s)
}

/// Punycode, canonical IP, or the host itself when it already is canonical.
fn canonical_host(host: &str) -> Option<String> {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner
            .parse::<Ipv6Addr>()
            .ok()
            .map(|ip| format!("[{}]", serialize_ipv6(ip)));
    }
    if ends_in_number(host) {
        return parse_ipv4(host).map(|ip| ip.to_string());
    }
    if host.is_ascii() {
        return Some(host.to_ascii_lowercase());
    }
    to_punycode(host)
}

/// The ASCII form browsers send for a Unicode host: each label lower-cased and,
/// when not ASCII, `xn--` + its RFC 3492 punycode. (Full UTS #46 mapping is not
/// needed for a fix hint: the suggestion is checked again before it is shown.)
fn to_punycode(host: &str) -> Option<String> {
    let labels: Option<Vec<String>> = host
        .split('.')
        .map(|label| {
            let lower = label.to_lowercase();
            if lower.is_ascii() {
                Some(lower)
            } else {
                punycode(&lower).map(|p| format!("xn--{p}"))
            }
        })
        .collect();
    labels.map(|l| l.join("."))
}

/// RFC 3492 section 6.3, with overflow checks.
fn punycode(input: &str) -> Option<String> {
    const BASE: u32 = 36;
    const TMIN: u32 = 1;
    const TMAX: u32 = 26;
    const SKEW: u32 = 38;
    const DAMP: u32 = 700;
    fn adapt(mut delta: u32, points: u32, first: bool) -> u32 {
        delta /= if first { DAMP } else { 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - TMIN) * TMAX) / 2 {
            delta /= BASE - TMIN;
            k += BASE;
        }
        k + (BASE - TMIN + 1) * delta / (delta + SKEW)
    }
    let digit = |d: u32| char::from(if d < 26 { b'a' + d as u8 } else { b'0' + (d - 26) as u8 });
    let chars: Vec<u32> = input.chars().map(u32::from).collect();
    let mut out: String = input.chars().filter(char::is_ascii).collect();
    let basic = out.len() as u32;
    let mut handled = basic;
    if basic > 0 {
        out.push('-');
    }
    let (mut n, mut delta, mut bias) = (128u32, 0u32, 72u32);
    while (handled as usize) < chars.len() {
        let m = chars.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &chars {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        TMIN
                    } else if k >= bias + TMAX {
                        TMAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    out.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(out)
}

fn default_port(scheme: &str) -> Option<&'static str> {
    match scheme {
        "http" => Some("80"),
        "https" => Some("443"),
        _ => None,
    }
}

const OPAQUE: [&str; 5] = ["file", "data", "blob", "about", "javascript"];

/// Parses one `allow_origins` entry, refusing anything that is not a canonical
/// origin or a well-formed pattern (rules 6.3 to 6.6).
pub(crate) fn parse(input: &str) -> Result<Spec, Refusal> {
    parse_inner(input, true)
}

/// `hints: false` while checking a suggestion, which must not suggest in turn.
fn parse_inner(input: &str, hints: bool) -> Result<Spec, Refusal> {
    if input == "*" {
        return Ok(Spec::Any);
    }
    if input.is_empty() {
        return Err(refuse(
            Code::OriginInvalid,
            "the origin is empty",
            "write an origin as scheme://host[:port], e.g. `https://app.example.com`",
        ));
    }
    if input.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(refuse(
            Code::OriginHasWhitespace,
            format!(
                "origin `{}` contains white space or control characters",
                input.escape_debug()
            ),
            write_instead(input, hints),
        ));
    }
    if input.eq_ignore_ascii_case("null") {
        return Err(refuse(
            Code::NullOrigin,
            "the `null` origin is sent by sandboxed iframes, file:// pages and redirects, so any site can forge it",
            "remove `null`; serve the page from a real origin such as `https://app.example.com`",
        ));
    }
    // `blob:https://...` too: the scheme is what stands before the first colon.
    let first = input.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
    if first.as_deref().is_some_and(|s| OPAQUE.contains(&s)) {
        return Err(opaque(input));
    }
    let Some((scheme, rest)) = input.split_once("://") else {
        return Err(missing_slashes(input, first.as_deref(), hints));
    };
    if matches!(scheme.to_ascii_lowercase().as_str(), "ws" | "wss") {
        let fixed = format!("http{}://{rest}", &scheme[2..]);
        return Err(refuse(
            Code::OriginInvalid,
            format!("origin `{input}` has a WebSocket scheme, which browsers never send: a WebSocket handshake carries the page's http(s) origin"),
            write_fixed(&fixed, hints),
        ));
    }
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok {
        return Err(refuse(
            Code::OriginInvalid,
            format!("origin `{input}` has an invalid scheme `{scheme}`"),
            write_instead(input, hints),
        ));
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    if authority.contains('@') {
        return Err(refuse(
            Code::OriginHasUserinfo,
            format!("origin `{input}` contains userinfo (`...@`); origins never carry credentials"),
            write_instead(input, hints),
        ));
    }
    match rest[end..].chars().next() {
        Some('/') => {
            let what = if &rest[end..] == "/" {
                "a trailing slash"
            } else {
                "a path"
            };
            return Err(refuse(
                Code::OriginHasPath,
                format!(
                    "origin `{input}` has {what}; an origin is scheme://host[:port] and browsers send it without one"
                ),
                write_instead(input, hints),
            ));
        }
        Some('?') => {
            return Err(refuse(
                Code::OriginHasQuery,
                format!("origin `{input}` has a query; an origin has none"),
                write_instead(input, hints),
            ));
        }
        Some('#') => {
            return Err(refuse(
                Code::OriginHasFragment,
                format!("origin `{input}` has a fragment; an origin has none"),
                write_instead(input, hints),
            ));
        }
        _ => {}
    }
    if scheme.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(refuse(
            Code::OriginUppercase,
            format!("origin `{input}` has an upper-case scheme; browsers send it in lower case"),
            write_instead(input, hints),
        ));
    }
    if authority.starts_with("*.[") {
        return Err(refuse(
            Code::OriginMalformedWildcard,
            format!("origin pattern `{input}` puts `*.` in front of an IP address, which has no subdomains"),
            "list the IP origin itself, e.g. `http://[::1]:8080`",
        ));
    }
    let Some((host, port)) = split_authority(authority.as_bytes()) else {
        let what = match authority.contains(']') {
            true => "has characters after its IPv6 address",
            false => "is missing the closing `]` of its IPv6 address",
        };
        return Err(refuse(
            Code::OriginInvalid,
            format!("origin `{input}` {what}"),
            write_instead(input, hints),
        ));
    };
    // split_authority only splits at ASCII bytes, so both halves are UTF-8.
    let host = std::str::from_utf8(host).unwrap_or_default();
    let port = match port.map(std::str::from_utf8) {
        None => PortPattern::Default,
        Some(Ok("*")) => PortPattern::Any,
        Some(Ok(p)) => check_port(input, scheme, p, hints)?,
        Some(Err(_)) => {
            return Err(refuse(
                Code::OriginInvalidPort,
                format!("origin `{input}` has a port that is not a number"),
                write_instead(input, hints),
            ))
        }
    };
    let (subdomains, host) = match host.strip_prefix("*.") {
        Some(parent) => (true, parent),
        None => (false, host),
    };
    if host.contains('*') || (subdomains && host.is_empty()) {
        return Err(refuse(
            Code::OriginMalformedWildcard,
            format!("origin pattern `{input}` is malformed: `*` may only stand for whole leading labels, as in `https://*.example.com`"),
            "write `scheme://*.parent.domain`, or `*` alone to allow any origin",
        ));
    }
    check_host(input, host, subdomains, hints)?;
    if !subdomains && matches!(port, PortPattern::Default | PortPattern::Exact(_)) {
        return Ok(Spec::Exact(input.to_owned()));
    }
    Ok(Spec::Pattern(Pattern {
        scheme: Cow::Owned(scheme.to_owned()),
        host: Cow::Owned(host.to_owned()),
        subdomains,
        port,
    }))
}

/// No `://`: a bare host (`example.com`), a slip (`https:/x`, `https//x`,
/// `https:x`), or a non-web URL (`mailto:`).
fn missing_slashes(input: &str, scheme: Option<&str>, hints: bool) -> Refusal {
    let slip = ["http", "https"].iter().find_map(|s| {
        let rest = input.get(s.len()..)?;
        let ok = input[..s.len()].eq_ignore_ascii_case(s) && rest.starts_with([':', '/']);
        ok.then(|| format!("{s}://{}", rest.trim_start_matches([':', '/'])))
    });
    match (slip, scheme) {
        (Some(fixed), _) => refuse(
            Code::OriginMissingScheme,
            format!("origin `{input}` is missing the `://` after its scheme"),
            write_fixed(&fixed, hints),
        ),
        // `localhost:3000`, `example.com:8080`: a host and port, not a scheme.
        (None, Some(_))
            if input
                .split_once(':')
                .is_some_and(|(_, p)| p.bytes().all(|b| b.is_ascii_digit())) =>
        {
            refuse(
                Code::OriginMissingScheme,
                format!("origin `{input}` has no scheme; browsers send `scheme://host[:port]`"),
                write_instead(input, hints),
            )
        }
        (None, Some(s)) => refuse(
            Code::OriginInvalid,
            format!("`{input}` is a `{s}:` URL, not a web origin; browsers send `scheme://host[:port]`"),
            "list the http(s) origin of the page that makes the requests, e.g. `https://app.example.com`",
        ),
        (None, None) => refuse(
            Code::OriginMissingScheme,
            format!("origin `{input}` has no scheme; browsers send `scheme://host[:port]`"),
            write_instead(input, hints),
        ),
    }
}

fn opaque(input: &str) -> Refusal {
    refuse(
        Code::OpaqueOrigin,
        format!("`{input}` has an opaque scheme: browsers send `Origin: null` for such pages, so it can never match"),
        "serve the page over http(s) and list that origin, e.g. `https://app.example.com`",
    )
}

fn check_port(input: &str, scheme: &str, p: &str, hints: bool) -> Result<PortPattern, Refusal> {
    let bad = |what: &str| {
        refuse(
            Code::OriginInvalidPort,
            format!("origin `{input}` has {what}"),
            write_instead(input, hints),
        )
    };
    if p.is_empty() {
        return Err(bad("an empty port after `:`"));
    }
    if !p.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(&format!(
            "port `{p}`, which is not a number (use `:*` for any port)"
        )));
    }
    if p.len() > 1 && p.starts_with('0') {
        return Err(bad(&format!("port `{p}` with a leading zero")));
    }
    match p.parse::<u32>() {
        Ok(0) => return Err(bad("port 0, which no page can be served from")),
        Ok(1..=65535) => {}
        _ => return Err(bad(&format!("port `{p}`, above 65535"))),
    }
    if default_port(scheme) == Some(p) {
        return Err(refuse(
            Code::OriginDefaultPort,
            format!(
                "origin `{input}` names the default port {p} of {scheme}; browsers omit it, so this would never match"
            ),
            write_instead(input, hints),
        ));
    }
    Ok(PortPattern::Exact(Cow::Owned(p.to_owned())))
}

fn check_host(input: &str, host: &str, subdomains: bool, hints: bool) -> Result<(), Refusal> {
    if host.is_empty() {
        return Err(refuse(
            Code::OriginInvalid,
            format!("origin `{input}` has no host"),
            write_instead(input, hints),
        ));
    }
    let on_ip = || {
        refuse(
            Code::OriginMalformedWildcard,
            format!("origin pattern `{input}` puts `*.` in front of an IP address, which has no subdomains"),
            "list the IP origin itself, e.g. `http://127.0.0.1:8080`",
        )
    };
    if let Some(inner) = host.strip_prefix('[') {
        if subdomains {
            return Err(on_ip());
        }
        let inner = inner.strip_suffix(']').unwrap_or(inner);
        let Ok(ip) = inner.parse::<Ipv6Addr>() else {
            return Err(refuse(
                Code::OriginInvalid,
                format!("origin `{input}` has an invalid IPv6 address"),
                write_instead(input, hints),
            ));
        };
        let canonical = serialize_ipv6(ip);
        if canonical != inner {
            return Err(refuse(
                Code::OriginNonCanonicalIp,
                format!(
                    "origin `{input}` writes the IPv6 address in a non-canonical form; browsers send `[{canonical}]`"
                ),
                write_instead(input, hints),
            ));
        }
        return Ok(());
    }
    if !host.is_ascii() {
        let hint = write_instead(input, hints);
        return Err(refuse(
            Code::OriginUnicodeHost,
            format!("origin `{input}` has a Unicode host; browsers send its punycode form"),
            hint,
        ));
    }
    if host.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(refuse(
            Code::OriginUppercase,
            format!("origin `{input}` has upper-case letters in its host; browsers send it in lower case"),
            write_instead(input, hints),
        ));
    }
    if host.ends_with('.') {
        return Err(refuse(
            Code::OriginTrailingDot,
            format!("origin `{input}` has a trailing dot in its host; browsers send the host as the page's URL has it, which is almost never with the dot"),
            write_instead(input, hints),
        ));
    }
    if ends_in_number(host) {
        if subdomains {
            return Err(on_ip());
        }
        return match parse_ipv4(host) {
            Some(ip) if ip.to_string() == host => Ok(()),
            Some(ip) => Err(refuse(
                Code::OriginNonCanonicalIp,
                format!("origin `{input}` writes an IPv4 address in a non-canonical form; browsers send `{ip}`"),
                write_instead(input, hints),
            )),
            None => Err(refuse(
                Code::OriginInvalid,
                format!("origin `{input}` has an invalid IPv4 address"),
                "write the address as four decimal numbers from 0 to 255",
            )),
        };
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    };
    if !host.split('.').all(label_ok) {
        return Err(refuse(
            Code::OriginInvalid,
            format!("origin `{input}` has an invalid host `{host}`: labels are letters, digits and `-`, separated by single dots"),
            write_instead(input, hints),
        ));
    }
    Ok(())
}

/// The URL Standard's "ends in a number" test: such hosts are IPv4 addresses.
fn ends_in_number(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    let last = host.rsplit('.').next().unwrap_or("");
    if !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    last.strip_prefix("0x")
        .or_else(|| last.strip_prefix("0X"))
        .is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The URL Standard's IPv4 parser (decimal, octal `0..`, hex `0x..`, 1 to 4 parts).
fn parse_ipv4(host: &str) -> Option<Ipv4Addr> {
    let host = host.strip_suffix('.').unwrap_or(host);
    let parts: Vec<&str> = host.split('.').collect();
    if parts.len() > 4 {
        return None;
    }
    let mut nums = Vec::with_capacity(4);
    for p in &parts {
        let (digits, radix) = if let Some(h) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X")) {
            (h, 16)
        } else if p.len() > 1 && p.starts_with('0') {
            (&p[1..], 8)
        } else {
            (*p, 10)
        };
        // `from_str_radix` would accept a sign; the URL Standard does not.
        if p.is_empty() || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let n = if digits.is_empty() {
            0
        } else {
            u64::from_str_radix(digits, radix).ok()?
        };
        nums.push(n);
    }
    let last = nums.pop()?;
    if nums.iter().any(|&n| n > 255) || last >= 256u64.pow(4 - nums.len() as u32) {
        return None;
    }
    let mut v = last;
    for (i, n) in nums.iter().enumerate() {
        v += n << (8 * (3 - i));
    }
    Some(Ipv4Addr::from(v as u32))
}

/// The URL Standard's IPv6 serializer: lower-case hex, the first longest run
/// of two or more zero pieces compressed, never a dotted IPv4 tail.
fn serialize_ipv6(ip: Ipv6Addr) -> String {
    let seg = ip.segments();
    let (mut best, mut best_len, mut i) = (None, 1, 0);
    while i < 8 {
        if seg[i] == 0 {
            let start = i;
            while i < 8 && seg[i] == 0 {
                i += 1;
            }
            if i - start > best_len {
                best = Some(start);
                best_len = i - start;
            }
        } else {
            i += 1;
        }
    }
    let mut out = String::new();
    let mut i = 0;
    while i < 8 {
        if Some(i) == best {
            out.push_str(if i == 0 { "::" } else { ":" });
            i += best_len;
            continue;
        }
        out.push_str(&format!("{:x}", seg[i]));
        if i < 7 {
            out.push(':');
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> Code {
        parse(s).unwrap_err().code
    }

    #[test]
    fn exact_and_patterns() {
        assert_eq!(
            parse("https://example.com"),
            Ok(Spec::Exact("https://example.com".into()))
        );
        assert_eq!(
            parse("chrome-extension://abcdefgh"),
            Ok(Spec::Exact("chrome-extension://abcdefgh".into()))
        );
        assert_eq!(parse("tauri://localhost"), Ok(Spec::Exact("tauri://localhost".into())));
        assert_eq!(parse("http://[::1]:8080"), Ok(Spec::Exact("http://[::1]:8080".into())));
        assert!(matches!(
            parse("https://*.example.com"),
            Ok(Spec::Pattern(Pattern { subdomains: true, .. }))
        ));
        assert!(matches!(
            parse("http://localhost:*"),
            Ok(Spec::Pattern(Pattern {
                port: PortPattern::Any,
                ..
            }))
        ));
        assert_eq!(parse("*"), Ok(Spec::Any));
    }

    #[test]
    fn refusals_with_suggestions() {
        let r = parse("https://example.com/").unwrap_err();
        assert_eq!(r.code, Code::OriginHasPath);
        assert!(r.message.contains("trailing slash"), "{}", r.message);
        assert_eq!(r.hint, "write `https://example.com`");
        assert_eq!(
            parse("HTTPS://EXAMPLE.COM").unwrap_err().hint,
            "write `https://example.com`"
        );
        assert_eq!(
            parse("https://example.com:443").unwrap_err().hint,
            "write `https://example.com`"
        );
        assert_eq!(parse("http://127.1").unwrap_err().hint, "write `http://127.0.0.1`");
        assert_eq!(
            parse("http://0x7f.1:3000").unwrap_err().hint,
            "write `http://127.0.0.1:3000`"
        );
        assert_eq!(parse("http://[0:0::1]").unwrap_err().hint, "write `http://[::1]`");
        assert_eq!(parse("example.com").unwrap_err().hint, "write `https://example.com`");
        assert_eq!(
            parse("https://user@example.com").unwrap_err().hint,
            "write `https://example.com`"
        );
    }

    #[test]
    fn refusal_codes() {
        assert_eq!(code("null"), Code::NullOrigin);
        assert_eq!(code("file://"), Code::OpaqueOrigin);
        assert_eq!(code("data:text/html,x"), Code::OpaqueOrigin);
        assert_eq!(code("https://a.com/x"), Code::OriginHasPath);
        assert_eq!(code("https://a.com?x"), Code::OriginHasQuery);
        assert_eq!(code("https://a.com#x"), Code::OriginHasFragment);
        assert_eq!(code("https://u:p@a.com"), Code::OriginHasUserinfo);
        assert_eq!(code(" https://a.com"), Code::OriginHasWhitespace);
        assert_eq!(code("a.com"), Code::OriginMissingScheme);
        assert_eq!(code("http://a.com:80"), Code::OriginDefaultPort);
        assert_eq!(code("https://A.com"), Code::OriginUppercase);
        assert_eq!(code("https://bücher.de"), Code::OriginUnicodeHost);
        assert_eq!(code("http://0177.0.0.1"), Code::OriginNonCanonicalIp);
        assert_eq!(code("http://[::ffff:127.0.0.1]"), Code::OriginNonCanonicalIp);
        assert_eq!(code("http://[0000::1]"), Code::OriginNonCanonicalIp);
        assert_eq!(code("http://a.com:0"), Code::OriginInvalidPort);
        assert_eq!(code("http://a.com:65536"), Code::OriginInvalidPort);
        assert_eq!(code("http://a.com:080"), Code::OriginInvalidPort);
        assert_eq!(code("http://a.com:"), Code::OriginInvalidPort);
        assert_eq!(code("https://a.com."), Code::OriginTrailingDot);
        assert_eq!(code("https://*example.com"), Code::OriginMalformedWildcard);
        assert_eq!(code("https://a.*.example.com"), Code::OriginMalformedWildcard);
        assert_eq!(code("https://**.x"), Code::OriginMalformedWildcard);
        assert_eq!(code("http://*.127.0.0.1"), Code::OriginMalformedWildcard);
        assert_eq!(code("http://*.[::1]"), Code::OriginMalformedWildcard);
        assert_eq!(code("https://"), Code::OriginInvalid);
        assert_eq!(code("https://exa!mple.com"), Code::OriginInvalid);
    }

    fn pat(s: &str) -> Pattern {
        match parse(s) {
            Ok(Spec::Pattern(p)) => p,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn pattern_matching() {
        let p = pat("https://*.example.com");
        for ok in [
            "https://a.example.com",
            "https://a.b.example.com",
            "https://x-1.example.com",
        ] {
            assert!(p.matches(ok.as_bytes()), "{ok}");
        }
        for no in [
            "https://example.com",
            "https://.example.com",
            "https://evilexample.com",
            "https://example.com.evil.com",
            "https://x.com/.example.com",
            "http://a.example.com",
            "https://a.example.com:8443",
            "https://a..example.com",
            "https://A.example.com",
            "https://a_b.example.com",
        ] {
            assert!(!p.matches(no.as_bytes()), "{no}");
        }
        let p = pat("http://localhost:*");
        for ok in ["http://localhost", "http://localhost:3000", "http://localhost:65535"] {
            assert!(p.matches(ok.as_bytes()), "{ok}");
        }
        for no in [
            "http://localhost:",
            "http://localhost:0",
            "http://localhost:03000",
            "http://localhost:65536",
            "http://localhost:123456",
            "http://localhostx:1",
        ] {
            assert!(!p.matches(no.as_bytes()), "{no}");
        }
        let p = pat("http://[::1]:*");
        assert!(p.matches(b"http://[::1]:8080"));
        assert!(!p.matches(b"http://[::2]:8080"));
    }

    #[test]
    fn table_lookup() {
        let origins: Vec<String> = (0..1000).map(|i| format!("https://o{i}.example.com")).collect();
        let t = OriginTable::build(origins.clone());
        for o in &origins {
            assert!(t.contains(o.as_bytes()));
        }
        assert!(!t.contains(b"https://o1000.example.com"));
        assert!(!t.contains(b""));
        let empty = OriginTable::build(Vec::new());
        assert!(!empty.contains(b"https://a.com"));
    }

    #[test]
    fn punycode_per_rfc_3492() {
        assert_eq!(to_punycode("bücher.example").as_deref(), Some("xn--bcher-kva.example"));
        assert_eq!(to_punycode("München.de").as_deref(), Some("xn--mnchen-3ya.de"));
        assert_eq!(to_punycode("例え.jp").as_deref(), Some("xn--r8jz45g.jp"));
        assert_eq!(to_punycode("пример.рф").as_deref(), Some("xn--e1afmkfd.xn--p1ai"));
        assert_eq!(
            parse("https://Bücher.example").unwrap_err().hint,
            "write `https://xn--bcher-kva.example`"
        );
    }

    #[test]
    fn security_classes() {
        assert!(is_insecure("http", "example.com", false));
        assert!(!is_insecure("http", "localhost", false));
        assert!(!is_insecure("http", "127.0.0.2", false));
        assert!(!is_insecure("http", "[::1]", false));
        assert!(!is_insecure("http", "localhost", true));
        assert!(!is_insecure("https", "example.com", false));
        assert!(is_public_suffix("com"));
        assert!(is_public_suffix("github.io"));
        assert!(is_public_suffix("co.uk"));
        assert!(!is_public_suffix("example.com"));
        assert!(!is_public_suffix("localhost"));
        assert!(!is_public_suffix("internal"));
    }
}
