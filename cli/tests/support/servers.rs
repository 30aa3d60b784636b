//! The servers the page fetches from: a raw HTTP/1.1 server whose every answer is
//! scripted per scenario (so it can be wrong in any way: duplicate lines, bad
//! statuses, redirects), a page server, and correct corsair-backed servers through
//! the tower (axum) and actix-web adapters.

use std::collections::HashMap;
use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// One scripted response. Header values may say `{origin}` (the request's Origin),
/// `{base}` (`http://127.0.0.1:PORT`), `{alt}` (`http://localhost:PORT`, another origin of the same server).
#[derive(Clone, Debug, Default)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: &'static str,
}

impl Resp {
    pub fn new(status: u16, headers: &[(&'static str, &str)]) -> Resp {
        Resp {
            status,
            headers: headers.iter().map(|(n, v)| (*n, (*v).to_owned())).collect(),
            body: "",
        }
    }

    pub fn body(mut self, body: &'static str) -> Resp {
        self.body = body;
        self
    }
}

/// What the raw server answers under `/s/{id}/`: the preflight, the request, and
/// anything under `/s/{id}/next` (a redirect's target).
#[derive(Clone, Debug, Default)]
pub struct Script {
    pub preflight: Resp,
    pub actual: Resp,
    pub next: Resp,
}

pub type Scripts = Arc<Mutex<HashMap<String, Script>>>;

struct Head {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
}

fn read_head(stream: &mut TcpStream) -> Option<Head> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1024];
    let end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > 64 * 1024 {
            return None;
        }
        let n = stream.read(&mut byte).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&byte[..n]);
    };
    let text = String::from_utf8_lossy(&buf[..end]).into_owned();
    let mut lines = text.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, path) = (first.next()?.to_owned(), first.next()?.to_owned());
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut have = buf.len() - end - 4;
    while have < length {
        let n = stream.read(&mut byte).ok()?;
        if n == 0 {
            break;
        }
        have += n;
    }
    Some(Head { method, path, headers })
}

fn write_resp(stream: &mut TcpStream, resp: &Resp, vars: &[(&str, String)]) {
    let mut out = format!("HTTP/1.1 {} Scripted\r\n", resp.status);
    for (n, v) in &resp.headers {
        let mut v = v.clone();
        for (k, val) in vars {
            v = v.replace(k, val);
        }
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    out.push_str(&format!(
        "content-type: text/plain\r\ncache-control: no-store\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{}",
        resp.body.len(),
        resp.body
    ));
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.flush();
}

fn serve(
    listener: TcpListener,
    handle: impl Fn(&Head, u16) -> (Resp, Vec<(&'static str, String)>) + Send + Sync + 'static,
) -> u16 {
    let port = listener.local_addr().expect("local address").port();
    let handle = Arc::new(handle);
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let handle = handle.clone();
            thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                if let Some(head) = read_head(&mut stream) {
                    let (resp, vars) = handle(&head, port);
                    write_resp(&mut stream, &resp, &vars);
                }
            });
        }
    });
    port
}

/// The scripted server; returns its port.
pub fn raw_server(scripts: Scripts) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    serve(listener, move |head, port| {
        let origin = head
            .headers
            .iter()
            .find(|(n, _)| n == "origin")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let vars = vec![
            ("{origin}", origin),
            ("{base}", format!("http://127.0.0.1:{port}")),
            ("{alt}", format!("http://localhost:{port}")),
        ];
        let mut parts = head.path.trim_start_matches('/').split('/');
        let script = match (parts.next(), parts.next()) {
            (Some("s"), Some(id)) => scripts.lock().unwrap().get(id).cloned(),
            _ => None,
        };
        let Some(script) = script else {
            return (Resp::new(404, &[]), vars);
        };
        let preflight =
            head.method == "OPTIONS" && head.headers.iter().any(|(n, _)| n == "access-control-request-method");
        let resp = if parts.next() == Some("next") {
            script.next
        } else if preflight {
            script.preflight
        } else {
            script.actual
        };
        (resp, vars)
    })
}

/// The page's server: every path is an empty HTML page.
pub fn page_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    serve(listener, |_, _| {
        let mut r = Resp::new(200, &[]).body("<!doctype html><title>corsair probe suite</title>");
        r.headers.push(("x-page", "1".to_owned()));
        (r, Vec::new())
    })
}

/// The correct policy both adapters serve: the page's origin, a few methods and headers, credentials.
pub fn policy(page_origin: &str) -> corsair::Policy {
    corsair::Policy::builder()
        .allow_origins([page_origin])
        .allow_methods(["GET", "POST", "PUT", "PATCH"])
        .allow_headers(["content-type", "x-api-key", "authorization"])
        .expose_headers(["x-request-id"])
        .allow_credentials(true)
        .max_age(0)
        .build()
        .expect("a valid policy")
}

/// An axum app behind `corsair::tower::CorsLayer`, answering 200 on every path.
pub fn tower_server(page_origin: &str) -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let port = listener.local_addr().expect("addr").port();
    let app = axum::Router::new()
        .fallback(|| async { "ok" })
        .layer(corsair::tower::CorsLayer::new(policy(page_origin)));
    thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            axum::serve(listener, app).await.expect("axum");
        });
    });
    port
}

/// An actix-web app behind `corsair::actix::Cors`, answering 200 on every path.
pub fn actix_server(page_origin: &str) -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let cors = corsair::actix::Cors::new(policy(page_origin));
    thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            actix_web::HttpServer::new(move || {
                actix_web::App::new()
                    .wrap(cors.clone())
                    .default_service(actix_web::web::to(|| async { "ok" }))
            })
            .workers(1)
            .disable_signals()
            .listen(listener)
            .expect("actix listener")
            .run()
            .await
            .expect("actix");
        });
    });
    port
}

#[allow(dead_code)]
pub fn addr(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}
