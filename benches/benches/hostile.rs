//! Hostile `Access-Control-Request-Headers` on an otherwise allowed preflight, all
//! refused: 1,024 commas, 1 MiB of commas, 1 MiB of commas over 1,024 lines, 1,024
//! lines of one allowed name, one allowed name repeated to 390 KB and a 1 MiB name
//! (the last two against a 100-name policy). Through the engine, each beside an
//! ordinary two-name preflight of the same policy; the first three also through both
//! adapters against the peers (the bare service gives the cost of carrying them).

mod common;

use std::hint::black_box;

use actix_web::test::init_service;
use corsair_bench::{actix_stack, tower_stack, Hostile, HostilePolicy};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use tower::Layer;

fn engine_and_tower(c: &mut Criterion) {
    let mut group = c.benchmark_group("hostile");
    let hundred = corsair_bench::hundred_names();
    let policy_of = |p: HostilePolicy| match p {
        HostilePolicy::Api => &corsair_bench::API,
        HostilePolicy::HundredNames => &hundred,
    };
    for p in [HostilePolicy::Api, HostilePolicy::HundredNames] {
        let policy = policy_of(p);
        let req = tower_stack::Template::new(&p.ordinary()).request();
        assert_eq!(policy.decide(&req).status(), Some(204));
        group.bench_function(BenchmarkId::new(p.ordinary_id(), "engine"), |b| {
            b.iter(|| black_box(policy).decide(black_box(&req)))
        });
    }
    for hostile in Hostile::ALL {
        let template = tower_stack::Template::new(&hostile.spec());
        let id = |stack: &str| BenchmarkId::new(hostile.id(), stack);

        let req = template.request();
        let policy = policy_of(hostile.policy());
        assert_eq!(policy.decide(&req).status(), Some(403), "{}", hostile.id());
        group.bench_function(id("engine"), |b| b.iter(|| black_box(policy).decide(black_box(&req))));
        if !Hostile::REFUSED.contains(&hostile) {
            continue;
        }
        let policy = &corsair_bench::API;

        let mut bare = tower_stack::bare();
        group.bench_function(id("tower-bare"), |b| {
            common::tower_batched(b, &mut bare, &template, common::LARGE_BATCH)
        });
        let mut ours = corsair::tower::CorsLayer::new(policy).layer(tower_stack::bare());
        assert_eq!(tower_stack::call(&mut ours, template.request()).status(), 403);
        group.bench_function(id("tower-cors-macro"), |b| {
            common::tower_batched(b, &mut ours, &template, common::LARGE_BATCH)
        });
        let mut peer = tower_stack::tower_http_api().layer(tower_stack::bare());
        group.bench_function(id("tower-http"), |b| {
            common::tower_batched(b, &mut peer, &template, common::LARGE_BATCH)
        });
    }
    group.finish();
}

async fn actix(c: &mut Criterion) {
    let mut group = c.benchmark_group("hostile");
    for hostile in Hostile::REFUSED {
        let template = actix_stack::Template::new(&hostile.spec());
        let id = |stack: &str| BenchmarkId::new(hostile.id(), stack);

        let bare = init_service(actix_stack::app()).await;
        group.bench_function(id("actix-bare"), |b| {
            common::actix_batched(b, &bare, &template, common::LARGE_BATCH)
        });
        let ours = init_service(actix_stack::app().wrap(corsair::actix::Cors::new(&corsair_bench::API))).await;
        assert_eq!(actix_stack::call(&ours, template.request()).status(), 403);
        group.bench_function(id("actix-cors-macro"), |b| {
            common::actix_batched(b, &ours, &template, common::LARGE_BATCH)
        });
        let peer = init_service(actix_stack::app().wrap(actix_stack::actix_cors_api())).await;
        group.bench_function(id("actix-cors"), |b| {
            common::actix_batched(b, &peer, &template, common::LARGE_BATCH)
        });
    }
    group.finish();
}

fn in_system(c: &mut Criterion) {
    actix_web::rt::System::new().block_on(actix(c));
}

criterion_group!(benches, engine_and_tower, in_system);
criterion_main!(benches);
