//! RULES.md section 6: every refusal has its code, names the offending value, and
//! comes with a fix. Every `Code` must appear in the table below.

use corsair_core::{Builder, Code, Field, Policy};

fn base() -> Builder {
    Policy::builder().allow_origins(["https://app.example.com"])
}

struct Case {
    code: Code,
    builder: Builder,
    field: Field,
    index: Option<usize>,
    /// Must appear in the message.
    names: &'static str,
}

fn case(code: Code, builder: Builder, field: Field, index: Option<usize>, names: &'static str) -> Case {
    Case {
        code,
        builder,
        field,
        index,
        names,
    }
}

fn origins(list: &[&str]) -> Builder {
    Policy::builder().allow_origins(list)
}

fn cases() -> Vec<Case> {
    use Code::*;
    use Field::*;
    vec![
        case(
            OriginsEmpty,
            Policy::builder(),
            AllowOrigins,
            None,
            "allow_origins is empty",
        ),
        case(
            OriginWildcardMixed,
            origins(&["https://a.com", "*"]),
            AllowOrigins,
            Some(1),
            "`*`",
        ),
        case(
            OriginDuplicate,
            origins(&["https://a.com", "https://a.com"]),
            AllowOrigins,
            Some(1),
            "https://a.com",
        ),
        case(
            WildcardOriginWithCredentials,
            origins(&["*"]).allow_credentials(true),
            AllowCredentials,
            None,
            "`allow_origins: *`",
        ),
        case(NullOrigin, origins(&["null"]), AllowOrigins, Some(0), "null"),
        case(OpaqueOrigin, origins(&["file://"]), AllowOrigins, Some(0), "file://"),
        case(
            OriginHasPath,
            origins(&["https://example.com/"]),
            AllowOrigins,
            Some(0),
            "https://example.com/",
        ),
        case(
            OriginHasQuery,
            origins(&["https://example.com?a=1"]),
            AllowOrigins,
            Some(0),
            "https://example.com?a=1",
        ),
        case(
            OriginHasFragment,
            origins(&["https://example.com#top"]),
            AllowOrigins,
            Some(0),
            "https://example.com#top",
        ),
        case(
            OriginHasUserinfo,
            origins(&["https://me@example.com"]),
            AllowOrigins,
            Some(0),
            "https://me@example.com",
        ),
        case(
            OriginHasWhitespace,
            origins(&["https://example.com "]),
            AllowOrigins,
            Some(0),
            "https://example.com ",
        ),
        case(
            OriginMissingScheme,
            origins(&["example.com"]),
            AllowOrigins,
            Some(0),
            "example.com",
        ),
        case(
            OriginInvalid,
            origins(&["https://exa!mple.com"]),
            AllowOrigins,
            Some(0),
            "https://exa!mple.com",
        ),
        case(
            OriginDefaultPort,
            origins(&["https://example.com:443"]),
            AllowOrigins,
            Some(0),
            "https://example.com:443",
        ),
        case(
            OriginUppercase,
            origins(&["https://Example.com"]),
            AllowOrigins,
            Some(0),
            "https://Example.com",
        ),
        case(
            OriginUnicodeHost,
            origins(&["https://bücher.example"]),
            AllowOrigins,
            Some(0),
            "https://bücher.example",
        ),
        case(
            OriginNonCanonicalIp,
            origins(&["http://127.1"]),
            AllowOrigins,
            Some(0),
            "http://127.1",
        ),
        case(
            OriginInvalidPort,
            origins(&["http://localhost:99999"]),
            AllowOrigins,
            Some(0),
            "99999",
        ),
        case(
            OriginTrailingDot,
            origins(&["https://example.com."]),
            AllowOrigins,
            Some(0),
            "https://example.com.",
        ),
        case(
            OriginMalformedWildcard,
            origins(&["https://a.*.example.com"]),
            AllowOrigins,
            Some(0),
            "https://a.*.example.com",
        ),
        case(
            PublicSuffixWildcard,
            origins(&["https://*.github.io"]).allow_credentials(true),
            AllowOrigins,
            Some(0),
            "https://*.github.io",
        ),
        case(
            InsecureOriginWithCredentials,
            origins(&["http://app.example.com"]).allow_credentials(true),
            AllowOrigins,
            Some(0),
            "http://app.example.com",
        ),
        case(
            MethodForbidden,
            base().allow_methods(["GET", "trace"]),
            AllowMethods,
            Some(1),
            "trace",
        ),
        case(
            MethodInvalid,
            base().allow_methods(["GET PUT"]),
            AllowMethods,
            Some(0),
            "GET PUT",
        ),
        case(
            MethodCase,
            base().allow_methods(["patch"]),
            AllowMethods,
            Some(0),
            "patch",
        ),
        case(
            MethodDuplicate,
            base().allow_methods(["PUT", "PUT"]),
            AllowMethods,
            Some(1),
            "PUT",
        ),
        case(
            MethodWildcardMixed,
            base().allow_methods(["*", "PUT"]),
            AllowMethods,
            Some(0),
            "`*`",
        ),
        case(
            HeaderInvalid,
            base().allow_headers(["x-a:b"]),
            AllowHeaders,
            Some(0),
            "x-a:b",
        ),
        case(
            HeaderForbidden,
            base().allow_headers(["Sec-Fetch-Mode"]),
            AllowHeaders,
            Some(0),
            "sec-fetch-mode",
        ),
        case(
            HeaderResponseOnly,
            base().allow_headers(["access-control-allow-origin"]),
            AllowHeaders,
            Some(0),
            "access-control-allow-origin",
        ),
        case(
            HeaderDuplicate,
            base().allow_headers(["x-a", "X-A"]),
            AllowHeaders,
            Some(1),
            "x-a",
        ),
        case(
            ExposeWildcardWithCredentials,
            base().expose_headers(["*"]).allow_credentials(true),
            ExposeHeaders,
            Some(0),
            "expose_headers: *",
        ),
        case(
            ExposeSetCookie,
            base().expose_headers(["Set-Cookie"]),
            ExposeHeaders,
            Some(0),
            "set-cookie",
        ),
        case(
            ExposeRequestOnly,
            base().expose_headers(["origin"]),
            ExposeHeaders,
            Some(0),
            "origin",
        ),
        case(
            ExposeInvalid,
            base().expose_headers(["x y"]),
            ExposeHeaders,
            Some(0),
            "x y",
        ),
        case(
            ExposeDuplicate,
            base().expose_headers(["x-id", "X-Id"]),
            ExposeHeaders,
            Some(1),
            "x-id",
        ),
        case(MaxAgeTooLarge, base().max_age(86_401), MaxAge, None, "86401"),
        case(
            PrivateNetworkWithWildcardOrigin,
            origins(&["*"]).allow_private_network(true),
            AllowPrivateNetwork,
            None,
            "`allow_origins: *`",
        ),
        case(
            PrivateNetworkWithInsecureOrigin,
            origins(&["http://10.0.0.8"]).allow_private_network(true),
            AllowOrigins,
            Some(0),
            "http://10.0.0.8",
        ),
        case(
            Code::PreflightStatus,
            base().preflight_status(201),
            Field::PreflightStatus,
            None,
            "201",
        ),
    ]
}

