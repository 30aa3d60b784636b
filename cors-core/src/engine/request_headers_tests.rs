//! The exact work of the `Access-Control-Request-Headers` scanner: bytes examined,
//! counted where the scanner reads them, against the bound of the rules.

use super::{scan, slots, Scan};
use crate::engine::Denial;
use crate::policy::{Policy, RequestHeaders};

/// 100 names of 12 bytes, `x-header-000` to `x-header-099`.
fn hundred() -> Vec<String> {
    (0..100).map(|i| format!("x-header-{i:03}")).collect()
}

fn policy(names: &[String], credentials: bool) -> Policy {
    Policy::builder()
        .allow_origins(["https://app.example.com"])
        .allow_headers(names)
        .allow_credentials(credentials)
        .build()
        .expect("a valid policy")
}

/// The longest list the rules accept, written from the rules rather than read from
/// the policy: each allowed name once with `, `, plus 64 bytes; under `*`, 4 KiB at least.
fn longest_list(names: &[String]) -> usize {
    let listed: usize = names.iter().filter(|n| *n != "*").map(|n| n.len() + 2).sum::<usize>() + 64;
    if names.iter().any(|n| n == "*") {
        listed.max(4096)
    } else {
        listed
    }
}

/// Scans `lines` and checks the work: bytes examined <= min(value length, longest
/// acceptable list + longest allowed name + 16).
fn scan_within_bound(names: &[String], lines: &[&[u8]], canonical: bool) -> Scan {
    let p = policy(names, false);
    let s = scan(&p.parts.headers, canonical, lines.iter().copied());
    let len: usize = lines.iter().map(|l| l.len()).sum();
    let longest_name = names.iter().map(String::len).max().unwrap_or(0);
    let bound = len.min(longest_list(names) + longest_name + 16);
    assert!(
        s.examined <= bound,
        "examined {} bytes of a {len}-byte value (bound {bound}): {:?}",
        s.examined,
        s.outcome
    );
    s
}

#[test]
fn a_390_kb_repetition_of_an_allowed_name_is_refused_unread() {
    let value = "x-header-042,".repeat(30_000);
    assert!(value.len() >= 390_000);
    let s = scan_within_bound(&hundred(), &[value.as_bytes()], false);
    assert_eq!(s.outcome, Err(Denial::HeadersTooLong { line: 0 }));
    assert_eq!(s.examined, 0);
}

#[test]
fn a_repetition_within_the_length_cap_stops_at_the_second_name() {
    let s = scan_within_bound(&hundred(), &[b"x-header-042,x-header-042,x-header-043"], false);
    assert_eq!(
        s.outcome,
        Err(Denial::HeaderRepeated {
            line: 0,
            start: 13,
            end: 25
        })
    );
    assert!(s.examined <= 26, "{}", s.examined);
    // Case does not hide a repeat, and a repeat over two lines is one too.
    let s = scan_within_bound(&hundred(), &[b"x-header-042", b" X-Header-042"], false);
    assert!(matches!(
        s.outcome,
        Err(Denial::HeaderRepeated { line: 1, start: 1, .. })
    ));
}

#[test]
fn names_out_of_order_stop_at_the_first_smaller_byte() {
    let s = scan_within_bound(&hundred(), &[b"x-header-050,x-header-049"], false);
    assert_eq!(
        s.outcome,
        Err(Denial::HeaderOutOfOrder {
            line: 0,
            start: 13,
            end: 24
        })
    );
    // `x-header-0` is a prefix of `x-header-050`: it sorts before it.
    let names: Vec<String> = vec!["x-header-0".into(), "x-header-050".into()];
    let s = scan_within_bound(&names, &[b"x-header-050,x-header-0"], false);
    assert!(matches!(
        s.outcome,
        Err(Denial::HeaderOutOfOrder { start: 13, end: 23, .. })
    ));
    // Across lines too: a proxy that splits the list keeps its order.
    let s = scan_within_bound(&hundred(), &[b"x-header-001,x-header-002", b"x-header-000"], false);
    assert!(matches!(
        s.outcome,
        Err(Denial::HeaderOutOfOrder {
            line: 1,
            start: 0,
            end: 12
        })
    ));
}

