//! RFC 9110's lexical rules as plain comparisons: `token` (section 5.6.2),
//! optional white space (5.6.3) and comma-separated lists (5.6.1).

/// RFC 9110 section 5.6.2: a `tchar` is any visible US-ASCII character (VCHAR,
/// `0x21..=0x7e`) except the delimiters, DQUOTE and `(),/:;<=>?@[\]{}`.
pub fn is_tchar(b: u8) -> bool {
    const DELIMITERS: &[u8] = b"\"(),/:;<=>?@[\\]{}";
    (0x21..=0x7e).contains(&b) && !DELIMITERS.contains(&b)
}

/// `token = 1*tchar`.
pub fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().copied().all(is_tchar)
}

/// `OWS = *( SP / HTAB )`.
pub fn is_ows(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// `s` without the optional white space at either end.
pub fn trim_ows(s: &[u8]) -> &[u8] {
    match (s.iter().position(|&b| !is_ows(b)), s.iter().rposition(|&b| !is_ows(b))) {
        (Some(first), Some(last)) => &s[first..=last],
        _ => &[],
    }
}

/// Every element of a comma list spread over `lines`, as RFC 9110 section 5.6.1
/// reads `#element`: each line split on commas, each piece trimmed, empty ones dropped.
pub fn list_elements<L: AsRef<[u8]>>(lines: &[L]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    for line in lines {
        for piece in line.as_ref().split(|&b| b == b',') {
            let t = trim_ows(piece);
            if !t.is_empty() {
                out.push(t);
            }
        }
    }
    out
}

/// The longest run of white-space bytes in a row in `line`.
pub fn longest_ows_run(line: &[u8]) -> usize {
    line.split(|&b| !is_ows(b)).map(<[u8]>::len).max().unwrap_or(0)
}

#[test]
fn tchar_is_every_visible_character_but_the_delimiters() {
    let tchars: Vec<u8> = (0..=255u8).filter(|&b| is_tchar(b)).collect();
    let mut want: Vec<u8> = b"!#$%&'*+-.^_`|~".to_vec();
    want.extend(b'0'..=b'9');
    want.extend(b'A'..=b'Z');
    want.extend(b'a'..=b'z');
    want.sort_unstable();
    assert_eq!(tchars, want);
    assert_eq!(trim_ows(b" \t a b\t "), b"a b");
    assert_eq!(trim_ows(b" \t "), b"");
    assert_eq!(longest_ows_run(b"a  ,\t\t\t b"), 4);
}
