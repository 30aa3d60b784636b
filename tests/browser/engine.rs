//! The three engines behind one interface: found on disk (or a loud skip
//! naming the Debian package), versioned, and launched on a batch of pages.

use std::io::{self, Write as _};
use std::path::PathBuf;
use std::process::ExitStatus;
use std::sync::Mutex;
use std::thread;
use std::time::Duration;

use corsair_test_support::cdp::Recorder;
use serde_json::Value;

use super::process::Group;
use super::{chromium, firefox, webkit};

/// A browser engine the suite runs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EngineKind {
    /// Debian's `chromium`, headless.
    Chromium,
    /// Debian's `firefox-esr`, headless.
    Firefox,
    /// WebKitGTK's MiniBrowser under `WebKitWebDriver` (`webkit2gtk-driver`) on Xvfb.
    WebKit,
}

impl EngineKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Chromium => "Chromium",
            Self::Firefox => "Firefox",
            Self::WebKit => "WebKit",
        }
    }

    /// The Debian packages that provide it.
    pub fn packages(self) -> &'static str {
        match self {
            Self::Chromium => "chromium",
            Self::Firefox => "firefox-esr",
            Self::WebKit => "webkit2gtk-driver xvfb",
        }
    }
}

#[derive(Clone, Debug)]
enum Install {
    Chromium(PathBuf),
    Firefox(PathBuf),
    WebKit(webkit::Install),
}

/// An installed engine.
pub struct Engine {
    kind: EngineKind,
    install: Install,
    /// Known when found for Chromium and Firefox, after the first session for WebKit.
    version: Mutex<Option<String>>,
}

/// Whether `CI` is set to anything but empty, `0` or `false`.
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"))
}

impl Engine {
    /// The engine's binaries, or what is missing.
    pub fn find(kind: EngineKind) -> Result<Self, String> {
        let (install, version) = match kind {
            EngineKind::Chromium => {
                let bin = chromium::find_binary().ok_or_else(|| {
                    format!(
                        "Chromium ($CHROMIUM_BIN, {}, `chromium` on PATH)",
                        chromium::DEBIAN_BINARY
                    )
                })?;
                let version = chromium::version(&bin);
                (Install::Chromium(bin), Some(version))
            }
            EngineKind::Firefox => {
                let bin = firefox::find_binary().ok_or_else(|| {
                    format!(
                        "Firefox ($FIREFOX_BIN, {}, `firefox-esr` or `firefox` on PATH)",
                        firefox::DEBIAN_BINARY
                    )
                })?;
                let version = firefox::version(&bin);
                (Install::Firefox(bin), Some(version))
            }
            EngineKind::WebKit => (Install::WebKit(webkit::find()?), None),
        };
        Ok(Self {
            kind,
            install,
            version: Mutex::new(version),
        })
    }

    /// The engine, or `None` after a loud notice naming the package when it is
    /// missing and the suite may be skipped. In CI a missing engine is a
    /// failure, never a skip: `.ci/run` installs all three.
    pub fn find_or_skip(kind: EngineKind, suite: &str) -> Option<Self> {
        let missing = match Self::find(kind) {
            Ok(engine) => return Some(engine),
            Err(missing) => missing,
        };
        let packages = kind.packages();
        assert!(
            !in_ci(),
            "CI is set and {} is missing: not found: {missing}. `.ci/run` installs it with \
             `apt-get install -y --no-install-recommends {packages}`; the real-browser suite must run in CI",
            kind.name()
        );
        // Straight to stderr: the test harness captures `eprintln!` of passing tests.
        let _ = writeln!(
            io::stderr(),
            "\n!!! SKIPPED {suite}: {} not found: {missing}.\n\
             !!! Install it (Debian: `apt-get install --no-install-recommends {packages}`) to run the\n\
             !!! real-browser CORS suite in {}; in CI (CI=true) this is a failure.\n",
            kind.name(),
            kind.name()
        );
        None
    }

    pub fn kind(&self) -> EngineKind {
        self.kind
    }

