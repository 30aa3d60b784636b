//! The table of exact origins: open addressing over a fixed hash, laid out the
//! same by the builder and by the `cors!` expansion, looked up without allocating.

use std::borrow::Cow;

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
    /// Builds the table; `origins` must be distinct.
    pub(crate) fn build(origins: Vec<String>) -> Self {
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
        }
    }

    /// Is `origin` one of the exact origins? Allocates nothing; O(1) expected.
    pub(crate) fn contains(&self, origin: &[u8]) -> bool {
        let mask = self.slots.len().wrapping_sub(1);
        if self.origins.is_empty() {
            return false;
        }
        let mut s = hash(origin) as usize & mask;
        // The load factor is at most 1/2, so an empty slot comes soon; the bound only
        // guards a table built by hand through the hidden constructor.
        for _ in 0..self.slots.len() {
            match self.slots[s] {
                0 => return false,
                i => {
                    if self.origins.get(i as usize - 1).is_some_and(|o| o.as_bytes() == origin) {
                        return true;
                    }
                }
            }
            s = (s + 1) & mask;
        }
        false
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
            assert!(t.contains(o.as_bytes()));
        }
        assert!(!t.contains(b"https://o1000.example.com"));
        assert!(!t.contains(b""));
        let empty = OriginTable::build(Vec::new());
        assert!(!empty.contains(b"https://a.com"));
    }
}
