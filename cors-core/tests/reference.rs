//! The engine against plain reference implementations: origin matching against a
//! direct reading of RULES.md section 5, and the one-pass `Access-Control-Request-Headers`
//! scanner against a naive split-trim-compare.

use corsair_core::{Denial, Policy, RawRequest};

/// At most this many empty elements in `Access-Control-Request-Headers`, all lines together (RULES.md section 2).
const MAX_EMPTY_ELEMENTS: usize = 16;
/// At most this many white-space bytes in a row in `Access-Control-Request-Headers`.
const MAX_WHITESPACE_RUN: usize = 16;
use proptest::prelude::*;

// ---- origins ----

/// RULES.md section 5, read literally, on strings.
fn reference_matches(pattern: &str, origin: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let (Some((ps, prest)), Some((os, orest))) = (pattern.split_once("://"), origin.split_once("://")) else {
        return false;
    };
    if ps != os {
        return false;
    }
    let split = |a: &str| -> (String, Option<String>) {
        if a.starts_with('[') {
            match a.find(']') {
                Some(i) => (a[..=i].to_string(), a[i + 1..].strip_prefix(':').map(str::to_string)),
                None => (a.to_string(), None),
            }
        } else {
            match a.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), Some(p.to_string())),
                None => (a.to_string(), None),
            }
        }
    };
    let (phost, pport) = split(prest);
    let (ohost, oport) = split(orest);
    if orest.starts_with('[') && !orest.ends_with(']') && oport.is_none() {
        return false;
    }
    let port_ok = match pport.as_deref() {
        Some("*") => match oport.as_deref() {
            None => true,
            Some(p) => {
                (1..=5).contains(&p.len())
                    && !p.starts_with('0')
                    && p.chars().all(|c| c.is_ascii_digit())
                    && p.parse::<u32>().unwrap() <= 65535
            }
        },
        other => other == oport.as_deref(),
    };
    if !port_ok {
        return false;
    }
    match phost.strip_prefix("*.") {
        None => phost == ohost,
        Some(parent) => match ohost.strip_suffix(parent).and_then(|l| l.strip_suffix('.')) {
            Some(labels) => labels.split('.').all(|l| {
                !l.is_empty()
                    && l.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            }),
            None => false,
        },
    }
}

fn origin_strategy() -> impl Strategy<Value = String> {
    let scheme = prop_oneof![Just("https"), Just("http"), Just("HTTPS"), Just("ws")];
    let label = prop_oneof![
        Just("a"),
        Just("b"),
        Just("example"),
        Just("com"),
        Just("evil"),
        Just("x-1"),
        Just(""),
        Just("A"),
        Just("a_b"),
        Just("localhost")
    ];
    let host = prop_oneof![
        proptest::collection::vec(label, 1..5).prop_map(|v| v.join(".")),
        Just("[::1]".to_string()),
        Just("127.0.0.1".to_string()),
    ];
    let port = prop_oneof![
        Just(""),
        Just(":"),
        Just(":0"),
        Just(":80"),
        Just(":443"),
        Just(":8080"),
        Just(":08080"),
        Just(":65535"),
        Just(":65536"),
        Just(":123456")
    ];
    let tail = prop_oneof![
        Just(""),
        Just(""),
        Just(""),
        Just("/"),
        Just("."),
        Just("@evil.com"),
        Just(" ")
    ];
    (scheme, host, port, tail).prop_map(|(s, h, p, t)| format!("{s}://{h}{p}{t}"))
}

