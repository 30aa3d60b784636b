//! Through tower: the bare handler, the floor, our `CorsLayer` (`cors!` and builder
//! policies) and tower-http's `CorsLayer`, on the five kinds of request; then the
//! same requests built in process (values owning their bytes, as `lambda_http`
//! converts API Gateway events), through the floor and our layer.

mod common;

use corsair_bench::tower_stack::{self, call, FloorLayer, Made, Template};
use corsair_bench::Case;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use tower::Layer;

fn allows(res: &http::Response<tower_stack::Body>) -> bool {
    res.headers().contains_key("access-control-allow-origin")
}

fn tower(c: &mut Criterion) {
    let mut group = c.benchmark_group("tower");
    for case in Case::ALL {
        let template = Template::new(&case.spec());
        let id = |stack: &str| BenchmarkId::new(case.id(), stack);

        let mut bare = tower_stack::bare();
        group.bench_function(id("bare"), |b| common::tower(b, &mut bare, &template));

        let mut ours = corsair::tower::CorsLayer::new(&corsair_bench::API).layer(tower_stack::bare());
        let like = call(&mut ours, template.request());
        common::expect_allows("cors", allows(&like), case.is_allowed());
        if case.is_preflight() {
            assert_eq!(like.status(), if case.is_allowed() { 204 } else { 403 });
        }
        let mut floor = FloorLayer::copying(&like, case.is_preflight()).layer(tower_stack::bare());
        group.bench_function(id("floor"), |b| common::tower(b, &mut floor, &template));
        group.bench_function(id("cors-macro"), |b| common::tower(b, &mut ours, &template));

        let mut builder = corsair::tower::CorsLayer::new(corsair_bench::api_builder()).layer(tower_stack::bare());
        group.bench_function(id("cors-builder"), |b| common::tower(b, &mut builder, &template));

        let mut peer = tower_stack::tower_http_api().layer(tower_stack::bare());
        common::expect_allows(
            "tower-http",
            allows(&call(&mut peer, template.request())),
            case.is_allowed(),
        );
        group.bench_function(id("tower-http"), |b| common::tower(b, &mut peer, &template));
    }
    group.finish();
}

fn tower_in_process(c: &mut Criterion) {
    let mut group = c.benchmark_group("tower-in-process");
    for case in Case::ALL {
        let template = Template::made(&case.spec(), Made::InProcess);
        let id = |stack: &str| BenchmarkId::new(case.id(), stack);
        let mut ours = corsair::tower::CorsLayer::new(&corsair_bench::API).layer(tower_stack::bare());
        let like = call(&mut ours, template.request());
        common::expect_allows("cors", allows(&like), case.is_allowed());
        let mut floor = FloorLayer::copying(&like, case.is_preflight()).layer(tower_stack::bare());
        group.bench_function(id("floor"), |b| common::tower(b, &mut floor, &template));
        group.bench_function(id("cors-macro"), |b| common::tower(b, &mut ours, &template));
        let mut builder = corsair::tower::CorsLayer::new(corsair_bench::api_builder()).layer(tower_stack::bare());
        group.bench_function(id("cors-builder"), |b| common::tower(b, &mut builder, &template));
    }
    group.finish();
}

criterion_group!(benches, tower, tower_in_process);
criterion_main!(benches);
