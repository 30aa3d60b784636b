//! Parsing one `allow_origins` entry into an exact origin, a pattern or `*`,
//! refusing anything that is not an origin (RULES.md rules 6.3 to 6.6).

use std::borrow::Cow;

use super::canonical::{check_host, check_port};
use super::pattern::{split_authority, Pattern, PortPattern};
use super::suggest::{write_fixed, write_instead};
use super::{refuse, Refusal, Schemes, Spec};
use crate::error::Code;

pub(super) fn default_port(scheme: &str) -> Option<&'static str> {
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
pub(super) fn parse_inner(input: &str, hints: bool) -> Result<Spec, Refusal> {
    if input == "*" {
        return Ok(Spec::Any);
    }
    if let Some(schemes) = Schemes::parse(input) {
        return Ok(Spec::AnyOfScheme(schemes));
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
}
