//! The core engine alone, on an `http` 1 request, for the five kinds of request:
//! `Policy::decide` with the `cors!` and the builder policy (group `engine`), and
//! writing the decision onto a response's header map, as the tower adapter does,
//! against appending the same lines with no check (group `engine-write`): the two
//! halves of the adapters' added cost.

mod common;

use std::hint::black_box;

use corsair::Kind;
use corsair_bench::tower_stack::{self, Template};
use corsair_bench::Case;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use http::header::{HeaderMap, ORIGIN};

fn decide(c: &mut Criterion) {
    let builder = corsair_bench::api_builder();
    let mut group = c.benchmark_group("engine");
    for (case, set, case_id) in common::cases() {
        let req = Template::new(&case.spec_in(set)).request();
        for (id, policy) in [("cors-macro", &corsair_bench::API), ("cors-builder", &builder)] {
            let d = policy.decide(&req);
            let expected = match case {
                Case::NotCors => Kind::NotCors,
                _ if case.is_preflight() => Kind::Preflight,
                _ => Kind::Actual,
            };
            assert_eq!(d.kind(), expected, "{}", case.id());
            assert_eq!(
                d.denial().is_none(),
                case.is_allowed() || case == Case::NotCors,
                "{}",
                case.id()
            );
            group.bench_with_input(BenchmarkId::new(&case_id, id), &req, |b, req| {
                b.iter(|| black_box(policy).decide(black_box(req)));
            });
        }
    }
    group.finish();
}

fn write(c: &mut Criterion) {
    let policy = &corsair_bench::API;
    let mut group = c.benchmark_group("engine-write");
    for case in Case::ALL {
        let req = Template::new(&case.spec()).request();
        let decision = policy.decide(&req);
        // The map the headers go onto: a fresh response's for a preflight, the handler's otherwise.
        let start = if case.is_preflight() {
            HeaderMap::new()
        } else {
            let mut handler = tower_stack::bare();
            tower_stack::call(&mut handler, Template::new(&case.spec()).request())
                .headers()
                .clone()
        };
        let origin = req.headers().get(ORIGIN).cloned();
        let apply = |map: &mut HeaderMap| {
            if case.is_preflight() {
                decision.apply(policy, req.headers(), map);
            } else {
                decision.apply_with_origin(policy, origin.as_ref(), map);
            }
        };
        let mut written = start.clone();
        apply(&mut written);
        let lines = tower_stack::cors_lines(&written);

        group.bench_function(BenchmarkId::new(case.id(), "cors-macro"), |b| {
            b.iter_batched(
                || start.clone(),
                |mut map| {
                    apply(&mut map);
                    map
                },
                common::BATCH,
            );
        });
        group.bench_function(BenchmarkId::new(case.id(), "floor"), |b| {
            b.iter_batched(
                || start.clone(),
                |mut map| {
                    for (name, value) in &lines {
                        map.append(name.clone(), value.clone());
                    }
                    map
                },
                common::BATCH,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, decide, write);
criterion_main!(benches);
