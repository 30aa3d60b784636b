//! The real-browser harness: serves pages from a loopback origin, runs `fetch`
//! scenarios in Chromium, Firefox or WebKit against any API, and returns what
//! each page could observe. See README.md in this directory for why it works
//! this way.
//!
//! How a page load works: the page server (127.0.0.1, an ephemeral port A)
//! serves `/run/<id>` with the scenarios inlined; the engine loads it from
//! `http://<page_host>:A`, so the page's origin is chosen per load (`127.0.0.1`,
//! `localhost` and any `*.localhost` all reach the server: each engine
//! resolves them to loopback itself); `page.js` runs the fetches one by one and
//! POSTs a JSON report back to `/run/<id>/report` (same origin, so no CORS on
//! the way back); then the engine's process group is killed and its profile
//! (and display) removed.

mod chromium;
mod engine;
mod firefox;
mod process;
mod scenario;
mod webdriver;
mod webkit;

use std::collections::HashMap;
use std::fmt;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use corsair_test_support::cdp;
use serde_json::{json, Value};

pub use engine::{Engine, EngineKind};
pub use scenario::{CacheMode, Credentials, Outcome, Scenario};

use engine::Finished;

const PAGE_JS: &str = include_str!("page.js");

/// Console markers `page.js` logs around each scenario, and once at the end,
/// each followed by the run id (pages of one launch share its output).
const BEGIN: &str = "[cors-browser] begin ";
const END: &str = "[cors-browser] end ";
const DONE: &str = "[cors-browser] done ";

/// Wall-clock limit for one launch, the engine's start-up and every page it
/// shows included: a page without a report by then fails alone, and the
/// engine is killed.
const LOAD_TIMEOUT: Duration = Duration::from_secs(60);
/// Wall-clock limit for one `fetch`, enforced by the page (an `AbortError`), so
/// one hung request cannot swallow the whole report.
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);

/// One page to load: its host (so its origin) and the scenarios it runs in order.
pub struct PageLoad<'a> {
    pub host: &'a str,
    pub scenarios: &'a [Scenario],
}

/// The page server. One server serves any number of page loads, in any engine.
pub struct Browser {
    port: u16,
    runs: SharedRuns,
    next_run: AtomicU64,
}

