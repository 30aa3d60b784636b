//! Canonical forms of hosts and ports: what browsers send (lower case, punycode,
//! the URL Standard's IPv4 and IPv6 serializations), refused otherwise (rule 6.5).

use std::borrow::Cow;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::parse::default_port;
use super::pattern::PortPattern;
use super::suggest::write_instead;
use super::{refuse, Refusal};
use crate::error::Code;

pub(super) fn check_port(input: &str, scheme: &str, p: &str, hints: bool) -> Result<PortPattern, Refusal> {
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

pub(super) fn check_host(input: &str, host: &str, subdomains: bool, hints: bool) -> Result<(), Refusal> {
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
        if canonical.as_str() != inner {
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
pub(super) fn ends_in_number(host: &str) -> bool {
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
pub(super) fn parse_ipv4(host: &str) -> Option<Ipv4Addr> {
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

/// An IPv6 address as the URL Standard serializes it (at most 39 bytes), made on
/// the stack so that checking a request's `Origin` allocates nothing.
pub(crate) struct Ipv6Text {
    buf: [u8; 39],
    len: usize,
}

impl Ipv6Text {
    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

impl fmt::Display for Ipv6Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The URL Standard's IPv6 serializer: lower-case hex without leading zeros, the
/// first longest run of two or more zero pieces as `::`, never a dotted IPv4 tail.
pub(crate) fn serialize_ipv6(ip: Ipv6Addr) -> Ipv6Text {
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
    let mut out = Ipv6Text { buf: [0; 39], len: 0 };
    let mut push = |b: u8| {
        out.buf[out.len] = b;
        out.len += 1;
    };
    let mut i = 0;
    while i < 8 {
        if i == best {
            push(b':');
            if i == 0 {
                push(b':');
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
                push(b"0123456789abcdef"[usize::from(d)]);
            }
        }
        i += 1;
        if i < 8 {
            push(b':');
        }
    }
    out
}
