//! The report's instruction counts (measured by `src/bin/callgrind.rs` under
//! callgrind) beside criterion's wall-clock estimates, and the targets
//! computed the same way from both.
//!
//! A measurement is named `(target, case, stack, set)`: target `engine`, `tower`
//! or `actix`; a [`Case`]; a stack (`bare`, `floor`, `cors-macro`,
//! `cors-builder`, `tower-http`, `actix-cors`); a [`HeaderSet`]. Criterion names
//! the same one group `target`, function `case` (with `-browser` appended for the
//! browser header set) and parameter `stack`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::{Case, HeaderSet};

/// Any source of per-request figures: instruction counts or nanoseconds.
pub trait Source {
    /// The figure of one measurement, if it was taken.
    fn get(&self, target: &str, case: Case, stack: &str, set: HeaderSet) -> Option<f64>;
}

/// Instruction counts, one per measurement, as `callgrind` writes them
/// (`TARGET\tCASE\tSTACK\tSET\tINSTRUCTIONS` lines).
#[derive(Debug, Default)]
pub struct Counts {
    map: HashMap<String, f64>,
}

impl Counts {
    /// Reads a counts file; a missing or unreadable file gives no counts.
    pub fn read(path: &Path) -> Counts {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let map = text
            .lines()
            .filter_map(|l| {
                let (k, v) = l.rsplit_once('\t')?;
                Some((k.to_owned(), v.trim().parse().ok()?))
            })
            .collect();
        Counts { map }
    }

    /// The count of a measurement by its four name parts, for the targets whose
    /// cases are not a [`Case`] (`hostile`, `scaling`).
    pub fn named(&self, target: &str, case: &str, stack: &str, set: &str) -> Option<f64> {
        self.map.get(&format!("{target}\t{case}\t{stack}\t{set}")).copied()
    }

    /// Were any counts read?
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

impl Source for Counts {
    fn get(&self, target: &str, case: Case, stack: &str, set: HeaderSet) -> Option<f64> {
        self.named(target, case.id(), stack, set.id())
    }
}

/// The criterion function id of a case in a header set.
pub fn criterion_id(case: Case, set: HeaderSet) -> String {
    match set {
        HeaderSet::Minimal => case.id().to_owned(),
        HeaderSet::Browser => format!("{}-browser", case.id()),
    }
}

/// The targets.
pub const DECIDE_PREFLIGHT_TARGET: f64 = 1.0 / 3.0;
/// `decide` on an allowed actual request: at most half of before.
pub const DECIDE_ACTUAL_TARGET: f64 = 0.5;
/// Our added cost minus `decide`, over the floor's added cost.
pub const WRITE_TARGET: f64 = 1.1;
/// tower-http's added cost over ours: preflight, actual.
pub const TOWER_HTTP_TARGETS: (f64, f64) = (2.5, 3.0);
/// Our actix preflight's added cost over the floor's.
pub const ACTIX_PREFLIGHT_TARGET: f64 = 2.0;

/// One adapter: criterion group and callgrind target, name, peer stack.
#[derive(Clone, Copy, Debug)]
pub struct Adapter {
    /// `tower` or `actix`.
    pub target: &'static str,
    /// What the report calls it.
    pub name: &'static str,
    /// The peer's stack id.
    pub peer: &'static str,
}

/// Both adapters.
pub const ADAPTERS: [Adapter; 2] = [
    Adapter {
        target: "tower",
        name: "tower",
        peer: "tower-http",
    },
    Adapter {
        target: "actix",
        name: "actix-web",
        peer: "actix-cors",
    },
];

/// The two policies: stack id, label.
pub const POLICIES: [(&str, &str); 2] = [("cors-macro", "`cors!`"), ("cors-builder", "builder")];

fn sub(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(a? - b?)
}

/// `a / b` when the divisor is clearly positive (`min` is the noise floor).
fn div(a: Option<f64>, b: Option<f64>, min: f64) -> Option<f64> {
    let (a, b) = (a?, b?);
    (b > min).then_some(a / b)
}

/// The figures of one adapter, one case, one set, from one source.
struct Row<'a> {
    src: &'a dyn Source,
    a: Adapter,
    case: Case,
    set: HeaderSet,
    min: f64,
}

