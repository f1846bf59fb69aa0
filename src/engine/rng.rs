//! The one random source of the engine (SPOP, SRANDMEMBER, …) and of the simulation: SplitMix64,
//! identical on every platform.
//!
//! `rand`'s `SmallRng` differs between 64-bit native and 32-bit wasm, which would break "same seed ⇒
//! same trace" between the tests and the browser. SplitMix64 is a few lines of wrapping u64
//! arithmetic, so it cannot differ.

/// A SplitMix64 generator.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    /// An independent generator for one purpose of one entity (say, client 17's latencies), so that
    /// what one client draws never shifts what another draws.
    pub fn derive(seed: u64, stream: u64, index: u64) -> Rng {
        let mut mix = Rng::new(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let a = mix.next_u64();
        Rng::new(a ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03))
    }

    /// Where the generator is: two generators with the same state draw the same numbers.
    pub fn state(&self) -> u64 {
        self.state
    }

    /// The next 64 random bits. (Always inlined, as `below` and `between` are: every simulated
    /// message draws its latency, and at `opt-level = "z"` a call costs more than the arithmetic.)
    #[inline(always)]
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0), by Lemire's multiply-shift (no modulo bias worth
    /// mentioning at these sizes).
    #[inline(always)]
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `lo..=hi` (`lo` when `hi < lo`).
    #[inline(always)]
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        match (hi - lo).checked_add(1) {
            Some(n) => lo + self.below(n),
            // The whole range of u64.
            None => self.next_u64(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn same_seed_same_numbers_and_streams_are_independent() {
        let a: Vec<u64> = (0..5).map(|_| Rng::new(7).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        let mut r = Rng::new(7);
        let first = r.next_u64();
        assert_ne!(first, r.next_u64());
        assert_ne!(
            Rng::derive(1, 2, 3).next_u64(),
            Rng::derive(1, 2, 4).next_u64()
        );
        assert_eq!(Rng::derive(1, 2, 3), Rng::derive(1, 2, 3));
        // SplitMix64's published first output for seed 0.
        assert_eq!(Rng::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
        let mut r = Rng::new(42);
        assert!((0..1000).all(|_| r.between(10, 20) <= 20));
        assert_eq!(r.between(20, 10), 20);
        r.between(0, u64::MAX);
    }
}
