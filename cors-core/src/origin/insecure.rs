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