impl Row<'_> {
    fn get(&self, stack: &str) -> Option<f64> {
        self.src.get(self.a.target, self.case, stack, self.set)
    }
    fn added(&self, stack: &str) -> Option<f64> {
        sub(self.get(stack), self.get("bare"))
    }
    /// `decide` alone, on this adapter's own request type when it was measured
    /// (`engine-actix`: actix-web's map is looked up, not walked), else on `http` 1's.
    fn decide(&self, policy: &str) -> Option<f64> {
        let own = match self.a.target {
            "actix" => self.src.get("engine-actix", self.case, policy, self.set),
            _ => None,
        };
        own.or_else(|| self.src.get("engine", self.case, policy, self.set))
    }
    /// (added - decide) / floor's added: the writing against the floor.
    fn writing(&self, policy: &str) -> Option<f64> {
        div(
            sub(self.added(policy), self.decide(policy)),
            self.added("floor"),
            self.min,
        )
    }
    /// (floor's added + decide) / floor's added: what deciding alone costs on top.
    fn bound(&self, policy: &str) -> Option<f64> {
        let floor = self.added("floor");
        div(floor.zip(self.decide(policy)).map(|(f, d)| f + d), floor, self.min)
    }
    fn vs_floor(&self, policy: &str) -> Option<f64> {
        div(self.added(policy), self.added("floor"), self.min)
    }
    fn peer_vs(&self, policy: &str) -> Option<f64> {
        div(self.added(self.a.peer), self.added(policy), self.min)
    }
}

/// Nanoseconds below this are noise for a ratio; instructions have no noise (but a
/// difference of a few instructions is no basis for a ratio either).
const NS_NOISE: f64 = 2.0;
const INSTR_NOISE: f64 = 20.0;

fn r(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_owned(), |r| format!("{r:.2}x"))
}

fn count(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), |x| format!("{x:.0}"))
}

fn ns(x: Option<f64>) -> String {
    match x {
        None => "—".to_owned(),
        Some(x) if x.abs() >= 1e3 => format!("{:.2} µs", x / 1e3),
        Some(x) => format!("{x:.0} ns"),
    }
}

fn verdict(ok: Option<bool>) -> &'static str {
    match ok {
        Some(true) => "met",
        Some(false) => "**missed**",
        None => "not measured",
    }
}

