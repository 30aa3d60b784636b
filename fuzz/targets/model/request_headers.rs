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
    let long = format!("content-type,{}x-api-key", " ".repeat(16));
    assert_eq!(judge(&[&long], &list), Verdict::MayBeTooLong { listed: true });
    let names: Vec<String> = (0..1000).map(|i| format!("x-{i:04}")).collect();
    assert_eq!(judge(&[&names[..500].join(",")], &any), yes, "3 KiB under *");
    assert_eq!(judge(&[&names.join(",")], &any), Verdict::Refused, "7 KiB under *");
}