impl Browser {
    /// Binds the page server on `127.0.0.1:0` and serves it from a thread of its own.
    pub fn start() -> std::io::Result<Self> {
        process::remove_stale_profiles();
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
        })
    }

    /// The origin of a page loaded as `http://{host}:{port}`. `host` is any
    /// name every engine resolves to loopback: `127.0.0.1`, `localhost`, or
    /// `<labels>.localhost`.
    pub fn page_origin(&self, host: &str) -> String {
        format!("http://{host}:{}", self.port)
    }

    /// Loads every page in `engine` (side by side: see [`Engine::launch`]),
    /// runs each page's scenarios in order, and returns, per page, one outcome
    /// per scenario, each with the console messages logged while it ran (and in
    /// Chromium what the DevTools protocol said of its fetch), with the page's
    /// DevTools events. A page that does not report within [`LOAD_TIMEOUT`]
    /// fails alone.
    pub fn run(&self, engine: &Engine, loads: &[PageLoad<'_>]) -> Vec<Result<PageRun, HarnessError>> {
        let mut pages = Vec::new();
        for load in loads {
            let id = self.next_run.fetch_add(1, Ordering::Relaxed);
            let run = json!({
                "id": id,
                "scenarios": load.scenarios.iter().map(Scenario::to_json).collect::<Vec<_>>(),
                "fetch_timeout_ms": FETCH_TIMEOUT.as_millis() as u64,
                "report_path": format!("/run/{id}/report"),
                "markers": { "begin": BEGIN, "end": END, "done": DONE },
            });
            let (report_tx, report_rx) = mpsc::channel();
            let mut runs = self.runs.lock().unwrap();
            runs.pages.insert(id, page_html(&run));
            runs.reports.insert(id, report_tx);
            pages.push((id, self.page_origin(load.host), report_rx));
        }
        let urls: Vec<String> = pages
            .iter()
            .map(|(id, origin, _)| format!("{origin}/run/{id}"))
            .collect();
        let reports = self.load(engine, &urls, &pages);
        {
            let mut runs = self.runs.lock().unwrap();
            for (id, _, _) in &pages {
                runs.pages.remove(id);
                runs.reports.remove(id);
            }
        }
        reports
            .into_iter()
            .zip(loads.iter().zip(&pages))
            .map(|(report, (load, (id, origin, _)))| {
                let (report, finished) = report?;
                let mut outcomes = parse_report(&report, origin, load.scenarios.len())?;
                attach_console(engine.kind(), &mut outcomes, &finished.lines, *id);
                if engine.kind() == EngineKind::Chromium {
                    let urls = load.scenarios.iter().map(|s| s.url.as_str());
                    let paired = cdp::pair(urls, &cdp::fetches(&finished.events), |f| &f.url);
                    for (outcome, fetch) in outcomes.iter_mut().zip(paired) {
                        outcome.devtools = fetch;
                    }
                }
                Ok(PageRun {
                    outcomes,
                    devtools_events: finished.events,
                    devtools_error: finished.devtools_error,
                })
            })
            .collect()
    }

    /// Launches `engine` on `urls` and waits until every page reported, its
    /// engine died, or the wall-clock limit passed; returns each page's report
    /// and its launch's output.
    fn load(&self, engine: &Engine, urls: &[String], pages: &[(u64, String, Receiver<String>)]) -> Vec<Loaded> {
        let started = Instant::now();
        let mut state: Vec<Option<Result<String, Ended>>> = (0..urls.len()).map(|_| None).collect();
        let mut launches = Vec::new();
        for (indices, launch) in engine.launch(urls) {
            match launch {
                Ok(launch) => launches.push((indices, Some(launch))),
                Err(e) => {
                    let message = e.to_string();
                    for &i in &indices {
                        state[i] = Some(Err(Ended::Launch(message.clone())));
                    }
                    launches.push((indices, None));
                }
            }
        }
        let deadline = Instant::now() + LOAD_TIMEOUT;
        loop {
            for (i, (_, _, rx)) in pages.iter().enumerate() {
                if state[i].is_none() {
                    match rx.try_recv() {
                        Ok(report) => state[i] = Some(Ok(report)),
                        Err(TryRecvError::Empty) => {}
                        Err(TryRecvError::Disconnected) => {
                            unreachable!("the sender is in `runs` until the load is over")
                        }
                    }
                }
            }
            for (indices, launch) in &mut launches {
                let Some(launch) = launch else { continue };
                let ended = match launch.exited() {
                    Ok(Some(status)) => Ended::Exited(status),
                    Ok(None) => continue,
                    Err(e) => Ended::Launch(e.to_string()),
                };
                for &i in indices.iter() {
                    // A report may have arrived just before the exit.
                    if state[i].is_none() {
                        state[i] = Some(pages[i].2.try_recv().map_err(|_| ended.clone()));
                    }
                }
            }
            if state.iter().all(Option::is_some) {
                break;
            }
            if Instant::now() >= deadline {
                for slot in state.iter_mut().filter(|s| s.is_none()) {
                    *slot = Some(Err(Ended::Timeout));
                }
                break;
            }
            thread::sleep(Duration::from_millis(20));
        }
        let mut out: Vec<Option<Loaded>> = (0..urls.len()).map(|_| None).collect();
        // Side by side: each waits for its last console lines and its group's death.
        let finished: Vec<(Vec<usize>, Option<Finished>)> = thread::scope(|scope| {
            let finishing: Vec<_> = launches
                .into_iter()
                .map(|(indices, launch)| {
                    let reported = indices.iter().filter(|&&i| matches!(state[i], Some(Ok(_)))).count();
                    (indices, scope.spawn(move || launch.map(|l| l.finish(DONE, reported))))
                })
                .collect();
            finishing
                .into_iter()
                .map(|(indices, f)| (indices, f.join().expect("finishing a launch panicked")))
                .collect()
        });
        for (indices, finished) in finished {
            let (lines, events, devtools_error) =
                finished.map_or_else(Default::default, |f| (f.lines, f.events, f.devtools_error));
            if std::env::var_os("CORS_BROWSER_STDERR").is_some() {
                eprintln!(
                    "{} output for {:?}:\n{}",
                    engine.kind().name(),
                    indices,
                    lines.join("\n")
                );
            }
            let tail = || lines[lines.len().saturating_sub(20)..].join("\n");
            for i in indices {
                out[i] = Some(match state[i].take().expect("every page has a state") {
                    Ok(report) => Ok((
                        report,
                        Finished {
                            lines: lines.clone(),
                            events: events.clone(),
                            devtools_error: devtools_error.clone(),
                        },
                    )),
                    Err(Ended::Launch(error)) => Err(HarnessError::Launch { error }),
                    Err(Ended::Exited(status)) => Err(HarnessError::BrowserExited { status, output: tail() }),
                    Err(Ended::Timeout) => Err(HarnessError::Timeout {
                        after: started.elapsed(),
                        output: tail(),
                    }),
                });
            }
        }
        out.into_iter()
            .map(|o| o.expect("every page is in one launch"))
            .collect()
    }
}

/// A page's report and what its launch left, or why there is none.
type Loaded = Result<(String, Finished), HarnessError>;

/// What one page load produced.
pub struct PageRun {
    /// One per scenario, in order.
    pub outcomes: Vec<Outcome>,
    /// Chromium's DevTools events for the page (`Network.*`), in the order
    /// received; empty for the other engines.
    pub devtools_events: Vec<Value>,
    /// Why Chromium's DevTools recording ended early, if it did.
    pub devtools_error: Option<String>,
}

