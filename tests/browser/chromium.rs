//! Chromium: one headless process, with a fresh `--user-data-dir`, per page.

use std::io;
use std::path::{Path, PathBuf};

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
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .chain([format!("--user-data-dir={}", profile.display())])
    .collect()
}

/// Starts `binary` on `url` with a fresh profile.
pub(crate) fn launch(binary: &Path, url: &str) -> io::Result<Group> {
    let profile = TempProfile::new()?;
    let dir = profile.path().join("user-data");
    std::fs::create_dir(&dir)?;
    Group::spawn(binary, args(&dir).into_iter().chain([url.to_owned()]), &[], profile)
}

/// The message of a console line Chromium logged with `--enable-logging`:
/// `[pid:tid:time:INFO:CONSOLE:0] "message", source: url (line)`.
pub(crate) fn console_message(line: &str) -> Option<&str> {
    let rest = &line[line.find(":CONSOLE")?..];
    let rest = &rest[rest.find("] \"")? + 3..];
    Some(&rest[..rest.rfind("\", source: ")?])
}