/// The target rows (`| target | where | instructions | wall-clock | bound | verdict |`);
/// the verdict is taken on instructions, which are reproducible to the unit.
pub fn target_rows(w: &mut String, instr: &Counts, before: &Counts, time: &dyn Source) {
    for set in HeaderSet::ALL {
        for (case, goal) in [
            (Case::PreflightAllowed, DECIDE_PREFLIGHT_TARGET),
            (Case::ActualAllowed, DECIDE_ACTUAL_TARGET),
        ] {
            for (policy, label) in POLICIES {
                let now = instr.get("engine", case, policy, set);
                let was = before.get("engine", case, policy, set);
                let x = div(now, was, INSTR_NOISE);
                let _ = writeln!(
                    w,
                    "| `decide` at most {goal:.2} of before | engine, {}, {label}, {} headers | {} ({} → {}) | {} | | {} |",
                    case.id(),
                    set.id(),
                    r(x),
                    count(was),
                    count(now),
                    ns(time.get("engine", case, policy, set)),
                    verdict(x.map(|x| x <= goal))
                );
            }
        }
    }
    for a in ADAPTERS {
        for set in HeaderSet::ALL {
            for case in [Case::PreflightAllowed, Case::ActualAllowed] {
                let i = Row {
                    src: instr,
                    a,
                    case,
                    set,
                    min: INSTR_NOISE,
                };
                let t = Row {
                    src: time,
                    a,
                    case,
                    set,
                    min: NS_NOISE,
                };
                for (policy, label) in POLICIES {
                    let x = i.writing(policy);
                    let _ = writeln!(
                        w,
                        "| added cost minus `decide` within {WRITE_TARGET}x of the floor's | {}, {}, {label}, {} headers | {} | {} | {} | {} |",
                        a.name,
                        case.id(),
                        set.id(),
                        r(x),
                        r(t.writing(policy)),
                        r(i.bound(policy)),
                        verdict(x.map(|x| x <= WRITE_TARGET))
                    );
                }
            }
        }
    }
    for set in HeaderSet::ALL {
        let a = ADAPTERS[0];
        for (case, goal) in [
            (Case::PreflightAllowed, TOWER_HTTP_TARGETS.0),
            (Case::ActualAllowed, TOWER_HTTP_TARGETS.1),
        ] {
            let i = Row {
                src: instr,
                a,
                case,
                set,
                min: INSTR_NOISE,
            };
            let t = Row {
                src: time,
                a,
                case,
                set,
                min: NS_NOISE,
            };
            let x = i.peer_vs("cors-macro");
            let _ = writeln!(
                w,
                "| at least {goal}x less added cost than tower-http | tower, {}, `cors!`, {} headers | {} | {} | {} | {} |",
                case.id(),
                set.id(),
                r(x),
                r(t.peer_vs("cors-macro")),
                r(i.peer_vs("floor")),
                verdict(x.map(|x| x >= goal))
            );
        }
    }
    for set in HeaderSet::ALL {
        let a = ADAPTERS[1];
        let case = Case::PreflightAllowed;
        let i = Row {
            src: instr,
            a,
            case,
            set,
            min: INSTR_NOISE,
        };
        let t = Row {
            src: time,
            a,
            case,
            set,
            min: NS_NOISE,
        };
        for (policy, label) in POLICIES {
            let x = i.vs_floor(policy);
            let _ = writeln!(
                w,
                "| preflight's added cost at most {ACTIX_PREFLIGHT_TARGET}x the floor's | actix-web, {label}, {} headers | {} | {} | {} | {} |",
                set.id(),
                r(x),
                r(t.vs_floor(policy)),
                r(i.bound(policy)),
                verdict(x.map(|x| x <= ACTIX_PREFLIGHT_TARGET))
            );
        }
        for case in Case::ALL {
            let i = Row {
                src: instr,
                a,
                case,
                set,
                min: f64::NEG_INFINITY,
            };
            let t = Row {
                src: time,
                a,
                case,
                set,
                min: f64::NEG_INFINITY,
            };
            let (ours, peer) = (i.added("cors-macro"), i.added("actix-cors"));
            let less = ours.zip(peer).map(|(o, p)| o < p);
            let _ = writeln!(
                w,
                "| less added cost than actix-cors | actix-web, {}, `cors!`, {} headers | {} vs {} | {} vs {} | | {} |",
                case.id(),
                set.id(),
                count(ours),
                count(peer),
                ns(t.added("cors-macro")),
                ns(t.added("actix-cors")),
                verdict(less)
            );
        }
    }
}

