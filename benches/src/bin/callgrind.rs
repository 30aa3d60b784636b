//! Instruction counts under callgrind: one request through one stack, counted
//! to the instruction, so a comparison holds on a shared, noisy machine.
//!
//! ```sh
//! cargo build -p corsair-bench --release --bin callgrind
//! target/release/callgrind [--out FILE] [FILTER...]
//! ```
//!
//! The driver runs itself once per measurement under
//! `valgrind --tool=callgrind --collect-atstart=no --toggle-collect=*corsair_callgrind_measured*`
//! and reads the `totals:` line of the profile. In the child, the stack and the
//! request are built and the stack is called three times first (warming actix-web's
//! pools and every lazy initialisation), then one request, built beforehand, goes
//! through [`corsair_callgrind_measured`], the only function counted; its response
//! is dropped after it, as criterion's batched iterations do. So a count is the
//! instructions of one call (`poll_ready`, `call`, one poll) and nothing else, the
//! same on every run of the same binary.
//!
//! A measurement is `TARGET/CASE/STACK/SET`: target `engine` (`Policy::decide` on
//! an `http` 1 request; stacks `cors-macro`, `cors-builder`), `engine-actix` (the
//! same on actix-web's `ServiceRequest`, the actix adapter's `decide`), `tower` or `actix`
//! (stacks `bare`, `floor`, `cors-macro`, `cors-builder`, and the peer
//! `tower-http` or `actix-cors`), a case of [`Case`], and the header set
//! `minimal` or `browser` ([`HeaderSet`]). A FILTER keeps the measurements whose
//! name contains it. The counts go to `--out` (default
//! `target/callgrind/counts.tsv`, which the report reads), one
//! `TARGET\tCASE\tSTACK\tSET\tINSTRUCTIONS` line each.
//!
//! `target/release/callgrind --one TARGET CASE STACK SET` is the child (run it
//! under valgrind by hand to look at a profile with `callgrind_annotate`).
//!
//! Target `hostile` ([`hostile`]) counts `Policy::decide` on the hostile
//! `Access-Control-Request-Headers` preflights of
//! [`Hostile`](corsair_bench::Hostile) and the ordinary two-name preflight of each
//! policy ([`HostilePolicy::ordinary`](corsair_bench::HostilePolicy::ordinary)):
//! stack `decide`, set `value` (`hostile/commas-1024-lines/decide/value`); the
//! values the criterion hostile bench sends through the adapters
//! ([`Hostile::REFUSED`](corsair_bench::Hostile::REFUSED)) also through stacks
//! `tower-bare`, `tower-cors-macro`, `tower-http`, `actix-bare`, `actix-cors-macro`
//! and `actix-cors` (the criterion ids), one request each.
//!
//! Target `scaling` ([`scaling`]) counts the scaling benchmark's allowed `GET`s
//! through a policy of 1 to 10,000 origins: `scaling/GROUP/SERIES/N` with group
//! `engine`, `tower` or `actix` and the criterion series and count
//! (`scaling/tower/cors-macro/10000`). Those counted calls run the 1,024 cycling
//! requests (built before, 128 a time as criterion's batches, responses kept and
//! dropped after each batch), and the count written is the total divided by 1,024:
//! instructions per request, the loop's own few included. Series `bare` and
//! `bare-builder` of groups `tower` and `actix` are the controls: the handler
//! alone, and the handler alone while the builder policy of `N` origins is held.

use std::convert::Infallible;
use std::hint::black_box;
use std::path::PathBuf;
use std::process::{self, Command};
use std::{env, fs};

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::test::init_service;
use corsair::actix::Cors;
use corsair_bench::actix_stack::{self, app, Floor};
use corsair_bench::tower_stack::{self, Template};
use corsair_bench::{Case, HeaderSet};

#[path = "callgrind/hostile.rs"]
mod hostile;
#[path = "callgrind/scaling.rs"]
mod scaling;

/// The one function counted: everything `f` runs, and nothing else.
#[inline(never)]
fn corsair_callgrind_measured(f: &mut dyn FnMut()) {
    f();
}

/// Requests per counted call when a measurement sends many (criterion's `BATCH`).
const BATCH: usize = 128;

/// The one measuring function: three warm-up calls, then `n` requests, each built
/// by `make(i)` before it is counted and each response kept until the counted call
/// has returned. One request is counted alone (the counts of the main comparison);
/// many go [`BATCH`] to a counted call, as criterion's batched iterations send them.
fn measure<Q, R>(n: usize, mut make: impl FnMut(usize) -> Q, mut call: impl FnMut(Q) -> R) {
    for i in 0..3 {
        drop(black_box(call(make(i % n))));
    }
    if n == 1 {
        let mut req = Some(make(0));
        let mut res = None;
        corsair_callgrind_measured(&mut || {
            if let Some(req) = req.take() {
                res = Some(call(req));
            }
        });
        drop(black_box(res));
        return;
    }
    for start in (0..n).step_by(BATCH) {
        let mut batch: Vec<Q> = (start..n.min(start + BATCH)).map(&mut make).collect();
        let mut out: Vec<R> = Vec::with_capacity(batch.len());
        corsair_callgrind_measured(&mut || out.extend(batch.drain(..).map(&mut call)));
        drop(black_box(out));
    }
}

