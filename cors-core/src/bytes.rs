//! Byte-string helpers that work eight bytes at a time, shared by the origin table
//! and the `Access-Control-Request-Headers` scanner: comparing, hashing,
//! lower-casing, finding a comma and ordering short strings (origins, header
//! names) without a call into `memcmp` or a byte-at-a-time loop.

use std::cmp::Ordering;

/// Tables (exact origins, listed header names) of at most this many entries are
/// scanned, length first, not hashed: for so few, the comparisons cost less than
/// hashing, and a miss costs at most this many length comparisons.
pub(crate) const SCAN_MAX: usize = 8;

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Eight bytes of `s` from `i` (little-endian), `0` past its end.
#[inline(always)]
fn word(s: &[u8], i: usize) -> u64 {
    match s.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        Some(w) => u64::from_le_bytes(*w),
        None => 0,
    }
}

/// A string of fewer than 8 bytes as one word: two overlapping 4-byte reads, or
/// the first, middle and last byte (which cover every position of 1 to 3 bytes),
/// so two strings of the same length are equal exactly when their words are.
#[inline(always)]
fn short(s: &[u8]) -> u64 {
    match s.len() {
        0 => 0,
        4.. => {
            let lo = s.first_chunk::<4>().map_or(0, |w| u32::from_le_bytes(*w));
            let hi = s.last_chunk::<4>().map_or(0, |w| u32::from_le_bytes(*w));
            u64::from(lo) << 32 | u64::from(hi)
        }
        n => u64::from(s[0]) << 16 | u64::from(s[n / 2]) << 8 | u64::from(s[n - 1]),
    }
}

/// Are `a` and `b` the same bytes? The lengths first, then eight bytes at a time
/// (the last word overlapping the one before), inline: for the short strings
/// compared here (origins, header names) this costs less than a call to `memcmp`.
#[inline]
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        if n >= 4 {
            return short(a) == short(b);
        }
        // 0 to 3 bytes (methods like `PUT`): byte by byte, stopping at the first
        // difference, cheaper than building the two words.
        return match (a, b) {
            ([], []) => true,
            ([a0, ..], [b0, ..]) => a0 == b0 && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1],
            _ => false,
        };
    }
    let mut i = 0;
    while i + 8 < n {
        if word(a, i) != word(b, i) {
            return false;
        }
        i += 8;
    }
    word(a, n - 8) == word(b, n - 8)
}

/// The tables' hash of the bytes as `f` maps each (zero-padded) word: the identity
/// for origins, ASCII lower-casing ([`lower_word`]) for header names looked up in
/// any case. `f` must map a zero byte to zero and act on each byte alone. Each word
/// is folded in with a 64x64->128-bit multiply (wyhash's mixing step), the length
/// first so a prefix hashes apart. Deterministic, so the `cors!` expansion and the
/// builder lay out the same slots.
#[inline(always)]
pub(crate) fn hash_words(bytes: &[u8], f: impl Fn(u64) -> u64) -> u64 {
    const K0: u64 = 0xa076_1d64_78bd_642f;
    const K1: u64 = 0xe703_7ed1_a0b4_28db;
    fn mix(a: u64, b: u64) -> u64 {
        let r = u128::from(a) * u128::from(b);
        (r as u64) ^ ((r >> 64) as u64)
    }
    let mut h = mix(bytes.len() as u64 ^ K0, K1);
    let mut rest = bytes;
    while let Some((word, tail)) = rest.split_first_chunk::<8>() {
        h = mix(h ^ f(u64::from_le_bytes(*word)), K1);
        rest = tail;
    }
    // 0 to 7 bytes left; the two 4-byte reads of 4 to 7 also fold in their length.
    let last = match rest.len() {
        n @ 4.. => f(short(rest)) ^ n as u64,
        _ => f(short(rest)),
    };
    mix(h ^ last ^ K0, K1)
}

/// ASCII lower-casing of eight bytes at once (each byte alone, as
/// `u8::to_ascii_lowercase`): a byte whose low seven bits are `A`..=`Z` and whose
/// high bit is clear gets `0x20` added.
#[inline(always)]
pub(crate) fn lower_word(w: u64) -> u64 {
    let low7 = w & !HIGHS;
    let from_a = low7 + (0x80 - u64::from(b'A')) * ONES;
    let past_z = low7 + (0x80 - u64::from(b'Z') - 1) * ONES;
    let upper = from_a & !past_z & !w & HIGHS;
    w | (upper >> 2)
}

