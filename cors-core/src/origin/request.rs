//! The request side of origins: [`Origin`], an `Origin` header value checked to be one
//! canonical serialized origin, as a policy's predicate sees it (RULES.md section 8).

use std::fmt;
use std::net::Ipv6Addr;

use super::canonical::serialize_ipv6;
use super::insecure::is_insecure;

/// A request's origin, parsed and known to be in canonical form: what
/// [`Builder::allow_origin_fn`](crate::Builder::allow_origin_fn) predicates receive.
///
/// Only a value that is exactly the URL Standard's serialization of an origin
/// parses: `scheme://host[:port]` with a lower-case scheme and host, the host in
/// punycode (ASCII only), an IPv4 address as four decimal numbers, an IPv6 address
/// in brackets in its canonical form (lower-case hex, the longest run of zeros
/// compressed, no dotted tail), the port without a leading zero and omitted when
/// it is the scheme's default, and nothing else: no trailing dot, path, query,
/// fragment, userinfo or white space, and not `null`. Anything else (upper case,
/// `https://example.com.`, `https://example.com:443`, `https://a@b`) is refused, so
/// a predicate never has to think about lookalike spellings: the engine denies such
/// a request before the predicate runs. Parsing allocates nothing.
///
/// ```
/// use corsair_core::Origin;
///
/// let o = Origin::parse(b"https://eu.tenants.example.com:8443").expect("canonical");
/// assert_eq!(o.scheme(), "https");
/// assert_eq!(o.host(), "eu.tenants.example.com");
/// assert_eq!(o.port(), Some(8443));
/// assert_eq!(o.as_str(), "https://eu.tenants.example.com:8443");
/// assert!(o.is_subdomain_of("example.com"));
/// assert!(!o.is_subdomain_of("eu.tenants.example.com")); // never the domain itself
///
/// assert!(Origin::parse(b"https://Example.com").is_none()); // upper case
/// assert!(Origin::parse(b"https://example.com.").is_none()); // trailing dot
/// assert!(Origin::parse(b"https://example.com:443").is_none()); // explicit default port
/// assert!(Origin::parse(b"null").is_none());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Origin<'a> {
    text: &'a str,
    /// End of the scheme (the `:` of `://`).
    scheme_end: usize,
    /// End of the host (the `:` before the port, or the end).
    host_end: usize,
    port: Option<u16>,
    ip: bool,
}

/// Schemes whose documents browsers give an opaque origin, sent as `Origin: null`.
const OPAQUE: [&str; 5] = ["file", "data", "blob", "about", "javascript"];

impl<'a> Origin<'a> {
    /// No `Origin` longer than this parses: a scheme of at most 32 bytes, `://`, a
    /// host of at most 253 (the DNS limit) and `:65535`.
    pub const MAX_LEN: usize = 32 + 3 + 253 + 6;

    /// Parses an `Origin` header value, byte for byte as received; `None` unless it
    /// is one canonical serialized origin (see the [type docs](Origin)). Allocates
    /// nothing; linear in the length, which is bounded by [`Origin::MAX_LEN`].
    pub fn parse(value: &'a [u8]) -> Option<Origin<'a>> {
        if value.len() > Self::MAX_LEN {
            return None;
        }
        // Every byte checked below is ASCII, so once the parts pass, so does UTF-8.
        let text = std::str::from_utf8(value).ok()?;
        let scheme_end = text.find("://")?;
        let scheme = &text[..scheme_end];
        if !is_canonical_scheme(scheme) || OPAQUE.contains(&scheme) {
            return None;
        }
        let authority = &text[scheme_end + 3..];
        let (host, port) = split_host_port(authority)?;
        let port = match port {
            None => None,
            Some(p) => Some(parse_port(p, scheme)?),
        };
        let ip = match host.strip_prefix('[') {
            Some(inner) => is_canonical_ipv6(inner.strip_suffix(']')?).then_some(true)?,
            None => is_canonical_name_or_ipv4(host)?,
        };
        Some(Origin {
            text,
            scheme_end,
            host_end: scheme_end + 3 + host.len(),
            port,
            ip,
        })
    }

    /// The scheme, lower-case, without `://` (`"https"`).
    pub fn scheme(&self) -> &'a str {
        &self.text[..self.scheme_end]
    }

