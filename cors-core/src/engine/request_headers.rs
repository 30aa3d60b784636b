//! `Access-Control-Request-Headers`: the allowed names' hash table, built once
//! with the policy, and the one-pass scanner that checks a request against it.
//!
//! Browsers send each name once, lower-cased, sorted and comma-separated
//! [#cors-preflight-fetch]; a proxy may split the value over lines or add white
//! space. So the scanner accepts optional white space and a few empty elements,
//! requires the names to be strictly ascending across all lines (a repeat is
//! refused), looks each one up in constant time, and refuses a value longer than
//! any list the policy could accept before reading a byte of it. The work is
//! bounded by the policy, not by the request: see [`scan`].

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::bytes::{after_name, comma, hash_words, lower_word, same, SCAN_MAX};
use crate::engine::Denial;
use crate::origin::Text;
use crate::policy::{is_tchar, Policy, RequestHeaders};

/// At most this many empty elements in `Access-Control-Request-Headers`, all lines together.
pub(crate) const MAX_EMPTY_ELEMENTS: usize = 16;
/// At most this many white-space bytes in a row in `Access-Control-Request-Headers`.
pub(crate) const MAX_WHITESPACE_RUN: usize = 16;
/// Under `allow_headers: *`, the value (all lines together) is refused above this many
/// bytes. Browsers send only the names a script set, lower-cased and comma-separated:
/// 100 custom names of 40 bytes fit, and servers in front usually cap a header line at
/// 8 KiB (nginx) or all headers at 16 KiB (Node.js) anyway.
pub(crate) const MAX_ANY_LIST: usize = 4096;
/// Room over the listed names (each counted with a following `, `) for the empty
/// elements and white space a proxy may add.
pub(crate) const LIST_SLACK: usize = 64;

/// The bytes of a name the fast path takes under `*`: lower-case `tchar`s.
static LOWER_TCHAR: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = is_tchar(b as u8) && !(b as u8).is_ascii_uppercase();
        b += 1;
    }
    t
};

/// The table's hash of a name in any case: its lower-cased bytes, eight at a time
/// (the origin table's hash, see `crate::origin`). A lower-case name hashes the same
/// with or without lower-casing, so the fast path skips it. Fixed, not seeded, for
/// the origin table's reason: the table holds only the policy's names, and a
/// request only looks names up (the worst it can do is the policy's longest probe run).
fn hash(name: &[u8]) -> u64 {
    hash_words(name, lower_word)
}

/// [`hash`] of a name already lower-case.
fn hash_lower(name: &[u8]) -> u64 {
    hash_words(name, |w| w)
}

/// The open-addressing table over `names` (lower-case, distinct): `0` is an empty
/// slot, `k` is `names[k - 1]`; the length is a power of two with at least half
/// the slots empty, and no slots at all for no names.
pub(crate) fn slots<S: AsRef<str>>(names: &[S]) -> Vec<u32> {
    if names.is_empty() {
        return Vec::new();
    }
    let cap = (names.len() * 2).next_power_of_two();
    let mask = cap - 1;
    let mut slots = vec![0u32; cap];
    for (i, name) in names.iter().enumerate() {
        let mut s = hash_lower(name.as_ref().as_bytes()) as usize & mask;
        while slots[s] != 0 {
            s = (s + 1) & mask;
        }
        slots[s] = u32::try_from(i + 1).unwrap_or(u32::MAX);
    }
    slots
}

/// The longest value (all lines together) the policy could accept: every listed name
/// once, each with a following `, `, plus [`LIST_SLACK`]; under `*` at least [`MAX_ANY_LIST`].
pub(crate) fn max_list<S: AsRef<str>>(any: bool, names: &[S]) -> usize {
    let listed = names.iter().map(|n| n.as_ref().len() + 2).sum::<usize>() + LIST_SLACK;
    if any {
        listed.max(MAX_ANY_LIST)
    } else {
        listed
    }
}

impl RequestHeaders {
    /// Is this name (any case) listed? A small table is scanned; a larger one takes
    /// one hash and, expected, one comparison.
    fn lists(&self, name: &[u8]) -> bool {
        let names: &[Text] = &self.names;
        if names.len() <= SCAN_MAX {
            return names.iter().any(|n| n.as_bytes().eq_ignore_ascii_case(name));
        }
        self.probe(hash(name), |listed| listed.eq_ignore_ascii_case(name))
    }

