//! Allocations per request, counted exactly (never timed) with a counting global
//! allocator: our adapters allocate what the floor does, which writes the same
//! header lines with no check (0 added), and the engine allocates nothing, hostile
//! `Access-Control-Request-Headers` included. The peers' counts are printed
//! (`cargo test -p corsair-bench --test allocations -- --nocapture`).

use corsair_bench::allocation_counts::{self, Row};
use corsair_bench::counting::{self, Counting};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn check(adapter: &str, peer: &str, rows: &[Row]) {
    println!("{adapter}: allocations per request");
    for row in rows {
        println!("  {:<20} {:?}", row.case, row.counts);
    }
    for row in rows {
        assert!(
            row.same_lines_as_floor,
            "{adapter} {}: the floor wrote other lines",
            row.case
        );
        let floor = row.get("floor");
        for ours in ["cors-macro", "cors-builder"] {
            assert_eq!(row.get(ours), floor, "{adapter} {}: {ours} vs the floor", row.case);
        }
        let _ = row.get(peer);
    }
}

#[test]
fn the_engine_allocates_nothing() {
    assert!(counting::installed(), "the counting allocator is not installed");
    for (case, n) in allocation_counts::engine() {
        assert_eq!(n, 0, "decide on {case}");
    }
    for (case, n) in allocation_counts::engine_in_process() {
        assert_eq!(n, 0, "decide on {case}, built in process");
    }
}

#[test]
fn the_tower_adapter_allocates_what_the_floor_does() {
    assert!(counting::installed(), "the counting allocator is not installed");
    check("tower", "tower-http", &allocation_counts::tower());
}

/// Requests built in process (`HeaderValue::from_str`, as `lambda_http` converts an
/// API Gateway event) own their header bytes, so echoing a cloned `Origin` would
/// cost an allocation the floor does not make: exact origins are echoed from the
/// policy's own prebuilt values instead.
#[test]
fn the_tower_adapter_allocates_what_the_floor_does_for_in_process_requests() {
    assert!(counting::installed(), "the counting allocator is not installed");
    check(
        "tower (in-process)",
        "tower-http",
        &allocation_counts::tower_in_process(),
    );
}

#[test]
fn the_actix_adapter_allocates_what_the_floor_does() {
    assert!(counting::installed(), "the counting allocator is not installed");
    let rows = actix_web::rt::System::new().block_on(allocation_counts::actix());
    check("actix", "actix-cors", &rows);
}

/// The main comparison's policy with its one origin decided by a predicate.
fn api_by_predicate() -> corsair::Policy {
    corsair::Policy::builder()
        .allow_origin_fn(|o: &corsair::Origin| o.as_str() == corsair_bench::spec::APP_ORIGIN)
        .allow_methods(corsair_bench::spec::METHODS)
        .allow_headers(corsair_bench::spec::HEADERS)
        .expose_headers(corsair_bench::spec::EXPOSE)
        .allow_credentials(true)
        .max_age(corsair_bench::spec::MAX_AGE)
        .build()
        .expect("valid policy")
}

/// RULES.md section 8: a `LivePolicy` and a predicate policy allocate per request
/// exactly what the same policy held directly does, and answer the same.
#[test]
fn live_and_predicate_policies_allocate_what_a_static_policy_does() {
    use corsair_bench::{actix_stack, tower_stack};
    use tower::Layer;

    assert!(counting::installed(), "the counting allocator is not installed");
    for (case, spec, _) in allocation_counts::requests() {
        let template = tower_stack::Template::new(&spec);
        let count = |policy: corsair::PolicyRef| {
            let mut svc = corsair::tower::CorsLayer::new(policy).layer(tower_stack::bare());
            drop(tower_stack::call(&mut svc, template.request()));
            let req = template.request();
            let (res, n) = counting::allocations(|| tower_stack::call(&mut svc, req));
            (n, res.status(), tower_stack::cors_lines(res.headers()))
        };
        let base = count((&corsair_bench::API).into());
        let live = count(corsair::LivePolicy::new(corsair_bench::api_builder()).into());
        let predicate = count(api_by_predicate().into());
        assert_eq!(live, base, "tower {case}: live vs static");
        assert_eq!(predicate, base, "tower {case}: predicate vs static");
    }
    actix_web::rt::System::new().block_on(async {
        for (case, spec, _) in allocation_counts::requests() {
            let template = actix_stack::Template::new(&spec);
            let mut counts = Vec::new();
            for policy in [
                corsair::PolicyRef::from(&corsair_bench::API),
                corsair::LivePolicy::new(corsair_bench::api_builder()).into(),
                api_by_predicate().into(),
            ] {
                let svc =
                    actix_web::test::init_service(actix_stack::app().wrap(corsair::actix::Cors::new(policy))).await;
                // Warm up (actix-web pools request and response heads).
                drop(actix_stack::call(&svc, template.request()));
                let req = template.request();
                let (res, n) = counting::allocations(|| actix_stack::call(&svc, req));
                let mut lines: Vec<_> = actix_stack::cors_lines(res.headers())
                    .into_iter()
                    .map(|(n, v)| (n.as_str().to_owned(), v.as_bytes().to_vec()))
                    .collect();
                lines.sort();
                counts.push((n, res.status().as_u16(), lines));
            }
            assert_eq!(counts[1], counts[0], "actix {case}: live vs static");
            assert_eq!(counts[2], counts[0], "actix {case}: predicate vs static");
        }
    });
}
