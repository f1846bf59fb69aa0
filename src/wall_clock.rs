//! The platform's clock, read in one place: the engine never reads it (its time is set by its
//! host), the hosts do — the RESP server and `redis-sim` natively, the page in the browser.

/// Unix time in milliseconds: `SystemTime` natively, `Date.now()` in the browser (where
/// `SystemTime::now()` panics on wasm32-unknown-unknown).
pub fn wall_clock_ms() -> i64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::time::{SystemTime, UNIX_EPOCH};
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }
}
