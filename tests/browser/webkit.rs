//! WebKitGTK: `MiniBrowser` driven by `WebKitWebDriver` (Debian's
//! `webkit2gtk-driver`) on a private `Xvfb` display, one WebDriver session per
//! batch of pages, one tab each. Xvfb, the driver, MiniBrowser and WebKit's
//! web and network processes share one process group under the watchdog.

use std::io;
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::json;

use super::process::{self, Group, TempProfile};
use super::webdriver::Driver;

/// What the WebKit runner needs, all found on disk.
#[derive(Clone, Debug)]
pub(crate) struct Install {
    pub(crate) driver: PathBuf,
    pub(crate) minibrowser: PathBuf,
    pub(crate) xvfb: PathBuf,
}

/// `$WEBKIT_WEBDRIVER_BIN`, `$MINIBROWSER_BIN` and `$XVFB_BIN`, else Debian's
/// paths (MiniBrowser lives in `/usr/lib/<multiarch>/webkit2gtk-4.*/`), else
/// `PATH`. `Err` names what is missing.
pub(crate) fn find() -> Result<Install, String> {
    let driver = process::find(
        "WEBKIT_WEBDRIVER_BIN",
        &[PathBuf::from("/usr/bin/WebKitWebDriver")],
        &["WebKitWebDriver"],
    );
    let minibrowser = process::find("MINIBROWSER_BIN", &debian_minibrowsers(), &["MiniBrowser"]);
    let xvfb = process::find("XVFB_BIN", &[PathBuf::from("/usr/bin/Xvfb")], &["Xvfb"]);
    match (driver, minibrowser, xvfb) {
        (Some(driver), Some(minibrowser), Some(xvfb)) => Ok(Install {
            driver,
            minibrowser,
            xvfb,
        }),
        (driver, minibrowser, xvfb) => {
            let missing: Vec<&str> = [
                (
                    driver.is_none(),
                    "WebKitWebDriver ($WEBKIT_WEBDRIVER_BIN, /usr/bin, PATH)",
                ),
                (
                    minibrowser.is_none(),
                    "MiniBrowser ($MINIBROWSER_BIN, /usr/lib/*/webkit2gtk-4.*/)",
                ),
                (xvfb.is_none(), "Xvfb ($XVFB_BIN, /usr/bin, PATH)"),
            ]
            .into_iter()
            .filter_map(|(missing, what)| missing.then_some(what))
            .collect();
            Err(missing.join(", "))
        }
    }
}

/// `/usr/lib/<multiarch>/webkit2gtk-4.<n>/MiniBrowser`, newest API version first.
fn debian_minibrowsers() -> Vec<PathBuf> {
    let mut found = Vec::new();
    for lib in std::fs::read_dir("/usr/lib").into_iter().flatten().flatten() {
        for dir in std::fs::read_dir(lib.path()).into_iter().flatten().flatten() {
            if dir.file_name().to_str().is_some_and(|n| n.starts_with("webkit2gtk-4.")) {
                found.push(dir.path().join("MiniBrowser"));
            }
        }
    }
    found.sort();
    found.reverse();
    found
}

/// Starts Xvfb on the first free display (`-displayfd` writes its number),
/// then the driver on that display; the display is logged as a marker line.
const LAUNCH: &str = r#"xvfb=$1 driver=$2 port=$3
"$xvfb" -displayfd 1 -nolisten tcp -screen 0 1024x768x24 | {
    read -r display || exit 1
    echo "[cors-browser] display :$display" >&2
    DISPLAY=":$display" GDK_BACKEND=x11 exec "$driver" --port="$port" --host=local
}"#;

const DISPLAY_MARKER: &str = "[cors-browser] display :";

/// Limit for Xvfb and the driver to come up.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(15);

/// A running driver with a session showing the URLs, one tab each.
pub(crate) struct Launched {
    pub(crate) group: Group,
    /// Output read while starting (the display marker among it).
    pub(crate) lines: Vec<String>,
    /// `WebKitGTK 2.50.6`, from the session's capabilities.
    pub(crate) version: String,
}

/// Starts Xvfb, the driver and a MiniBrowser session, and opens every URL in a
/// tab of its own (`pageLoadStrategy: none`: the pages load side by side).
pub(crate) fn launch(install: &Install, urls: &[String]) -> io::Result<Launched> {
    let profile = TempProfile::new()?;
    let port = free_port()?;
    let mut group = Group::spawn(
        Path::new("sh"),
        [
            "-c".as_ref(),
            LAUNCH.as_ref(),
            "sh".as_ref(),
            install.xvfb.as_os_str(),
            install.driver.as_os_str(),
            port.to_string().as_ref(),
        ],
        &[],
        profile,
    )?;
    let mut lines = Vec::new();
    let driver = Driver::new(port);
    let deadline = Instant::now() + STARTUP_TIMEOUT;
    let mut started = || -> io::Result<String> {
        while !driver.answers() {
            if let Some(status) = group.exited()? {
                return Err(io::Error::other(format!("Xvfb or WebKitWebDriver exited ({status})")));
            }
            if Instant::now() >= deadline {
                return Err(io::Error::other(format!(
                    "WebKitWebDriver did not answer on port {port} within {STARTUP_TIMEOUT:?}"
                )));
            }
            while let Some(line) = group.line(Duration::from_millis(20)) {
                lines.push(line);
            }
        }
        let session = driver.new_session(json!({
            "pageLoadStrategy": "none",
            "webkitgtk:browserOptions": {
                "binary": install.minibrowser,
                "args": ["--automation"],
            },
        }))?;
        for (i, url) in urls.iter().enumerate() {
            if i > 0 {
                session.new_tab()?;
            }
            session.navigate(url)?;
        }
        Ok(session.version)
    };
    match started() {
        Ok(version) => Ok(Launched {
            group,
            lines,
            version: format!("WebKitGTK {version}"),
        }),
        Err(e) => {
            let lines = group.finish(lines, DISPLAY_MARKER, 0, Duration::ZERO);
            remove_display(&lines);
            let tail = lines[lines.len().saturating_sub(10)..].join("\n");
            Err(io::Error::new(e.kind(), format!("{e}; output tail:\n{tail}")))
        }
    }
}

/// An unused loopback port for the driver (closed again before the driver
/// binds it; nothing else on the machine takes ephemeral ports that fast).
fn free_port() -> io::Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?.local_addr()?.port())
}

/// Removes the display's lock file and socket, which Xvfb leaves behind when
/// killed; only once the Xvfb process named in the lock is gone.
pub(crate) fn remove_display(lines: &[String]) {
    let Some(display) = lines
        .iter()
        .find_map(|l| l.split_once(DISPLAY_MARKER))
        .and_then(|(_, n)| n.trim().parse::<u32>().ok())
    else {
        return;
    };
    let lock = PathBuf::from(format!("/tmp/.X{display}-lock"));
    let owner = std::fs::read_to_string(&lock)
        .ok()
        .and_then(|pid| pid.trim().parse::<u32>().ok());
    for _ in 0..100 {
        if !owner.is_some_and(process::alive) {
            break;
        }
        thread::sleep(Duration::from_millis(10));
    }
    if owner.is_some_and(process::alive) {
        return;
    }
    let _ = std::fs::remove_file(lock);
    let _ = std::fs::remove_file(format!("/tmp/.X11-unix/X{display}"));
}