/// How many requests one measurement of `target` sends (its count is divided by it).
fn requests(target: &str) -> usize {
    match target {
        "scaling" => scaling::REQUESTS,
        _ => 1,
    }
}

const TARGETS: [(&str, &[&str]); 4] = [
    ("engine", &["cors-macro", "cors-builder"]),
    ("engine-actix", &["cors-macro", "cors-builder"]),
    ("tower", &["bare", "floor", "cors-macro", "cors-builder", "tower-http"]),
    ("actix", &["bare", "floor", "cors-macro", "cors-builder", "actix-cors"]),
];

fn case_of(id: &str) -> Case {
    Case::ALL
        .into_iter()
        .find(|c| c.id() == id)
        .unwrap_or_else(|| usage(&format!("no case {id}")))
}

fn set_of(id: &str) -> HeaderSet {
    HeaderSet::ALL
        .into_iter()
        .find(|s| s.id() == id)
        .unwrap_or_else(|| usage(&format!("no header set {id}")))
}

fn usage(why: &str) -> ! {
    eprintln!("{why}\nusage: callgrind [--out FILE] [FILTER...] | callgrind --one TARGET CASE STACK SET");
    process::exit(2);
}

/// `decide` on each of `reqs` in turn. One request is counted as `decide` alone,
/// with nothing of [`measure`]'s bookkeeping around it (no request moved in, no
/// response kept): as `benches/callgrind-before.tsv` was counted, so the two compare.
fn measure_decide<R: corsair::Request>(policy: &corsair::Policy, reqs: &[R]) {
    if let [req] = reqs {
        for _ in 0..3 {
            let _ = black_box(policy.decide(black_box(req)));
        }
        corsair_callgrind_measured(&mut || {
            let _ = black_box(black_box(policy).decide(black_box(req)));
        });
        return;
    }
    measure(
        reqs.len(),
        |i| &reqs[i],
        |r| {
            let _ = black_box(black_box(policy).decide(black_box(r)));
        },
    );
}

/// `n` requests `make(i)` through a tower service.
fn measure_tower<S>(mut svc: S, n: usize, make: impl FnMut(usize) -> http::Request<()>)
where
    S: tower::Service<http::Request<()>, Response = http::Response<tower_stack::Body>, Error = Infallible>,
{
    measure(n, make, |req| tower_stack::call(&mut svc, req));
}

/// `n` requests `make(i)` through an actix-web service.
fn measure_actix<S, B>(svc: S, n: usize, make: impl FnMut(usize) -> actix_http::Request)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    measure(n, make, |req| actix_stack::call(&svc, req));
}

fn engine(case: Case, stack: &str, set: HeaderSet) {
    let builder = corsair_bench::api_builder();
    let policy = match stack {
        "cors-macro" => &corsair_bench::API,
        "cors-builder" => &builder,
        _ => usage(&format!("no engine stack {stack}")),
    };
    let req = Template::new(&case.spec_in(set)).request();
    measure_decide(policy, &[req]);
}

/// `decide` on actix-web's `ServiceRequest`, whose `Request` impl looks the four
/// headers up in actix-web's own map: what the actix adapter's `decide` costs.
fn engine_actix(case: Case, stack: &str, set: HeaderSet) {
    let builder = corsair_bench::api_builder();
    let policy = match stack {
        "cors-macro" => &corsair_bench::API,
        "cors-builder" => &builder,
        _ => usage(&format!("no engine-actix stack {stack}")),
    };
    let req = actix_stack::Template::new(&case.spec_in(set)).service_request();
    measure_decide(policy, &[req]);
}

fn tower(case: Case, stack: &str, set: HeaderSet) {
    let stack = tower_stack::Stack::ALL
        .into_iter()
        .find(|s| s.id() == stack)
        .unwrap_or_else(|| usage(&format!("no tower stack {stack}")));
    let spec = case.spec_in(set);
    let template = Template::new(&spec);
    let svc = tower_stack::build(stack, &spec, case.is_preflight());
    measure(1, |_| template.request(), svc);
}

