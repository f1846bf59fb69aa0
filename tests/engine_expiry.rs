//! Expiry: EXPIRE family, TTL family, the engine clock.

use incr_lab::engine::{Engine, Reply};

/// EXPIRETIME rounds to the nearest second without overflowing at the far end of time.
#[test]
fn expiretime_of_the_largest_expire_time() {
    let mut e = Engine::new(1_000);
    e.execute(1, &["SET", "k", "v"]);
    let at = "9223372036854775807";
    assert_eq!(e.execute(1, &["PEXPIREAT", "k", at]), Reply::Integer(1));
    assert_eq!(
        e.execute(1, &["PEXPIRETIME", "k"]),
        Reply::Integer(i64::MAX)
    );
    assert_eq!(
        e.execute(1, &["EXPIRETIME", "k"]),
        Reply::Integer(9_223_372_036_854_776)
    );
    assert_eq!(
        e.execute(1, &["TTL", "k"]),
        Reply::Integer(9_223_372_036_854_775)
    );
    e.execute(1, &["PEXPIREAT", "k", "9223372036854775308"]);
    assert_eq!(
        e.execute(1, &["EXPIRETIME", "k"]),
        Reply::Integer(9_223_372_036_854_775)
    );
}
