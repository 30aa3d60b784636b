//! Just enough of the Chrome DevTools protocol for the suites that drive Chromium:
//! the DevTools port Chromium prints, its `/json/...` HTTP endpoints, a session
//! with a page target over a websocket, a recorder that collects a page's events
//! on a thread of its own, and the fetches (with Chromium's own CORS error) read
//! back from those events.
//!
//! Launching Chromium is each suite's own business (the root suite runs it under
//! its watchdog); start it with `--remote-debugging-port=0` and hand the stderr
//! line `DevTools listening on ws://...` to [`devtools_port`].

use std::collections::{HashMap, VecDeque};
use std::io::{self, Read as _, Write as _};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tungstenite::{Message, WebSocket};

/// The port of Chromium's stderr line `DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID`.
pub fn devtools_port(line: &str) -> Option<u16> {
    let rest = line.split("DevTools listening on ws://").nth(1)?;
    rest.split('/').next()?.rsplit(':').next()?.parse().ok()
}

/// Limit for one exchange with the DevTools HTTP endpoint.
const HTTP_TIMEOUT: Duration = Duration::from_secs(15);

fn bad(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// `GET /json/{path}` on the DevTools port of `127.0.0.1:port`, parsed. Chromium
/// answers with a `Content-Length` and keeps the connection open, so the body is
/// read to that length.
pub fn get_json(port: u16, path: &str) -> io::Result<Value> {
    let what = format!("DevTools http://127.0.0.1:{port}/json/{path}");
    let exchange = || -> io::Result<(String, Vec<u8>)> {
        let mut stream = TcpStream::connect_timeout(&SocketAddr::from((Ipv4Addr::LOCALHOST, port)), HTTP_TIMEOUT)?;
        stream.set_read_timeout(Some(HTTP_TIMEOUT))?;
        stream.set_write_timeout(Some(HTTP_TIMEOUT))?;
        write!(stream, "GET /json/{path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n")?;
        let mut answer = Vec::new();
        let mut buf = [0u8; 16 * 1024];
        loop {
            if let Some(split) = answer.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&answer[..split]).into_owned();
                let length = head
                    .lines()
                    .filter_map(|l| l.split_once(':'))
                    .find(|(n, _)| n.trim().eq_ignore_ascii_case("content-length"))
                    .and_then(|(_, v)| v.trim().parse::<usize>().ok())
                    .ok_or_else(|| bad(format!("no Content-Length in {head:?}")))?;
                if answer.len() >= split + 4 + length {
                    return Ok((head, answer[split + 4..split + 4 + length].to_vec()));
                }
            }
            match stream.read(&mut buf)? {
                0 => return Err(bad("the connection closed before the whole answer".to_owned())),
                n => answer.extend_from_slice(&buf[..n]),
            }
        }
    };
    let (head, body) = exchange().map_err(|e| io::Error::new(e.kind(), format!("{what}: {e}")))?;
    if head.split_whitespace().nth(1) != Some("200") {
        return Err(bad(format!("{what}: {}", head.lines().next().unwrap_or_default())));
    }
    serde_json::from_slice(&body).map_err(|e| bad(format!("{what}: not JSON: {e}")))
}

/// A protocol session with one target.
pub struct Cdp {
    socket: WebSocket<TcpStream>,
    next_id: u64,
    queued: VecDeque<Value>,
}

/// Limit for a call's answer, and for [`Cdp::event`].
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

impl Cdp {
    /// A session with the first page target of the Chromium whose DevTools port
    /// is `port`; waits up to 10 s for the target to be listed.
    pub fn page(port: u16) -> io::Result<Cdp> {
        let deadline = Instant::now() + Duration::from_secs(10);
        let ws = loop {
            let list = get_json(port, "list")?;
            let page = list
                .as_array()
                .and_then(|l| l.iter().find(|t| t["type"] == "page"))
                .and_then(|t| t["webSocketDebuggerUrl"].as_str());
            match page {
                Some(ws) => break ws.to_owned(),
                None if Instant::now() < deadline => thread::sleep(Duration::from_millis(50)),
                None => return Err(bad(format!("DevTools port {port}: no page target in {list}"))),
            }
        };
        // Connected and shaken hands under time limits: a Chromium that accepts
        // the connection and never answers fails the session, never hangs it.
        let stream = TcpStream::connect_timeout(&SocketAddr::from((Ipv4Addr::LOCALHOST, port)), HTTP_TIMEOUT)?;
        stream.set_read_timeout(Some(CALL_TIMEOUT))?;
        stream.set_write_timeout(Some(CALL_TIMEOUT))?;
        let (socket, _) = tungstenite::client(ws.as_str(), stream)
            .map_err(|e| io::Error::other(format!("DevTools websocket {ws}: {e}")))?;
        Ok(Cdp {
            socket,
            next_id: 0,
            queued: VecDeque::new(),
        })
    }

    fn set_read_timeout(&self, limit: Duration) -> io::Result<()> {
        self.socket.get_ref().set_read_timeout(Some(limit))
    }

