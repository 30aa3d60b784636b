//! The one header writer, written once for every `http` version: actix-web 4 is
//! built on `http` 0.2 while tower and hyper use `http` 1, whose types differ.

/// Expands, inside a module, to the header-name maps, the constant values, the
/// echo source and the [`HeaderWriter`](crate::adapter::HeaderWriter) over the
/// header map of the `http` crate at `$http` (`http` or `actix_web::http`).
/// `$vis` is the visibility of the name maps (`pub` for the public `http` 1 ones).
macro_rules! header_writer {
    ($vis:vis $($http:ident)::+) => {
        use $($http)::+::header::{self as header, HeaderMap, HeaderName, HeaderValue};

        use crate::engine::{HeaderWriter, RequestHeader, ResponseHeader, Value, Vary};
        use crate::policy::Prebuilt;

        const ACRPN: HeaderName = HeaderName::from_static("access-control-request-private-network");
        const ACAPN: HeaderName = HeaderName::from_static("access-control-allow-private-network");

        /// The name of a request header the engine reads.
        $vis fn request_header_name(h: RequestHeader) -> HeaderName {
            match h {
                RequestHeader::Origin => header::ORIGIN,
                RequestHeader::RequestMethod => header::ACCESS_CONTROL_REQUEST_METHOD,
                RequestHeader::RequestHeaders => header::ACCESS_CONTROL_REQUEST_HEADERS,
                RequestHeader::RequestPrivateNetwork => ACRPN,
            }
        }

        /// The name of a response header the engine writes.
        $vis fn response_header_name(h: ResponseHeader) -> HeaderName {
            match h {
                ResponseHeader::AllowOrigin => header::ACCESS_CONTROL_ALLOW_ORIGIN,
                ResponseHeader::AllowCredentials => header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                ResponseHeader::AllowMethods => header::ACCESS_CONTROL_ALLOW_METHODS,
                ResponseHeader::AllowHeaders => header::ACCESS_CONTROL_ALLOW_HEADERS,
                ResponseHeader::MaxAge => header::ACCESS_CONTROL_MAX_AGE,
                ResponseHeader::AllowPrivateNetwork => ACAPN,
                ResponseHeader::ExposeHeaders => header::ACCESS_CONTROL_EXPOSE_HEADERS,
                ResponseHeader::Vary => header::VARY,
            }
        }

        /// Every line of one request header, as bytes.
        // `http` 1's `GetAll` is only `IntoIterator`; actix-web's is an iterator.
        #[allow(clippy::useless_conversion)]
        pub(crate) fn lines(headers: &HeaderMap, name: RequestHeader) -> impl Iterator<Item = &[u8]> {
            headers
                .get_all(request_header_name(name))
                .into_iter()
                .map(HeaderValue::as_bytes)
        }

        /// Where a writer finds the policy's prebuilt values, in this `http` version's type.
        pub(crate) trait Values {
            /// Does [`Values::listed_origin`] serve exact origins? If not, the
            /// request's `Origin` is kept and echoed for them too.
            const LISTED_ORIGINS: bool = false;

            /// One prebuilt value, if the policy has it.
            fn prebuilt(&self, p: Prebuilt) -> Option<&HeaderValue>;

            /// The prebuilt value of exact origin `index` ([`AllowOrigin::Listed`](crate::engine::AllowOrigin::Listed)).
            fn listed_origin(&self, index: u32) -> Option<HeaderValue> {
                let _ = index;
                None
            }
        }

        /// The header value of an engine value. Constants are built at compile time
        /// (`from_static` checks its bytes, so calling it per request would cost).
        pub(crate) fn value_of(values: &impl Values, v: Value) -> Option<HeaderValue> {
            #![allow(clippy::declare_interior_mutable_const)]
            const STAR: HeaderValue = HeaderValue::from_static("*");
            const TRUE: HeaderValue = HeaderValue::from_static("true");
            const ORIGIN: HeaderValue = HeaderValue::from_static(Vary::Origin.value());
            const PREFLIGHT: HeaderValue = HeaderValue::from_static(Vary::Preflight.value());
            const PREFLIGHT_PNA: HeaderValue = HeaderValue::from_static(Vary::PreflightPrivateNetwork.value());
            const ACRM: HeaderValue = HeaderValue::from_static("access-control-request-method");
            const ACRH: HeaderValue = HeaderValue::from_static("access-control-request-headers");
            const ACRPN: HeaderValue = HeaderValue::from_static("access-control-request-private-network");
            Some(match v {
                Value::Star => STAR,
                Value::True => TRUE,
                Value::Prebuilt(p) => values.prebuilt(p)?.clone(),
                Value::Vary(Vary::Origin) | Value::VaryToken("origin") => ORIGIN,
                Value::Vary(Vary::Preflight) => PREFLIGHT,
                Value::Vary(Vary::PreflightPrivateNetwork) => PREFLIGHT_PNA,
                // The single tokens: only when a handler's `Vary` already lists some of ours.
                Value::VaryToken("access-control-request-method") => ACRM,
                Value::VaryToken("access-control-request-headers") => ACRH,
                Value::VaryToken("access-control-request-private-network") => ACRPN,
                Value::VaryToken(t) => HeaderValue::from_static(t),
            })
        }

        /// The request's `Origin` line when the decision echoes it: all that an actual
        /// request's headers need once the request has moved inward. Not kept for an
        /// exact origin that `values` serves from its prebuilt value, so a request
        /// whose values own their bytes (built in process) costs no copy; a pattern
        /// match clones (a reference-count increment for a parsed request).
        // Used by both adapters; the `http` 1 copy is idle without the tower one.
        #[cfg_attr(not(feature = "tower"), allow(dead_code))]
        pub(crate) fn kept_origin<V: Values>(
            _values: &V,
            decision: &crate::engine::Decision,
            request: &HeaderMap,
        ) -> Option<HeaderValue> {
            use crate::engine::AllowOrigin;
            match decision.headers().allow_origin {
                Some(AllowOrigin::Echo) => request.get(header::ORIGIN).cloned(),
                Some(AllowOrigin::Listed(_)) if !V::LISTED_ORIGINS => request.get(header::ORIGIN).cloned(),
                _ => None,
            }
        }

        /// Where echoed values come from.
        pub(crate) enum Echo<'a> {
            /// The request's headers (a preflight: the request is still here).
            Request(&'a HeaderMap),
            /// Only the `Origin`, kept aside after the request moved on (into the
            /// handler): a decision that is not a preflight echoes nothing else.
            Origin(Option<&'a HeaderValue>),
        }

        /// Writes a decision onto a response header map; echoed values are clones
        /// of the request's own header values (no allocation for a parsed request).
        pub(crate) struct Writer<'a, V> {
            /// The policy's prebuilt values.
            pub(crate) values: &'a V,
            /// Where echoed values come from.
            pub(crate) echo: Echo<'a>,
            /// The response's headers.
            pub(crate) response: &'a mut HeaderMap,
        }

        impl<V: Values> HeaderWriter for Writer<'_, V> {
            fn remove(&mut self, name: ResponseHeader) {
                self.response.remove(response_header_name(name));
            }

            fn append(&mut self, name: ResponseHeader, v: Value) {
                if let Some(v) = value_of(self.values, v) {
                    self.response.append(response_header_name(name), v);
                }
            }

            fn echo(&mut self, name: ResponseHeader, from: RequestHeader) {
                match self.echo {
                    Echo::Request(request) => {
                        for v in request.get_all(request_header_name(from)) {
                            self.response.append(response_header_name(name), v.clone());
                        }
                    }
                    Echo::Origin(Some(origin)) if from == RequestHeader::Origin => {
                        self.response.append(response_header_name(name), origin.clone());
                    }
                    Echo::Origin(_) => {}
                }
            }

            fn listed_origin(&mut self, index: u32) {
                match self.values.listed_origin(index) {
                    Some(v) => {
                        self.response.append(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
                    }
                    None => self.echo(ResponseHeader::AllowOrigin, RequestHeader::Origin),
                }
            }

            #[allow(clippy::useless_conversion)]
            fn vary(&self) -> impl Iterator<Item = &[u8]> {
                self.response
                    .get_all(header::VARY)
                    .into_iter()
                    .map(HeaderValue::as_bytes)
            }

            fn has_cors_headers(&self) -> bool {
                self.response.keys().any(|k| k.as_str().starts_with("access-control-"))
            }
        }
    };
}
