//! Origin patterns (`https://*.example.com`, `http://localhost:*`) and their
//! allocation-free matcher over raw `Origin` bytes (RULES.md section 5).

use super::insecure::is_insecure;
use super::Text;

/// The longest host a DNS name can have; bounds what a subdomain pattern can match.
const MAX_HOST_LEN: usize = 253;

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
pub(super) fn split_authority(a: &[u8]) -> Option<(&[u8], Option<&[u8]>)> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::origin::{parse, Spec};

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
}
