//! HAR exports (Chrome's and Firefox's) replayed through the same checks as a live
//! probe: one finding per cross-origin request, its preflight and redirect hops
//! folded into it, same-origin and non-CORS requests skipped.
//!
//! A HAR does not record the credentials mode, nor the CORS error. Chrome's export
//! marks a blocked request with `response._error: "net::ERR_FAILED"`, with status 0
//! when the preflight failed but with the real status and headers when the actual
//! response was refused; Firefox's marks nothing beyond status 0 for a request never
//! sent, so a refused response is found from its headers alone. Credentials are taken
//! as included when the request carries a `Cookie` (Chrome's default, sanitized export
//! drops it), or when only that explains a recorded failure.

use std::fmt;

use serde_json::Value;

use crate::check::ResponseHead;
use crate::finding::{Finding, Verdict};
use crate::flow::{run, FlowError, Hop, HopKind, Transport};
use crate::request::{Credentials, PageRequest, Preflight};

/// A file that is not a HAR: what is wrong and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HarError(String);

impl fmt::Display for HarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HarError {}

#[derive(Clone, Debug)]
struct Entry {
    resource_type: String,
    method: String,
    url: String,
    request_headers: Vec<(String, String)>,
    response: ResponseHead,
    failed: bool,
    preflight: bool,
}

