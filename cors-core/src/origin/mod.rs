//! Origins and origin patterns: parsing and canonical-form checks for policies
//! (RULES.md sections 5 and 6.1-6.7), and the allocation-free matcher over raw `Origin` bytes.

use std::borrow::Cow;

use crate::error::Code;

mod canonical;
mod insecure;
mod parse;
mod pattern;
mod predicate;
mod public_suffix;
mod request;
mod scheme;
mod suggest;
mod table;

pub(crate) use insecure::exact_is_insecure;
pub(crate) use parse::parse;
pub use pattern::{Pattern, PortPattern};
pub(crate) use predicate::OriginPredicate;
pub(crate) use public_suffix::{public_suffix, PublicSuffix};
pub use request::Origin;
pub use scheme::Schemes;
pub use table::OriginTable;

/// Text owned by a built policy or borrowed from a `cors!` expansion.
pub(crate) type Text = Cow<'static, str>;
/// A list owned by a built policy or borrowed from a `cors!` expansion.
pub(crate) type List<T> = Cow<'static, [T]>;

/// One entry of `allow_origins`, parsed and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Spec {
    Any,
    Exact(String),
    Pattern(Pattern),
    /// `https://*` or `http://*` (one scheme set).
    AnyOfScheme(Schemes),
}

/// Why an `allow_origins` entry was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) code: Code,
    pub(crate) message: String,
    pub(crate) hint: String,
}

fn refuse(code: Code, message: impl Into<String>, hint: impl Into<String>) -> Refusal {
    Refusal {
        code,
        message: message.into(),
        hint: hint.into(),
    }
}
