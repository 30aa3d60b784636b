//! The browser's checks over plain data, one rule a case, so each holds without
//! Chromium installed (the CLI's browser suite checks the same against Chromium).

use corsair_doctor::{
    check_access, check_preflight, preflight_for, run, CorsError, Credentials, Hop, PageRequest, Preflight,
    ResponseHead, Transport, Verdict, Warning,
};

const ORIGIN: &str = "https://app.example.com";

fn resp(status: u16, headers: &[(&str, &str)]) -> ResponseHead {
    ResponseHead {
        status,
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        body_start: String::new(),
    }
}

fn err(r: Result<impl std::fmt::Debug, corsair_doctor::Blocked>) -> (CorsError, Option<String>) {
    let b = r.expect_err("blocked");
    (b.error, b.failed_parameter)
}

fn pf(method: &str, headers: &[&str]) -> Preflight {
    Preflight {
        method: method.to_owned(),
        headers: headers.iter().map(|h| (*h).to_owned()).collect(),
    }
}

#[test]
fn access_check() {
    use CorsError::*;
    let omit = Credentials::Omit;
    let inc = Credentials::Include;
    assert_eq!(
        err(check_access(&resp(200, &[]), ORIGIN, omit)).0,
        MissingAllowOriginHeader
    );
    assert!(check_access(&resp(200, &[("access-control-allow-origin", "*")]), ORIGIN, omit).is_ok());
    assert_eq!(
        err(check_access(
            &resp(200, &[("access-control-allow-origin", "*")]),
            ORIGIN,
            inc
        ))
        .0,
        WildcardOriginNotAllowed
    );
    let two = resp(
        200,
        &[
            ("access-control-allow-origin", ORIGIN),
            ("Access-Control-Allow-Origin", ORIGIN),
        ],
    );
    assert_eq!(
        err(check_access(&two, ORIGIN, omit)),
        (MultipleAllowOriginValues, Some(format!("{ORIGIN}, {ORIGIN}")))
    );
    assert_eq!(
        err(check_access(
            &resp(200, &[("access-control-allow-origin", "*.example.com")]),
            ORIGIN,
            omit
        ))
        .0,
        InvalidAllowOriginValue
    );
    assert_eq!(
        err(check_access(
            &resp(200, &[("access-control-allow-origin", "null")]),
            ORIGIN,
            omit
        ))
        .0,
        AllowOriginMismatch
    );
    let slash = format!("{ORIGIN}/");
    assert_eq!(
        err(check_access(
            &resp(200, &[("access-control-allow-origin", &slash)]),
            ORIGIN,
            omit
        )),
        (AllowOriginMismatch, Some(slash.clone()))
    );
    // Padding is trimmed, as the network stack does.
    assert!(check_access(
        &resp(200, &[("access-control-allow-origin", " https://app.example.com ")]),
        ORIGIN,
        omit
    )
    .is_ok());
    let echo = [("access-control-allow-origin", ORIGIN)];
    assert_eq!(
        err(check_access(&resp(200, &echo), ORIGIN, inc)),
        (InvalidAllowCredentials, None)
    );
    let cap = resp(200, &[echo[0], ("access-control-allow-credentials", "True")]);
    assert_eq!(
        err(check_access(&cap, ORIGIN, inc)),
        (InvalidAllowCredentials, Some("True".to_owned()))
    );
    assert!(check_access(
        &resp(500, &[echo[0], ("access-control-allow-credentials", "true")]),
        ORIGIN,
        inc
    )
    .is_ok());
}

