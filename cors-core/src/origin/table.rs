//! The table of exact origins: open addressing over a fixed hash, laid out the
//! same by the builder and by the `cors!` expansion, looked up without allocating.
//!
//! A table of at most [`SCAN_MAX`] origins (most policies list one to a few) is
//! not hashed at all: the `Origin` is compared with each listed origin, length
//! first, then eight bytes at a time ([`same`]), which costs less than hashing it.
//! Above that the hash table answers, in the same time for 100 or 10,000 origins.
//!
//! The hash reads the origin eight bytes at a time (three multiplies for a
//! 23-byte origin, where byte-at-a-time FNV-1a took 23). It is fixed, not seeded,
//! and that is safe here: hash flooding needs the attacker to choose the keys
//! *stored* in a table, and this table holds only the policy's own origins, fixed
//! when it is built (at compile time for `cors!`). A request only looks one key
//! up, so the worst it can do is land on the longest run of occupied slots, which
//! the policy alone decides: at most half the slots are used, and the `Origin` is
//! hashed only when it is no longer than the longest allowed origin (checked
//! first, in `Policy::allows_origin`). The work per request is bounded by the
//! policy whatever the request sends.

use std::borrow::Cow;

use http::HeaderValue;

use super::{List, Text};
use crate::bytes::{hash_words, same, SCAN_MAX};
use crate::policy::shared;

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
    /// with the policy (so echoing one never copies the request's value): by the
    /// builder, or at compile time by a `cors!` expansion (a `static` array of
    /// `from_static` values, so an echo costs no check of its bytes). A table laid
    /// out by hand may leave it empty; its `'static` texts are then checked and
    /// made values per request.
    pub values: List<HeaderValue>,
}

/// The table's hash: 8 bytes at a time, each word folded in with a 64x64->128-bit
/// multiply (wyhash's mixing step), the length first so a prefix hashes apart.
/// Deterministic, so the macro and the builder lay out the same slots.
pub(crate) fn hash(bytes: &[u8]) -> u64 {
    hash_words(bytes, |w| w)
}

impl OriginTable {
    /// The slot hash of an origin (the table's slot is its low bits): for tests
    /// and for tables laid out by hand through `__private`.
    #[doc(hidden)]
    pub fn hash(origin: &[u8]) -> u64 {
        hash(origin)
    }

    /// Builds the table; `origins` must be distinct, validated origins.
    pub(crate) fn build(origins: Vec<String>) -> Self {
        let values = origins
            .iter()
            .map(|o| {
                // Validated origins are visible ASCII; anything else would be echoed as nothing.
                shared(HeaderValue::from_str(o).unwrap_or(HeaderValue::from_static("")))
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
    #[inline(always)]
    pub(crate) fn find(&self, origin: &[u8]) -> Option<u32> {
        let origins: &[Text] = &self.origins;
        if origins.len() <= SCAN_MAX {
            // `origins.len() <= 8`, so the index fits.
            return origins
                .iter()
                .position(|o| same(o.as_bytes(), origin))
                .map(|i| i as u32);
        }
        self.find_hashed(origin)
    }

    /// [`OriginTable::find`] in a table of more than [`SCAN_MAX`] origins.
    #[inline(never)]
    fn find_hashed(&self, origin: &[u8]) -> Option<u32> {
        let origins: &[Text] = &self.origins;
        let mask = self.slots.len().wrapping_sub(1);
        let mut s = hash(origin) as usize & mask;
        // The load factor is at most 1/2, so an empty slot comes soon; the bound only
        // guards a table built by hand through the hidden constructor.
        for _ in 0..self.slots.len() {
            match self.slots[s] {
                0 => return None,
                i => {
                    if origins.get(i as usize - 1).is_some_and(|o| same(o.as_bytes(), origin)) {
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
    /// nothing (a prebuilt value is shared, a static one borrowed). A `cors!`
    /// expansion prebuilds its values too, so only a table built by hand through
    /// `__private` without them reaches the check of its text.
    #[inline]
    pub(crate) fn value(&self, index: u32) -> Option<HeaderValue> {
        let i = index as usize;
        if let Some(v) = self.values.get(i) {
            return Some(v.clone());
        }
        self.value_of_text(i)
    }

    #[cold]
    fn value_of_text(&self, i: usize) -> Option<HeaderValue> {
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
    fn small_tables_are_scanned_and_find_the_same() {
        // Up to SCAN_MAX origins (scanned) and one more (hashed): every listed origin
        // is found at its index, and a one-byte change, a prefix or an extension misses.
        for n in 1..=SCAN_MAX + 1 {
            let origins: Vec<String> = (0..n).map(|i| format!("https://a{i}.example.com")).collect();
            let t = OriginTable::build(origins.clone());
            for (i, o) in origins.iter().enumerate() {
                assert_eq!(t.find(o.as_bytes()), Some(i as u32), "{o} of {n}");
                let mut changed = o.clone().into_bytes();
                *changed.last_mut().unwrap() ^= 1;
                assert_eq!(t.find(&changed), None);
                assert_eq!(t.find(&o.as_bytes()[..o.len() - 1]), None);
                assert_eq!(t.find(format!("{o}m").as_bytes()), None);
            }
        }
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

    #[test]
    fn every_length_and_every_byte_counts() {
        // Each tail length (0 to 7 bytes after whole words) and each byte position
        // changes the hash: a hash that skipped a byte would give these equal.
        let base = "https://tenant.example.com:8443";
        for len in 0..=base.len() {
            let a = &base.as_bytes()[..len];
            if len > 0 {
                assert_ne!(hash(a), hash(&base.as_bytes()[..len - 1]), "length {len}");
            }
            for i in 0..len {
                let mut b = a.to_vec();
                b[i] ^= 1;
                assert_ne!(hash(a), hash(&b), "byte {i} of {len}");
            }
        }
    }
}
