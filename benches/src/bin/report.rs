//! Writes BENCHMARKS.md and benches/scaling.svg from criterion's estimates
//! (`target/criterion/**/new/estimates.json`), the allocation counts (measured
//! here, with a counting allocator) and the run log `benches/run.sh` keeps.
//!
//! ```sh
//! cargo run -p corsair-bench --release --bin report -- [--criterion DIR] [--out FILE] [--svg FILE]
//! ```

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs, process};

use corsair_bench::allocation_counts::{self, Row};
use corsair_bench::counting::{self, Counting};
use corsair_bench::instructions::{self, Counts};
use corsair_bench::{Case, HeaderSet};

#[path = "report/hostile.rs"]
mod hostile;
#[path = "report/scaling.rs"]
mod scaling;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Criterion's median estimate (ns per iteration) of each benchmark.
struct Estimates {
    dir: PathBuf,
}

impl instructions::Source for Estimates {
    fn get(&self, target: &str, case: Case, stack: &str, set: HeaderSet) -> Option<f64> {
        Estimates::get(self, target, &instructions::criterion_id(case, set), stack)
    }
}

impl Estimates {
    fn get(&self, group: &str, function: &str, parameter: &str) -> Option<f64> {
        let path = self
            .dir
            .join(group)
            .join(function)
            .join(parameter)
            .join("new/estimates.json");
        let text = fs::read_to_string(path).ok()?;
        let json: serde_json::Value = serde_json::from_str(&text).ok()?;
        json["median"]["point_estimate"].as_f64()
    }
}

fn ns(x: Option<f64>) -> String {
    match x {
        None => "—".to_owned(),
        Some(x) if x.abs() >= 1e6 => format!("{:.2} ms", x / 1e6),
        Some(x) if x.abs() >= 1e4 => format!("{:.1} µs", x / 1e3),
        Some(x) if x.abs() >= 1e3 => format!("{:.2} µs", x / 1e3),
        Some(x) => format!("{x:.0} ns"),
    }
}

/// An instruction count, whole, or `—` when not counted.
fn instr(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), |x| format!("{x:.0}"))
}

fn ratio(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_owned(), |r| format!("{r:.2}x"))
}

fn sub(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(a? - b?)
}

/// `a / b`, when both are measured and clearly above noise (a few ns).
fn div(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    let (a, b) = (a?, b?);
    (a > 2.0 && b > 2.0).then_some(a / b)
}

fn verdict(ok: Option<bool>) -> &'static str {
    match ok {
        Some(true) => "met",
        Some(false) => "**missed**",
        None => "not measured",
    }
}

/// One adapter's main comparison, per case: times and added costs.
struct Adapter {
    name: &'static str,
    group: &'static str,
    peer: &'static str,
}

const TOWER: Adapter = Adapter {
    name: "tower",
    group: "tower",
    peer: "tower-http",
};
const ACTIX: Adapter = Adapter {
    name: "actix-web",
    group: "actix",
    peer: "actix-cors",
};

struct CaseTimes {
    bare: Option<f64>,
    floor: Option<f64>,
    cors_macro: Option<f64>,
    cors_builder: Option<f64>,
    peer: Option<f64>,
}

impl CaseTimes {
    fn of(e: &Estimates, a: &Adapter, case: Case) -> Self {
        let t = |stack: &str| e.get(a.group, case.id(), stack);
        CaseTimes {
            bare: t("bare"),
            floor: t("floor"),
            cors_macro: t("cors-macro"),
            cors_builder: t("cors-builder"),
            peer: t(a.peer),
        }
    }

    fn added(&self, t: Option<f64>) -> Option<f64> {
        sub(t, self.bare)
    }

    /// Our added cost over the floor's.
    fn vs_floor(&self, ours: Option<f64>) -> Option<f64> {
        div(self.added(ours), self.added(self.floor))
    }

    /// The peer's added cost over ours.
    fn peer_vs(&self, ours: Option<f64>) -> Option<f64> {
        div(self.added(self.peer), self.added(ours))
    }
}