impl Entry {
    fn request_header(&self, name: &str) -> Option<&str> {
        self.request_headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The response, or `None` when the HAR has none (status 0, no headers). A
    /// blocked response is exported with status 0 but may keep its headers: its
    /// status is then taken as a redirect when it has a `Location`, else as 200.
    fn recorded(&self) -> Option<ResponseHead> {
        let mut r = self.response.clone();
        if r.status == 0 {
            if r.headers.is_empty() {
                return None;
            }
            r.status = if r.header("location").is_some() { 302 } else { 200 };
        }
        Some(r)
    }
}

fn headers(v: Option<&Value>, at: &str) -> Result<Vec<(String, String)>, HarError> {
    let Some(v) = v else { return Ok(Vec::new()) };
    let list = v
        .as_array()
        .ok_or_else(|| HarError(format!("{at} is not an array of {{name, value}}")))?;
    let mut out = Vec::new();
    for (i, h) in list.iter().enumerate() {
        let name = h.get("name").and_then(Value::as_str);
        let value = h.get("value").and_then(Value::as_str);
        let (Some(n), Some(v)) = (name, value) else {
            return Err(HarError(format!("{at}[{i}] needs string `name` and `value`")));
        };
        // DevTools joins repeated lines of one header with "\n"; a value never holds one.
        out.extend(
            v.split('\n')
                .map(|v| (n.to_owned(), v.trim_end_matches('\r').to_owned())),
        );
    }
    Ok(out)
}

fn entry(i: usize, e: &Value) -> Result<Entry, HarError> {
    let at = format!("log.entries[{i}]");
    let request = e
        .get("request")
        .filter(|r| r.is_object())
        .ok_or_else(|| HarError(format!("{at}.request is missing")))?;
    let field = |name: &str| {
        request
            .get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| HarError(format!("{at}.request.{name} is missing or not a string")))
    };
    let (method, url) = (field("method")?, field("url")?);
    let request_headers = headers(request.get("headers"), &format!("{at}.request.headers"))?;
    let response = e.get("response").filter(|r| r.is_object());
    let status = response
        .and_then(|r| r.get("status"))
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .unwrap_or(0);
    let mut response_headers = headers(
        response.and_then(|r| r.get("headers")),
        &format!("{at}.response.headers"),
    )?;
    let redirect = response
        .and_then(|r| r.get("redirectURL"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    if let Some(location) = redirect {
        if !response_headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("location")) {
            response_headers.push(("location".to_owned(), location.to_owned()));
        }
    }
    let body_start: String = response
        .and_then(|r| r.get("content"))
        .and_then(|c| c.get("text"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .chars()
        .take(512)
        .collect();
    // Chrome's exporter writes the failure as `response._error` ("net::ERR_FAILED" for a
    // CORS block, null otherwise), also on a blocked response that kept its status 200;
    // an entry-level `_error` is accepted too, as other tools write it there.
    let error = [response.and_then(|r| r.get("_error")), e.get("_error")]
        .into_iter()
        .flatten()
        .any(|v| v.as_str().is_some_and(|s| !s.is_empty()));
    let acrm = request_headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("access-control-request-method"));
    let preflight =
        (method == "OPTIONS" && acrm) || e.get("_resourceType").and_then(Value::as_str) == Some("preflight");
    Ok(Entry {
        resource_type: e
            .get("_resourceType")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_ascii_lowercase(),
        method,
        url,
        request_headers,
        response: ResponseHead {
            status,
            headers: response_headers,
            body_start,
        },
        failed: error || status == 0,
        preflight,
    })
}

fn entries(text: &str) -> Result<Vec<Entry>, HarError> {
    let root: Value = serde_json::from_str(text).map_err(|e| {
        HarError(format!(
            "not JSON: {e} (a HAR is the JSON file a browser's Network panel exports, \"Save all as HAR\"; if this one was cut short, export it again)"
        ))
    })?;
    let list = root
        .get("log")
        .and_then(|l| l.get("entries"))
        .and_then(Value::as_array)
        .ok_or_else(|| HarError("not a HAR file: no log.entries array".to_owned()))?;
    list.iter().enumerate().map(|(i, e)| entry(i, e)).collect()
}

fn same_url(a: &str, b: &str) -> bool {
    a == b || matches!((url::Url::parse(a), url::Url::parse(b)), (Ok(x), Ok(y)) if x == y)
}

fn origin_of(u: &str) -> Option<String> {
    url::Url::parse(u).ok().map(|u| u.origin().ascii_serialization())
}

/// Preflight entries by URL, so pairing a request with its preflight does not scan the file.
type Preflights = std::collections::HashMap<String, Vec<usize>>;

/// A URL as compared when pairing entries: parsed and serialized when it parses.
fn url_key(u: &str) -> String {
    url::Url::parse(u).map_or_else(|_| u.to_owned(), String::from)
}

/// The page's origin for entry `i`: its `Origin`; else (a request blocked before it
/// was sent keeps only provisional headers) its preflight's `Origin`, or for a
/// fetch or XHR the origin of its `Referer`.
fn origin_for(entries: &[Entry], preflights: &Preflights, i: usize) -> Option<String> {
    let e = &entries[i];
    if let Some(o) = e.request_header("origin") {
        return Some(o.to_owned());
    }
    let from_preflight = preflights
        .get(&url_key(&e.url))
        .into_iter()
        .flatten()
        .find_map(|&p| entries[p].request_header("origin"));
    if let Some(o) = from_preflight {
        return Some(o.to_owned());
    }
    if matches!(e.resource_type.as_str(), "fetch" | "xhr") {
        return e.request_header("referer").and_then(origin_of).filter(|o| o != "null");
    }
    None
}

/// Replays recorded entries as the responses to a request's hops.
struct Replay<'a> {
    entries: &'a [Entry],
    preflights: &'a Preflights,
    used: Vec<bool>,
    /// The entry last answered for a request hop.
    at: usize,
    /// The first hop's entry.
    start: usize,
    first: bool,
    preflight: Option<ResponseHead>,
    last_failed: bool,
}

impl Transport for Replay<'_> {
    type Error = std::convert::Infallible;

