//! HAR exports as Chrome and Firefox write them, read without a browser.

use corsair_doctor::{har, CorsError, Verdict};
use serde_json::json;

fn entry(
    method: &str,
    url: &str,
    req: &[(&str, &str)],
    status: u16,
    resp: &[(&str, &str)],
    extra: serde_json::Value,
) -> serde_json::Value {
    let h = |l: &[(&str, &str)]| {
        l.iter()
            .map(|(n, v)| json!({ "name": n, "value": v }))
            .collect::<Vec<_>>()
    };
    let mut e = json!({
        "startedDateTime": "2026-12-01T10:00:00.000Z",
        "request": { "method": method, "url": url, "headers": h(req) },
        "response": { "status": status, "headers": h(resp), "redirectURL": "", "content": { "text": "" } },
    });
    if let (Some(obj), Some(extra)) = (e.as_object_mut(), extra.as_object()) {
        obj.extend(extra.clone());
    }
    e
}

fn har(entries: Vec<serde_json::Value>) -> String {
    json!({ "log": { "version": "1.2", "entries": entries } }).to_string()
}

const PAGE: &str = "https://app.example.com";
const API: &str = "https://api.example.com/items";

#[test]
fn chrome_preflight_folded_into_its_blocked_request() {
    let text = har(vec![
        entry(
            "GET",
            "https://app.example.com/",
            &[],
            200,
            &[],
            json!({ "_resourceType": "document" }),
        ),
        // Chrome keeps only provisional headers for a request blocked before it was sent.
        entry(
            "PUT",
            API,
            &[
                ("Referer", "https://app.example.com/"),
                ("content-type", "application/json"),
            ],
            0,
            &[],
            json!({ "_error": "net::ERR_FAILED", "_resourceType": "fetch" }),
        ),
        entry(
            "OPTIONS",
            API,
            &[
                ("Origin", PAGE),
                ("Access-Control-Request-Method", "PUT"),
                ("Access-Control-Request-Headers", "content-type"),
            ],
            401,
            &[("www-authenticate", "Bearer")],
            json!({ "_resourceType": "preflight" }),
        ),
    ]);
    let findings = har::analyze(&text).unwrap();
    assert_eq!(
        findings.len(),
        1,
        "the same-origin document is skipped and the preflight folded in"
    );
    let f = &findings[0];
    assert_eq!(
        (f.verdict, f.cors_error, f.preflight),
        (
            Verdict::Blocked,
            Some(CorsError::PreflightMissingAllowOriginHeader),
            true
        )
    );
    assert_eq!(f.origin, PAGE);
    assert!(f.fix.contains("authorizer"), "{}", f.fix);
}

#[test]
fn firefox_blocked_response_and_credentials_inferred() {
    let text = har(vec![
        // Firefox: the response's headers are there, status 0 and no error name.
        entry(
            "GET",
            API,
            &[("Origin", PAGE)],
            0,
            &[("Access-Control-Allow-Origin", "*")],
            json!({}),
        ),
        entry(
            "GET",
            "https://api.example.com/ok",
            &[("Origin", PAGE)],
            200,
            &[("Access-Control-Allow-Origin", PAGE)],
            json!({}),
        ),
    ]);
    let findings = har::analyze(&text).unwrap();
    assert_eq!(findings.len(), 2);
    // Only credentials explain a failure with `*`.
    assert_eq!(findings[0].cors_error, Some(CorsError::WildcardOriginNotAllowed));
    assert!(findings[0].fix.contains("credentials"));
    assert_eq!(findings[1].verdict, Verdict::Allowed);
}

#[test]
fn redirect_chain_is_one_finding() {
    let text = har(vec![
        entry(
            "GET",
            API,
            &[("Origin", PAGE)],
            302,
            &[
                ("Access-Control-Allow-Origin", PAGE),
                ("Location", "https://cdn.example.net/items"),
            ],
            json!({}),
        ),
        entry(
            "GET",
            "https://cdn.example.net/items",
            &[("Origin", "null")],
            200,
            &[("Access-Control-Allow-Origin", PAGE)],
            json!({}),
        ),
    ]);
    let findings = har::analyze(&text).unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(
        findings[0].cors_error,
        Some(CorsError::AllowOriginMismatch),
        "after a cross-origin hop the origin is `null`"
    );
    assert!(findings[0]
        .message
        .contains("(redirected from 'https://api.example.com/items')"));
}

#[test]
fn malformed_files_are_errors_that_say_where() {
    assert!(har::analyze("not json")
        .unwrap_err()
        .to_string()
        .starts_with("not JSON"));
    assert!(har::analyze("{}").unwrap_err().to_string().contains("log.entries"));
    let e = har::analyze(r#"{"log":{"entries":[{"request":{"method":"GET"}}]}}"#).unwrap_err();
    assert_eq!(e.to_string(), "log.entries[0].request.url is missing or not a string");
    let e = har::analyze(r#"{"log":{"entries":[{"request":{"method":"GET","url":"x","headers":[{"name":1}]}}]}}"#)
        .unwrap_err();
    assert!(e.to_string().contains("log.entries[0].request.headers[0]"));
}

#[test]
fn a_missing_preflight_is_named_as_the_likely_cause() {
    let text = har(vec![entry(
        "DELETE",
        API,
        &[("Origin", PAGE)],
        0,
        &[],
        json!({ "_error": "net::ERR_FAILED" }),
    )]);
    let f = &har::analyze(&text).unwrap()[0];
    assert_eq!((f.verdict, f.cors_error), (Verdict::Blocked, None));
    assert!(f.fix.contains("needs a preflight and the HAR has none"), "{}", f.fix);
}

/// Chrome writes the failure inside the response (`response._error`), and a response
/// refused by the CORS check keeps its real status and headers there.
#[test]
fn chrome_response_error_marks_a_refused_200() {
    let mut e = entry(
        "GET",
        API,
        &[("Origin", PAGE)],
        200,
        &[("Access-Control-Allow-Origin", "*")],
        json!({ "_resourceType": "fetch" }),
    );
    e["response"]["_error"] = json!("net::ERR_FAILED");
    let mut ok = e.clone();
    ok["response"]["_error"] = serde_json::Value::Null;
    let findings = har::analyze(&har(vec![e, ok])).unwrap();
    assert_eq!(
        (findings[0].verdict, findings[0].cors_error),
        (Verdict::Blocked, Some(CorsError::WildcardOriginNotAllowed)),
        "only credentials explain the recorded failure"
    );
    assert_eq!(
        (findings[1].verdict, findings[1].cors_error),
        (Verdict::Allowed, None),
        "`_error: null` is no failure"
    );
}