    /// The host: lower-case, punycode for IDNs, an IPv6 address in brackets (`"[::1]"`).
    pub fn host(&self) -> &'a str {
        &self.text[self.scheme_end + 3..self.host_end]
    }

    /// The port, or `None` when the origin has none, which means the scheme's default
    /// (443 for https, 80 for http).
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// The serialized origin, byte for byte what the browser sent.
    pub fn as_str(&self) -> &'a str {
        self.text
    }

    /// Is the host one or more whole DNS labels followed by `.domain`? Never true for
    /// `domain` itself, nor for an IP address.
    ///
    /// `domain` is compared as written, and must itself be canonical: lower-case,
    /// ASCII (punycode), non-empty labels of letters, digits, `-` and `_`, with no
    /// leading or trailing dot. Anything else (`"Example.ORG"`, `".example.org"`,
    /// `"example.org."`, `""`) matches nothing, so a typo fails closed instead of
    /// granting more than meant.
    ///
    /// ```
    /// use corsair_core::Origin;
    ///
    /// let o = Origin::parse(b"https://a.b.example.org").unwrap();
    /// assert!(o.is_subdomain_of("example.org"));
    /// assert!(o.is_subdomain_of("b.example.org"));
    /// assert!(!o.is_subdomain_of("a.b.example.org"));
    /// assert!(!o.is_subdomain_of("ample.org")); // whole labels only
    /// assert!(!o.is_subdomain_of("Example.ORG")); // not canonical: matches nothing
    /// ```
    pub fn is_subdomain_of(&self, domain: &str) -> bool {
        if self.ip || !is_canonical_domain(domain) {
            return false;
        }
        let host = self.host();
        host.len() > domain.len() + 1 && host.ends_with(domain) && host[..host.len() - domain.len()].ends_with('.')
    }
}

impl Origin<'_> {
    /// Plain `http:` on anything but localhost and loopback addresses: forgeable
    /// by anyone on the network path.
    pub(crate) fn is_insecure(&self) -> bool {
        is_insecure(self.scheme(), self.host(), false)
    }
}

impl fmt::Debug for Origin<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Origin").field(&self.text).finish()
    }
}

impl fmt::Display for Origin<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)
    }
}

/// `[a-z][a-z0-9+.-]*`, at most 32 bytes.
fn is_canonical_scheme(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 32
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'+' | b'-' | b'.'))
}

/// Splits `host[:port]`; the host is never empty.
fn split_host_port(a: &str) -> Option<(&str, Option<&str>)> {
    let (host, port) = if a.starts_with('[') {
        let close = a.find(']')?;
        match &a[close + 1..] {
            "" => (a, None),
            rest => (&a[..=close], Some(rest.strip_prefix(':')?)),
        }
    } else {
        match a.split_once(':') {
            None => (a, None),
            Some((h, p)) => (h, Some(p)),
        }
    };
    (!host.is_empty()).then_some((host, port))
}

/// 1 to 5 digits, no leading zero, 1 to 65535, and not the scheme's default.
fn parse_port(p: &str, scheme: &str) -> Option<u16> {
    let b = p.as_bytes();
    if b.is_empty() || b.len() > 5 || b[0] == b'0' || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n: u16 = p.parse().ok()?;
    let default = match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        "ftp" => Some(21),
        _ => None,
    };
    (default != Some(n)).then_some(n)
}

/// A host that is not an IPv6 literal: `Some(true)` for a canonical IPv4 address,
/// `Some(false)` for a canonical domain, `None` otherwise. A host whose last label
/// is a number is an IPv4 address for the URL Standard, so it must be a canonical one.
fn is_canonical_name_or_ipv4(host: &str) -> Option<bool> {
    if host.len() > 253 || !is_canonical_domain(host) {
        return None;
    }
    let last = host.rsplit('.').next().unwrap_or(host);
    let numeric = last.bytes().all(|b| b.is_ascii_digit()) || last.starts_with("0x");
    if !numeric {
        return Some(false);
    }
    let mut parts = 0;
    for part in host.split('.') {
        parts += 1;
        let ok = !part.is_empty()
            && part.len() <= 3
            && part.bytes().all(|b| b.is_ascii_digit())
            && (part == "0" || !part.starts_with('0'))
            && part.parse::<u16>().is_ok_and(|n| n <= 255);
        if !ok {
            return None;
        }
    }
    (parts == 4).then_some(true)
}

/// Non-empty labels of `[a-z0-9_-]` separated by single dots.
fn is_canonical_domain(d: &str) -> bool {
    !d.is_empty()
        && d.split('.').all(|l| {
            !l.is_empty()
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        })
}

