//! The Redis-style engine.

pub mod number;