fn main_table(out: &mut String, e: &Estimates, a: &Adapter) {
    let _ = writeln!(
        out,
        "| request | bare | floor | cors (`cors!`) | cors (builder) | {peer} | added: floor | added: cors (`cors!`) | added: cors (builder) | added: {peer} | cors / floor | {peer} / cors |",
        peer = a.peer
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for case in Case::ALL {
        let t = CaseTimes::of(e, a, case);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            case.id(),
            ns(t.bare),
            ns(t.floor),
            ns(t.cors_macro),
            ns(t.cors_builder),
            ns(t.peer),
            ns(t.added(t.floor)),
            ns(t.added(t.cors_macro)),
            ns(t.added(t.cors_builder)),
            ns(t.added(t.peer)),
            ratio(t.vs_floor(t.cors_macro)),
            ratio(t.peer_vs(t.cors_macro)),
        );
    }
    out.push('\n');
}

fn allocation_table(out: &mut String, name: &str, rows: &[Row]) {
    let stacks: Vec<&str> = rows[0].counts.iter().map(|(s, _)| *s).collect();
    let _ = writeln!(out, "| {name} | {} | same lines as the floor |", stacks.join(" | "));
    let _ = writeln!(out, "|---|{}---|", "---:|".repeat(stacks.len()));
    for row in rows {
        let cells: Vec<String> = row.counts.iter().map(|(_, n)| n.to_string()).collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            row.case,
            cells.join(" | "),
            if row.same_lines_as_floor { "yes" } else { "**no**" }
        );
    }
    out.push('\n');
}

struct Machine {
    cpu: String,
    cores: usize,
    rustc: String,
    kernel: String,
}

fn machine() -> Machine {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")
                .map(|r| r.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned());
    let rustc = process::Command::new(env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned()))
        .arg("-V")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|_| "unknown".to_owned());
    Machine {
        cpu,
        cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
        rustc,
        kernel: fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|s| s.trim().to_owned())
            .unwrap_or_default(),
    }
}

struct Args {
    criterion: PathBuf,
    out: PathBuf,
    svg: PathBuf,
    counts: PathBuf,
    before: PathBuf,
}

fn args() -> Args {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf();
    let target = env::var_os("CARGO_TARGET_DIR").map_or_else(|| workspace.join("target"), PathBuf::from);
    let mut a = Args {
        criterion: target.join("criterion"),
        out: workspace.join("BENCHMARKS.md"),
        svg: workspace.join("benches/scaling.svg"),
        counts: target.join("callgrind/counts.tsv"),
        before: workspace.join("benches/callgrind-before.tsv"),
    };
    let mut it = env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().map(PathBuf::from);
        match (flag.as_str(), value) {
            ("--criterion", Some(v)) => a.criterion = v,
            ("--out", Some(v)) => a.out = v,
            ("--svg", Some(v)) => a.svg = v,
            ("--counts", Some(v)) => a.counts = v,
            ("--before", Some(v)) => a.before = v,
            _ => {
                eprintln!("usage: report [--criterion DIR] [--out FILE] [--svg FILE] [--counts FILE] [--before FILE]");
                process::exit(2);
            }
        }
    }
    a
}

