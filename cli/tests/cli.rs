//! The command line without a browser: exit statuses, one-line errors, `--json`,
//! colour only when asked, `check` through the engine and `export`'s refusals.

use corsair_cli::run_cli;

fn run(args: &[&str]) -> (i32, String, String) {
    run_with_color(args, false)
}

fn run_with_color(args: &[&str], color: bool) -> (i32, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run_cli(
        std::iter::once("corsair").chain(args.iter().copied()),
        &mut out,
        &mut err,
        color,
    );
    (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
}

fn policy_file(name: &str, json: &str) -> String {
    // Cargo's scratch directory for integration tests (inside target/, nothing left in /tmp).
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("corsair-cli-test");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, json).unwrap();
    path.to_string_lossy().into_owned()
}

const POLICY: &str = r#"{"AllowOrigins":["https://app.example.com"],"AllowMethods":["GET","PUT"],"AllowHeaders":["content-type"],"MaxAge":-1}"#;

#[test]
fn usage_and_io_errors_exit_2_with_one_line() {
    for args in [
        &["probe", "http://127.0.0.1:9/", "--origin", "https://app.example.com/"][..],
        &["probe", "http://127.0.0.1:9/", "--origin", "app.example.com"],
        &[
            "probe",
            "http://127.0.0.1:9/",
            "--origin",
            "https://a.example",
            "-H",
            "no colon",
        ],
        &["probe", "ftp://127.0.0.1/", "--origin", "https://a.example"],
        &["har", "/nonexistent/file.har"],
        &["check", "/nonexistent/policy.json", "--origin", "https://a.example"],
    ] {
        let (code, out, err) = run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("corsair: error: "), "{err}");
    }
    assert_eq!(run(&["--bogus"]).0, 2);
    assert_eq!(run(&["--help"]).0, 0);
    let not_har = policy_file("not.har", "{\"log\":{}}");
    let (code, _, err) = run(&["har", &not_har]);
    assert_eq!(
        (code, err.trim_end().ends_with("no log.entries array")),
        (2, true),
        "{err}"
    );
}

