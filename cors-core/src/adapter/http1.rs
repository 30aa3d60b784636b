//! The framework-free API over `http` 1: decide from an `http::Request` (or its
//! parts), then write the headers onto any `http::HeaderMap`. For hyper,
//! lambda_http, or any `http`-based stack.

use crate::engine::{Decision, Request, WALK_MAX, WALK_ORIGIN_MAX};
use crate::policy::Policy;

header_writer!(pub http);

impl Values for Policy {
    #[inline(always)]
    fn prebuilt(&self, p: Prebuilt) -> Option<&HeaderValue> {
        Policy::prebuilt(self, p)
    }

    #[inline(always)]
    fn listed_origin(&self, index: u32) -> Option<HeaderValue> {
        Policy::listed_origin(self, index)
    }
}

/// Merges `vary` into the response's `Vary` lines, which may exist: one hashed
/// lookup of the name, whose entry both reads the lines and appends to them.
#[inline]
fn merge_vary(response: &mut HeaderMap, vary: Vary) {
    match response.entry(header::VARY) {
        header::Entry::Vacant(entry) => {
            entry.insert(vary_value(vary));
        }
        header::Entry::Occupied(mut entry) => {
            let missing = missing(vary, entry.iter().map(HeaderValue::as_bytes));
            append_missing(vary, missing, |v| {
                if let Some(line) = vary_line(v) {
                    entry.append(line);
                }
            });
        }
    }
}

/// The `http` 1 value of an engine value: a constant, or the policy's prebuilt
/// value (`None` when the policy has none of that kind).
pub fn value(policy: &Policy, v: Value) -> Option<HeaderValue> {
    value_of(policy, v)
}

/// The first `Origin` line of an `http` 1 map and whether another follows
/// ([`Request::origin_line`]). When no name has a second line (the map's value
/// count is its name count) neither has `Origin`, so one value answers: found by
/// a walk over a few lines, else by one lookup.
#[inline(always)]
fn origin_line(headers: &HeaderMap) -> Option<(&[u8], bool)> {
    static ORIGIN: HeaderName = header::ORIGIN;
    let lines = headers.len();
    if lines == headers.keys_len() {
        let value = if lines <= WALK_ORIGIN_MAX {
            // The constant, not the static: the comparison is then two bytes'.
            headers.iter().find_map(|(n, v)| (*n == header::ORIGIN).then_some(v))
        } else {
            headers.get(&ORIGIN)
        };
        return value.map(|v| (v.as_bytes(), false));
    }
    let mut values = headers.get_all(&ORIGIN).iter();
    let first = values.next()?;
    Some((first.as_bytes(), values.next().is_some()))
}

impl<B> Request for http::Request<B> {
    fn method(&self) -> &[u8] {
        self.method().as_str().as_bytes()
    }

    fn lines(&self, name: RequestHeader) -> impl Iterator<Item = &[u8]> {
        lines(self.headers(), name)
    }

    fn each_line<'a>(&'a self, f: impl FnMut(RequestHeader, &'a [u8])) {
        each_line(self.headers(), f);
    }

    #[inline(always)]
    fn origin_line(&self) -> Option<(&[u8], bool)> {
        origin_line(self.headers())
    }

    fn walks(&self) -> bool {
        self.headers().len() <= WALK_MAX
    }
}

impl Request for http::request::Parts {
    fn method(&self) -> &[u8] {
        self.method.as_str().as_bytes()
    }

    fn lines(&self, name: RequestHeader) -> impl Iterator<Item = &[u8]> {
        lines(&self.headers, name)
    }

    fn each_line<'a>(&'a self, f: impl FnMut(RequestHeader, &'a [u8])) {
        each_line(&self.headers, f);
    }

    #[inline(always)]
    fn origin_line(&self) -> Option<(&[u8], bool)> {
        origin_line(&self.headers)
    }

    fn walks(&self) -> bool {
        self.headers.len() <= WALK_MAX
    }
}

impl Decision {
    /// Writes this decision's headers onto an `http` 1 response.
    ///
    /// For a preflight ([`Decision::status`] is `Some`), answer with that status,
    /// an empty body and these headers, without calling the handler; otherwise
    /// call the handler and apply this to its response, whatever its status.
    ///
    /// ```
    /// use corsair_core::Policy;
    /// use http::{Request, Response, StatusCode};
    ///
    /// let policy = Policy::builder()
    ///     .allow_origins(["https://app.example.com"])
    ///     .allow_methods(["PUT"])
    ///     .build()?;
    ///
    /// fn handle(policy: &Policy, req: Request<()>) -> Response<&'static str> {
    ///     let decision = policy.decide(&req);
    ///     let mut res = match decision.status() {
    ///         Some(status) => {
    ///             let mut r = Response::new("");
    ///             *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::FORBIDDEN);
    ///             r
    ///         }
    ///         None => Response::new("hello"), // the real handler
    ///     };
    ///     decision.apply(policy, req.headers(), res.headers_mut());
    ///     res
    /// }
    ///
    /// let req = Request::options("/items")
    ///     .header("origin", "https://app.example.com")
    ///     .header("access-control-request-method", "PUT")
    ///     .body(())?;
    /// let res = handle(&policy, req);
    /// assert_eq!(res.status(), 204);
    /// assert_eq!(res.headers()["access-control-allow-origin"], "https://app.example.com");
    /// assert_eq!(res.headers()["access-control-allow-methods"], "PUT");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(&self, policy: &Policy, request: &HeaderMap, response: &mut HeaderMap) {
        self.write(&mut Writer::new(policy, Echo::Request(request), response));
    }

    /// Like [`Decision::apply`], for a decision that is not a preflight, once the
    /// request itself has moved on (into the handler): such a decision echoes
    /// nothing but the `Origin`, so keeping that one value aside is enough.
    ///
    /// ```
    /// use corsair_core::Policy;
    /// use http::{HeaderMap, Request};
    ///
    /// let policy = Policy::builder().allow_origins(["https://app.example.com"]).build()?;
    /// let req = Request::get("/").header("origin", "https://app.example.com").body(())?;
    /// let decision = policy.decide(&req);
    /// let origin = req.headers().get("origin").cloned();
    /// drop(req); // handed to the handler
    /// let mut response = HeaderMap::new();
    /// decision.apply_with_origin(&policy, origin.as_ref(), &mut response);
    /// assert_eq!(response["access-control-allow-origin"], "https://app.example.com");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply_with_origin(&self, policy: &Policy, origin: Option<&HeaderValue>, response: &mut HeaderMap) {
        debug_assert!(
            self.status().is_none(),
            "a preflight echoes more than the origin: use `apply`"
        );
        self.write(&mut Writer::new(policy, Echo::Origin(origin), response));
    }
}
