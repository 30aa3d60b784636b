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
use corsair_bench::{spec, Case, HeaderSet, Hostile, HostilePolicy};
use plotters::prelude::*;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Target ratios of the issue.
const SCALING_TARGET: f64 = 1.1;
/// "Independent of size": the 1 MiB refusal within this factor of the 1 KiB one.
const HOSTILE_TARGET: f64 = 1.2;
/// Every hostile value refused within this factor of an ordinary two-name preflight of its policy.
const HOSTILE_ORDINARY_TARGET: f64 = 10.0;

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

fn scaling_series(e: &Estimates, group: &str, series: &str, counts: &[usize]) -> Vec<(usize, Option<f64>)> {
    counts
        .iter()
        .map(|&n| (n, e.get(group, series, &n.to_string())))
        .collect()
}

fn scaling_ratio(e: &Estimates, group: &str, series: &str, counts: &[usize]) -> Option<f64> {
    let (first, last) = (counts.first()?, counts.last()?);
    div(
        e.get(group, series, &last.to_string()),
        e.get(group, series, &first.to_string()),
    )
}

/// (group, series, label) of every scaling line.
const SCALING_COLUMNS: [(&str, &str, &str); 10] = [
    ("scaling-engine", "cors-macro", "engine, `cors!`"),
    ("scaling-engine", "cors-builder", "engine, builder"),
    ("scaling-engine", "cors-macro-hot", "engine, `cors!`, one origin"),
    ("scaling-engine", "cors-builder-hot", "engine, builder, one origin"),
    ("scaling-tower", "cors-macro", "tower: cors, `cors!`"),
    ("scaling-tower", "cors-builder", "tower: cors, builder"),
    ("scaling-tower", "tower-http", "tower: tower-http"),
    ("scaling-actix", "cors-macro", "actix: cors, `cors!`"),
    ("scaling-actix", "cors-builder", "actix: cors, builder"),
    ("scaling-actix", "actix-cors", "actix: actix-cors"),
];

fn scaling_table(out: &mut String, e: &Estimates) {
    let header: Vec<&str> = SCALING_COLUMNS.iter().map(|c| c.2).collect();
    let _ = writeln!(out, "| allowed origins | {} |", header.join(" | "));
    let _ = writeln!(out, "|---|{}", "---:|".repeat(SCALING_COLUMNS.len()));
    let rows = spec::ORIGIN_COUNTS
        .iter()
        .map(|&n| (n, false))
        .chain(spec::PATTERN_ORIGIN_COUNTS.iter().map(|&n| (n, true)));
    for (n, patterns) in rows {
        let label = if patterns {
            format!("{n} + {} patterns (pattern hit)", spec::PATTERNS.len())
        } else {
            format!("{n}")
        };
        let cells: Vec<String> = SCALING_COLUMNS
            .iter()
            .map(|(group, series, _)| {
                let series = if patterns {
                    format!("{series}-patterns")
                } else {
                    (*series).to_owned()
                };
                ns(e.get(group, &series, &n.to_string()))
            })
            .collect();
        let _ = writeln!(out, "| {label} | {} |", cells.join(" | "));
    }
    let cells: Vec<String> = SCALING_COLUMNS
        .iter()
        .map(|(group, series, _)| ratio(scaling_ratio(e, group, series, &spec::ORIGIN_COUNTS)))
        .collect();
    let _ = writeln!(out, "| **10,000 / 1** | {} |", cells.join(" | "));
    out.push('\n');
}

/// (criterion series, legend, colour) of one line of the plot.
type Line = (&'static str, &'static str, RGBColor);

