//! incr-lab
