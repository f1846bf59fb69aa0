//! incr-lab

pub mod engine;