#[test]
fn a_single_1_mib_name_is_refused_unread() {
    let name = vec![b'a'; 1 << 20];
    for names in [hundred(), vec!["*".to_owned()], Vec::new()] {
        let s = scan_within_bound(&names, &[&name], false);
        assert_eq!(s.outcome, Err(Denial::HeadersTooLong { line: 0 }), "{names:?}");
        assert_eq!(s.examined, 0);
    }
}

#[test]
fn a_long_name_within_the_cap_stops_one_byte_past_the_longest_allowed() {
    let name = vec![b'x'; 1000];
    let names = hundred();
    let s = scan_within_bound(&names, &[&name], false);
    assert_eq!(
        s.outcome,
        Err(Denial::Header {
            line: 0,
            start: 0,
            end: 13
        })
    );
    assert_eq!(s.examined, 13);
}

#[test]
fn a_mebibyte_of_commas_or_spaces_is_refused_unread() {
    let commas = vec![b','; 1 << 20];
    let spaces = vec![b' '; 1 << 20];
    let mixed: Vec<u8> = b", ".iter().copied().cycle().take(1 << 20).collect();
    for value in [&commas, &spaces, &mixed] {
        for names in [hundred(), vec!["*".to_owned()]] {
            let s = scan_within_bound(&names, &[value], false);
            assert_eq!(s.outcome, Err(Denial::HeadersTooLong { line: 0 }));
            assert_eq!(s.examined, 0);
        }
    }
}

#[test]
fn commas_and_spaces_within_the_cap_stop_after_sixteen() {
    let s = scan_within_bound(&hundred(), &[&[b','; 60]], false);
    assert_eq!(s.outcome, Err(Denial::HeadersMalformed { line: 0, at: 16 }));
    assert!(s.examined <= 17);
    let s = scan_within_bound(&hundred(), &[&[b' '; 60]], false);
    assert_eq!(s.outcome, Err(Denial::HeadersMalformed { line: 0, at: 17 }));
    assert!(s.examined <= 17);
}

#[test]
fn many_lines_stop_early() {
    // A million empty lines: the seventeenth empty element is refused.
    let empty: Vec<&[u8]> = vec![b""; 1_000_000];
    let s = scan_within_bound(&hundred(), &empty, false);
    assert_eq!(s.outcome, Err(Denial::HeadersMalformed { line: 16, at: 0 }));
    assert_eq!(s.examined, 0);
    // A hundred thousand lines of one allowed name: the second is a repeat.
    let same: Vec<&[u8]> = vec![b"x-header-007"; 100_000];
    let s = scan_within_bound(&hundred(), &same, false);
    assert!(matches!(s.outcome, Err(Denial::HeaderRepeated { line: 1, .. })));
    assert!(s.examined <= 24);
    // 1,024 lines of 1 KiB of commas: too long before the second line is read.
    let kib = [b','; 1024];
    let lines: Vec<&[u8]> = vec![&kib; 1024];
    let s = scan_within_bound(&hundred(), &lines, false);
    assert!(matches!(s.outcome, Err(Denial::HeadersMalformed { line: 0, .. })));
    let s = scan_within_bound(&["*".to_owned()], &lines, false);
    assert!(matches!(s.outcome, Err(Denial::HeadersMalformed { line: 0, .. })));
    // Every allowed name on a line of its own, in order: accepted, read once.
    let names = hundred();
    let lines: Vec<&[u8]> = names.iter().map(|n| n.as_bytes()).collect();
    let s = scan_within_bound(&names, &lines, false);
    assert_eq!(s.outcome, Ok(true));
    assert_eq!(s.examined, 1200);
}

