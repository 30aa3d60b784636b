//! Through actix-web: the bare app, the floor, our `Cors` (`cors!` and builder
//! policies) and actix-cors, on the five kinds of request.

mod common;

use actix_web::test::init_service;
use corsair_bench::actix_stack::{self, app, call, Floor, Template};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

fn allows<B>(res: &actix_web::dev::ServiceResponse<B>) -> bool {
    res.headers().contains_key("access-control-allow-origin")
}

async fn actix(c: &mut Criterion) {
    let mut group = c.benchmark_group("actix");
    for (case, set, case_id) in common::cases() {
        let template = Template::new(&case.spec_in(set));
        let id = |stack: &str| BenchmarkId::new(&case_id, stack);

        let bare = init_service(app()).await;
        group.bench_function(id("bare"), |b| common::actix(b, &bare, &template));

        let ours = init_service(app().wrap(corsair::actix::Cors::new(&corsair_bench::API))).await;
        let like = call(&ours, template.request());
        common::expect_allows("cors", allows(&like), case.is_allowed());
        if case.is_preflight() {
            assert_eq!(like.status(), if case.is_allowed() { 204 } else { 403 });
        }
        let floor = init_service(app().wrap(Floor::copying(&like, case.is_preflight()))).await;
        group.bench_function(id("floor"), |b| common::actix(b, &floor, &template));
        group.bench_function(id("cors-macro"), |b| common::actix(b, &ours, &template));

        let builder = init_service(app().wrap(corsair::actix::Cors::new(corsair_bench::api_builder()))).await;
        group.bench_function(id("cors-builder"), |b| common::actix(b, &builder, &template));

        let peer = init_service(app().wrap(actix_stack::actix_cors_api())).await;
        common::expect_allows(
            "actix-cors",
            allows(&call(&peer, template.request())),
            case.is_allowed(),
        );
        group.bench_function(id("actix-cors"), |b| common::actix(b, &peer, &template));
    }
    group.finish();
}

fn in_system(c: &mut Criterion) {
    actix_web::rt::System::new().block_on(actix(c));
}

criterion_group!(benches, in_system);
criterion_main!(benches);
