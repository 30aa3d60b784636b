//! Scheme-wide origins, `https://*` and `http://*` (Amazon API Gateway's forms,
//! RULES.md section 9): every canonical origin of that scheme, answered by echo.

use super::request::Origin;

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
        let allowed = match Origin::parse(origin).map(|o| o.scheme()) {
            Some("https") => self.https,
            Some("http") => self.http,
            _ => false,
        };
        allowed && origin.len() <= self.max_len()
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