#[test]
fn the_longest_acceptable_list_is_accepted_and_one_byte_more_is_not() {
    let names = hundred();
    let mut value = names.join(", ");
    // `, ` after the last name and 15 more commas: 16 empty elements; then white
    // space, within the 64 bytes of slack.
    value.push_str(", ");
    value.push_str(&",".repeat(15));
    let pad = longest_list(&names) - value.len();
    value.push_str(&" ".repeat(pad.min(16)));
    let s = scan_within_bound(&names, &[value.as_bytes()], false);
    assert_eq!(s.outcome, Ok(true));
    assert_eq!(s.examined, value.len());
    let over = format!("{value}{}", " ".repeat(longest_list(&names) - value.len() + 1));
    let s = scan_within_bound(&names, &[over.as_bytes()], false);
    assert_eq!(s.outcome, Err(Denial::HeadersTooLong { line: 0 }));
}

#[test]
fn under_any_the_cap_is_4_kib_and_authorization_is_still_found() {
    let any = vec!["*".to_owned()];
    // Sorted distinct names filling 4 KiB: accepted.
    let mut value = String::new();
    let mut i = 0;
    while value.len() + 12 <= 4096 {
        value.push_str(&format!("x-name-{i:04},"));
        i += 1;
    }
    value.pop();
    let s = scan_within_bound(&any, &[value.as_bytes()], false);
    assert_eq!(s.outcome, Ok(true));
    let over = format!("{value},{}", "y".repeat(4096 - value.len()));
    let s = scan_within_bound(&any, &[over.as_bytes()], false);
    assert_eq!(s.outcome, Err(Denial::HeadersTooLong { line: 0 }));
    let s = scan_within_bound(&any, &[b"accept-x,authorization,x-a"], false);
    assert!(matches!(
        s.outcome,
        Err(Denial::Header {
            line: 0,
            start: 9,
            end: 22
        })
    ));
}

#[test]
fn canonical_values_are_one_line_without_spaces_or_empty_names() {
    let any = vec!["*".to_owned()];
    let ok = scan_within_bound(&any, &[b"a,b,x-custom"], true);
    assert_eq!(ok.outcome, Ok(true));
    for (lines, at) in [
        (&[&b"a, b"[..]][..], (0, 2)),
        (&[&b"a,,b"[..]][..], (0, 2)),
        (&[&b"a,b,"[..]][..], (0, 4)),
        (&[&b" a"[..]][..], (0, 0)),
        (&[&b""[..]][..], (0, 0)),
        (&[&b"a"[..], &b"b"[..]][..], (1, 0)),
    ] {
        let s = scan_within_bound(&any, lines, true);
        assert_eq!(
            s.outcome,
            Err(Denial::HeadersNotCanonical { line: at.0, at: at.1 }),
            "{lines:?}"
        );
        // The same values are fine when nothing is echoed.
        assert!(scan_within_bound(&any, lines, false).outcome.is_ok(), "{lines:?}");
    }
}

#[test]
fn the_table_finds_every_name_in_one_probe_run_and_nothing_else() {
    let names = hundred();
    let p = policy(&names, false);
    for n in &names {
        assert!(p.allows_request_header(n.as_bytes()));
        assert!(p.allows_request_header(n.to_ascii_uppercase().as_bytes()));
    }
    for n in ["x-header-100", "x-header-00", "x-header-0000", "", "content-type"] {
        assert!(!p.allows_request_header(n.as_bytes()), "{n}");
    }
    assert_eq!(p.parts.headers.slots.len(), 256);
    assert_eq!(p.parts.headers.slots.iter().filter(|&&s| s != 0).count(), 100);
}

