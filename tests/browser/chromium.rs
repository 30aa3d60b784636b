//! One headless Chromium per page load: found on disk, launched with a fresh
//! profile in a process group of its own under a small watchdog shell, its
//! console read from stderr, and killed as a whole when the load is over.

use std::io::{self, BufRead, BufReader};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

/// Debian's real binary. `/usr/bin/chromium` is a shell wrapper that sources
/// `/etc/chromium.d/*` (extension flags, API keys), so the harness skips it.
pub(crate) const DEBIAN_BINARY: &str = "/usr/lib/chromium/chromium";

/// `$CHROMIUM_BIN` (taken as given, so a wrong path fails loudly; set but
/// empty, it means "no Chromium"), else Debian's real binary, else `chromium`
/// on `PATH`; `None` if there is none.
pub(crate) fn find_binary() -> Option<PathBuf> {
    if let Some(bin) = std::env::var_os("CHROMIUM_BIN") {
        return (!bin.is_empty()).then(|| PathBuf::from(bin));
    }
    let debian = PathBuf::from(DEBIAN_BINARY);
    if debian.is_file() {
        return Some(debian);
    }
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join("chromium"))
        .find(|path| path.is_file())
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

/// Runs Chromium (`"$@"`) in the background, and beside it a watchdog blocked
/// reading the harness's pipe (kept on fd 3: a background job's own stdin is
/// /dev/null). At EOF, whether the harness closed the pipe or its process died
/// (a panic, Ctrl-C, a killed test binary), the watchdog kills the whole
/// process group: the shell, Chromium and its zygote, renderer and network
/// processes. The shell exits with Chromium's status if Chromium exits first.
const WATCHDOG: &str = r#"exec 3<&0
"$@" </dev/null 3<&- &
chromium=$!
(read -r _ <&3; kill -KILL 0) 2>&- &
exec 3<&-
wait "$chromium""#;

/// A running Chromium. Dropping it kills the process group and removes the profile.
pub(crate) struct Session {
    shell: Child,
    watchdog: Option<ChildStdin>,
    lines: Receiver<String>,
    profile: Option<TempProfile>,
}

impl Session {
    /// Starts `binary` on `url` with a fresh profile.
    pub(crate) fn launch(binary: &Path, url: &str) -> io::Result<Self> {
        let profile = TempProfile::new()?;
        let mut shell = Command::new("sh")
            .arg("-c")
            .arg(WATCHDOG)
            .arg("sh")
            .arg(binary)
            .args(args(profile.path()))
            .arg(url)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()?;
        let watchdog = shell.stdin.take();
        let stderr = shell.stderr.take().expect("stderr is piped");
        let (tx, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Self {
            shell,
            watchdog,
            lines,
            profile: Some(profile),
        })
    }

    /// `Some(status)` once Chromium has exited by itself (a crash, a bad flag).
    pub(crate) fn exited(&mut self) -> io::Result<Option<ExitStatus>> {
        self.shell.try_wait()
    }

    /// Waits up to `grace` for a stderr line containing `marker` (the page's
    /// last console message, so none is lost), kills the process group, and
    /// returns every stderr line.
    pub(crate) fn finish(mut self, marker: &str, grace: Duration) -> Vec<String> {
        let mut lines = Vec::new();
        let deadline = Instant::now() + grace;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let done = line.contains(marker);
                    lines.push(line);
                    if done {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
        let pgid = self.shell.id();
        assert!(
            self.kill(),
            "Chromium processes of group {pgid} still alive 5 s after the kill"
        );
        // Every writer is dead, so the pipe is closed; the limit guards against a
        // process that escaped the group and kept the write end.
        let deadline = Instant::now() + Duration::from_secs(1);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => lines.push(line),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
            }
        }
        lines
    }

    /// Closes the watchdog's pipe (it kills the group), reaps the shell, waits
    /// until no process of the group is left, then removes the profile. Returns
    /// whether the group is gone.
    fn kill(&mut self) -> bool {
        drop(self.watchdog.take());
        let pgid = self.shell.id();
        let deadline = Instant::now() + Duration::from_secs(5);
        while group_alive(pgid) && Instant::now() < deadline {
            if let Ok(Some(_)) = self.shell.try_wait() {
                // The shell is gone (Chromium exited first, or the watchdog
                // already fired): kill whatever is left of the group directly.
                let _ = Command::new("kill")
                    .args(["-KILL", "--", &format!("-{pgid}")])
                    .stderr(Stdio::null())
                    .status();
            }
            thread::sleep(Duration::from_millis(5));
        }
        let _ = self.shell.kill();
        let _ = self.shell.wait();
        let gone = !group_alive(pgid);
        drop(self.profile.take());
        gone
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if self.profile.is_some() {
            self.kill();
        }
    }
}

/// Whether any live (not zombie) process is in process group `pgid`, read from
/// `/proc/<pid>/stat` (fields after the command name: state, ppid, pgrp).
fn group_alive(pgid: u32) -> bool {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return false;
    };
    entries.flatten().any(|entry| {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            return false;
        };
        let Some((_, rest)) = stat.rsplit_once(')') else {
            return false;
        };
        let mut fields = rest.split_whitespace();
        let state = fields.next();
        let pgrp = fields.nth(1);
        state != Some("Z") && state != Some("X") && pgrp == Some(pgid.to_string().as_str())
    })
}

/// The message of a console line Chromium logged with `--enable-logging`:
/// `[pid:tid:time:INFO:CONSOLE:0] "message", source: url (line)`.
pub(crate) fn console_message(line: &str) -> Option<&str> {
    let rest = &line[line.find(":CONSOLE")?..];
    let rest = &rest[rest.find("] \"")? + 3..];
    Some(&rest[..rest.rfind("\", source: ")?])
}

/// Removes the profiles of earlier test processes that were killed before they
/// could remove their own (their Chromium is gone: the watchdog saw to that).
pub(crate) fn remove_stale_profiles() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(PROFILE_PREFIX))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

const PROFILE_PREFIX: &str = "cors-browser-";

/// A fresh `--user-data-dir`, removed on drop (after Chromium is dead): no
/// HTTP cache, preflight cache or cookie is shared between page loads.
struct TempProfile(PathBuf);

impl TempProfile {
    fn new() -> io::Result<Self> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        loop {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let dir = std::env::temp_dir().join(format!("{PROFILE_PREFIX}{}-{n}", std::process::id()));
            match std::fs::create_dir(&dir) {
                Ok(()) => return Ok(Self(dir)),
                // Left by a killed process that had our pid: take the next name.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e),
            }
        }
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempProfile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
