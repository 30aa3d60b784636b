//! `corsair har --json` over HAR files that real browsers exported
//! (`tests/fixtures/har/`, made by `record.py` there, see its README): every
//! cross-origin request gets the verdict, `cors_error` and `failed_parameter` the
//! browser reported when it ran that request; the same-origin one is skipped.
//! Malformed variants of those files (fields dropped, types changed, text cut
//! short) exit 2 with one line, never a panic.

use std::path::{Path, PathBuf};

use corsair_cli::run_cli;
use proptest::prelude::*;
use serde_json::Value;

const PAGE: &str = "http://127.0.0.1:8801";
const API: &str = "http://127.0.0.1:8802";

/// One request of the recorded page, as the browsers judged it.
struct Scenario {
    name: &'static str,
    method: &'static str,
    preflight: bool,
    /// Chromium's `Network.CorsError`, `None` when the request was allowed.
    cors_error: Option<&'static str>,
    /// Chromium's `corsErrorStatus.failedParameter`, `None` for its empty string.
    failed_parameter: Option<&'static str>,
    /// The "(Reason: ...)" Firefox's console gave, `None` when it was allowed.
    firefox_reason: Option<&'static str>,
}

const fn s(
    name: &'static str,
    method: &'static str,
    preflight: bool,
    cors_error: Option<&'static str>,
    failed_parameter: Option<&'static str>,
    firefox_reason: Option<&'static str>,
) -> Scenario {
    Scenario {
        name,
        method,
        preflight,
        cors_error,
        failed_parameter,
        firefox_reason,
    }
}

/// In the page's order (the order of the HARs' entries). `expected_is_what_the_browsers_said`
/// checks this table against the console and `Network.loadingFailed` recorded with the files.
const SCENARIOS: &[Scenario] = &[
    s("simple-allowed", "GET", false, None, None, None),
    s("preflight-allowed", "PUT", true, None, None, None),
    s(
        "preflight-missing-allow-origin",
        "PUT",
        true,
        Some("PreflightMissingAllowOriginHeader"),
        None,
        Some("CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200."),
    ),
    s(
        "preflight-401",
        "PUT",
        true,
        Some("PreflightMissingAllowOriginHeader"),
        None,
        Some("CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 401."),
    ),
    s(
        "preflight-403-with-cors",
        "PUT",
        true,
        Some("PreflightInvalidStatus"),
        None,
        Some("CORS preflight response did not succeed). Status code: 403."),
    ),
    s(
        "header-not-listed",
        "PUT",
        true,
        Some("HeaderDisallowedByPreflightResponse"),
        Some("x-api-key"),
        Some("header ‘x-api-key’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response"),
    ),
    s(
        "method-not-allowed",
        "DELETE",
        true,
        Some("MethodDisallowedByPreflightResponse"),
        Some("DELETE"),
        Some("Did not find method in CORS header ‘Access-Control-Allow-Methods’"),
    ),
    s(
        "wildcard-with-credentials",
        "GET",
        false,
        Some("WildcardOriginNotAllowed"),
        None,
        Some("Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’"),
    ),
    s(
        "credentials-not-allowed",
        "GET",
        false,
        Some("InvalidAllowCredentials"),
        None,
        Some("expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’"),
    ),
    s(
        "actual-allow-origin-mismatch",
        "PUT",
        true,
        Some("AllowOriginMismatch"),
        Some("http://127.0.0.1:8803"),
        Some("CORS header ‘Access-Control-Allow-Origin’ does not match ‘http://127.0.0.1:8803’"),
    ),
    s(
        "actual-missing-allow-origin",
        "PUT",
        true,
        Some("MissingAllowOriginHeader"),
        None,
        Some("CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 500."),
    ),
    s(
        "simple-trailing-slash",
        "GET",
        false,
        Some("AllowOriginMismatch"),
        Some("http://127.0.0.1:8801/"),
        Some("CORS header ‘Access-Control-Allow-Origin’ does not match ‘http://127.0.0.1:8801/’"),
    ),
    s(
        "simple-multiple-allow-origin",
        "GET",
        false,
        Some("MultipleAllowOriginValues"),
        Some("http://127.0.0.1:8801, http://127.0.0.1:8801"),
        Some("Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed"),
    ),
    s(
        "preflight-redirect",
        "PUT",
        true,
        Some("PreflightDisallowedRedirect"),
        None,
        Some("CORS request external redirect not allowed"),
    ),
    // One URL, three requests, three preflights: each request gets its own.
    s("shared", "PUT", true, None, None, None),
    s(
        "shared#delete",
        "DELETE",
        true,
        Some("MethodDisallowedByPreflightResponse"),
        Some("DELETE"),
        Some("Did not find method in CORS header ‘Access-Control-Allow-Methods’"),
    ),
    s("shared#again", "PUT", true, None, None, None),
];

