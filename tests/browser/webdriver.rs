//! Just enough of a W3C WebDriver client for `WebKitWebDriver`: JSON over
//! plain HTTP/1.1 on loopback, one connection per command (`Connection:
//! close`), every read and write under a time limit.

use std::io::{self, Read as _, Write as _};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::time::Duration;

use serde_json::{json, Value};

/// Limit for one command: connecting, sending, and reading the whole answer.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(15);

/// A WebDriver server on `127.0.0.1:port`.
pub(crate) struct Driver {
    port: u16,
}

/// A session: one browser started by the driver.
pub(crate) struct Session<'a> {
    driver: &'a Driver,
    id: String,
    /// `browserVersion` from the new session's capabilities.
    pub(crate) version: String,
}

impl Driver {
    pub(crate) fn new(port: u16) -> Self {
        Self { port }
    }

    /// Whether the server answers `GET /status` (with anything: it says
    /// `ready: false` once a session exists).
    pub(crate) fn answers(&self) -> bool {
        self.command("GET", "/status", None).is_ok()
    }

    /// `POST /session` with `capabilities` as `alwaysMatch`.
    pub(crate) fn new_session(&self, capabilities: Value) -> io::Result<Session<'_>> {
        let value = self.command(
            "POST",
            "/session",
            Some(&json!({ "capabilities": { "alwaysMatch": capabilities } })),
        )?;
        let id = value
            .get("sessionId")
            .and_then(Value::as_str)
            .ok_or_else(|| bad(format!("no sessionId in {value}")))?;
        let version = value
            .pointer("/capabilities/browserVersion")
            .and_then(Value::as_str)
            .unwrap_or("unknown");
        Ok(Session {
            driver: self,
            id: id.to_owned(),
            version: version.to_owned(),
        })
    }

    /// Sends one command and returns its `value`, or an error naming the
    /// WebDriver error code and message.
    fn command(&self, method: &str, path: &str, body: Option<&Value>) -> io::Result<Value> {
        self.exchange(method, path, body).map_err(|e| match e.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => io::Error::new(
                io::ErrorKind::TimedOut,
                format!("WebDriver: {method} {path}: no answer within {COMMAND_TIMEOUT:?}"),
            ),
            _ if e.to_string().starts_with("WebDriver") => e,
            _ => io::Error::new(e.kind(), format!("WebDriver: {method} {path}: {e}")),
        })
    }

    fn exchange(&self, method: &str, path: &str, body: Option<&Value>) -> io::Result<Value> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let mut stream = TcpStream::connect_timeout(&addr, COMMAND_TIMEOUT)?;
        stream.set_read_timeout(Some(COMMAND_TIMEOUT))?;
        stream.set_write_timeout(Some(COMMAND_TIMEOUT))?;
        let body = body.map(Value::to_string).unwrap_or_default();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json; charset=utf-8\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        )?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer)?;
        let (status, body) = parse_response(&answer)?;
        let value: Value =
            serde_json::from_slice(&body).map_err(|e| bad(format!("{method} {path}: {status}, not JSON: {e}")))?;
        let value = value.get("value").cloned().unwrap_or(Value::Null);
        if !(200..300).contains(&status) || value.get("error").is_some() {
            return Err(bad(format!("{method} {path}: {status} {value}")));
        }
        Ok(value)
    }
}

impl Session<'_> {
    /// Navigates the current window; with `pageLoadStrategy: none` it returns
    /// as soon as the navigation has started.
    pub(crate) fn navigate(&self, url: &str) -> io::Result<()> {
        self.command("POST", "url", json!({ "url": url })).map(drop)
    }

    /// Opens a new tab and makes it the current window.
    pub(crate) fn new_tab(&self) -> io::Result<()> {
        let value = self.command("POST", "window/new", json!({ "type": "tab" }))?;
        let handle = value
            .get("handle")
            .and_then(Value::as_str)
            .ok_or_else(|| bad(format!("no handle in {value}")))?;
        self.command("POST", "window", json!({ "handle": handle })).map(drop)
    }

    fn command(&self, method: &str, path: &str, body: Value) -> io::Result<Value> {
        self.driver
            .command(method, &format!("/session/{}/{path}", self.id), Some(&body))
    }
}

fn bad(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("WebDriver: {message}"))
}

/// The status code and body of an HTTP/1.1 response read to EOF, with the
/// body's chunked transfer coding removed.
fn parse_response(bytes: &[u8]) -> io::Result<(u16, Vec<u8>)> {
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad("response without a header end".to_owned()))?;
    let head = String::from_utf8_lossy(&bytes[..split]);
    let body = &bytes[split + 4..];
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad(format!("bad status line in {head}")))?;
    let chunked = head.lines().any(|line| {
        line.split_once(':').is_some_and(|(name, value)| {
            name.trim().eq_ignore_ascii_case("transfer-encoding") && value.to_ascii_lowercase().contains("chunked")
        })
    });
    if !chunked {
        return Ok((status, body.to_vec()));
    }
    let mut out = Vec::new();
    let mut rest = body;
    loop {
        let line_end = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or_else(|| bad("truncated chunk size".to_owned()))?;
        let size = std::str::from_utf8(&rest[..line_end])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next().unwrap_or("").trim(), 16).ok())
            .ok_or_else(|| bad("bad chunk size".to_owned()))?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Ok((status, out));
        }
        let chunk = rest.get(..size).ok_or_else(|| bad("truncated chunk".to_owned()))?;
        out.extend_from_slice(chunk);
        rest = rest.get(size + 2..).unwrap_or_default();
    }
}

#[cfg(test)]
mod tests {
    use super::parse_response;

    #[test]
    fn a_response_with_a_length_is_read_as_is() {
        let raw = b"HTTP/1.1 200 OK\r\nContent-Length: 14\r\n\r\n{\"value\":null}";
        assert_eq!(parse_response(raw).unwrap(), (200, b"{\"value\":null}".to_vec()));
    }

    #[test]
    fn a_chunked_response_is_decoded() {
        let raw = b"HTTP/1.1 404 Not Found\r\ntransfer-encoding: Chunked\r\n\r\n5\r\n{\"val\r\n9;x=1\r\nue\":null}\r\n0\r\n\r\n";
        assert_eq!(parse_response(raw).unwrap(), (404, b"{\"value\":null}".to_vec()));
    }

    #[test]
    fn a_truncated_response_is_an_error() {
        assert!(parse_response(b"HTTP/1.1 200 OK\r\nContent-Length: 3").is_err());
        assert!(parse_response(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nff\r\nabc").is_err());
        assert!(parse_response(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").is_err());
    }
}
