#![no_main]
//! cargo-fuzz target `builder`; the body lives in fuzz/targets/builder.rs.

#[path = "../targets/mod.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::builder(data));
