//! Reference models of RULES.md, written from the rules and the RFCs they cite,
//! independently of corsair-core: each says what the library must do, in a plain
//! split-and-compare form unlike the library's byte scanners, so a bug in one is
//! not a bug in the other.

pub mod origins;
pub mod policy;
pub mod request_headers;
pub mod tokens;