#[derive(Clone)]
enum Ended {
    Launch(String),
    Exited(std::process::ExitStatus),
    Timeout,
}

/// Why a page load produced no outcomes.
#[derive(Debug)]
pub enum HarnessError {
    /// The engine could not be started.
    Launch { error: String },
    /// No report within [`LOAD_TIMEOUT`].
    Timeout { after: Duration, output: String },
    /// The engine exited before the page reported.
    BrowserExited {
        status: std::process::ExitStatus,
        output: String,
    },
    /// The report was not what `page.js` writes.
    BadReport(String),
    /// The page did not run at the origin it was loaded for.
    WrongOrigin { expected: String, actual: String },
}

impl fmt::Display for HarnessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Launch { error } => write!(f, "cannot start the engine: {error}"),
            Self::Timeout { after, output } => write!(
                f,
                "no report from the page after {after:.1?} (limit {LOAD_TIMEOUT:?}); engine output tail:\n{output}"
            ),
            Self::BrowserExited { status, output } => {
                write!(
                    f,
                    "the engine exited ({status}) before the page reported; output tail:\n{output}"
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

/// Gives each outcome of run `id` the console messages logged between its
/// begin and end markers. An engine logs a page's console messages in order,
/// CORS failure reports included, so the markers delimit each fetch's
/// messages; a message logged while scenarios of two pages of one launch were
/// running belongs to neither for sure, and is left out.
fn attach_console(kind: EngineKind, outcomes: &mut [Outcome], lines: &[String], id: u64) {
    let mut open: HashMap<u64, usize> = HashMap::new();
    let marker = |message: &str, prefix: &str| -> Option<(u64, usize)> {
        let (run, index) = message.strip_prefix(prefix)?.split_once(' ')?;
        Some((run.parse().ok()?, index.parse().ok()?))
    };
    for message in lines.iter().filter_map(|line| Engine::console_message(kind, line)) {
        if let Some((run, index)) = marker(message, BEGIN) {
            open.insert(run, index);
        } else if let Some((run, _)) = marker(message, END) {
            open.remove(&run);
        } else if message.starts_with(DONE) {
        } else if let (1, Some(&index)) = (open.len(), open.get(&id)) {
            if let Some(outcome) = outcomes.get_mut(index) {
                outcome.console.push(message.to_owned());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{attach_console, EngineKind, Outcome};
    use std::collections::BTreeMap;

    fn outcome(name: &str) -> Outcome {
        Outcome {
            name: name.to_owned(),
            readable: false,
            status: None,
            headers: BTreeMap::new(),
            error: None,
            console: Vec::new(),
            devtools: None,
        }
    }

    /// Pages of one launch share its output: a message goes to the scenario
    /// between its own run's markers, and only when no other page's scenario
    /// is running at the same time.
    #[test]
    fn console_messages_go_to_their_own_page_only() {
        let lines: Vec<String> = [
            r#"console.info: "[cors-browser] begin 7 0""#,
            r#"console.log: "seven zero""#,
            r#"console.info: "[cors-browser] begin 8 0""#,
            r#"console.log: "seven or eight""#,
            r#"console.info: "[cors-browser] end 8 0""#,
            r#"console.info: "[cors-browser] end 7 0""#,
            r#"console.info: "[cors-browser] begin 7 1""#,
            r#"console.log: "seven one""#,
            r#"console.info: "[cors-browser] end 7 1""#,
            r#"console.log: "after""#,
            r#"console.info: "[cors-browser] done 7""#,
        ]
        .map(str::to_owned)
        .into();
        let mut outcomes = vec![outcome("a"), outcome("b")];
        attach_console(EngineKind::Firefox, &mut outcomes, &lines, 7);
        assert_eq!(outcomes[0].console, ["seven zero"]);
        assert_eq!(outcomes[1].console, ["seven one"]);
        let mut eight = vec![outcome("c")];
        attach_console(EngineKind::Firefox, &mut eight, &lines, 8);
        assert!(eight[0].console.is_empty(), "{:?}", eight[0].console);
    }

    #[test]
    fn chromium_console_lines_are_read() {
        let line =
            r#"[1:2:1201/000000.1:INFO:CONSOLE:0] "[cors-browser] begin 3 0", source: http://127.0.0.1:1/run/3 (12)"#;
        let blocked = r#"[1:2:1201/000000.1:INFO:CONSOLE:0] "Access to fetch at 'x' from origin 'y' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.", source: http://127.0.0.1:1/run/3 (0)"#;
        let end =
            r#"[1:2:1201/000000.1:INFO:CONSOLE:0] "[cors-browser] end 3 0", source: http://127.0.0.1:1/run/3 (14)"#;
        let lines = [line, blocked, end].map(str::to_owned);
        let mut outcomes = vec![outcome("a")];
        attach_console(EngineKind::Chromium, &mut outcomes, &lines, 3);
        assert_eq!(
            outcomes[0].reason(),
            Some("No 'Access-Control-Allow-Origin' header is present on the requested resource.")
        );
    }
}