fn main() {
    let args = args();
    let e = Estimates {
        dir: args.criterion.clone(),
    };
    assert!(counting::installed(), "the counting allocator is not installed");
    let engine_allocs = allocation_counts::engine();
    let tower_allocs = allocation_counts::tower();
    let actix_allocs = actix_web::rt::System::new().block_on(allocation_counts::actix());

    let svg_name = args
        .svg
        .strip_prefix(args.out.parent().unwrap_or(Path::new(".")))
        .unwrap_or(&args.svg)
        .display()
        .to_string();
    let plotted = scaling::plot(&e, &args.svg);
    if let Err(err) = &plotted {
        eprintln!("no plot: {err}");
    }

    let counts = Counts::read(&args.counts);
    let before = Counts::read(&args.before);
    let m = machine();
    let runs = fs::read_to_string(args.criterion.join("corsair-bench-runs.txt")).unwrap_or_default();
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "# Benchmarks\n");
    let _ = writeln!(
        w,
        "Generated by `benches/run.sh` (the report: `cargo run -p corsair-bench --release --bin report`); \
         do not edit by hand. The benchmarks are the `corsair-bench` package in `benches/`."
    );
    w.push_str(INTRO);
    let _ = writeln!(w, "## Machine and run\n");
    let _ = writeln!(w, "- CPU: {} ({} logical CPUs, `nproc`)", m.cpu, m.cores);
    let _ = writeln!(w, "- {}; Linux {}", m.rustc, m.kernel);
    let _ = writeln!(
        w,
        "- Shared machine: other builds and test runs were going on. Each target's run, with the commit measured \
         and the load average (1, 5, 15 min) before and after it (the benchmark itself keeps one CPU busy):\n"
    );
    let _ = writeln!(
        w,
        "```text\n{}```\n",
        if runs.is_empty() { "(no run log)\n" } else { &runs }
    );
    let _ = writeln!(
        w,
        "Each figure is criterion's median time per request (`--warm-up-time 1 --measurement-time 3 --sample-size 50`). \
         With other processes on the machine, absolute times wander by 10-30 % from run to run; \
         ratios between benchmarks run one after the other are steadier, and they are what the targets are about.\n"
    );

    // Targets.
    let _ = writeln!(w, "## Targets\n");
    let _ = writeln!(w, "| target | where | instructions | wall-clock | bound | verdict |");
    let _ = writeln!(w, "|---|---|---:|---:|---:|---|");
    instructions::target_rows(w, &counts, &before, &e);
    scaling::target_rows(w, &e, &counts);
    hostile::target_rows(w, &e, &counts);
    let engine_zero = engine_allocs.iter().all(|(_, n)| *n == 0);
    let adapters_floor = tower_allocs.iter().chain(&actix_allocs).all(|r| {
        r.get("cors-macro") == r.get("floor") && r.get("cors-builder") == r.get("floor") && r.same_lines_as_floor
    });
    let _ = writeln!(
        w,
        "| hostile ACRH refused with no allocation | engine: `decide` | {} | | | {} |",
        if engine_zero { "0 allocations" } else { "allocates" },
        verdict(Some(engine_zero))
    );
    let _ = writeln!(
        w,
        "| 0 allocations added per request (all cases, hostile included) | both adapters vs the floor | {} | | | {} |\n",
        if adapters_floor { "equal counts" } else { "differs" },
        verdict(Some(adapters_floor))
    );
    w.push_str(&target_notes(&counts, &before));

    // Main comparison.
    let _ = writeln!(w, "## The main comparison\n");
    w.push_str(MAIN_NOTES);
    for a in [&TOWER, &ACTIX] {
        let _ = writeln!(w, "### Through {}\n", a.name);
        main_table(w, &e, a);
    }

    // Engine.
    let _ = writeln!(w, "### The engine alone, and where an adapter's added cost goes\n");
    let _ = writeln!(
        w,
        "`engine`: `Policy::decide` on an `http` 1 request. `engine-write`: writing the decision onto the \
         response's header map as the tower adapter does (`Decision::apply`, which first removes any CORS \
         header the handler set and merges `Vary`), against the floor's plain appends of the same lines.\n"
    );
    let _ = writeln!(
        w,
        "| request | decide (`cors!`) | decide (builder) | write: cors | write: floor | write: cors / floor |"
    );
    let _ = writeln!(w, "|---|---:|---:|---:|---:|---:|");
    for case in Case::ALL {
        let write = e.get("engine-write", case.id(), "cors-macro");
        let floor = e.get("engine-write", case.id(), "floor");
        let _ = writeln!(
            w,
            "| {} | {} | {} | {} | {} | {} |",
            case.id(),
            ns(e.get("engine", case.id(), "cors-macro")),
            ns(e.get("engine", case.id(), "cors-builder")),
            ns(write),
            ns(floor),
            ratio(div(write, floor))
        );
    }
    instructions::section(w, &counts, &before, &e);
    scaling::section(w, &e, &counts, &svg_name, plotted.is_ok());
    hostile::section(w, &e, &counts);

    // Allocations.
    let _ = writeln!(w, "## Allocations per request\n");
    let _ = writeln!(
        w,
        "Counted exactly with a counting global allocator (`benches/tests/allocations.rs` asserts the same, \
         in `cargo test --workspace --all-features`), after one warm-up request. `decide` allocates nothing: \
         {}.\n",
        engine_allocs
            .iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    allocation_table(w, "tower", &tower_allocs);
    allocation_table(w, "actix-web", &actix_allocs);
    w.push_str(ALLOC_NOTES);
    w.push_str(PEER_NOTES);

    fs::write(&args.out, out).unwrap_or_else(|err| panic!("write {}: {err}", args.out.display()));
    println!("wrote {} and {}", args.out.display(), args.svg.display());
}

