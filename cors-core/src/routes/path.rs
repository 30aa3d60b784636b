//! Fail-closed path readings (RULES.md section 7): the request path as received and
//! as routers and path-normalizing services may read it, each over the raw bytes.

use std::fmt;

/// A route prefix has at most this many segments (checked when the table is
/// built), so a reading keeps at most this many segments on its stack; deeper
/// segments are counted, not kept, which is all the prefix comparison needs.
pub(crate) const MAX_PREFIX_SEGMENTS: usize = 16;

/// Empty segments (`//`): kept, as received, or dropped (actix-web's
/// `NormalizePath`, many proxies).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Empty {
    Keep,
    Drop,
}

/// Dot segments: left alone, resolved when written literally (`.`, `..`), or
/// resolved after decoding too (`%2e`, `.%2E`: the URL Standard, file servers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dots {
    Keep,
    Literal,
    Decoded,
}

/// Percent-escapes: compared as received, decoded within a segment, or decoded
/// with `%2F`, `%5C` and `\` also read as separators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Decode {
    No,
    Segment,
    Separators,
}

/// One way to read a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Reading {
    empty: Empty,
    dots: Dots,
    decode: Decode,
    /// ASCII case folded: a file server on a case-insensitive file system.
    fold: bool,
}

impl Reading {
    /// The path as received: split on `/` only, compared byte for byte.
    pub(crate) const RAW: Reading = Reading {
        empty: Empty::Keep,
        dots: Dots::Keep,
        decode: Decode::No,
        fold: false,
    };

    /// Every other reading: each combination of the first three choices, then
    /// the most lenient one with case folded.
    pub(crate) const OTHERS: [Reading; 18] = {
        let mut all = [Reading::RAW; 18];
        let mut i = 1;
        while i < 18 {
            all[i - 1] = Reading {
                empty: [Empty::Keep, Empty::Drop][i % 2],
                dots: [Dots::Keep, Dots::Literal, Dots::Decoded][(i / 2) % 3],
                decode: [Decode::No, Decode::Segment, Decode::Separators][i / 6],
                fold: false,
            };
            i += 1;
        }
        all[17] = Reading {
            empty: Empty::Drop,
            dots: Dots::Decoded,
            decode: Decode::Separators,
            fold: true,
        };
        all
    };
}

impl fmt::Display for Reading {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Reading::RAW {
            return f.write_str("as received");
        }
        let parts = [
            (self.empty == Empty::Drop).then_some("empty segments dropped"),
            match self.dots {
                Dots::Keep => None,
                Dots::Literal => Some("`.` and `..` resolved"),
                Dots::Decoded => Some("`.` and `..` (also as `%2e`) resolved"),
            },
            match self.decode {
                Decode::No => None,
                Decode::Segment => Some("percent-escapes decoded"),
                Decode::Separators => Some("percent-escapes decoded and `%2F`, `%5C`, `\\` read as `/`"),
            },
            self.fold.then_some("ASCII case folded"),
        ];
        f.write_str("with ")?;
        for (i, part) in parts.iter().flatten().enumerate() {
            write!(f, "{}{part}", if i == 0 { "" } else { ", " })?;
        }
        Ok(())
    }
}

/// Does every reading of `path` equal the raw one? True when the path has no
/// `%`, no `\`, no upper-case letter, no empty segment but a trailing one, and
/// no `.` or `..` segment. One pass, no allocation.
pub(crate) fn is_plain(path: &[u8]) -> bool {
    if path.iter().any(|&b| b == b'%' || b == b'\\' || b.is_ascii_uppercase()) {
        return false;
    }
    let body = path.strip_prefix(b"/").unwrap_or(path);
    let mut segments = body.split(|&b| b == b'/').peekable();
    while let Some(s) = segments.next() {
        let last = segments.peek().is_none();
        if (s.is_empty() && !last) || s == b"." || s == b".." {
            return false;
        }
    }
    true
}

