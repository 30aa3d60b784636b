//! A policy's origin predicate ([`Builder::allow_origin_fn`](crate::Builder::allow_origin_fn)):
//! asked only about a single, canonical [`Origin`] (RULES.md section 8).

use std::fmt;
use std::sync::Arc;

use super::request::Origin;

/// A user's origin predicate, shared by every clone of the policy.
#[derive(Clone)]
pub(crate) struct OriginPredicate {
    f: Arc<dyn Fn(&Origin<'_>) -> bool + Send + Sync>,
    /// Deny plain `http://` origins other than loopback without asking (RULES.md 6.7
    /// and 6.12 for origins not known in advance).
    secure_only: bool,
}

impl OriginPredicate {
    pub(crate) fn new(f: impl Fn(&Origin<'_>) -> bool + Send + Sync + 'static) -> Self {
        OriginPredicate {
            f: Arc::new(f),
            secure_only: false,
        }
    }

    pub(crate) fn secure_only(self, yes: bool) -> Self {
        OriginPredicate {
            secure_only: yes,
            ..self
        }
    }

    /// Runs the predicate on a raw `Origin` value, if it is one canonical origin
    /// (and, when `secure_only`, not a forgeable plain-http one).
    pub(crate) fn allows(&self, value: &[u8]) -> bool {
        Origin::parse(value).is_some_and(|o| !(self.secure_only && o.is_insecure()) && (self.f)(&o))
    }
}

impl fmt::Debug for OriginPredicate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OriginPredicate(..)")
    }
}
