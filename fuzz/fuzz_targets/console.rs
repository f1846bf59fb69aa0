//! Arbitrary bytes as console sessions: each line goes through redis-cli's tokenizer, the engine
//! and the reply formatter. Lines starting with `@` move the clock (to the i64 their next eight
//! bytes spell), `#` runs the active expiry, `!` disconnects a client; the first byte of other lines
//! picks one of three clients. Nothing may panic.

#![no_main]

use incr_lab::console::eval_line;
use incr_lab::engine::Engine;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut engine = Engine::new(1_700_000_000_000);
    for line in data.split(|&b| b == b'\n') {
        match line.split_first() {
            Some((b'@', rest)) => {
                let mut bytes = [0u8; 8];
                for (slot, b) in bytes.iter_mut().zip(rest) {
                    *slot = *b;
                }
                engine.set_now_ms(i64::from_le_bytes(bytes));
            }
            Some((b'#', _)) => {
                engine.active_expire_cycle();
            }
            Some((b'!', rest)) => engine.disconnect(u64::from(rest.len() as u8 % 3)),
            Some((first, _)) => {
                let _ = eval_line(&mut engine, u64::from(first % 3), line);
            }
            None => {}
        }
    }
});
