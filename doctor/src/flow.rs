//! One request from the page to its last response, hop by hop as Chromium runs it:
//! a preflight where one is needed (again after each redirect), the CORS check on
//! every response including redirects, `Origin: null` after a cross-origin hop.
//! The HTTP itself is the caller's, through [`Transport`].

use url::Url;

use crate::check::{check_access, check_preflight, check_redirect_location, Blocked, ResponseHead};
use crate::finding::{console_message, fix, warning_text, Finding, Step, Verdict};
use crate::request::{preflight_for, Credentials, PageRequest, Preflight};

/// Chromium's (and Fetch's) redirect limit.
pub const MAX_REDIRECTS: usize = 20;

/// Whether a hop is a preflight or the request itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HopKind {
    /// The `OPTIONS` preflight: no credentials, no page headers.
    Preflight,
    /// The request (first or after a redirect).
    Request,
}

/// One HTTP request the browser sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hop {
    /// Preflight or request.
    pub kind: HopKind,
    /// The method.
    pub method: String,
    /// The absolute URL.
    pub url: String,
    /// Every header to send, `Origin` and `Access-Control-Request-*` included.
    pub headers: Vec<(String, String)>,
}

/// Sends hops (a live HTTP client, or a replay of a HAR). Must not follow redirects.
pub trait Transport {
    /// Why a hop could not be sent (an unreachable host, a hop missing from a HAR).
    type Error;

    /// The response to `hop`; `Ok(None)` when a recorded preflight is simply absent
    /// (its checks are then skipped).
    fn send(&mut self, hop: &Hop) -> Result<Option<ResponseHead>, Self::Error>;

    /// The preflight the browser sends before `method` with `headers` to `url`;
    /// by default the Fetch Standard's and Chromium's rule ([`preflight_for`]).
    fn preflight(&mut self, url: &str, method: &str, headers: &[(String, String)]) -> Option<Preflight> {
        let _ = url;
        preflight_for(method, headers)
    }
}

/// Why a request could not be analysed at all.
#[derive(Debug)]
pub enum FlowError<E> {
    /// The URL does not parse, or is not http or https.
    Url(String),
    /// The transport failed.
    Transport(E),
}

fn origin_of(url: &Url) -> String {
    url.origin().ascii_serialization()
}

struct Run<'a> {
    request: &'a PageRequest,
    steps: Vec<Step>,
    warnings: Vec<String>,
    preflighted: bool,
}

impl Run<'_> {
    fn finish(self, verdict: Verdict, blocked: Option<Blocked>, message: String, fix: String) -> Finding {
        Finding {
            url: self.request.url.clone(),
            method: self.request.normalized_method(),
            origin: self.request.origin.clone(),
            preflight: self.preflighted,
            verdict,
            failed_parameter: blocked.as_ref().and_then(|b| b.failed_parameter.clone()),
            cors_error: blocked.map(|b| b.error),
            message,
            fix,
            warnings: self.warnings,
            steps: self.steps,
        }
    }

    fn blocked(
        self,
        b: Blocked,
        url: &Url,
        preflight: Option<&Preflight>,
        resp: &ResponseHead,
        after_good_preflight: bool,
    ) -> Finding {
        let message = console_message(&b, self.request, url.as_str());
        let fix = fix(&b, self.request, preflight, resp, after_good_preflight);
        self.finish(Verdict::Blocked, Some(b), message, fix)
    }

    fn network_error(self, message: String, fix: &str) -> Finding {
        self.finish(Verdict::Blocked, None, message, fix.to_owned())
    }

    fn step(&mut self, kind: &'static str, hop: &Hop, origin: &str, status: u16, outcome: impl Into<String>) {
        self.steps.push(Step {
            kind,
            method: hop.method.clone(),
            url: hop.url.clone(),
            origin: origin.to_owned(),
            status,
            outcome: outcome.into(),
        });
    }
}

/// The headers that describe a body, dropped when a redirect turns the request into a GET.
const BODY_HEADERS: [&str; 4] = [
    "content-encoding",
    "content-language",
    "content-location",
    "content-type",
];

