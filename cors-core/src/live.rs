//! [`LivePolicy`]: a policy replaced atomically while requests are in flight
//! (RULES.md section 8), each request answered wholly by one snapshot.

use std::fmt;
use std::sync::Arc;

use arc_swap::ArcSwap;

use crate::policy::Policy;

/// A policy that can be replaced while serving, without a lock and without a restart.
///
/// Clones share one slot: hand one clone to the adapters (`CorsLayer::new(live.clone())`,
/// `Cors::new(live.clone())`, or as a per-route entry) and keep another to call
/// [`replace`](LivePolicy::replace) with a newly validated policy, say when a
/// tenant's origins change or a config file is edited. Build (and so validate) the
/// new policy first: a `LivePolicy` only ever holds a valid one, and a failed
/// build leaves the old one serving.
///
/// Each request takes one snapshot when it starts ([`load`](LivePolicy::load): a
/// fixed number of atomic operations, no lock, no allocation) and is answered
/// wholly by it, preflight or actual, even when the policy is replaced before its
/// handler returns: a response never mixes two policies' headers.
///
/// ```
/// use corsair_core::{LivePolicy, Policy};
///
/// let live = LivePolicy::new(Policy::builder().allow_origins(["https://old.example.com"]).build()?);
/// let serving = live.clone(); // what the adapter holds
///
/// let before = serving.load();
/// live.replace(Policy::builder().allow_origins(["https://new.example.com"]).build()?);
///
/// assert!(serving.load().allows_origin(b"https://new.example.com"));
/// assert!(!serving.load().allows_origin(b"https://old.example.com"));
/// // A snapshot taken before the replacement still answers with the old policy.
/// assert!(before.allows_origin(b"https://old.example.com"));
/// # Ok::<(), corsair_core::Error>(())
/// ```
#[derive(Clone)]
pub struct LivePolicy {
    current: Arc<ArcSwap<Policy>>,
}

impl LivePolicy {
    /// A live policy serving `policy` until it is replaced.
    pub fn new(policy: impl Into<Arc<Policy>>) -> Self {
        LivePolicy {
            current: Arc::new(ArcSwap::new(policy.into())),
        }
    }

    /// Replaces the policy for every clone, atomically: requests that already took
    /// their snapshot finish under the old policy, later ones get the new one.
    /// Returns the old policy.
    pub fn replace(&self, policy: impl Into<Arc<Policy>>) -> Arc<Policy> {
        self.current.swap(policy.into())
    }

    /// The policy serving now: a snapshot that stays valid (and unchanged) however
    /// often the policy is replaced afterwards. A fixed number of atomic
    /// operations; no lock, no allocation.
    pub fn load(&self) -> Arc<Policy> {
        self.current.load_full()
    }
}

impl From<Policy> for LivePolicy {
    fn from(policy: Policy) -> Self {
        LivePolicy::new(policy)
    }
}

impl fmt::Debug for LivePolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("LivePolicy").field(&*self.current.load()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::LivePolicy;
    use crate::Policy;

    fn policy(origin: &str) -> Policy {
        Policy::builder().allow_origins([origin]).build().expect("valid policy")
    }

    #[test]
    fn clones_share_one_slot_and_replace_returns_the_old_policy() {
        let live = LivePolicy::new(policy("https://a.example.com"));
        let other = live.clone();
        let old = other.replace(policy("https://b.example.com"));
        assert!(old.allows_origin(b"https://a.example.com"));
        assert!(live.load().allows_origin(b"https://b.example.com"));
        assert!(!live.load().allows_origin(b"https://a.example.com"));
        assert!(format!("{live:?}").contains("https://b.example.com"));
    }
}
