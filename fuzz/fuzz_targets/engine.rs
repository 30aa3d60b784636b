#![no_main]
//! cargo-fuzz target `engine`; the body lives in fuzz/targets/engine.rs.

#[path = "../targets/mod.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::engine(data));