    fn preflight(&mut self, url: &str, method: &str, _: &[(String, String)]) -> Option<Preflight> {
        let anchor = if self.first { self.start } else { self.at };
        let i = self
            .preflights
            .get(&url_key(url))
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| {
                !self.used[i] && self.entries[i].request_header("access-control-request-method") == Some(method)
            })
            .min_by_key(|i| i.abs_diff(anchor))?;
        let e = &self.entries[i];
        self.used[i] = true;
        self.preflight = e.recorded();
        let headers = e
            .request_header("access-control-request-headers")
            .map(|h| {
                h.split(',')
                    .map(|s| s.trim().to_ascii_lowercase())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        Some(Preflight {
            method: method.to_owned(),
            headers,
        })
    }

    fn send(&mut self, hop: &Hop) -> Result<Option<ResponseHead>, Self::Error> {
        if hop.kind == HopKind::Preflight {
            return Ok(self.preflight.take());
        }
        let index = if self.first {
            self.first = false;
            Some(self.start)
        } else {
            (self.at + 1..self.entries.len()).find(|&i| {
                let e = &self.entries[i];
                !self.used[i] && !e.preflight && same_url(&e.url, &hop.url)
            })
        };
        let Some(i) = index else { return Ok(None) };
        self.used[i] = true;
        self.at = i;
        self.last_failed = self.entries[i].failed;
        Ok(self.entries[i].recorded())
    }
}

/// Analyses a HAR export: one finding per cross-origin request, in the file's order.
pub fn analyze(text: &str) -> Result<Vec<Finding>, HarError> {
    analyze_with_progress(text, &mut |_, _| {})
}

/// [`analyze`], calling `progress(done, total)` after each entry.
pub fn analyze_with_progress(text: &str, progress: &mut dyn FnMut(usize, usize)) -> Result<Vec<Finding>, HarError> {
    let entries = entries(text)?;
    let mut preflights = Preflights::new();
    for (i, e) in entries.iter().enumerate().filter(|(_, e)| e.preflight) {
        preflights.entry(url_key(&e.url)).or_default().push(i);
    }
    let mut used = vec![false; entries.len()];
    let mut findings = Vec::new();
    for i in 0..entries.len() {
        progress(i + 1, entries.len());
        let e = &entries[i];
        if used[i] || e.preflight {
            continue;
        }
        let Some(origin) = origin_for(&entries, &preflights, i) else {
            continue;
        };
        if origin_of(&e.url).as_deref() == Some(origin.as_str()) {
            continue;
        }
        let with_cookie = e.request_header("cookie").is_some();
        let attempt = |credentials: Credentials, used: &[bool]| {
            let request = PageRequest {
                url: e.url.clone(),
                method: e.method.clone(),
                origin: origin.clone(),
                headers: e
                    .request_headers
                    .iter()
                    .filter(|(n, _)| !n.eq_ignore_ascii_case("origin"))
                    .cloned()
                    .collect(),
                credentials,
            };
            let mut replay = Replay {
                entries: &entries,
                preflights: &preflights,
                used: used.to_vec(),
                at: i,
                start: i,
                first: true,
                preflight: None,
                last_failed: false,
            };
            match run(&request, &mut replay) {
                Ok(f) => Some((f, replay.used, replay.last_failed)),
                Err(FlowError::Url(_)) => None,
                Err(FlowError::Transport(never)) => match never {},
            }
        };
        let first = if with_cookie {
            Credentials::Include
        } else {
            Credentials::Omit
        };
        let Some((mut finding, mut now_used, failed)) = attempt(first, &used) else {
            continue;
        };
        // A failure the recorded headers do not explain without credentials: try with them.
        let unexplained = (finding.verdict == Verdict::Allowed && failed)
            || (finding.verdict == Verdict::Blocked && finding.cors_error.is_none());
        if unexplained && !with_cookie {
            if let Some((f, u, _)) = attempt(Credentials::Include, &used).filter(|(f, ..)| f.cors_error.is_some()) {
                finding = f;
                now_used = u;
                finding.fix = format!("{} (the HAR does not record the credentials mode; only `credentials: 'include'` explains this failure)", finding.fix);
            }
        }
        if finding.verdict == Verdict::Allowed && failed {
            finding.verdict = Verdict::Blocked;
            finding.message = format!(
                "{} {}: the browser recorded a failure, but the recorded headers pass the CORS checks",
                finding.method, finding.url
            );
            finding.fix = "the failure is not explained by the recorded headers (a HAR hides some: cookies, a blocked response's headers); run `corsair probe` against the same URL".to_owned();
        }
        if finding.verdict == Verdict::Blocked
            && finding.cors_error.is_none()
            && finding.message.contains("no response recorded")
        {
            finding.message = format!("{} {} from origin '{origin}': blocked (status 0, net::ERR_FAILED) and the HAR records no response to say why", finding.method, finding.url);
            finding.fix = if finding.preflight || crate::request::is_safelisted_method(&finding.method) {
                "the response's headers are not in the HAR: the actual response probably lacks CORS headers (an error path or a route outside the CORS layer); run `corsair probe` against the same URL to see them".to_owned()
            } else {
                format!("a {} needs a preflight and the HAR has none for this URL (some exports leave preflights out): the preflight most likely failed; run `corsair probe` against the same URL to see it", finding.method)
            };
        }
        used = now_used;
        used[i] = true;
        findings.push(finding);
    }
    Ok(findings)
}
