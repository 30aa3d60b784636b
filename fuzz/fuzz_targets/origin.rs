#![no_main]
//! cargo-fuzz target `origin`; the body lives in fuzz/targets/origin.rs.

#[path = "../targets/mod.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::origin(data));
