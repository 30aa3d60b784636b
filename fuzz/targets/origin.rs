//! Target `origin`: one allow_origins entry through the builder and arbitrary
//! `Origin` bytes through the matcher; and a fixed policy against a plain model.

use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use corsair_core::Policy;

use crate::targets::checks::check_result;
use crate::targets::input::{join, Piece, Text, ORIGIN_WORDS};
use crate::targets::model::origins::{canonical_port, default_port, dns_labels};
use crate::targets::show;
use crate::targets::spec::Spec;

#[derive(Arbitrary, Debug)]
struct OriginInput<'a> {
    entry: Text<'a>,
    credentials: bool,
    private_network: bool,
    probes: Vec<Probe<'a>>,
}

#[derive(Arbitrary, Debug)]
enum Probe<'a> {
    Raw(&'a [u8]),
    Pieces(Vec<Piece<'a>>),
    /// The entry with bytes before and after it.
    Around(&'a [u8], &'a [u8]),
}

const FIXED_EXACT: &[&str] = &[
    "https://app.example.com",
    "https://example.net:8443",
    "http://127.0.0.1:3000",
    "http://[::1]:8080",
    "tauri://localhost",
    "chrome-extension://abcdefghijklmnop",
];
const FIXED_PATTERNS: &[&str] = &[
    "https://*.example.org",
    "http://localhost:*",
    "https://*.dev.example.com:*",
    "http://[::1]:*",
];

fn fixed_origins() -> &'static Policy {
    static P: OnceLock<Policy> = OnceLock::new();
    P.get_or_init(|| {
        let all: Vec<&str> = FIXED_EXACT.iter().chain(FIXED_PATTERNS).copied().collect();
        Policy::builder()
            .allow_origins(all)
            .build()
            .expect("fixed origin policy")
    })
}

/// The longest origin the fixed policy could allow: `https://` + a 253-byte
/// host (the DNS limit) + `:65535`, for `https://*.dev.example.com:*`.
const FIXED_MAX_LEN: usize = "https://".len() + 253 + ":65535".len();

/// What the fixed policy must allow, written from RULES.md section 5 alone
/// (including "an `Origin` longer than any allowed origin could be is refused").
fn fixed_origins_model(o: &[u8]) -> bool {
    if FIXED_EXACT.iter().any(|e| e.as_bytes() == o) {
        return true;
    }
    if o.len() > FIXED_MAX_LEN {
        return false;
    }
    let Ok(s) = std::str::from_utf8(o) else { return false };
    let opt_port = |rest: &str| rest.is_empty() || rest.strip_prefix(':').is_some_and(canonical_port);
    if let Some(h) = s.strip_prefix("https://").and_then(|r| r.strip_suffix(".example.org")) {
        if dns_labels(h) {
            return true;
        }
    }
    if s.strip_prefix("http://localhost").is_some_and(opt_port) || s.strip_prefix("http://[::1]").is_some_and(opt_port)
    {
        return true;
    }
    if let Some(r) = s.strip_prefix("https://") {
        let (host, port_ok) = match r.rsplit_once(':') {
            Some((h, p)) => (h, canonical_port(p)),
            None => (r, true),
        };
        if port_ok && host.strip_suffix(".dev.example.com").is_some_and(dns_labels) {
            return true;
        }
    }
    false
}

/// The fixed policy against its model on every scheme, host and port the rules
/// name (each pattern's sub-domains and lookalikes, ports canonical or not),
/// whatever the corpus holds: checked until it passes once in this process.
fn fixed_lookalikes() {
    use std::sync::atomic::{AtomicBool, Ordering};
    static PASSED: AtomicBool = AtomicBool::new(false);
    if PASSED.load(Ordering::Relaxed) {
        return;
    }
    {
        let hosts = [
            "localhost",
            "[::1]",
            "127.0.0.1",
            "a.example.org",
            "a.b.example.org",
            "x-1.example.org",
            "example.org",
            "evilexample.org",
            "X.example.org",
            "a_b.example.org",
            ".example.org",
            "a..b.example.org",
            "example.org.evil.com",
            "x.dev.example.com",
            "dev.example.com",
            "app.example.com",
            "example.net",
        ];
        let ports = [
            "", ":1", ":443", ":3000", ":8080", ":8443", ":65535", ":", ":0", ":08080", ":65536", ":123456", ":+1",
            ":8080/", ":*",
        ];
        for scheme in ["http://", "https://", "HTTP://"] {
            for host in hosts {
                for port in ports {
                    let probe = format!("{scheme}{host}{port}");
                    assert_eq!(
                        fixed_origins().allows_origin(probe.as_bytes()),
                        fixed_origins_model(probe.as_bytes()),
                        "fixed policy and model disagree on `{probe}`"
                    );
                }
            }
        }
    }
    // Each entry alone, with its own lookalikes: the corpus need not hold one of each kind.
    let more = [
        "https://*.example.com:*",
        "http://*.localhost:*",
        "https://a.b:8080",
        "http://[::1]",
    ];
    for e in FIXED_EXACT.iter().chain(FIXED_PATTERNS).chain(&more) {
        let p = Policy::builder().allow_origins([*e]).build();
        let p = p.unwrap_or_else(|err| panic!("`{e}` is refused: {err}"));
        check_entry(&p, e, &[]);
    }
    PASSED.store(true, Ordering::Relaxed);
}

