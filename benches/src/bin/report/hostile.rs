//! The report's hostile `Access-Control-Request-Headers` section and targets:
//! criterion's times and callgrind's instructions (target `hostile` of
//! `src/bin/callgrind.rs`: `decide` alone, and one request through each stack).

use std::fmt::Write as _;

use corsair_bench::instructions::Counts;
use corsair_bench::{Hostile, HostilePolicy};

use super::{div, instr, ns, ratio, sub, verdict, Estimates};

/// "Independent of size": the 1 MiB refusal within this factor of the 1 KiB one.
const HOSTILE_TARGET: f64 = 1.2;
/// Every hostile value refused within this factor of an ordinary two-name preflight of its policy.
const HOSTILE_ORDINARY_TARGET: f64 = 10.0;

/// The stacks of the section's tables: criterion's ids; the engine is `decide` in the counts.
fn stacks() -> impl Iterator<Item = &'static str> {
    std::iter::once("engine").chain(Hostile::ADAPTER_STACKS)
}

fn counted(counts: &Counts, id: &str, stack: &str) -> Option<f64> {
    let stack = if stack == "engine" { "decide" } else { stack };
    counts.named("hostile", id, stack, "value")
}

/// One line of the size target: label, stack, and the stack subtracted.
/// Through tower a request's lines are dropped inside the call, so the bare service's
/// count is subtracted; through actix-web they are dropped with the response, after the
/// count, and the bare app runs the handler that our preflight answer skips (so ours
/// minus bare is negative): there the whole call is compared.
const SIZE_LINES: [(&str, &str, Option<&str>); 3] = [
    ("engine", "engine", None),
    ("tower, `cors!` (minus bare)", "tower-cors-macro", Some("tower-bare")),
    ("actix-web, `cors!` (whole call)", "actix-cors-macro", None),
];

/// What the size target compares for one value: instructions, then time.
fn cost(e: &Estimates, counts: &Counts, h: Hostile, stack: &str, bare: Option<&str>) -> (Option<f64>, Option<f64>) {
    let i = counted(counts, h.id(), stack);
    let t = e.get("hostile", h.id(), stack);
    match bare {
        Some(b) => (sub(i, counted(counts, h.id(), b)), sub(t, e.get("hostile", h.id(), b))),
        None => (i, t),
    }
}

/// A hostile value's `decide` over its policy's ordinary preflight: instructions, time.
fn vs_ordinary(e: &Estimates, counts: &Counts, h: Hostile) -> (Option<f64>, Option<f64>) {
    let o = h.policy().ordinary_id();
    (
        div(counted(counts, h.id(), "engine"), counted(counts, o, "engine")),
        div(e.get("hostile", h.id(), "engine"), e.get("hostile", o, "engine")),
    )
}

/// The target rows, verdicts on instructions.
pub fn target_rows(w: &mut String, e: &Estimates, counts: &Counts) {
    for (label, stack, bare) in SIZE_LINES {
        let (small_i, small_t) = cost(e, counts, Hostile::Commas1KiB, stack, bare);
        for big in [Hostile::Commas1MiB, Hostile::CommaLines1024] {
            let (big_i, big_t) = cost(e, counts, big, stack, bare);
            let x = div(big_i, small_i);
            let detail = if x.is_some() {
                format!(" ({} → {})", instr(small_i), instr(big_i))
            } else {
                String::new()
            };
            let _ = writeln!(
                w,
                "| hostile ACRH refused in time independent of size (within {HOSTILE_TARGET}x) | {label}: {} / {} | {}{detail} | {} | | {} |",
                big.id(),
                Hostile::Commas1KiB.id(),
                ratio(x),
                ratio(div(big_t, small_t)),
                verdict(x.map(|r| r <= HOSTILE_TARGET))
            );
        }
    }
    for h in Hostile::ALL {
        let (x, t) = vs_ordinary(e, counts, h);
        let _ = writeln!(
            w,
            "| hostile ACRH within {HOSTILE_ORDINARY_TARGET}x an ordinary two-name preflight of its policy | engine: {} / {} | {} | {} | | {} |",
            h.id(),
            h.policy().ordinary_id(),
            ratio(x),
            ratio(t),
            verdict(x.map(|r| r <= HOSTILE_ORDINARY_TARGET))
        );
    }
}