#[test]
fn preflight_check_order_and_lists() {
    use CorsError::*;
    let omit = Credentials::Omit;
    let put = pf("PUT", &[]);
    // A redirect first, then the origin headers, and only then the status.
    assert_eq!(
        err(check_preflight(
            &resp(302, &[("location", "/x"), ("access-control-allow-origin", ORIGIN)]),
            ORIGIN,
            omit,
            &put
        ))
        .0,
        PreflightDisallowedRedirect
    );
    assert_eq!(
        err(check_preflight(
            &resp(404, &[("access-control-allow-origin", "https://other.example")]),
            ORIGIN,
            omit,
            &put
        ))
        .0,
        PreflightAllowOriginMismatch
    );
    assert_eq!(
        err(check_preflight(&resp(404, &[]), ORIGIN, omit, &put)).0,
        PreflightMissingAllowOriginHeader
    );
    assert_eq!(
        err(check_preflight(
            &resp(403, &[("access-control-allow-origin", ORIGIN)]),
            ORIGIN,
            omit,
            &put
        ))
        .0,
        PreflightInvalidStatus
    );
    let ok = |extra: &[(&'static str, &'static str)]| {
        let mut h = vec![("access-control-allow-origin", ORIGIN)];
        h.extend_from_slice(extra);
        resp(204, &h)
    };
    assert_eq!(
        err(check_preflight(&ok(&[]), ORIGIN, omit, &put)),
        (MethodDisallowedByPreflightResponse, Some("PUT".to_owned()))
    );
    assert!(check_preflight(&ok(&[("access-control-allow-methods", "GET, PUT")]), ORIGIN, omit, &put).is_ok());
    // Methods compare case-sensitively.
    assert_eq!(
        err(check_preflight(
            &ok(&[("access-control-allow-methods", "PATCH")]),
            ORIGIN,
            omit,
            &pf("patch", &[])
        ))
        .0,
        MethodDisallowedByPreflightResponse
    );
    assert!(check_preflight(&ok(&[("access-control-allow-methods", "*")]), ORIGIN, omit, &put).is_ok());
    assert_eq!(
        err(check_preflight(
            &ok(&[
                ("access-control-allow-methods", "*"),
                ("access-control-allow-credentials", "true")
            ]),
            ORIGIN,
            Credentials::Include,
            &put
        ))
        .0,
        MethodDisallowedByPreflightResponse
    );
    assert_eq!(
        err(check_preflight(
            &ok(&[("access-control-allow-methods", "PUT;GET")]),
            ORIGIN,
            omit,
            &put
        ))
        .0,
        InvalidAllowMethodsPreflightResponse
    );
    assert_eq!(
        err(check_preflight(
            &ok(&[("access-control-allow-headers", "a b")]),
            ORIGIN,
            omit,
            &pf("GET", &["a"])
        ))
        .0,
        InvalidAllowHeadersPreflightResponse
    );
    let two = pf("GET", &["x-a", "x-b"]);
    assert_eq!(
        err(check_preflight(
            &ok(&[("access-control-allow-headers", "X-B")]),
            ORIGIN,
            omit,
            &two
        )),
        (HeaderDisallowedByPreflightResponse, Some("x-a".to_owned()))
    );
    // `*` covers authorization in Chromium, with a warning; with credentials `*` is a literal name.
    assert_eq!(
        check_preflight(
            &ok(&[("access-control-allow-headers", "*")]),
            ORIGIN,
            omit,
            &pf("GET", &["authorization"])
        ),
        Ok(vec![Warning::AuthorizationCoveredByWildcard])
    );
    assert_eq!(
        err(check_preflight(
            &ok(&[
                ("access-control-allow-headers", "*"),
                ("access-control-allow-credentials", "true")
            ]),
            ORIGIN,
            Credentials::Include,
            &pf("GET", &["x-a"])
        ))
        .0,
        HeaderDisallowedByPreflightResponse
    );
}

/// A scripted server: preflight answers, then request answers, in order.
struct Script(Vec<ResponseHead>, Vec<Hop>);

impl Transport for Script {
    type Error = ();
    fn send(&mut self, hop: &Hop) -> Result<Option<ResponseHead>, ()> {
        self.1.push(hop.clone());
        if self.0.is_empty() {
            return Err(());
        }
        Ok(Some(self.0.remove(0)))
    }
}

fn page(method: &str, headers: &[(&str, &str)]) -> PageRequest {
    PageRequest {
        url: "https://api.example.com/items".to_owned(),
        method: method.to_owned(),
        origin: ORIGIN.to_owned(),
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        credentials: Credentials::Omit,
    }
}

#[test]
fn preflight_request_is_what_chromium_sends() {
    let mut s = Script(
        vec![
            resp(
                204,
                &[
                    ("access-control-allow-origin", ORIGIN),
                    ("access-control-allow-methods", "PUT"),
                    ("access-control-allow-headers", "content-type,x-b"),
                ],
            ),
            resp(200, &[("access-control-allow-origin", ORIGIN)]),
        ],
        vec![],
    );
    let f = run(
        &page("put", &[("X-B", "1"), ("Content-Type", "application/json")]),
        &mut s,
    )
    .unwrap();
    assert_eq!(f.verdict, Verdict::Allowed);
    assert!(f.preflight);
    let pre = &s.1[0];
    assert_eq!(pre.method, "OPTIONS");
    let get = |h: &Hop, n: &str| h.headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    assert_eq!(get(pre, "access-control-request-method").as_deref(), Some("PUT"));
    assert_eq!(
        get(pre, "access-control-request-headers").as_deref(),
        Some("content-type,x-b")
    );
    assert_eq!(get(pre, "origin").as_deref(), Some(ORIGIN));
    assert_eq!(s.1[1].method, "PUT");
    assert!(preflight_for("GET", &[("accept".to_owned(), "a".repeat(128))]).is_none());
}

