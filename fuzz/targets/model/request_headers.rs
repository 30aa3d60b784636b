//! RULES.md section 2's `Access-Control-Request-Headers` rules as a plain model:
//! split every line on commas, trim, sort-check and compare, instead of the
//! engine's one-pass scanner.

use super::tokens::{is_token, longest_ows_run, trim_ows};

/// RULES.md section 2: at most 16 empty elements, all lines together.
const EMPTY_ELEMENTS: usize = 16;
/// RULES.md section 2: at most 16 white-space bytes in a row.
const WHITESPACE_RUN: usize = 16;
/// The rules' bound on the whole value (all lines together): every allowed name
/// once, each followed by `, `, plus this many bytes...
const LIST_SLACK: usize = 64;
/// ...and under `allow_headers: *` at least this many.
const ANY_CAP: usize = 4096;

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
}

/// Judges the lines as RULES.md section 2 says: comma lists of tokens, optional
/// white space (runs of at most 16), at most 16 empty elements in all, every
/// name allowed, the names strictly ascending (lower-cased, byte order) across
/// all lines; when echoed, one line of bare comma-separated tokens; and a length
/// bound: the listed names each with `, `, plus 64 bytes, and under `*` at least 4 KiB.
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
    let joined: usize = allowed.listed.iter().map(|n| n.len() + 2).sum();
    let bound = if allowed.any {
        (joined + LIST_SLACK).max(ANY_CAP)
    } else {
        joined + LIST_SLACK
    };
    if len > bound {
        Verdict::Refused
    } else {
        Verdict::Accepted { listed }
    }
}

#[test]
fn the_rules_of_section_2() {
    let listed = ["content-type".to_owned(), "x-api-key".to_owned()];
    let name = |n: &[u8]| listed.iter().any(|l| l.as_bytes().eq_ignore_ascii_case(n));
    let list = Allowed {
        name: &name,
        listed: &listed,
        any: false,
        echo: false,
    };
    let any_name = |n: &[u8]| !n.eq_ignore_ascii_case(b"authorization");
    let any = Allowed {
        name: &any_name,
        listed: &[],
        any: true,
        echo: false,
    };
    let echo = Allowed {
        echo: true,
        ..Allowed {
            name: &any_name,
            listed: &[],
            any: true,
            echo: false,
        }
    };
    let judge = |lines: &[&str], a: &Allowed<'_>| {
        let lines: Vec<&[u8]> = lines.iter().map(|l| l.as_bytes()).collect();
        verdict(&lines, a)
    };
    let yes = Verdict::Accepted { listed: true };
    assert_eq!(judge(&["content-type,x-api-key"], &list), yes);
    assert_eq!(
        judge(&[" content-type ,", "X-Api-Key"], &list),
        yes,
        "white space, empty elements, lines, case"
    );
    assert_eq!(
        judge(&["x-api-key,content-type"], &list),
        Verdict::Refused,
        "out of order"
    );
    assert_eq!(
        judge(&["content-type", "content-type"], &list),
        Verdict::Refused,
        "repeated across lines"
    );
    assert_eq!(judge(&["x-b,x-a"], &any), Verdict::Refused, "out of order under *");
    assert_eq!(judge(&["x-ab,x-a"], &any), Verdict::Refused, "a prefix sorts first");
    assert_eq!(judge(&["authorization"], &any), Verdict::Refused);
    assert_eq!(judge(&[&",".repeat(17)], &any), Verdict::Refused, "17 empty elements");
    assert_eq!(judge(&[&format!("a,{}b", " ".repeat(17))], &any), Verdict::Refused);
    assert_eq!(judge(&["x-a,x-b"], &echo), yes);
    for odd in [&["x-a, x-b"][..], &["x-a,,x-b"], &["x-a", "x-b"], &[""]] {
        assert_eq!(judge(odd, &echo), Verdict::Refused, "echoed {odd:?}");
    }
    // 12 + 2 + 9 + 2 + 64 = 89 bytes at most.
    let spaced = |n: usize| format!("content-type,{}x-api-key", " ".repeat(n));
    assert_eq!(judge(&[&spaced(16)], &list), yes);
    let many = format!("{}{}", ",".repeat(15), spaced(16));
    assert_eq!(judge(&[&many], &list), yes, "16 empty elements, 53 bytes");
    let blank = |n: usize| " ".repeat(n);
    let (b16, b4, b3) = (blank(16), blank(4), blank(3));
    let lines = |last: &str| vec![b16.clone(), b16.clone(), b16.clone(), b16.clone(), last.to_owned()];
    let at = |last: &str| {
        let mut l = lines(last);
        l.push(spaced(0));
        l
    };
    let refs = |l: &[String]| judge(&l.iter().map(String::as_str).collect::<Vec<_>>(), &list);
    assert_eq!(refs(&at(&b3)), yes, "89 bytes: the names, `, ` each, 64 more");
    assert_eq!(refs(&at(&b4)), Verdict::Refused, "90 bytes");
    let names: Vec<String> = (0..1000).map(|i| format!("x-{i:04}")).collect();
    assert_eq!(judge(&[&names[..500].join(",")], &any), yes, "3 KiB under *");
    assert_eq!(judge(&[&names.join(",")], &any), Verdict::Refused, "7 KiB under *");
}
