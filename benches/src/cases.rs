//! The requests measured: the five kinds of the main comparison, the hostile
//! `Access-Control-Request-Headers` values, and the scaling requests, as plain
//! (name, value) lines that each stack turns into its own request type once.

use std::sync::OnceLock;

use crate::spec::{APP_ORIGIN, EVIL_ORIGIN};

/// A request: method and header lines, always to `/items`.
#[derive(Clone, Debug)]
pub struct RequestSpec {
    /// The method.
    pub method: &'static str,
    /// Header lines in order; a name may repeat.
    pub headers: Vec<(&'static str, &'static str)>,
}

/// Every request carries what a browser's usually does, so header lookups are not
/// measured on a near-empty map.
const BROWSER: [(&str, &str); 3] = [
    ("host", "api.example.com"),
    (
        "user-agent",
        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    ),
    ("accept", "*/*"),
];

impl RequestSpec {
    fn new(method: &'static str, cors: &[(&'static str, &'static str)]) -> Self {
        let mut headers = BROWSER.to_vec();
        headers.extend_from_slice(cors);
        RequestSpec { method, headers }
    }

    /// A preflight for `PUT` with `content-type, x-api-key`, as a browser sends it.
    pub fn preflight(origin: &'static str) -> Self {
        RequestSpec::new(
            "OPTIONS",
            &[
                ("origin", origin),
                ("access-control-request-method", "PUT"),
                ("access-control-request-headers", "content-type,x-api-key"),
            ],
        )
    }

    /// A `GET` from `origin`.
    pub fn actual(origin: &'static str) -> Self {
        RequestSpec::new("GET", &[("origin", origin)])
    }

    /// A preflight whose `Access-Control-Request-Headers` is these lines.
    pub fn preflight_with_request_headers(lines: &[&'static str]) -> Self {
        let mut spec = RequestSpec::new(
            "OPTIONS",
            &[("origin", APP_ORIGIN), ("access-control-request-method", "PUT")],
        );
        spec.headers
            .extend(lines.iter().map(|l| ("access-control-request-headers", *l)));
        spec
    }
}

/// The other header lines of a request as a browser sends it from a page (Firefox
/// 128 on a cross-site `fetch`), about 15 lines with the CORS ones: what the
/// engine's lookups and the adapters' header maps see in practice.
const REALISTIC: [(&str, &str); 11] = [
    ("host", "api.example.com"),
    (
        "user-agent",
        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    ),
    ("accept", "application/json, text/plain, */*"),
    ("accept-language", "en-GB,en;q=0.8,fr;q=0.5,de;q=0.3"),
    ("accept-encoding", "gzip, deflate, br, zstd"),
    ("referer", "https://app.example.com/dashboard/projects/42?tab=settings"),
    ("sec-fetch-dest", "empty"),
    ("sec-fetch-mode", "cors"),
    ("sec-fetch-site", "same-site"),
    ("connection", "keep-alive"),
    (
        "cookie",
        "session=8f3a9c2e71b64d0f9e5a3c1b7d2e6f4a8c0b9d1e3f5a7c9e; csrftoken=Xk2Lp9QzR4tW7vB1nM6sD3fG8hJ0aY5u; \
         _ga=GA1.2.1234567890.1700000000; _gid=GA1.2.987654321.1700000000; theme=dark; locale=en-GB; \
         consent=analytics%3Dtrue%26ads%3Dfalse; last_project=42; sidebar=collapsed; tz=Europe%2FLondon",
    ),
];

/// Which other header lines a request carries besides its CORS ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderSet {
    /// `host`, `user-agent` and `accept` (the main comparison's requests).
    Minimal,
    /// A browser's: `host`, `user-agent`, `accept`, `accept-language`,
    /// `accept-encoding`, `referer`, `sec-fetch-*`, `connection` and a cookie of
    /// about 370 bytes, before the CORS lines.
    Browser,
}

impl HeaderSet {
    /// Both sets.
    pub const ALL: [HeaderSet; 2] = [HeaderSet::Minimal, HeaderSet::Browser];