impl Scenario {
    /// The request's URL: the label up to a `#`, which marks a repeat of one URL.
    fn url(&self) -> String {
        format!("{API}/{}", self.name.split('#').next().unwrap_or_default())
    }
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/har")
        .join(name)
}

fn read_json(name: &str) -> Value {
    let text = std::fs::read_to_string(fixture(name)).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn run(args: &[&str]) -> (i32, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run_cli(
        std::iter::once("corsair").chain(args.iter().copied()),
        &mut out,
        &mut err,
        false,
    );
    (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
}

/// `corsair har FILE --json`'s requests; the exit status is 1 (some are blocked).
fn har_json(path: &Path) -> Vec<Value> {
    let (code, out, err) = run(&["har", path.to_str().unwrap(), "--json"]);
    assert_eq!(code, 1, "{}: {err}", path.display());
    let v: Value = serde_json::from_str(&out).unwrap();
    v["requests"].as_array().unwrap().clone()
}

/// Chromium's console line for a blocked request, recorded with the HAR.
fn chromium_console_line(url: &str) -> String {
    let console = read_json("chromium.console.json");
    let needle = format!("Access to fetch at '{url}' ");
    let lines: Vec<&str> = console["console"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .filter(|l| l.starts_with(&needle))
        .collect();
    assert_eq!(lines.len(), 1, "{url}: {lines:?}");
    lines[0].to_owned()
}

/// Asserts the findings of one export against [`SCENARIOS`]; `credentials_recorded`
/// says whether the export kept the `Cookie` header (else only the failure itself
/// tells that credentials were sent, and the fix must say so).
fn assert_findings(file: &str, credentials_recorded: bool, compare_console: bool) {
    let requests = har_json(&fixture(file));
    let got: Vec<String> = requests
        .iter()
        .map(|r| format!("{} {}", r["method"], r["url"]))
        .collect();
    assert_eq!(
        requests.len(),
        SCENARIOS.len(),
        "{file}: one finding per cross-origin request, the page, its favicon and the same-origin PUT skipped: {got:#?}"
    );
    let mut wrong = Vec::new();
    for (r, s) in requests.iter().zip(SCENARIOS) {
        let url = s.url();
        let ours = (
            r["url"].as_str(),
            r["method"].as_str(),
            r["origin"].as_str(),
            r["preflight"].as_bool(),
            r["verdict"].as_str(),
            r["cors_error"].as_str(),
            r["failed_parameter"].as_str(),
        );
        let theirs = (
            Some(url.as_str()),
            Some(s.method),
            Some(PAGE),
            Some(s.preflight),
            Some(if s.cors_error.is_some() { "blocked" } else { "allowed" }),
            s.cors_error,
            s.failed_parameter,
        );
        if ours != theirs {
            wrong.push(format!(
                "{}: browser {theirs:?}\n    corsair {ours:?}\n    {}",
                s.name, r["message"]
            ));
            continue;
        }
        if s.cors_error.is_some() && compare_console {
            let line = chromium_console_line(&url);
            if r["message"] != line.as_str() {
                wrong.push(format!(
                    "{}: console differs\n    chromium: {line}\n    corsair:  {}",
                    s.name, r["message"]
                ));
            }
        }
        let inferred = r["fix"]
            .as_str()
            .unwrap()
            .contains("the HAR does not record the credentials mode");
        let credentialed = matches!(s.name, "wildcard-with-credentials" | "credentials-not-allowed");
        if inferred != (credentialed && !credentials_recorded) {
            wrong.push(format!(
                "{}: fix says credentials were inferred: {inferred}: {}",
                s.name, r["fix"]
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{file}: {} findings differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// Chrome's default export ("Export HAR (sanitized)..."): no `Cookie`, and a blocked
/// response keeps its status 200 and headers, marked only by `response._error`.
#[test]
fn chromium_sanitized_export() {
    assert_findings("chromium.har", false, true);
}

#[test]
fn chromium_export_with_sensitive_data() {
    assert_findings("chromium-sensitive.har", true, true);
}

/// Firefox marks no failure at all: a refused response is a plain 200 with its headers.
#[test]
fn firefox_netmonitor_export() {
    assert_findings("firefox.har", true, false);
}

/// [`SCENARIOS`] is what the browsers said while the fixtures were recorded:
/// Chromium's `Network.loadingFailed` `corsErrorStatus` and Firefox's console reason.
#[test]
fn expected_is_what_the_browsers_said() {
    for browser in ["chromium", "firefox"] {
        let console = read_json(&format!("{browser}.console.json"));
        let results = console["results"].as_array().unwrap();
        assert_eq!(results.len(), SCENARIOS.len() + 1, "{browser}: the page's fetches");
        let last = results.last().unwrap();
        assert_eq!(
            (&last[0], &last[1]),
            (&Value::from("same-origin"), &Value::from("ok")),
            "{browser}"
        );
        for (r, s) in results.iter().zip(SCENARIOS) {
            assert_eq!(r[0], s.name, "{browser}");
            assert_eq!(r[1] == "ok", s.cors_error.is_none(), "{browser} {}: {r}", s.name);
        }
    }

    let chromium = read_json("chromium.console.json");
    let failed: Vec<&Value> = chromium["loadingFailed"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["type"] == "Fetch")
        .collect();
    for s in SCENARIOS {
        let url = s.url();
        let mine: Vec<_> = failed
            .iter()
            .filter(|f| f["url"] == url.as_str() && f["method"] == s.method)
            .collect();
        match s.cors_error {
            None => assert!(mine.is_empty(), "{}: {mine:?}", s.name),
            Some(error) => {
                assert_eq!(mine.len(), 1, "{}", s.name);
                let status = &mine[0]["corsErrorStatus"];
                let parameter = status["failedParameter"].as_str().filter(|p| !p.is_empty());
                assert_eq!(
                    (mine[0]["method"].as_str(), status["corsError"].as_str(), parameter),
                    (Some(s.method), Some(error), s.failed_parameter),
                    "{}",
                    s.name
                );
            }
        }
    }

    let firefox = read_json("firefox.console.json");
    let lines: Vec<&str> = firefox["console"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for s in SCENARIOS {
        let url = s.url();
        // Firefox quotes the URL with ‘’ in some messages and not in others, and names no method.
        let mine: Vec<&&str> = lines
            .iter()
            .filter(|l| l.contains(&format!("{url}.")) || l.contains(&format!("‘{url}’")))
            .collect();
        let blocked_at_url = SCENARIOS.iter().any(|o| o.url() == url && o.firefox_reason.is_some());
        match s.firefox_reason {
            None => assert!(blocked_at_url || mine.is_empty(), "{}: {mine:?}", s.name),
            Some(reason) => assert!(
                mine.iter().any(|l| l.contains(&format!("(Reason: {reason}"))),
                "{}: {mine:#?}",
                s.name
            ),
        }
    }
}

// ---------------------------------------------------------------- malformed variants

fn scratch(name: &str, text: &[u8]) -> PathBuf {
    // Cargo's scratch directory for integration tests (inside target/, nothing left in /tmp).
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corsair-har-fixtures");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs `corsair har` (with and without `--json`) on `text`: never a panic; a
/// report (exit 0 or 1) whose JSON parses, or exit 2 with one `corsair: error:` line.
/// Returns the exit status.
fn run_on(text: &[u8]) -> Result<i32, TestCaseError> {
    let path = scratch("mutated.har", text);
    let path = path.to_str().unwrap();
    let (code, out, err) = run(&["har", path, "--json"]);
    match code {
        0 | 1 => {
            prop_assert!(err.is_empty(), "{err}");
            let v: Value = serde_json::from_str(&out).map_err(|e| TestCaseError::fail(format!("{e}: {out}")))?;
            prop_assert!(v["requests"].is_array());
        }
        2 => {
            prop_assert!(out.is_empty(), "{out}");
            prop_assert_eq!(err.lines().count(), 1, "{}", err);
            prop_assert!(err.starts_with("corsair: error: "), "{}", err);
        }
        _ => prop_assert!(false, "exit status {code}"),
    }
    let (human, _, _) = run(&["har", path]);
    prop_assert_eq!(human, code, "the same exit status without --json");
    Ok(code)
}

/// The JSON values at every path of `v`, parents before children.
fn paths(v: &Value, at: &mut Vec<Vec<PathStep>>, prefix: &mut Vec<PathStep>) {
    at.push(prefix.clone());
    match v {
        Value::Object(m) => {
            for k in m.keys() {
                prefix.push(PathStep::Key(k.clone()));
                paths(&m[k], at, prefix);
                prefix.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                prefix.push(PathStep::Index(i));
                paths(x, at, prefix);
                prefix.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn parent_and_last<'a>(root: &'a mut Value, path: &'a [PathStep]) -> Option<(&'a mut Value, &'a PathStep)> {
    let (last, parents) = path.split_last()?;
    let mut v = root;
    for step in parents {
        v = match step {
            PathStep::Key(k) => v.get_mut(k)?,
            PathStep::Index(i) => v.get_mut(*i)?,
        };
    }
    Some((v, last))
}

#[derive(Clone, Debug)]
enum Mutation {
    /// Removes the field or array element at path number `.0`.
    Drop(usize),
    /// Replaces the value at path number `.0` with `.1`.
    Replace(usize, Value),
    /// Keeps the first `.0`‰ of the text's bytes.
    Truncate(u16),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let value = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        Just(Value::from(-1.5)),
        Just(Value::from("")),
        Just(Value::from("net::ERR_FAILED")),
        Just(Value::from("\u{0}\n\u{1b}[2J")),
        Just(serde_json::json!([])),
        Just(serde_json::json!({})),
        Just(serde_json::json!([{ "name": 1, "value": [] }])),
    ];
    prop_oneof![
        any::<usize>().prop_map(Mutation::Drop),
        (any::<usize>(), value).prop_map(|(i, v)| Mutation::Replace(i, v)),
        (0u16..1000).prop_map(Mutation::Truncate),
    ]
}

const FIXTURES: [&str; 3] = ["chromium.har", "chromium-sensitive.har", "firefox.har"];

fn mutate(text: &str, mutations: &[Mutation]) -> Vec<u8> {
    let mut root: Value = serde_json::from_str(text).unwrap();
    let mut truncate = None;
    for m in mutations {
        let mut all = Vec::new();
        paths(&root, &mut all, &mut Vec::new());
        match m {
            Mutation::Drop(i) => {
                let path = &all[i % all.len()];
                if let Some((parent, last)) = parent_and_last(&mut root, path) {
                    match (parent, last) {
                        (Value::Object(m), PathStep::Key(k)) => {
                            m.remove(k);
                        }
                        (Value::Array(a), PathStep::Index(i)) => {
                            a.remove(*i);
                        }
                        _ => {}
                    }
                }
            }
            Mutation::Replace(i, v) => {
                let path = &all[i % all.len()];
                match parent_and_last(&mut root, path) {
                    Some((parent, PathStep::Key(k))) => parent[k.as_str()] = v.clone(),
                    Some((parent, PathStep::Index(i))) => parent[*i] = v.clone(),
                    None => root = v.clone(),
                }
            }
            Mutation::Truncate(per_mille) => truncate = Some(*per_mille),
        }
    }
    let text = root.to_string();
    match truncate {
        // Bytes, not chars: a cut inside a character (invalid UTF-8) is an error too.
        Some(per_mille) => text.as_bytes()[..text.len() * usize::from(per_mille) / 1000].to_vec(),
        None => text.into_bytes(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Fields dropped and values of the wrong type anywhere in the real exports, and
    /// the text cut short: a report or one error line, never a panic.
    #[test]
    fn mutated_real_exports(file in 0..FIXTURES.len(), mutations in proptest::collection::vec(mutation(), 1..4)) {
        let text = std::fs::read_to_string(fixture(FIXTURES[file])).unwrap();
        let mutated = mutate(&text, &mutations);
        let code = run_on(&mutated)?;
        if mutations.iter().any(|m| matches!(m, Mutation::Truncate(_))) {
            prop_assert_eq!(code, 2, "a HAR cut short is not JSON");
        }
    }
}

/// The deterministic edges of the above: each top-level part of a real export
/// removed or of the wrong type is a one-line error naming it.
#[test]
fn broken_real_exports_name_what_is_wrong() {
    let text = std::fs::read_to_string(fixture("chromium.har")).unwrap();
    let root: Value = serde_json::from_str(&text).unwrap();
    let cases: Vec<(Value, &str)> = vec![
        (
            serde_json::json!({ "log": { "version": "1.2" } }),
            "no log.entries array",
        ),
        (serde_json::json!({ "log": { "entries": {} } }), "no log.entries array"),
        (
            {
                let mut v = root.clone();
                v["log"]["entries"][3]["request"] = Value::from("GET");
                v
            },
            "log.entries[3].request is missing",
        ),
        (
            {
                let mut v = root.clone();
                v["log"]["entries"][5]["request"]["url"] = Value::from(5);
                v
            },
            "log.entries[5].request.url is missing or not a string",
        ),
        (
            {
                let mut v = root.clone();
                v["log"]["entries"][7]["response"]["headers"] = Value::from("x");
                v
            },
            "log.entries[7].response.headers is not an array",
        ),
        (
            {
                let mut v = root.clone();
                v["log"]["entries"][2]["request"]["headers"][0]["value"] = Value::Null;
                v
            },
            "log.entries[2].request.headers[0] needs string `name` and `value`",
        ),
    ];
    for (v, says) in cases {
        let path = scratch("broken.har", v.to_string().as_bytes());
        let (code, out, err) = run(&["har", path.to_str().unwrap(), "--json"]);
        assert_eq!((code, out.as_str(), err.lines().count()), (2, "", 1), "{err}");
        assert!(err.contains(says), "{err}");
    }
    let path = scratch("cut.har", &text.as_bytes()[..text.len() / 2]);
    let (code, _, err) = run(&["har", path.to_str().unwrap()]);
    assert_eq!((code, err.lines().count()), (2, 1), "{err}");
    assert!(err.contains("not JSON"), "{err}");
}