/// The instruction-count section: `decide` before and now, and each adapter's
/// stacks per case and header set, with criterion's added costs beside them.
pub fn section(w: &mut String, instr: &Counts, before: &Counts, time: &dyn Source) {
    let _ = writeln!(w, "## Instruction counts\n");
    if instr.is_empty() {
        let _ = writeln!(
            w,
            "No counts: run `target/release/callgrind` (valgrind) before the report.\n"
        );
        return;
    }
    w.push_str(INSTR_NOTES);
    let _ = writeln!(w, "### `decide`, before and now\n");
    let _ = writeln!(
        w,
        "| request | headers | before (`cors!`) | now (`cors!`) | now / before | before (builder) | now (builder) | now / before | time now (`cors!`) |"
    );
    let _ = writeln!(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for set in HeaderSet::ALL {
        for case in Case::ALL {
            let g = |src: &Counts, p| src.get("engine", case, p, set);
            let _ = writeln!(
                w,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                case.id(),
                set.id(),
                count(g(before, "cors-macro")),
                count(g(instr, "cors-macro")),
                r(div(g(instr, "cors-macro"), g(before, "cors-macro"), INSTR_NOISE)),
                count(g(before, "cors-builder")),
                count(g(instr, "cors-builder")),
                r(div(g(instr, "cors-builder"), g(before, "cors-builder"), INSTR_NOISE)),
                ns(time.get("engine", case, "cors-macro", set)),
            );
        }
    }
    w.push('\n');
    for a in ADAPTERS {
        let _ = writeln!(w, "### Through {}, instructions per request\n", a.name);
        let _ = writeln!(
            w,
            "| request | headers | bare | floor | cors (`cors!`) | cors (builder) | {peer} | added: floor | added: cors (`cors!`) | added: {peer} | decide | (added − decide) / floor | cors / floor | {peer} / cors | time added: floor | time added: cors (`cors!`) | time added: {peer} |",
            peer = a.peer
        );
        let _ = writeln!(w, "|---|---|{}", "---:|".repeat(15));
        for set in HeaderSet::ALL {
            for case in Case::ALL {
                let i = Row {
                    src: instr,
                    a,
                    case,
                    set,
                    min: INSTR_NOISE,
                };
                let t = Row {
                    src: time,
                    a,
                    case,
                    set,
                    min: NS_NOISE,
                };
                let _ = writeln!(
                    w,
                    "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                    case.id(),
                    set.id(),
                    count(i.get("bare")),
                    count(i.get("floor")),
                    count(i.get("cors-macro")),
                    count(i.get("cors-builder")),
                    count(i.get(a.peer)),
                    count(i.added("floor")),
                    count(i.added("cors-macro")),
                    count(i.added(a.peer)),
                    count(i.decide("cors-macro")),
                    r(i.writing("cors-macro")),
                    r(i.vs_floor("cors-macro")),
                    r(i.peer_vs("cors-macro")),
                    ns(t.added("floor")),
                    ns(t.added("cors-macro")),
                    ns(t.added(a.peer)),
                );
            }
        }
        w.push('\n');
    }
}

const INSTR_NOTES: &str = "\
Counted by `target/release/callgrind` (`benches/src/bin/callgrind.rs`): each measurement runs in its own process \
under `valgrind --tool=callgrind --collect-atstart=no --toggle-collect=*corsair_callgrind_measured*`, which counts \
the instructions of one request (`poll_ready`, `call`, one poll; for the engine one `decide`) after three \
warm-up requests, the request built before and its response dropped after, as in the criterion benchmarks. \
The counts are the same on every run of the same binary, whatever the load, but for the actix-web rows: \
actix-web's header map hashes with a per-process random seed, so its probes, and the counts through it, \
vary by up to a few tens of instructions from run to run. *minimal* requests carry `host`, \
`user-agent` and `accept` besides the CORS lines; *browser* requests carry what Firefox sends on a cross-site \
`fetch`: `host`, `user-agent`, `accept`, `accept-language`, `accept-encoding`, `referer`, `sec-fetch-dest`, \
`sec-fetch-mode`, `sec-fetch-site`, `connection` and a 370-byte `cookie`, then the CORS lines (about 15 lines). \
The *decide* column of the actix-web table is `decide` on actix-web's own `ServiceRequest` (`engine-actix`: \
its `Request` impl looks the four headers up in actix-web's hash map), what the adapter's `decide` costs there; \
the tower table's is the engine's on an `http` 1 request. *before* is `benches/callgrind-before.tsv`, the counts at the commit before this issue's changes. The *time* \
columns are criterion's medians of the same requests (browser rows only for the allowed cases).\n\n";
