//! Per-tenant origins at scale: what replacing a `LivePolicy` costs. Building and
//! validating a 10,000-origin policy, then swapping it in (the old one dropped),
//! is what a service does on every tenant change; the swap alone, and one request
//! through our tower layer holding a live policy against the same policy held
//! directly, show what is left once the policy is built.
//!
//! ```text
//! cargo bench -p corsair-bench --bench live
//! ```

mod common;

use std::hint::black_box;
use std::sync::Arc;

use corsair::LivePolicy;
use corsair_bench::{scaling_builder, spec, tower_stack, RequestSpec};
use criterion::{criterion_group, criterion_main, Criterion};
use tower::Layer;

/// The tenant count of the issue: every exact origin is a tenant's.
const TENANTS: usize = 10_000;

/// The `TENANTS` origins, tenant `shift` first (so two versions differ).
fn origins(shift: usize) -> Vec<String> {
    (0..TENANTS)
        .map(|i| spec::tenant((i + shift) % (TENANTS + 1)))
        .collect()
}

fn replace(c: &mut Criterion) {
    let mut group = c.benchmark_group("live");
    group.sample_size(20);
    let versions = [origins(0), origins(1)];
    let live = LivePolicy::new(scaling_builder(&versions[0]));

    group.bench_function("build-10000", |b| {
        b.iter(|| scaling_builder(black_box(&versions[1])));
    });

    let mut turn = 0;
    group.bench_function("build-and-replace-10000", |b| {
        b.iter(|| {
            turn ^= 1;
            // The old policy is dropped here too: it is part of a replacement's cost.
            drop(live.replace(scaling_builder(black_box(&versions[turn]))));
        });
    });

    let built = [
        Arc::new(scaling_builder(&versions[0])),
        Arc::new(scaling_builder(&versions[1])),
    ];
    group.bench_function("replace-only-10000", |b| {
        // An Arc clone and the swap; the old policy lives on in `built`, so nothing is freed.
        b.iter(|| {
            turn ^= 1;
            live.replace(Arc::clone(&built[turn]))
        });
    });

    // One allowed request, the policy held directly and through a LivePolicy.
    let template = tower_stack::Template::new(&RequestSpec::actual(spec::APP_ORIGIN));
    let policy = corsair_bench::api_builder();
    let mut owned = corsair::tower::CorsLayer::new(policy.clone()).layer(tower_stack::bare());
    let mut held_live = corsair::tower::CorsLayer::new(LivePolicy::new(policy)).layer(tower_stack::bare());
    for svc in [&mut owned, &mut held_live] {
        let res = tower_stack::call(svc, template.request());
        common::expect_allows("cors", res.headers().contains_key("access-control-allow-origin"), true);
    }
    group.bench_function("request-owned", |b| common::tower(b, &mut owned, &template));
    group.bench_function("request-live", |b| common::tower(b, &mut held_live, &template));
    group.finish();
}

criterion_group!(benches, replace);
criterion_main!(benches);