const INTRO: &str = "

Every request is sent in-process, not over TCP, to measure the middleware and not the network: a tower
service is called directly (`poll_ready`, `call`, one poll with a no-op waker; every future here is ready at
once), an actix-web app is made with `actix_web::test::init_service` and called the same way inside an actix
`System`. Each request is built before its timed call and its response dropped after it. Header values are
`from_static`, so echoing one costs no atomic operation (a hyper- or actix-parsed value costs one, for every
middleware alike).

- **bare**: the handler alone (a `200` with `content-type` and a small static body); `/items` answers every
  method, so a preflight through it runs the handler.
- **floor**: a middleware that checks nothing and only writes prebuilt header lines, the ones our middleware
  writes for that request: it answers a preflight itself with the same status, or appends them to the
  handler's response. The least any CORS middleware must do.
- **cors**: this crate's adapter, with the policy from `cors!` (a `static`) or from `Policy::builder()`.
- **tower-http** `CorsLayer` / **actix-cors** `Cors`: the same policy, as far as each can say it (see the end).

The policy: `allow_origins: [\"https://app.example.com\"]`, methods GET, POST, PUT, DELETE, headers
`content-type`, `authorization`, `x-api-key`, expose `x-request-id`, credentials, `max_age: 600`. The requests:
a preflight for `PUT` with `content-type,x-api-key` from the allowed origin and from another one, a `GET` from
each, and a `GET` without `Origin`; each also carries `host`, `user-agent` and `accept`. The allowed preflight and `GET` are also measured as a browser sends them (`-browser`: about 15 lines, see *Instruction counts*).

**Added cost**: for an actual request, time through the middleware minus time through the bare service; for a
preflight (where the handler never runs), time through the middleware minus the bare service's time for the
same request, compared with the floor's added cost computed the same way.

";

/// [`TARGET_NOTES`] with this run's counts in place of its `{NAME}`s (`—` where
/// a count is missing).
fn target_notes(counts: &Counts, before: &Counts) -> String {
    let at = |c: &Counts, target, case, stack| c.named(target, case, stack, "minimal");
    let browser = |c: &Counts, target, case| c.named(target, case, "cors-macro", "browser");
    let (ax_cors, ax_floor, ax_bare, ax_decide) = (
        at(counts, "actix", "actual-allowed", "cors-macro"),
        at(counts, "actix", "actual-allowed", "floor"),
        at(counts, "actix", "actual-allowed", "bare"),
        at(counts, "engine-actix", "actual-allowed", "cors-macro"),
    );
    let half = |x: Option<f64>| x.map(|x| x / 2.0);
    let tenth = |x: Option<f64>| x.map(|x| x / 10.0);
    let fields = [
        ("{BEFORE_PF}", at(before, "engine", "preflight-allowed", "cors-macro")),
        ("{PF_MIN}", at(counts, "engine", "preflight-allowed", "cors-macro")),
        ("{PF_BR}", browser(counts, "engine", "preflight-allowed")),
        ("{BEFORE_ACT}", at(before, "engine", "actual-allowed", "cors-macro")),
        ("{ACT_MIN}", at(counts, "engine", "actual-allowed", "cors-macro")),
        ("{ACT_BR}", browser(counts, "engine", "actual-allowed")),
        ("{ACT_BR_CAP}", half(browser(before, "engine", "actual-allowed"))),
        ("{AX_OVER}", sub(sub(ax_cors, ax_floor), ax_decide)),
        ("{AX_CORS}", ax_cors),
        ("{AX_FLOOR}", ax_floor),
        ("{AX_DECIDE}", ax_decide),
        ("{AX_ALLOWED}", tenth(sub(ax_floor, ax_bare))),
    ];
    fields.iter().fold(TARGET_NOTES.to_owned(), |text, (name, x)| {
        text.replace(name, &instr(*x))
    })
}

