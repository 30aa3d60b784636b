#![no_main]
//! cargo-fuzz target `builder`; the body lives in fuzz/targets/common.rs.

#[path = "../targets/common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::builder(data));
