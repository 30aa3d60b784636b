//! Scheme-wide origins, `https://*` and `http://*` (Amazon API Gateway's forms,
//! RULES.md section 9): every canonical origin of that scheme, answered by echo.

use std::net::Ipv6Addr;

/// Which schemes a policy allows every origin of: `https://*`, `http://*`.
///
/// An origin of the one scheme never grants the other, which is why such a policy
/// echoes the request's origin (with `Vary: origin`) instead of answering `*`.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Schemes {
    /// `https://*`: every `https://` origin.
    pub https: bool,
    /// `http://*`: every `http://` origin.
    pub http: bool,
}

impl Schemes {
    /// `https://*` or `http://*`, exactly as written (a pattern is lower case).
    pub(crate) fn parse(input: &str) -> Option<Schemes> {
        match input {
            "https://*" => Some(Schemes {
                https: true,
                http: false,
            }),
            "http://*" => Some(Schemes {
                https: false,
                http: true,
            }),
            _ => None,
        }
    }

    /// Both sets together.
    pub(crate) fn union(self, other: Schemes) -> Schemes {
        Schemes {
            https: self.https || other.https,
            http: self.http || other.http,
        }
    }

    /// Does a raw `Origin` value belong to an allowed scheme? Only a canonical
    /// serialized origin does (lower case, punycode, canonical IP literals, no
    /// default or malformed port, nothing after the port), so `https://Evil.example`,
    /// `https://a.example:443` or `https://` never match. Allocates nothing.
    pub(crate) fn matches(self, origin: &[u8]) -> bool {
        let (scheme, authority) = if let Some(a) = origin.strip_prefix(b"https://") {
            ("https", a)
        } else if let Some(a) = origin.strip_prefix(b"http://") {
            ("http", a)
        } else {
            return false;
        };
        let allowed = if scheme == "https" { self.https } else { self.http };
        allowed && origin.len() <= self.max_len() && is_canonical_authority(authority, scheme)
    }

    /// The longest origin these schemes can match (0 for none).
    pub(crate) fn max_len(self) -> usize {
        // scheme, `://`, a host of at most 253 bytes (the DNS limit), `:65535`.
        let longest = |scheme: &str| scheme.len() + 3 + 253 + 6;
        match (self.https, self.http) {
            (true, _) => longest("https"),
            (false, true) => longest("http"),
            (false, false) => 0,
        }
    }

    /// The patterns as written in a policy.
    pub(crate) fn texts(self) -> impl Iterator<Item = &'static str> {
        [(self.https, "https://*"), (self.http, "http://*")]
            .into_iter()
            .filter_map(|(on, text)| on.then_some(text))
    }
}

// TODO(merge): the request-side `Origin::parse` of the origin-predicate work checks
// the same canonical form; once it is in, call it here instead of these copies.

/// `host[:port]` exactly as the URL Standard serializes an origin's.
fn is_canonical_authority(authority: &[u8], scheme: &str) -> bool {
    let Ok(a) = std::str::from_utf8(authority) else {
        return false;
    };
    let Some((host, port)) = split_host_port(a) else {
        return false;
    };
    if port.is_some_and(|p| parse_port(p, scheme).is_none()) {
        return false;
    }
    match host.strip_prefix('[') {
        Some(inner) => inner.strip_suffix(']').is_some_and(is_canonical_ipv6),
        None => is_canonical_name_or_ipv4(host).is_some(),
    }
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
/// serializes it? Compares against the serialization built on the stack.
fn is_canonical_ipv6(inner: &str) -> bool {
    let Ok(ip) = inner.parse::<Ipv6Addr>() else {
        return false;
    };
    let mut buf = [0u8; 39];
    let len = serialize_ipv6(ip, &mut buf);
    &buf[..len] == inner.as_bytes()
}

/// The URL Standard's IPv6 serializer: lower-case hex without leading zeros, the
/// first longest run of two or more zero pieces as `::`, never a dotted tail.
fn serialize_ipv6(ip: Ipv6Addr, out: &mut [u8; 39]) -> usize {
    let seg = ip.segments();
    let (mut best, mut best_len, mut i) = (8, 1, 0);
    while i < 8 {
        let start = i;
        while i < 8 && seg[i] == 0 {
            i += 1;
        }
        if i - start > best_len {
            (best, best_len) = (start, i - start);
        }
        i += 1;
    }
    let mut n = 0;
    let mut i = 0;
    while i < 8 {
        if i == best {
            out[n] = b':';
            n += 1;
            if i == 0 {
                out[n] = b':';
                n += 1;
            }
            i += best_len;
            continue;
        }
        let s = seg[i];
        let mut started = false;
        for shift in [12, 8, 4, 0] {
            let d = (s >> shift) & 0xf;
            if started || d != 0 || shift == 0 {
                started = true;
                out[n] = b"0123456789abcdef"[usize::from(d)];
                n += 1;
            }
        }
        i += 1;
        if i < 8 {
            out[n] = b':';
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::Schemes;

    #[test]
    fn a_scheme_grants_only_canonical_origins_of_that_scheme() {
        let https = Schemes::parse("https://*").unwrap();
        assert!(https.matches(b"https://anything.example"));
        assert!(https.matches(b"https://a.b.example:8443"));
        assert!(https.matches(b"https://[::1]"));
        assert!(!https.matches(b"http://anything.example"));
        assert!(!https.matches(b"https://Anything.example"));
        assert!(!https.matches(b"https://anything.example:443"));
        assert!(!https.matches(b"https://"));
        assert!(!https.matches(b"https://a.example/"));
        assert!(!https.matches(b"null"));
        assert!(!https.matches(b"https://a.example, https://b.example"));
        let http = Schemes::parse("http://*").unwrap();
        assert!(http.matches(b"http://localhost:3000"));
        assert!(!http.matches(b"https://localhost:3000"));
        assert!(!Schemes::default().matches(b"https://a.example"));
        assert_eq!(Schemes::parse("ftp://*"), None);
        assert_eq!(Schemes::parse("HTTPS://*"), None);
        let both = https.union(http);
        assert_eq!(both.texts().collect::<Vec<_>>(), ["https://*", "http://*"]);
        assert!(both.max_len() >= "https://".len() + 253);
    }
}
