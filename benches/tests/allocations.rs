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
