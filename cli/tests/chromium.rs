//! `corsair probe` and `corsair har` agree with Chromium. A page on one loopback
//! origin fetches, through a headless Chromium driven over the DevTools protocol,
//! from deliberately misconfigured servers and from correct corsair-backed servers
//! (tower and actix-web adapters); Chromium's own verdict and `corsErrorStatus`
//! (from `Network.loadingFailed`) are compared with the probe's for every
//! scenario, and a HAR assembled from the same run's DevTools events is compared
//! with `corsair har`'s verdicts.

mod support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use corsair_doctor::{CorsError, Credentials, PageRequest, Verdict};
use corsair_test_support::cdp::{fetches, pair};
use serde_json::{json, Value};
use support::cdp::{chromium_or_skip, Cdp, Chromium};
use support::scenarios::{scenarios, Scenario, Target};
use support::servers::{actix_server, page_server, raw_server, tower_server, Resp, Script};

/// What Chromium did with one scenario's fetch.
#[derive(Debug, Default, Clone)]
struct Observed {
    allowed: bool,
    cors_error: Option<String>,
    failed_parameter: Option<String>,
    console: Vec<String>,
}

#[test]
fn probe_and_har_agree_with_chromium() {
    let Some(binary) = chromium_or_skip("corsair probe vs Chromium") else {
        return;
    };
    let page_port = page_server();
    let page_origin = format!("http://127.0.0.1:{page_port}");
    let scripts: support::servers::Scripts = Arc::new(Mutex::new(HashMap::new()));
    let raw = raw_server(scripts.clone());
    let tower = tower_server(&page_origin);
    let actix = actix_server(&page_origin);
    let list = scenarios();
    let urls: Vec<String> = list
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let id = format!("{i}-{}", s.name);
            match s.target {
                Target::Raw => {
                    let fill = |r: &Resp| Resp {
                        headers: r
                            .headers
                            .iter()
                            .map(|(n, v)| (*n, v.replace("{id}", &id).replace("{page}", &page_origin)))
                            .collect(),
                        ..r.clone()
                    };
                    let script = Script {
                        preflight: fill(&s.script.preflight),
                        actual: fill(&s.script.actual),
                        next: fill(&s.script.next),
                    };
                    scripts.lock().unwrap().insert(id.clone(), script);
                    format!("http://127.0.0.1:{raw}/s/{id}/r")
                }
                Target::Tower => format!("http://127.0.0.1:{tower}/c/{id}"),
                Target::Actix => format!("http://127.0.0.1:{actix}/c/{id}"),
            }
        })
        .collect();

    let chromium = Chromium::launch(&binary);
    // The protocol's own list of CorsError values is the one the doctor names.
    let protocol = chromium.json("protocol");
    let served: Vec<String> = protocol["domains"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["domain"] == "Network"))
        .and_then(|n| n["types"].as_array())
        .and_then(|t| t.iter().find(|t| t["id"] == "CorsError"))
        .and_then(|t| t["enum"].as_array())
        .expect("Network.CorsError in /json/protocol")
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    let ours: Vec<String> = CorsError::ALL.iter().map(|e| e.name().to_owned()).collect();
    assert_eq!(
        ours, served,
        "corsair-doctor's CorsError differs from Chromium's Network.CorsError"
    );

    let mut cdp = chromium.page();
    for (method, params) in [
        ("Network.enable", json!({})),
        ("Log.enable", json!({})),
        ("Network.setCacheDisabled", json!({ "cacheDisabled": true })),
        ("Page.enable", json!({})),
    ] {
        cdp.call(method, params).unwrap_or_else(|e| panic!("{e}"));
    }
    let other_origin = format!("http://localhost:{page_port}");
    let navigate = |cdp: &mut Cdp, events: &mut Vec<Value>, origin: &str| {
        cdp.call("Page.navigate", json!({ "url": format!("{origin}/") }))
            .unwrap_or_else(|e| panic!("{e}"));
        loop {
            let e = cdp.event().expect("DevTools: no event within 30 s of Page.navigate");
            let done = e["method"] == "Page.loadEventFired";
            events.push(e);
            if done {
                break;
            }
        }
    };
    let origin_of = |s: &Scenario| {
        if s.other_page {
            other_origin.clone()
        } else {
            page_origin.clone()
        }
    };
    let mut events: Vec<Value> = Vec::new();
    let mut on_page = String::new();

    let dump = |events: &[Value]| {
        if let Some(path) = std::env::var_os("CORSAIR_DUMP_EVENTS") {
            let text: String = events.iter().map(|e| format!("{e}\n")).collect();
            std::fs::write(path, text).expect("dump events");
        }
    };
    let mut results = Vec::new();
    for (s, url) in list.iter().zip(&urls) {
        if origin_of(s) != on_page {
            on_page = origin_of(s);
            navigate(&mut cdp, &mut events, &on_page);
        }
        let headers: serde_json::Map<String, Value> = s
            .headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), Value::from(v.clone())))
            .collect();
        let body = if matches!(s.method.to_ascii_uppercase().as_str(), "GET" | "HEAD") {
            "undefined"
        } else {
            "'x'"
        };
        let expr = format!(
            "(async () => {{ try {{ const r = await fetch({url}, {{ method: {m}, headers: {h}, credentials: {c}, cache: 'no-store', body: {body} }}); await r.text(); return 'allowed ' + r.status; }} catch (e) {{ return 'blocked ' + e; }} }})()",
            url = Value::from(url.clone()),
            m = Value::from(s.method),
            h = Value::Object(headers),
            c = Value::from(if s.credentials { "include" } else { "same-origin" }),
        );
        let r = cdp
            .call(
                "Runtime.evaluate",
                json!({ "expression": expr, "awaitPromise": true, "returnByValue": true }),
            )
            .unwrap_or_else(|e| panic!("{}: {e}", s.name));
        results.push(r["result"]["value"].as_str().unwrap_or_default().to_owned());
    }
    // Every fetch's last event (loading finished or failed) before reading the log.
    let paired = |events: &[Value]| pair(urls.iter().map(String::as_str), &fetches(events), |f| &f.url);
    dump(&events);
    loop {
        let found = paired(&events);
        if found.iter().all(|f| f.as_ref().is_some_and(|f| f.settled)) {
            break;
        }
        match cdp.event() {
            Some(e) => events.push(e),
            None => {
                dump(&events);
                let missing: Vec<&str> = (0..list.len())
                    .filter(|&i| found[i].is_none())
                    .map(|i| list[i].name)
                    .collect();
                let finished = found.iter().flatten().filter(|f| f.settled).count();
                panic!(
                    "no DevTools event for 30 s; requests never seen: {missing:?}; {finished} finished of {}",
                    found.iter().flatten().count()
                );
            }
        }
    }
    cdp.call("Runtime.evaluate", json!({ "expression": "1" }))
        .unwrap_or_else(|e| panic!("{e}"));
    while let Some(e) = cdp.try_queued() {
        events.push(e);
    }

    dump(&events);
    let mut observed = vec![Observed::default(); list.len()];
    for ((o, r), f) in observed.iter_mut().zip(&results).zip(paired(&events)) {
        o.allowed = r.starts_with("allowed");
        if let Some(f) = f {
            o.cors_error = f.cors_error;
            o.failed_parameter = f.failed_parameter;
        }
    }
    for e in &events {
        if e["method"] == "Log.entryAdded" {
            let text = e["params"]["entry"]["text"].as_str().unwrap_or_default();
            if let Some(i) = urls.iter().position(|u| text.contains(&format!("'{u}'"))) {
                observed[i].console.push(text.to_owned());
            }
        }
    }

    // The probe, through the library function the binary uses.
    let mut mismatches = Vec::new();
    let mut findings = Vec::new();
    for ((s, url), o) in list.iter().zip(&urls).zip(&observed) {
        let request = PageRequest {
            url: url.clone(),
            method: s.method.to_owned(),
            origin: origin_of(s),
            headers: s.headers.iter().map(|(n, v)| ((*n).to_owned(), v.clone())).collect(),
            credentials: if s.credentials {
                Credentials::Include
            } else {
                Credentials::Omit
            },
        };
        let f = corsair_cli::probe::probe(&request, &Default::default())
            .unwrap_or_else(|e| panic!("{}: probe failed: {e}", s.name));
        let ours = (
            f.verdict == Verdict::Allowed,
            f.cors_error.map(|e| e.name().to_owned()),
            f.failed_parameter.clone(),
        );
        let theirs = (o.allowed, o.cors_error.clone(), o.failed_parameter.clone());
        if ours != theirs {
            mismatches.push(format!(
                "{}: chromium {theirs:?}, probe {ours:?}\n    console: {:?}\n    ours:    {}",
                s.name, o.console, f.message
            ));
        } else if let Some(line) = o.console.iter().find(|c| c.contains("CORS policy")) {
            if *line != f.message {
                mismatches.push(format!(
                    "{}: console differs\n    chromium: {line}\n    probe:    {}",
                    s.name, f.message
                ));
            }
        }
        findings.push(f);
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} scenarios differ:\n{}",
        mismatches.len(),
        list.len(),
        mismatches.join("\n")
    );
    let blocked_raw = list
        .iter()
        .zip(&observed)
        .filter(|(s, o)| s.target == Target::Raw && !o.allowed)
        .count();
    assert!(blocked_raw >= 30, "only {blocked_raw} misconfigurations blocked");
    let count = |t: Target| list.iter().filter(|s| s.target == t).count();
    eprintln!(
        "{} scenarios agree with Chromium: {} scripted ({blocked_raw} blocked), {} tower, {} actix",
        list.len(),
        count(Target::Raw),
        count(Target::Tower),
        count(Target::Actix)
    );
    for t in [Target::Tower, Target::Actix] {
        assert!(
            list.iter().zip(&observed).any(|(s, o)| s.target == t && o.allowed),
            "{t:?}: nothing allowed"
        );
    }

    // The same run as a HAR: `corsair har` gives Chromium's verdict and CorsError for every request.
    let har = corsair_test_support::har::assemble(&events);
    let har_text = serde_json::to_string_pretty(&har).expect("HAR JSON");
    if let Some(path) = std::env::var_os("CORSAIR_SAVE_HAR") {
        std::fs::write(path, &har_text).expect("save the HAR");
    }
    let har_findings = corsair_doctor::har::analyze(&har_text).expect("the assembled HAR parses");
    let mut har_mismatches = Vec::new();
    for ((s, url), o) in list.iter().zip(&urls).zip(&observed) {
        let Some(f) = har_findings.iter().find(|f| f.url == *url) else {
            har_mismatches.push(format!("{}: no finding for {url}", s.name));
            continue;
        };
        if (f.verdict == Verdict::Allowed) != o.allowed {
            har_mismatches.push(format!(
                "{}: chromium allowed={}, har {:?} {:?}: {}",
                s.name, o.allowed, f.verdict, f.cors_error, f.message
            ));
        }
        if f.cors_error.map(|e| e.name().to_owned()) != o.cors_error {
            har_mismatches.push(format!(
                "{}: chromium {:?}, har {:?}",
                s.name, o.cors_error, f.cors_error
            ));
        }
    }
    assert!(
        har_mismatches.is_empty(),
        "{} of {} HAR findings differ:\n{}",
        har_mismatches.len(),
        list.len(),
        har_mismatches.join("\n")
    );
    assert_eq!(
        har_findings.len(),
        list.len(),
        "one finding per fetch, preflights and redirect hops folded in"
    );

    // The binary end to end: `corsair har --json` and `corsair probe`, with their exit statuses.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("corsair-cli-har-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let har_path = dir.join("run.har");
    std::fs::write(&har_path, &har_text).expect("write HAR");
    let bin = env!("CARGO_BIN_EXE_corsair");
    let out = std::process::Command::new(bin)
        .arg("har")
        .arg(&har_path)
        .arg("--json")
        .output()
        .expect("run corsair har");
    assert_eq!(
        out.status.code(),
        Some(1),
        "some requests are blocked: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("--json output");
    assert_eq!(report["requests"].as_array().map(Vec::len), Some(list.len()));
    for r in report["requests"].as_array().into_iter().flatten() {
        for key in [
            "url",
            "method",
            "origin",
            "preflight",
            "verdict",
            "cors_error",
            "failed_parameter",
            "message",
            "fix",
        ] {
            assert!(r.get(key).is_some(), "`{key}` missing from {r}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    for (name, code) in [("preflight-404", 1), ("credentials-ok", 0)] {
        let i = list.iter().position(|s| s.name == name).expect("scenario");
        let mut cmd = std::process::Command::new(bin);
        cmd.args([
            "probe",
            &urls[i],
            "--origin",
            &page_origin,
            "--method",
            list[i].method,
            "--json",
        ]);
        for (n, v) in &list[i].headers {
            cmd.args(["--header", &format!("{n}: {v}")]);
        }
        if list[i].credentials {
            cmd.arg("--credentials");
        }
        let out = cmd.output().expect("run corsair probe");
        assert_eq!(
            out.status.code(),
            Some(code),
            "{name}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let report: Value = serde_json::from_slice(&out.stdout).expect("--json output");
        assert_eq!(
            report["requests"][0]["cors_error"].as_str(),
            observed[i].cors_error.as_deref(),
            "{name}"
        );
    }
}
