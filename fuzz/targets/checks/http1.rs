//! The `http` 1 API agrees with the raw-bytes one: the same decision from a
//! `HeaderMap`, and the same headers from `Decision::apply` as from `Decision::write`.

use corsair_core::adapter::{response_header_name, ResponseHeader};
use corsair_core::{Decision, RawRequest};

use super::recorder::ALL_RESPONSE;
use crate::targets::spec::Fixed;

/// When the request is representable in `http` 1, deciding from a `HeaderMap`
/// gives the same decision and `Decision::apply` writes the same headers.
pub fn agrees(
    f: &Fixed,
    req: &RawRequest<'_>,
    pre: &[(ResponseHeader, Vec<u8>)],
    d: &Decision,
    written: &[(ResponseHeader, Vec<u8>)],
) {
    use http::header::{HeaderMap, HeaderName, HeaderValue};
    let Ok(method) = http::Method::from_bytes(req.method) else {
        return;
    };
    let mut request = HeaderMap::new();
    for (n, v) in req.headers {
        let (Ok(n), Ok(v)) = (HeaderName::from_bytes(n), HeaderValue::from_bytes(v)) else {
            return;
        };
        request.append(n, v);
    }
    let mut response = HeaderMap::new();
    for (n, v) in pre {
        let Ok(v) = HeaderValue::from_bytes(v) else { return };
        response.append(response_header_name(*n), v);
    }
    let mut h1_request = http::Request::new(());
    *h1_request.method_mut() = method;
    *h1_request.headers_mut() = request;
    let h1 = f.policy.decide(&h1_request);
    let request = h1_request.into_parts().0.headers;
    assert_eq!(&h1, d, "http 1 and raw bytes decide differently for {req:?}");
    d.apply(&f.policy, &request, &mut response);
    for name in ALL_RESPONSE {
        let got: Vec<&[u8]> = response
            .get_all(response_header_name(name))
            .iter()
            .map(HeaderValue::as_bytes)
            .collect();
        let want: Vec<&[u8]> = written
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.as_slice())
            .collect();
        assert_eq!(got, want, "Decision::apply and write differ on {name:?} for {req:?}");
    }
}
