//! A HAR 1.2 file assembled from DevTools events as Chrome's exporter does: one
//! entry per hop (a redirect's target is its own entry), preflights as entries of
//! `_resourceType` "preflight", the headers actually sent (extra info) when there
//! are any, a blocked request with status 0 and `_error`.

use std::collections::HashMap;

use serde_json::{json, Value};

fn header_list(v: &Value) -> Value {
    let list: Vec<Value> = v
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(n, v)| json!({ "name": n, "value": v.as_str().unwrap_or_default() }))
                .collect()
        })
        .unwrap_or_default();
    Value::Array(list)
}

/// ISO 8601 for seconds since the Unix epoch (days to civil date, Howard Hinnant's algorithm).
fn iso(wall: f64) -> String {
    let secs = wall.max(0.0) as i64;
    let millis = ((wall.max(0.0) - secs as f64) * 1000.0) as i64;
    let (days, rem) = (secs.div_euclid(86400), secs.rem_euclid(86400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[derive(Default)]
struct Record {
    hops: Vec<Value>,
    sent: Vec<Value>,
    received: Vec<Value>,
    response: Option<Value>,
    failed: Option<String>,
}

/// The HAR of every request in `events`.
pub fn assemble(events: &[Value]) -> Value {
    let mut order = Vec::new();
    let mut records: HashMap<String, Record> = HashMap::new();
    for e in events {
        let p = &e["params"];
        let Some(id) = p["requestId"].as_str() else { continue };
        let r = records.entry(id.to_owned()).or_insert_with(|| {
            order.push(id.to_owned());
            Record::default()
        });
        match e["method"].as_str().unwrap_or_default() {
            "Network.requestWillBeSent" => r.hops.push(p.clone()),
            "Network.requestWillBeSentExtraInfo" => r.sent.push(p["headers"].clone()),
            "Network.responseReceivedExtraInfo" => r.received.push(p["headers"].clone()),
            "Network.responseReceived" => r.response = Some(p["response"].clone()),
            "Network.loadingFailed" => r.failed = p["errorText"].as_str().map(str::to_owned),
            _ => {}
        }
    }
    let mut entries = Vec::new();
    for id in &order {
        let r = &records[id];
        for (k, hop) in r.hops.iter().enumerate() {
            let req = &hop["request"];
            let last = k + 1 == r.hops.len();
            let sent = r.sent.get(k).filter(|h| h.is_object()).unwrap_or(&req["headers"]);
            let (status, headers, redirect, error) = if !last {
                let rr = &r.hops[k + 1]["redirectResponse"];
                (
                    rr["status"].as_u64().unwrap_or(0),
                    rr["headers"].clone(),
                    r.hops[k + 1]["request"]["url"].clone(),
                    None,
                )
            } else if let Some(resp) = &r.response {
                (
                    resp["status"].as_u64().unwrap_or(0),
                    resp["headers"].clone(),
                    json!(""),
                    r.failed.clone(),
                )
            } else {
                (
                    0,
                    r.received.get(k).cloned().unwrap_or(Value::Null),
                    json!(""),
                    r.failed.clone(),
                )
            };
            let preflight = hop["initiator"]["type"] == "preflight";
            let mut entry = json!({
                "startedDateTime": iso(hop["wallTime"].as_f64().unwrap_or(0.0)),
                "time": 0,
                "request": {
                    "method": req["method"], "url": req["url"], "httpVersion": "HTTP/1.1",
                    "headers": header_list(sent), "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0,
                },
                "response": {
                    "status": status, "statusText": "", "httpVersion": "HTTP/1.1", "headers": header_list(&headers),
                    "cookies": [], "content": { "size": 0, "mimeType": "" }, "redirectURL": redirect,
                    "headersSize": -1, "bodySize": -1,
                },
                "cache": {}, "timings": { "send": 0, "wait": 0, "receive": 0 },
                "_resourceType": if preflight { "preflight".to_owned() } else { hop["type"].as_str().unwrap_or_default().to_ascii_lowercase() },
            });
            if let Some(err) = error {
                entry["_error"] = json!(err);
            }
            entries.push((hop["wallTime"].as_f64().unwrap_or(0.0), entry));
        }
    }
    entries.sort_by(|a, b| a.0.total_cmp(&b.0));
    json!({ "log": {
        "version": "1.2",
        "creator": { "name": "corsair-cli browser suite", "version": "1" },
        "pages": [],
        "entries": entries.into_iter().map(|(_, e)| e).collect::<Vec<_>>(),
    }})
}
