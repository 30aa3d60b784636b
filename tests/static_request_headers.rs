//! The request-header table `cors!` emits as static data is the one the builder
//! builds: every listed name is found (any case), nothing else is, and a value
//! repeating a name or longer than the policy accepts is refused alike.

use corsair::{cors, Policy, RawRequest};

static P: Policy = cors! {
    allow_origins: ["https://app.example.com"],
    allow_methods: [PUT],
    allow_headers: ["x-h-00", "x-h-01", "x-h-02", "x-h-03", "x-h-04", "x-h-05", "x-h-06", "x-h-07", "x-h-08", "x-h-09", "x-h-10", "x-h-11", "x-h-12", "x-h-13", "x-h-14", "x-h-15", "x-h-16", "x-h-17", "x-h-18", "x-h-19", "content-type", "authorization"],
};

const NAMES: [&str; 22] = [
    "x-h-00",
    "x-h-01",
    "x-h-02",
    "x-h-03",
    "x-h-04",
    "x-h-05",
    "x-h-06",
    "x-h-07",
    "x-h-08",
    "x-h-09",
    "x-h-10",
    "x-h-11",
    "x-h-12",
    "x-h-13",
    "x-h-14",
    "x-h-15",
    "x-h-16",
    "x-h-17",
    "x-h-18",
    "x-h-19",
    "content-type",
    "authorization",
];

#[test]
fn the_macro_table_finds_what_the_builder_table_finds() {
    let built = Policy::builder()
        .allow_origins(["https://app.example.com"])
        .allow_methods(["PUT"])
        .allow_headers(NAMES)
        .build()
        .unwrap();
    let probes = NAMES
        .iter()
        .map(|n| n.to_string())
        .chain(NAMES.iter().map(|n| n.to_ascii_uppercase()))
        .chain(["x-h-20", "x-h-0", "x-h-000", "accept", ""].map(String::from));
    for probe in probes {
        let listed = NAMES.iter().any(|n| n.eq_ignore_ascii_case(&probe));
        assert_eq!(P.allows_request_header(probe.as_bytes()), listed, "{probe}");
        assert_eq!(built.allows_request_header(probe.as_bytes()), listed, "{probe}");
    }
    let long = "x-h-01,".repeat(1000);
    for value in ["content-type,x-h-01,x-h-02", "x-h-01,x-h-01", long.as_str()] {
        let headers: [(&[u8], &[u8]); 3] = [
            (b"origin", b"https://app.example.com"),
            (b"access-control-request-method", b"PUT"),
            (b"access-control-request-headers", value.as_bytes()),
        ];
        let req = RawRequest {
            method: b"OPTIONS",
            headers: &headers,
        };
        assert_eq!(P.decide(&req), built.decide(&req), "{value}");
    }
}