    /// The id used in benchmark names.
    pub fn id(self) -> &'static str {
        match self {
            HeaderSet::Minimal => "minimal",
            HeaderSet::Browser => "browser",
        }
    }

    fn lines(self) -> &'static [(&'static str, &'static str)] {
        match self {
            HeaderSet::Minimal => &BROWSER,
            HeaderSet::Browser => &REALISTIC,
        }
    }
}

/// The five kinds of request of the main comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// A preflight from the allowed origin.
    PreflightAllowed,
    /// A preflight from an origin not allowed.
    PreflightDenied,
    /// A `GET` from the allowed origin.
    ActualAllowed,
    /// A `GET` from an origin not allowed.
    ActualDenied,
    /// A `GET` without `Origin`.
    NotCors,
}

impl Case {
    /// Every case, in table order.
    pub const ALL: [Case; 5] = [
        Case::PreflightAllowed,
        Case::PreflightDenied,
        Case::ActualAllowed,
        Case::ActualDenied,
        Case::NotCors,
    ];

    /// The benchmark id.
    pub fn id(self) -> &'static str {
        match self {
            Case::PreflightAllowed => "preflight-allowed",
            Case::PreflightDenied => "preflight-denied",
            Case::ActualAllowed => "actual-allowed",
            Case::ActualDenied => "actual-denied",
            Case::NotCors => "not-cors",
        }
    }

    /// Is the request a preflight (answered by the layer, the handler never runs)?
    pub fn is_preflight(self) -> bool {
        matches!(self, Case::PreflightAllowed | Case::PreflightDenied)
    }

    /// Is the origin allowed (so the response carries `Access-Control-Allow-Origin`)?
    pub fn is_allowed(self) -> bool {
        matches!(self, Case::PreflightAllowed | Case::ActualAllowed)
    }

    /// The request, with the minimal header set.
    pub fn spec(self) -> RequestSpec {
        self.spec_in(HeaderSet::Minimal)
    }

    /// The request, with the CORS lines after the other lines of `set`.
    pub fn spec_in(self, set: HeaderSet) -> RequestSpec {
        let cors = self.cors_lines();
        let mut headers = set.lines().to_vec();
        headers.extend_from_slice(&cors.headers[BROWSER.len()..]);
        RequestSpec {
            method: cors.method,
            headers,
        }
    }

    /// The request of [`Case::spec`] (minimal set) built from the constructors.
    fn cors_lines(self) -> RequestSpec {
        match self {
            Case::PreflightAllowed => RequestSpec::preflight(APP_ORIGIN),
            Case::PreflightDenied => RequestSpec::preflight(EVIL_ORIGIN),
            Case::ActualAllowed => RequestSpec::actual(APP_ORIGIN),
            Case::ActualDenied => RequestSpec::actual(EVIL_ORIGIN),
            Case::NotCors => RequestSpec::new("GET", &[]),
        }
    }
}

/// Hostile `Access-Control-Request-Headers` values on an otherwise allowed preflight.
/// Each is refused; each is measured beside an ordinary two-name preflight of the
/// same policy ([`HostilePolicy::ordinary`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hostile {
    /// One line of 1,024 commas (the reference size).
    Commas1KiB,
    /// One line of 1 MiB of commas.
    Commas1MiB,
    /// 1,024 lines of 1,024 commas each: 1 MiB over 1,024 lines.
    CommaLines1024,
    /// 1,024 lines of `content-type`: refused at the second line, a repeat.
    NameLines1024,
    /// One allowed name repeated to 390 KB, against the 100-name policy
    /// ([`crate::hundred_names`]): the value that cost 27 ms before names had to be
    /// strictly ascending and the value's length was bounded by the policy.
    RepeatedName390KB,
    /// One name of 1 MiB, against the 100-name policy.
    Name1MiB,
}

/// Which policy a hostile value is sent to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostilePolicy {
    /// [`crate::API`], the main comparison's policy (three allowed names).
    Api,
    /// [`crate::hundred_names`]: 100 allowed names of 12 bytes.
    HundredNames,
}