async fn actix(case: Case, stack: &str, set: HeaderSet) {
    let spec = case.spec_in(set);
    let template = actix_stack::Template::new(&spec);
    let make = |_| template.request();
    match stack {
        "bare" => measure_actix(init_service(app()).await, 1, make),
        "floor" => {
            let ours = init_service(app().wrap(Cors::new(&corsair_bench::API))).await;
            let like = actix_stack::call(&ours, template.request());
            let floor = init_service(app().wrap(Floor::copying(&like, case.is_preflight()))).await;
            measure_actix(floor, 1, make);
        }
        "cors-macro" => measure_actix(init_service(app().wrap(Cors::new(&corsair_bench::API))).await, 1, make),
        "cors-builder" => measure_actix(
            init_service(app().wrap(Cors::new(corsair_bench::api_builder()))).await,
            1,
            make,
        ),
        "actix-cors" => measure_actix(init_service(app().wrap(actix_stack::actix_cors_api())).await, 1, make),
        _ => usage(&format!("no actix stack {stack}")),
    }
}

fn one(target: &str, case: &str, stack: &str, set: &str) {
    match target {
        "hostile" => return hostile::one(case, stack),
        "scaling" => return scaling::one(case, stack, set),
        _ => {}
    }
    let (case, set) = (case_of(case), set_of(set));
    match target {
        "engine" => engine(case, stack, set),
        "engine-actix" => actix_web::rt::System::new().block_on(async { engine_actix(case, stack, set) }),
        "tower" => tower(case, stack, set),
        "actix" => actix_web::rt::System::new().block_on(actix(case, stack, set)),
        _ => usage(&format!("no target {target}")),
    }
}

/// Runs one measurement under callgrind and returns its instruction count.
fn count(exe: &PathBuf, dir: &std::path::Path, name: &[String; 4]) -> Result<u64, String> {
    let out = dir.join(format!("{}.out", name.join("-")));
    let status = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg("--collect-atstart=no")
        .arg("--toggle-collect=*corsair_callgrind_measured*")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg("--quiet")
        .arg(exe)
        .arg("--one")
        .args(name)
        .status()
        .map_err(|e| format!("cannot run valgrind (is it installed?): {e}"))?;
    if !status.success() {
        return Err(format!("{} failed under valgrind: {status}", name.join("/")));
    }
    let text = fs::read_to_string(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let _ = fs::remove_file(&out);
    text.lines()
        .find_map(|l| l.strip_prefix("totals:").or_else(|| l.strip_prefix("summary:")))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| format!("{}: no totals line in the profile", name.join("/")))
}

/// Every measurement, in the order run.
fn names() -> Vec<[String; 4]> {
    let mut names = Vec::new();
    let mut push = |n: [&str; 4]| names.push(n.map(str::to_owned));
    for (target, stacks) in TARGETS {
        for set in HeaderSet::ALL {
            for case in Case::ALL {
                for stack in stacks {
                    push([target, case.id(), stack, set.id()]);
                }
            }
        }
    }
    names.extend(hostile::names());
    names.extend(scaling::names());
    names
}

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--one") {
        match &args[1..] {
            [t, c, s, h] => one(t, c, s, h),
            _ => usage("--one takes TARGET CASE STACK SET"),
        }
        return;
    }
    let exe = env::current_exe().unwrap_or_else(|e| usage(&format!("no path to this program: {e}")));
    let target_dir = env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let mut out = target_dir.join("callgrind/counts.tsv");
    let mut filters = Vec::new();
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--out" => {
                out = it
                    .next()
                    .map(PathBuf::from)
                    .unwrap_or_else(|| usage("--out takes a file"))
            }
            _ if a.starts_with('-') => usage(&format!("unknown option {a}")),
            _ => filters.push(a),
        }
    }
    let dir = out.parent().map(PathBuf::from).unwrap_or_default();
    fs::create_dir_all(&dir).unwrap_or_else(|e| usage(&format!("{}: {e}", dir.display())));
    // Keep earlier counts of measurements not re-run (a filtered run updates some).
    let mut rows: Vec<(String, String)> = fs::read_to_string(&out)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let (k, v) = l.rsplit_once('\t')?;
            Some((k.to_owned(), v.to_owned()))
        })
        .collect();
    let mut failed = false;
    for name in names() {
        let label = name.join("/");
        if !filters.is_empty() && !filters.iter().any(|f| label.contains(f.as_str())) {
            continue;
        }
        match count(&exe, &dir, &name) {
            Ok(n) => {
                // Instructions per request: whole for one request, to a tenth for many.
                let value = match requests(&name[0]) {
                    1 => n.to_string(),
                    k => format!("{:.1}", n as f64 / k as f64),
                };
                println!("{label:<48} {value:>10}");
                let key = name.join("\t");
                rows.retain(|(k, _)| *k != key);
                rows.push((key, value));
            }
            Err(e) => {
                eprintln!("{e}");
                failed = true;
            }
        }
    }
    rows.sort();
    let text: String = rows.iter().map(|(k, v)| format!("{k}\t{v}\n")).collect();
    fs::write(&out, text).unwrap_or_else(|e| usage(&format!("{}: {e}", out.display())));
    if failed {
        process::exit(1);
    }
}