#[test]
fn redirects_hop_by_hop() {
    // A cross-origin redirect from a cross-origin URL: the next hop sends `Origin: null`.
    let mut s = Script(
        vec![
            resp(
                307,
                &[
                    ("access-control-allow-origin", ORIGIN),
                    ("location", "https://cdn.example.net/x"),
                ],
            ),
            resp(200, &[("access-control-allow-origin", "null")]),
        ],
        vec![],
    );
    let f = run(&page("GET", &[]), &mut s).unwrap();
    assert_eq!(f.verdict, Verdict::Allowed, "{}", f.message);
    assert_eq!(
        s.1[1]
            .headers
            .iter()
            .find(|(n, _)| n == "origin")
            .map(|(_, v)| v.as_str()),
        Some("null")
    );
    // The redirect itself needs CORS headers.
    let mut s = Script(vec![resp(302, &[("location", "/y")])], vec![]);
    let f = run(&page("GET", &[]), &mut s).unwrap();
    assert_eq!(f.cors_error, Some(CorsError::MissingAllowOriginHeader));
    assert!(f.fix.contains("every hop"), "{}", f.fix);
    // No redirect on a preflight.
    let mut s = Script(vec![resp(301, &[("location", "/y")])], vec![]);
    assert_eq!(
        run(&page("DELETE", &[]), &mut s).unwrap().cors_error,
        Some(CorsError::PreflightDisallowedRedirect)
    );
    // Credentials in the Location.
    let mut s = Script(
        vec![resp(
            302,
            &[
                ("access-control-allow-origin", ORIGIN),
                ("location", "https://u:p@api.example.com/"),
            ],
        )],
        vec![],
    );
    assert_eq!(
        run(&page("GET", &[]), &mut s).unwrap().cors_error,
        Some(CorsError::RedirectContainsCredentials)
    );
    // A loop ends after 20 redirects, not in a hang.
    let many = (0..=25)
        .map(|_| resp(302, &[("access-control-allow-origin", ORIGIN), ("location", "/again")]))
        .collect();
    let f = run(&page("GET", &[]), &mut Script(many, vec![])).unwrap();
    assert_eq!((f.verdict, f.cors_error), (Verdict::Blocked, None));
    assert!(f.message.contains("ERR_TOO_MANY_REDIRECTS"));
}

#[test]
fn fixes_name_the_likely_cause() {
    let fix = |responses: Vec<ResponseHead>, req: PageRequest| run(&req, &mut Script(responses, vec![])).unwrap().fix;
    assert!(fix(vec![resp(404, &[])], page("PUT", &[])).contains("no OPTIONS route"));
    assert!(fix(vec![resp(401, &[])], page("PUT", &[])).contains("authorizer"));
    let token = ResponseHead {
        body_start: "{\"message\":\"Missing Authentication Token\"}".to_owned(),
        ..resp(403, &[])
    };
    assert!(fix(vec![token], page("PUT", &[])).contains("Missing Authentication Token"));
    assert!(fix(vec![resp(403, &[])], page("GET", &[("x-apigw-api-id", "a1")])).contains("x-apigw-api-id"));
    assert!(fix(
        vec![resp(
            200,
            &[("access-control-allow-origin", "https://app.example.com/")]
        )],
        page("GET", &[])
    )
    .contains("trailing slash"));
    assert!(fix(vec![resp(502, &[])], page("GET", &[])).contains("DEFAULT_5XX"));
    let good = resp(
        204,
        &[
            ("access-control-allow-origin", ORIGIN),
            ("access-control-allow-methods", "PUT"),
        ],
    );
    assert!(fix(vec![good, resp(200, &[])], page("PUT", &[])).contains("preflight passed"));
    let listed = resp(204, &[("access-control-allow-origin", ORIGIN)]);
    assert!(fix(vec![listed], page("GET", &[("x-api-key", "k")])).contains("allow_headers: [\"x-api-key\"]"));
}