#[test]
fn every_code_is_tested() {
    let tested: Vec<Code> = cases().iter().map(|c| c.code).collect();
    // Section 7's code is about route prefixes, refused by the adapters (tests/routes.rs).
    for code in Code::ALL.iter().filter(|c| c.section() == 6) {
        assert!(tested.contains(code), "no refusal test for {code:?}");
    }
}

#[test]
fn each_refusal_has_its_code_place_message_and_hint() {
    for c in cases() {
        let err = c.builder.build().expect_err(c.code.name());
        let p = err
            .problems()
            .iter()
            .find(|p| p.code == c.code)
            .unwrap_or_else(|| panic!("{:?} not among {err}", c.code));
        assert_eq!((p.field, p.index), (c.field, c.index), "{:?}", c.code);
        assert!(
            p.message.contains(c.names),
            "{:?}: message {:?} should name {:?}",
            c.code,
            p.message,
            c.names
        );
        assert!(!p.hint.is_empty(), "{:?} has no hint", c.code);
        assert!(err.to_string().contains(&p.message));
        assert!((1..=13).contains(&p.code.rule()));
    }
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let err = Policy::builder()
        .allow_origins(["https://a.com/", "HTTP://B.COM", "null"])
        .allow_methods(["patch", "TRACE"])
        .allow_headers(["cookie"])
        .expose_headers(["set-cookie"])
        .max_age(100_000)
        .preflight_status(302)
        .build()
        .unwrap_err();
    let codes: Vec<Code> = err.problems().iter().map(|p| p.code).collect();
    assert_eq!(
        codes,
        [
            Code::OriginHasPath,
            Code::OriginUppercase,
            Code::NullOrigin,
            Code::MethodCase,
            Code::MethodForbidden,
            Code::HeaderForbidden,
            Code::ExposeSetCookie,
            Code::MaxAgeTooLarge,
            Code::PreflightStatus
        ]
    );
}

