//! The bodies of the fuzz targets, written once and used twice:
//!
//! - by the cargo-fuzz binaries in `fuzz/fuzz_targets/*.rs` (`#[path]`-included), and
//! - by `cors-core/tests/fuzz_replay.rs`, which runs every committed corpus file and
//!   every saved artifact through them in plain `cargo test`.
//!
//! Both include this file as `mod targets` at their crate root (the modules
//! below name each other `crate::targets::...`).
//!
//! Each body takes the raw fuzzer input, decodes it with `arbitrary` ([`input`]),
//! and panics when corsair-core panics or when one of the invariants of RULES.md
//! sections 1 to 6 does not hold. The invariants live in [`checks`]; what they
//! compare against is [`model`], written from RULES.md and the RFCs it cites,
//! never from corsair-core's code (a copy would share the bugs it should catch).
#![allow(dead_code)]

mod checks;
mod input;
mod model;
mod spec;

mod builder;
mod engine;
mod origin;
mod request_headers;

pub use builder::builder;
pub use engine::engine;
pub use origin::origin;
pub use request_headers::request_headers;

/// A target body: the raw fuzzer input in, a panic on a violated invariant.
pub type Body = fn(&[u8]);

/// Every target: its name (the directory under `fuzz/corpus/` and `fuzz/artifacts/`) and body.
pub const TARGETS: &[(&str, Body)] = &[
    ("origin", origin),
    ("request_headers", request_headers),
    ("engine", engine),
    ("builder", builder),
];

/// A byte string from an input, escaped for a panic message.
fn show(b: &[u8]) -> String {
    b.escape_ascii().to_string()
}