/// Is `inner` (without brackets) an IPv6 address written as the URL Standard
/// serializes it? Compares against the serialization, built on the stack.
fn is_canonical_ipv6(inner: &str) -> bool {
    inner
        .parse::<Ipv6Addr>()
        .is_ok_and(|ip| serialize_ipv6(ip).as_str() == inner)
}

#[cfg(test)]
mod tests {
    use super::Origin;

    #[track_caller]
    fn ok(s: &str) -> Origin<'_> {
        Origin::parse(s.as_bytes()).unwrap_or_else(|| panic!("{s} should parse"))
    }

    #[test]
    fn canonical_origins_parse_into_their_parts() {
        let o = ok("https://example.com");
        assert_eq!((o.scheme(), o.host(), o.port()), ("https", "example.com", None));
        let o = ok("http://127.0.0.1:8080");
        assert_eq!((o.scheme(), o.host(), o.port()), ("http", "127.0.0.1", Some(8080)));
        let o = ok("http://[::1]:3000");
        assert_eq!((o.host(), o.port()), ("[::1]", Some(3000)));
        let o = ok("https://[2001:db8::1]");
        assert_eq!((o.host(), o.port()), ("[2001:db8::1]", None));
        for s in [
            "https://xn--bcher-kva.example",
            "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
            "tauri://localhost",
            "http://localhost:1",
            "https://a:65535",
            "http://my_host.internal",
            "https://0.0.0.0",
            "http://[::ffff:7f00:1]",
            "http://[::]",
            "http://[1::]",
            "http://[1:0:0:2::3]",
            "https://example.com:80",
            "http://example.com:443",
        ] {
            assert_eq!(ok(s).as_str(), s);
        }
    }

    #[test]
    fn every_non_canonical_or_malformed_value_is_refused() {
        for s in [
            "",
            "null",
            "Null",
            "https://Example.com",
            "HTTPS://example.com",
            "https://example.com.",
            "https://example.com:443",
            "http://example.com:80",
            "https://example.com:0",
            "https://example.com:08080",
            "https://example.com:65536",
            "https://example.com:",
            "https://example.com:+1",
            "https://example.com/",
            "https://example.com/path",
            "https://example.com?q",
            "https://example.com#f",
            "https://user@example.com",
            "https://user:pass@example.com",
            "https:// example.com",
            "https://example.com ",
            " https://example.com",
            "https://exa mple.com",
            "https://example.com\t",
            "https://example..com",
            ".https://example.com",
            "https://.example.com",
            "https://",
            "https://:443",
            "example.com",
            "//example.com",
            "https:/example.com",
            "file://etc",
            "https://b\u{fc}cher.example",
            "https://127.1",
            "https://0x7f.0.0.1",
            "https://127.000.0.1",
            "https://256.0.0.1",
            "https://1.2.3.4.5",
            "https://example.123",
            "http://[::FFFF:7f00:1]",
            "http://[0:0::1]",
            "http://[::ffff:127.0.0.1]",
            "http://[0001::1]",
            "http://[::1",
            "http://[::1]x",
            "http://[::1]:",
            "http://[example.com]",
            "http://[]",
            "https://*.example.com",
            "https://a,b.example.com",
            "https://example.com%2e",
            "1https://example.com",
        ] {
            assert!(Origin::parse(s.as_bytes()).is_none(), "{s:?} should be refused");
        }
        assert!(Origin::parse(b"https://\xffexample.com").is_none());
        let long = format!("https://{}.com", "a".repeat(Origin::MAX_LEN));
        assert!(Origin::parse(long.as_bytes()).is_none());
    }

    #[test]
    fn subdomains_are_whole_labels_and_never_the_domain_itself() {
        let o = ok("https://a.b.example.org");
        assert!(o.is_subdomain_of("example.org"));
        assert!(o.is_subdomain_of("org"));
        assert!(o.is_subdomain_of("b.example.org"));
        assert!(!o.is_subdomain_of("a.b.example.org"));
        assert!(!o.is_subdomain_of("ample.org"));
        assert!(!o.is_subdomain_of("b.example"));
        for bad in [
            "Example.ORG",
            ".example.org",
            "example.org.",
            "",
            ".",
            "example..org",
            "*.example.org",
        ] {
            assert!(!o.is_subdomain_of(bad), "{bad:?}");
        }
        assert!(!ok("https://evilexample.org").is_subdomain_of("example.org"));
        assert!(!ok("https://example.org").is_subdomain_of("example.org"));
        assert!(!ok("https://example.org.evil.com").is_subdomain_of("example.org"));
        // An IP address has no subdomains.
        assert!(!ok("http://127.0.0.1").is_subdomain_of("0.0.1"));
    }
}
