//! What the adapters share: a policy held by `'static` reference or owned, and the
//! per-route table (a default policy and path-prefix overrides, longest prefix wins).

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use crate::live::LivePolicy;
use crate::policy::Policy;

/// A policy as an adapter holds it: a `&'static Policy` (a `static` from `cors!`),
/// an owned one (from the builder or a config file), shared by reference count, or
/// a [`LivePolicy`], replaced while serving.
///
/// Adapters take `impl Into<PolicyRef>`, so users pass either directly. Cloning it
/// costs nothing for a `'static` policy and one atomic increment for an owned one.
///
/// ```
/// use std::sync::LazyLock;
/// use corsair_core::{Policy, PolicyRef};
///
/// static API: LazyLock<Policy> = LazyLock::new(|| {
///     Policy::builder().allow_origins(["https://app.example.com"]).build().expect("valid policy")
/// });
///
/// let from_static = PolicyRef::from(&*API);
/// let owned = PolicyRef::from(Policy::builder().allow_origins(["*"]).build()?);
/// assert!(!from_static.is_any_origin());
/// assert!(owned.is_any_origin());
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

// TODO(merge): PolicyRef becomes opaque in routes/; Snapshot goes beside it.
/// The policy one request is answered by, taken when it arrives and held by its
/// response future, so a request finishes under the policy it began with.
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

impl PolicyRef {
    /// The policy serving now: for a static policy a copy of the reference, for an
    /// owned one a reference-count increment, for a live one
    /// [`LivePolicy::load`] (a fixed number of atomic operations, no lock).
    pub(crate) fn snapshot(&self) -> Snapshot {
        match &self.0 {
            Held::Static(p) => Snapshot::Static(p),
            Held::Shared(p) => Snapshot::Shared(Arc::clone(p)),
            Held::Live(live) => Snapshot::Shared(live.load()),
        }
    }
}

impl From<LivePolicy> for PolicyRef {
    fn from(live: LivePolicy) -> Self {
        PolicyRef(Held::Live(live))
    }
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

impl PolicyRef {
    /// Does the policy (for a live one: the one serving now) answer with the
    /// constant `Access-Control-Allow-Origin: *`?
    pub fn is_any_origin(&self) -> bool {
        self.snapshot().is_any_origin()
    }
}

impl fmt::Debug for PolicyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Held::Live(live) => fmt::Debug::fmt(live, f),
            _ => fmt::Debug::fmt(&*self.snapshot(), f),
        }
    }
}

/// A default and path-prefix overrides. Prefixes match whole path segments:
/// `/public` matches `/public` and `/public/x`, never `/publicity`.
#[derive(Clone, Debug)]
pub(crate) struct Routes<T> {
    default: T,
    /// Longest first, so the first match is the longest; no trailing `/`.
    prefixes: Vec<(Box<str>, T)>,
}

impl<T> Routes<T> {
    pub(crate) fn new(default: T) -> Self {
        Routes {
            default,
            prefixes: Vec::new(),
        }
    }

    /// Adds (or replaces) the entry for `prefix`, normalized to a leading `/`
    /// and no trailing one (so `"/"` is the same as the default, but explicit).
    pub(crate) fn add(&mut self, prefix: &str, entry: T) {
        let trimmed = prefix.trim_end_matches('/');
        let prefix: Box<str> = if trimmed.starts_with('/') || trimmed.is_empty() {
            trimmed.into()
        } else {
            format!("/{trimmed}").into()
        };
        match self.prefixes.iter_mut().find(|(p, _)| *p == prefix) {
            Some(slot) => slot.1 = entry,
            None => {
                self.prefixes.push((prefix, entry));
                self.prefixes.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
            }
        }
    }

    /// The entry for a request path (as the router sees it). Allocates nothing;
    /// linear in the number of prefixes.
    pub(crate) fn get(&self, path: &str) -> &T {
        let path = path.as_bytes();
        self.prefixes
            .iter()
            .find(|(prefix, _)| {
                let prefix = prefix.as_bytes();
                path.starts_with(prefix) && matches!(path.get(prefix.len()), None | Some(b'/'))
            })
            .map_or(&self.default, |(_, entry)| entry)
    }
}

#[cfg(test)]
mod tests {
    use super::Routes;

    #[test]
    fn longest_whole_segment_prefix_wins() {
        let mut r = Routes::new("default");
        r.add("/public", "public");
        r.add("/public/admin/", "admin");
        r.add("api", "api");
        assert_eq!(*r.get("/public"), "public");
        assert_eq!(*r.get("/public/"), "public");
        assert_eq!(*r.get("/public/x"), "public");
        assert_eq!(*r.get("/publicity"), "default");
        assert_eq!(*r.get("/public/admin"), "admin");
        assert_eq!(*r.get("/public/admin/users"), "admin");
        assert_eq!(*r.get("/public/administrator"), "public");
        assert_eq!(*r.get("/api/items"), "api");
        assert_eq!(*r.get("/"), "default");
        assert_eq!(*r.get(""), "default");
        assert_eq!(*r.get("*"), "default");
    }

    #[test]
    fn a_repeated_prefix_replaces_and_root_matches_everything() {
        let mut r = Routes::new("default");
        r.add("/public", "first");
        r.add("/public/", "second");
        assert_eq!(*r.get("/public/x"), "second");
        r.add("/", "root");
        assert_eq!(*r.get("/anything"), "root");
        assert_eq!(*r.get("/public"), "second");
    }
}