/// The first of `prefixes` (each given as its segments) whose segments all equal
/// the first segments of `path` under `reading`, or `None` (the default entry).
///
/// One pass over the path and a fixed stack of [`MAX_PREFIX_SEGMENTS`] segment
/// ranges; no allocation. Decoding happens while comparing, byte by byte: an
/// invalid escape (`%zz`, `%4`) stays as written, and decoded bytes are bytes
/// (an overlong UTF-8 form such as `%C0%AF` is not a `/`).
pub(crate) fn select<'p, P>(path: &[u8], reading: Reading, prefixes: P) -> Option<usize>
where
    P: IntoIterator<Item = &'p str>,
{
    let mut stack = [(0usize, 0usize); MAX_PREFIX_SEGMENTS];
    let mut depth = 0usize;
    for (start, end) in segments(path, reading.decode) {
        let seg = &path[start..end];
        if seg.is_empty() && reading.empty == Empty::Drop {
            continue;
        }
        let dot = match reading.dots {
            Dots::Keep => None,
            Dots::Literal => dot_kind(seg.iter().copied()),
            Dots::Decoded => dot_kind(Decoded::new(seg)),
        };
        match dot {
            Some(Dot::One) => continue,
            Some(Dot::Two) => {
                depth = depth.saturating_sub(1);
                continue;
            }
            None => {}
        }
        // Only the first segments matter; deeper ones are counted so `..` pops right.
        if let Some(slot) = stack.get_mut(depth) {
            *slot = (start, end);
        }
        depth += 1;
    }
    let kept = &stack[..depth.min(MAX_PREFIX_SEGMENTS)];
    let decode = reading.decode != Decode::No;
    let same = |a: u8, b: u8| {
        if reading.fold {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    prefixes.into_iter().position(|prefix| {
        let mut wanted = prefix_segments(prefix);
        let mut have = kept.iter();
        loop {
            match (wanted.next(), have.next()) {
                (None, _) => return true,
                (Some(_), None) => return false,
                (Some(w), Some(&(s, e))) => {
                    let seg = &path[s..e];
                    let equal = if decode {
                        bytes_eq(Decoded::new(seg), w.bytes(), same)
                    } else {
                        bytes_eq(seg.iter().copied(), w.bytes(), same)
                    };
                    if !equal {
                        return false;
                    }
                }
            }
        }
    })
}

fn bytes_eq(mut a: impl Iterator<Item = u8>, mut b: impl Iterator<Item = u8>, same: impl Fn(u8, u8) -> bool) -> bool {
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if same(x, y) => {}
            _ => return false,
        }
    }
}

/// A prefix's segments (`"/a/b"` gives `a`, `b`; the root `""` none).
fn prefix_segments(prefix: &str) -> impl Iterator<Item = &str> {
    prefix.split('/').skip(1)
}

#[derive(Clone, Copy)]
enum Dot {
    One,
    Two,
}

fn dot_kind(mut bytes: impl Iterator<Item = u8>) -> Option<Dot> {
    match (bytes.next(), bytes.next(), bytes.next()) {
        (Some(b'.'), None, _) => Some(Dot::One),
        (Some(b'.'), Some(b'.'), None) => Some(Dot::Two),
        _ => None,
    }
}

/// The byte ranges of the segments of `path`: after a leading `/`, split on `/`
/// (and, under [`Decode::Separators`], on `\`, `%2F` and `%5C` in either case).
fn segments(path: &[u8], decode: Decode) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = usize::from(path.first() == Some(&b'/'));
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let start = at;
        let mut i = at;
        while i < path.len() {
            let sep = match path[i] {
                b'/' => 1,
                b'\\' if decode == Decode::Separators => 1,
                b'%' if decode == Decode::Separators => match path.get(i + 1..i + 3) {
                    Some([b'2', b'f' | b'F'] | [b'5', b'c' | b'C']) => 3,
                    _ => 0,
                },
                _ => 0,
            };
            if sep > 0 {
                at = i + sep;
                return Some((start, i));
            }
            i += 1;
        }
        done = true;
        Some((start, path.len()))
    })
}

