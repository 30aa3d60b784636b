//! HAR
