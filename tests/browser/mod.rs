//! The real-browser harness: serves a page from a loopback origin, runs `fetch`
//! scenarios in a fresh headless Chromium against any API, and returns what the
//! page could observe. See README.md in this directory for why it works this way.
//!
//! How a page load works: the page server (127.0.0.1, an ephemeral port A)
//! serves `/run/<id>` with the scenarios inlined; Chromium loads it from
//! `http://<page_host>:A`, so the page's origin is chosen per load (`127.0.0.1`,
//! `localhost` and any `*.localhost` all reach the server: Chromium resolves
//! them to loopback itself); `page.js` runs the fetches one by one and POSTs
//! a JSON report back to `/run/<id>/report` (same origin, so no CORS on the way
//! back); then the Chromium process group is killed and its profile removed.

mod chromium;
mod scenario;

use std::collections::HashMap;
use std::fmt;
use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

pub use scenario::{CacheMode, Credentials, Outcome, Scenario};

const PAGE_JS: &str = include_str!("page.js");

/// Console markers `page.js` logs around each scenario, and once at the end.
const BEGIN: &str = "[cors-browser] begin ";
const END: &str = "[cors-browser] end ";
const DONE: &str = "[cors-browser] done";

/// Wall-clock limit for one page load, Chromium's start-up included.
const LOAD_TIMEOUT: Duration = Duration::from_secs(30);
/// Wall-clock limit for one `fetch`, enforced by the page (an `AbortError`), so
/// one hung request cannot swallow the whole report.
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);

/// The Chromium binary to use, or `None` after a loud notice when there is none
/// and the suite may be skipped. In CI (`CI` set to anything but `false` or
/// `0`) a missing Chromium is a failure, never a skip: `.ci/run` installs it.
pub fn chromium_or_skip(suite: &str) -> Option<PathBuf> {
    if let Some(path) = chromium::find_binary() {
        return Some(path);
    }
    let in_ci = std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"));
    assert!(
        !in_ci,
        "CI is set and Chromium was not found (looked for $CHROMIUM_BIN, {}, `chromium` on PATH): \
         `.ci/run` installs it with `apt-get install -y chromium`; the real-browser suite must run in CI",
        chromium::DEBIAN_BINARY
    );
    // Straight to stderr: the test harness captures `eprintln!` of passing tests.
    let _ = writeln!(
        std::io::stderr(),
        "\n!!! SKIPPED {suite}: Chromium not found ($CHROMIUM_BIN, {}, `chromium` on PATH).\n\
         !!! Install it (Debian: `apt-get install chromium`) to run the real-browser CORS suite;\n\
         !!! in CI (CI=true) this is a failure.\n",
        chromium::DEBIAN_BINARY
    );
    None
}

/// The page server and the Chromium binary. One server serves any number of
/// page loads; each load is a fresh Chromium with a fresh profile.
pub struct Browser {
    port: u16,
    runs: SharedRuns,
    next_run: AtomicU64,
    chromium: PathBuf,
}

