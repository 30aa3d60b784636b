//! The header writer over actix-web 4's header map (`http` 0.2 names and values).

use std::borrow::Cow;
use std::sync::OnceLock;

use actix_web::dev::ServiceRequest;

use crate::engine::Request;
use crate::origin::List;
use crate::policy::{shared, Origins, Policy};

header_writer!(pub(crate) actix_web::http);

impl Request for ServiceRequest {
    fn method(&self) -> &[u8] {
        self.method().as_str().as_bytes()
    }

    fn lines(&self, name: RequestHeader) -> impl Iterator<Item = &[u8]> {
        lines(self.headers(), name)
    }

    // No `each_line`: actix-web's map is a hash map, where four lookups cost less
    // than a walk over every bucket.
}

/// Merges `vary` into the response's `Vary` lines, which may exist (actix-web's
/// map has no entry API: the lines are read, then appended to).
#[inline]
fn merge_vary(response: &mut HeaderMap, vary: Vary) {
    let missing = missing(vary, response.get_all(header::VARY).map(HeaderValue::as_bytes));
    append_missing(vary, missing, |v| {
        if let Some(line) = vary_line(v) {
            response.append(header::VARY, line);
        }
    });
}

/// A policy's prebuilt values as actix-web's `HeaderValue`s (`http` 0.2): built
/// at compile time by a `cors!` expansion ([`actix_values`]), or for any other
/// policy made on its first request through this adapter and kept in the policy
/// itself, so a replaced [`LivePolicy`](crate::LivePolicy) takes its own along
/// and the old lists are never sent after a replacement.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct ActixValues {
    allow_methods: Option<HeaderValue>,
    allow_headers: Option<HeaderValue>,
    expose_headers: Option<HeaderValue>,
    max_age: Option<HeaderValue>,
    /// The exact origins' `Access-Control-Allow-Origin` values, by table index.
    origins: List<HeaderValue>,
}

/// The `cors!` expansion's actix-web values (through `__private::policy!`), not
/// public API: the texts are the policy's validated prebuilt values, visible
/// ASCII, which `from_static` accepts at compile time.
#[doc(hidden)]
pub const fn actix_values(
    allow_methods: Option<&'static str>,
    allow_headers: Option<&'static str>,
    expose_headers: Option<&'static str>,
    max_age: Option<&'static str>,
    origins: &'static [HeaderValue],
) -> ActixValues {
    const fn value(text: Option<&'static str>) -> Option<HeaderValue> {
        match text {
            Some(text) => Some(HeaderValue::from_static(text)),
            None => None,
        }
    }
    ActixValues {
        allow_methods: value(allow_methods),
        allow_headers: value(allow_headers),
        expose_headers: value(expose_headers),
        max_age: value(max_age),
        origins: Cow::Borrowed(origins),
    }
}

/// Where a policy keeps its actix-web values.
#[derive(Clone, Debug)]
pub(crate) enum Actix {
    /// Built by a `cors!` expansion.
    Static(&'static ActixValues),
    /// Made on the first request through this adapter.
    Lazy(OnceLock<ActixValues>),
}

impl ActixValues {
    /// `policy`'s values: its static ones, or converted on its first call and kept in it.
    #[inline]
    pub(crate) fn of(policy: &Policy) -> &ActixValues {
        match &policy.actix {
            Actix::Static(values) => values,
            Actix::Lazy(lazy) => lazy.get_or_init(|| Self::convert(policy)),
        }
    }

    #[cold]
    fn convert(policy: &Policy) -> ActixValues {
        // The policy's values are valid `http` 1 values, hence valid 0.2 ones.
        let convert = |p| {
            policy
                .prebuilt(p)
                .and_then(|v| HeaderValue::from_bytes(v.as_bytes()).ok())
                .map(shared)
        };
        let origins = match &policy.parts.origins {
            Origins::List { exact, .. } => (0..exact.origins.len())
                .map(|i| {
                    let bytes = exact.origins[i].as_bytes();
                    // Validated origins are visible ASCII; a table built by hand through
                    // `__private` may hold anything, which is then echoed as nothing.
                    shared(HeaderValue::from_bytes(bytes).unwrap_or(HeaderValue::from_static("")))
                })
                .collect(),
            Origins::Any => Vec::new(),
        };
        ActixValues {
            allow_methods: convert(Prebuilt::AllowMethods),
            allow_headers: convert(Prebuilt::AllowHeaders),
            expose_headers: convert(Prebuilt::ExposeHeaders),
            max_age: convert(Prebuilt::MaxAge),
            origins: Cow::Owned(origins),
        }
    }
}

impl Values for ActixValues {
    #[inline(always)]
    fn prebuilt(&self, p: Prebuilt) -> Option<&HeaderValue> {
        match p {
            Prebuilt::AllowMethods => self.allow_methods.as_ref(),
            Prebuilt::AllowHeaders => self.allow_headers.as_ref(),
            Prebuilt::ExposeHeaders => self.expose_headers.as_ref(),
            Prebuilt::MaxAge => self.max_age.as_ref(),
        }
    }

    #[inline]
    fn listed_origin(&self, index: u32) -> Option<HeaderValue> {
        self.origins.get(index as usize).cloned()
    }
}