#[test]
fn hints_name_the_fix() {
    let hint = |o: &str| {
        base().allow_origins([o]).build().unwrap_err().problems()[0]
            .hint
            .clone()
    };
    assert_eq!(hint("https://example.com/"), "write `https://example.com`");
    assert_eq!(hint("HTTPS://Example.COM"), "write `https://example.com`");
    assert_eq!(hint("https://bücher.example"), "write `https://xn--bcher-kva.example`");
    assert_eq!(hint("http://[0:0:0:0:0:0:0:1]:8080"), "write `http://[::1]:8080`");
    let m = base().allow_methods(["patch"]).build().unwrap_err();
    assert_eq!(m.problems()[0].hint, "write PATCH");
    assert!(m.problems()[0].message.contains("clients send `PATCH`"));
}

#[test]
fn credentials_rules_have_opt_outs_and_do_not_apply_without_credentials() {
    assert!(origins(&["https://*.github.io", "http://app.example.com"])
        .build()
        .is_ok());
    assert!(origins(&["https://*.github.io", "http://app.example.com"])
        .allow_credentials(true)
        .dangerously_allow_insecure_origins(true)
        .dangerously_allow_public_suffix_wildcards(true)
        .build()
        .is_ok());
    // Loopback and names the Public Suffix List does not know are fine with credentials.
    assert!(origins(&[
        "http://localhost:*",
        "http://127.0.0.1:3000",
        "http://[::1]:3000",
        "https://*.localhost",
        "https://*.internal"
    ])
    .allow_credentials(true)
    .build()
    .is_ok());
}

#[test]
fn harmless_redundancy_is_accepted_and_case_is_normalized() {
    let p = base()
        .allow_methods(["GET", "HEAD", "POST"])
        .allow_headers(["Content-Type", "Accept"])
        .build()
        .unwrap();
    assert!(p.allows_request_header(b"content-type"));
    assert!(base().allow_headers(["*", "authorization"]).build().is_ok());
    assert!(base().allow_headers(["x-http-method-override"]).build().is_ok());
}

#[test]
fn the_error_reads_well() {
    let err = origins(&["*"]).allow_credentials(true).build().unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("invalid CORS policy: allow_credentials (WildcardOriginWithCredentials): credentials cannot"),
        "{text}"
    );
    assert!(text.contains("; fix: list the allowed origins"), "{text}");
}

