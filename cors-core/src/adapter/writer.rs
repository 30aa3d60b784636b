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
        #[allow(unused_imports)] // each version's `merge_vary` uses some
        use crate::engine::vary::{append_missing, missing};
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
        #[inline(always)]
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

        /// Every line of the four headers the engine reads, in one walk over the
        /// map (a name comparison per line) instead of four hashed lookups.
        #[allow(dead_code)] // the actix-web map is looked up instead
        pub(crate) fn each_line<'a>(headers: &'a HeaderMap, mut f: impl FnMut(RequestHeader, &'a [u8])) {
            for (name, value) in headers.iter() {
                let h = if *name == header::ORIGIN {
                    RequestHeader::Origin
                } else if *name == header::ACCESS_CONTROL_REQUEST_METHOD {
                    RequestHeader::RequestMethod
                } else if *name == header::ACCESS_CONTROL_REQUEST_HEADERS {
                    RequestHeader::RequestHeaders
                } else if *name == ACRPN {
                    RequestHeader::RequestPrivateNetwork
                } else {
                    continue;
                };
                f(h, value.as_bytes());
            }
        }

        /// Where a writer finds the policy's prebuilt values, in this `http` version's type.
        pub(crate) trait Values {
            /// One prebuilt value, if the policy has it.
            fn prebuilt(&self, p: Prebuilt) -> Option<&HeaderValue>;

            /// The prebuilt value of exact origin `index` ([`AllowOrigin::Listed`](crate::engine::AllowOrigin::Listed)),
            /// `None` only for an index the policy does not have (then the request's
            /// `Origin` is echoed, if the writer still has it).
            fn listed_origin(&self, index: u32) -> Option<HeaderValue>;
        }

        /// The header value of an engine value. Constants are built at compile time
        /// (`from_static` checks its bytes, so calling it per request would cost);
        /// inlined, so that each of [`Decision::write`](crate::Decision::write)'s
        /// lines becomes a constant or one clone of a prebuilt value.
        #[inline(always)]
        pub(crate) fn value_of(values: &impl Values, v: Value) -> Option<HeaderValue> {
            #![allow(clippy::declare_interior_mutable_const)]
            const STAR: HeaderValue = HeaderValue::from_static("*");
            const TRUE: HeaderValue = HeaderValue::from_static("true");
            Some(match v {
                Value::Star => STAR,
                Value::True => TRUE,
                Value::Prebuilt(p) => values.prebuilt(p)?.clone(),
                Value::Vary(vary) => vary_value(vary),
                Value::VaryToken(t) => vary_token(t),
            })
        }

        /// A `Vary` set's value.
        #[inline(always)]
        fn vary_value(vary: Vary) -> HeaderValue {
            #![allow(clippy::declare_interior_mutable_const)]
            const ORIGIN: HeaderValue = HeaderValue::from_static(Vary::Origin.value());
            const PREFLIGHT: HeaderValue = HeaderValue::from_static(Vary::Preflight.value());
            const PREFLIGHT_PNA: HeaderValue = HeaderValue::from_static(Vary::PreflightPrivateNetwork.value());
            match vary {
                Vary::Origin => ORIGIN,
                Vary::Preflight => PREFLIGHT,
                Vary::PreflightPrivateNetwork => PREFLIGHT_PNA,
            }
        }

        /// The `Vary` line of a value [`append_missing`] hands out (a set or one token).
        #[inline]
        fn vary_line(v: Value) -> Option<HeaderValue> {
            match v {
                Value::Vary(vary) => Some(vary_value(vary)),
                Value::VaryToken(t) => Some(vary_token(t)),
                _ => None,
            }
        }

        /// One `Vary` token: only when a handler's `Vary` already lists some of ours.
        #[cold]
        fn vary_token(t: &'static str) -> HeaderValue {
            #![allow(clippy::declare_interior_mutable_const)]
            const ORIGIN: HeaderValue = HeaderValue::from_static("origin");
            const ACRM: HeaderValue = HeaderValue::from_static("access-control-request-method");
            const ACRH: HeaderValue = HeaderValue::from_static("access-control-request-headers");
            const ACRPN: HeaderValue = HeaderValue::from_static("access-control-request-private-network");
            match t {
                "origin" => ORIGIN,
                "access-control-request-method" => ACRM,
                "access-control-request-headers" => ACRH,
                "access-control-request-private-network" => ACRPN,
                t => HeaderValue::from_static(t),
            }
        }

        /// The request's `Origin` line when the decision echoes it (a pattern or
        /// predicate match): all that an actual request's headers need once the
        /// request has moved inward, a clone (a reference-count increment for a
        /// parsed request). An exact origin is answered with the policy's prebuilt
        /// value, so nothing is looked up for it.
        // Used by both adapters; the `http` 1 copy is idle without the tower one.
        #[cfg_attr(not(feature = "tower"), allow(dead_code))]
        #[inline]
        pub(crate) fn kept_origin(decision: &crate::engine::Decision, request: &HeaderMap) -> Option<HeaderValue> {
            match decision.headers().allow_origin {
                Some(crate::engine::AllowOrigin::Echo) => request.get(header::ORIGIN).cloned(),
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
            values: &'a V,
            /// Where echoed values come from.
            echo: Echo<'a>,
            /// The response's headers.
            response: &'a mut HeaderMap,
            /// Does the response have a `Vary` line? Learnt in the one walk over its
            /// names that [`HeaderWriter::has_cors_headers`] takes; `None` before.
            vary: std::cell::Cell<Option<bool>>,
        }

        impl<'a, V: Values> Writer<'a, V> {
            /// A writer of `values` and `echo` onto `response`.
            #[inline]
            pub(crate) fn new(values: &'a V, echo: Echo<'a>, response: &'a mut HeaderMap) -> Self {
                Writer {
                    values,
                    echo,
                    response,
                    vary: std::cell::Cell::new(None),
                }
            }
        }

        impl<V: Values> HeaderWriter for Writer<'_, V> {
            #[inline]
            fn remove(&mut self, name: ResponseHeader) {
                drop(self.response.remove(response_header_name(name)));
            }

            #[inline(always)]
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

            #[inline]
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
                let lines = match self.vary.get() {
                    Some(false) => None,
                    _ => Some(self.response.get_all(header::VARY).into_iter().map(HeaderValue::as_bytes)),
                };
                lines.into_iter().flatten()
            }

            #[inline]
            fn has_cors_headers(&self) -> bool {
                // One walk over the names, for both questions (a handler's response
                // has a few), instead of a hashed lookup per name.
                let (mut cors, mut vary) = (false, false);
                for name in self.response.keys() {
                    if *name == header::VARY {
                        vary = true;
                    } else if name.as_str().starts_with("access-control-") {
                        cors = true;
                    }
                }
                self.vary.set(Some(vary));
                cors
            }

            #[inline]
            fn merge_vary(&mut self, vary: Vary) {
                // Known from the walk over the names to have no `Vary`: no lookup.
                if self.vary.get() == Some(false) {
                    self.response.append(header::VARY, vary_value(vary));
                } else {
                    merge_vary(self.response, vary);
                }
            }
        }
    };
}
