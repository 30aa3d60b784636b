//! RULES.md section 2's `Access-Control-Request-Headers` rules as a plain model:
//! split every line on commas, trim, and compare, instead of the engine's
//! one-pass scanner.

use super::tokens::{is_token, longest_ows_run, trim_ows};

/// RULES.md section 2: at most 16 empty elements, all lines together.
const EMPTY_ELEMENTS: usize = 16;
/// RULES.md section 2: at most 16 white-space bytes in a row.
const WHITESPACE_RUN: usize = 16;

/// `Ok(listed)` when every line is a comma list of tokens (optional white space,
/// runs of at most 16, at most 16 empty elements in all) that `allowed` allows;
/// `listed` says whether any name was requested.
pub fn verdict(lines: &[&[u8]], allowed: impl Fn(&[u8]) -> bool) -> Result<bool, ()> {
    if lines.iter().any(|l| longest_ows_run(l) > WHITESPACE_RUN) {
        return Err(());
    }
    let elements: Vec<&[u8]> = lines
        .iter()
        .flat_map(|l| l.split(|&b| b == b','))
        .map(trim_ows)
        .collect();
    let (empty, names): (Vec<&[u8]>, Vec<&[u8]>) = elements.into_iter().partition(|e| e.is_empty());
    if empty.len() > EMPTY_ELEMENTS {
        return Err(());
    }
    if names.iter().any(|n| !is_token(n) || !allowed(n)) {
        return Err(());
    }
    Ok(!names.is_empty())
}