#[test]
fn unreachable_host_is_a_clear_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let (code, _, err) = run(&[
        "probe",
        &format!("http://127.0.0.1:{port}/x"),
        "--origin",
        "https://app.example.com",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot connect"), "{err}");
}

#[test]
fn check_exit_status_json_and_colour() {
    let file = policy_file("policy.json", POLICY);
    let (code, out, _) = run(&[
        "check",
        &file,
        "--origin",
        "https://app.example.com",
        "-X",
        "PUT",
        "-H",
        "Content-Type: application/json",
        "--json",
    ]);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let r = &v["requests"][0];
    assert_eq!(
        (
            r["verdict"].as_str(),
            r["preflight"].as_bool(),
            r["cors_error"].is_null()
        ),
        (Some("allowed"), Some(true), true)
    );

    let (code, out, _) = run(&[
        "check",
        &file,
        "--origin",
        "https://app.example.com",
        "-X",
        "DELETE",
        "--json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let r = &v["requests"][0];
    assert_eq!(r["cors_error"], "PreflightMissingAllowOriginHeader");
    assert!(
        r["fix"].as_str().unwrap().contains("`allow_methods: [\"DELETE\"],`"),
        "{}",
        r["fix"]
    );

    let (_, plain, _) = run(&["check", &file, "--origin", "https://evil.example"]);
    assert!(!plain.contains('\x1b'));
    let (_, coloured, _) = run_with_color(&["check", &file, "--origin", "https://evil.example"], true);
    assert!(coloured.contains("\x1b[31;1mBLOCKED"));
    assert!(
        plain.contains("add `allow_origins: [\"https://evil.example\"],`"),
        "{plain}"
    );
}

#[test]
fn bad_policy_lists_its_problems() {
    let file = policy_file("bad.json", r#"{"allow_origins":["*"],"allow_credentials":true}"#);
    let (code, _, err) = run(&["check", &file, "--origin", "https://a.example"]);
    assert_eq!(code, 2);
    assert!(err.contains("credentials"), "{err}");
}

#[test]
fn export_http_api_round_trips_and_refuses_patterns() {
    let file = policy_file("export.json", POLICY);
    let (code, out, err) = run(&["export", "--format", "apigw-http", &file]);
    assert_eq!(code, 0, "{err}");
    let back: corsair::Config = serde_json::from_str(&out).unwrap();
    let original: corsair::Config = serde_json::from_str(POLICY).unwrap();
    assert_eq!(
        back, original,
        "the exported CorsConfiguration reads back as the same policy"
    );

    let (_, out, _) = run(&["export", "--format", "openapi", &file]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["x-amazon-apigateway-cors"]["allowOrigins"][0],
        "https://app.example.com"
    );
    assert_eq!(v["x-amazon-apigateway-cors"]["maxAge"], -1);

    let pattern = policy_file("pattern.json", r#"{"allow_origins":["https://*.example.com"]}"#);
    let (code, _, err) = run(&["export", "--format", "apigw-http", &pattern]);
    assert_eq!(code, 2);
    assert!(err.contains("`https://*.example.com` is a pattern"), "{err}");
}

#[test]
fn export_rest_api_is_static_or_refused() {
    let file = policy_file(
        "rest.json",
        r#"{"allow_origins":["https://app.example.com"],"allow_methods":["GET","PUT"],"allow_credentials":true,"expose_headers":["x-request-id"]}"#,
    );
    let (code, out, err) = run(&["export", "--format", "apigw-rest", &file, "--path", "/items"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let params = &v["paths"]["/items"]["options"]["x-amazon-apigateway-integration"]["responses"]["default"]
        ["responseParameters"];
    assert_eq!(
        params["method.response.header.Access-Control-Allow-Origin"],
        "'https://app.example.com'"
    );
    assert_eq!(
        params["method.response.header.Access-Control-Allow-Credentials"],
        "'true'"
    );
    let gw = &v["x-amazon-apigateway-gateway-responses"];
    for r in ["DEFAULT_4XX", "DEFAULT_5XX"] {
        assert_eq!(
            gw[r]["responseParameters"]["gatewayresponse.header.Access-Control-Allow-Origin"],
            "'https://app.example.com'"
        );
    }
    let two = policy_file(
        "two.json",
        r#"{"allow_origins":["https://a.example.com","https://b.example.com"]}"#,
    );
    let (code, _, err) = run(&["export", "--format", "apigw-rest", &two, "--path", "/items"]);
    assert_eq!(code, 2);
    assert!(err.contains("proxy integration"), "{err}");
}

#[test]
fn control_characters_from_a_har_do_not_reach_the_terminal() {
    let har = r#"{"log":{"entries":[{"request":{"method":"GET","url":"https://api.example.com/x","headers":[{"name":"Origin","value":"https://app.example.com"}]},
        "response":{"status":200,"headers":[{"name":"Access-Control-Allow-Origin","value":"\u001b[2Jhttps://evil.example"}]}}]}}"#;
    let file = policy_file("escape.har", har);
    let (code, out, _) = run(&["har", &file]);
    assert_eq!(code, 1);
    assert!(!out.contains('\x1b'), "{out}");
    assert!(out.contains("\\u{1b}[2J"), "{out}");
}

/// The `corsair check` example in both READMEs is this command's real output.
#[test]
fn readme_check_example_is_real_output() {
    let file = policy_file(
        "readme-policy.json",
        r#"{ "AllowOrigins": ["https://app.example.com"], "AllowMethods": ["GET", "POST", "PUT"], "AllowHeaders": ["content-type"], "MaxAge": 600 }"#,
    );
    let (code, out, _) = run(&[
        "check",
        &file,
        "--url",
        "https://api.example.com/items",
        "--origin",
        "https://app.example.com",
        "-X",
        "PUT",
        "-H",
        "Content-Type: application/json",
        "-H",
        "Authorization: Bearer t",
    ]);
    assert_eq!(code, 1);
    let command = "$ corsair check policy.json --url https://api.example.com/items --origin https://app.example.com -X PUT -H \"Content-Type: application/json\" -H \"Authorization: Bearer t\"\n";
    for readme in [include_str!("../README.md"), include_str!("../../README.md")] {
        let start = readme.find(command).expect("the README shows the check example") + command.len();
        let shown = &readme[start..start + readme[start..].find("```").unwrap()];
        assert_eq!(shown, out, "README output differs from the command's");
    }
}
