//! What the adapters share: a policy held by `'static` reference or owned
//! ([`PolicyRef`]), and the per-route table with its fail-closed choice ([rules](crate::rules) section 7).

mod methods;
#[cfg(test)]
mod models;
mod path;
mod table;

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use crate::diagnostics::Escaped;
use crate::diagnostics::MAX_SHOWN;
use crate::engine::{Decision, Denial, Request};
use crate::live::LivePolicy;
use crate::policy::Policy;

pub(crate) use methods::route_methods;
pub(crate) use table::Routes;
use table::{Choice, Refusal};

/// A policy as an adapter holds it: a `&'static Policy` (a `static` from `cors!`),
/// an owned one (from the builder or a config file), shared by reference count, or
/// a [`LivePolicy`], replaced while serving.
///
/// Adapters take `impl Into<PolicyRef>`, so users pass either directly. It is
/// opaque: build one with `From`, hand it to an adapter, print it with `Debug`.
/// Cloning it costs nothing for a `'static` policy and one atomic increment for
/// an owned one.
///
/// ```
/// use std::sync::{Arc, LazyLock};
/// use corsair_core::{Policy, PolicyRef};
///
/// static API: LazyLock<Policy> = LazyLock::new(|| {
///     Policy::builder().allow_origins(["https://app.example.com"]).build().expect("valid policy")
/// });
///
/// let from_static = PolicyRef::from(&*API);
/// let owned = PolicyRef::from(Policy::builder().allow_origins(["*"]).build()?);
/// let shared = PolicyRef::from(Arc::new(Policy::builder().allow_origins(["*"]).build()?));
/// assert!(format!("{from_static:?}").contains("https://app.example.com"));
/// # let _ = (owned, shared);
/// # Ok::<(), corsair_core::Error>(())
/// ```
#[derive(Clone)]
pub struct PolicyRef(Held);

#[derive(Clone)]
enum Held {
    Static(&'static Policy),
    Shared(Arc<Policy>),
    Live(LivePolicy),
}

impl From<&'static Policy> for PolicyRef {
    fn from(policy: &'static Policy) -> Self {
        PolicyRef(Held::Static(policy))
    }
}

impl From<Policy> for PolicyRef {
    fn from(policy: Policy) -> Self {
        PolicyRef(Held::Shared(Arc::new(policy)))
    }
}

impl From<Arc<Policy>> for PolicyRef {
    fn from(policy: Arc<Policy>) -> Self {
        PolicyRef(Held::Shared(policy))
    }
}

impl From<LivePolicy> for PolicyRef {
    fn from(live: LivePolicy) -> Self {
        PolicyRef(Held::Live(live))
    }
}

impl PolicyRef {
    /// The policy that answers one request, wholly: kept for the request's
    /// whole life (a replaced live policy must not change its answer halfway).
    /// No allocation; no atomic operation for a `'static` policy, one increment
    /// for an owned one.
    /// For a live policy, [`LivePolicy::load`]: a fixed number of atomic
    /// operations, no lock.
    #[inline]
    pub(crate) fn load(&self) -> Snapshot {
        match &self.0 {
            Held::Static(p) => Snapshot::Static(p),
            Held::Shared(p) => Snapshot::Shared(Arc::clone(p)),
            Held::Live(live) => Snapshot::Shared(live.load()),
        }
    }
}

impl fmt::Debug for PolicyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.load(), f)
    }
}

/// One policy, as [`PolicyRef::load`] returned it for one request.
#[derive(Clone)]
pub(crate) enum Snapshot {
    Static(&'static Policy),
    Shared(Arc<Policy>),
}

impl Deref for Snapshot {
    type Target = Policy;

    fn deref(&self) -> &Policy {
        match self {
            Snapshot::Static(p) => p,
            Snapshot::Shared(p) => p,
        }
    }
}

/// Decides one request through a per-route table: the entry chosen for `path`
/// (without the query), the policy it holds, and its decision, refused
/// (`Denial::Route`, nothing granted) when the choice is. Allocates nothing.
///
/// A refusal is reported like any denial: a debug event (feature `tracing`)
/// naming the path and why. When the policy denies the request anyway, its
/// own denial (already reported by the engine) is kept.
#[inline]
pub(crate) fn decide<'a, T, R: Request>(
    routes: &'a Routes<T>,
    path: &str,
    req: &R,
    policy: impl Fn(&T) -> &PolicyRef,
) -> (&'a T, Snapshot, Decision) {
    let (entry, why) = match routes.choose(path) {
        Choice::Entry(entry) => (entry, None),
        Choice::Refused { entry, why } => (entry, Some(why)),
    };
    let snapshot = policy(entry).load();
    let decision = snapshot.decide(req);
    let decision = match why {
        Some(why) if decision.denial().is_none() => {
            #[cfg(feature = "tracing")]
            tracing::debug!(
                target: "corsair",
                origin = %Escaped::new(req.lines(crate::engine::RequestHeader::Origin).next().unwrap_or_default(), MAX_SHOWN),
                kind = ?decision.kind(),
                reason = %Explained { path, why },
                "CORS request denied"
            );
            #[cfg(not(feature = "tracing"))]
            let _ = Explained { path, why };
            decision.refused(Denial::Route)
        }
        _ => decision,
    };
    (entry, snapshot, decision)
}

/// Why a per-route choice was refused, in words, with the path escaped and cut.
struct Explained<'a> {
    path: &'a str,
    why: Refusal<'a>,
}

fn label(prefix: Option<&str>) -> impl fmt::Display + '_ {
    struct Label<'a>(Option<&'a str>);
    impl fmt::Display for Label<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self.0 {
                None => f.write_str("the default policy"),
                Some("") => f.write_str("the policy for prefix `/`"),
                Some(p) => write!(f, "the policy for prefix `{p}`"),
            }
        }
    }
    Label(prefix)
}

impl fmt::Display for Explained<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = Escaped::new(self.path.as_bytes(), MAX_SHOWN);
        match self.why {
            Refusal::Ambiguous { raw, other, reading } => write!(
                f,
                "path `{path}` could be routed to {} (read {reading}) or to {} (read as received); \
                 nothing granted because the readings disagree: request the plain path",
                label(other),
                label(raw),
            ),
            Refusal::Misconfigured(problem) => write!(
                f,
                "route prefix `{}` given to route() is invalid: {}; this layer grants nothing until it is fixed: {} \
                 (try_route returns the error)",
                problem.value.escape_debug(),
                problem.message,
                problem.hint,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Explained, Routes};
    use crate::routes::table::Choice;

    fn explain(routes: &Routes<&str>, path: &str) -> String {
        match routes.choose(path) {
            Choice::Refused { why, .. } => Explained { path, why }.to_string(),
            Choice::Entry(e) => panic!("{path}: chose {e}"),
        }
    }

    #[test]
    fn a_refusal_says_which_readings_disagree() {
        let mut r = Routes::new("lax");
        r.add("/private", "strict");
        assert_eq!(
            explain(&r, "//private/x"),
            "path `//private/x` could be routed to the policy for prefix `/private` (read with empty segments dropped) \
             or to the default policy (read as received); nothing granted because the readings disagree: request the plain path"
        );
        assert!(explain(&r, "/private/..%2F..%2Fpublic").contains("`%2F`, `%5C`, `\\` read as `/`"));
        r.add("/admin/{*rest}", "admin");
        let text = explain(&r, "/public");
        assert!(
            text.starts_with("route prefix `/admin/{*rest}` given to route() is invalid"),
            "{text}"
        );
        assert!(text.contains("write the literal part, \"/admin\""), "{text}");
    }
}
