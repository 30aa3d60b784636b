//! RULES.md section 5 (and rules 6.1 to 6.7 on single entries) as a plain model:
//! what an `allow_origins` entry may be, and the canonical serializations of the
//! URL Standard (<https://url.spec.whatwg.org/#origin>) it must already be in.

use std::net::{Ipv4Addr, Ipv6Addr};

/// The URL Standard's special schemes with a default port (ftp, with 21, is left
/// out: browsers no longer fetch it, and RULES.md names only http and https).
const DEFAULT_PORTS: &[(&str, u16)] = &[("http", 80), ("https", 443), ("ws", 80), ("wss", 443)];

/// The default port of `scheme`, if it has one.
pub fn default_port(scheme: &str) -> Option<u16> {
    DEFAULT_PORTS.iter().find(|(s, _)| *s == scheme).map(|&(_, p)| p)
}

/// A port as the URL Standard serializes it: the decimal number 1 to 65535,
/// written exactly as it prints back (no sign, no leading zero, no padding).
pub fn canonical_port(p: &str) -> bool {
    p.parse::<u16>().is_ok_and(|n| n != 0 && n.to_string() == p)
}

/// `sub` is one or more non-empty DNS labels of `[a-z0-9-]`, dot-separated.
pub fn dns_labels(sub: &str) -> bool {
    let alphabet = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.';
    !sub.is_empty() && !sub.starts_with('.') && !sub.ends_with('.') && !sub.contains("..") && sub.bytes().all(alphabet)
}

/// The URL Standard's IPv6 serializer, its "compress" step read literally: the
/// first of the longest runs of two or more zero pieces becomes `::`.
fn ipv6_serialized(ip: Ipv6Addr) -> String {
    let seg = ip.segments();
    let hex = |s: &[u16]| s.iter().map(|x| format!("{x:x}")).collect::<Vec<_>>().join(":");
    for len in (2..=8).rev() {
        if let Some(start) = (0..=8 - len).find(|&s| seg[s..s + len].iter().all(|&x| x == 0)) {
            return format!("{}::{}", hex(&seg[..start]), hex(&seg[start + len..]));
        }
    }
    hex(&seg)
}

/// The URL Standard's "ends in a number": the last label is all digits, or `0x`
/// followed by hex digits. Such a host is an IPv4 address or nothing.
fn ends_in_number(host: &str) -> bool {
    let last = host.rsplit('.').next().unwrap_or(host);
    let hex = last.strip_prefix("0x").or_else(|| last.strip_prefix("0X"));
    (!last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()))
        || hex.is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A host in the form browsers serialize it: a bracketed IPv6 address as the URL
/// Standard writes it, a dotted-decimal IPv4 address as it prints back, or
/// lower-case DNS labels (`_` tolerated, as browsers send it) that do not end in a number.
pub fn canonical_host(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner.parse::<Ipv6Addr>().is_ok_and(|ip| ipv6_serialized(ip) == inner);
    }
    if is_ip(host) {
        return host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.to_string() == host);
    }
    host.split('.')
        .all(|l| !l.is_empty() && l.bytes().all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_')))
}

/// An IP literal (bracketed IPv6, or a host ending in a number).
pub fn is_ip(host: &str) -> bool {
    host.starts_with('[') || ends_in_number(host)
}

/// An `allow_origins` entry the model accepts.
#[derive(Debug)]
pub enum Entry {
    /// `*`
    Any,
    /// `https://*` or `http://*`: any origin of that scheme (rules section 9).
    Scheme,
    /// An exact origin or a pattern: scheme, host (for `*.` patterns, the parent), `*.`.
    Origin {
        /// The scheme, without `://`.
        scheme: String,
        /// The host, or a pattern's parent domain.
        host: String,
        /// A `*.` pattern.
        subdomains: bool,
    },
}

