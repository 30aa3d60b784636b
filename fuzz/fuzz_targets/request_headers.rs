#![no_main]
//! cargo-fuzz target `request_headers`; the body lives in fuzz/targets/request_headers.rs.

#[path = "../targets/mod.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::request_headers(data));
