#![deny(unsafe_op_in_unsafe_fn)]
//! A counting global allocator, per thread: install [`Counting`] as the
//! `#[global_allocator]` of a binary, then count what a request allocates.
//! Counts, never timings, so the numbers are exact on a loaded machine.
//!
//! With the `cdp` feature: `cdp`, a Chrome DevTools protocol client that
//! reads Chromium's own CORS errors, and `har`, a HAR built from its events.

#[cfg(feature = "cdp")]
pub mod cdp;
#[cfg(feature = "cdp")]
pub mod har;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;

/// Forwards to the system allocator and counts allocations (and reallocations)
/// made on the current thread.
#[derive(Debug)]
pub struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    // `try_with`: the allocator also runs while thread locals are torn down.
    let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
}

// SAFETY: forwards every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Allocations made on this thread so far.
pub fn allocated() -> usize {
    ALLOCATIONS.with(Cell::get)
}

/// `f`'s result and the allocations made on this thread while it ran.
pub fn allocations<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = allocated();
    let out = f();
    (out, allocated() - before)
}

/// Is [`Counting`] this binary's global allocator? (Without it every count is 0.)
pub fn installed() -> bool {
    let (_, n) = allocations(|| drop(black_box(Box::new(black_box(1u64)))));
    n == 1
}