impl HostilePolicy {
    /// The benchmark id of its ordinary two-name preflight.
    pub fn ordinary_id(self) -> &'static str {
        match self {
            HostilePolicy::Api => "ordinary-api",
            HostilePolicy::HundredNames => "ordinary-100-names",
        }
    }

    /// An ordinary preflight with two allowed names, as a browser sends it.
    pub fn ordinary(self) -> RequestSpec {
        match self {
            HostilePolicy::Api => RequestSpec::preflight(APP_ORIGIN),
            HostilePolicy::HundredNames => RequestSpec::preflight_with_request_headers(&["x-header-001,x-header-002"]),
        }
    }
}

impl Hostile {
    /// Every hostile case.
    pub const ALL: [Hostile; 6] = [
        Hostile::Commas1KiB,
        Hostile::Commas1MiB,
        Hostile::CommaLines1024,
        Hostile::NameLines1024,
        Hostile::RepeatedName390KB,
        Hostile::Name1MiB,
    ];

    /// The cases also measured through both adapters against the peers (the main
    /// comparison's policy, which the adapters' benchmarks are built around).
    pub const REFUSED: [Hostile; 3] = [Hostile::Commas1KiB, Hostile::Commas1MiB, Hostile::CommaLines1024];

    /// The stacks the [`Hostile::REFUSED`] values are also sent through (criterion's
    /// ids, and the callgrind `hostile` target's stacks besides `decide`).
    pub const ADAPTER_STACKS: [&'static str; 6] = [
        "tower-bare",
        "tower-cors-macro",
        "tower-http",
        "actix-bare",
        "actix-cors-macro",
        "actix-cors",
    ];

    /// The benchmark id.
    pub fn id(self) -> &'static str {
        match self {
            Hostile::Commas1KiB => "commas-1KiB",
            Hostile::Commas1MiB => "commas-1MiB",
            Hostile::CommaLines1024 => "commas-1024-lines",
            Hostile::NameLines1024 => "names-1024-lines",
            Hostile::RepeatedName390KB => "repeated-name-390KB",
            Hostile::Name1MiB => "name-1MiB",
        }
    }

    /// The policy the value is sent to.
    pub fn policy(self) -> HostilePolicy {
        match self {
            Hostile::RepeatedName390KB | Hostile::Name1MiB => HostilePolicy::HundredNames,
            _ => HostilePolicy::Api,
        }
    }

    /// The request.
    pub fn spec(self) -> RequestSpec {
        static KIB: OnceLock<String> = OnceLock::new();
        static MIB: OnceLock<String> = OnceLock::new();
        static REPEATED: OnceLock<String> = OnceLock::new();
        static NAME: OnceLock<String> = OnceLock::new();
        let kib: &'static str = KIB.get_or_init(|| ",".repeat(1 << 10));
        let mib: &'static str = MIB.get_or_init(|| ",".repeat(1 << 20));
        match self {
            Hostile::Commas1KiB => RequestSpec::preflight_with_request_headers(&[kib]),
            Hostile::Commas1MiB => RequestSpec::preflight_with_request_headers(&[mib]),
            Hostile::CommaLines1024 => RequestSpec::preflight_with_request_headers(&[kib; 1024]),
            Hostile::NameLines1024 => RequestSpec::preflight_with_request_headers(&["content-type"; 1024]),
            Hostile::RepeatedName390KB => {
                let v: &'static str = REPEATED.get_or_init(|| "x-header-042,".repeat(30_000));
                RequestSpec::preflight_with_request_headers(&[v])
            }
            Hostile::Name1MiB => {
                let v: &'static str = NAME.get_or_init(|| "a".repeat(1 << 20));
                RequestSpec::preflight_with_request_headers(&[v])
            }
        }
    }
}

/// `count` allowed origins to cycle through in a scaling benchmark, spread
/// over the `n` allowed ones in a fixed pseudo-random order (so a table of
/// 10,000 is not measured on one hot entry, nor a list on one position).
pub fn scaling_request_origins(n: usize, patterns: bool, count: usize) -> Vec<&'static str> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..count)
        .map(|_| {
            // xorshift64: deterministic, no dependency.
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let i = (x % n as u64) as usize;
            let origin = if patterns {
                crate::spec::pattern_tenant(i)
            } else {
                crate::spec::tenant(i)
            };
            &*Box::leak(origin.into_boxed_str())
        })
        .collect()
}
