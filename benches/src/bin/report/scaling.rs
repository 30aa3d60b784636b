//! The report's scaling section and targets: allowed requests through policies of
//! 1 to 10,000 origins, criterion's times and callgrind's instructions per request
//! (target `scaling` of `src/bin/callgrind.rs`), and the plot of the times.

use std::fmt::Write as _;
use std::path::Path;

use corsair_bench::instructions::Counts;
use corsair_bench::spec;
use plotters::prelude::*;

use super::{div, ns, ratio, verdict, Estimates};

/// The target: 10,000 origins within this factor of 1.
const SCALING_TARGET: f64 = 1.1;

fn plotted_series(e: &Estimates, group: &str, series: &str, counts: &[usize]) -> Vec<(usize, Option<f64>)> {
    counts
        .iter()
        .map(|&n| (n, e.get(group, series, &n.to_string())))
        .collect()
}

/// A series' figure at `n` origins: criterion's median (ns) or the instructions per request.
fn figure(e: &Estimates, counts: &Counts, instr: bool, group: &str, series: &str, n: usize) -> Option<f64> {
    if instr {
        count(counts, group, series, n)
    } else {
        e.get(group, series, &n.to_string())
    }
}

/// A series' instructions per request at `n` origins.
fn count(counts: &Counts, group: &str, series: &str, n: usize) -> Option<f64> {
    let group = group.strip_prefix("scaling-").unwrap_or(group);
    counts.named("scaling", group, series, &n.to_string())
}

/// A series' figure at `last` origins over at `first`.
fn growth(
    e: &Estimates,
    counts: &Counts,
    instr: bool,
    group: &str,
    series: &str,
    (first, last): (usize, usize),
) -> Option<f64> {
    div(
        figure(e, counts, instr, group, series, last),
        figure(e, counts, instr, group, series, first),
    )
}

/// 1 and 10,000 origins, the target's ends.
fn ends() -> (usize, usize) {
    let c = &spec::ORIGIN_COUNTS;
    (c[0], c[c.len() - 1])
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

/// The controls, counted in instructions only: the handler alone, and the handler
/// alone while the builder policy of that many origins is held, unused.
const CONTROL_COLUMNS: [(&str, &str, &str); 4] = [
    ("scaling-tower", "bare", "tower: bare"),
    ("scaling-tower", "bare-builder", "tower: bare, builder policy held"),
    ("scaling-actix", "bare", "actix: bare"),
    ("scaling-actix", "bare-builder", "actix: bare, builder policy held"),
];

/// The control an adapter line's added cost is taken over: the handler alone in
/// the same heap (a `cors!` policy is a `static`, a builder policy is held).
fn control(group: &str, series: &str) -> Option<&'static str> {
    match (group, series) {
        ("scaling-engine", _) => None,
        (_, "cors-macro") => Some("bare"),
        (_, "cors-builder") => Some("bare-builder"),
        _ => None,
    }
}

/// An adapter line's instructions per request at `n` origins minus its control's.
fn added(counts: &Counts, group: &str, series: &str, n: usize) -> Option<f64> {
    Some(count(counts, group, series, n)? - count(counts, group, control(group, series)?, n)?)
}

/// The table of every line at every count, in ns or in instructions per request
/// (with the controls).
fn table(out: &mut String, e: &Estimates, counts: &Counts, instr: bool) {
    let columns: Vec<(&str, &str, &str)> = if instr {
        SCALING_COLUMNS.iter().chain(&CONTROL_COLUMNS).copied().collect()
    } else {
        SCALING_COLUMNS.to_vec()
    };
    let header: Vec<&str> = columns.iter().map(|c| c.2).collect();
    let _ = writeln!(out, "| allowed origins | {} |", header.join(" | "));
    let _ = writeln!(out, "|---|{}", "---:|".repeat(columns.len()));
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
        let cells: Vec<String> = columns
            .iter()
            .map(|(group, series, _)| {
                let series = if patterns {
                    format!("{series}-patterns")
                } else {
                    (*series).to_owned()
                };
                let x = figure(e, counts, instr, group, &series, n);
                if instr {
                    super::instr(x)
                } else {
                    ns(x)
                }
            })
            .collect();
        let _ = writeln!(out, "| {label} | {} |", cells.join(" | "));
    }
    let cells: Vec<String> = columns
        .iter()
        .map(|(group, series, _)| ratio(growth(e, counts, instr, group, series, ends())))
        .collect();
    let _ = writeln!(out, "| **10,000 / 1** | {} |", cells.join(" | "));
    if instr {
        let cells: Vec<String> = columns
            .iter()
            .map(|(group, series, _)| ratio(growth(e, counts, instr, group, series, (10, ends().1))))
            .collect();
        let _ = writeln!(out, "| 10,000 / 10 (both hashed) | {} |", cells.join(" | "));
    }
    out.push('\n');
}