const TARGET_NOTES: &str = "
Verdicts are taken on instruction counts (*Instruction counts* below), which do not move with the machine's
load; the wall-clock column is criterion's ratio for the same requests in the run logged above. *bound*: for
the writing target, (the floor's added cost + `decide` alone) / the floor's added cost, which no adapter that
calls the engine can beat (`decide` on the adapter's own request type: actix-web's `ServiceRequest` for the
actix rows); for the tower-http target, tower-http's added cost / the floor's, the most any
middleware writing these headers could reach; for the actix-web preflight, as for the writing target.

### What was done, and what bounds the misses

- **`decide`** (the engine alone, `benches/callgrind-before.tsv` against now): an allowed preflight went from
  {BEFORE_PF} to {PF_MIN} instructions ({PF_BR} with browser headers), an allowed actual request from {BEFORE_ACT} to
  {ACT_MIN} ({ACT_BR}).
  The `Access-Control-Request-Headers` value as browsers send it (one line of lower-case names, sorted,
  single commas) takes a fast path that splits at commas, checks that names ascend and are lower-case
  `tchar`s eight bytes at a time, and compares each with the listed names by length and bytes (a scan up to
  8 listed names, a word-at-a-time hash above); every other spelling, or any refusal, is scanned again by
  the full scanner from the start of that line, which bounds the work at twice the value's length, itself
  capped by the policy. The exact-origin table is scanned the same way up to 8 origins (length, then 8 bytes
  at a time), and hashed eight bytes at a time above. On `http` 1, a preflight of up to 32 lines is read in
  one walk over its lines (`Request::each_line`), a longer one by hashed lookups (`Request::walks`), so an
  attacker's extra lines are never walked; an actual request reads only `Origin` (`Request::origin_line`:
  a walk over up to 6 lines, one `get` above). actix-web's map is a hash map, looked up. The matchers for
  patterns, schemes and predicates are out of line and skipped when the policy has none. What is left of
  the browser-header actual request ({ACT_BR} instructions) is mostly `http`'s own `HeaderMap::get(ORIGIN)`:
  in a profile, about 140 instructions on a 12-line map (hashing, then three probes: `http` has no
  prehashed lookup and no access by position, and a walk costs about 17 a line, 204 for these 12). That
  lookup alone is more than half of the {ACT_BR_CAP} the target allows; what is ours (the method check, one
  origin compared in three words, the decision built) is about 125 more, and the harness 17, hence the miss
  there.
- **Writing against the floor.** The floor appends prebuilt lines and checks nothing. Ours writes the same
  lines the same way (each `append` of a constant name and a prebuilt or constant value, inlined into one
  straight function), and on an actual response also walks the handler's header names once to learn whether
  it set any `Access-Control-*` header to replace (RULES.md section 3) and whether it has a `Vary` to merge
  with (section 4): without one, `Vary` is appended like any line; with one, `http` 1 reads and appends
  through a single entry. An exact origin is answered with the policy's prebuilt value, so the request's
  `Origin` is not looked up again (a pattern match still clones it from the request). What is left over the
  floor is the adapter's frame: choosing the route's policy, holding it and the decision's headers in the
  response future, and (for an owned policy) its reference count.
- **Writing through actix-web.** On an allowed actual request the actix adapter spends {AX_OVER}
  instructions over the floor and `decide` (`cors!`, minimal headers: {AX_CORS} − {AX_FLOOR} − {AX_DECIDE}), where the 1.1x
  target allows {AX_ALLOWED}. It spent 186 until the response future's error path (a middleware inside
  failed, whose response actix-web renders later) was moved out of line: its `poll` is then inlined into
  its caller, and the handler's response is no longer moved through eight `memcpy` calls. A profile
  (`valgrind --tool=callgrind` on `callgrind --one actix actual-allowed cors-macro minimal`) puts most of
  what is left in the one walk over the response's names, which through actix-web's hash map
  (`HeaderMap::keys`, a SIMD group scan) costs about 70 for a one-line response: RULES.md sections 3 and 4
  ask it (a handler's own `Access-Control-*` headers replaced, its `Vary` merged), the floor does not do
  it. A builder policy's rows spend about 45 more, all in `bytes`' reference counts
  (`promotable_even_clone`, `shared_drop`): its values own their bytes, where the floor's and `cors!`'s are
  `static`, which is their miss of the 1.1x.
- **`cors!` against builder.** A `cors!` expansion builds every header value at compile time: its exact
  origins' `Access-Control-Allow-Origin` values are a `static` array of `from_static` values, so echoing one
  is a copy (the per-request check and `HeaderValue::from_static` of before, about 540 instructions for a
  23-byte origin, are gone), and with the actix adapter built, the `http` 0.2 copies are statics too. A
  builder policy's values own their bytes, so each clone is an atomic increment: builder rows cost a few
  tens of instructions more.
- **actix-web.** The *decide* subtracted in the actix rows is `decide` on actix-web's `ServiceRequest`
  (`engine-actix`), whose four header lookups in actix-web's hash map cost more on a preflight and less on
  an actual request than the walk over an `http` 1 map. The floor answers a preflight without running the
  handler, which the bare app runs, so the floor's added cost is close to zero (70 to 130 instructions, with the
  build's code layout) and
  any middleware that decides cannot come within 2x of it: the bound column shows `decide` alone is many
  times that. The rest of our preflight's added cost is the floor's own work: actix-web's `HttpResponse`
  head from its pool and the header map's appends (`actix_http::HeaderMap::append`, about 145 instructions
  a line), with the policy's values converted to `http` 0.2 once (at compile time for `cors!`).