    /// The next message; `Ok(None)` when the read timeout passed first.
    fn read(&mut self) -> io::Result<Option<Value>> {
        loop {
            match self.socket.read() {
                Ok(Message::Text(t)) => {
                    return serde_json::from_str(t.as_str())
                        .map(Some)
                        .map_err(|e| bad(format!("DevTools sent a message that is not JSON: {e}")))
                }
                Ok(Message::Close(_)) => {
                    return Err(io::Error::new(
                        io::ErrorKind::ConnectionAborted,
                        "DevTools closed the session",
                    ))
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) =>
                {
                    return Ok(None)
                }
                Err(e) => return Err(io::Error::other(format!("DevTools websocket: {e}"))),
            }
        }
    }

    /// Calls `method` and returns its `result`; events read meanwhile are queued.
    /// An `error` answer is an error naming the method.
    pub fn call(&mut self, method: &str, params: Value) -> io::Result<Value> {
        self.next_id += 1;
        let id = self.next_id;
        let msg = json!({ "id": id, "method": method, "params": params });
        self.socket
            .send(Message::text(msg.to_string()))
            .map_err(|e| io::Error::other(format!("DevTools: sending {method}: {e}")))?;
        let deadline = Instant::now() + CALL_TIMEOUT;
        loop {
            match self.read()? {
                Some(v) if v["id"] == id => {
                    if let Some(error) = v.get("error") {
                        return Err(io::Error::other(format!("DevTools: {method}: {error}")));
                    }
                    return Ok(v["result"].clone());
                }
                Some(v) => self.queued.push_back(v),
                None if Instant::now() < deadline => {}
                None => {
                    return Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        format!("DevTools: no answer to {method} within {CALL_TIMEOUT:?}"),
                    ))
                }
            }
        }
    }

    /// An event already read, if any.
    pub fn try_queued(&mut self) -> Option<Value> {
        self.queued.pop_front()
    }

    /// The next event, or `None` when none comes within 30 s or the session ended.
    pub fn event(&mut self) -> Option<Value> {
        self.queued.pop_front().or_else(|| self.read().ok().flatten())
    }

    /// Reads every event on a thread of its own until [`Recorder::finish`].
    pub fn record(mut self) -> Recorder {
        let (stop, stopped) = mpsc::channel();
        let thread = thread::spawn(move || {
            let _ = self.set_read_timeout(Duration::from_millis(50));
            let mut events: Vec<Value> = self.queued.drain(..).collect();
            let error = self.record_until(&stopped, &mut events).err();
            (events, error)
        });
        Recorder { stop, thread }
    }

    fn record_until(&mut self, stopped: &Receiver<()>, events: &mut Vec<Value>) -> io::Result<()> {
        while let Err(TryRecvError::Empty) = stopped.try_recv() {
            events.extend(self.read()?);
        }
        // An answer comes after every event the target sent before it.
        self.call("Runtime.evaluate", json!({ "expression": "0" }))?;
        events.extend(self.queued.drain(..));
        // Then up to 2 s more for fetches whose last event is still on its way.
        let deadline = Instant::now() + Duration::from_secs(2);
        while fetches(events).iter().any(|f| !f.settled) && Instant::now() < deadline {
            events.extend(self.read()?);
        }
        Ok(())
    }
}

/// A session's events, collected on a thread of its own.
pub struct Recorder {
    stop: Sender<()>,
    thread: JoinHandle<(Vec<Value>, Option<io::Error>)>,
}

impl Recorder {
    /// Stops recording and returns every event, with the error that ended the
    /// recording early, if one did (the events before it are kept).
    pub fn finish(self) -> (Vec<Value>, Option<io::Error>) {
        let _ = self.stop.send(());
        self.thread
            .join()
            .unwrap_or_else(|_| (Vec::new(), Some(io::Error::other("the DevTools recorder panicked"))))
    }
}

/// One `fetch()` (or XHR) as the Network domain reported it: its first
/// `Network.requestWillBeSent`, redirects included under the same `requestId`,
/// and its `loadingFinished` or `loadingFailed`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fetch {
    /// `requestId`.
    pub request_id: String,
    /// The URL the page fetched (the first hop's).
    pub url: String,
    /// The method sent (the first hop's).
    pub method: String,
    /// `loadingFinished` or `loadingFailed` arrived.
    pub settled: bool,
    /// `loadingFailed.errorText` (`net::ERR_FAILED` for a CORS failure).
    pub error_text: Option<String>,
    /// `loadingFailed.corsErrorStatus.corsError`, Chromium's `Network.CorsError`.
    pub cors_error: Option<String>,
    /// `corsErrorStatus.failedParameter`; `None` for Chromium's empty string.
    pub failed_parameter: Option<String>,
}

impl Fetch {
    /// Whether the load failed without Chromium naming a CORS error: `net::ERR_FAILED`
    /// is how a CORS failure ends, any other error is a network failure.
    pub fn cors_failure_without_error(&self) -> bool {
        self.cors_error.is_none() && self.error_text.as_deref() == Some("net::ERR_FAILED")
    }
}

