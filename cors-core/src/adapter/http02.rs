//! The header writer over actix-web 4's header map (`http` 0.2 names and values).

use std::fmt;

use actix_web::dev::ServiceRequest;

use crate::engine::Request;
use crate::routes::PolicyRef;

header_writer!(pub(crate) actix_web::http);

impl Request for ServiceRequest {
    fn method(&self) -> &[u8] {
        self.method().as_str().as_bytes()
    }

    fn lines(&self, name: RequestHeader) -> impl Iterator<Item = &[u8]> {
        lines(self.headers(), name)
    }
}

/// A policy with its prebuilt values converted to actix-web's `HeaderValue` once.
pub(crate) struct Entry {
    /// The policy.
    pub(crate) policy: PolicyRef,
    allow_methods: Option<HeaderValue>,
    allow_headers: Option<HeaderValue>,
    expose_headers: Option<HeaderValue>,
    max_age: Option<HeaderValue>,
}

impl Entry {
    /// Converts `policy`'s prebuilt values.
    pub(crate) fn new(policy: &PolicyRef) -> Entry {
        // The policy's values are valid `http` 1 values, hence valid 0.2 ones.
        let snapshot = policy.load();
        let convert = |p| {
            snapshot
                .prebuilt(p)
                .and_then(|v| HeaderValue::from_bytes(v.as_bytes()).ok())
        };
        Entry {
            policy: policy.clone(),
            allow_methods: convert(Prebuilt::AllowMethods),
            allow_headers: convert(Prebuilt::AllowHeaders),
            expose_headers: convert(Prebuilt::ExposeHeaders),
            max_age: convert(Prebuilt::MaxAge),
        }
    }
}

impl Values for Entry {
    fn prebuilt(&self, p: Prebuilt) -> Option<&HeaderValue> {
        match p {
            Prebuilt::AllowMethods => self.allow_methods.as_ref(),
            Prebuilt::AllowHeaders => self.allow_headers.as_ref(),
            Prebuilt::ExposeHeaders => self.expose_headers.as_ref(),
            Prebuilt::MaxAge => self.max_age.as_ref(),
        }
    }
}

impl fmt::Debug for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.policy, f)
    }
}
