//! A `HeaderWriter` that records what `Decision::write` does, over a response
//! that may already carry a handler's headers.

use corsair_core::adapter::{HeaderWriter, RequestHeader, ResponseHeader, Value};
use corsair_core::Policy;

/// Every line of the request header `name` (names compared case-insensitively), in order.
pub fn lines_of<'a>(headers: &[(&'a [u8], &'a [u8])], name: RequestHeader) -> Vec<&'a [u8]> {
    headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name.name().as_bytes()))
        .map(|(_, v)| *v)
        .collect()
}

/// What `Decision::write` wrote, line by line.
pub struct Recorder<'a> {
    pub policy: &'a Policy,
    pub request: &'a [(&'a [u8], &'a [u8])],
    pub out: Vec<(ResponseHeader, Vec<u8>)>,
}

impl Recorder<'_> {
    pub fn get(&self, name: ResponseHeader) -> Vec<Vec<u8>> {
        self.out
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

impl HeaderWriter for Recorder<'_> {
    fn remove(&mut self, name: ResponseHeader) {
        assert_ne!(name, ResponseHeader::Vary, "write removed the handler's Vary");
        self.out.retain(|(n, _)| *n != name);
    }

    fn append(&mut self, name: ResponseHeader, value: Value) {
        let bytes = match value {
            Value::Star => b"*".to_vec(),
            Value::True => b"true".to_vec(),
            Value::Prebuilt(p) => self
                .policy
                .prebuilt(p)
                .unwrap_or_else(|| panic!("write asked for prebuilt {p:?}, which the policy lacks"))
                .as_bytes()
                .to_vec(),
            Value::Vary(v) => v.value().as_bytes().to_vec(),
            Value::VaryToken(t) => t.as_bytes().to_vec(),
        };
        self.out.push((name, bytes));
    }

    fn echo(&mut self, name: ResponseHeader, from: RequestHeader) {
        for v in lines_of(self.request, from) {
            self.out.push((name, v.to_vec()));
        }
    }

    fn vary(&self) -> impl Iterator<Item = &[u8]> {
        self.out
            .iter()
            .filter(|(n, _)| *n == ResponseHeader::Vary)
            .map(|(_, v)| v.as_slice())
    }
}

/// Every response header the engine writes; the `engine` target picks a handler's
/// headers from it by index, so its order is part of how the corpus decodes.
pub const ALL_RESPONSE: [ResponseHeader; 8] = [
    ResponseHeader::AllowOrigin,
    ResponseHeader::AllowCredentials,
    ResponseHeader::AllowMethods,
    ResponseHeader::AllowHeaders,
    ResponseHeader::MaxAge,
    ResponseHeader::AllowPrivateNetwork,
    ResponseHeader::ExposeHeaders,
    ResponseHeader::Vary,
];