fn plot(e: &Estimates, path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let panels: [(&str, &str, [Line; 3]); 2] = [
        (
            "through tower (axum)",
            "scaling-tower",
            [
                ("cors-macro", "cors, cors! policy", RGBColor(0, 114, 178)),
                ("cors-builder", "cors, builder policy", RGBColor(86, 180, 233)),
                ("tower-http", "tower-http CorsLayer", RGBColor(213, 94, 0)),
            ],
        ),
        (
            "through actix-web",
            "scaling-actix",
            [
                ("cors-macro", "cors, cors! policy", RGBColor(0, 114, 178)),
                ("cors-builder", "cors, builder policy", RGBColor(86, 180, 233)),
                ("actix-cors", "actix-cors", RGBColor(213, 94, 0)),
            ],
        ),
    ];
    let all: Vec<f64> = panels
        .iter()
        .flat_map(|(_, group, series)| {
            series.iter().flat_map(move |(s, _, _)| {
                scaling_series(e, group, s, &spec::ORIGIN_COUNTS)
                    .into_iter()
                    .filter_map(|(_, t)| t)
            })
        })
        .collect();
    if all.is_empty() {
        return Err("no scaling estimates".into());
    }
    // Whole decades, so the log axis has labelled key points inside the range.
    let lo = 10f64.powf(all.iter().copied().fold(f64::INFINITY, f64::min).log10().floor());
    let hi = 10f64.powf(all.iter().copied().fold(0.0, f64::max).log10().ceil());

    let root = SVGBackend::new(path, (1100, 480)).into_drawing_area();
    root.fill(&WHITE)?;
    let root = root.titled(
        "Time per allowed request against the number of allowed exact origins (median, log-log)",
        ("sans-serif", 18),
    )?;
    let (left, right) = root.split_horizontally(550);
    for ((title, group, series), area) in panels.iter().zip([left, right]) {
        let mut chart = ChartBuilder::on(&area)
            .caption(*title, ("sans-serif", 16))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d((0.7f64..15_000f64).log_scale(), (lo..hi).log_scale())?;
        chart
            .configure_mesh()
            .x_desc("allowed exact origins")
            .y_desc("time per request")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_labels(30)
            .y_label_formatter(&|y| {
                // Label 1, 2 and 5 of each decade only.
                let lead = *y / 10f64.powf(y.log10().floor());
                if [1.0, 2.0, 5.0].iter().any(|l| (lead - l).abs() < 0.01) {
                    ns(Some(*y))
                } else {
                    String::new()
                }
            })
            .draw()?;
        for &(s, label, color) in series {
            let points: Vec<(f64, f64)> = scaling_series(e, group, s, &spec::ORIGIN_COUNTS)
                .into_iter()
                .filter_map(|(n, t)| Some((n as f64, t?)))
                .collect();
            chart
                .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?
                .label(label)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
            chart.draw_series(points.iter().map(|&p| Circle::new(p, 4, color.filled())))?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()?;
    }
    root.present()?;
    Ok(())
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
    let plotted = plot(&e, &args.svg);
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
    for (group, series, label) in SCALING_COLUMNS.iter().filter(|c| c.1.starts_with("cors")) {
        let r = scaling_ratio(&e, group, series, &spec::ORIGIN_COUNTS);
        let _ = writeln!(
            w,
            "| 10,000 origins within {SCALING_TARGET}x of 1 | {} | | {} | | {} |",
            label.replace(": cors,", ","),
            ratio(r),
            verdict(r.map(|r| r <= SCALING_TARGET))
        );
    }
    let hostile_rows: [(&str, &str, Option<&str>); 3] = [
        ("engine", "engine", None),
        ("tower, `cors!` (minus bare)", "tower-cors-macro", Some("tower-bare")),
        (
            "actix-web, `cors!` (minus bare)",
            "actix-cors-macro",
            Some("actix-bare"),
        ),
    ];
    for (label, stack, bare) in hostile_rows {
        let cost = |h: Hostile| {
            let t = e.get("hostile", h.id(), stack);
            match bare {
                Some(b) => sub(t, e.get("hostile", h.id(), b)),
                None => t,
            }
        };
        for big in [Hostile::Commas1MiB, Hostile::CommaLines1024] {
            let r = div(cost(big), cost(Hostile::Commas1KiB));
            let _ = writeln!(
                w,
                "| hostile ACRH refused in time independent of size (within {HOSTILE_TARGET}x) | {label}: {} / {} | | {} | | {} |",
                big.id(),
                Hostile::Commas1KiB.id(),
                ratio(r),
                verdict(r.map(|r| r <= HOSTILE_TARGET))
            );
        }
    }
    for h in Hostile::ALL {
        let r = hostile_vs_ordinary(&e, h);
        let _ = writeln!(
            w,
            "| hostile ACRH within {HOSTILE_ORDINARY_TARGET}x an ordinary two-name preflight of its policy | engine: {} / {} | | {} | | {} |",
            h.id(),
            h.policy().ordinary_id(),
            ratio(r),
            verdict(r.map(|r| r <= HOSTILE_ORDINARY_TARGET))
        );
    }
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
    w.push_str(TARGET_NOTES);

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
    scaling_section(w, &e, &svg_name, plotted.is_ok());

    // Hostile.
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
    let stacks = [
        "engine",
        "tower-bare",
        "tower-cors-macro",
        "tower-http",
        "actix-bare",
        "actix-cors-macro",
        "actix-cors",
    ];
    let _ = writeln!(w, "| value | {} | vs ordinary |", stacks.join(" | "));
    let _ = writeln!(w, "|---|{}", "---:|".repeat(stacks.len() + 1));
    for h in Hostile::ALL {
        let cells: Vec<String> = stacks.iter().map(|s| ns(e.get("hostile", h.id(), s))).collect();
        let _ = writeln!(
            w,
            "| {} | {} | {} |",
            h.id(),
            cells.join(" | "),
            ratio(hostile_vs_ordinary(&e, h))
        );
    }
    w.push_str(HOSTILE_NOTES);

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

/// The engine's time on a hostile value over its policy's ordinary two-name preflight.
fn hostile_vs_ordinary(e: &Estimates, h: Hostile) -> Option<f64> {
    div(
        e.get("hostile", h.id(), "engine"),
        e.get("hostile", h.policy().ordinary_id(), "engine"),
    )
}

fn scaling_section(w: &mut String, e: &Estimates, svg: &str, plotted: bool) {
    let _ = writeln!(w, "\n## Scaling with the number of allowed origins\n");
    let _ = writeln!(
        w,
        "An allowed `GET` whose origin cycles through 1,024 of the allowed ones in a fixed pseudo-random order \
         (so neither a hash table nor a list is measured on one hot entry); the engine is also measured with the \
         last listed origin every time (*one origin*: the lookup's own cost, its memory hot in cache). The \
         `cors!` policies of 1 to 10,000 \
         origins are generated by the bench's build script; the builder policies get the same origins. \
         tower-http gets its own `AllowOrigin::list` (a linear scan), actix-cors its `allowed_origin` (a hash \
         set). The pattern rows add `{}` after the exact origins, and the request is matched by the second \
         pattern (the peers get an `AllowOrigin::predicate` / `allowed_origin_fn` doing the same).\n",
        spec::PATTERNS.join("`, `")
    );
    if plotted {
        let _ = writeln!(w, "![time per request against allowed origins]({svg})\n");
    }
    scaling_table(w, e);
    w.push_str(SCALING_NOTES);
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

const TARGET_NOTES: &str = "
Verdicts are taken on instruction counts (*Instruction counts* below), which do not move with the machine's
load; the wall-clock column is criterion's ratio for the same requests in the run logged above. *bound*: for
the writing target, (the floor's added cost + `decide` alone) / the floor's added cost, which no adapter that
calls the engine can beat (`decide` on the adapter's own request type: actix-web's `ServiceRequest` for the
actix rows); for the tower-http target, tower-http's added cost / the floor's, the most any
middleware writing these headers could reach; for the actix-web preflight, as for the writing target.

### What was done, and what bounds the misses

- **`decide`** (the engine alone, `benches/callgrind-before.tsv` against now): an allowed preflight went from
  3,122 to 854 instructions (1,007 with browser headers), an allowed actual request from 469 to 195 (279).
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
  the browser-header actual request is `http`'s own `HeaderMap::get(ORIGIN)`, 135 of its 279
  instructions on a 12-line map (hashing and probing; `http` has no prehashed lookup, and a walk costs
  about 17 a line): that lookup alone is most of the half of before that the target asks, hence the miss
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

const SCALING_NOTES: &str = "
Up to 8 exact origins are compared one by one (length first, then eight bytes at a time); above that
they sit in an open-addressing hash table (hashed eight bytes at a time, load at most 1/2), the same for
`cors!` and the builder: a lookup hashes the `Origin` once and, at that load, compares about one entry on
average. So 1 and 10 origins take different code paths than 1,000 and 10,000: the 1-origin rows are a
scan of one entry, cheaper than any hash, and a ratio against them also measures the hash itself. The *one origin* columns show that cost alone; they measure one particular origin (the last
listed), so they also show its own probe sequence. What grows with the count is the table's memory (128 KiB
of slots and about half a MiB of origins at 10,000), so with origins cycling over 1,024 of them lookups miss
the first-level caches, which one origin's never do: that, not the algorithm, separates 10,000 from 1 in the
cycling engine columns, and through an adapter it is diluted to within run-to-run noise. tower-http's list
is scanned linearly, so its time grows with the count; actix-cors hashes into a `HashSet` with SipHash.

";

const HOSTILE_NOTES: &str = "
A value longer than any list the policy could accept (every allowed name once with `, `, plus 64 bytes; 4 KiB
under `*`) is refused from the lines' lengths alone, without reading a byte of it: that is every 1 MiB and
390 KB value above. Within that length the scanner stops at the first name not allowed, at a repeated or
out-of-order name (names must be strictly ascending, as browsers send them), and after 16 empty elements or
16 bytes of white space in a row; each name is compared with the listed ones (up to 8) or looked up in a hash
table built with the policy, so the work does not grow with the number of names listed. A request of more
than 32 lines is read by hashed lookups, not walked, so the 1,024-line values cost what a short one does. `cors-core/src/engine/request_headers_tests.rs` asserts the
bytes each crafted value makes the scanner read.
The bare columns show what merely carrying such a request costs: for tower, the request is dropped inside the
call, and dropping 1,024 header lines is most of it, so the adapters' rows of the target table subtract it
(requests of 1,024 lines are built 8 at a time, so they are in cache when sent, as a request a server has just
parsed is). What is left of a 1,024-line request in those rows is within noise of a few tens of ns on a
request that costs over a microsecond to carry; the engine rows, which carry nothing, are the measure of the
refusal itself. tower-http never reads the header (it answers every
`OPTIONS` with its lists); actix-cors converts the first line to `&str` (a UTF-8 check over all of it) before
splitting, and refuses at the first empty name with a 400. Servers bound the rest: hyper reads at most 100
header lines by default and actix-http 96, so 1,024 lines never reach a middleware over the network.

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
