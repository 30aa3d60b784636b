//! Policies from config files: snake_case keys and API Gateway's `CorsConfiguration`
//! in both spellings, with the same rules and every problem as an error value.
#![cfg(feature = "serde")]

use corsair_core::adapter::Prebuilt;
use corsair_core::{Code, Config, Policy, RawRequest};

fn policy(json: &str) -> Result<Policy, corsair_core::Error> {
    let config: Config = serde_json::from_str(json).expect("valid JSON config");
    Policy::try_from(config)
}

#[test]
fn three_spellings_give_the_same_policy() {
    let snake = r#"{"allow_origins":["https://app.example.com"],"allow_methods":["PUT"],"allow_headers":["x-a"],"expose_headers":["x-b"],"allow_credentials":true,"max_age":60}"#;
    let pascal = r#"{"AllowOrigins":["https://app.example.com"],"AllowMethods":["PUT"],"AllowHeaders":["x-a"],"ExposeHeaders":["x-b"],"AllowCredentials":true,"MaxAge":60}"#;
    let camel = r#"{"allowOrigins":["https://app.example.com"],"allowMethods":["PUT"],"allowHeaders":["x-a"],"exposeHeaders":["x-b"],"allowCredentials":true,"maxAge":60}"#;
    let req = RawRequest {
        method: b"OPTIONS",
        headers: &[
            (b"origin", b"https://app.example.com"),
            (b"access-control-request-method", b"PUT"),
            (b"access-control-request-headers", b"x-a"),
        ],
    };
    let decisions: Vec<_> = [snake, pascal, camel]
        .map(|j| policy(j).unwrap())
        .iter()
        .map(|p| p.decide(&req))
        .collect();
    assert!(decisions[0].denial().is_none());
    assert!(decisions.iter().all(|d| *d == decisions[0]));
    let p = policy(pascal).unwrap();
    assert_eq!(p.prebuilt(Prebuilt::MaxAge).unwrap(), "60");
    assert_eq!(p.prebuilt(Prebuilt::ExposeHeaders).unwrap(), "x-b");
    assert!(p.allows_credentials());
}

#[test]
fn max_age_minus_one_means_do_not_cache() {
    let p = policy(r#"{"AllowOrigins":["https://a.com"],"MaxAge":-1}"#).unwrap();
    assert_eq!(p.prebuilt(Prebuilt::MaxAge).unwrap(), "0");
    let e = policy(r#"{"AllowOrigins":["https://a.com"],"MaxAge":-2}"#).unwrap_err();
    assert_eq!(e.problems()[0].code, Code::MaxAgeTooLarge);
    assert_eq!(e.problems()[0].message, "max_age -2 is negative");
}

#[test]
fn config_errors_list_every_problem() {
    let e = policy(
        r#"{"AllowOrigins":["*"],"AllowCredentials":true,"AllowMethods":["patch"],"ExposeHeaders":["set-cookie"]}"#,
    )
    .unwrap_err();
    let codes: Vec<Code> = e.problems().iter().map(|p| p.code).collect();
    assert_eq!(
        codes,
        [
            Code::MethodCase,
            Code::ExposeSetCookie,
            Code::WildcardOriginWithCredentials
        ]
    );
}

#[test]
fn unknown_keys_are_refused() {
    let r: Result<Config, _> = serde_json::from_str(r#"{"allow_origin":["https://a.com"]}"#);
    let msg = r.unwrap_err().to_string();
    assert!(msg.contains("unknown field `allow_origin`"), "{msg}");
}

/// Only an object is a config: serde's positional form of a struct would read a
/// bare array's values as the keys in declaration order, unnamed.
#[test]
fn a_bare_array_is_refused() {
    for json in [
        r#"["https://a.com"]"#,
        r#"[["https://a.com"], ["PUT"]]"#,
        r#"[["*"], null, [], [], true]"#,
        "[]",
    ] {
        let r: Result<Config, _> = serde_json::from_str(json);
        let msg = r.unwrap_err().to_string();
        assert!(msg.contains("invalid type: sequence"), "{json}: {msg}");
        assert!(msg.contains("a CORS policy object with named keys"), "{json}: {msg}");
    }
    for json in ["\"https://a.com\"", "true", "null"] {
        assert!(serde_json::from_str::<Config>(json).is_err(), "{json}");
    }
    let config: Config = serde_json::from_str(r#"{"allow_origins":["https://a.com"]}"#).unwrap();
    assert_eq!(config.allow_origins, ["https://a.com"]);
    let empty: Config = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, Config::default());
}