impl Browser {
    /// Binds the page server on `127.0.0.1:0` and serves it from a thread of its own.
    pub fn start(chromium: PathBuf) -> std::io::Result<Self> {
        chromium::remove_stale_profiles();
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let runs = SharedRuns::default();
        let app = Router::new()
            .route("/run/{id}", get(serve_page))
            .route("/run/{id}/report", post(receive_report))
            .with_state(runs.clone());
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        thread::spawn(move || {
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("page server listener");
                axum::serve(listener, app).await.expect("page server");
            });
        });
        Ok(Self {
            port,
            runs,
            next_run: AtomicU64::new(0),
            chromium,
        })
    }

    /// The origin of a page loaded as `http://{host}:{port}`. `host` is any
    /// name Chromium resolves to loopback: `127.0.0.1`, `localhost`, or
    /// `<labels>.localhost`.
    pub fn page_origin(&self, host: &str) -> String {
        format!("http://{host}:{}", self.port)
    }

    /// Loads the page from `page_origin(page_host)` in a fresh headless
    /// Chromium, runs `scenarios` in order, and returns one outcome per
    /// scenario, in order, each with the console messages logged while it ran.
    pub fn run(&self, page_host: &str, scenarios: &[Scenario]) -> Result<Vec<Outcome>, HarnessError> {
        let id = self.next_run.fetch_add(1, Ordering::Relaxed);
        let run = json!({
            "scenarios": scenarios.iter().map(Scenario::to_json).collect::<Vec<_>>(),
            "fetch_timeout_ms": FETCH_TIMEOUT.as_millis() as u64,
            "report_path": format!("/run/{id}/report"),
            "markers": { "begin": BEGIN, "end": END, "done": DONE },
        });
        let (report_tx, report_rx) = mpsc::channel();
        {
            let mut runs = self.runs.lock().unwrap();
            runs.pages.insert(id, page_html(&run));
            runs.reports.insert(id, report_tx);
        }
        let origin = self.page_origin(page_host);
        let result = self.load(&format!("{origin}/run/{id}"), &report_rx);
        {
            let mut runs = self.runs.lock().unwrap();
            runs.pages.remove(&id);
            runs.reports.remove(&id);
        }
        let (report, stderr) = result?;
        let mut outcomes = parse_report(&report, &origin, scenarios.len())?;
        attach_console(&mut outcomes, &stderr);
        Ok(outcomes)
    }

    /// Runs Chromium on `url` until the page reports, Chromium dies, or the
    /// wall-clock limit passes; returns the report and Chromium's stderr.
    fn load(&self, url: &str, report: &mpsc::Receiver<String>) -> Result<(String, Vec<String>), HarnessError> {
        let mut session = chromium::Session::launch(&self.chromium, url).map_err(|e| HarnessError::Launch {
            binary: self.chromium.clone(),
            error: e,
        })?;
        let deadline = Instant::now() + LOAD_TIMEOUT;
        let ended = loop {
            match report.recv_timeout(Duration::from_millis(20)) {
                Ok(report) => break Ok(report),
                Err(RecvTimeoutError::Disconnected) => unreachable!("the sender is in `runs` until the load is over"),
                Err(RecvTimeoutError::Timeout) => {}
            }
            match session.exited() {
                Ok(Some(status)) => break Err(Ended::Exited(status)),
                Ok(None) if Instant::now() >= deadline => break Err(Ended::Timeout),
                Ok(None) => {}
                Err(e) => break Err(Ended::Wait(e)),
            }
        };
        let stderr = session.finish(DONE, Duration::from_secs(2));
        if std::env::var_os("CORS_BROWSER_STDERR").is_some() {
            eprintln!("chromium stderr for {url}:\n{}", stderr.join("\n"));
        }
        let tail = || stderr[stderr.len().saturating_sub(20)..].join("\n");
        match ended {
            Ok(report) => Ok((report, stderr)),
            Err(Ended::Exited(status)) => Err(HarnessError::BrowserExited { status, stderr: tail() }),
            Err(Ended::Timeout) => Err(HarnessError::Timeout { stderr: tail() }),
            Err(Ended::Wait(e)) => Err(HarnessError::Launch {
                binary: self.chromium.clone(),
                error: e,
            }),
        }
    }
}

enum Ended {
    Exited(std::process::ExitStatus),
    Timeout,
    Wait(std::io::Error),
}

/// Why a page load produced no outcomes.
#[derive(Debug)]
pub enum HarnessError {
    /// Chromium could not be started.
    Launch { binary: PathBuf, error: std::io::Error },
    /// No report within [`LOAD_TIMEOUT`].
    Timeout { stderr: String },
    /// Chromium exited before the page reported.
    BrowserExited {
        status: std::process::ExitStatus,
        stderr: String,
    },
    /// The report was not what `page.js` writes.
    BadReport(String),
    /// The page did not run at the origin it was loaded for.
    WrongOrigin { expected: String, actual: String },
}