/// The bytes of a segment with its valid percent-escapes decoded.
struct Decoded<'a> {
    bytes: &'a [u8],
}

impl<'a> Decoded<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Decoded { bytes }
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

impl Iterator for Decoded<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        match *self.bytes {
            [b'%', h, l, ref rest @ ..] if hex(h).is_some() && hex(l).is_some() => {
                self.bytes = rest;
                Some(hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0))
            }
            [b, ref rest @ ..] => {
                self.bytes = rest;
                Some(b)
            }
            [] => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_plain, select, Reading};

    const PREFIXES: [&str; 2] = ["/private/admin", "/private"];

    /// Which prefix each reading selects: raw first, then the others.
    fn choices(path: &str) -> Vec<Option<usize>> {
        std::iter::once(Reading::RAW)
            .chain(Reading::OTHERS)
            .map(|r| select(path.as_bytes(), r, PREFIXES))
            .collect()
    }

    fn agree(path: &str) -> Option<Option<usize>> {
        let c = choices(path);
        c.iter().all(|x| *x == c[0]).then_some(c[0])
    }

    #[test]
    fn the_readings_are_all_distinct() {
        for (i, a) in Reading::OTHERS.iter().enumerate() {
            assert_ne!(*a, Reading::RAW);
            assert!(Reading::OTHERS[i + 1..].iter().all(|b| b != a));
        }
    }

    #[test]
    fn plain_paths_have_one_reading() {
        for p in [
            "/",
            "/private",
            "/private/",
            "/private/x",
            "/public/x",
            "*",
            "/a.b/c..d",
        ] {
            assert!(is_plain(p.as_bytes()), "{p}");
            assert!(agree(p).is_some(), "{p}");
        }
        for p in ["//x", "/./x", "/x/..", "/%70", "/a\\b", "/x//", "/X"] {
            assert!(!is_plain(p.as_bytes()), "{p}");
        }
    }

    #[test]
    fn ordinary_paths_select_their_prefix() {
        assert_eq!(agree("/private"), Some(Some(1)));
        assert_eq!(agree("/private/x"), Some(Some(1)));
        assert_eq!(agree("/private/admin/x"), Some(Some(0)));
        assert_eq!(agree("/privatex"), Some(None));
        assert_eq!(agree("/public/x"), Some(None));
        assert_eq!(agree("/"), Some(None));
        // Escapes and dots that change nothing still agree.
        assert_eq!(agree("/public/a%20b"), Some(None));
        assert_eq!(agree("/private/x/../y"), Some(Some(1)));
    }

    #[test]
    fn confusable_paths_disagree() {
        for p in [
            "//private/x",
            "///private//x",
            "/%70rivate/x",
            "/private%2Fx",
            "/./private/x",
            "/public/../private/x",
            "/private/..%2F..%2Fpublic",
            "/%2e%2e/private",
            "/private%2f",
            "/private%5Cx",
            "/private\\x",
            "//private/%2e%2e/x",
            "/private/admin/%2e%2e/x",
            "/PRIVATE/x",
            "/Private",
        ] {
            assert_eq!(agree(p), None, "{p}: {:?}", choices(p));
        }
    }

    #[test]
    fn deep_paths_keep_only_what_the_prefixes_need() {
        let deep = format!("/private{}", "/x".repeat(40));
        assert_eq!(agree(&deep), Some(Some(1)));
        let back = format!("/private{}{}/admin", "/x".repeat(40), "/..".repeat(40));
        assert_eq!(select(back.as_bytes(), Reading::OTHERS[1], PREFIXES), Some(0));
        assert_eq!(agree(&back), None);
    }

    #[test]
    fn invalid_and_overlong_escapes_are_bytes() {
        assert_eq!(agree("/%zzprivate"), Some(None));
        assert_eq!(agree("/private%"), Some(None));
        assert_eq!(agree("/private%4"), Some(None));
        assert_eq!(agree("/private%c0%afx"), Some(None));
    }
}