fn pattern_strategy() -> impl Strategy<Value = String> {
    let scheme = prop_oneof![Just("https"), Just("http")];
    let parent = prop_oneof![
        Just("example.com"),
        Just("a.example.com"),
        Just("com"),
        Just("localhost"),
        Just("[::1]")
    ];
    let wild = prop_oneof![Just(""), Just("*.")];
    let port = prop_oneof![Just(""), Just(":*"), Just(":8080")];
    (scheme, wild, parent, port).prop_map(|(s, w, h, p)| format!("{s}://{w}{h}{p}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(800))]

    #[test]
    fn origin_matching_agrees_with_the_reference(patterns in proptest::collection::vec(pattern_strategy(), 1..4), origin in origin_strategy()) {
        // Only patterns the builder accepts (no duplicates, no `*.` on an IP).
        let mut accepted: Vec<String> = Vec::new();
        for p in patterns {
            if !accepted.contains(&p) && Policy::builder().allow_origins([&p]).build().is_ok() {
                accepted.push(p);
            }
        }
        prop_assume!(!accepted.is_empty());
        let policy = Policy::builder().allow_origins(&accepted).build().unwrap();
        let want = accepted.iter().any(|p| reference_matches(p, &origin));
        prop_assert_eq!(policy.allows_origin(origin.as_bytes()), want, "patterns {:?}, origin {:?}", accepted, origin);
    }

    #[test]
    fn exact_origins_match_only_themselves(origins in proptest::collection::hash_set("https://[a-z]{1,8}\\.example\\.com", 1..50), probe in "https://[a-z]{1,8}\\.example\\.com") {
        let policy = Policy::builder().allow_origins(&origins).build().unwrap();
        prop_assert_eq!(policy.allows_origin(probe.as_bytes()), origins.contains(&probe));
    }
}

// ---- Access-Control-Request-Headers ----

#[derive(Debug, PartialEq)]
enum Verdict {
    Allowed { listed: bool },
    Denied,
}

/// Split on commas, trim, compare: the obvious implementation, with the documented bounds:
/// names strictly ascending once lower-cased, and the whole value no longer than every
/// allowed name once with `, ` plus 64 bytes (under `*`, at least 4 KiB).
fn reference_scan(policy_names: &[&str], any: bool, lines: &[String]) -> Verdict {
    let longest = policy_names.iter().map(|n| n.len() + 2).sum::<usize>() + 64;
    let longest = if any { longest.max(4096) } else { longest };
    if lines.iter().map(String::len).sum::<usize>() > longest {
        return Verdict::Denied;
    }
    let mut seen: Vec<String> = Vec::new();
    let mut empties = 0;
    let mut listed = false;
    for line in lines {
        if line.contains(|c: char| c != ' ' && c != '\t' && c != ',' && !is_tchar(c)) {
            return Verdict::Denied;
        }
        let longest_ws = line
            .split(|c: char| c != ' ' && c != '\t')
            .map(str::len)
            .max()
            .unwrap_or(0);
        if longest_ws > MAX_WHITESPACE_RUN {
            return Verdict::Denied;
        }
        for element in line.split(',') {
            let name = element.trim_matches([' ', '\t']);
            if name.contains([' ', '\t']) {
                return Verdict::Denied;
            }
            if name.is_empty() {
                empties += 1;
                if empties > MAX_EMPTY_ELEMENTS {
                    return Verdict::Denied;
                }
                continue;
            }
            let lower = name.to_ascii_lowercase();
            let ok = policy_names.contains(&lower.as_str()) || (any && lower != "authorization");
            if !ok || seen.last().is_some_and(|last| *last >= lower) {
                return Verdict::Denied;
            }
            seen.push(lower);
            listed = true;
        }
    }
    Verdict::Allowed { listed }
}

fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

fn acrh_line() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("content-type"),
        Just("Content-Type"),
        Just("x-api-key"),
        Just("authorization"),
        Just("x-other"),
        Just(","),
        Just(", "),
        Just(" "),
        Just("\t"),
        Just(",,"),
        Just("x y"),
        Just(";"),
        Just("é"),
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn request_header_scanner_agrees_with_the_reference(lines in proptest::collection::vec(acrh_line(), 1..4), any in any::<bool>()) {
        let names = ["content-type", "x-api-key"];
        let mut allow: Vec<&str> = names.to_vec();
        if any {
            allow.push("*");
        }
        let policy = Policy::builder().allow_origins(["https://a.com"]).allow_methods(["PUT"]).allow_headers(&allow).build().unwrap();
        let mut headers: Vec<(&[u8], &[u8])> = vec![(b"origin", b"https://a.com"), (b"access-control-request-method", b"PUT")];
        for l in &lines {
            headers.push((b"access-control-request-headers", l.as_bytes()));
        }
        let d = policy.decide(&RawRequest { method: b"OPTIONS", headers: &headers });
        let got = match d.denial() {
            None => Verdict::Allowed { listed: d.headers().allow_headers.is_some() },
            Some(
                Denial::Header { .. }
                | Denial::HeaderRepeated { .. }
                | Denial::HeaderOutOfOrder { .. }
                | Denial::HeadersMalformed { .. }
                | Denial::HeadersTooLong { .. },
            ) => Verdict::Denied,
            Some(other) => panic!("unexpected denial {other:?}"),
        };
        prop_assert_eq!(got, reference_scan(&names, any, &lines), "lines {:?}", lines);
    }
}
