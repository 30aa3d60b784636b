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
        &["public_suffix_wildcard", "public_suffix_wildcard_private_section"],
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
        &["private_network_with_wildcard_origin"],
    ),
    (
        Code::PrivateNetworkWithInsecureOrigin,
        &["private_network_with_insecure_origin"],
    ),
    (Code::PreflightStatus, &["preflight_status"]),
];

/// Codes `cors!` can never report (they are not about a policy), each with the
/// test file that covers it instead.
const OUTSIDE_CORS: &[(Code, &str)] = &[(Code::RoutePrefixInvalid, "tests/routes.rs")];

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
