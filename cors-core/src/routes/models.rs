//! A property test of the fail-closed choice against plain models of real path
//! normalizers, written from their documented behaviour (not from `path.rs`):
//! whenever the table picks an entry, every model would have routed the path
//! to that same entry.

use proptest::prelude::*;

use super::table::{Choice, Routes};

const PREFIXES: [&str; 3] = ["/private/admin", "/private", "/public"];

/// Percent-decodes every valid escape; anything else stays as written.
fn decode(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let hex = s
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (s[i], hex) {
            (b'%', Some(b)) if s[i + 1].is_ascii_hexdigit() && s[i + 2].is_ascii_hexdigit() => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// Resolves `.` and `..` the way RFC 3986 section 5.2.4 does, on whole segments.
fn resolve(segments: Vec<Vec<u8>>, is_dot: impl Fn(&[u8]) -> Option<bool>) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    for s in segments {
        match is_dot(&s) {
            Some(false) => {}
            Some(true) => {
                out.pop();
            }
            None => out.push(s),
        }
    }
    out
}

fn plain_dot(s: &[u8]) -> Option<bool> {
    match s {
        b"." => Some(false),
        b".." => Some(true),
        _ => None,
    }
}

fn split(path: &[u8], seps: &[u8]) -> Vec<Vec<u8>> {
    let body = path.strip_prefix(b"/").unwrap_or(path);
    body.split(|b| seps.contains(b)).map(<[u8]>::to_vec).collect()
}

/// The prefix a router with these segments would serve, longest first.
fn route(segments: &[Vec<u8>]) -> Option<&'static str> {
    PREFIXES.into_iter().find(|p| {
        let want: Vec<&[u8]> = p[1..].split('/').map(str::as_bytes).collect();
        segments.len() >= want.len() && want.iter().zip(segments).all(|(w, s)| *w == s.as_slice())
    })
}

/// Each model: how one kind of service reads the path.
fn models(path: &[u8]) -> Vec<(&'static str, Option<&'static str>)> {
    let nonempty = |v: Vec<Vec<u8>>| v.into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>();
    // The URL Standard: empty segments kept, `.`/`..` also as `%2e`, nothing else decoded.
    let whatwg = resolve(split(path, b"/"), |s| match s.to_ascii_lowercase().as_slice() {
        b"." | b"%2e" => Some(false),
        b".." | b".%2e" | b"%2e." | b"%2e%2e" => Some(true),
        _ => None,
    });
    // A proxy merging slashes (nginx `merge_slashes`), no decoding.
    let merged = nonempty(split(path, b"/"));
    // A router decoding each segment (axum `Path`, actix `match_info`).
    let decoded: Vec<Vec<u8>> = split(path, b"/").iter().map(|s| decode(s)).collect();
    // A file server: decoded segments, empty and dot segments resolved.
    let files = resolve(nonempty(decoded.clone()), plain_dot);
    // Decode the whole path first, then split on `/` and `\` and resolve.
    let whole = resolve(nonempty(split(&decode(path), b"/\\")), plain_dot);
    // The same on a case-insensitive file system.
    let folded: Vec<Vec<u8>> = whole.iter().map(|s| s.to_ascii_lowercase()).collect();
    vec![
        ("as received", route(&split(path, b"/"))),
        ("URL Standard", route(&whatwg)),
        ("merged slashes", route(&merged)),
        ("decoded segments", route(&decoded)),
        ("file server", route(&files)),
        ("decoded path", route(&whole)),
        ("case folded", route(&folded)),
    ]
}

fn table() -> Routes<&'static str> {
    let mut r = Routes::new("default");
    for p in PREFIXES {
        r.add(p, p);
    }
    r
}

const TOKENS: &[&str] = &[
    "/", "//", "private", "public", "admin", "x", ".", "..", "%2e", "%2E", ".%2e", "%2F", "%2f", "%5C", "\\", "%70",
    "%72", "%2570", "P", "PRIVATE", "%", "%zz", "%c0%af", "?",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn a_chosen_entry_is_what_every_model_routes_to(tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..10)) {
        let path = tokens.concat();
        let routes = table();
        if let Choice::Entry(entry) = routes.choose(&path) {
            let entry = (*entry != "default").then_some(*entry);
            for (model, chosen) in models(path.as_bytes()) {
                prop_assert_eq!(chosen, entry, "{:?} under the {} model", path, model);
            }
        }
    }
}

#[test]
fn ordinary_paths_are_never_refused() {
    // The fail-closed readings refuse more paths than these models need to, but
    // never one that every model routes alike and that has nothing to normalize.
    let routes = table();
    for path in [
        "/",
        "/private",
        "/private/",
        "/private/admin/x",
        "/public/a%20b",
        "/x/y",
        "/private/x/../y",
    ] {
        assert!(matches!(routes.choose(path), Choice::Entry(_)), "{path}");
        let m = models(path.as_bytes());
        assert!(m.iter().all(|(_, c)| *c == m[0].1), "{path}: {m:?}");
    }
}
