//! Hostile `Access-Control-Request-Headers` on an otherwise allowed preflight:
//! 1,024 commas, 1 MiB of commas, 1 MiB of commas over 1,024 lines (all refused,
//! in time that must not depend on the size), and 1,024 lines of an allowed name
//! (accepted, read to the end: engine only). Through the engine and both adapters
//! against the peers; the bare service gives the cost of carrying such a request.

mod common;

use std::hint::black_box;

use actix_web::test::init_service;
use corsair_bench::{actix_stack, tower_stack, Hostile};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use tower::Layer;

fn engine_and_tower(c: &mut Criterion) {
    let mut group = c.benchmark_group("hostile");
    for hostile in Hostile::ALL {
        let template = tower_stack::Template::new(&hostile.spec());
        let id = |stack: &str| BenchmarkId::new(hostile.id(), stack);

        let req = template.request();
        let policy = &corsair_bench::API;
        assert_eq!(
            policy.decide(&req).status(),
            Some(if hostile.is_refused() { 403 } else { 204 })
        );
        group.bench_function(id("engine"), |b| b.iter(|| black_box(policy).decide(black_box(&req))));
        if !hostile.is_refused() {
            continue;
        }

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
