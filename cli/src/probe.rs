//! `corsair probe`: sends what Chromium would, hop by hop over HTTP (no redirect
//! followed by the client itself), and hands each response to the doctor.

use std::io::Read as _;
use std::time::Duration;

use corsair_doctor::{run, Finding, FlowError, Hop, PageRequest, ResponseHead, Transport};

/// How the probe talks HTTP.
#[derive(Clone, Debug)]
pub struct ProbeOptions {
    /// Limit for one exchange (connect, send, read the head and the body's start).
    pub timeout: Duration,
}

impl Default for ProbeOptions {
    fn default() -> Self {
        ProbeOptions {
            timeout: Duration::from_secs(10),
        }
    }
}

/// Bytes of a body kept, to recognize a gateway's error text.
const BODY_START: u64 = 512;

struct Http {
    client: reqwest::blocking::Client,
}

impl Transport for Http {
    type Error = String;

    fn send(&mut self, hop: &Hop) -> Result<Option<ResponseHead>, String> {
        let method = reqwest::Method::from_bytes(hop.method.as_bytes())
            .map_err(|_| format!("`{}` is not a valid HTTP method", hop.method))?;
        let mut req = self.client.request(method, &hop.url);
        for (name, value) in &hop.headers {
            req = req.header(name.as_str(), value.as_str());
        }
        let resp = req.send().map_err(|e| describe(&hop.url, &e))?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut body = Vec::new();
        // The body's start only names a cause; an error reading it changes no verdict.
        let _ = resp.take(BODY_START).read_to_end(&mut body);
        Ok(Some(ResponseHead {
            status,
            headers,
            body_start: String::from_utf8_lossy(&body).into_owned(),
        }))
    }
}

/// One line: what failed and where, with the innermost cause.
fn describe(url: &str, e: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = e;
    while let Some(inner) = cause.source() {
        cause = inner;
    }
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "cannot connect"
    } else {
        "request failed"
    };
    format!("{url}: {what}: {cause}")
}

/// Probes `request` over the network as Chromium would and returns the verdict.
/// `Err` is a one-line reason the probe could not be made (a bad URL, an unreachable host).
pub fn probe(request: &PageRequest, options: &ProbeOptions) -> Result<Finding, String> {
    let client = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(options.timeout)
        .connect_timeout(options.timeout)
        .user_agent(concat!("corsair-probe/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot start the HTTP client: {e}"))?;
    run(request, &mut Http { client }).map_err(|e| match e {
        FlowError::Url(m) | FlowError::Transport(m) => m,
    })
}