/// The target rows: 10,000 origins within 1.1x of 1 through each adapter, on the
/// instructions each adds over its control; the engine's lines, for reference.
pub fn target_rows(w: &mut String, e: &Estimates, counts: &Counts) {
    let (first, last) = ends();
    for (group, series, label) in SCALING_COLUMNS.iter().filter(|c| c.1.starts_with("cors")) {
        let label = label.replace(": cors,", ",");
        let wall = ratio(growth(e, counts, false, group, series, ends()));
        if control(group, series).is_none() {
            let x = growth(e, counts, true, group, series, ends());
            let at = |n| figure(e, counts, true, group, series, n);
            let detail = match (at(first), at(last), growth(e, counts, true, group, series, (10, last))) {
                (Some(a), Some(b), ten) => format!(" ({a:.0} → {b:.0}; 10,000 / 10: {})", ratio(ten)),
                _ => String::new(),
            };
            let _ = writeln!(
                w,
                "| 10,000 origins within {SCALING_TARGET}x of 1 (the engine alone: reference) | {label} | {}{detail} | {wall} | | not a target: the target is through the adapters |",
                ratio(x),
            );
            continue;
        }
        let (a, b) = (added(counts, group, series, first), added(counts, group, series, last));
        let x = div(b, a);
        let detail = match (a, b) {
            (Some(a), Some(b)) => format!(" (added {a:.0} → {b:.0})"),
            _ => String::new(),
        };
        let _ = writeln!(
            w,
            "| 10,000 origins within {SCALING_TARGET}x of 1 (added over the bare handler in the same heap) | {label} | {}{detail} | {wall} | | {} |",
            ratio(x),
            verdict(x.map(|r| r <= SCALING_TARGET))
        );
    }
}

/// (criterion series, legend, colour) of one line of the plot.
type Line = (&'static str, &'static str, RGBColor);

pub fn plot(e: &Estimates, path: &Path) -> Result<(), Box<dyn std::error::Error>> {
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
                plotted_series(e, group, s, &spec::ORIGIN_COUNTS)
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
            let points: Vec<(f64, f64)> = plotted_series(e, group, s, &spec::ORIGIN_COUNTS)
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

/// The section: the plot, then per-request times and instructions.
pub fn section(w: &mut String, e: &Estimates, counts: &Counts, svg: &str, plotted: bool) {
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
    let _ = writeln!(w, "Time per request (criterion's median):\n");
    table(w, e, counts, false);
    let _ = writeln!(w, "{INSTR_INTRO}");
    table(w, e, counts, true);
    w.push_str(SCALING_NOTES);
}

const INSTR_INTRO: &str =
    "Instructions per request (`target/release/callgrind scaling`: the same 1,024 requests, built \
before they are counted and sent 128 to a counted call, as criterion's batches; the count over all 1,024 divided by \
1,024, so it includes a few instructions of the loop; the same on every run but for actix-web's random hash seed). \
Instructions do not see the caches: what the table's memory costs at 10,000 origins is in the times above only.\n";

const SCALING_NOTES: &str = "
Up to 8 exact origins are compared one by one (length first, then eight bytes at a time); above that
they sit in an open-addressing hash table (hashed eight bytes at a time, load at most 1/2), the same for
`cors!` and the builder: a lookup hashes the `Origin` once and, at that load, compares about one entry on
average. So 1 origin takes another code path than 10 to 10,000: the 1-origin rows are a scan of one entry,
cheaper than any hash, and a ratio against them also measures the hash itself. In instructions that is all
that separates them in the engine: the cycling columns are flat from 10 to 10,000 origins (*10,000 / 10*),
and the 10,000 / 1 ratio is the hash's cost over one comparison, which no table can remove without scanning.
The *one origin* columns measure one particular origin (the last listed), so they show its own probe
sequence too (so that column can jump at one count). Through the adapters the same few tens of
instructions are diluted in the request's cost (the target table has the verdicts).

The builder rows through tower grow from 1,000 origins in instructions, but not in corsair's code:
profiled with `callgrind_annotate` (tower, 1 against 10,000 origins), what a request added was glibc's
`_int_malloc` making the handler's response allocations, the same allocations and as many `malloc` calls but
a longer search in a heap that holds a policy built from thousands of owned strings. The control columns
show it without CORS: the bare handler alone, in a process holding the same builder policy unused, grows by
as much (*tower: bare, builder policy held*). A `cors!` policy is a `static` and leaves the heap as it was.
So the target rows take what each adapter adds over the bare handler in the same heap (the plain bare
handler for `cors!`, the one holding the policy for the builder): that difference is corsair's own work, and
it is flat. (The actix builder rows also grew by about 230 instructions until the policy's `http` 0.2
values were shared as they were converted: each origin's first echo allocated its value's shared count,
which 1,024 cycling origins met in the counted run.)

What instructions cannot show is the memory: the table is 128 KiB of slots and about half a MiB of origins
at 10,000, so with origins cycling over 1,024 of them lookups miss the first-level caches, which one
origin's never do. That is in the times only, which is why the wall-clock column of the targets can miss
where the instruction column meets. tower-http's list is scanned linearly, so its time and instructions grow
with the count; actix-cors hashes into a `HashSet` with SipHash.

";