/// Checks one probe against a policy built from the single entry `e`.
fn origin_probe(p: &Policy, e: &str, probe: &[u8]) {
    let allowed = p.allows_origin(probe);
    assert_eq!(allowed, p.allows_origin(probe));
    assert_eq!(
        fixed_origins().allows_origin(probe),
        fixed_origins_model(probe),
        "fixed policy and model disagree on `{}`",
        show(probe)
    );
    if !allowed || e == "*" {
        return;
    }
    if !e.contains('*') {
        assert_eq!(probe, e.as_bytes(), "exact `{e}` allows `{}`", show(probe));
        return;
    }
    // A pattern only allows origins that are canonical in their own right
    // (or that differ from one by naming the default port, under `:*`).
    let s = std::str::from_utf8(probe).unwrap_or_else(|_| panic!("`{e}` allows non-UTF-8 `{}`", show(probe)));
    assert!(!s.contains('*'), "`{e}` allows `{s}`");
    if let Err(err) = Policy::builder().allow_origins([s]).build() {
        let default = e.ends_with(":*")
            && s.split_once("://")
                .and_then(|(scheme, rest)| Some((default_port(scheme)?, rest.rsplit_once(':')?.1)))
                .is_some_and(|(d, port)| d.to_string() == port);
        assert!(default, "`{e}` allows `{s}`, which is no canonical origin: {err}");
    }
}

/// The `origin` target.
pub fn origin(data: &[u8]) {
    fixed_lookalikes();
    let Ok(input) = OriginInput::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let e = input.entry.render(ORIGIN_WORDS);
    let spec = Spec {
        credentials: input.credentials,
        private_network: input.private_network,
        ..Spec::new(&[e.as_str()])
    };
    let built = spec.build().expect("no max_age");
    check_result(&spec, &built);
    let mut probes: Vec<Vec<u8>> = input
        .probes
        .iter()
        .map(|p| match p {
            Probe::Raw(b) => b.to_vec(),
            Probe::Pieces(p) => join(p, ORIGIN_WORDS).into_bytes(),
            Probe::Around(a, b) => [*a, e.as_bytes(), *b].concat(),
        })
        .collect();
    probes.push(e.clone().into_bytes());
    let Ok(p) = built else {
        for probe in &probes {
            assert_eq!(
                fixed_origins().allows_origin(probe),
                fixed_origins_model(probe),
                "`{}`",
                show(probe)
            );
        }
        return;
    };
    check_entry(&p, &e, &probes);
}

/// `p`, built from the single entry `e`, allows what RULES.md section 5 says it
/// does and not its lookalikes; and each probe is judged consistently.
fn check_entry(p: &Policy, e: &str, probes: &[Vec<u8>]) {
    let mut yes: Vec<String> = vec![];
    let mut no: Vec<String> = vec![];
    // A host longer than DNS allows (253 bytes) is refused unparsed, so only
    // expect matches below that.
    let parent_len = e
        .split_once("://*.")
        .map(|(_, r)| r.rsplit_once(':').map_or(r, |(h, _)| h).len());
    if parent_len.is_some_and(|n| n + 4 > 253) {
        yes.clear();
    } else if e.contains("://*.") {
        let sub = e.replacen("://*.", "://x-1.", 1);
        yes.push(e.replacen("://*.", "://a.b.", 1));
        no.push(e.replacen("://*.", "://", 1));
        no.push(e.replacen("://*.", "://evil", 1));
        no.push(e.replacen("://*.", "://.", 1));
        no.push(e.replacen("://*.", "://X.", 1));
        no.push(e.replacen("://*.", "://a_b.", 1));
        yes.push(sub);
    } else if let Some(scheme) = e.strip_suffix("://*").filter(|s| *s == "https" || *s == "http") {
        // Section 9: any canonical origin of that scheme, and nothing else.
        let other = if scheme == "https" { "http" } else { "https" };
        yes.extend([format!("{scheme}://anything.example"), format!("{scheme}://a.b:8443")]);
        no.extend([
            e.to_owned(),
            format!("{other}://anything.example"),
            format!("{scheme}://Anything.example"),
        ]);
    } else if e != "*" {
        yes.push(e.to_owned());
    }
    if e.ends_with(":*") {
        let expand = |list: &mut Vec<String>, ports: &[&str]| {
            let base = std::mem::take(list);
            for b in base {
                let stem = &b[..b.len() - 2];
                list.extend(ports.iter().map(|p| format!("{stem}{p}")));
            }
        };
        let mut bad = yes.clone();
        expand(&mut yes, &["", ":1", ":8080", ":65535"]);
        expand(&mut no, &[":8080"]);
        expand(&mut bad, &[":", ":0", ":08080", ":65536", ":123456", ":+1", ":8080/"]);
        no.extend(bad);
    }
    for y in &yes {
        assert!(p.allows_origin(y.as_bytes()), "`{e}` does not allow `{y}`");
    }
    for n in &no {
        assert!(!p.allows_origin(n.as_bytes()), "`{e}` allows `{n}`");
    }
    for probe in yes
        .iter()
        .chain(&no)
        .map(|s| s.as_bytes())
        .chain(probes.iter().map(Vec::as_slice))
    {
        origin_probe(p, e, probe);
    }
}
