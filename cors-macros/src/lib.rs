//! The `cors!` procedural macro. Use it through the `cors` crate.