#[test]
fn a_table_without_an_empty_slot_still_terminates() {
    let names = hundred();
    let full = RequestHeaders {
        any: false,
        names: names.iter().map(|n| n.clone().into()).collect::<Vec<_>>().into(),
        max_len: 12,
        slots: (1..=128).collect::<Vec<u32>>().into(),
        max_list: 2000,
    };
    let s = scan(&full, false, [&b"x-header-200"[..]].into_iter());
    assert!(matches!(s.outcome, Err(Denial::Header { .. })));
    assert_eq!(slots::<&str>(&[]), Vec::<u32>::new());
}

/// What browsers send (one line of lower-case names, sorted, single commas) takes
/// the fast path; every other spelling of the same names takes the full scanner.
/// Both must give the same answers: the fast path only ever says "all allowed".
#[test]
fn the_browser_form_fast_path_agrees_with_the_full_scan() {
    let names: Vec<String> = ["content-type", "x-api-key", "x-b", "x-bb"].map(String::from).to_vec();
    let p = policy(&names, false);
    let rules = &p.parts.headers;
    let cases: [(&[u8], Result<bool, Denial>); 9] = [
        (b"content-type,x-api-key", Ok(true)),
        (b"x-b,x-bb", Ok(true)),
        (b"x-bb", Ok(true)),
        // Not sorted, repeated, a prefix after its longer name, unknown, empty element.
        (
            b"x-api-key,content-type",
            Err(Denial::HeaderOutOfOrder {
                line: 0,
                start: 10,
                end: 11,
            }),
        ),
        (
            b"x-b,x-b",
            Err(Denial::HeaderRepeated {
                line: 0,
                start: 4,
                end: 7,
            }),
        ),
        (
            b"x-bb,x-b",
            Err(Denial::HeaderOutOfOrder {
                line: 0,
                start: 5,
                end: 8,
            }),
        ),
        (
            b"content-type,x-evil",
            Err(Denial::Header {
                line: 0,
                start: 13,
                end: 19,
            }),
        ),
        (b"content-type,,x-bb", Ok(true)),
        (b"content-type,", Ok(true)),
    ];
    for (value, expected) in cases {
        let s = scan(rules, false, [value].into_iter());
        assert_eq!(s.outcome, expected, "{}", String::from_utf8_lossy(value));
        if expected.is_ok() {
            assert_eq!(s.examined, value.len(), "{}", String::from_utf8_lossy(value));
        }
        // Upper case and white space leave the fast path and give the same answer.
        let upper = value.to_ascii_uppercase();
        assert_eq!(scan(rules, false, [&upper[..]].into_iter()).outcome, expected);
    }
    let spaced = scan(rules, false, [&b"content-type, x-api-key"[..]].into_iter());
    assert_eq!(spaced.outcome, Ok(true));
    // A name longer than every listed one is refused by the full scanner, where it stops.
    let long = scan(rules, false, [&b"content-type-and-more"[..]].into_iter());
    assert_eq!(
        long.outcome,
        Err(Denial::Header {
            line: 0,
            start: 0,
            end: 13
        })
    );
}

#[test]
fn small_and_hashed_tables_agree_on_every_name() {
    // Up to SCAN_MAX names the table is scanned, above it hashed: the same answers,
    // in any case, and for the fast path's lower-case lookup.
    for n in [1, super::SCAN_MAX, super::SCAN_MAX + 1, 100] {
        let names: Vec<String> = hundred().into_iter().take(n).collect();
        let p = policy(&names, false);
        let rules = &p.parts.headers;
        for name in &names {
            assert!(rules.lists(name.as_bytes()) && rules.lists_lower(name.as_bytes()));
            let upper = name.to_ascii_uppercase();
            assert!(rules.lists(upper.as_bytes()) && !rules.lists_lower(upper.as_bytes()));
        }
        for miss in ["x-header-100", "x-header-00", "x-header-0000", "", "X-HEADER-1000"] {
            assert!(
                !rules.lists(miss.as_bytes()) && !rules.lists_lower(miss.as_bytes()),
                "{miss}"
            );
        }
    }
}
