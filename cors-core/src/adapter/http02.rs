//! The header writer over actix-web 4's header map (`http` 0.2 names and values).

use actix_web::dev::ServiceRequest;

use crate::engine::Request;
use crate::policy::Policy;

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

/// A policy's prebuilt values as actix-web's `HeaderValue`s, made on the policy's
/// first request and kept in the policy itself: a replaced
/// [`LivePolicy`](crate::LivePolicy) takes its own along, so the old lists are
/// never sent after a replacement.
#[derive(Clone, Debug)]
pub(crate) struct Converted {
    allow_methods: Option<HeaderValue>,
    allow_headers: Option<HeaderValue>,
    expose_headers: Option<HeaderValue>,
    max_age: Option<HeaderValue>,
}

impl Converted {
    /// `policy`'s values, converted on its first call and kept in it.
    pub(crate) fn of(policy: &Policy) -> &Converted {
        policy.actix.get_or_init(|| {
            // The policy's values are valid `http` 1 values, hence valid 0.2 ones.
            let convert = |p| {
                policy
                    .prebuilt(p)
                    .and_then(|v| HeaderValue::from_bytes(v.as_bytes()).ok())
            };
            Converted {
                allow_methods: convert(Prebuilt::AllowMethods),
                allow_headers: convert(Prebuilt::AllowHeaders),
                expose_headers: convert(Prebuilt::ExposeHeaders),
                max_age: convert(Prebuilt::MaxAge),
            }
        })
    }
}

impl Values for Converted {
    fn prebuilt(&self, p: Prebuilt) -> Option<&HeaderValue> {
        match p {
            Prebuilt::AllowMethods => self.allow_methods.as_ref(),
            Prebuilt::AllowHeaders => self.allow_headers.as_ref(),
            Prebuilt::ExposeHeaders => self.expose_headers.as_ref(),
            Prebuilt::MaxAge => self.max_age.as_ref(),
        }
    }
}