    /// [`RequestHeaders::lists`] for a name taken as it is: the listed names are
    /// lower-case, so only a lower-case name is found, with plain comparisons.
    #[inline]
    fn lists_lower(&self, name: &[u8]) -> bool {
        let names: &[Text] = &self.names;
        if names.len() <= SCAN_MAX {
            return names.iter().any(|n| same(n.as_bytes(), name));
        }
        self.probe(hash_lower(name), |listed| same(listed, name))
    }

    /// Walks the slots from `hash` until an empty one, asking `is` of each listed name.
    fn probe(&self, hash: u64, is: impl Fn(&[u8]) -> bool) -> bool {
        let slots: &[u32] = &self.slots;
        let names: &[Text] = &self.names;
        let mask = slots.len().wrapping_sub(1);
        let mut s = hash as usize & mask;
        // Bounded even for a table with no empty slot (one built by hand through `__private`).
        for _ in 0..slots.len() {
            match slots[s] {
                0 => return false,
                k => {
                    if names.get(k as usize - 1).is_some_and(|n| is(n.as_bytes())) {
                        return true;
                    }
                }
            }
            s = (s + 1) & mask;
        }
        false
    }

    /// `*` covers every name but `authorization` [#cors-non-wildcard-request-header-name].
    fn allows(&self, name: &[u8]) -> bool {
        self.lists(name) || (self.any && !name.eq_ignore_ascii_case(b"authorization"))
    }
}

impl Policy {
    /// Is this request header name allowed (case-insensitive)? `*` covers every
    /// name but `authorization` [#cors-non-wildcard-request-header-name].
    /// Constant time: a few comparisons, or one hash of the name and, expected, one.
    pub fn allows_request_header(&self, name: &[u8]) -> bool {
        self.parts.headers.allows(name)
    }
}

/// What a scan found, and how much of the request it read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Scan {
    /// `Ok(listed)`: every name is allowed, and whether there was any; else why not.
    pub(crate) outcome: Result<bool, Denial>,
    /// Bytes of the request's lines examined, counted where they are read.
    pub(crate) examined: usize,
}

/// Scans every `Access-Control-Request-Headers` line in one pass with no allocation,
/// stopping as soon as the answer is known. `canonical`: the names are to be echoed
/// (`*` with credentials), so only what browsers send is accepted: one line of
/// comma-separated names, no white space, no empty element.
///
/// Bytes examined are at most the smaller of the value's length and the policy's
/// longest acceptable list ([`max_list`]); each name is also hashed, compared with
/// the previous name and looked up once, which reads it a constant number of times.
pub(crate) fn scan<'a>(rules: &RequestHeaders, canonical: bool, lines: impl Iterator<Item = &'a [u8]>) -> Scan {
    let mut s = Scanner {
        rules,
        canonical,
        examined: 0,
        total: 0,
        empties: 0,
        listed: false,
        prev: b"",
    };
    let outcome = lines
        .enumerate()
        .try_for_each(|(line_no, bytes)| s.line(line_no, bytes))
        .map(|()| s.listed);
    Scan {
        outcome,
        examined: s.examined,
    }
}

struct Scanner<'r, 'a> {
    rules: &'r RequestHeaders,
    canonical: bool,
    examined: usize,
    /// Length of the lines so far, the current one included.
    total: usize,
    empties: usize,
    listed: bool,
    /// The previous name, as received: the next must sort after it (lower-cased, byte order).
    prev: &'a [u8],
}

/// One line, read only through [`Line::at`], which records how far it was read.
struct Line<'a> {
    bytes: &'a [u8],
    seen: usize,
}

impl Line<'_> {
    fn at(&mut self, i: usize) -> Option<u8> {
        let b = self.bytes.get(i).copied();
        if b.is_some() {
            self.seen = self.seen.max(i + 1);
        }
        b
    }
}

