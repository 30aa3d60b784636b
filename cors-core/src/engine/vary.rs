//! `Vary`: which request headers a CORS response depends on, and merging ours
//! into a handler's `Vary` lines without duplicates (RULES.md section 4).

use crate::engine::{HeaderWriter, ResponseHeader, Value};

/// What `Vary` must cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Vary {
    /// `origin`
    Origin,
    /// `origin, access-control-request-method, access-control-request-headers`
    Preflight,
    /// The preflight set plus `access-control-request-private-network`.
    PreflightPrivateNetwork,
}

impl Vary {
    /// The tokens, lower-case.
    pub const fn tokens(self) -> &'static [&'static str] {
        match self {
            Vary::Origin => &["origin"],
            Vary::Preflight => &[
                "origin",
                "access-control-request-method",
                "access-control-request-headers",
            ],
            Vary::PreflightPrivateNetwork => &[
                "origin",
                "access-control-request-method",
                "access-control-request-headers",
                "access-control-request-private-network",
            ],
        }
    }

    /// The tokens joined, as one header value.
    pub const fn value(self) -> &'static str {
        match self {
            Vary::Origin => "origin",
            Vary::Preflight => "origin, access-control-request-method, access-control-request-headers",
            Vary::PreflightPrivateNetwork => {
                "origin, access-control-request-method, access-control-request-headers, access-control-request-private-network"
            }
        }
    }
}

/// Adds our `Vary` tokens without duplicating any (case-insensitive) and leaves `*` alone.
pub(crate) fn merge_vary<W: HeaderWriter + ?Sized>(vary: Vary, out: &mut W) {
    let missing = missing(vary, out.vary());
    append_missing(vary, missing, |v| out.append(ResponseHeader::Vary, v));
}

/// Which of `vary`'s tokens the response's `Vary` lines lack: `None` when they
/// hold `*` (then nothing is added), else one flag per token. One pass over the lines.
pub(crate) fn missing<'a>(vary: Vary, lines: impl Iterator<Item = &'a [u8]>) -> Option<[bool; 4]> {
    let tokens = vary.tokens();
    let mut present = [false; 4];
    for line in lines {
        for t in line.split(|&b| b == b',').map(trim_ows) {
            if t == b"*" {
                return None;
            }
            for (i, ours) in tokens.iter().enumerate() {
                present[i] |= t.eq_ignore_ascii_case(ours.as_bytes());
            }
        }
    }
    Some(present.map(|p| !p))
}

/// Appends, through `append`, what [`missing`] found lacking: the whole value when
/// every token is (one line, as on a fresh response), else each missing token.
pub(crate) fn append_missing(vary: Vary, missing: Option<[bool; 4]>, mut append: impl FnMut(Value)) {
    let Some(missing) = missing else { return };
    let tokens = vary.tokens();
    let missing = &missing[..tokens.len()];
    if missing.iter().all(|&m| m) {
        append(Value::Vary(vary));
        return;
    }
    for (t, _) in tokens.iter().zip(missing).filter(|(_, &m)| m) {
        append(Value::VaryToken(t));
    }
}

fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}
