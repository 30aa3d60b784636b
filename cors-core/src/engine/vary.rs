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
pub(crate) fn merge_vary<W: HeaderWriter>(vary: Vary, out: &mut W) {
    let tokens = vary.tokens();
    // One pass over the response's Vary lines: `*`, and which of our tokens are there.
    let mut present = [false; 4];
    for line in out.vary() {
        for t in line.split(|&b| b == b',').map(trim_ows) {
            if t == b"*" {
                return;
            }
            for (i, ours) in tokens.iter().enumerate() {
                present[i] |= t.eq_ignore_ascii_case(ours.as_bytes());
            }
        }
    }
    let present = &present[..tokens.len()];
    if !present.iter().any(|&p| p) {
        out.append(ResponseHeader::Vary, Value::Vary(vary));
        return;
    }
    for (t, _) in tokens.iter().zip(present).filter(|(_, &p)| !p) {
        out.append(ResponseHeader::Vary, Value::VaryToken(t));
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
