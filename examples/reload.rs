//! A policy read from a JSON config file and replaced while serving, without a
//! restart: when the file changes (its modification time or size, checked every
//! second) or on SIGHUP, the file is read and validated again. A valid policy
//! replaces the old one atomically (a `corsair::LivePolicy`: requests in flight
//! finish under the old one); an invalid one is logged, every problem of it, and
//! the old policy keeps serving.
//!
//! ```text
//! cargo run --example reload --features axum,serde -- [POLICY.json]
//! ```
//!
//! POLICY.json defaults to examples/config/cors.json (this crate's snake_case keys
//! or API Gateway's `CorsConfiguration` names). tests/reload.rs drives the same code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use axum::routing::get;
use axum::Router;
use corsair::tower::CorsLayer;
use corsair::{Config, LivePolicy, Policy};

/// Reads and validates a policy file: the policy, or one line per problem (a file
/// that cannot be read or parsed is one problem; an invalid policy lists them all).
pub fn load(path: &Path) -> Result<Policy, Vec<String>> {
    let at = |e: &dyn std::fmt::Display| vec![format!("{}: {e}", path.display())];
    let text = std::fs::read_to_string(path).map_err(|e| at(&e))?;
    let config: Config = serde_json::from_str(&text).map_err(|e| at(&e))?;
    Policy::try_from(config).map_err(|e| {
        e.problems()
            .iter()
            .map(|p| format!("{}: {p}", path.display()))
            .collect()
    })
}

/// What one look at the file did.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The file has not changed since it was last read.
    Unchanged,
    /// The file held a valid policy, which now serves.
    Replaced,
    /// The file could not be used; the old policy still serves. One line per problem.
    Kept(Vec<String>),
}

impl Outcome {
    /// What to log: nothing when unchanged, one line when replaced, every problem when kept.
    pub fn log_lines(&self, path: &Path) -> Vec<String> {
        match self {
            Outcome::Unchanged => Vec::new(),
            Outcome::Replaced => vec![format!("{}: policy replaced", path.display())],
            Outcome::Kept(problems) => std::iter::once(format!(
                "{}: invalid, the previous policy keeps serving; {} problem(s):",
                path.display(),
                problems.len()
            ))
            .chain(problems.iter().map(|p| format!("  {p}")))
            .collect(),
        }
    }
}

/// Watches one policy file and swaps each valid version of it into a `LivePolicy`.
pub struct Reloader {
    path: PathBuf,
    live: LivePolicy,
    /// The modification time and size of the version last read.
    seen: Option<(SystemTime, u64)>,
}

impl Reloader {
    /// Reads the file once: it must hold a valid policy, which the returned
    /// `LivePolicy` serves.
    pub fn start(path: impl Into<PathBuf>) -> Result<(Reloader, LivePolicy), Vec<String>> {
        let path = path.into();
        let seen = stamp(&path);
        let live = LivePolicy::new(load(&path)?);
        let reloader = Reloader {
            path,
            live: live.clone(),
            seen,
        };
        Ok((reloader, live))
    }

    /// The file watched.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the file again if its modification time or size changed.
    pub fn poll(&mut self) -> Outcome {
        let now = stamp(&self.path);
        if now.is_some() && now == self.seen {
            return Outcome::Unchanged;
        }
        self.reload()
    }

    /// Reads the file again whatever its time (SIGHUP).
    pub fn reload(&mut self) -> Outcome {
        self.seen = stamp(&self.path);
        match load(&self.path) {
            Ok(policy) => {
                self.live.replace(policy);
                Outcome::Replaced
            }
            Err(problems) => Outcome::Kept(problems),
        }
    }
}

fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// The application: one route, the live policy outermost.
pub fn app(live: LivePolicy) -> Router {
    Router::new()
        .route("/items", get(|| async { "[\"apple\", \"pear\"]\n" }))
        .layer(CorsLayer::new(live))
}

fn log(outcome: &Outcome, path: &Path) {
    for line in outcome.log_lines(path) {
        eprintln!("{line}");
    }
}

#[allow(dead_code)] // tests/reload.rs includes this file for everything but `main`.
fn main() -> ExitCode {
    let path = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/config/cors.json"));
    let (mut reloader, live) = match Reloader::start(&path) {
        Ok(started) => started,
        Err(problems) => {
            log(&Outcome::Kept(problems), &path);
            return ExitCode::FAILURE;
        }
    };
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let served = rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        println!(
            "Serving on {url} with the policy of {} (Ctrl-C to stop).",
            path.display()
        );
        println!(
            "Edit the file, or send SIGHUP (kill -HUP {}), to reload it.",
            std::process::id()
        );
        println!("  curl -i {url}/items -H 'Origin: https://app.example.com'");
        tokio::spawn(async move {
            #[cfg(unix)]
            let mut hangup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                #[cfg(unix)]
                let sighup = async {
                    match hangup.as_mut() {
                        Some(s) => s.recv().await,
                        None => std::future::pending().await,
                    }
                };
                #[cfg(not(unix))]
                let sighup = std::future::pending::<Option<()>>();
                let outcome = tokio::select! {
                    _ = tick.tick() => reloader.poll(),
                    _ = sighup => reloader.reload(),
                };
                log(&outcome, reloader.path());
            }
        });
        axum::serve(listener, app(live)).await
    });
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
