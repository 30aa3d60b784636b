//! Which origins a network attacker can forge: plain `http:` on anything but
//! localhost and loopback addresses (RULES.md rules 6.7 and 6.12).

use std::net::Ipv4Addr;

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

/// Is this exact, canonical origin plain `http:` on a host other than loopback?
pub(crate) fn exact_is_insecure(origin: &str) -> bool {
    let Some((scheme, authority)) = origin.split_once("://") else {
        return false;
    };
    let host = match authority.strip_prefix('[') {
        Some(_) => authority.split_inclusive(']').next().unwrap_or(authority),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    is_insecure(scheme, host, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn security_classes() {
        assert!(is_insecure("http", "example.com", false));
        assert!(!is_insecure("http", "localhost", false));
        assert!(!is_insecure("http", "127.0.0.2", false));
        assert!(!is_insecure("http", "[::1]", false));
        assert!(!is_insecure("http", "localhost", true));
        assert!(!is_insecure("https", "example.com", false));
    }
}
