//! RULES.md section 2's `Access-Control-Request-Headers` rules as a plain model:
//! split every line on commas, trim, sort-check and compare, instead of the
//! engine's one-pass scanner.

use super::tokens::{is_token, longest_ows_run, trim_ows};

/// RULES.md section 2: at most 16 empty elements, all lines together.
const EMPTY_ELEMENTS: usize = 16;
/// RULES.md section 2: at most 16 white-space bytes in a row.
const WHITESPACE_RUN: usize = 16;
/// The cap on the whole value (all lines together) under `allow_headers: *`:
/// RULES.md section 2 says "a documented length", and the library documents 4 KiB.
pub const ANY_CAP: usize = 4096;

/// What a policy allows of `Access-Control-Request-Headers`.
pub struct Allowed<'a> {
    /// Is this name allowed (any case)?
    pub name: &'a dyn Fn(&[u8]) -> bool,
    /// The names the policy lists (`*` not among them).
    pub listed: &'a [String],
    /// `allow_headers` holds `*`.
    pub any: bool,
    /// The value is echoed (`*` with credentials), so it must be canonical.
    pub echo: bool,
}

/// The model's answer on a request's lines.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Some rule refuses the value.
    Refused,
    /// Every rule accepts it; `listed`: some name was requested.
    Accepted {
        /// Some name was requested.
        listed: bool,
    },
    /// Every rule but the length cap accepts it, and it is longer than what
    /// browsers and proxies send for this policy: refusing it for its length
    /// alone is allowed (the exact cap is the library's), accepting it too.
    MayBeTooLong {
        /// Some name was requested.
        listed: bool,
    },
}

/// Judges the lines as RULES.md section 2 says: comma lists of tokens, optional
/// white space (runs of at most 16), at most 16 empty elements in all, every
/// name allowed, the names strictly ascending (lower-cased, byte order) across
/// all lines; when echoed, one line of bare comma-separated tokens; and a length
/// bound: under `*` the documented cap, else what the listed names could make.
pub fn verdict(lines: &[&[u8]], allowed: &Allowed<'_>) -> Verdict {
    if lines.iter().any(|l| longest_ows_run(l) > WHITESPACE_RUN) {
        return Verdict::Refused;
    }
    let elements: Vec<&[u8]> = lines
        .iter()
        .flat_map(|l| l.split(|&b| b == b','))
        .map(trim_ows)
        .collect();
    let (empty, names): (Vec<&[u8]>, Vec<&[u8]>) = elements.into_iter().partition(|e| e.is_empty());
    if empty.len() > EMPTY_ELEMENTS || names.iter().any(|n| !is_token(n) || !(allowed.name)(n)) {
        return Verdict::Refused;
    }
    let lower: Vec<Vec<u8>> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
    if lower.windows(2).any(|w| w[0] >= w[1]) {
        return Verdict::Refused;
    }
    // Echoed: exactly what a browser sends, one line, tokens split by bare commas.
    let canonical = lines.len() == 1 && lines[0].split(|&b| b == b',').all(is_token);
    if allowed.echo && !lines.is_empty() && !canonical {
        return Verdict::Refused;
    }
    let listed = !names.is_empty();
    let len: usize = lines.iter().map(|l| l.len()).sum();
    if allowed.any && len <= ANY_CAP.max(joined_len(allowed.listed)) {
        return Verdict::Accepted { listed };
    }
    // Under `*`, the cap is refused above, unless the listed names alone come near it.
    if allowed.any && joined_len(allowed.listed) * 2 <= ANY_CAP {
        return Verdict::Refused;
    }
    if len > joined_len(allowed.listed) {
        Verdict::MayBeTooLong { listed }
    } else {
        Verdict::Accepted { listed }
    }
}

/// Every listed name once, joined by `, ` as a proxy re-joining lines writes it
/// (one separator more, for a trailing one): what must fit whatever the cap.
fn joined_len(listed: &[String]) -> usize {
    listed.iter().map(|n| n.len() + 2).sum()
}