impl<'a> Scanner<'_, 'a> {
    fn line(&mut self, line_no: usize, bytes: &'a [u8]) -> Result<(), Denial> {
        // Known from the lengths alone: nothing is read of a value too long to accept.
        self.total = self.total.saturating_add(bytes.len());
        if self.total > self.rules.max_list {
            return Err(Denial::HeadersTooLong { line: line_no });
        }
        if self.canonical && line_no > 0 {
            return Err(Denial::HeadersNotCanonical { line: line_no, at: 0 });
        }
        // What browsers send, one line of lower-case names, sorted, comma-separated,
        // all allowed, takes the fast path; anything else (or a refusal) is scanned
        // again from the start of the line below, which finds the same answer and
        // says where and why.
        if line_no == 0 {
            if let Some(last) = self.browser_line(bytes) {
                self.examined += bytes.len();
                self.listed = true;
                self.prev = last;
                return Ok(());
            }
        }
        let mut line = Line { bytes, seen: 0 };
        let result = self.elements(line_no, &mut line);
        self.examined += line.seen;
        result
    }

    /// The fast path of a first line: names separated by single commas, each
    /// strictly after the one before and allowed as it is: one of the listed
    /// (lower-case) names, compared whole, or under `*` lower-case `tchar`s other
    /// than `authorization`. Returns the last name, or `None` as soon as the line
    /// is anything else (an empty name, upper case, white space, a refusal).
    fn browser_line(&self, bytes: &'a [u8]) -> Option<&'a [u8]> {
        let rules = self.rules;
        let (mut prev, mut rest): (&[u8], &'a [u8]) = (b"", bytes);
        loop {
            let (name, after) = rest.split_at(comma(rest));
            // An empty name is not after `prev` (nor is any name after itself).
            if !after_name(name, prev) {
                return None;
            }
            let allowed = rules.lists_lower(name)
                || (rules.any && name.iter().all(|&b| LOWER_TCHAR[usize::from(b)]) && name != b"authorization");
            if !allowed {
                return None;
            }
            prev = name;
            match after.split_first() {
                None => return Some(name),
                Some((_, next)) => rest = next,
            }
        }
    }

    fn elements(&mut self, line_no: usize, line: &mut Line<'a>) -> Result<(), Denial> {
        let malformed = |at| Denial::HeadersMalformed { line: line_no, at };
        let mut i = 0;
        loop {
            i = self.white_space(line_no, line, i)?;
            let start = i;
            let end = self.name(line_no, line, start)?;
            i = self.white_space(line_no, line, end)?;
            match line.at(i) {
                None | Some(b',') => {}
                Some(_) => return Err(malformed(i)),
            }
            if start == end {
                if self.canonical {
                    return Err(Denial::HeadersNotCanonical {
                        line: line_no,
                        at: start,
                    });
                }
                self.empties += 1;
                if self.empties > MAX_EMPTY_ELEMENTS {
                    return Err(malformed(i));
                }
            } else {
                let name = &line.bytes[start..end];
                if !self.rules.allows(name) {
                    return Err(Denial::Header {
                        line: line_no,
                        start,
                        end,
                    });
                }
                self.prev = name;
                self.listed = true;
            }
            if line.at(i).is_none() {
                return Ok(());
            }
            i += 1;
        }
    }

    /// Reads a name from `start`: its end. Refuses it as soon as it is
    /// longer than every listed name (without `*`) or sorts before the previous one,
    /// and when it repeats the previous one.
    fn name(&self, line_no: usize, line: &mut Line<'a>, start: usize) -> Result<usize, Denial> {
        let rules = self.rules;
        let mut i = start;
        // How the name read so far compares with the previous one.
        let mut order = Ordering::Equal;
        while let Some(b) = line.at(i).filter(|&b| is_tchar(b)) {
            if order == Ordering::Equal {
                order = match self.prev.get(i - start) {
                    Some(p) => b.to_ascii_lowercase().cmp(&p.to_ascii_lowercase()),
                    None => Ordering::Greater,
                };
                if order == Ordering::Less {
                    return Err(Denial::HeaderOutOfOrder {
                        line: line_no,
                        start,
                        end: i + 1,
                    });
                }
            }
            i += 1;
            if !rules.any && i - start > rules.max_len {
                return Err(Denial::Header {
                    line: line_no,
                    start,
                    end: i,
                });
            }
        }
        // Equal so far and at its end: the previous name again, or a proper prefix of it
        // (which sorts before it).
        if order == Ordering::Equal && i > start {
            let (line, end) = (line_no, i);
            return Err(if i - start == self.prev.len() {
                Denial::HeaderRepeated { line, start, end }
            } else {
                Denial::HeaderOutOfOrder { line, start, end }
            });
        }
        Ok(i)
    }

    fn white_space(&self, line_no: usize, line: &mut Line<'a>, mut i: usize) -> Result<usize, Denial> {
        let from = i;
        while let Some(b' ' | b'\t') = line.at(i) {
            if self.canonical {
                return Err(Denial::HeadersNotCanonical { line: line_no, at: i });
            }
            i += 1;
            if i - from > MAX_WHITESPACE_RUN {
                return Err(Denial::HeadersMalformed { line: line_no, at: i });
            }
        }
        Ok(i)
    }
}

/// Builds the table fields of [`RequestHeaders`] from its names, for the validator.
pub(crate) fn table(any: bool, names: &[Cow<'static, str>]) -> (Cow<'static, [u32]>, usize) {
    (Cow::Owned(slots(names)), max_list(any, names))
}

#[cfg(test)]
#[path = "request_headers_tests.rs"]
mod tests;
