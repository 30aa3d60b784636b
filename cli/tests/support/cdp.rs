//! A headless Chromium driven over the DevTools protocol: launched with a fresh
//! profile and `--remote-debugging-port=0` in a process group of its own (killed
//! as a group on drop), its page target reached over a websocket.

use std::io::{BufRead as _, BufReader};
use std::net::TcpStream;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};

use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{json, Value};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

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
                if let Some(rest) = line.split("DevTools listening on ws://").nth(1) {
                    let port = rest
                        .split('/')
                        .next()
                        .and_then(|hp| hp.rsplit(':').next())
                        .and_then(|p| p.parse::<u16>().ok());
                    if let (Some(port), Some(tx)) = (port, tx.take()) {
                        let _ = tx.send(port);
                    }
                }
            }
        });
        let port = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("Chromium printed no DevTools port within 60 s");
        Chromium { child, profile, port }
    }

    /// `GET /json/...` on the DevTools port.
    pub fn json(&self, path: &str) -> Value {
        let url = format!("http://127.0.0.1:{}/json/{path}", self.port);
        let text = reqwest::blocking::get(&url)
            .and_then(|r| r.text())
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{url}: {e}"))
    }

    /// A protocol session with the first page target.
    pub fn page(&self) -> Cdp {
        let list = self.json("list");
        let ws = list
            .as_array()
            .and_then(|l| l.iter().find(|t| t["type"] == "page"))
            .and_then(|t| t["webSocketDebuggerUrl"].as_str())
            .expect("a page target")
            .to_owned();
        let (socket, _) = tungstenite::connect(ws.as_str()).expect("DevTools websocket");
        if let MaybeTlsStream::Plain(s) = socket.get_ref() {
            s.set_read_timeout(Some(Duration::from_secs(30))).expect("read timeout");
        }
        Cdp {
            socket,
            next_id: 0,
            queued: Default::default(),
        }
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

/// One DevTools protocol session.
pub struct Cdp {
    socket: WebSocket<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    queued: std::collections::VecDeque<Value>,
}

impl Cdp {
    fn read(&mut self) -> Value {
        loop {
            match self.socket.read().expect("DevTools message (30 s hang guard)") {
                Message::Text(t) => return serde_json::from_str(t.as_str()).expect("DevTools JSON"),
                Message::Close(_) => panic!("DevTools closed the session"),
                _ => {}
            }
        }
    }

    /// Calls `method` and returns its `result`; events read meanwhile are queued.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let msg = json!({ "id": id, "method": method, "params": params });
        self.socket
            .send(Message::text(msg.to_string()))
            .expect("send to DevTools");
        loop {
            let v = self.read();
            if v["id"] == id {
                assert!(v.get("error").is_none(), "{method}: {}", v["error"]);
                return v["result"].clone();
            }
            self.queued.push_back(v);
        }
    }

    /// An event already read, if any.
    pub fn try_queued(&mut self) -> Option<Value> {
        self.queued.pop_front()
    }

    /// The next event.
    pub fn event(&mut self) -> Value {
        self.queued.pop_front().unwrap_or_else(|| self.read())
    }

    /// The next event, or `None` when none comes within the 30 s hang guard.
    pub fn next_event(&mut self) -> Option<Value> {
        if let Some(e) = self.queued.pop_front() {
            return Some(e);
        }
        loop {
            match self.socket.read() {
                Ok(Message::Text(t)) => return serde_json::from_str(t.as_str()).ok(),
                Ok(Message::Close(_)) | Err(_) => return None,
                Ok(_) => {}
            }
        }
    }
}
