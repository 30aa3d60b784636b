//! A headless Chromium driven over the DevTools protocol: launched with a fresh
//! profile and `--remote-debugging-port=0` in a process group of its own (killed
//! as a group on drop), its page target reached over a websocket with the
//! protocol client the root browser suite uses too (`corsair_test_support::cdp`).

use std::io::{BufRead as _, BufReader};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};

use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub use corsair_test_support::cdp::Cdp;
use corsair_test_support::cdp::{devtools_port, get_json};
use serde_json::Value;

/// Debian's real binary (`/usr/bin/chromium` is a wrapper script).
const DEBIAN_BINARY: &str = "/usr/lib/chromium/chromium";

/// `$CHROMIUM_BIN` (empty: none), else Debian's binary, else `chromium` on `PATH`:
/// the root browser suite's rule (tests/browser/chromium.rs), kept here so this
/// package's tests build from its own files.
fn find_binary() -> Option<PathBuf> {
    if let Some(bin) = std::env::var_os("CHROMIUM_BIN") {
        return (!bin.is_empty()).then(|| PathBuf::from(bin));
    }
    let debian = PathBuf::from(DEBIAN_BINARY);
    if debian.is_file() {
        return Some(debian);
    }
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join("chromium"))
        .find(|p| p.is_file())
}

/// The binary, or `None` after a loud notice; in CI (`CI` set, not `0`/`false`) a missing Chromium fails.
pub fn chromium_or_skip(suite: &str) -> Option<PathBuf> {
    if let Some(p) = find_binary() {
        return Some(p);
    }
    let in_ci = std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"));
    assert!(!in_ci, "CI is set and Chromium was not found ($CHROMIUM_BIN, {DEBIAN_BINARY}, `chromium` on PATH): the browser suite must run in CI");
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr(),
        "\n!!! SKIPPED {suite}: Chromium not found ($CHROMIUM_BIN, {DEBIAN_BINARY}, `chromium` on PATH).\n!!! Install it (Debian: `apt-get install chromium`); in CI (CI=true) this is a failure.\n"
    );
    None
}

/// A running Chromium; dropping it kills its process group and removes the profile.
pub struct Chromium {
    child: Child,
    profile: PathBuf,
    /// The DevTools HTTP port.
    pub port: u16,
}

impl Chromium {
    /// Launches `binary` headless on `about:blank` and waits for its DevTools port.
    pub fn launch(binary: &Path) -> Chromium {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let profile = std::env::temp_dir().join(format!("corsair-cli-chromium-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&profile);
        std::fs::create_dir_all(&profile).expect("profile directory");
        let mut child = Command::new(binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--disable-quic",
                "--mute-audio",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .expect("launch Chromium");
        let stderr = child.stderr.take().expect("stderr is piped");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(port) = devtools_port(&line) {
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(port);
                    }
                }
            }
        });
        // Owned before the wait, so that a panic below still kills the group.
        let mut chromium = Chromium {
            child,
            profile,
            port: 0,
        };
        chromium.port = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("Chromium printed no DevTools port within 60 s");
        chromium
    }

    /// `GET /json/...` on the DevTools port.
    pub fn json(&self, path: &str) -> Value {
        get_json(self.port, path).unwrap_or_else(|e| panic!("{e}"))
    }

    /// A protocol session with the first page target.
    pub fn page(&self) -> Cdp {
        Cdp::page(self.port).unwrap_or_else(|e| panic!("{e}"))
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        // The group id is the child's pid (process_group(0)): only what this test started.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