/// Rule 6.7, below the parent: with credentials, a wildcard whose parent has
/// public suffixes beneath it covers strangers' sites just as `*.com` does.
#[test]
fn wildcards_over_public_suffixes_beneath_the_parent_are_refused() {
    for (pattern, found) in [
        (
            "https://*.on.aws",
            "`lambda-url.af-south-1.on.aws` is a public suffix under `on.aws`",
        ),
        (
            "https://*.windows.net",
            "`servicebus.windows.net` is a public suffix under `windows.net`",
        ),
        (
            "https://*.core.windows.net",
            "`blob.core.windows.net` is a public suffix under `core.windows.net`",
        ),
        (
            "https://*.amazonaws.com",
            "`s3-1.amazonaws.com` is a public suffix under `amazonaws.com`",
        ),
    ] {
        let err = origins(&["https://app.example.com", pattern])
            .allow_credentials(true)
            .build()
            .unwrap_err();
        let [p] = err.problems() else {
            panic!("{pattern}: {err}")
        };
        assert_eq!(p.code, Code::PublicSuffixWildcard, "{pattern}");
        assert_eq!(
            (p.field, p.index, p.value.as_str()),
            (Field::AllowOrigins, Some(1), pattern)
        );
        assert!(p.message.contains(found), "{pattern}: {}", p.message);
        assert!(p.message.contains(pattern), "{}", p.message);
        assert!(
            p.hint.contains("dangerously_allow_public_suffix_wildcards"),
            "{}",
            p.hint
        );
        // The same opt-out, and no refusal without credentials.
        assert!(origins(&[pattern])
            .allow_credentials(true)
            .dangerously_allow_public_suffix_wildcards(true)
            .build()
            .is_ok());
        assert!(origins(&[pattern]).build().is_ok(), "{pattern}");
    }
    // A suffix's own wildcard and the wildcard rules are still caught, with the old message.
    for pattern in [
        "https://*.ck",
        "https://*.com",
        "https://*.github.io",
        "https://*.blob.core.windows.net",
    ] {
        let err = origins(&[pattern]).allow_credentials(true).build().unwrap_err();
        assert_eq!(err.problems()[0].code, Code::PublicSuffixWildcard, "{pattern}");
        assert!(
            err.problems()[0]
                .message
                .contains("matches every site under a public suffix"),
            "{err}"
        );
    }
    // Registrable domains, names the list does not know, and names beneath a suffix are fine.
    for pattern in [
        "https://*.example.com",
        "https://*.api.example.com",
        "http://*.localhost",
        "https://*.internal",
        "https://*.mybucket.blob.core.windows.net",
    ] {
        assert!(origins(&[pattern]).allow_credentials(true).build().is_ok(), "{pattern}");
    }
}

/// The duplicate checks are linear: 40,000 names of each list build (a scan of
/// the earlier names, as before, took seconds here). The structural proof is the
/// unit test over the validator's `FirstSeen`; this is the smoke check.
#[test]
fn forty_thousand_names_build_and_duplicates_name_the_first() {
    let names: Vec<String> = (0..40_000).map(|i| format!("x-h{i}")).collect();
    let methods: Vec<String> = (0..40_000).map(|i| format!("M{i}")).collect();
    let p = base()
        .allow_methods(&methods)
        .allow_headers(&names)
        .expose_headers(&names)
        .build()
        .unwrap();
    assert!(p.allows_request_header(b"x-h39999"));
    let err = base()
        .allow_methods(["PUT", "DELETE", "PUT"])
        .allow_headers(["x-a", "x-b", "X-A"])
        .expose_headers(["x-c", "X-C"])
        .build()
        .unwrap_err();
    let messages: Vec<&str> = err.problems().iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "method `PUT` is listed twice (first at allow_methods[0])",
            "request header `x-a` is listed twice (first at allow_headers[0]; names are case-insensitive)",
            "exposed header `x-c` is listed twice (first at expose_headers[0]; names are case-insensitive)",
        ]
    );
    let star = base().allow_headers(["x-a", "*", "*"]).build().unwrap_err();
    assert_eq!(
        star.problems()[0].message,
        "`*` is listed twice (first at allow_headers[1])"
    );
    assert_eq!(star.problems()[0].index, Some(2));
}

/// What `fn main() -> Result<(), Error>` prints through `?` is the human text.
#[test]
fn debug_prints_the_same_text_as_display() {
    let one = origins(&["*"]).allow_credentials(true).build().unwrap_err();
    let many = origins(&["https://a.com/", "*"])
        .allow_methods(["patch"])
        .build()
        .unwrap_err();
    for err in [one, many] {
        assert_eq!(format!("{err:?}"), format!("{err}"));
        assert!(!format!("{err:?}").contains("Problem {"), "{err:?}");
        assert!(format!("{err:?}").contains("fix"), "{err:?}");
    }
}
