//! An engine's processes: launched in a process group of their own under a
//! small watchdog shell, with a fresh profile directory (also their `HOME`),
//! their output read line by line, and killed as a whole when the load is over.

use std::ffi::OsStr;
use std::io::{self, BufRead, BufReader};
use std::os::unix::fs::PermissionsExt as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

/// Runs the engine (`"$@"`) in the background, its stdout merged into stderr,
/// and beside it a watchdog blocked reading the harness's pipe (kept on fd 3: a
/// background job's own stdin is /dev/null). At EOF, whether the harness closed
/// the pipe or its process died (a panic, Ctrl-C, a killed test binary), the
/// watchdog kills the whole process group: the shell, the engine and every
/// helper process it started. The shell exits with the engine's status if the
/// engine exits first.
const WATCHDOG: &str = r#"exec 3<&0 1>&2
"$@" </dev/null 3<&- &
engine=$!
(read -r _ <&3; kill -KILL 0) 2>&- &
exec 3<&-
wait "$engine""#;

/// A running process group. Dropping it kills the group and removes the profile.
pub(crate) struct Group {
    shell: Child,
    watchdog: Option<ChildStdin>,
    lines: Receiver<String>,
    profile: Option<TempProfile>,
}

impl Group {
    /// Starts `program args` under the watchdog, with `envs`, and `HOME` and the XDG
    /// directories inside `profile`, so nothing is written to the real home.
    pub(crate) fn spawn<I, S>(program: &Path, args: I, envs: &[(&str, &str)], profile: TempProfile) -> io::Result<Self>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let home = profile.path().join("home");
        for dir in ["", ".cache", ".config", ".local/share", "runtime"] {
            std::fs::create_dir_all(home.join(dir))?;
        }
        std::fs::set_permissions(home.join("runtime"), std::fs::Permissions::from_mode(0o700))?;
        let mut shell = Command::new("sh")
            .arg("-c")
            .arg(WATCHDOG)
            .arg("sh")
            .arg(program)
            .args(args)
            .env("HOME", &home)
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_RUNTIME_DIR", home.join("runtime"))
            // No session bus: nothing is auto-launched outside the group.
            .env("DBUS_SESSION_BUS_ADDRESS", "disabled:")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .envs(envs.iter().copied())
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

    /// `Some(status)` once the engine has exited by itself (a crash, a bad flag).
    pub(crate) fn exited(&mut self) -> io::Result<Option<ExitStatus>> {
        self.shell.try_wait()
    }

    /// The next output line, waiting at most `limit`; `None` on timeout or EOF.
    pub(crate) fn line(&self, limit: Duration) -> Option<String> {
        self.lines.recv_timeout(limit).ok()
    }

    /// Waits up to `grace` until `markers` output lines contain `marker` (the
    /// pages' last console message, so none is lost), kills the process group,
    /// and returns every output line, `earlier` ones first.
    pub(crate) fn finish(mut self, earlier: Vec<String>, marker: &str, markers: usize, grace: Duration) -> Vec<String> {
        let mut seen = earlier.iter().filter(|l| l.contains(marker)).count();
        let mut lines = earlier;
        let deadline = Instant::now() + grace;
        while seen < markers {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                break;
            };
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    seen += usize::from(line.contains(marker));
                    lines.push(line);
                }
                Err(_) => break,
            }
        }
        let pgid = self.shell.id();
        assert!(self.kill(), "processes of group {pgid} still alive 5 s after the kill");
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
                // The shell is gone (the engine exited first, or the watchdog
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

impl Drop for Group {
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

/// Whether process `pid` exists and is not a zombie.
pub(crate) fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| stat.rsplit_once(')').map(|(_, rest)| rest.trim_start().to_owned()))
        .is_some_and(|rest| !rest.starts_with('Z') && !rest.starts_with('X'))
}

/// Removes the profiles of earlier test processes that were killed before they
/// could remove their own (their engines are gone: the watchdog saw to that).
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

/// A fresh profile directory, removed on drop (after the engine is dead): no
/// HTTP cache, preflight cache or cookie is shared between launches.
pub(crate) struct TempProfile(PathBuf);

impl TempProfile {
    pub(crate) fn new() -> io::Result<Self> {
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

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempProfile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The first of `names` found as a file in a directory of `PATH`.
pub(crate) fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// `$var` taken as given (so a wrong path fails loudly; set but empty, it
/// means "not installed"), else the first existing of `defaults`, else the
/// first of `names` on `PATH`.
pub(crate) fn find(var: &str, defaults: &[PathBuf], names: &[&str]) -> Option<PathBuf> {
    if let Some(bin) = std::env::var_os(var) {
        return (!bin.is_empty()).then(|| PathBuf::from(bin));
    }
    defaults
        .iter()
        .find(|p| p.is_file())
        .cloned()
        .or_else(|| on_path(names))
}

/// Limit for a version query (`--version`), which starts no browser.
const VERSION_TIMEOUT: Duration = Duration::from_secs(10);

/// The first line `program args` prints, trimmed (a version banner); `None`
/// if it prints none within [`VERSION_TIMEOUT`] (then its process group is
/// killed: a hung binary fails the version, not the run).
pub(crate) fn first_line(program: &Path, args: &[&str]) -> Option<String> {
    let mut child = Command::new(program)
        .args(args)
        .env_remove("DISPLAY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .ok()?;
    let stdout = child.stdout.take()?;
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let line = BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .map(|l| l.trim().to_owned())
            .find(|l| !l.is_empty());
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(VERSION_TIMEOUT).ok().flatten();
    let pgid = child.id();
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{pgid}")])
        .stderr(Stdio::null())
        .status();
    let _ = child.wait();
    line
}