    /// `Chromium 156.0.8078.114`, `Mozilla Firefox 153.8.0esr`, `WebKitGTK 2.50.6`.
    pub fn version(&self) -> String {
        self.version
            .lock()
            .unwrap()
            .clone()
            .unwrap_or_else(|| format!("{} (version not known before the first launch)", self.kind.name()))
    }

    /// Opens every URL: Chromium one process (and profile) per URL, Firefox
    /// and WebKit one process (one profile) with a tab per URL. Returns each
    /// launch with the indices of the URLs it shows.
    pub(crate) fn launch(&self, urls: &[String]) -> Vec<(Vec<usize>, io::Result<Launch>)> {
        let launch = |group: io::Result<Group>, lines: Vec<String>| {
            group.map(|group| Launch {
                kind: self.kind,
                group,
                lines,
                devtools: None,
            })
        };
        match &self.install {
            // Side by side: each start waits for its DevTools port and session.
            Install::Chromium(bin) => thread::scope(|scope| {
                let started: Vec<_> = urls
                    .iter()
                    .map(|url| scope.spawn(move || chromium::launch(bin, url)))
                    .collect();
                started
                    .into_iter()
                    .enumerate()
                    .map(|(i, start)| {
                        let launched = start
                            .join()
                            .unwrap_or_else(|_| Err(io::Error::other("starting Chromium panicked")))
                            .map(|l| Launch {
                                kind: self.kind,
                                group: l.group,
                                lines: l.lines,
                                devtools: Some(l.recorder),
                            });
                        (vec![i], launched)
                    })
                    .collect()
            }),
            Install::Firefox(bin) => vec![(
                (0..urls.len()).collect(),
                launch(firefox::launch(bin, urls), Vec::new()),
            )],
            Install::WebKit(install) => {
                let launched = webkit::launch(install, urls).map(|l| {
                    *self.version.lock().unwrap() = Some(l.version);
                    (l.group, l.lines)
                });
                let launched = match launched {
                    Ok((group, lines)) => launch(Ok(group), lines),
                    Err(e) => Err(e),
                };
                vec![((0..urls.len()).collect(), launched)]
            }
        }
    }

    /// The message of an output line that is a console message, if the
    /// engine prints them (WebKit's MiniBrowser does not).
    pub(crate) fn console_message(kind: EngineKind, line: &str) -> Option<&str> {
        match kind {
            EngineKind::Chromium => chromium::console_message(line),
            EngineKind::Firefox => firefox::console_message(line),
            EngineKind::WebKit => None,
        }
    }
}

/// One running engine process group, showing some of a batch's pages.
pub(crate) struct Launch {
    kind: EngineKind,
    group: Group,
    /// Output read while starting.
    lines: Vec<String>,
    /// Chromium's DevTools events, being recorded.
    devtools: Option<Recorder>,
}

/// What a launch left when it was over.
pub(crate) struct Finished {
    /// Every output line.
    pub(crate) lines: Vec<String>,
    /// Chromium's DevTools events (none for the other engines).
    pub(crate) events: Vec<Value>,
    /// Why the DevTools recording ended early, if it did.
    pub(crate) devtools_error: Option<String>,
}

impl Launch {
    /// `Some(status)` once the engine exited by itself.
    pub(crate) fn exited(&mut self) -> io::Result<Option<ExitStatus>> {
        self.group.exited()
    }

    /// Stops the DevTools recording (once every fetch it saw has settled, or
    /// 2 s), waits (briefly) until `reported` pages' last console message was
    /// printed, where the engine prints them; kills the group, removes its
    /// profile and display; returns every output line and DevTools event.
    pub(crate) fn finish(self, done_marker: &str, reported: usize) -> Finished {
        let markers = match self.kind {
            EngineKind::WebKit => 0,
            EngineKind::Chromium | EngineKind::Firefox => reported,
        };
        let (events, devtools_error) = self.devtools.map(Recorder::finish).unwrap_or_default();
        let lines = self
            .group
            .finish(self.lines, done_marker, markers, Duration::from_secs(2));
        if self.kind == EngineKind::WebKit {
            webkit::remove_display(&lines);
        }
        Finished {
            lines,
            events,
            devtools_error: devtools_error.map(|e| e.to_string()),
        }
    }
}
