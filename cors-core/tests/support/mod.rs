//! The shared counting allocator (corsair-test-support), installed for the tests
//! that assert exact allocation counts.
#![allow(dead_code)]

use corsair_test_support::Counting;

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made on this thread while `f` runs.
pub fn allocations(f: impl FnOnce()) -> usize {
    assert!(
        corsair_test_support::installed(),
        "the counting allocator is not installed"
    );
    corsair_test_support::allocations(f).1
}
