//! The table of exact origins: open addressing over a fixed hash, laid out the
//! same by the builder and by the `cors!` expansion, looked up without allocating.

use std::borrow::Cow;

use http::HeaderValue;

use super::{List, Text};

/// The table of exact origins: open addressing over a fixed hash, so a `cors!`
/// expansion can carry it as static data and lookups take the same time for 1
/// or 10,000 origins.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct OriginTable {
    /// `0` for an empty slot, else index + 1 into `origins`; the length is a power of two.
    pub slots: List<u32>,
    /// The exact origins, canonical.
    pub origins: List<Text>,
    /// The `Access-Control-Allow-Origin` value echoed for each origin, built once
    /// with the policy (so echoing one never copies the request's value). Empty in
    /// a `cors!` expansion, whose origins are `'static` text that becomes a value
    /// without copying.
    pub values: List<HeaderValue>,
}

/// FNV-1a, 64-bit: deterministic, so the macro and the runtime agree on slots.
const fn hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    h
}

impl OriginTable {
    /// Builds the table; `origins` must be distinct, validated origins.
    pub(crate) fn build(origins: Vec<String>) -> Self {
        let values = origins
            .iter()
            .map(|o| {
                // Validated origins are visible ASCII; anything else would be echoed as nothing.
                let v = HeaderValue::from_str(o).unwrap_or(HeaderValue::from_static(""));
                // A value made from a `String` owns its bytes and its first clone
                // allocates the shared count: pay that here, not per request.
                drop(v.clone());
                v
            })
            .collect();
        let cap = (origins.len() * 2).next_power_of_two().max(2);
        let mask = cap - 1;
        let mut slots = vec![0u32; cap];
        for (i, o) in origins.iter().enumerate() {
            let mut s = hash(o.as_bytes()) as usize & mask;
            while slots[s] != 0 {
                s = (s + 1) & mask;
            }
            slots[s] = i as u32 + 1;
        }
        OriginTable {
            slots: Cow::Owned(slots),
            origins: Cow::Owned(origins.into_iter().map(Cow::Owned).collect()),
            values: Cow::Owned(values),
        }
    }

    /// The index of `origin` among the exact origins, if it is one (its value to
    /// echo is [`OriginTable::value`]). Allocates nothing; O(1) expected.
    pub(crate) fn find(&self, origin: &[u8]) -> Option<u32> {
        let mask = self.slots.len().wrapping_sub(1);
        if self.origins.is_empty() {
            return None;
        }
        let mut s = hash(origin) as usize & mask;
        // The load factor is at most 1/2, so an empty slot comes soon; the bound only
        // guards a table built by hand through the hidden constructor.
        for _ in 0..self.slots.len() {
            match self.slots[s] {
                0 => return None,
                i => {
                    if self.origins.get(i as usize - 1).is_some_and(|o| o.as_bytes() == origin) {
                        return Some(i - 1);
                    }
                }
            }
            s = (s + 1) & mask;
        }
        None
    }

    /// The value to echo for the exact origin at `index` (from [`OriginTable::find`]):
    /// the prebuilt one, or for `'static` text a value over that text. Allocates
    /// nothing (a prebuilt value is shared, a static one borrowed).
    pub(crate) fn value(&self, index: u32) -> Option<HeaderValue> {
        let i = index as usize;
        if let Some(v) = self.values.get(i) {
            return Some(v.clone());
        }
        match self.origins.get(i)? {
            // `from_static` panics on bytes a header value cannot hold; check first
            // (a table built through the hidden constructor is not validated).
            Cow::Borrowed(s) if s.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b)) => {
                Some(HeaderValue::from_static(s))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_lookup() {
        let origins: Vec<String> = (0..1000).map(|i| format!("https://o{i}.example.com")).collect();
        let t = OriginTable::build(origins.clone());
        for o in &origins {
            let i = t.find(o.as_bytes()).expect("listed");
            assert_eq!(t.value(i).as_ref().map(HeaderValue::as_bytes), Some(o.as_bytes()));
        }
        assert_eq!(t.find(b"https://o1000.example.com"), None);
        assert_eq!(t.find(b""), None);
        let empty = OriginTable::build(Vec::new());
        assert_eq!(empty.find(b"https://a.com"), None);
    }

    #[test]
    fn static_text_becomes_a_value_and_bad_bytes_none() {
        let t = OriginTable {
            slots: Cow::Borrowed(&[1, 2]),
            origins: Cow::Borrowed(&[Cow::Borrowed("https://a.com"), Cow::Borrowed("https://\u{7f}.com")]),
            values: Cow::Borrowed(&[]),
        };
        assert_eq!(t.value(0).unwrap(), "https://a.com");
        assert_eq!(t.value(1), None);
        assert_eq!(t.value(2), None);
    }
}