- **Scaling and hostile values through the adapters** are judged on instructions too (target `scaling`:
  the 1,024 cycling requests counted and divided by 1,024; target `hostile`: one request through each stack).
  Scaling is judged on what each adapter adds over the bare handler in the same heap: a builder policy of
  thousands of origins lengthens `malloc`'s search for the handler's own allocations, with or without CORS
  (the controls in that section). The engine alone is shown for reference (the target is through the
  adapters): one origin is a scan of one entry and more are hashed. What is left of the hostile misses, and
  why, is in that section: a preflight of more than 32 lines is read by lookups, a fixed few hundred
  instructions; cache misses show in the times only.
- **Against the peers.** Both peers check less than the rules ask (tower-http only the origin, actix-cors only
  the first `Access-Control-Request-Headers` line, neither removes a handler's CORS headers nor merges `Vary`
  without duplicates), so their added cost is not far above the floor's: the *bound* column caps what any
  middleware could reach against them.

";

const MAIN_NOTES: &str = "Times are per request. `cors / floor` is our added cost (`cors!` policy) over the floor's;
`peer / cors` is the peer's added cost over ours. A ratio is `n/a` when an added cost is negative or within noise
of zero: through actix-web, answering a preflight without running the handler costs less than the bare app's
run of it, so there the floor's added cost, and actix-cors's for a denied preflight, is negative.

";

const ALLOC_NOTES: &str = "Our stacks' counts equal the floor's for every request: the decision is a `Copy` value,
echoed values are clones of the request's own `HeaderValue`s, and a `cors!` policy is a `static` (a builder
policy costs one reference-count increment). What is left is the header map's own growth, which the floor pays
too. Through actix-web a preflight allocates less than the bare app, whose handler runs. tower-http builds a
header map of its own per request and moves it over; actix-cors boxes its future, and on a preflight also
formats `max_age` and builds its response through a builder (a denied one renders its error's text).

";

const PEER_NOTES: &str = "## How equivalent the peers' policies are

- **tower-http 0.6 `CorsLayer`**: same origins (`AllowOrigin::list`, or a predicate for patterns), methods,
  headers, expose headers, credentials and max age. It cannot refuse: it answers every `OPTIONS` (with or
  without `Access-Control-Request-Method`) itself with 200 and its allow lists, whatever the origin, method or
  requested headers (only `Access-Control-Allow-Origin` is left out for a denied origin); it does not read
  `Access-Control-Request-Headers`; it sends `Vary: origin, access-control-request-method,
  access-control-request-headers` on every response; it never removes a handler's own CORS headers.
- **actix-cors 0.7 `Cors`**: same origins (`allowed_origin`, plus `allowed_origin_fn` for patterns), headers,
  expose headers, credentials and max age; methods list HEAD too, since it does not exempt GET, HEAD and POST as
  the Fetch Standard does. A denied preflight gets a 400 with a text body (ours: 403, empty); it checks only
  the first `Access-Control-Request-Headers` line; it never removes a handler's own CORS headers.
- Neither has a compile-time policy, so both are compared with our `cors!` (and builder) policy.
";
