//! What the benchmarks share: criterion's batches, kept to print a median and a best.

use std::time::Instant;

use criterion::Criterion;

/// Per-call timings of one benchmark, from every batch criterion timed.
pub struct Timing {
    /// Nanoseconds per call of each batch.
    pub batches: Vec<f64>,
}

impl Timing {
    /// The median batch: what a typical run costs.
    pub fn median(&self) -> f64 {
        let mut v = self.batches.clone();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
    }

    /// The fastest batch: the one least disturbed by other processes on a busy machine.
    pub fn best(&self) -> f64 {
        self.batches.iter().copied().fold(f64::INFINITY, f64::min)
    }
}

/// Benchmarks `op` with criterion, keeping the per-call time of every batch it timed (the same
/// measurements criterion reports on).
pub fn measure(c: &mut Criterion, name: &str, mut op: impl FnMut()) -> Timing {
    let mut batches = Vec::new();
    c.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                op();
            }
            let elapsed = start.elapsed();
            batches.push(elapsed.as_nanos() as f64 / iters.max(1) as f64);
            elapsed
        })
    });
    Timing { batches }
}