/// Every request of type `Fetch` or `XHR` in `events`, in the order they were sent.
pub fn fetches(events: &[Value]) -> Vec<Fetch> {
    let mut order: Vec<Fetch> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for e in events {
        let p = &e["params"];
        let Some(id) = p["requestId"].as_str() else { continue };
        match e["method"].as_str().unwrap_or_default() {
            "Network.requestWillBeSent" if matches!(p["type"].as_str(), Some("Fetch" | "XHR")) => {
                index.entry(id.to_owned()).or_insert_with(|| {
                    order.push(Fetch {
                        request_id: id.to_owned(),
                        url: p["request"]["url"].as_str().unwrap_or_default().to_owned(),
                        method: p["request"]["method"].as_str().unwrap_or_default().to_owned(),
                        ..Fetch::default()
                    });
                    order.len() - 1
                });
            }
            "Network.loadingFinished" => {
                if let Some(&i) = index.get(id) {
                    order[i].settled = true;
                }
            }
            "Network.loadingFailed" => {
                if let Some(&i) = index.get(id) {
                    let f = &mut order[i];
                    f.settled = true;
                    f.error_text = p["errorText"].as_str().map(str::to_owned);
                    f.cors_error = p["corsErrorStatus"]["corsError"].as_str().map(str::to_owned);
                    f.failed_parameter = p["corsErrorStatus"]["failedParameter"]
                        .as_str()
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned);
                }
            }
            _ => {}
        }
    }
    order
}

/// For each of `urls` (the page's fetches, in the order it made them), its
/// item among `items` (in the order they were sent or analysed): the k-th fetch
/// of a URL is the k-th item whose `url_of` is that URL. Pairs DevTools'
/// [`Fetch`]es, or a HAR's findings, with the page's fetches.
pub fn pair<'a, T: Clone>(
    urls: impl IntoIterator<Item = &'a str>,
    items: &[T],
    url_of: impl Fn(&T) -> &str,
) -> Vec<Option<T>> {
    let mut taken = vec![false; items.len()];
    urls.into_iter()
        .map(|url| {
            let i = (0..items.len()).find(|&i| !taken[i] && url_of(&items[i]) == url)?;
            taken[i] = true;
            Some(items[i].clone())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(id: &str, url: &str, kind: &str) -> Value {
        json!({ "method": "Network.requestWillBeSent", "params": {
            "requestId": id, "type": kind, "request": { "url": url, "method": "GET" } } })
    }

    #[test]
    fn the_port_is_read_from_chromiums_line() {
        let line = "DevTools listening on ws://127.0.0.1:40123/devtools/browser/8c1e-4f";
        assert_eq!(devtools_port(line), Some(40123));
        assert_eq!(devtools_port("[0101/000000:ERROR] something else"), None);
    }

    #[test]
    fn fetches_keep_their_cors_error_and_pair_by_url_in_order() {
        let events = [
            sent("1", "http://a/x", "Fetch"),
            sent("p", "http://a/x", "Preflight"),
            sent("2", "http://a/x", "Fetch"),
            sent("d", "http://a/", "Document"),
            json!({ "method": "Network.loadingFailed", "params": { "requestId": "2", "errorText": "net::ERR_FAILED",
                "corsErrorStatus": { "corsError": "PreflightInvalidStatus", "failedParameter": "" } } }),
            json!({ "method": "Network.loadingFinished", "params": { "requestId": "1" } }),
            json!({ "method": "Network.loadingFailed", "params": { "requestId": "3", "errorText": "net::ERR_FAILED" } }),
            sent("3", "http://a/y", "XHR"),
        ];
        let list = fetches(&events);
        assert_eq!(list.len(), 3, "{list:?}");
        assert!(list[0].settled && list[0].cors_error.is_none());
        assert_eq!(list[1].cors_error.as_deref(), Some("PreflightInvalidStatus"));
        assert_eq!(list[1].failed_parameter, None);
        // An event for a request not yet announced is not attributed to it.
        assert!(!list[2].settled);
        let paired = pair(["http://a/y", "http://a/x", "http://a/x", "http://a/x"], &list, |f| {
            &f.url
        });
        let ids: Vec<_> = paired
            .iter()
            .map(|f| f.as_ref().map(|f| f.request_id.as_str()))
            .collect();
        assert_eq!(ids, [Some("3"), Some("1"), Some("2"), None]);
        assert!(!list[0].cors_failure_without_error());
        let refused = Fetch {
            error_text: Some("net::ERR_CONNECTION_REFUSED".to_owned()),
            ..Fetch::default()
        };
        assert!(!refused.cors_failure_without_error());
        let unnamed = Fetch {
            error_text: Some("net::ERR_FAILED".to_owned()),
            ..Fetch::default()
        };
        assert!(unnamed.cors_failure_without_error());
    }
}
