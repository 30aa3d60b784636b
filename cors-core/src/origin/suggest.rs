//! Fix hints for refused origins: the canonical origin the author most likely
//! meant, with Unicode hosts turned into punycode (RFC 3492).

use std::net::Ipv6Addr;

use super::canonical::{ends_in_number, parse_ipv4, serialize_ipv6};
use super::parse::{default_port, parse_inner};
use super::pattern::split_authority;

/// A fix hint that names the corrected origin, when one can be worked out.
pub(super) fn write_instead(input: &str, hints: bool) -> String {
    match hints.then(|| suggest(input)).flatten() {
        Some(s) if s != input => format!("write `{s}`"),
        _ => "write an origin as scheme://host[:port], e.g. `https://app.example.com`".to_owned(),
    }
}

/// "write `fixed`" when the corrected text is a valid origin, else the best suggestion for it.
pub(super) fn write_fixed(fixed: &str, hints: bool) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::origin::parse;

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
}