/// The section: times, instructions, notes.
pub fn section(w: &mut String, e: &Estimates, counts: &Counts) {
    let _ = writeln!(w, "## Hostile `Access-Control-Request-Headers`\n");
    let _ = writeln!(
        w,
        "An otherwise allowed preflight whose `Access-Control-Request-Headers` is 1,024 commas, 1 MiB of \
         commas on one line, 1 MiB of commas over 1,024 lines, 1,024 lines of `content-type` (engine only), \
         or, against a policy of 100 allowed names (`x-header-000` to `x-header-099`; engine only), one \
         allowed name repeated to 390 KB or a single 1 MiB name. Each is refused; *vs ordinary* is the \
         engine's time over an ordinary two-name preflight of the same policy ({} and {}: {} and {}).\n",
        HostilePolicy::Api.ordinary_id(),
        HostilePolicy::HundredNames.ordinary_id(),
        ns(e.get("hostile", HostilePolicy::Api.ordinary_id(), "engine")),
        ns(e.get("hostile", HostilePolicy::HundredNames.ordinary_id(), "engine")),
    );
    for counting in [false, true] {
        if counting {
            let _ = writeln!(
                w,
                "Instructions of the same requests (`target/release/callgrind hostile`: `decide` alone for the \
                 engine, one request through each stack; the *vs ordinary* column likewise):\n"
            );
        }
        let names: Vec<&str> = stacks().collect();
        let _ = writeln!(w, "| value | {} | vs ordinary |", names.join(" | "));
        let _ = writeln!(w, "|---|{}", "---:|".repeat(Hostile::ADAPTER_STACKS.len() + 2));
        for h in Hostile::ALL {
            let cells: Vec<String> = stacks()
                .map(|s| match counting {
                    true => instr(counted(counts, h.id(), s)),
                    false => ns(e.get("hostile", h.id(), s)),
                })
                .collect();
            let (x, t) = vs_ordinary(e, counts, h);
            let _ = writeln!(
                w,
                "| {} | {} | {} |",
                h.id(),
                cells.join(" | "),
                ratio(if counting { x } else { t })
            );
        }
        w.push('\n');
    }
    counted_notes(w, counts);
    w.push_str(HOSTILE_NOTES);
}

/// What the counts say about size, computed from them (so it follows the code).
fn counted_notes(w: &mut String, counts: &Counts) {
    let c = |h: Hostile, s: &str| counted(counts, h.id(), s);
    let (kib, mib, lines) = (Hostile::Commas1KiB, Hostile::Commas1MiB, Hostile::CommaLines1024);
    let tower = |h| sub(c(h, "tower-cors-macro"), c(h, "tower-bare"));
    let (Some(d_kib), Some(d_mib), Some(d_lines), Some(t_kib), Some(t_lines), Some(a_kib), Some(a_lines)) = (
        c(kib, "engine"),
        c(mib, "engine"),
        c(lines, "engine"),
        tower(kib),
        tower(lines),
        c(kib, "actix-cors-macro"),
        c(lines, "actix-cors-macro"),
    ) else {
        return;
    };
    let _ = writeln!(
        w,
        "In instructions, `decide` refuses 1 MiB of commas in {d_mib:.0}, as 1 KiB ({d_kib:.0}): the value's \
         length alone refuses it. The 1,024-line value costs {:+.0} ({d_lines:.0}) in how the request is \
         read: a preflight of more than 32 lines is read by hashed lookups of its headers \
         (`HeaderMap::get_all` and its hashing, in a profile) instead of one walk over its lines, and the value \
         is scanned from the lines that lookup gives. That is a fixed cost that keeps the 1,024 lines from being \
         walked, not work growing with the value, but it is {:.2}x the one-line refusal, over the \
         {HOSTILE_TARGET}x asked. Through tower \
         (minus bare, whose count is mostly dropping the request's lines) the 1,024-line value costs {:+.0} over \
         the 1 KiB one, {}. Through actix-web the request's lines are \
         dropped with the response, after the count, so the whole call is compared: {a_kib:.0} against \
         {a_lines:.0}. Where the times grow and the counts do not, it is memory (a 1,024-line request does \
         not stay in the first-level caches) or noise, which instructions cannot show.\n",
        d_lines - d_kib,
        d_lines / d_kib,
        t_lines - t_kib,
        if ((t_lines - t_kib) - (d_lines - d_kib)).abs() < 20.0 {
            "which is that same difference in `decide`".to_owned()
        } else {
            format!("against {:+.0} in `decide` alone", d_lines - d_kib)
        },
    );
}

const HOSTILE_NOTES: &str = "
A value longer than any list the policy could accept (every allowed name once with `, `, plus 64 bytes; 4 KiB
under `*`) is refused from the lines' lengths alone, without reading a byte of it: that is every 1 MiB and
390 KB value above. Within that length the scanner stops at the first name not allowed, at a repeated or
out-of-order name (names must be strictly ascending, as browsers send them), and after 16 empty elements or
16 bytes of white space in a row; each name is compared with the listed ones (up to 8) or looked up in a hash
table built with the policy, so the work does not grow with the number of names listed. A request of more
than 32 lines is read by hashed lookups, not walked, so its 1,024 lines are never walked (the lookups cost a
fixed few hundred instructions more than one walk over a short request, above). `cors-core/src/engine/request_headers_tests.rs` asserts the
bytes each crafted value makes the scanner read.
The bare columns show what merely carrying such a request costs: for tower, the request is dropped inside the
call, and dropping 1,024 header lines is most of it, so the adapters' rows of the target table subtract it
(requests of 1,024 lines are built 8 at a time, so they are in cache when sent, as a request a server has just
parsed is). In instructions, what is left of a 1,024-line request in those rows is the engine's own
difference; the engine rows, which carry nothing, are the measure of the refusal itself. tower-http never reads the header (it answers every
`OPTIONS` with its lists); actix-cors converts the first line to `&str` (a UTF-8 check over all of it) before
splitting, and refuses at the first empty name with a 400. Servers bound the rest: hyper reads at most 100
header lines by default and actix-http 96, so 1,024 lines never reach a middleware over the network.

";