/// Schemes whose URLs have opaque origins (rule 6.3), and the WebSocket schemes
/// (browsers never send a WebSocket origin: the handshake carries the page's).
const REFUSED_SCHEMES: &[&str] = &["file", "data", "blob", "about", "javascript", "ws", "wss"];

/// Does the model accept this one entry (rules 6.1 and 6.3 to 6.6)?
pub fn entry(e: &str) -> Option<Entry> {
    if e == "*" {
        return Some(Entry::Any);
    }
    if e == "https://*" || e == "http://*" {
        return Some(Entry::Scheme);
    }
    let (scheme, authority) = e.split_once("://")?;
    // URL Standard: scheme = ASCII alpha, then alphanumerics, `+`, `-`, `.`; here already lower-case.
    let mut chars = scheme.bytes();
    let scheme_ok = chars.next().is_some_and(|b| b.is_ascii_lowercase())
        && chars.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+-.".contains(&b))
        && !REFUSED_SCHEMES.contains(&scheme);
    let stray = |b: u8| b"/?#@".contains(&b) || b.is_ascii_whitespace() || b.is_ascii_control() || !b.is_ascii();
    if !scheme_ok || authority.bytes().any(stray) {
        return None;
    }
    let (host_part, port) = split_port(authority)?;
    if let Some(p) = port {
        let default = default_port(scheme).map(|d| d.to_string());
        if !canonical_port(p) || default.as_deref() == Some(p) {
            return None;
        }
    }
    let (subdomains, host) = match host_part.strip_prefix("*.") {
        Some(parent) => (true, parent),
        None => (false, host_part),
    };
    // `*.` only before a DNS name, never an IP address; `*` nowhere else.
    let ok = !host.contains('*') && canonical_host(host) && !(subdomains && is_ip(host));
    ok.then(|| Entry::Origin {
        scheme: scheme.to_owned(),
        host: host.to_owned(),
        subdomains,
    })
}

/// `host[:port]`, where `:*` (any port) gives no port to check; `None` when an
/// IPv6 literal is followed by anything but a port.
fn split_port(authority: &str) -> Option<(&str, Option<&str>)> {
    if let Some(host) = authority.strip_suffix(":*") {
        return Some((host, None));
    }
    if authority.starts_with('[') {
        let (host, rest) = authority.split_at(authority.find(']')? + 1);
        return match rest {
            "" => Some((host, None)),
            _ => Some((host, Some(rest.strip_prefix(':')?))),
        };
    }
    Some(match authority.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    })
}

/// Rule 6.7: a plain `http:` origin on a host that is not the machine itself.
/// Loopback is `localhost` and the names below it (RFC 6761 section 6.3),
/// `127.0.0.0/8` and `[::1]` (the Secure Contexts spec's "potentially trustworthy").
pub fn insecure(scheme: &str, host: &str) -> bool {
    let loopback = host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        || (host.starts_with("127.") && host.parse::<Ipv4Addr>().is_ok());
    scheme == "http" && !loopback
}

#[test]
fn canonical_forms() {
    for (text, ok) in [
        ("1", true),
        ("65535", true),
        ("0", false),
        ("080", false),
        ("+1", false),
        ("65536", false),
    ] {
        assert_eq!(canonical_port(text), ok, "{text}");
    }
    for (ip, want) in [
        ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
        ("1:0:0:2:0:0:3:4", "1::2:0:0:3:4"),
        ("::", "::"),
        ("1::", "1::"),
        ("::ffff:127.0.0.1", "::ffff:7f00:1"),
        ("1:2:3:4:5:6:0:8", "1:2:3:4:5:6:0:8"),
    ] {
        assert_eq!(ipv6_serialized(ip.parse().unwrap()), want);
    }
    assert!(canonical_host("127.0.0.1") && !canonical_host("127.1") && !canonical_host("0x7f.0.0.1"));
    assert!(canonical_host("a_b.example") && !canonical_host("A.example") && !canonical_host("example.com."));
}
