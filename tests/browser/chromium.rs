//! Chromium: one headless process, with a fresh `--user-data-dir`, per page,
//! driven over the DevTools protocol: started on `about:blank`, its page's
//! `Network` domain enabled, then sent to the page, so that every event of the
//! page's fetches (Chromium's own `corsErrorStatus` included) is recorded.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use corsair_test_support::cdp::{self, Cdp, Recorder};
use serde_json::json;

use super::process::{self, Group, TempProfile};

/// Debian's real binary. `/usr/bin/chromium` is a shell wrapper that sources
/// `/etc/chromium.d/*` (extension flags, API keys), so the harness skips it.
pub(crate) const DEBIAN_BINARY: &str = "/usr/lib/chromium/chromium";

/// `$CHROMIUM_BIN`, else Debian's real binary, else `chromium` on `PATH`.
pub(crate) fn find_binary() -> Option<PathBuf> {
    process::find("CHROMIUM_BIN", &[PathBuf::from(DEBIAN_BINARY)], &["chromium"])
}

/// `Chromium 156.0.8078.114`.
pub(crate) fn version(binary: &Path) -> String {
    process::first_line(binary, &["--version"]).unwrap_or_else(|| "Chromium (version unknown)".to_owned())
}

/// The flags the suite's issue asks for, plus a few that keep a headless run
/// quiet and deterministic. None is needed for a page on one loopback origin to
/// fetch another: no Private or Local Network Access check applies between
/// loopback addresses (see README.md).
fn args(profile: &Path) -> Vec<String> {
    [
        "--headless",
        "--no-sandbox", // root in a container: the setuid/namespace sandbox cannot start
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-quic",
        "--mute-audio",
        // Console messages, Chromium's CORS error text included, on stderr.
        "--enable-logging=stderr",
        // The DevTools protocol on a free port, printed on stderr.
        "--remote-debugging-port=0",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .chain([format!("--user-data-dir={}", profile.display())])
    .collect()
}

/// How long Chromium may take to print its DevTools port.
const DEVTOOLS_TIMEOUT: Duration = Duration::from_secs(30);

/// A Chromium showing one page, its DevTools events being recorded.
pub(crate) struct Launched {
    pub(crate) group: Group,
    /// Output read while starting.
    pub(crate) lines: Vec<String>,
    pub(crate) recorder: Recorder,
}

/// Starts `binary` with a fresh profile on `about:blank`, enables the page's
/// `Network` domain over the DevTools protocol, then navigates it to `url`.
pub(crate) fn launch(binary: &Path, url: &str) -> io::Result<Launched> {
    let profile = TempProfile::new()?;
    let dir = profile.path().join("user-data");
    std::fs::create_dir(&dir)?;
    let group = Group::spawn(
        binary,
        args(&dir).into_iter().chain(["about:blank".to_owned()]),
        &[],
        profile,
    )?;
    let mut lines = Vec::new();
    let deadline = Instant::now() + DEVTOOLS_TIMEOUT;
    let port = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let Some(line) = group.line(left) else {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "Chromium printed no `DevTools listening on` line within {DEVTOOLS_TIMEOUT:?}; output:\n{}",
                    lines.join("\n")
                ),
            ));
        };
        let port = cdp::devtools_port(&line);
        lines.push(line);
        if let Some(port) = port {
            break port;
        }
    };
    let mut page = Cdp::page(port)?;
    page.call("Network.enable", json!({}))?;
    page.call("Page.navigate", json!({ "url": url }))?;
    Ok(Launched {
        group,
        lines,
        recorder: page.record(),
    })
}

/// The message of a console line Chromium logged with `--enable-logging`:
/// `[pid:tid:time:INFO:CONSOLE:0] "message", source: url (line)`.
pub(crate) fn console_message(line: &str) -> Option<&str> {
    let rest = &line[line.find(":CONSOLE")?..];
    let rest = &rest[rest.find("] \"")? + 3..];
    Some(&rest[..rest.rfind("\", source: ")?])
}
