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

    /// The request.
    pub fn spec(self) -> RequestSpec {
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