/// Where the first `,` of `s` is (`s.len()` when there is none), eight bytes at a
/// time: a zero byte of `word ^ ",,,,,,,,"` is a comma, and the lowest byte the
/// classic zero-byte test flags is always a real one.
#[inline]
pub(crate) fn comma(s: &[u8]) -> usize {
    let mut i = 0;
    while let Some(w) = s.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let x = u64::from_le_bytes(*w) ^ (u64::from(b',') * ONES);
        let found = x.wrapping_sub(ONES) & !x & HIGHS;
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    let tail = s.get(i..).unwrap_or_default();
    i + tail.iter().position(|&b| b == b',').unwrap_or(tail.len())
}

/// Does `name` sort strictly after `prev` (byte order)? The first eight bytes
/// decide, big-endian and zero-padded, unless they are equal. An empty `name`
/// is after nothing.
#[inline]
pub(crate) fn after_name(name: &[u8], prev: &[u8]) -> bool {
    fn head(s: &[u8]) -> u64 {
        match s.first_chunk::<8>() {
            Some(w) => u64::from_be_bytes(*w),
            // Fewer than 8 bytes: shifted up as if zero-padded.
            None => s.iter().fold(0, |w, &b| w << 8 | u64::from(b)) << (8 * (8 - s.len())),
        }
    }
    if name.is_empty() || prev.is_empty() {
        return !name.is_empty();
    }
    match head(name).cmp(&head(prev)) {
        Ordering::Greater => true,
        Ordering::Less => false,
        Ordering::Equal => name > prev,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_compares_every_byte_of_every_length() {
        let base: Vec<u8> = (0..40u8).map(|i| b'a' + i % 26).collect();
        for len in 0..=base.len() {
            let a = &base[..len];
            let copy = a.to_vec();
            assert!(same(a, &copy));
            if len > 0 {
                assert!(!same(a, &base[..len - 1]), "length {len}");
            }
            for i in 0..len {
                let mut b = a.to_vec();
                b[i] ^= 0x20;
                assert!(!same(a, &b), "byte {i} of {len}");
            }
        }
    }

    #[test]
    fn lower_word_lowercases_each_byte_as_u8_does() {
        for b in 0..=255u8 {
            for pos in 0..8 {
                // The byte among neighbours that are and are not letters, both cases.
                for fill in [0u8, b'A', b'z', b'Z' + 1, 0xc1, 0xff] {
                    let mut bytes = [fill; 8];
                    bytes[pos] = b;
                    let expected = bytes.map(|x| x.to_ascii_lowercase());
                    assert_eq!(
                        lower_word(u64::from_le_bytes(bytes)).to_le_bytes(),
                        expected,
                        "byte {b:#04x} at {pos} among {fill:#04x}"
                    );
                }
            }
        }
    }

    #[test]
    fn comma_finds_the_first_comma_at_every_position() {
        for len in 0..40 {
            let plain = vec![b'a'; len];
            assert_eq!(comma(&plain), len);
            for at in 0..len {
                let mut v = plain.clone();
                v[at] = b',';
                // A second comma later, and bytes either side of `,` (0x2c), change nothing.
                if at + 3 < len {
                    v[at + 3] = b',';
                }
                if at > 0 {
                    v[at - 1] = b'+';
                }
                assert_eq!(comma(&v), at, "{len} {at}");
            }
        }
    }

    #[test]
    fn after_name_is_byte_order() {
        let names: [&[u8]; 12] = [
            b"",
            b"a",
            b"ab",
            b"abcdefgh",
            b"abcdefghi",
            b"abcdefgi",
            b"abcdefg",
            b"b",
            b"x-api-key",
            b"x-api-kez",
            b"content-type",
            b"content-typf",
        ];
        for a in names {
            for b in names {
                assert_eq!(after_name(a, b), !a.is_empty() && a > b, "{a:?} {b:?}");
            }
        }
    }
}
