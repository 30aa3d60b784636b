//! The invariants every target checks on what corsair-core returns: build
//! results (`build`), decisions (`decision`), the headers written (`response`),
//! and the `http` 1 API against the raw one (`http1`).

pub mod build;
pub mod decision;
mod http1;
pub mod recorder;
mod response;

pub use build::check_result;
pub use decision::check_decision;