impl fmt::Display for HarnessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Launch { binary, error } => write!(f, "cannot run {}: {error}", binary.display()),
            Self::Timeout { stderr } => write!(
                f,
                "no report from the page after {LOAD_TIMEOUT:?}; chromium stderr tail:\n{stderr}"
            ),
            Self::BrowserExited { status, stderr } => {
                write!(
                    f,
                    "chromium exited ({status}) before the page reported; stderr tail:\n{stderr}"
                )
            }
            Self::BadReport(why) => write!(f, "bad report from the page: {why}"),
            Self::WrongOrigin { expected, actual } => write!(f, "page ran at origin {actual}, expected {expected}"),
        }
    }
}

impl std::error::Error for HarnessError {}

/// Pages waiting to be loaded, and reports waiting to be collected, by run id.
#[derive(Default)]
struct Runs {
    pages: HashMap<u64, String>,
    reports: HashMap<u64, Sender<String>>,
}

type SharedRuns = Arc<Mutex<Runs>>;

async fn serve_page(State(runs): State<SharedRuns>, Path(id): Path<u64>) -> Response {
    match runs.lock().unwrap().pages.get(&id) {
        Some(html) => ([(header::CACHE_CONTROL, "no-store")], Html(html.clone())).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn receive_report(State(runs): State<SharedRuns>, Path(id): Path<u64>, body: String) -> StatusCode {
    match runs.lock().unwrap().reports.get(&id) {
        Some(tx) => {
            let _ = tx.send(body);
            StatusCode::NO_CONTENT
        }
        None => StatusCode::NOT_FOUND,
    }
}

fn page_html(run: &Value) -> String {
    // `<` escaped so that no string in `run` can close the <script> element.
    let run = run.to_string().replace('<', "\\u003c");
    format!(
        "<!doctype html>\n<meta charset=\"utf-8\">\n<title>cors browser suite</title>\n<script>\n{}</script>\n",
        PAGE_JS.replace("/*RUN*/", &run)
    )
}

fn parse_report(text: &str, expected_origin: &str, expected_len: usize) -> Result<Vec<Outcome>, HarnessError> {
    let report: Value = serde_json::from_str(text).map_err(|e| HarnessError::BadReport(format!("{e}: {text}")))?;
    let origin = report.get("origin").and_then(Value::as_str).unwrap_or("");
    if origin != expected_origin {
        return Err(HarnessError::WrongOrigin {
            expected: expected_origin.to_owned(),
            actual: origin.to_owned(),
        });
    }
    if let Some(fatal) = report.get("fatal") {
        return Err(HarnessError::BadReport(format!("page script failed: {fatal}")));
    }
    let outcomes = report
        .get("results")
        .and_then(Value::as_array)
        .and_then(|r| r.iter().map(Outcome::from_json).collect::<Option<Vec<_>>>())
        .ok_or_else(|| HarnessError::BadReport(text.to_owned()))?;
    if outcomes.len() != expected_len {
        return Err(HarnessError::BadReport(format!(
            "{} outcomes for {expected_len} scenarios",
            outcomes.len()
        )));
    }
    Ok(outcomes)
}

/// Gives each outcome the console messages logged between its begin and end
/// markers. Chromium logs a page's console messages in order, CORS failure
/// reports included, so the markers delimit each fetch's messages.
fn attach_console(outcomes: &mut [Outcome], stderr: &[String]) {
    let mut current: Option<usize> = None;
    for message in stderr.iter().filter_map(|line| chromium::console_message(line)) {
        if let Some(index) = message.strip_prefix(BEGIN) {
            current = index.parse().ok();
        } else if message.starts_with(END) {
            current = None;
        } else if let Some(outcome) = current.and_then(|i| outcomes.get_mut(i)) {
            outcome.console.push(message.to_owned());
        }
    }
}
