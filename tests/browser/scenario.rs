//! What the page is asked to do (`Scenario`) and what it saw (`Outcome`).
//! Both cross the Rust/JS boundary as JSON; see `page.js` for the other side.

use std::collections::BTreeMap;

use corsair_test_support::cdp::Fetch;
use serde_json::{json, Value};

/// `credentials` of a `fetch` [RequestInit](https://developer.mozilla.org/en-US/docs/Web/API/RequestInit#credentials).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credentials {
    Omit,
    SameOrigin,
    Include,
}

/// `cache` of a `fetch` [RequestInit](https://developer.mozilla.org/en-US/docs/Web/API/RequestInit#cache).
/// In Fetch the mode is about the HTTP cache only; Chromium and Firefox also
/// let some modes bypass the preflight cache (see `deviation` in browser.rs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CacheMode {
    Default,
    NoStore,
    Reload,
    NoCache,
    ForceCache,
}

/// One `fetch` the page makes, and which response headers to read back.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: String,
    pub method: String,
    /// Absolute: the API is on another origin than the page.
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub credentials: Credentials,
    pub cache: CacheMode,
    /// Response headers to read through `response.headers.get(name)`.
    pub read_headers: Vec<String>,
}

impl Scenario {
    /// `fetch(url, { method, mode: "cors", credentials: "omit" })`; the rest
    /// is set with the builder methods.
    pub fn new(name: &str, method: &str, url: &str) -> Self {
        Self {
            name: name.to_owned(),
            method: method.to_owned(),
            url: url.to_owned(),
            headers: Vec::new(),
            body: None,
            credentials: Credentials::Omit,
            cache: CacheMode::Default,
            read_headers: Vec::new(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn body(mut self, body: &str) -> Self {
        self.body = Some(body.to_owned());
        self
    }

    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    pub fn cache(mut self, cache: CacheMode) -> Self {
        self.cache = cache;
        self
    }

    pub fn read_header(mut self, name: &str) -> Self {
        self.read_headers.push(name.to_owned());
        self
    }

    pub(crate) fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "method": self.method,
            "url": self.url,
            "headers": self.headers.iter().map(|(n, v)| [n, v]).collect::<Vec<_>>(),
            "body": self.body,
            "credentials": match self.credentials {
                Credentials::Omit => "omit",
                Credentials::SameOrigin => "same-origin",
                Credentials::Include => "include",
            },
            "cache": match self.cache {
                CacheMode::Default => "default",
                CacheMode::NoStore => "no-store",
                CacheMode::Reload => "reload",
                CacheMode::NoCache => "no-cache",
                CacheMode::ForceCache => "force-cache",
            },
            "read_headers": self.read_headers,
        })
    }
}

/// What the page observed for one scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub name: String,
    /// `fetch` resolved, so the page could read the response. `false` means it
    /// rejected: a CORS failure or a network failure (see [`Outcome::cors_error`]).
    pub readable: bool,
    pub status: Option<u16>,
    /// Each requested header as `response.headers.get` returned it: `None`
    /// when absent or not exposed to the page.
    pub headers: BTreeMap<String, Option<String>>,
    /// `"{name}: {message}"` of the rejection, e.g. `TypeError: Failed to fetch`.
    pub error: Option<String>,
    /// Console messages the engine logged while this scenario ran (none in WebKit).
    pub console: Vec<String>,
    /// Chromium only: the fetch as its DevTools protocol reported it
    /// (`Network.requestWillBeSent` to `loadingFailed`, with `corsErrorStatus`);
    /// `None` in the other engines, or when no such request was seen.
    pub devtools: Option<Fetch>,
}

impl Outcome {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.as_deref())
    }

    /// The engine's reason when it blocked the read: Chromium's console
    /// message ("No 'Access-Control-Allow-Origin' header is present on the
    /// requested resource."), Firefox's if its console printed one, else the
    /// rejection itself (WebKit names the reason there: "Origin ... is not
    /// allowed by Access-Control-Allow-Origin. Status code: 403"). `None` for
    /// readable responses.
    pub fn reason(&self) -> Option<&str> {
        const CHROMIUM: &str = "has been blocked by CORS policy: ";
        const FIREFOX: &str = "(Reason: ";
        self.console
            .iter()
            .find_map(|line| line.find(CHROMIUM).map(|at| &line[at + CHROMIUM.len()..]))
            .or_else(|| {
                self.console
                    .iter()
                    .find_map(|line| line.find(FIREFOX).map(|at| &line[at..]))
            })
            .or(self.error.as_deref())
    }

    pub(crate) fn from_json(v: &Value) -> Option<Self> {
        Some(Self {
            name: v.get("name")?.as_str()?.to_owned(),
            readable: v.get("readable")?.as_bool()?,
            status: v.get("status")?.as_u64().and_then(|s| u16::try_from(s).ok()),
            headers: v
                .get("headers")?
                .as_object()?
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().map(str::to_owned)))
                .collect(),
            error: v.get("error")?.as_str().map(str::to_owned),
            console: Vec::new(),
            devtools: None,
        })
    }
}