/// Runs `request` through `transport` and returns the browser's verdict.
pub fn run<T: Transport>(request: &PageRequest, transport: &mut T) -> Result<Finding, FlowError<T::Error>> {
    let mut url =
        Url::parse(&request.url).map_err(|e| FlowError::Url(format!("`{}` is not a URL: {e}", request.url)))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(FlowError::Url(format!(
            "`{}`: only http and https URLs can be probed",
            request.url
        )));
    }
    let credentials: Credentials = request.credentials;
    let mut method = request.normalized_method();
    let mut headers = request.headers.clone();
    let mut tainted = false;
    let mut run = Run {
        request,
        steps: Vec::new(),
        warnings: Vec::new(),
        preflighted: false,
    };
    let mut preflight_passed = false;
    for _ in 0..=MAX_REDIRECTS {
        let cors = tainted || origin_of(&url) != request.origin;
        let origin = if tainted {
            "null".to_owned()
        } else {
            request.origin.clone()
        };
        let preflight = if cors {
            transport.preflight(url.as_str(), &method, &headers)
        } else {
            None
        };
        if let Some(pf) = &preflight {
            let mut h = vec![
                ("accept".to_owned(), "*/*".to_owned()),
                ("origin".to_owned(), origin.clone()),
                ("access-control-request-method".to_owned(), pf.method.clone()),
            ];
            if let Some(acrh) = pf.request_headers() {
                h.push(("access-control-request-headers".to_owned(), acrh));
            }
            let hop = Hop {
                kind: HopKind::Preflight,
                method: "OPTIONS".to_owned(),
                url: url.to_string(),
                headers: h,
            };
            if let Some(resp) = transport.send(&hop).map_err(FlowError::Transport)? {
                run.preflighted = true;
                match check_preflight(&resp, &origin, credentials, pf) {
                    Err(b) => {
                        run.step("preflight", &hop, &origin, resp.status, format!("blocked: {}", b.error));
                        return Ok(run.blocked(b, &url, Some(pf), &resp, false));
                    }
                    Ok(warnings) => {
                        run.step(
                            "preflight",
                            &hop,
                            &origin,
                            resp.status,
                            if warnings.is_empty() {
                                "ok"
                            } else {
                                "ok, with a warning"
                            },
                        );
                        run.warnings.extend(warnings.iter().map(warning_text));
                        preflight_passed = true;
                    }
                }
            }
        }
        let mut h: Vec<(String, String)> = headers
            .iter()
            .filter(|(n, _)| !n.eq_ignore_ascii_case("origin"))
            .cloned()
            .collect();
        if cors || !matches!(method.as_str(), "GET" | "HEAD") {
            h.push(("origin".to_owned(), origin.clone()));
        }
        let hop = Hop {
            kind: HopKind::Request,
            method: method.clone(),
            url: url.to_string(),
            headers: h,
        };
        let Some(resp) = transport.send(&hop).map_err(FlowError::Transport)? else {
            run.step("request", &hop, &origin, 0, "not recorded");
            return Ok(run.network_error(
                format!("{method} {url}: no response recorded"),
                "the request never got a response",
            ));
        };
        if let Some(location) = resp.redirect_location() {
            if cors {
                if let Err(b) = check_access(&resp, &origin, credentials) {
                    run.step(
                        "request",
                        &hop,
                        &origin,
                        resp.status,
                        format!("redirect blocked: {}", b.error),
                    );
                    return Ok(run.blocked(b, &url, preflight.as_ref(), &resp, preflight_passed));
                }
            }
            let Ok(next) = url.join(&location) else {
                run.step("request", &hop, &origin, resp.status, "bad Location");
                return Ok(run.network_error(
                    format!(
                        "{method} {url}: the redirect's Location `{location}` is not a URL (net::ERR_INVALID_REDIRECT)"
                    ),
                    "send an absolute or relative URL in Location",
                ));
            };
            if cors {
                if let Err(b) = check_redirect_location(&next) {
                    run.step(
                        "request",
                        &hop,
                        &origin,
                        resp.status,
                        format!("redirect blocked: {}", b.error),
                    );
                    // Chromium names the redirect's target in the console line.
                    let shown = if b.error == crate::CorsError::CorsDisabledScheme {
                        &next
                    } else {
                        &url
                    };
                    return Ok(run.blocked(b, shown, preflight.as_ref(), &resp, preflight_passed));
                }
            }
            run.step("request", &hop, &origin, resp.status, format!("redirect to {next}"));
            if origin_of(&next) != origin_of(&url) && request.origin != origin_of(&url) {
                tainted = true;
            }
            if (matches!(resp.status, 301 | 302) && method == "POST")
                || (resp.status == 303 && !matches!(method.as_str(), "GET" | "HEAD"))
            {
                method = "GET".to_owned();
                headers.retain(|(n, _)| !BODY_HEADERS.iter().any(|b| n.eq_ignore_ascii_case(b)));
            }
            url = next;
            continue;
        }
        if cors {
            if let Err(b) = check_access(&resp, &origin, credentials) {
                run.step("request", &hop, &origin, resp.status, format!("blocked: {}", b.error));
                return Ok(run.blocked(b, &url, preflight.as_ref(), &resp, preflight_passed));
            }
        }
        run.step("request", &hop, &origin, resp.status, "readable");
        let message = format!(
            "{method} {url} from origin '{}': allowed (status {})",
            request.origin, resp.status
        );
        return Ok(run.finish(Verdict::Allowed, None, message, String::new()));
    }
    Ok(run.network_error(
        format!(
            "{} {}: more than {MAX_REDIRECTS} redirects (net::ERR_TOO_MANY_REDIRECTS)",
            request.normalized_method(),
            request.url
        ),
        "a redirect loop: fix the redirects",
    ))
}
