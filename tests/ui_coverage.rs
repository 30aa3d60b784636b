//! Every refusal code of corsair-core has a compile-fail case under `tests/ui/`
//! (or, for a code `cors!` cannot report, a test file named in `OUTSIDE_CORS`):
//! a new code without one fails here.

use std::path::Path;

use corsair::Code;

/// Each code and the UI cases showing it (sub-cases of RULES.md section 6 get a file each).
const CASES: &[(Code, &[&str])] = &[
    (Code::OriginsEmpty, &["origins_empty", "origins_missing"]),
    (Code::OriginWildcardMixed, &["origin_wildcard_mixed"]),
    (Code::OriginDuplicate, &["origin_duplicate"]),
    (
        Code::WildcardOriginWithCredentials,
        &[
            "wildcard_origin_with_credentials",
            "wildcard_origin_string_with_credentials",
            "scheme_wildcard_with_credentials",
        ],
    ),
    (Code::NullOrigin, &["null_origin"]),
    (Code::OpaqueOrigin, &["opaque_origin_file", "opaque_origin_data"]),
    (Code::OriginHasPath, &["origin_has_path", "origin_has_trailing_slash"]),
    (Code::OriginHasQuery, &["origin_has_query"]),
    (Code::OriginHasFragment, &["origin_has_fragment"]),
    (Code::OriginHasUserinfo, &["origin_has_userinfo"]),
    (Code::OriginHasWhitespace, &["origin_has_whitespace"]),
    (Code::OriginMissingScheme, &["origin_missing_scheme"]),
    (
        Code::OriginInvalid,
        &["origin_invalid_host", "origin_invalid_empty_host"],
    ),
    (
        Code::OriginDefaultPort,
        &["origin_default_port_https", "origin_default_port_http"],
    ),
    (
        Code::OriginUppercase,
        &["origin_uppercase_scheme", "origin_uppercase_host"],
    ),
    (Code::OriginUnicodeHost, &["origin_unicode_host"]),
    (
        Code::OriginNonCanonicalIp,
        &[
            "origin_non_canonical_ipv4_short",
            "origin_non_canonical_ipv4_hex",
            "origin_non_canonical_ipv6_zero_padded",
            "origin_non_canonical_ipv6_ipv4_mapped",
        ],
    ),
    (
        Code::OriginInvalidPort,
        &[
            "origin_invalid_port_zero",
            "origin_invalid_port_too_large",
            "origin_invalid_port_leading_zero",
            "origin_invalid_port_empty",
        ],
    ),
    (Code::OriginTrailingDot, &["origin_trailing_dot"]),
    (
        Code::OriginMalformedWildcard,
        &[
            "wildcard_without_dot",
            "wildcard_in_middle",
            "wildcard_double",
            "wildcard_on_ipv4",
            "wildcard_on_ipv6",
        ],
    ),
    (
        Code::PublicSuffixWildcard,
        &[
            "public_suffix_wildcard",
            "public_suffix_wildcard_private_section",
            "public_suffix_wildcard_beneath",
        ],
    ),
    (
        Code::InsecureOriginWithCredentials,
        &["insecure_origin_with_credentials"],
    ),
    (
        Code::MethodForbidden,
        &[
            "method_forbidden_connect",
            "method_forbidden_trace",
            "method_forbidden_track",
        ],
    ),
    (Code::MethodInvalid, &["method_invalid"]),
    (Code::MethodCase, &["method_case", "method_case_string"]),
    (Code::MethodDuplicate, &["method_duplicate"]),
    (Code::MethodWildcardMixed, &["method_wildcard_mixed"]),
    (Code::HeaderInvalid, &["header_invalid"]),
    (
        Code::HeaderForbidden,
        &["header_forbidden", "header_forbidden_sec", "header_forbidden_proxy"],
    ),
    (Code::HeaderResponseOnly, &["header_response_only"]),
    (
        Code::HeaderDuplicate,
        &["header_duplicate", "header_duplicate_wildcard"],
    ),
    (
        Code::ExposeWildcardWithCredentials,
        &["expose_wildcard_with_credentials"],
    ),
    (Code::ExposeSetCookie, &["expose_set_cookie"]),
    (
        Code::ExposeRequestOnly,
        &["expose_request_only_origin", "expose_request_only_access_control"],
    ),
    (Code::ExposeInvalid, &["expose_invalid"]),
    (Code::ExposeDuplicate, &["expose_duplicate"]),
    (Code::MaxAgeTooLarge, &["max_age_too_large"]),
    (
        Code::PrivateNetworkWithWildcardOrigin,
        &[
            "private_network_with_wildcard_origin",
            "scheme_wildcard_with_private_network",
        ],
    ),
    (
        Code::PrivateNetworkWithInsecureOrigin,
        &["private_network_with_insecure_origin"],
    ),
    (Code::PreflightStatus, &["preflight_status"]),
];

/// Codes `cors!` can never report (they are not about a policy), each with the
/// test file that covers it instead.
const OUTSIDE_CORS: &[(Code, &str)] = &[
    (Code::RoutePrefixInvalid, "tests/routes.rs"),
    (Code::GatewayNoEquivalent, "cors-core/tests/gateway.rs"),
];

#[test]
fn every_code_has_a_ui_case() {
    for code in Code::ALL {
        if let Some((_, file)) = OUTSIDE_CORS.iter().find(|(c, _)| c == code) {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(text.contains(&format!("Code::{code}")), "{file} does not test {code}");
            continue;
        }
        let Some((_, files)) = CASES.iter().find(|(c, _)| c == code) else {
            panic!("no tests/ui case for {code} (rule {}.{})", code.section(), code.rule());
        };
        for file in *files {
            for ext in ["rs", "stderr"] {
                let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/ui/{file}.{ext}"));
                assert!(path.exists(), "{} is missing", path.display());
            }
        }
    }
}

/// The mistakes of a first hour with `cors!` (issue 17), each with its case.
const FIRST_HOUR: &[&str] = &[
    "origin_comma_joined",
    "header_comma_joined",
    "wrong_kind_header_ident_underscore",
    "wrong_kind_header_ident_refused",
    "wrong_kind_header_constant",
    "key_quoted",
    "key_quoted_origins",
    "key_quoted_unknown",
    "wrong_kind_list_constant",
    "wrong_kind_list_vec",
    "wrong_kind_origin_constant",
    "wrong_kind_flag_constant",
    "wrong_kind_method_path",
    "wrong_kind_seconds_duration",
    "unknown_key_credentials",
    "unknown_key_max_age_secs",
    "unknown_key_origins",
    "origins_missing",
    "origins_missing_empty",
    "missing_comma",
    "missing_comma_in_list",
];

#[test]
fn every_first_hour_mistake_has_a_ui_case() {
    for file in FIRST_HOUR {
        for ext in ["rs", "stderr"] {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/ui/{file}.{ext}"));
            assert!(path.exists(), "{} is missing", path.display());
        }
    }
}

/// One mistake, one error: every case but `many_problems` reports exactly one,
/// and none shows rustc's note naming the macro's internal path.
#[test]
fn each_case_is_one_error_on_a_users_token() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui");
    let mut cases = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "stderr") {
            continue;
        }
        cases += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        let errors = text.lines().filter(|l| l.starts_with("error")).count();
        if !path.ends_with("many_problems.stderr") {
            assert_eq!(errors, 1, "{}: {errors} errors", path.display());
        }
        assert!(!text.contains("__private"), "{} names an internal path", path.display());
    }
    assert!(cases > 80, "only {cases} cases found in {}", dir.display());
}
